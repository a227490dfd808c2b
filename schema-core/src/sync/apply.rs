//! Apply: run the allowed changes in one transaction, then the steps that cannot run in
//! one, and record the run in the history.

use std::time::{Duration, Instant};

use postgres::{Client, Transaction};

use crate::catalog::Catalog;
use crate::ddl::render_step;
use crate::diff::{Change, ChangeKind};
use crate::introspect::introspect;
use crate::pg_error::PgError;
use crate::step::Step;
use crate::sync::SyncError;
use crate::sync::digest::live_digest;
use crate::sync::history::{self, HistoryEntry, RunKind, RunOutcome};
use crate::sync::key_index;
use crate::sync::options::SyncOptions;
use crate::sync::remedy;
use crate::target::Target;

/// What the history row needs besides the statements.
pub(crate) struct RunInfo<'a> {
    pub target: &'a Target,
    pub options: &'a SyncOptions,
    pub fingerprint: &'a str,
    pub schemas: &'a [String],
    /// What the comparison leaves after this run (changes not applied, unmanaged
    /// objects), in its stored form.
    pub left: serde_json::Value,
    /// The canonical cache key, when this run spelled the declared expressions anew and
    /// should store them.
    pub cache_key: Option<&'a str>,
    /// The stored spelling of every declared table, given the catalog read after the
    /// tables this run created exist (`None` to try without reading it).
    pub spell: &'a dyn Fn(Option<&Catalog>) -> Option<String>,
}

