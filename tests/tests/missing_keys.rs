//! A unique constraint or primary key missing from a table with rows: checked for
//! duplicates, restored without blocking writers when there are none, left for review
//! with the duplicates named when there are.

mod common;

use postgres::Client;
use schema_core::diff::{ChangeKind, Safety};
use schema_core::{Outcome, SyncOptions, SyncReport, sync_with, verify};

use common::accounts::{Accounts, synced};
use common::count;

/// The single change a dry run finds, asserted to be of `kind` and `safety`.
fn only_change(client: &mut Client, kind: ChangeKind, safety: Safety) -> SyncReport {
    let report = sync_with::<Accounts>(client, &SyncOptions::development().dry_run()).unwrap();
    let kinds: Vec<_> = report.pending.iter().map(|c| (c.kind, c.safety)).collect();
    assert_eq!(kinds, [(kind, safety)], "{report}");
    report
}

/// The type (`u`, `p`) of the constraint called `name`, if there is one.
fn constraint_type(client: &mut Client, name: &str) -> Option<String> {
    client
        .query_opt(
            "SELECT contype::text FROM pg_constraint WHERE conname = $1",
            &[&name],
        )
        .unwrap()
        .map(|row| row.get(0))
}

fn relation_exists(client: &mut Client, name: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&name])
        .unwrap()
        .get(0)
}

/// Drops the key `name` with `drop`, expects a safe change of `kind` with the given
/// statements, syncs in development mode and checks the key is back under its name.
fn restored(drop: &str, kind: ChangeKind, name: &str, contype: &str, statements: &[&str]) {
    let (_db, mut client) = synced();
    client.batch_execute(drop).unwrap();
    let plan = only_change(&mut client, kind, Safety::Safe);
    assert_eq!(plan.statements(), statements, "{plan}");

    let report = sync_with::<Accounts>(&mut client, &SyncOptions::development()).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert!(report.warnings.is_empty(), "{report}");
    assert_eq!(constraint_type(&mut client, name).as_deref(), Some(contype));
    let after = verify::<Accounts>(&mut client).unwrap();
    assert_eq!(after.outcome, Outcome::UpToDate, "{after}");
    assert!(after.unmanaged.is_empty(), "{after}");
    assert_eq!(count(&mut client, "accounts"), 3);
    assert_eq!(count(&mut client, "notes"), 2);
}

#[test]
fn a_dropped_unique_on_a_table_with_rows_is_restored_concurrently() {
    restored(
        "ALTER TABLE accounts DROP CONSTRAINT accounts_email_key",
        ChangeKind::MissingUnique,
        "accounts_email_key",
        "u",
        &[
            "CREATE UNIQUE INDEX CONCURRENTLY \"accounts_email_key\" ON \"public\".\"accounts\" (\"email\")",
            "ALTER TABLE \"public\".\"accounts\" ADD CONSTRAINT \"accounts_email_key\" UNIQUE USING INDEX \"accounts_email_key\"",
        ],
    );
}

#[test]
fn a_dropped_primary_key_on_a_table_with_rows_is_restored_concurrently() {
    restored(
        "ALTER TABLE notes DROP CONSTRAINT notes_pkey",
        ChangeKind::MissingPrimaryKey,
        "notes_pkey",
        "p",
        &[
            "CREATE UNIQUE INDEX CONCURRENTLY \"notes_pkey\" ON \"public\".\"notes\" (\"id\")",
            "ALTER TABLE \"public\".\"notes\" ADD CONSTRAINT \"notes_pkey\" PRIMARY KEY USING INDEX \"notes_pkey\"",
        ],
    );
}

/// Drops a key, makes duplicates with `sql`, and checks that a development sync leaves
/// the key pending review with `counted` in its detail, builds no index, and that the
/// opt-in then fails on the duplicates as the detail said.
fn left_for_review(drop_and_duplicate: &str, kind: ChangeKind, name: &str, counted: &[&str]) {
    let (_db, mut client) = synced();
    client.batch_execute(drop_and_duplicate).unwrap();
    only_change(&mut client, kind, Safety::Review);

    let report = sync_with::<Accounts>(&mut client, &SyncOptions::development()).unwrap();
    assert_eq!(report.outcome, Outcome::Drifted, "{report}");
    assert!(report.applied.is_empty(), "{report}");
    let detail = &report.pending[0].detail;
    for words in counted {
        assert!(detail.contains(words), "`{words}` not in: {detail}");
    }
    assert!(constraint_type(&mut client, name).is_none());
    assert!(!relation_exists(&mut client, name), "no index was built");

    let mut options = SyncOptions::development();
    options.allow_review = true;
    let err = sync_with::<Accounts>(&mut client, &options)
        .expect_err("the duplicates stop the key")
        .to_string();
    assert!(err.contains("23505"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert!(constraint_type(&mut client, name).is_none());
}

#[test]
fn a_unique_with_duplicates_stays_pending_review_with_the_count() {
    left_for_review(
        "ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;
         INSERT INTO accounts (email) VALUES ('a@x'), ('b@x'), ('b@x');",
        ChangeKind::MissingUnique,
        "accounts_email_key",
        &["2 duplicate keys", "a@x", "b@x"],
    );
}

#[test]
fn a_primary_key_with_duplicates_stays_pending_review_with_the_count() {
    left_for_review(
        "ALTER TABLE notes DROP CONSTRAINT notes_pkey;
         INSERT INTO notes (id, account_id, body) VALUES (1, 3, 'again');",
        ChangeKind::MissingPrimaryKey,
        "notes_pkey",
        &["1 duplicate key", "such as 1"],
    );
}

#[test]
fn a_takeover_that_runs_out_of_lock_timeout_leaves_a_warning_and_no_index() {
    let (db, mut client) = synced();
    client
        .batch_execute("ALTER TABLE accounts DROP CONSTRAINT accounts_email_key")
        .unwrap();
    // A reader in an open transaction: the concurrent build does not wait for it, the
    // takeover (an exclusive lock) does.
    let mut reader = db.connect().unwrap();
    let (started, has_started) = std::sync::mpsc::channel::<()>();
    let holding = std::thread::spawn(move || {
        let mut tx = reader.transaction().unwrap();
        tx.batch_execute("SELECT count(*) FROM accounts").unwrap();
        started.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_secs(8));
        tx.rollback().unwrap();
    });
    has_started.recv().unwrap();

    let mut options = SyncOptions::development();
    options.lock_timeout = std::time::Duration::from_millis(200);
    let report = sync_with::<Accounts>(&mut client, &options).unwrap();
    holding.join().unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("USING INDEX") && w.contains("the next sync retries it")),
        "{report}"
    );
    assert!(constraint_type(&mut client, "accounts_email_key").is_none());
    assert!(
        !relation_exists(&mut client, "accounts_email_key"),
        "no index is left"
    );

    // Nothing in the way: the next sync adds it.
    only_change(&mut client, ChangeKind::MissingUnique, Safety::Safe);
    sync_with::<Accounts>(&mut client, &SyncOptions::development()).unwrap();
    assert_eq!(
        constraint_type(&mut client, "accounts_email_key").as_deref(),
        Some("u")
    );
}
