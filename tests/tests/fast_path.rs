//! The fast path (a stored fingerprint and live digest) against a real PostgreSQL: it
//! proves only that nothing moved since the last full comparison, so whatever that
//! comparison left pending (review, destructive, unmanaged) is still reported by
//! `verify`, `diff`, `sync` and `is_up_to_date`, and an opt-in still acts on it.

mod common;

use std::process::ExitCode;

use common::accounts::Accounts;
use postgres::Client;
use schema_core::cli::{Cli, SchemaSetEntry, execute};
use schema_core::diff::{ChangeKind, Safety};
use schema_core::sync::verify_schema;
use schema_core::{
    Outcome, SchemaSet, SyncError, SyncOptions, SyncReport, Target, is_up_to_date, sync_with,
    verify,
};
use schema_defs::municipal::Municipal;

use common::{count, fresh};

/// The reproduction: a municipal database synced, rows in it, then drift of every class
/// made by hand, and a development sync that fixes the safe part (the index) and records
/// the fingerprint and digest.
fn drifted_then_synced() -> (schema_core::testing::TestDatabase, Client, SyncReport) {
    let (db, mut client) = fresh();
    sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("cold sync");
    client
        .batch_execute(
            "INSERT INTO tenants (slug, name, municipality_code) VALUES ('north', 'North', 'N1'), ('south', 'South', 'S1');
             ALTER TABLE tenants ALTER COLUMN name TYPE text;
             ALTER TABLE notifications ALTER COLUMN channel DROP NOT NULL;
             ALTER TABLE users ADD COLUMN legacy_code text;
             DROP INDEX meetings_scheduled_at_idx;",
        )
        .expect("drift");
    let report = sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("sync");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    let applied: Vec<ChangeKind> = report.applied.iter().map(|c| c.kind).collect();
    assert_eq!(applied, [ChangeKind::MissingIndex], "{report}");
    (db, client, report)
}

/// (kind, safety, object) of the pending changes and the unmanaged objects of a report.
fn found(report: &SyncReport) -> (Vec<(ChangeKind, Safety, String)>, Vec<String>) {
    let mut pending: Vec<_> = report
        .pending
        .iter()
        .map(|c| (c.kind, c.safety, c.object.clone()))
        .collect();
    pending.sort_by(|a, b| a.2.cmp(&b.2));
    let unmanaged = report.unmanaged.iter().map(|c| c.object.clone()).collect();
    (pending, unmanaged)
}

fn expected_pending() -> Vec<(ChangeKind, Safety, String)> {
    vec![
        (
            ChangeKind::ColumnNullability,
            Safety::Review,
            "public.notifications.channel".to_owned(),
        ),
        (
            ChangeKind::ColumnType,
            Safety::Destructive,
            "public.tenants.name".to_owned(),
        ),
    ]
}

#[test]
fn verify_reports_what_the_last_full_comparison_left_pending() {
    let (_db, mut client, _) = drifted_then_synced();
    for _ in 0..2 {
        let report = verify::<Municipal>(&mut client).expect("verify");
        assert_eq!(report.outcome, Outcome::Drifted, "{report}");
        assert!(report.fast_path, "the digest is the one the sync recorded");
        let (pending, unmanaged) = found(&report);
        assert_eq!(pending, expected_pending(), "{report}");
        assert_eq!(unmanaged, ["public.users.legacy_code"], "{report}");
    }
    assert!(!is_up_to_date::<Municipal>(&mut client).expect("is_up_to_date"));
}

#[test]
fn a_production_start_refuses_pending_drift_after_a_sync() {
    let (_db, mut client, _) = drifted_then_synced();
    let error = sync_with::<Municipal>(&mut client, &SyncOptions::production())
        .expect_err("production must refuse review and destructive drift");
    let SyncError::Refused { problems, .. } = &error else {
        panic!("expected a refusal, got {error}");
    };
    assert_eq!(problems.len(), 2, "{error}");
    assert!(error.to_string().contains("public.tenants.name"), "{error}");
}

#[test]
fn a_development_sync_keeps_reporting_what_it_may_not_apply() {
    let (_db, mut client, _) = drifted_then_synced();
    let report = sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("sync");
    assert_eq!(report.outcome, Outcome::Drifted, "{report}");
    assert!(report.applied.is_empty(), "{report}");
    assert_eq!(found(&report).0, expected_pending(), "{report}");
    assert_eq!(report.warnings.len(), 2, "{report}");
}

#[test]
fn an_opt_in_acts_on_drift_the_fast_path_would_otherwise_answer() {
    let (_db, mut client, _) = drifted_then_synced();
    let mut options = SyncOptions::development();
    options.allow_review = true;
    let report = sync_with::<Municipal>(&mut client, &options).expect("sync --allow-review");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    let applied: Vec<ChangeKind> = report.applied.iter().map(|c| c.kind).collect();
    assert_eq!(applied, [ChangeKind::ColumnNullability], "{report}");

    let after = verify::<Municipal>(&mut client).expect("verify");
    let (pending, unmanaged) = found(&after);
    assert_eq!(pending, expected_pending()[1..], "{after}");
    assert_eq!(unmanaged, ["public.users.legacy_code"], "{after}");
    assert_eq!(count(&mut client, "tenants"), 2, "no row lost");
}

fn cli(url: &str, args: &[&str]) -> (ExitCode, String) {
    let sets = [SchemaSetEntry::new("municipal", Municipal::EXPECTED_SCHEMA)];
    let argv = std::iter::once("app")
        .chain(args.iter().copied())
        .chain(["--database-url", url])
        .map(String::from)
        .collect();
    let cli = Cli::parse_from(&sets, argv).expect("valid arguments");
    let mut out = Vec::new();
    let code = execute(&cli, &mut out).expect("the command runs");
    (code, String::from_utf8(out).expect("UTF-8 output"))
}

