//! [`baseline`]: mark an existing database as being at a version, running nothing.

use std::time::{Duration, Instant};

use postgres::Client;

use crate::migrate::error::MigrateError;
use crate::migrate::execute::{self, Run};
use crate::migrate::report::{Action, MigrateReport, Ran};
use crate::migrate::source::Migrations;
use crate::migrate::status::compare;
use crate::migrate::tracking::{self, BASELINED, NewRow};
use crate::sync::SyncOptions;
use crate::sync::history;
use crate::sync::history::{RunKind, RunOutcome};
use crate::target::Target;

/// Records every migration up to `version` that the database has no row for as
/// applied, without running it: for a database whose schema predates the migrations
/// (built by hand, by sync, or by another tool) and already holds what they do.
///
/// Baselined migrations count as applied everywhere (`status` shows `baselined`, and
/// `down` reverts them with their down SQL). Refuses, changing nothing, when a migration
/// newer than `version` is already applied or a migration is dirty.
pub fn baseline(
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
    let start = Instant::now();
    let schema = target.schema();
    let mut report = MigrateReport::new(schema, Action::Baseline);
    let (_, waited) = execute::locked(client, target, options, |client| {
        let rows = tracking::read(client, schema)
            .map_err(MigrateError::db("reading the tracking table"))?;
        let status = compare(schema, migrations, &rows);
        status.refuse_dirty()?;
        if let Some(newer) = status
            .migrations
            .iter()
            .rfind(|m| m.state.is_applied() && m.version > version)
        {
            return Err(MigrateError::BaselineBelowApplied {
                version,
                newest_applied: newer.id(),
            });
        }
        // Only now that nothing stops it: a refusal leaves the database as it was.
        tracking::ensure(client, schema)
            .map_err(MigrateError::db("creating the tracking table"))?;
        history::ensure(client, schema).map_err(MigrateError::db("creating the history table"))?;
        let mut tx = client
            .transaction()
            .map_err(MigrateError::pg("starting the transaction"))?;
        for m in migrations.migrations() {
            let recorded = rows.iter().any(|r| r.version == m.version);
            if m.version > version || recorded {
                continue;
            }
            let row = NewRow {
                version: m.version,
                description: &m.name,
                checksum: &m.checksum,
                execution_time_ms: 0,
                down_sql: m.down.as_deref(),
                state: BASELINED,
                error: None,
            };
            tracking::insert(&mut tx, schema, &row)
                .map_err(MigrateError::db("recording a baselined migration"))?;
            report.migrations.push(Ran {
                version: m.version,
                name: m.name.to_string(),
                duration_ms: 0,
                transactional: m.transactional(),
                note: None,
            });
        }
        let versions: Vec<String> = report.versions().iter().map(i64::to_string).collect();
        let notes = format!(
            "baseline at version {version}: recorded {} without running",
            if versions.is_empty() {
                "nothing".to_owned()
            } else {
                versions.join(", ")
            }
        );
        let fingerprint = migrations.get(version).map_or("", |m| &*m.checksum);
        let run = Run {
            kind: RunKind::Migration,
            fingerprint,
            sql: "",
            duration: Duration::ZERO,
            outcome: RunOutcome::Baselined,
            notes: &notes,
        };
        execute::record_history(&mut tx, target, options, &run)
            .map_err(MigrateError::db("recording the baseline"))?;
        tx.commit().map_err(MigrateError::pg("committing"))?;
        report.version = Some(status.version.map_or(version, |v| v.max(version)));
        Ok(())
    })?;
    report.lock_wait_ms = waited.as_millis() as u64;
    report.duration_ms = start.elapsed().as_millis() as u64;
    Ok(report)
}
