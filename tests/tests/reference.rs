//! The reference schemas against a real PostgreSQL: each one syncs into an empty
//! database, a second sync changes nothing, and the synced `municipal` database has
//! exactly the catalog of one loaded from the reference SQL.

mod common;

use schema_core::canonical::canonicalize;
use schema_core::introspect::{introspect, normalize};
use schema_core::{
    Catalog, ExpectedSchema, Outcome, SchemaSet, SqlType, SyncOptions, TableOptions, Target, Text,
    sync::sync_schema,
};
use schema_defs::{crm, fuel, licensing, municipal};

use common::{assert_same_catalog, catalog_lines, fresh};

const FIXTURE: &str = include_str!("../fixtures/municipal.sql");

fn sync_twice(expected: &ExpectedSchema, schema: &str) {
    let (_db, mut client) = fresh();
    let target = Target::new(schema).unwrap();
    let options = SyncOptions::development();

    let first = sync_schema(&mut client, expected, &target, &options).expect("first sync");
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

    let second = sync_schema(&mut client, expected, &target, &options).expect("second sync");
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
    let verified =
        schema_core::sync::verify_schema(&mut client, expected, &target, &options).unwrap();
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
    // introspect(sync(S)) == S: the live catalog equals the declared one, once the
    // declaration's defaults are resolved (schema names) and its expressions spelled by
    // the server. The diff agrees, and finds nothing extra in the database either.
    for (expected, schema) in [
        (municipal::Municipal::EXPECTED_SCHEMA, "public"),
        (fuel::FuelPlatform::EXPECTED_SCHEMA, "public"),
        (fuel::FuelTenant::EXPECTED_SCHEMA, "tenant_x"),
        (crm::Crm::EXPECTED_SCHEMA, "public"),
        (licensing::Licensing::EXPECTED_SCHEMA, "public"),
    ] {
        let (_db, mut client) = fresh();
        let target = Target::new(schema).unwrap();
        let options = SyncOptions::development();
        sync_schema(&mut client, &expected, &target, &options).unwrap();
        let declared = canonicalize(&mut client, &expected.catalog(), schema).unwrap();
        let mut live = introspect(&mut client, &[schema]).unwrap();

        let changes = schema_core::diff::diff(&declared, &live, schema);
        assert!(
            changes.is_empty(),
            "{}: {}",
            expected.name,
            schema_core::diff::summary(&changes)
        );

        live.tables.retain(|t| t.name != "schema_versions");
        assert_eq!(as_live(declared, schema), live, "{}", expected.name);
    }
}

/// A declared catalog as introspection would read it: schemas resolved, declaration-only
/// metadata left out, constraints ordered by name.
fn as_live(mut catalog: Catalog, schema: &str) -> Catalog {
    let resolve = |s: &mut Option<Text>| {
        s.get_or_insert_with(|| schema.to_owned().into());
    };
    for table in &mut catalog.tables {
        resolve(&mut table.schema);
        table.options = TableOptions::LIVE;
        for column in table.columns.to_mut() {
            column.renamed_from = Vec::new().into();
            if let SqlType::Enum(e) = &mut column.sql_type {
                resolve(&mut e.schema);
            }
        }
        for fk in table.foreign_keys.to_mut() {
            resolve(&mut fk.ref_schema);
        }
    }
    for e in &mut catalog.enums {
        resolve(&mut e.schema);
    }
    for f in &mut catalog.functions {
        resolve(&mut f.schema);
    }
    for t in &mut catalog.triggers {
        resolve(&mut t.schema);
        resolve(&mut t.function_schema);
    }
    // Live views name what they read with its schema, in order.
    for v in &mut catalog.views {
        resolve(&mut v.schema);
        let mut reads: Vec<Text> = v
            .reads
            .iter()
            .map(|r| match r.contains('.') {
                true => r.clone(),
                false => format!("{schema}.{r}").into(),
            })
            .collect();
        reads.sort();
        v.reads = reads.into();
    }
    catalog.views.sort_by(|a, b| a.name.cmp(&b.name));
    normalize(&mut catalog);
    catalog
}