/// Applies `changes` and returns warnings from the steps that run after the commit.
///
/// Transactional steps run in one transaction with `lock_timeout` and
/// `statement_timeout` set, sent to the server in one round trip; if one fails,
/// everything is rolled back, the statements are replayed one by one in a transaction
/// that is also rolled back to name the one that fails, the failure is recorded, and
/// the error names that statement. Validation of `NOT VALID` constraints and concurrent
/// index builds run after the commit: a failure there leaves the constraint
/// unvalidated (still enforced for new rows) or removes the half-built index, and is
/// reported as a warning so the next sync retries it.
pub(crate) fn apply(
    client: &mut Client,
    changes: &[Change],
    run: &RunInfo,
) -> Result<Vec<String>, SyncError> {
    let start = Instant::now();
    let schema = run.target.schema();
    let steps: Vec<&Step> = changes.iter().flat_map(|c| &c.steps).collect();
    let (now, later): (Vec<&Step>, Vec<&Step>) = steps
        .into_iter()
        .partition(|s| s.transactional() && !matches!(s, Step::ValidateConstraint { .. }));
    let after_commit: Vec<String> = later.iter().flat_map(|s| render_step(s)).collect();

    let mut tx = begin(client, run)?;
    // `CREATE SCHEMA IF NOT EXISTS` needs the database-level CREATE privilege even for a
    // schema that exists, which a role owning only its schema lacks: skip those. One
    // query also tells whether the history table has to be created with the DDL.
    let wanted: Vec<&str> = now
        .iter()
        .filter_map(|s| match s {
            Step::CreateSchema { schema } => Some(schema.as_str()),
            _ => None,
        })
        .collect();
    let (existing, table) = history::lookup(&mut tx, schema, &wanted)
        .map_err(SyncError::db("looking for schemas and the history table"))?;
    let in_transaction: Vec<String> = now
        .iter()
        .filter(|s| !matches!(s, Step::CreateSchema { schema } if existing.contains(schema)))
        .flat_map(|s| render_step(s))
        .collect();
    let statements: Vec<String> = in_transaction
        .iter()
        .chain(&after_commit)
        .cloned()
        .collect();
    let mut script = in_transaction.join(";\n");
    if let Some(create) = history::create_sql(schema, existing.iter().any(|s| s == schema), table) {
        script = format!("{create};\n{script}");
    }
    if let Err(e) = tx.batch_execute(&script) {
        drop(tx);
        let (statement, error, help) = match failing_statement(client, run, &in_transaction) {
            Some(found) => found,
            None => ("(the batch)".to_owned(), PgError(e), None),
        };
        let notes = format!("{statement}: {error}");
        record_failure(client, run, &statements, start.elapsed(), &notes);
        return Err(SyncError::Apply {
            statement,
            source: error,
            help,
        });
    }
    // With nothing left to run after the commit, the digest the next start compares
    // against is known now and goes into the same row.
    let digest = match after_commit.is_empty() {
        true => Some(
            live_digest(&mut tx, run.schemas, schema)
                .map_err(SyncError::db("reading the live digest"))?,
        ),
        false => None,
    };
    let canonical = match run.cache_key {
        Some(key) => spelling(&mut tx, changes, run)?.map(|json| (key, json)),
        None => None,
    };
    let entry = HistoryEntry {
        kind: RunKind::Sync,
        app_version: &run.options.app_version,
        fingerprint: run.fingerprint,
        environment: &run.options.environment,
        statements: &statements,
        duration_ms: start.elapsed().as_millis() as i64,
        outcome: RunOutcome::Applied,
        notes: None,
        live_digest: digest.as_deref(),
        pending: Some(run.left.clone()),
        canonical: canonical.as_ref().map(|(key, json)| (*key, json.as_str())),
    };
    let id =
        history::record(&mut tx, schema, &entry).map_err(SyncError::db("recording the sync"))?;
    tx.commit()
        .map_err(PgError)
        .map_err(SyncError::db("committing"))?;
    if after_commit.is_empty() {
        return Ok(Vec::new());
    }

    let mut warnings = Vec::new();
    for step in later {
        if let Step::AddKeyUsingIndex {
            schema,
            table,
            key,
            primary_key,
        } = step
        {
            warnings.extend(key_index::add_key_using_index(
                client,
                schema,
                table,
                key,
                *primary_key,
                run.options,
            ));
            continue;
        }
        for sql in render_step(step) {
            if let Err(e) = client.batch_execute(&sql) {
                warnings.push(format!(
                    "`{sql}` failed: {}; the next sync retries it",
                    PgError(e)
                ));
                if let Step::CreateIndex { schema, index, .. } = step {
                    let drop = Step::DropIndex {
                        schema: schema.clone(),
                        name: index.name.clone(),
                        concurrently: true,
                    };
                    for cleanup in render_step(&drop) {
                        if let Err(e) = client.batch_execute(&cleanup) {
                            warnings.push(format!("`{cleanup}` failed: {}", PgError(e)));
                        }
                    }
                }
            }
        }
    }
    // The digest arms the fast path, so it is stored only when every step finished:
    // after a failure here the next start must read the schema and retry.
    if warnings.is_empty() {
        let digest = live_digest(client, run.schemas, schema)
            .map_err(SyncError::db("reading the live digest"))?;
        history::set_digest(client, schema, id, &digest)
            .map_err(SyncError::db("recording the live digest"))?;
    }
    Ok(warnings)
}

/// The server's spelling of every declared table, to store: what the comparison spelled,
/// and for the tables this run created, what the server now holds (read in the same
/// transaction, before the commit). `None` when some table's spelling is still unknown.
fn spelling(
    tx: &mut Transaction<'_>,
    changes: &[Change],
    run: &RunInfo,
) -> Result<Option<String>, SyncError> {
    if let Some(json) = (run.spell)(None) {
        return Ok(Some(json));
    }
    if !changes.iter().any(|c| c.kind == ChangeKind::MissingTable) {
        return Ok(None);
    }
    let names: Vec<&str> = run.schemas.iter().map(String::as_str).collect();
    let created = introspect(tx, &names)?;
    Ok((run.spell)(Some(&created)))
}

/// Opens the apply transaction with its timeouts set.
fn begin<'c>(client: &'c mut Client, run: &RunInfo) -> Result<Transaction<'c>, SyncError> {
    let mut tx = client
        .transaction()
        .map_err(PgError)
        .map_err(SyncError::db("starting the transaction"))?;
    set_timeouts(&mut tx, run.options, true).map_err(SyncError::db("setting timeouts"))?;
    Ok(tx)
}

