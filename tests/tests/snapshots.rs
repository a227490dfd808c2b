//! The creation DDL of every reference schema, as insta snapshots: any change to the
//! generated SQL shows up as a diff to review (`cargo insta review`).

use schema_core::assert_schema_snapshot;
use schema_defs::{crm, fuel, licensing, municipal};

#[test]
fn municipal_ddl() {
    assert_schema_snapshot!(municipal::Municipal);
}

#[test]
fn fuel_platform_ddl() {
    assert_schema_snapshot!(fuel::FuelPlatform);
}

#[test]
fn fuel_tenant_ddl() {
    assert_schema_snapshot!(fuel::FuelTenant, "tenant_demo");
}

#[test]
fn licensing_ddl() {
    assert_schema_snapshot!(licensing::Licensing);
}

#[test]
fn crm_ddl() {
    assert_schema_snapshot!(crm::Crm);
}
