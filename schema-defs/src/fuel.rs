//! A fuel-station business run as a service, one PostgreSQL schema per customer.
//!
//! The platform tables ([`FuelPlatform`]) live in `public` and describe the customers
//! (tenants) and their subscription plans. Each tenant owns a schema, named by
//! [`Tenant::schema_name`], that holds its own copy of the per-tenant tables
//! ([`FuelTenant`]): stations, pumps and nozzles, prices, meter readings, sales, credit
//! customers and their payments, tank inventory and alerts.
//!
//! The per-tenant tables name no schema: sync places them in the tenant's schema. They
//! never reference a platform table, because a foreign key must stay inside its schema
//! set (and a tenant schema is dropped or copied as a whole).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use schema_core::{SqlEnum, Table, schema_set};
use serde_json::Value;
use uuid::Uuid;

// ---------------------------------------------------------------------------
// Platform tables, in `public`
// ---------------------------------------------------------------------------

/// A subscription plan and the limits it sets.
#[derive(Table)]
#[table(name = "plans", schema = "public", timestamps)]
pub struct Plan {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(30)", unique)]
    pub code: String,
    #[column(sql_type = "varchar(100)")]
    pub name: String,
    #[column(sql_type = "numeric(10, 2)", check = "monthly_price >= 0")]
    pub monthly_price: Decimal,
    #[column(check = "max_stations > 0")]
    pub max_stations: i32,
    #[column(check = "max_users > 0")]
    pub max_users: i32,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A customer business. Its tables live in the schema named by `schema_name`.
#[derive(Table)]
#[table(
    name = "tenants",
    schema = "public",
    timestamps,
    soft_delete,
    comment = "Fuel-station businesses; each owns the PostgreSQL schema named by schema_name"
)]
pub struct Tenant {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(references = Plan, on_delete = "restrict", index)]
    pub plan_id: i32,
    #[column(sql_type = "varchar(200)")]
    pub name: String,
    #[column(
        sql_type = "varchar(63)",
        unique,
        check = "schema_name ~ '^tenant_[a-z0-9_]+$'",
        comment = "PostgreSQL schema holding the tenant's tables"
    )]
    pub schema_name: String,
    #[column(sql_type = "varchar(255)")]
    pub contact_email: Option<String>,
    #[column(
        sql_type = "varchar(20)",
        default = "'trial'",
        check = "status IN ('trial', 'active', 'suspended', 'closed')"
    )]
    pub status: String,
    pub trial_ends_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A member of the platform's own staff. E-mail addresses are unique regardless of case.
#[derive(Table)]
#[table(
    name = "admin_users",
    schema = "public",
    timestamps,
    index("lower(email)", unique, name = "admin_users_email_lower_key")
)]
pub struct AdminUser {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(255)")]
    pub email: String,
    #[column(sql_type = "varchar(150)")]
    pub full_name: String,
    #[column(sql_type = "varchar(255)")]
    pub password_hash: String,
    #[column(
        sql_type = "varchar(20)",
        default = "'support'",
        check = "role IN ('owner', 'support', 'billing')"
    )]
    pub role: String,
    #[column(default = "true")]
    pub is_active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

schema_set!(pub FuelPlatform = [Plan, Tenant, AdminUser]);

// ---------------------------------------------------------------------------
// Per-tenant tables, in each tenant's schema
// ---------------------------------------------------------------------------

/// A grade of fuel sold at the pumps.
#[derive(SqlEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[sql_enum(name = "fuel_type")]
pub enum FuelType {
    Petrol,
    Diesel,
    Premium,
    /// Compressed natural gas, sold by the kilogram but recorded in the same columns.
    Cng,
}

/// How urgent an alert is.
#[derive(SqlEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[sql_enum(name = "alert_severity")]
pub enum AlertSeverity {
    Info,
    Warning,
    Critical,
}

/// A member of the tenant's staff: owner, station manager, pump attendant or accountant.
#[derive(Table)]
#[table(name = "users", timestamps, soft_delete)]
pub struct User {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(255)", unique)]
    pub email: String,
    #[column(sql_type = "varchar(150)")]
    pub full_name: String,
    #[column(sql_type = "varchar(32)")]
    pub phone: Option<String>,
    #[column(
        sql_type = "varchar(20)",
        default = "'attendant'",
        check = "role IN ('owner', 'manager', 'attendant', 'accountant')"
    )]
    pub role: String,
    #[column(sql_type = "varchar(255)")]
    pub password_hash: String,
    #[column(default = "true")]
    pub is_active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A filling station. Closed stations are soft-deleted so that their history stays.
