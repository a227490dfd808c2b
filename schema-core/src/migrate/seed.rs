//! [`seed`]: run the seed files on request.

use std::time::Instant;

use postgres::Client;
use schema_migration_files::{checksum, is_transactional};

use crate::migrate::error::MigrateError;
use crate::migrate::execute::{self, Run};
use crate::migrate::report::SeedReport;
use crate::migrate::source::Migrations;
use crate::migrate::status::compare;
use crate::migrate::tracking;
use crate::sync::SyncOptions;
use crate::sync::history;
use crate::sync::history::{RunKind, RunOutcome};
use crate::target::Target;

/// Runs every seed file (`seeds/*.sql`), by name, each in its own transaction (unless
/// it starts with `-- schema-core: no-transaction`), under the schema lock, with a
/// history row each (kind `seed`).
///
/// Seeds run every time they are asked for and are not tracked: write them so that a
/// second run changes nothing (`INSERT … ON CONFLICT DO NOTHING`). Run them after `up`.
/// Refuses, changing nothing, while a migration is dirty. A failing seed stops the run;
/// the error names it and the seeds that ran before it.
pub fn seed(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
) -> Result<SeedReport, MigrateError> {
    let start = Instant::now();
    let schema = target.schema();
    let mut report = SeedReport {
        schema: schema.to_owned(),
        seeds: Vec::new(),
        duration_ms: 0,
    };
    execute::locked(client, target, options, |client| {
        let rows = tracking::read(client, schema)
            .map_err(MigrateError::db("reading the tracking table"))?;
        compare(schema, migrations, &rows).refuse_dirty()?;
        if migrations.seeds().is_empty() {
            return Ok(());
        }
        history::ensure(client, schema).map_err(MigrateError::db("creating the history table"))?;
        for seed in migrations.seeds() {
            let sum = checksum(&seed.sql);
            let notes = format!("seed {}", seed.name);
            let run = |outcome, duration, notes| Run {
                kind: RunKind::Seed,
                fingerprint: &sum,
                sql: &seed.sql,
                duration,
                outcome,
                notes,
            };
            let result = if is_transactional(&seed.sql) {
                execute::in_transaction(client, target, options, &seed.sql, |tx, elapsed| {
                    execute::record_history(
                        tx,
                        target,
                        options,
                        &run(RunOutcome::Applied, elapsed, &notes),
                    )
                })
            } else {
                execute::outside_transaction(client, target, options, &seed.sql, |_| Ok(()))
                    .inspect(|elapsed| {
                        let recorded = execute::record_history(
                            client,
                            target,
                            options,
                            &run(RunOutcome::Applied, *elapsed, &notes),
                        );
                        if let Err(e) = recorded {
                            tracing::warn!(
                                "could not record seed {} in the history: {e}",
                                seed.name
                            );
                        }
                    })
            };
            match result {
                Ok(elapsed) => report
                    .seeds
                    .push((seed.name.to_string(), elapsed.as_millis() as u64)),
                Err(failure) => {
                    let notes = format!("{notes} {}", failure.describe());
                    execute::record_failure(
                        client,
                        target,
                        options,
                        &run(RunOutcome::Failed, start.elapsed(), &notes),
                    );
                    return Err(MigrateError::SeedFailed {
                        seed: seed.name.to_string(),
                        file: seed.file.to_string(),
                        location: failure.location,
                        source: failure.source,
                        partial: failure.dirty,
                        done: report.seeds.iter().map(|(name, _)| name.clone()).collect(),
                    });
                }
            }
        }
        Ok(())
    })?;
    report.duration_ms = start.elapsed().as_millis() as u64;
    Ok(report)
}
