//! Territory and properties: wards, property types, addresses and the property register.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use schema_core::Table;

use super::{Tenant, User};

/// An administrative ward. Wards nest: a ward may belong to a parent ward.
#[derive(Table)]
#[table(name = "wards", tenant = Tenant, timestamps, unique(tenant_id, code))]
pub struct Ward {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = Self, on_delete = "set null", index)]
    pub parent_ward_id: Option<i32>,
    #[column(sql_type = "varchar(20)")]
    pub code: String,
    #[column(sql_type = "varchar(150)")]
    pub name: String,
    pub ward_number: Option<i32>,
    pub population: Option<i32>,
    #[column(sql_type = "numeric(10, 3)")]
    pub area_sq_km: Option<Decimal>,
    pub office_address: Option<String>,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A kind of property (residential plot, shop, factory, ...), which tax rates can target.
#[derive(Table)]
#[table(name = "property_types", tenant = Tenant, timestamps, unique(tenant_id, code))]
pub struct PropertyType {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(30)")]
    pub code: String,
    #[column(sql_type = "varchar(100)")]
    pub name: String,
    pub description: Option<String>,
    #[column(default = "true")]
    pub is_residential: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A postal address, optionally located in a ward.
#[derive(Table)]
#[table(name = "property_addresses", tenant = Tenant, timestamps)]
pub struct PropertyAddress {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = Ward, on_delete = "set null", index)]
    pub ward_id: Option<i32>,
    #[column(sql_type = "varchar(200)")]
    pub street: String,
    #[column(sql_type = "varchar(20)")]
    pub house_number: Option<String>,
    #[column(sql_type = "varchar(120)")]
    pub locality: Option<String>,
    #[column(sql_type = "varchar(120)")]
    pub city: String,
    #[column(sql_type = "varchar(12)", index)]
    pub postal_code: Option<String>,
    #[column(sql_type = "numeric(9, 6)")]
    pub latitude: Option<Decimal>,
    #[column(sql_type = "numeric(9, 6)")]
    pub longitude: Option<Decimal>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A land parcel in the property register, identified by its parcel number.
#[derive(Table)]
#[table(
    name = "properties",
    tenant = Tenant,
    timestamps,
    soft_delete,
    unique(tenant_id, parcel_number)
)]
pub struct Property {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = PropertyType, index)]
    pub property_type_id: i32,
    #[column(references = PropertyAddress, on_delete = "set null")]
    pub address_id: Option<i32>,
    #[column(references = Ward, on_delete = "set null", index)]
    pub ward_id: Option<i32>,
    #[column(references = User, on_delete = "set null", index)]
    pub owner_user_id: Option<i32>,
    #[column(sql_type = "varchar(50)")]
    pub parcel_number: String,
    #[column(sql_type = "varchar(200)")]
    pub owner_name: String,
    #[column(sql_type = "numeric(12, 2)")]
    pub land_area_sqm: Option<Decimal>,
    #[column(sql_type = "numeric(12, 2)")]
    pub built_area_sqm: Option<Decimal>,
    #[column(default = "1")]
    pub floors: i32,
    pub year_built: Option<i32>,
    #[column(sql_type = "numeric(12, 2)")]
    pub assessed_value: Option<Decimal>,
    #[column(
        sql_type = "varchar(20)",
        default = "'active'",
        check = "status IN ('active', 'vacant', 'demolished', 'merged')",
        index
    )]
    pub status: String,
    #[column(default = "false")]
    pub is_exempt: bool,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}
