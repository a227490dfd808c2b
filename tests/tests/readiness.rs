//! The start-up handle against a real PostgreSQL: it waits for a database that is not
//! there yet, moves through its states in order, and fails with the reason.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::Duration;

use postgres::{Client, NoTls};
use schema_core::health::{Readiness, RetryPolicy, Startup};
use schema_core::migrate::Migrations;
use schema_core::{SchemaSet, SyncOptions, Target};

use common::accounts::Accounts;
use common::{catalog_lines, fresh};

/// Generous: the bound only stops a hung test.
const WAIT: Duration = Duration::from_secs(120);

fn quick_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        attempts,
        initial_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(400),
    }
}

/// Every distinct state `startup` shows until it settles, read from another thread.
fn observe(startup: &Startup) -> thread::JoinHandle<Vec<Readiness>> {
    let startup = startup.clone();
    thread::spawn(move || {
        let mut seen = vec![Readiness::Starting];
        loop {
            let state = startup.state();
            if seen.last() != Some(&state) {
                seen.push(state.clone());
            }
            if state.is_settled() {
                return seen;
            }
            thread::sleep(Duration::from_millis(1));
        }
    })
}

#[test]
fn waits_for_a_database_created_later_then_migrates_syncs_and_is_ready() {
    let (db, _client) = fresh();
    let name = format!("{}_later", db.name());
    let url = db.url().replace(db.name(), &name);
    let migrations_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        migrations_dir.path().join("001_log.sql"),
        "CREATE TABLE event_log (id int);",
    )
    .unwrap();
    let migrations = Migrations::from_dir(migrations_dir.path()).unwrap();

    let attempts = Arc::new(AtomicU32::new(0));
    let counted = attempts.clone();
    let connect_url = url.clone();
    let startup = Startup::spawn(
        move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Client::connect(&connect_url, NoTls)
        },
        Accounts::EXPECTED_SCHEMA,
        Target::default(),
        Some(migrations),
        SyncOptions::development(),
        quick_retry(200),
    );
    let observer = observe(&startup);
    // The database appears once the start-up has failed to connect at least once.
    while attempts.load(Ordering::SeqCst) < 2 {
        assert_eq!(startup.state(), Readiness::Starting);
        thread::sleep(Duration::from_millis(10));
    }
    schema_core::database::ensure_database(&url).expect("create the database");

    assert_eq!(startup.wait(WAIT), Readiness::Ready);
    let seen = observer.join().unwrap();
    let order = [
        Readiness::Starting,
        Readiness::Migrating,
        Readiness::Syncing,
        Readiness::Ready,
    ];
    let positions: Vec<usize> = seen
        .iter()
        .map(|s| order.iter().position(|o| o == s).expect("a known state"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert!(attempts.load(Ordering::SeqCst) >= 3);

    let report = startup.report().expect("a report once ready");
    assert_eq!(report.migrations.versions(), [1]);
    let mut client = Client::connect(&url, NoTls).unwrap();
    let lines = catalog_lines(&mut client, "public");
    assert!(lines.iter().any(|l| l.starts_with("column accounts.email")));
    assert!(lines.iter().any(|l| l.starts_with("column event_log.id")));
    drop(client);
    let mut admin = db.connect().unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .unwrap();
}

#[test]
fn production_with_a_missing_required_table_fails_with_the_reason() {
    let (db, mut client) = fresh();
    let url = db.url().to_owned();
    let startup = Startup::spawn(
        move || Client::connect(&url, NoTls),
        Accounts::EXPECTED_SCHEMA,
        Target::default(),
        None,
        SyncOptions::production(),
        RetryPolicy::none(),
    );
    let Readiness::Failed { reason } = startup.wait(WAIT) else {
        panic!("expected failed, got {}", startup.state());
    };
    assert!(
        reason.contains("required table public.accounts is missing"),
        "{reason}"
    );
    assert!(startup.report().is_none());
    assert!(catalog_lines(&mut client, "public").is_empty());
}

#[test]
fn a_database_that_never_comes_fails_after_the_attempts() {
    let attempts = Arc::new(AtomicU32::new(0));
    let counted = attempts.clone();
    let missing = tempfile::tempdir().unwrap();
    let url = format!("host={} user=app dbname=app", missing.path().display());
    let startup = Startup::spawn(
        move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Client::connect(&url, NoTls)
        },
        Accounts::EXPECTED_SCHEMA,
        Target::default(),
        None,
        SyncOptions::development(),
        quick_retry(3),
    );
    let state = startup.wait(WAIT);
    let Readiness::Failed { reason } = &state else {
        panic!("expected failed, got {state}");
    };
    assert!(
        reason.starts_with("could not connect to the database in 3 attempt(s): "),
        "{reason}"
    );
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
    assert_eq!(
        serde_json::to_value(&state).unwrap()["state"],
        "failed",
        "the JSON form a readiness endpoint returns"
    );
}
