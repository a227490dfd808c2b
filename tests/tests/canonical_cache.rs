//! The server's spelling of the declared expressions, stored in the history table, against
//! a real PostgreSQL: a sync stores it once per fingerprint and session, it equals a fresh
//! spelling, later comparisons read it instead of creating anything, and a read-only
//! session (as on a standby) can compare from it.

mod common;

use postgres::Client;
use schema_core::canonical::canonicalize;
use schema_core::diff::ChangeKind;
use schema_core::sync::verify_schema;
use schema_core::{Outcome, SchemaSet, SyncOptions, TableDef, Target, sync_with};
use schema_defs::municipal::Municipal;

use common::fresh;

/// For each history row, oldest first: whether it stores a spelling.
fn stored(client: &mut Client) -> Vec<bool> {
    client
        .query(
            "SELECT canonical IS NOT NULL FROM schema_versions ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn stored_tables(client: &mut Client) -> Vec<TableDef> {
    let json: String = client
        .query_one(
            "SELECT canonical::text FROM schema_versions WHERE canonical IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    serde_json::from_str(&json).expect("stored tables")
}

#[test]
fn a_cold_sync_stores_the_spelling_a_scratch_comparison_would_make() {
    let (_db, mut client) = fresh();
    sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("cold sync");
    assert_eq!(stored(&mut client), [true]);

    let expected = Municipal::EXPECTED_SCHEMA;
    let spelled = canonicalize(&mut client, &expected.catalog(), "public").expect("spell");
    assert_eq!(stored_tables(&mut client), spelled.tables);
}

#[test]
fn a_repair_reads_the_stored_spelling_and_stores_nothing_new() {
    let (_db, mut client) = fresh();
    sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("cold sync");
    client
        .batch_execute(
            "ALTER TABLE properties ALTER COLUMN floors SET DEFAULT 2;
             DROP INDEX users_status_idx;",
        )
        .unwrap();
    let report = sync_with::<Municipal>(&mut client, &SyncOptions::development()).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_eq!(report.applied.len(), 2, "{report}");
    assert_eq!(stored(&mut client), [true, false]);
}

#[test]
fn without_a_stored_spelling_a_comparison_spells_and_stores_it() {
    let (_db, mut client) = fresh();
    sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("cold sync");
    client
        .batch_execute(
            "UPDATE schema_versions SET canonical = NULL, canonical_key = NULL;
             ALTER TABLE properties ALTER COLUMN floors SET DEFAULT 2;",
        )
        .unwrap();
    let report = sync_with::<Municipal>(&mut client, &SyncOptions::development()).unwrap();
    let kinds: Vec<ChangeKind> = report.applied.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::ColumnDefault], "{report}");
    assert_eq!(stored(&mut client), [false, true]);
}

#[test]
fn a_read_only_session_compares_from_the_stored_spelling() {
    let (_db, mut client) = fresh();
    sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("cold sync");
    client
        .batch_execute(
            "ALTER TABLE properties ALTER COLUMN floors SET DEFAULT 2;
             SET default_transaction_read_only = on;",
        )
        .unwrap();
    let options = SyncOptions::production();
    let report = verify_schema(
        &mut client,
        &Municipal::EXPECTED_SCHEMA,
        &Target::default(),
        &options,
    )
    .expect("verify in a read-only session");
    assert_eq!(report.outcome, Outcome::Drifted, "{report}");
    let kinds: Vec<ChangeKind> = report.pending.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::ColumnDefault], "{report}");

    // Without it, the comparison has to create temporary tables, which a read-only
    // session may not: the error says what to do.
    client
        .batch_execute(
            "BEGIN READ WRITE;
             UPDATE schema_versions SET canonical = NULL, canonical_key = NULL;
             COMMIT;",
        )
        .unwrap();
    let error = verify_schema(
        &mut client,
        &Municipal::EXPECTED_SCHEMA,
        &Target::default(),
        &options,
    )
    .expect_err("nothing to compare with");
    let message = error.to_string();
    assert!(message.contains("standby"), "{message}");
    assert!(message.contains("25006"), "{message}");
}

#[test]
fn a_different_session_setting_is_a_different_key() {
    let (_db, mut client) = fresh();
    sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("cold sync");
    client
        .batch_execute(
            "SET search_path = pg_catalog, public;
             ALTER TABLE properties ALTER COLUMN floors SET DEFAULT 2;",
        )
        .unwrap();
    let report = sync_with::<Municipal>(&mut client, &SyncOptions::development()).unwrap();
    assert_eq!(report.applied.len(), 1, "{report}");
    assert_eq!(
        stored(&mut client),
        [true, true],
        "spelled anew for this path"
    );
}
