//! The `tokio` feature against a real PostgreSQL: sync, verify, health and migrations
//! awaited on a single-threaded runtime that keeps running its other tasks meanwhile.

mod common;

use std::sync::mpsc;
use std::time::Duration;

use schema_core::connect::Settings;
use schema_core::health::{Status, check_url};
use schema_core::migrate::Migrations;
use schema_core::{Outcome, SchemaSet, SyncOptions, Target};

use common::accounts::Accounts;
use common::fresh;

/// One thread only: if a call blocked it, no other task could run until it returned.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
}

#[test]
fn a_sync_runs_while_the_runtime_keeps_ticking() {
    let (db, _client) = fresh();
    let config = Settings::from_url(db.url()).unwrap();
    runtime().block_on(async {
        // The sync's task waits, on its blocking thread, for three ticks of a timer
        // task on the runtime's one thread: it can only finish if the runtime is free.
        let (ticked, ticks) = mpsc::channel();
        let ticker = tokio::spawn(async move {
            let mut interval = tokio::time::interval(Duration::from_millis(5));
            for n in 1..=3 {
                interval.tick().await;
                let _ = ticked.send(n);
            }
        });
        let report = schema_core::tokio::run(config.clone(), move |client| {
            for _ in 0..3 {
                ticks
                    .recv_timeout(Duration::from_secs(60))
                    .expect("the timer task ticks while the database work runs");
            }
            schema_core::sync::sync_schema(
                client,
                &Accounts::EXPECTED_SCHEMA,
                &Target::default(),
                &SyncOptions::development(),
            )
        })
        .await
        .expect("the sync");
        assert_eq!(report.outcome, Outcome::Applied);
        ticker.await.unwrap();

        let verified = schema_core::tokio::verify_schema(
            config.clone(),
            Accounts::EXPECTED_SCHEMA,
            Target::default(),
            SyncOptions::development(),
        )
        .await
        .unwrap();
        assert!(verified.fast_path && verified.outcome == Outcome::UpToDate);
    });
}

#[test]
fn health_migrations_and_sync_awaited() {
    let (db, _client) = fresh();
    let config = Settings::from_url(db.url()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("001_log.sql"),
        "CREATE TABLE event_log (id int);",
    )
    .unwrap();
    let migrations = Migrations::from_dir(dir.path()).unwrap();
    runtime().block_on(async {
        let expected = Accounts::EXPECTED_SCHEMA;
        let before = schema_core::tokio::health(
            config.clone(),
            expected,
            Target::default(),
            Some(migrations.clone()),
            SyncOptions::development(),
        )
        .await;
        assert_eq!(before.status, Status::Unhealthy, "{before}");

        let started = schema_core::tokio::migrate_and_sync_schema(
            config.clone(),
            expected,
            migrations.clone(),
            Target::default(),
            SyncOptions::development(),
        )
        .await
        .unwrap();
        assert_eq!(started.migrations.versions(), [1]);
        let status = schema_core::tokio::migrate_status(
            config.clone(),
            migrations.clone(),
            Target::default(),
        )
        .await
        .unwrap();
        assert_eq!(status.version, Some(1));

        let after = schema_core::tokio::health(
            config.clone(),
            expected,
            Target::default(),
            Some(migrations),
            SyncOptions::development(),
        )
        .await;
        // event_log is not declared: unmanaged, which does not change the status.
        assert_eq!(after.status, Status::Healthy, "{after}");
    });
}

#[test]
fn a_connection_that_fails_is_an_unreachable_report() {
    let missing = tempfile::tempdir().unwrap();
    let config = Settings::from_url(&format!(
        "host={} user=app dbname=app",
        missing.path().display()
    ))
    .unwrap();
    let report = runtime().block_on(schema_core::tokio::health(
        config,
        Accounts::EXPECTED_SCHEMA,
        Target::default(),
        None,
        SyncOptions::development(),
    ));
    assert_eq!(report.status, Status::Unhealthy);
    assert!(!report.database.reachable, "{report}");
}

/// The wrappers and `health::check_url` connect through `connect::Settings`: libpq's
/// `sslmode=disable` is understood (the `postgres` crate's own parser knows only three
/// modes), and a failed connection names the server without the password.
#[test]
fn settings_apply_and_a_password_never_shows() {
    let (db, _client) = fresh();
    let separator = if db.url().contains('?') { '&' } else { '?' };
    let url = format!("{}{separator}sslmode=disable", db.url());
    let settings = Settings::from_url(&url).unwrap();
    let expected = Accounts::EXPECTED_SCHEMA;
    let report = runtime().block_on(schema_core::tokio::health(
        settings.clone(),
        expected,
        Target::default(),
        None,
        SyncOptions::development(),
    ));
    assert!(report.database.reachable, "{report}");
    let report = check_url(
        &url,
        &expected,
        &Target::default(),
        None,
        &SyncOptions::development(),
    );
    assert!(report.database.reachable, "{report}");

    let missing = tempfile::tempdir().unwrap();
    let url = format!(
        "host={} user=app password=s3cret-pw dbname=app sslmode=disable",
        missing.path().display()
    );
    let settings = Settings::from_url(&url).unwrap();
    let error = runtime()
        .block_on(schema_core::tokio::run(settings.clone(), |_client| {
            Ok::<_, std::convert::Infallible>(())
        }))
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("could not connect to app@"), "{error}");
    let unreachable = runtime().block_on(schema_core::tokio::health(
        settings,
        expected,
        Target::default(),
        None,
        SyncOptions::development(),
    ));
    let checked = check_url(
        &url,
        &expected,
        &Target::default(),
        None,
        &SyncOptions::development(),
    );
    for text in [
        error,
        unreachable.to_json(),
        unreachable.to_string(),
        checked.to_json(),
        checked.to_string(),
    ] {
        assert!(!text.contains("s3cret-pw"), "{text}");
    }
    assert!(!checked.database.reachable, "{checked}");
}
