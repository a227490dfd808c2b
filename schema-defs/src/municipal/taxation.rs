//! Property taxation: tax types and rates, contracts, yearly assessments, payments and
//! receipts, and payments that belong to no assessment.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use schema_core::Table;

use super::{Property, PropertyType, Tenant, User, Ward};

/// A tax or fee the municipality levies (property tax, waste collection, ...).
#[derive(Table)]
#[table(
    name = "tax_types",
    tenant = Tenant,
    timestamps,
    soft_delete,
    unique(tenant_id, code)
)]
pub struct TaxType {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(30)")]
    pub code: String,
    #[column(sql_type = "varchar(120)")]
    pub name: String,
    pub description: Option<String>,
    #[column(default = "true")]
    pub is_recurring: bool,
    #[column(sql_type = "varchar(20)", default = "'annual'")]
    pub billing_frequency: String,
    /// General-ledger account the revenue is booked to.
    #[column(sql_type = "varchar(30)")]
    pub gl_account_code: Option<String>,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// How an amount is computed from a rate (per square metre, percentage of value, flat).
#[derive(Table)]
#[table(
    name = "tax_calculation_types",
    tenant = Tenant,
    timestamps,
    soft_delete,
    unique(tenant_id, code)
)]
pub struct TaxCalculationType {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(30)")]
    pub code: String,
    #[column(sql_type = "varchar(120)")]
    pub name: String,
    pub formula: Option<String>,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The rate of a tax type over a period, optionally for one property type only.
#[derive(Table)]
#[table(
    name = "tax_rates",
    tenant = Tenant,
    timestamps,
    soft_delete,
    index(tax_type_id, effective_from),
    check(
        name = "tax_rates_effective_range_check",
        expr = "effective_to IS NULL OR effective_to >= effective_from"
    )
)]
pub struct TaxRate {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = TaxType, on_delete = "cascade")]
    pub tax_type_id: i32,
    #[column(references = TaxCalculationType, index)]
    pub calculation_type_id: i32,
    #[column(references = PropertyType, on_delete = "set null", index)]
    pub property_type_id: Option<i32>,
    #[column(sql_type = "numeric(10, 4)", check = "rate >= 0")]
    pub rate: Decimal,
    #[column(sql_type = "numeric(12, 2)", default = "0")]
    pub fixed_amount: Decimal,
    #[column(sql_type = "numeric(12, 2)")]
    pub min_amount: Option<Decimal>,
    #[column(sql_type = "numeric(12, 2)")]
    pub max_amount: Option<Decimal>,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Binds a property to a tax type, and usually to a rate and a taxpayer.
#[derive(Table)]
#[table(
    name = "tax_contracts",
    tenant = Tenant,
    timestamps,
    soft_delete,
    unique(tenant_id, contract_number),
    check(
        name = "tax_contracts_date_range_check",
        expr = "end_date IS NULL OR end_date >= start_date"
    )
)]
pub struct TaxContract {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(50)")]
    pub contract_number: String,
    #[column(references = Property, on_delete = "cascade", index)]
    pub property_id: i32,
    #[column(references = TaxType, index)]
    pub tax_type_id: i32,
    #[column(references = TaxRate, on_delete = "set null")]
    pub tax_rate_id: Option<i32>,
    #[column(references = User, on_delete = "set null")]
    pub taxpayer_user_id: Option<i32>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    #[column(sql_type = "numeric(12, 2)", default = "0")]
    pub annual_amount: Decimal,
    #[column(
        sql_type = "varchar(20)",
        default = "'active'",
        check = "status IN ('draft', 'active', 'suspended', 'terminated')",
        index
    )]
    pub status: String,
    pub terms: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The amount due under a contract for one period; one assessment per contract and