/// Sets `lock_timeout` and `statement_timeout` from the options, for the current
/// transaction (`local`) or for the session. Values are bound as parameters.
pub(crate) fn set_timeouts(
    client: &mut impl postgres::GenericClient,
    options: &SyncOptions,
    local: bool,
) -> Result<(), PgError> {
    client.execute(
        "SELECT set_config('lock_timeout', $1, $3), set_config('statement_timeout', $2, $3)",
        &[
            &millis(options.lock_timeout),
            &millis(options.statement_timeout),
            &local,
        ],
    )?;
    Ok(())
}

/// Replays the batch one statement at a time in a transaction that is rolled back, and
/// returns the first one the server rejects, with its error and, for a missing
/// privilege or a read-only transaction, what to do.
///
/// The batch began with the history table's creation when the table was missing, so
/// the replay does too: without the privilege the DDL needs, that is what fails first.
fn failing_statement(
    client: &mut Client,
    run: &RunInfo,
    statements: &[String],
) -> Option<(String, PgError, Option<String>)> {
    let schema = run.target.schema();
    let mut tx = begin(client, run).ok()?;
    let (existing, table) = history::lookup(&mut tx, schema, &[]).ok()?;
    let create_history =
        history::create_statements(schema, existing.iter().any(|s| s == schema), table);
    let (statement, error) = create_history.iter().chain(statements).find_map(|sql| {
        tx.batch_execute(sql)
            .err()
            .map(|e| (sql.clone(), PgError(e)))
    })?;
    drop(tx);
    let help = remedy::remedy(client, run.schemas, &error);
    Some((statement, error, help))
}

/// What a full comparison that applied nothing found, for [`record_verified`].
pub(crate) struct Verified<'a> {
    pub fingerprint: &'a str,
    /// The live digest the comparison was made at.
    pub digest: &'a str,
    pub history: history::HistoryTable,
    /// The changes it left and the unmanaged objects, in their stored form.
    pub left: serde_json::Value,
    /// `(key, JSON)` of the declared expressions, when it spelled them anew.
    pub canonical: Option<(&'a str, &'a str)>,
}

/// Records what a full comparison found at a live digest that moved outside this sync.
pub(crate) fn record_verified(
    client: &mut Client,
    target: &Target,
    options: &SyncOptions,
    verified: &Verified,
) -> Result<(), SyncError> {
    let schema = target.schema();
    let current = verified.left.as_array().is_some_and(Vec::is_empty);
    let entry = HistoryEntry {
        kind: RunKind::Sync,
        app_version: &options.app_version,
        fingerprint: verified.fingerprint,
        environment: &options.environment,
        statements: &[],
        duration_ms: 0,
        outcome: RunOutcome::Verified,
        notes: Some(if current {
            "the live schema changed outside this sync and still matches"
        } else {
            "the live schema changed outside this sync; what it left is in `pending`"
        }),
        live_digest: Some(verified.digest),
        pending: Some(verified.left.clone()),
        canonical: verified.canonical,
    };
    // Idempotent: a table an older version made gets the columns this row fills.
    if let Some(upgrade) = history::create_sql(schema, true, verified.history) {
        client
            .batch_execute(&upgrade)
            .map_err(PgError)
            .map_err(SyncError::db("adding the history table's new columns"))?;
    }
    history::record(client, schema, &entry)
        .map(drop)
        .map_err(SyncError::db("recording the verification"))
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
    let schema = run.target.schema();
    let entry = HistoryEntry {
        kind: RunKind::Sync,
        app_version: &run.options.app_version,
        fingerprint: run.fingerprint,
        environment: &run.options.environment,
        statements,
        duration_ms: elapsed.as_millis() as i64,
        outcome: RunOutcome::Failed,
        notes: Some(notes),
        live_digest: None,
        pending: None,
        canonical: None,
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