#[test]
fn the_cli_reports_pending_drift_every_time() {
    let (db, _client, _) = drifted_then_synced();
    for _ in 0..2 {
        let (code, out) = cli(db.url(), &["verify"]);
        assert_eq!(code, ExitCode::FAILURE, "{out}");
        assert!(out.contains("public.tenants.name"), "{out}");

        let (code, out) = cli(db.url(), &["verify", "--production"]);
        assert_eq!(code, ExitCode::FAILURE, "{out}");

        let (code, out) = cli(db.url(), &["diff", "--json"]);
        assert_eq!(code, ExitCode::FAILURE, "{out}");
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let objects: Vec<&str> = json
            .as_array()
            .expect("an array")
            .iter()
            .map(|c| c["object"].as_str().expect("object"))
            .collect();
        assert!(objects.contains(&"public.tenants.name"), "{out}");
        assert!(objects.contains(&"public.notifications.channel"), "{out}");
        assert!(objects.contains(&"public.users.legacy_code"), "{out}");
    }
}

#[test]
fn unmanaged_objects_are_listed_through_the_fast_path_too() {
    let (_db, mut client) = fresh();
    sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("cold sync");
    client
        .batch_execute("CREATE TABLE scratch_notes (id int PRIMARY KEY)")
        .expect("an unmanaged table");
    let first = sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("sync");
    assert_eq!(first.outcome, Outcome::UpToDate, "{first}");
    let options = SyncOptions::development();
    let second = verify_schema(
        &mut client,
        &Municipal::EXPECTED_SCHEMA,
        &Target::default(),
        &options,
    )
    .expect("verify");
    assert!(second.fast_path, "{second}");
    assert_eq!(found(&second).1, ["public.scratch_notes"], "{second}");
}

#[test]
fn a_history_table_of_the_previous_shape_is_upgraded_by_the_next_sync() {
    let (_db, mut client) = fresh();
    sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("cold sync");
    // The shape an earlier version made: the digest called a signature, no cache columns.
    client
        .batch_execute(
            "ALTER TABLE schema_versions DROP COLUMN pending, DROP COLUMN canonical_key,
                 DROP COLUMN canonical;
             ALTER TABLE schema_versions RENAME COLUMN live_digest TO live_signature;
             DROP INDEX meetings_scheduled_at_idx;",
        )
        .unwrap();
    let report = sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("sync");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    let again = sync_with::<Municipal>(&mut client, &SyncOptions::development()).expect("again");
    assert!(
        again.fast_path && again.outcome == Outcome::UpToDate,
        "{again}"
    );
    let rows: i64 = client
        .query_one(
            "SELECT count(*) FROM schema_versions WHERE live_digest IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(rows, 2, "the old row kept its digest under the new name");
}

#[test]
fn drift_that_depends_on_rows_is_compared_in_full_without_a_row_per_start() {
    let (_db, mut client) = common::accounts::synced();
    client
        .batch_execute(
            "ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;
             INSERT INTO accounts (email, nickname) VALUES ('a@x', 'again');",
        )
        .unwrap();
    let history = |client: &mut Client| -> i64 {
        client
            .query_one("SELECT count(*) FROM schema_versions", &[])
            .unwrap()
            .get(0)
    };
    let first = sync_with::<Accounts>(&mut client, &SyncOptions::development()).expect("sync");
    assert_eq!(first.outcome, Outcome::Drifted, "{first}");
    let rows = history(&mut client);
    for _ in 0..3 {
        let again = sync_with::<Accounts>(&mut client, &SyncOptions::development()).unwrap();
        assert!(
            !again.fast_path,
            "duplicates may have been cleaned up: {again}"
        );
        assert_eq!(again.outcome, Outcome::Drifted, "{again}");
    }
    assert_eq!(history(&mut client), rows, "no row per start");

    // Once the duplicate is gone, the next start restores the key.
    client
        .batch_execute("DELETE FROM accounts WHERE nickname = 'again'")
        .unwrap();
    let fixed = sync_with::<Accounts>(&mut client, &SyncOptions::development()).unwrap();
    assert_eq!(fixed.outcome, Outcome::Applied, "{fixed}");
}

/// Drift in which two columns trade a property (one loses NOT NULL as the other gains
/// it): the digest must move even though the set of values in the catalog did not.
#[test]
fn two_objects_trading_a_property_are_still_seen() {
    let (_db, mut client) = fresh();
    sync_with::<Accounts>(&mut client, &SyncOptions::development()).expect("cold sync");
    assert!(verify::<Accounts>(&mut client).expect("verify").fast_path);
    client
        .batch_execute(
            "ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;
             ALTER TABLE accounts ALTER COLUMN nickname SET NOT NULL;",
        )
        .expect("drift");
    let report = verify::<Accounts>(&mut client).expect("verify");
    assert!(!report.fast_path, "the catalog changed: {report}");
    let mut seen: Vec<(ChangeKind, String)> = report
        .pending
        .iter()
        .chain(&report.unmanaged)
        .map(|c| (c.kind, c.object.clone()))
        .collect();
    seen.sort_by(|a, b| (&a.1, a.0 as u8).cmp(&(&b.1, b.0 as u8)));
    assert_eq!(
        seen,
        [
            (
                ChangeKind::ColumnNullability,
                "public.accounts.email".to_owned()
            ),
            (
                ChangeKind::ColumnNullability,
                "public.accounts.nickname".to_owned()
            ),
        ],
        "{report}"
    );
}
