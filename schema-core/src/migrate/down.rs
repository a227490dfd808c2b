//! [`down`] and [`down_to`]: revert applied migrations, newest first, each in its own
//! transaction.

use std::time::{Duration, Instant};

use postgres::Client;
use schema_migration_files::is_transactional;

use crate::migrate::error::MigrateError;
use crate::migrate::execute::{self, Failure, Run};
use crate::migrate::report::{Action, MigrateReport, Ran};
use crate::migrate::source::Migrations;
use crate::migrate::status::{MigrationStatus, State, compare};
use crate::migrate::tracking::{self, Row};
use crate::sync::SyncOptions;
use crate::sync::history;
use crate::sync::history::{RunKind, RunOutcome};
use crate::target::Target;
use schema_migration_files::Direction;

/// Reverts the newest applied migration.
///
/// The down SQL is the migration's down file, or, when the file is gone (a build older
/// than the database), the down SQL recorded when it ran. Nothing is changed when a
/// migration is dirty, when the migration's up file changed since it ran (its down
/// file may no longer match), or when it has no down SQL at all.
pub fn down(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
) -> Result<MigrateReport, MigrateError> {
    run(client, migrations, target, options, None)
}

/// Reverts every applied migration newer than `version`, newest first; `0` reverts
/// them all. Every one of them is checked before the first runs.
pub fn down_to(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
    version: i64,
) -> Result<MigrateReport, MigrateError> {
    run(client, migrations, target, options, Some(version))
}

fn run(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
    stop_at: Option<i64>,
) -> Result<MigrateReport, MigrateError> {
    execute::locked_run(client, target, options, Action::Down, |client, report| {
        revert(client, migrations, target, options, stop_at, report)
    })
}

/// A migration to revert and the SQL that reverts it.
struct Revert<'a> {
    status: &'a MigrationStatus,
    row: &'a Row,
    sql: String,
}

fn revert(
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
    report.version = status.version;
    status.refuse_dirty()?;
    if let Some(version) = stop_at {
        let known = version == 0 || status.migrations.iter().any(|m| m.version == version);
        if !known {
            return Err(MigrateError::UnknownVersion {
                version,
                newest: migrations.latest_version(),
            });
        }
    }
    let applied = status
        .migrations
        .iter()
        .rev()
        .filter(|m| m.state.is_applied());
    let chosen: Vec<&MigrationStatus> = match stop_at {
        Some(version) => applied.take_while(|m| m.version > version).collect(),
        None => applied.take(1).collect(),
    };
    let modified: Vec<_> = chosen
        .iter()
        .filter(|m| m.state == State::Modified)
        .map(|m| m.id())
        .collect();
    if !modified.is_empty() {
        return Err(MigrateError::Modified {
            migrations: modified,
        });
    }
    let mut plan = Vec::new();
    for m in chosen {
        let row = rows.iter().find(|r| r.version == m.version);
        let file_down = migrations
            .get(m.version)
            .and_then(|f| f.down.as_deref().map(str::to_owned));
        let sql = file_down.or_else(|| row.and_then(|r| r.down_sql.clone()));
        match (row, sql) {
            (Some(row), Some(sql)) => plan.push(Revert {
                status: m,
                row,
                sql,
            }),
            _ => return Err(MigrateError::NoDownSql { migration: m.id() }),
        }
    }
    if plan.is_empty() {
        return Ok(());
    }
    history::ensure(client, schema).map_err(MigrateError::db("creating the history table"))?;
    for step in plan {
        let transactional = is_transactional(&step.sql);
        let duration = revert_one(client, target, options, &step, transactional)
            .map_err(|failure| failure.into_error(step.status.id(), Direction::Down, report))?;
        report.migrations.push(Ran {
            version: step.status.version,
            name: step.status.name.clone(),
            duration_ms: duration.as_millis() as u64,
            transactional,
            note: None,
        });
        report.version = status
            .migrations
            .iter()
            .filter(|m| m.state.is_applied() && m.version < step.status.version)
            .map(|m| m.version)
            .max();
    }
    Ok(())
}

fn revert_one(
    client: &mut Client,
    target: &Target,
    options: &SyncOptions,
    step: &Revert,
    transactional: bool,
) -> Result<Duration, Failure> {
    let schema = target.schema();
    let version = step.status.version;
    let notes = format!("down {version} ({})", step.status.name);
    let outside_notes = format!("{notes} (no transaction)");
    let history_run = |outcome, duration, notes| Run {
        kind: RunKind::Migration,
        fingerprint: &step.row.checksum,
        sql: &step.sql,
        duration,
        outcome,
        notes,
    };
    let start = Instant::now();
    if transactional {
        let result = execute::in_transaction(client, target, options, &step.sql, |tx, elapsed| {
            tracking::delete(tx, schema, version)?;
            execute::record_history(
                tx,
                target,
                options,
                &history_run(RunOutcome::Reverted, elapsed, &notes),
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
        tracking::mark_dirty(
            client,
            schema,
            version,
            &tracking::unfinished(Direction::Down),
        )
    };
    let result = execute::outside_transaction(client, target, options, &step.sql, started)
        .and_then(|elapsed| {
            // The row goes with its history row: a failure here leaves the row dirty.
            execute::in_own_transaction(client, |tx| {
                tracking::delete(tx, schema, version)?;
                let run = history_run(RunOutcome::Reverted, elapsed, &outside_notes);
                execute::record_history(tx, target, options, &run)
            })
            .map(|()| elapsed)
            .map_err(Failure::unrecorded)
        });
    if let Err(failure) = &result {
        let what = execute::note_failure(client, target, version, Direction::Down, failure);
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
