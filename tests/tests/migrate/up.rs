//! `up` and `up_to`: what they apply, the settings they run with, what they refuse, and a failure that rolls back.

use std::fs;
use std::time::Duration;

use postgres::Client;
use schema_core::SyncOptions;
use schema_core::Target;
use schema_core::migrate::{self, MigrateError, State};

use crate::common::fresh;
use crate::fixtures::{
    BASIC, exists, folder, from_dir, history, options, states, status, tracked, write,
};

#[test]
fn a_start_with_nothing_to_apply_creates_nothing() {
    let (_db, mut client) = fresh();
    let none = from_dir(folder(&[]).path());
    let report = migrate::up(&mut client, &none, &Target::default(), &options()).expect("up");
    assert!(report.migrations.is_empty());
    assert!(!exists(&mut client, "schema_migrations"));
    assert!(!exists(&mut client, "schema_versions"));
}

#[test]
fn up_to_and_down_to_name_versions_that_exist() {
    let (_db, mut client) = fresh();
    let o = options();
    let err = migrate::up_to(&mut client, &BASIC, &Target::default(), &o, 30).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no migration has version 30 (the newest is 4)"
    );
    migrate::up_to(&mut client, &BASIC, &Target::default(), &o, 3).expect("up to 3");
    let err = migrate::down_to(&mut client, &BASIC, &Target::default(), &o, 7).unwrap_err();
    assert!(matches!(
        err,
        MigrateError::UnknownVersion { version: 7, .. }
    ));
    let report =
        migrate::down_to(&mut client, &BASIC, &Target::default(), &o, 1).expect("down to 1");
    assert_eq!(report.versions(), [3, 2]);
    assert_eq!(report.version, Some(1));
}

#[test]
fn an_out_of_order_file_is_refused() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = folder(&[
        ("001_a.sql", "CREATE TABLE a (id int);"),
        ("003_c.sql", "CREATE TABLE c (id int);"),
    ]);
    migrate::up(&mut client, &from_dir(dir.path()), &Target::default(), &o).expect("up");
    // A branch merged late adds a migration numbered below the newest applied one.
    write(dir.path(), "002_b.sql", "CREATE TABLE b (id int);");
    let merged = from_dir(dir.path());

    let err = migrate::up(&mut client, &merged, &Target::default(), &o).unwrap_err();
    assert!(
        matches!(&err, MigrateError::OutOfOrder { pending, newest_applied }
        if pending[0].version == 2 && newest_applied.version == 3)
    );
    assert_eq!(
        err.to_string(),
        format!(
            "`{}` is pending but older than the newest applied migration 3 (c); renumber it \
             above 3 (`migrate create` picks the next free number) so that it runs after it. \
             Nothing was changed",
            dir.path().join("002_b.sql").display()
        )
    );
    assert!(!exists(&mut client, "b"));
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (3, "applied".into())]
    );
    assert_eq!(
        status(&mut client, &merged).in_state(State::OutOfOrder),
        [2]
    );

    fs::rename(dir.path().join("002_b.sql"), dir.path().join("004_b.sql")).expect("renumber");
    let renumbered = from_dir(dir.path());
    assert_eq!(
        migrate::up(&mut client, &renumbered, &Target::default(), &o)
            .expect("up")
            .versions(),
        [4]
    );
}

#[test]
fn a_failing_migration_rolls_back_and_the_tracking_table_stays_truthful() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = folder(&[
        ("001_a.sql", "CREATE TABLE a (id int);"),
        (
            "002_b.sql",
            "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nSELECT missing FROM b;\n",
        ),
        ("003_c.sql", "CREATE TABLE c (id int);"),
    ]);
    let set = from_dir(dir.path());
    let err = migrate::up(&mut client, &set, &Target::default(), &o).unwrap_err();
    let MigrateError::Failed {
        migration,
        location,
        dirty,
        report,
        ..
    } = &err
    else {
        panic!("expected Failed, got {err}");
    };
    assert_eq!(
        (migration.version, location.as_deref(), *dirty),
        (2, Some("line 3"), false)
    );
    assert_eq!(report.versions(), [1]);
    assert_eq!(err.report().map(|r| r.versions()), Some(vec![1]));
    let text = err.to_string();
    assert!(
        text.starts_with("up migration 2 (b) failed at line 3: ERROR 42703: column \"missing\""),
        "{text}"
    );
    assert!(
        text.ends_with(
            "it was rolled back; fix it and run the command again (this run already applied 1)"
        ),
        "{text}"
    );

    assert!(exists(&mut client, "a"));
    assert!(!exists(&mut client, "b") && !exists(&mut client, "c"));
    assert_eq!(tracked(&mut client), [(1, "applied".into())]);
    assert_eq!(
        states(&status(&mut client, &set)),
        [
            (1, State::Applied),
            (2, State::Pending),
            (3, State::Pending)
        ]
    );
    let (outcome, notes) = history(&mut client, "migration").pop().expect("a row");
    assert_eq!(outcome, "failed");
    assert!(
        notes.starts_with("up 2 (b) failed at line 3: ERROR 42703"),
        "{notes}"
    );
}

#[test]
fn a_no_transaction_file_keeps_lock_timeout_and_has_no_statement_timeout() {
    let (_db, mut client) = fresh();
    let o = SyncOptions {
        lock_timeout: Duration::from_millis(1234),
        statement_timeout: Duration::from_millis(200),
        ..options()
    };
    let settings = "SELECT current_setting('lock_timeout') AS lock_timeout, \
                    current_setting('statement_timeout') AS statement_timeout, \
                    current_setting('search_path') AS search_path";
    let dir = folder(&[
        (
            "001_in_a_transaction.sql",
            &format!("CREATE TABLE in_tx AS {settings};"),
        ),
        (
            "002_outside.sql",
            &format!(
                "-- schema-core: no-transaction\n\
                 CREATE TABLE outside AS {settings};\n\
                 -- Longer than the statement_timeout of the options.\n\
                 SELECT pg_sleep(0.4);\n"
            ),
        ),
        ("003_slow.sql", "SELECT pg_sleep(0.4);"),
    ]);
    client
        .batch_execute("SET statement_timeout = '42s'; SET lock_timeout = '7s'")
        .expect("session settings");
    let set = from_dir(dir.path());
    let err = migrate::up(&mut client, &set, &Target::default(), &o).unwrap_err();
    let read = |client: &mut Client, table: &str| -> (String, String, String) {
        let row = client
            .query_one(
                &format!("SELECT lock_timeout, statement_timeout, search_path FROM {table}"),
                &[],
            )
            .expect("the recorded settings");
        (row.get(0), row.get(1), row.get(2))
    };
    assert_eq!(
        read(&mut client, "in_tx"),
        ("1234ms".into(), "200ms".into(), "\"public\"".into())
    );
    assert_eq!(
        read(&mut client, "outside"),
        ("1234ms".into(), "0".into(), "\"public\"".into())
    );
    // In a transaction, the statement_timeout still applies.
    let MigrateError::Failed {
        migration, source, ..
    } = &err
    else {
        panic!("expected Failed, got {err}");
    };
    assert_eq!(
        (migration.version, source.code()),
        (3, Some("57014")),
        "{err}"
    );
    // The session's own settings are back.
    let session: (String, String) = client
        .query_one(
            "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')",
            &[],
        )
        .map(|row| (row.get(0), row.get(1)))
        .expect("the session settings");
    assert_eq!(session, ("42s".into(), "7s".into()));
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (2, "applied".into())]
    );
}
