//! Apply: run the allowed changes in one transaction, then the steps that cannot run in
//! one, and record the run in the history.

use std::time::{Duration, Instant};

use postgres::Client;

use crate::ddl::{qualified, render_step};
use crate::diff::Change;
use crate::pg_error::PgError;
use crate::step::Step;
use crate::sync::SyncError;
use crate::sync::history::{self, HistoryEntry};
use crate::sync::options::SyncOptions;
use crate::sync::signature::live_signature;

/// What the history row needs besides the statements.
pub(crate) struct RunInfo<'a> {
    pub options: &'a SyncOptions,
    pub fingerprint: &'a str,
    pub schemas: &'a [String],
}

/// Applies `changes` and returns warnings from the steps that run after the commit.
///
/// Transactional steps run in one transaction with `lock_timeout` and
/// `statement_timeout` set; if one fails, everything is rolled back, the failure is
/// recorded, and the error names the statement. Validation of `NOT VALID` constraints
/// and concurrent index builds run after the commit: a failure there leaves the
/// constraint unvalidated (still enforced for new rows) or removes the half-built index,
/// and is reported as a warning so the next sync retries it.
pub(crate) fn apply(
    client: &mut Client,
    changes: &[Change],
    run: &RunInfo,
) -> Result<Vec<String>, SyncError> {
    let start = Instant::now();
    let schema = run.options.default_schema.as_str();
    let steps: Vec<&Step> = changes.iter().flat_map(|c| &c.steps).collect();
    let (now, later): (Vec<&Step>, Vec<&Step>) = steps
        .into_iter()
        .partition(|s| s.transactional() && !matches!(s, Step::ValidateConstraint { .. }));
    let statements: Vec<String> = now
        .iter()
        .chain(&later)
        .flat_map(|s| render_step(s))
        .collect();

    let mut tx = client
        .transaction()
        .map_err(PgError)
        .map_err(SyncError::db("starting the transaction"))?;
    tx.execute(
        "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)",
        &[
            &millis(run.options.lock_timeout),
            &millis(run.options.statement_timeout),
        ],
    )
    .map_err(PgError)
    .map_err(SyncError::db("setting timeouts"))?;
    history::ensure(&mut tx, schema).map_err(SyncError::db("creating the history table"))?;
    for sql in now.iter().flat_map(|s| render_step(s)) {
        if let Err(e) = tx.batch_execute(&sql) {
            drop(tx);
            let error = PgError(e);
            record_failure(
                client,
                run,
                &statements,
                start.elapsed(),
                &format!("{sql}: {error}"),
            );
            return Err(SyncError::Apply {
                statement: sql,
                source: error,
            });
        }
    }
    let entry = HistoryEntry {
        kind: "sync",
        app_version: &run.options.app_version,
        fingerprint: run.fingerprint,
        environment: &run.options.environment,
        statements: &statements,
        duration_ms: start.elapsed().as_millis() as i64,
        outcome: "applied",
        notes: None,
    };
    let id =
        history::record(&mut tx, schema, &entry).map_err(SyncError::db("recording the sync"))?;
    tx.commit()
        .map_err(PgError)
        .map_err(SyncError::db("committing"))?;

    let mut warnings = Vec::new();
    for step in later {
        for sql in render_step(step) {
            if let Err(e) = client.batch_execute(&sql) {
                warnings.push(format!(
                    "`{sql}` failed: {}; the next sync retries it",
                    PgError(e)
                ));
                if let Step::CreateIndex { schema, index, .. } = step {
                    let cleanup = format!(
                        "DROP INDEX CONCURRENTLY IF EXISTS {}",
                        qualified(schema, &index.name)
                    );
                    if let Err(e) = client.batch_execute(&cleanup) {
                        warnings.push(format!("`{cleanup}` failed: {}", PgError(e)));
                    }
                }
            }
        }
    }
    let (signature, _) = live_signature(client, run.schemas, schema)
        .map_err(SyncError::db("reading the live digest"))?;
    history::set_signature(client, schema, id, &signature)
        .map_err(SyncError::db("recording the live digest"))?;
    Ok(warnings)
}

/// Records a failed run in its own transaction; a failure to record is not reported over
/// the error that caused it.
fn record_failure(
    client: &mut Client,
    run: &RunInfo,
    statements: &[String],
    elapsed: Duration,
    notes: &str,
) {
    let schema = run.options.default_schema.as_str();
    let entry = HistoryEntry {
        kind: "sync",
        app_version: &run.options.app_version,
        fingerprint: run.fingerprint,
        environment: &run.options.environment,
        statements,
        duration_ms: elapsed.as_millis() as i64,
        outcome: "failed",
        notes: Some(notes),
    };
    let recorded = client.transaction().map_err(PgError).and_then(|mut tx| {
        history::ensure(&mut tx, schema)?;
        history::record(&mut tx, schema, &entry)?;
        tx.commit().map_err(PgError)
    });
    if let Err(e) = recorded {
        tracing::warn!("could not record the failed sync: {e}");
    }
}

fn millis(d: Duration) -> String {
    format!("{}ms", d.as_millis())
}
