//! The reference schemas against a real PostgreSQL: each one syncs into an empty
//! database, a second sync changes nothing, and the synced `municipal` database has
//! exactly the catalog of one loaded from the reference SQL.

mod common;

use schema_core::{ExpectedSchema, Outcome, SchemaSet, SyncOptions, sync::sync_schema};
use schema_defs::{crm, fuel, licensing, municipal};

use common::{assert_same_catalog, catalog_lines, fresh};

const FIXTURE: &str = include_str!("../fixtures/municipal.sql");

fn sync_twice(expected: &ExpectedSchema, schema: &str) {
    let (_db, mut client) = fresh();
    let options = SyncOptions::development().in_schema(schema);

    let first = sync_schema(&mut client, expected, &options).expect("first sync");
    assert_eq!(first.outcome, Outcome::Applied, "{first}");
    let created = first
        .applied
        .iter()
        .filter(|c| c.kind.code() == "missing-table")
        .count();
    assert_eq!(
        created,
        expected.tables.len(),
        "every table is created: {first}"
    );

    let second = sync_schema(&mut client, expected, &options).expect("second sync");
    assert_eq!(second.outcome, Outcome::UpToDate, "{second}");
    assert!(
        second.applied.is_empty() && second.pending.is_empty(),
        "{second}"
    );
    assert!(
        second.fast_path,
        "the second sync is proven by the stored fingerprint"
    );

    // The slow path agrees: introspect, canonicalize, diff — and find nothing.
    let verified = schema_core::sync::verify_schema(&mut client, expected, &options).unwrap();
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    client.batch_execute("SELECT 1").unwrap();
}

#[test]
fn municipal_syncs_and_a_second_sync_changes_nothing() {
    sync_twice(&municipal::Municipal::EXPECTED_SCHEMA, "public");
}

#[test]
fn fuel_platform_syncs_and_a_second_sync_changes_nothing() {
    sync_twice(&fuel::FuelPlatform::EXPECTED_SCHEMA, "public");
}

#[test]
fn fuel_tenant_tables_sync_into_a_tenant_schema() {
    sync_twice(&fuel::FuelTenant::EXPECTED_SCHEMA, "tenant_acme");
}

#[test]
fn licensing_syncs_and_a_second_sync_changes_nothing() {
    sync_twice(&licensing::Licensing::EXPECTED_SCHEMA, "public");
}

#[test]
fn crm_syncs_and_a_second_sync_changes_nothing() {
    sync_twice(&crm::Crm::EXPECTED_SCHEMA, "public");
}

#[test]
fn synced_municipal_has_exactly_the_catalog_of_the_reference_sql() {
    let (_reference_db, mut reference) = fresh();
    reference
        .batch_execute(FIXTURE)
        .expect("the reference SQL loads");
    let (_synced_db, mut synced) = fresh();
    schema_core::sync_with::<municipal::Municipal>(&mut synced, &SyncOptions::development())
        .unwrap();

    let want = catalog_lines(&mut reference, "public");
    let have = catalog_lines(&mut synced, "public");
    assert!(
        want.len() > 500,
        "the fixture is the 32-table schema ({} lines)",
        want.len()
    );
    assert_same_catalog("reference SQL", &want, "synced schema", &have);
}

#[test]
fn the_synced_schema_reads_back_as_declared() {
    // introspect(sync(S)) == S, compared through the diff (which also reports anything
    // extra in the database).
    for (expected, schema) in [
        (municipal::Municipal::EXPECTED_SCHEMA, "public"),
        (fuel::FuelTenant::EXPECTED_SCHEMA, "tenant_x"),
        (crm::Crm::EXPECTED_SCHEMA, "public"),
        (licensing::Licensing::EXPECTED_SCHEMA, "public"),
    ] {
        let (_db, mut client) = fresh();
        sync_schema(
            &mut client,
            &expected,
            &SyncOptions::development().in_schema(schema),
        )
        .unwrap();
        let declared =
            schema_core::canonical::canonicalize(&mut client, &expected.catalog(), schema).unwrap();
        let live = schema_core::introspect::introspect(&mut client, &[schema]).unwrap();
        let changes = schema_core::diff::diff(&declared, &live, schema);
        assert!(
            changes.is_empty(),
            "{}: {}",
            expected.name,
            schema_core::diff::summary(&changes)
        );
        assert_eq!(
            live.tables.len(),
            expected.tables.len() + 1,
            "the tables and the history table"
        );
    }
}
