//! [`repair`]: accept changed files after review, and clear dirty states.

use std::time::{Duration, Instant};

use postgres::Client;

use crate::migrate::error::MigrateError;
use crate::migrate::execute::{self, Run};
use crate::migrate::report::{Action, MigrateReport, Ran};
use crate::migrate::source::Migrations;
use crate::migrate::status::{State, compare};
use crate::migrate::tracking;
use crate::sync::SyncOptions;
use crate::sync::history;
use crate::sync::history::{RunKind, RunOutcome};
use crate::target::Target;
use schema_migration_files::Direction;

/// Makes the tracking table agree with the files again, after a person checked that
/// the database is right:
///
/// - an applied migration whose file changed gets the file's checksum, name and down
///   SQL (run it when the change is a comment, formatting or an equivalent fix; a change
///   that should alter the database belongs in a new migration);
/// - a dirty migration's row is removed: the migration counts as not applied. So first
///   bring the database to where it was before the migration. After a failed up file,
///   undo what it did (and drop the invalid index a failed `CREATE INDEX CONCURRENTLY`
///   leaves); the next `up` runs it again. If you finished it by hand instead, follow
///   with [`baseline`](crate::migrate::baseline). After a failed down file, finish the
///   revert by hand (the rest of its down SQL): the migration is then recorded as
///   reverted, as a `down` that succeeded would have left it.
///
/// Applied migrations without a file are left alone: restore the file, or revert them.
/// Everything happens in one transaction with one history row.
pub fn repair(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
) -> Result<MigrateReport, MigrateError> {
    let start = Instant::now();
    let schema = target.schema();
    let mut report = MigrateReport::new(schema, Action::Repair);
    let (_, waited) = execute::locked(client, target, options, |client| {
        let rows = tracking::read(client, schema)
            .map_err(MigrateError::db("reading the tracking table"))?;
        let status = compare(schema, migrations, &rows);
        let mut tx = client
            .transaction()
            .map_err(MigrateError::pg("starting the transaction"))?;
        for m in &status.migrations {
            let note = match (m.state, migrations.get(m.version)) {
                (State::Modified, Some(file)) => {
                    tracking::accept(
                        &mut tx,
                        schema,
                        m.version,
                        &file.name,
                        &file.checksum,
                        file.down.as_deref(),
                    )
                    .map_err(MigrateError::db("accepting a changed checksum"))?;
                    "accepted the changed file (new checksum recorded)"
                }
                (State::Dirty, _) => {
                    tracking::delete(&mut tx, schema, m.version)
                        .map_err(MigrateError::db("clearing a dirty state"))?;
                    match tracking::dirty_direction(m.error.as_deref()) {
                        Direction::Down => {
                            "cleared the dirty state of its revert: recorded as reverted \
                             (pending)"
                        }
                        _ => "cleared the dirty state: the migration is pending again",
                    }
                }
                _ => continue,
            };
            report.migrations.push(Ran {
                version: m.version,
                name: m.name.clone(),
                duration_ms: 0,
                transactional: true,
                note: Some(note.to_owned()),
            });
        }
        if !report.migrations.is_empty() {
            history::ensure(&mut tx, schema)
                .map_err(MigrateError::db("creating the history table"))?;
            let notes: Vec<String> = report
                .migrations
                .iter()
                .map(|m| format!("{}: {}", m.version, m.note.as_deref().unwrap_or("")))
                .collect();
            let run = Run {
                kind: RunKind::Migration,
                fingerprint: "",
                sql: "",
                duration: Duration::ZERO,
                outcome: RunOutcome::Repaired,
                notes: &format!("repair: {}", notes.join("; ")),
            };
            execute::record_history(&mut tx, target, options, &run)
                .map_err(MigrateError::db("recording the repair"))?;
        }
        tx.commit().map_err(MigrateError::pg("committing"))?;
        report.version = compare(
            schema,
            migrations,
            &tracking::read(client, schema)
                .map_err(MigrateError::db("reading the tracking table"))?,
        )
        .version;
        Ok(())
    })?;
    report.lock_wait_ms = waited.as_millis() as u64;
    report.duration_ms = start.elapsed().as_millis() as u64;
    Ok(report)
}