#[derive(Table)]
#[table(name = "stations", timestamps, soft_delete)]
pub struct Station {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(20)", unique)]
    pub code: String,
    #[column(sql_type = "varchar(150)")]
    pub name: String,
    pub address: Option<String>,
    #[column(sql_type = "varchar(120)")]
    pub city: String,
    #[column(sql_type = "numeric(9, 6)")]
    pub latitude: Option<Decimal>,
    #[column(sql_type = "numeric(9, 6)")]
    pub longitude: Option<Decimal>,
    #[column(references = User, on_delete = "set null", index)]
    pub manager_id: Option<i32>,
    pub opened_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A dispenser on a station's forecourt, numbered within the station.
#[derive(Table)]
#[table(name = "pumps", timestamps, unique(station_id, pump_number))]
pub struct Pump {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Station, on_delete = "cascade")]
    pub station_id: i32,
    #[column(check = "pump_number > 0")]
    pub pump_number: i16,
    #[column(sql_type = "varchar(50)", unique)]
    pub serial_number: Option<String>,
    #[column(sql_type = "varchar(100)")]
    pub manufacturer: Option<String>,
    pub installed_on: Option<NaiveDate>,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A hose of a pump. Each nozzle delivers one fuel type and has its own meter.
#[derive(Table)]
#[table(name = "nozzles", timestamps, unique(pump_id, nozzle_number))]
pub struct Nozzle {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Pump, on_delete = "cascade")]
    pub pump_id: i32,
    #[column(check = "nozzle_number > 0")]
    pub nozzle_number: i16,
    pub fuel_type: FuelType,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Price history per station and fuel type. The price in force is the row with the
/// latest `effective_from` that is not in the future; rows are never updated.
#[derive(Table)]
#[table(
    name = "fuel_prices",
    primary_key(station_id, fuel_type, effective_from),
    comment = "Price history; the price in force has the latest effective_from not in the future"
)]
pub struct FuelPrice {
    #[column(references = Station, on_delete = "cascade")]
    pub station_id: i32,
    pub fuel_type: FuelType,
    pub effective_from: DateTime<Utc>,
    #[column(sql_type = "numeric(10, 3)", check = "price_per_litre > 0")]
    pub price_per_litre: Decimal,
    #[column(references = User, on_delete = "set null")]
    pub set_by: Option<i32>,
    #[column(default = "now()")]
    pub created_at: DateTime<Utc>,
}

/// Meter readings of a nozzle at the opening and close of a shift; the difference is
/// the volume the shift must account for in sales.
#[derive(Table)]
#[table(
    name = "nozzle_readings",
    unique(nozzle_id, shift_date, shift_number),
    index(recorded_at, method = "brin"),
    check(
        name = "nozzle_readings_closing_after_opening_check",
        expr = "closing_litres IS NULL OR closing_litres >= opening_litres"
    )
)]
pub struct NozzleReading {
    #[column(primary_key, identity)]
    pub id: i64,
    #[column(references = Nozzle, on_delete = "cascade")]
    pub nozzle_id: i32,
    pub shift_date: NaiveDate,
    #[column(default = "1", check = "shift_number BETWEEN 1 AND 4")]
    pub shift_number: i16,
    #[column(sql_type = "numeric(14, 3)", check = "opening_litres >= 0")]
    pub opening_litres: Decimal,
    /// Empty while the shift is open.
    #[column(sql_type = "numeric(14, 3)")]
    pub closing_litres: Option<Decimal>,
    /// The litres the nozzle sold in the shift, kept by the database; empty while open.
    #[column(
        sql_type = "numeric(14, 3)",
        generated = "closing_litres - opening_litres"
    )]
    pub litres_sold: Option<Decimal>,
    #[column(references = User, on_delete = "set null")]
    pub recorded_by: Option<i32>,
    #[column(default = "now()")]
    pub recorded_at: DateTime<Utc>,
}

/// A customer buying on credit (a transport company, a taxi fleet), billed periodically.
#[derive(Table)]
#[table(name = "creditors", timestamps)]
pub struct Creditor {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(30)", unique)]
    pub account_code: String,
    #[column(sql_type = "varchar(200)")]
    pub name: String,
    #[column(sql_type = "varchar(32)")]
    pub phone: Option<String>,
    #[column(sql_type = "varchar(255)")]
    pub email: Option<String>,
    #[column(
        sql_type = "numeric(12, 2)",
        default = "0",
        check = "credit_limit >= 0"
    )]
    pub credit_limit: Decimal,
    /// Amount owed: credit sales minus credit payments.
    #[column(sql_type = "numeric(12, 2)", default = "0")]
    pub balance: Decimal,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One delivery of fuel at a nozzle. Sales are recorded by the forecourt terminals,
/// sometimes offline, so they carry a UUID made on the device.
#[derive(Table)]
#[table(
    name = "sales",
    check(
        name = "sales_credit_needs_creditor_check",
        expr = "payment_method <> 'credit' OR creditor_id IS NOT NULL"
    )
)]
pub struct Sale {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(references = Nozzle, on_delete = "restrict", index)]
    pub nozzle_id: i32,
    #[column(references = User, on_delete = "set null", index)]
    pub attendant_id: Option<i32>,
    #[column(references = Creditor, on_delete = "restrict", index)]
    pub creditor_id: Option<i32>,
    /// The nozzle's fuel type at the time of sale.
    pub fuel_type: FuelType,
    #[column(sql_type = "numeric(12, 3)", check = "litres > 0")]
    pub litres: Decimal,
    #[column(sql_type = "numeric(10, 3)", check = "price_per_litre >= 0")]
    pub price_per_litre: Decimal,
    #[column(sql_type = "numeric(12, 2)", check = "amount >= 0")]
    pub amount: Decimal,
    #[column(
        sql_type = "varchar(20)",
        default = "'cash'",
        check = "payment_method IN ('cash', 'card', 'upi', 'credit')"
    )]
    pub payment_method: String,
    #[column(sql_type = "varchar(20)")]
    pub vehicle_number: Option<String>,
    #[column(default = "now()", index)]
    pub sold_at: DateTime<Utc>,
}

