//! [`up`] and [`up_to`]: apply pending migrations, oldest first, each in its own
//! transaction.

use std::time::{Duration, Instant};

use postgres::Client;

use crate::migrate::error::{MigrateError, MigrationId};
use crate::migrate::execute::{self, Failure, Run};
use crate::migrate::report::{Action, MigrateReport, Ran};
use crate::migrate::source::{Migration, Migrations};
use crate::migrate::status::{State, compare};
use crate::migrate::tracking::{self, APPLIED, DIRTY, NewRow};
use crate::sync::SyncOptions;
use crate::sync::history;
use crate::sync::history::{RunKind, RunOutcome};
use crate::target::Target;
use schema_migration_files::Direction;

/// Applies every pending migration.
///
/// Under the schema lock, it reads the tracking table and refuses to run, changing
/// nothing, when a migration is dirty, an applied migration has no file or a changed
/// file, or a pending file is older than the newest applied migration. Then each
/// pending migration runs in its own transaction (with the options' `lock_timeout` and
/// `statement_timeout`, and `search_path` set to the options' schema) together with its
/// tracking row and a history row. A failure rolls that migration back and stops; the
/// error's report lists the migrations applied before it.
///
/// A file whose first line is `-- schema-core: no-transaction` runs statement by
/// statement outside a transaction, with `lock_timeout` and no `statement_timeout`. Its
/// tracking row is written first as dirty and
/// marked applied at the end, so a failure, or a process that dies, leaves the
/// migration dirty for a person to look at (see [`repair`](crate::migrate::repair)).
pub fn up(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
) -> Result<MigrateReport, MigrateError> {
    run(client, migrations, target, options, None)
}

/// [`up`], stopping after the migration with version `version`.
pub fn up_to(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
    version: i64,
) -> Result<MigrateReport, MigrateError> {
    if migrations.get(version).is_none() {
        return Err(MigrateError::UnknownVersion {
            version,
            newest: migrations.latest_version(),
        });
    }
    run(client, migrations, target, options, Some(version))
}

fn run(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
    stop_at: Option<i64>,
) -> Result<MigrateReport, MigrateError> {
    execute::locked_run(client, target, options, Action::Up, |client, report| {
        apply_pending(client, migrations, target, options, stop_at, report)
    })
}

fn apply_pending(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
    stop_at: Option<i64>,
    report: &mut MigrateReport,
) -> Result<(), MigrateError> {
    let schema = target.schema();
    let rows =
        tracking::read(client, schema).map_err(MigrateError::db("reading the tracking table"))?;
    let status = compare(schema, migrations, &rows);
    status.refuse_problems()?;
    report.version = status.version;
    let pending: Vec<&Migration> = status
        .migrations
        .iter()
        .filter(|m| m.state == State::Pending && stop_at.is_none_or(|t| m.version <= t))
        .filter_map(|m| migrations.get(m.version))
        .collect();
    // Nothing to record: a start-up with every migration applied sends no DDL.
    if pending.is_empty() {
        return Ok(());
    }
    tracking::ensure(client, schema).map_err(MigrateError::db("creating the tracking table"))?;
    history::ensure(client, schema).map_err(MigrateError::db("creating the history table"))?;
    for migration in pending {
        let duration = apply_one(client, migration, target, options)
            .map_err(|failure| failure.into_error(id(migration), Direction::Up, report))?;
        report.migrations.push(Ran {
            version: migration.version,
            name: migration.name.to_string(),
            duration_ms: duration.as_millis() as u64,
            transactional: migration.transactional(),
            note: None,
        });
        report.version = Some(migration.version);
    }
    Ok(())
}

/// Applies one migration and records it (or its failure).
fn apply_one(
    client: &mut Client,
    m: &Migration,
    target: &Target,
    options: &SyncOptions,
) -> Result<Duration, Failure> {
    let schema = target.schema();
    let notes = format!("up {}", m.label());
    let unfinished = tracking::unfinished(Direction::Up);
    let outside_notes = format!("{notes} (no transaction)");
    let row = |state, time: Duration, error| NewRow {
        version: m.version,
        description: &m.name,
        checksum: &m.checksum,
        execution_time_ms: time.as_millis() as i64,
        down_sql: m.down.as_deref(),
        state,
        error,
    };
    let history_run = |outcome, duration, notes| Run {
        kind: RunKind::Migration,
        fingerprint: &m.checksum,
        sql: &m.up,
        duration,
        outcome,
        notes,
    };
    let start = Instant::now();
    if m.transactional() {
        let result = execute::in_transaction(client, target, options, &m.up, |tx, elapsed| {
            tracking::insert(tx, schema, &row(APPLIED, elapsed, None))?;
            execute::record_history(
                tx,
                target,
                options,
                &history_run(RunOutcome::Applied, elapsed, &notes),
            )
        });
        if let Err(failure) = &result {
            let notes = format!("{notes} {}; rolled back", failure.describe());
            execute::record_failure(
                client,
                target,
                options,
                &history_run(RunOutcome::Failed, start.elapsed(), &notes),
            );
        }
        return result;
    }

    let started = |client: &mut Client| {
        tracking::insert(
            client,
            schema,
            &row(DIRTY, Duration::ZERO, Some(&unfinished)),
        )
    };
    let result =
        execute::outside_transaction(client, target, options, &m.up, started).and_then(|elapsed| {
            // The row and its history commit together: an applied row always has its
            // history row, and a failure here leaves the row dirty, as it is.
            execute::in_own_transaction(client, |tx| {
                tracking::finish(tx, schema, m.version, elapsed.as_millis() as i64)?;
                let run = history_run(RunOutcome::Applied, elapsed, &outside_notes);
                execute::record_history(tx, target, options, &run)
            })
            .map(|()| elapsed)
            .map_err(Failure::unrecorded)
        });
    if let Err(failure) = &result {
        let what = execute::note_failure(client, target, m.version, Direction::Up, failure);
        let notes = format!("{outside_notes} {what}");
        execute::record_failure(
            client,
            target,
            options,
            &history_run(RunOutcome::Failed, start.elapsed(), &notes),
        );
    }
    result
}

pub(crate) fn id(m: &Migration) -> MigrationId {
    MigrationId {
        version: m.version,
        name: m.name.to_string(),
        file: Some(m.file.to_string()),
    }
}
