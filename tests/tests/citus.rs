//! The Citus DDL of a row-based and a schema-based set, as insta snapshots. No Citus
//! server runs here: the text is what is tested.

use chrono::{DateTime, Utc};
use schema_core::{Table, citus, schema_set};
use schema_defs::fuel;

/// A subscription plan: no tenant column, so a reference table.
#[derive(Table)]
#[table(name = "plans")]
pub struct Plan {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(30)")]
    pub code: String,
}

/// The tenant table: distributed by `id`, the column the tenant keys reference.
#[derive(Table)]
#[table(name = "accounts")]
pub struct Account {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Plan, on_delete = "restrict")]
    pub plan_id: i32,
    pub created_at: DateTime<Utc>,
}

/// Tenant rows: distributed by `tenant_id`, co-located with `accounts`; every key holds
/// `tenant_id`.
#[derive(Table)]
#[table(
    name = "campaigns",
    tenant = Account,
    primary_key(tenant_id, id),
    unique(tenant_id, name)
)]
pub struct Campaign {
    pub id: i64,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(100)")]
    pub name: String,
}

schema_set!(pub Ads = [Plan, Account, Campaign], citus = "row");

#[test]
fn row_based_distribution_ddl() {
    insta::assert_snapshot!(citus::ddl::<Ads>("public"));
}

#[test]
fn schema_based_distribution_ddl() {
    insta::assert_snapshot!(format!(
        "{}\n{}",
        citus::reference_tables(&<fuel::FuelPlatform as schema_core::SchemaSet>::EXPECTED_SCHEMA),
        citus::ddl::<fuel::FuelTenant>("tenant_acme")
    ));
}