/// period start.
#[derive(Table)]
#[table(
    name = "tax_assessments",
    tenant = Tenant,
    timestamps,
    soft_delete,
    unique(contract_id, period_start)
)]
pub struct TaxAssessment {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = TaxContract, on_delete = "cascade")]
    pub contract_id: i32,
    #[column(references = Property, on_delete = "cascade", index)]
    pub property_id: i32,
    #[column(index)]
    pub fiscal_year: i32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    #[column(sql_type = "numeric(12, 2)", check = "assessed_amount >= 0")]
    pub assessed_amount: Decimal,
    #[column(sql_type = "numeric(12, 2)", default = "0")]
    pub discount_amount: Decimal,
    #[column(sql_type = "numeric(12, 2)", default = "0")]
    pub penalty_amount: Decimal,
    #[column(index)]
    pub due_date: NaiveDate,
    #[column(
        sql_type = "varchar(20)",
        default = "'pending'",
        check = "status IN ('pending', 'partially_paid', 'paid', 'overdue', 'cancelled')",
        index
    )]
    pub status: String,
    #[column(references = User, on_delete = "set null")]
    pub assessed_by: Option<i32>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A payment against an assessment.
#[derive(Table)]
#[table(name = "tax_payments", tenant = Tenant, timestamps, soft_delete)]
pub struct TaxPayment {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = TaxAssessment, on_delete = "cascade", index)]
    pub assessment_id: i32,
    #[column(sql_type = "varchar(200)")]
    pub payer_name: String,
    #[column(sql_type = "numeric(12, 2)", check = "amount >= 0")]
    pub amount: Decimal,
    #[column(index)]
    pub payment_date: NaiveDate,
    #[column(
        sql_type = "varchar(20)",
        default = "'cash'",
        check = "payment_method IN ('cash', 'card', 'bank_transfer', 'cheque', 'online')"
    )]
    pub payment_method: String,
    #[column(sql_type = "varchar(100)")]
    pub reference_number: Option<String>,
    /// Transaction id at the payment provider, for online payments.
    pub external_transaction_id: Option<i64>,
    #[column(sql_type = "varchar(20)", default = "'completed'", index)]
    pub status: String,
    #[column(references = User, on_delete = "set null")]
    pub received_by: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The receipt issued for a payment; receipt numbers are unique within a tenant.
#[derive(Table)]
#[table(
    name = "tax_receipts",
    tenant = Tenant,
    timestamps,
    soft_delete,
    unique(tenant_id, receipt_number)
)]
pub struct TaxReceipt {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = TaxPayment, on_delete = "cascade", index)]
    pub payment_id: i32,
    #[column(sql_type = "varchar(50)")]
    pub receipt_number: String,
    #[column(default = "now()", index)]
    pub issued_at: DateTime<Utc>,
    #[column(references = User, on_delete = "set null")]
    pub issued_by: Option<i32>,
    #[column(sql_type = "numeric(12, 2)")]
    pub amount: Decimal,
    #[column(default = "false")]
    pub is_void: bool,
    pub void_reason: Option<String>,
    #[column(default = "0")]
    pub printed_count: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A payment outside taxation: permits, certificates, hall rental and other fees.
#[derive(Table)]
#[table(
    name = "miscellaneous_payments",
    tenant = Tenant,
    timestamps,
    unique(tenant_id, receipt_number)
)]
pub struct MiscellaneousPayment {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = Ward, on_delete = "set null")]
    pub ward_id: Option<i32>,
    #[column(references = Property, on_delete = "set null")]
    pub property_id: Option<i32>,
    #[column(sql_type = "varchar(50)", index)]
    pub category: String,
    pub description: Option<String>,
    #[column(sql_type = "varchar(200)")]
    pub payer_name: String,
    #[column(sql_type = "varchar(32)")]
    pub payer_phone: Option<String>,
    #[column(sql_type = "numeric(12, 2)", check = "amount >= 0")]
    pub amount: Decimal,
    #[column(index)]
    pub payment_date: NaiveDate,
    #[column(sql_type = "varchar(20)", default = "'cash'")]
    pub payment_method: String,
    #[column(sql_type = "varchar(50)")]
    pub receipt_number: Option<String>,
    #[column(references = User, on_delete = "set null")]
    pub received_by: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
