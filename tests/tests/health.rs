//! The health report against a real PostgreSQL: healthy after a sync (through the fast
//! path, writing nothing), degraded on drift, unhealthy on a missing required table, a
//! dirty migration or an unreachable database; its JSON shape as insta snapshots.

mod common;

use postgres::Client;
use schema_core::health::{self, Status, check, check_url};
use schema_core::migrate::{self, Migrations};
use schema_core::{HealthReport, SchemaSet, SyncOptions, Target, schema_set, sync_with};
use serde_json::Value;

use common::accounts::{Account, AuditTrail, Note};
use common::fresh;

schema_set!(Shop = [Account, Note, AuditTrail]);

fn synced() -> (schema_core::testing::TestDatabase, Client) {
    let (db, mut client) = fresh();
    sync_with::<Shop>(&mut client, &SyncOptions::development()).expect("initial sync");
    (db, client)
}

fn history_rows(client: &mut Client) -> i64 {
    client
        .query_one("SELECT count(*) FROM schema_versions", &[])
        .unwrap()
        .get(0)
}

/// The report as JSON with what changes from run to run replaced by a placeholder.
fn redacted(report: &HealthReport) -> Value {
    let mut json = serde_json::to_value(report).expect("serializable");
    let mut set = |pointer: &str, placeholder: &str| {
        if let Some(value) = json.pointer_mut(pointer).filter(|v| !v.is_null()) {
            *value = Value::from(placeholder);
        }
    };
    for pointer in [
        "/duration_ms",
        "/database/round_trip_ms",
        "/database/server_version",
        "/fingerprint/expected",
        "/fingerprint/recorded",
    ] {
        set(pointer, "[redacted]");
    }
    let runs = report.history.len();
    for i in 0..runs {
        for field in ["id", "executed_at", "duration_ms"] {
            set(&format!("/history/{i}/{field}"), "[redacted]");
        }
    }
    json
}

#[test]
fn healthy_after_a_sync_through_the_fast_path_writing_nothing() {
    let (_db, mut client) = synced();
    let before = history_rows(&mut client);
    let report = health::health::<Shop>(&mut client, None);
    assert_eq!(report.status, Status::Healthy, "{report}");
    assert!(report.fast_path, "{report}");
    assert!(report.reasons.is_empty());
    assert_eq!(
        report.fingerprint.recorded.as_deref(),
        Some(report.fingerprint.expected.as_str())
    );
    assert_eq!(
        history_rows(&mut client),
        before,
        "a check writes no history"
    );
    insta::assert_json_snapshot!("healthy", redacted(&report));

    let text = report.to_string();
    assert!(text.starts_with("healthy: Shop in schema public"), "{text}");
    assert!(text.contains("database: reachable, PostgreSQL"), "{text}");
    assert!(text.contains("pending changes: none"), "{text}");
    assert!(text.contains("sync applied, "), "{text}");
}

#[test]
fn drift_and_a_missing_optional_table_degrade() {
    let (_db, mut client) = synced();
    client
        .batch_execute(
            "DROP INDEX notes_account_id_idx;
             DROP TABLE audit_trail;
             ALTER TABLE notes DROP CONSTRAINT notes_account_id_fkey;
             ALTER TABLE notes ADD CONSTRAINT notes_account_id_fkey FOREIGN KEY (account_id)
                 REFERENCES accounts (id) ON DELETE CASCADE NOT VALID;
             CREATE TABLE scratch (id int);",
        )
        .unwrap();
    let before = history_rows(&mut client);
    let report = health::health::<Shop>(&mut client, None);
    assert_eq!(report.status, Status::Degraded, "{report}");
    assert!(!report.fast_path);
    assert_eq!(report.tables.missing_optional, ["public.audit_trail"]);
    assert!(report.tables.missing_required.is_empty());
    assert_eq!(
        report.unvalidated_constraints,
        ["public.notes.notes_account_id_fkey"]
    );
    assert_eq!(report.unmanaged, 1, "the scratch table: {report}");
    assert_eq!(
        history_rows(&mut client),
        before,
        "a check writes no history"
    );
    insta::assert_json_snapshot!("degraded", redacted(&report));
    let text = report.to_string();
    assert!(text.starts_with("degraded: Shop"), "{text}");
    assert!(
        text.contains("missing optional tables: public.audit_trail"),
        "{text}"
    );
}

#[test]
fn a_missing_required_table_is_unhealthy() {
    let (_db, mut client) = fresh();
    let report = health::health::<Shop>(&mut client, None);
    assert_eq!(report.status, Status::Unhealthy, "{report}");
    assert_eq!(
        report.tables.missing_required,
        ["public.accounts", "public.notes"]
    );
    assert_eq!(
        report.reasons[0],
        "required table public.accounts is missing"
    );
    assert!(report.history.is_empty() && report.fingerprint.recorded.is_none());
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "a check creates nothing, not even the history");
}

#[test]
fn migrations_pending_degrade_and_a_dirty_one_is_unhealthy() {
    let (_db, mut client) = synced();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("001_a.sql"), "CREATE TABLE a (id int);").unwrap();
    std::fs::write(
        dir.path().join("002_index.sql"),
        "-- schema-core: no-transaction\nCREATE INDEX CONCURRENTLY a_idx ON missing (id);\n",
    )
    .unwrap();
    let migrations = Migrations::from_dir(dir.path()).unwrap();
    let target = Target::default();
    let options = SyncOptions::development();
    let expected = Shop::EXPECTED_SCHEMA;

    let report = check(&mut client, &expected, &target, Some(&migrations), &options);
    assert_eq!(report.status, Status::Degraded, "{report}");
    let m = report.migrations.as_ref().unwrap();
    assert_eq!((m.version, m.pending.as_slice()), (None, &[1, 2][..]));

    migrate::up(&mut client, &migrations, &target, &options).unwrap_err();
    let report = check(&mut client, &expected, &target, Some(&migrations), &options);
    assert_eq!(report.status, Status::Unhealthy, "{report}");
    let m = report.migrations.as_ref().unwrap();
    assert_eq!(
        (m.applied.as_slice(), m.dirty.as_slice()),
        (&[1][..], &[2][..])
    );
    assert!(
        report.reasons.contains(&"dirty migration(s): 2".to_owned()),
        "{report}"
    );
    assert_eq!(report.history[0].kind, "migration");
    assert!(report.to_string().contains("1 dirty"), "{report}");
}

#[test]
fn an_unreachable_database_is_unhealthy_and_no_password_shows() {
    let missing = tempfile::tempdir().unwrap();
    let url = format!(
        "host={} port=5432 user=app password=s3cret dbname=shop",
        missing.path().join("nowhere").display()
    );
    let report = check_url(
        &url,
        &Shop::EXPECTED_SCHEMA,
        &Target::default(),
        None,
        &SyncOptions::development(),
    );
    assert_eq!(report.status, Status::Unhealthy, "{report}");
    assert!(!report.database.reachable);
    assert!(
        report.reasons[0].starts_with("the database is unreachable: "),
        "{report}"
    );
    assert!(!report.to_json().contains("s3cret"), "{}", report.to_json());
    assert!(!report.to_string().contains("s3cret"), "{report}");
    let mut json = redacted(&report);
    json["error"] = Value::from("[connection error]");
    json["reasons"] = Value::from(vec!["the database is unreachable: [connection error]"]);
    insta::assert_json_snapshot!("unreachable", json);
    assert!(
        report.to_string().ends_with("database: unreachable\n"),
        "{report}"
    );
}
