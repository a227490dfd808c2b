//! Async callers (feature `tokio`): the blocking API on tokio's blocking pool.
//!
//! Everything in this crate talks to PostgreSQL through the synchronous `postgres`
//! crate. A tokio service must not call it on a runtime thread: each call blocks the
//! thread for the whole round trip (an introspection, a migration that builds an
//! index for minutes), stalling every task scheduled there, and `postgres` refuses to
//! run inside a runtime at all. These functions run the same code under
//! [`spawn_blocking`](::tokio::task::spawn_blocking), on a connection of their own
//! made from [`Settings`] (a URL, or libpq's `PG*` variables; `sslmode` applies), so
//! the caller only awaits. One implementation of the
//! policy stays the only one: no second, async copy of introspection, apply, locking
//! and migrations to keep in step.

use ::tokio::task::{JoinError, spawn_blocking};
use postgres::Client;

use crate::connect::Settings;

use crate::expected::ExpectedSchema;
use crate::health::HealthReport;
use crate::migrate::{MigrateError, Migrations, StartupReport, Status};
use crate::sync::{SyncError, SyncOptions, SyncReport};
use crate::target::Target;

/// Why a call on the blocking pool did not return the operation's result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TaskError<E> {
    /// The connection failed; the message names the server, never the password.
    #[error(transparent)]
    Connect(crate::connect::Error),
    /// The operation ran and failed.
    #[error(transparent)]
    Run(E),
    /// The blocking task panicked, or the runtime shut down before it finished.
    #[error("the database task did not finish: {0}")]
    Join(JoinError),
}

/// Connects with `settings` and runs `work` on the blocking pool: the building block of
/// the functions below, for any other call of this crate's API.
pub async fn run<T, E, F>(settings: Settings, work: F) -> Result<T, TaskError<E>>
where
    F: FnOnce(&mut Client) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    spawn_blocking(move || {
        let mut client = settings.connect().map_err(TaskError::Connect)?;
        work(&mut client).map_err(TaskError::Run)
    })
    .await
    .map_err(TaskError::Join)?
}

/// [`crate::sync::sync_schema`], awaited.
pub async fn sync_schema(
    settings: Settings,
    expected: ExpectedSchema,
    target: Target,
    options: SyncOptions,
) -> Result<SyncReport, TaskError<SyncError>> {
    run(settings, move |client| {
        crate::sync::sync_schema(client, &expected, &target, &options)
    })
    .await
}

/// [`crate::sync::verify_schema`], awaited.
pub async fn verify_schema(
    settings: Settings,
    expected: ExpectedSchema,
    target: Target,
    options: SyncOptions,
) -> Result<SyncReport, TaskError<SyncError>> {
    run(settings, move |client| {
        crate::sync::verify_schema(client, &expected, &target, &options)
    })
    .await
}

/// [`crate::migrate::migrate_and_sync_schema`], awaited.
pub async fn migrate_and_sync_schema(
    settings: Settings,
    expected: ExpectedSchema,
    migrations: Migrations,
    target: Target,
    options: SyncOptions,
) -> Result<StartupReport, TaskError<MigrateError>> {
    run(settings, move |client| {
        crate::migrate::migrate_and_sync_schema(client, &expected, &migrations, &target, &options)
    })
    .await
}

/// [`crate::migrate::status`], awaited.
pub async fn migrate_status(
    settings: Settings,
    migrations: Migrations,
    target: Target,
) -> Result<Status, TaskError<MigrateError>> {
    run(settings, move |client| {
        crate::migrate::status(client, &migrations, &target)
    })
    .await
}

/// [`crate::health::check`], awaited. Like the blocking check it always has an
/// answer: a connection that fails, or a task that does not finish, is an unhealthy
/// report.
pub async fn health(
    settings: Settings,
    expected: ExpectedSchema,
    target: Target,
    migrations: Option<Migrations>,
    options: SyncOptions,
) -> HealthReport {
    let (for_error, target_for_error) = (expected, target.clone());
    let checked = run(settings, move |client| {
        Ok::<_, std::convert::Infallible>(crate::health::check(
            client,
            &expected,
            &target,
            migrations.as_ref(),
            &options,
        ))
    })
    .await;
    match checked {
        Ok(report) => report,
        Err(TaskError::Connect(e)) => crate::health::unreachable(&for_error, &target_for_error, e),
        Err(TaskError::Join(e)) => crate::health::unreachable(&for_error, &target_for_error, e),
        Err(TaskError::Run(never)) => match never {},
    }
}