/// A storage tank at a station and the fuel it holds.
#[derive(Table)]
#[table(
    name = "fuel_inventory",
    timestamps,
    unique(station_id, tank_number),
    check(
        name = "fuel_inventory_within_capacity_check",
        expr = "current_litres <= capacity_litres"
    )
)]
pub struct FuelInventory {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Station, on_delete = "cascade")]
    pub station_id: i32,
    pub tank_number: i16,
    pub fuel_type: FuelType,
    #[column(sql_type = "numeric(12, 3)", check = "capacity_litres > 0")]
    pub capacity_litres: Decimal,
    #[column(
        sql_type = "numeric(12, 3)",
        default = "0",
        check = "current_litres >= 0"
    )]
    pub current_litres: Decimal,
    /// Below this level an alert is raised and a delivery should be ordered.
    #[column(
        sql_type = "numeric(12, 3)",
        default = "0",
        check = "reorder_level_litres >= 0"
    )]
    pub reorder_level_litres: Decimal,
    pub last_delivery_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A payment by a creditor against their balance.
#[derive(Table)]
#[table(name = "credit_payments", timestamps)]
pub struct CreditPayment {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Creditor, on_delete = "restrict", index)]
    pub creditor_id: i32,
    #[column(sql_type = "numeric(12, 2)", check = "amount > 0")]
    pub amount: Decimal,
    #[column(default = "now()", index)]
    pub paid_at: DateTime<Utc>,
    #[column(
        sql_type = "varchar(20)",
        default = "'cash'",
        check = "payment_method IN ('cash', 'card', 'upi', 'bank_transfer', 'cheque')"
    )]
    pub payment_method: String,
    #[column(sql_type = "varchar(100)")]
    pub reference: Option<String>,
    #[column(references = User, on_delete = "set null")]
    pub received_by: Option<i32>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Something that needs attention: low stock, a meter mismatch, a creditor over limit.
/// Open alerts are the ones not acknowledged yet. The table is optional: a station keeps
/// selling fuel without it, so a missing table only warns at startup.
#[derive(Table)]
#[table(
    name = "alerts",
    optional,
    index(
        station_id,
        where = "acknowledged_at IS NULL",
        name = "alerts_open_station_id_idx"
    )
)]
pub struct Alert {
    #[column(primary_key, identity)]
    pub id: i64,
    #[column(references = Station, on_delete = "cascade")]
    pub station_id: Option<i32>,
    #[column(default = "'warning'")]
    pub severity: AlertSeverity,
    /// Machine-readable kind, such as `low_stock` or `reading_mismatch`.
    #[column(sql_type = "varchar(50)")]
    pub kind: String,
    pub message: String,
    /// Details for the kind, such as the tank and its level.
    #[column(default = "'{}'::jsonb")]
    pub details: Value,
    #[column(references = User, on_delete = "set null")]
    pub acknowledged_by: Option<i32>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[column(default = "now()", index)]
    pub created_at: DateTime<Utc>,
}

schema_set!(
    pub FuelTenant = [
        User,
        Station,
        Pump,
        Nozzle,
        FuelPrice,
        NozzleReading,
        Creditor,
        Sale,
        FuelInventory,
        CreditPayment,
        Alert,
    ],
    // On a Citus cluster, each tenant schema is distributed whole (schema-based sharding).
    citus = "schema"
);

// ---------------------------------------------------------------------------
// The tenants, declared once
// ---------------------------------------------------------------------------

/// The platform table that lists the tenants.
const TENANTS_TABLE: &schema_core::TableDef = &<Tenant as Table>::DEF;

/// Every fuel tenant: the schemas named by `public.tenants.schema_name` of the rows not
/// soft-deleted, each holding [`FuelTenant`]. A new tenant's platform row takes the
/// schema name as its display name and the first plan.
pub fn tenants() -> schema_core::TenantSet {
    use schema_core::SchemaSet;
    schema_core::TenantSet::new(
        FuelPlatform::EXPECTED_SCHEMA,
        FuelTenant::EXPECTED_SCHEMA,
        schema_core::TenantSet::from_table(TENANTS_TABLE, "schema_name"),
    )
    .with_insert_row(
        "INSERT INTO public.tenants (plan_id, name, schema_name) \
         SELECT p.id, $1, $1 FROM public.plans AS p ORDER BY p.id LIMIT 1",
    )
    .with_demo(
        &["tenant_acme", "tenant_globex", "tenant_initech"],
        "INSERT INTO public.plans (code, name, monthly_price, max_stations, max_users) \
         VALUES ('demo', 'Demo', 0, 5, 25) ON CONFLICT (code) DO NOTHING",
    )
}
