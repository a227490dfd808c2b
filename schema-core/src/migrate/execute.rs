//! Running one migration's SQL and recording it: in a transaction, with the sync's
//! `lock_timeout` and `statement_timeout`, or statement by statement for a
//! `-- schema-core: no-transaction` file (with `lock_timeout` only). Also the schema lock
//! around a command.

use std::time::{Duration, Instant};

use postgres::{Client, GenericClient, Transaction};

use crate::ddl::ident;
use crate::migrate::error::{MigrateError, MigrationId};
use crate::migrate::report::{Action, MigrateReport};
use crate::migrate::statements::{first_line, line_at, split};
use crate::model::DEFAULT_SCHEMA;
use crate::pg_error::PgError;
use crate::sync::SyncOptions;
use crate::sync::apply::set_timeouts;
use crate::sync::history::{self, HistoryEntry, RunKind, RunOutcome};
use crate::sync::lock;
use crate::target::Target;
use schema_migration_files::Direction;

/// Why a script failed: where, what the server said, and what it left behind.
#[derive(Debug)]
pub(crate) struct Failure {
    pub location: Option<String>,
    pub source: PgError,
    /// It ran outside a transaction and the statements before the failing one stay:
    /// the migration is marked dirty.
    pub dirty: bool,
    /// It ran outside a transaction, every statement ran, and recording that failed:
    /// the migration stays marked dirty.
    pub unrecorded: bool,
}

impl Failure {
    /// The error of migration `migration` failing this way in `direction`, with what the
    /// run did before it.
    pub(crate) fn into_error(
        self,
        migration: MigrationId,
        direction: Direction,
        report: &MigrateReport,
    ) -> MigrateError {
        MigrateError::Failed {
            migration,
            direction,
            location: self.location,
            source: self.source,
            dirty: self.dirty,
            unrecorded: self.unrecorded,
            report: Box::new(report.clone()),
        }
    }

    fn at(location: Option<String>, dirty: bool) -> impl FnOnce(postgres::Error) -> Failure {
        move |e| Failure {
            location,
            source: PgError(e),
            dirty,
            unrecorded: false,
        }
    }

    /// A failure that left nothing: rolled back, or before anything ran.
    pub fn clean(source: PgError) -> Failure {
        Failure {
            location: None,
            source,
            dirty: false,
            unrecorded: false,
        }
    }

    /// Every statement ran outside a transaction, and recording that failed.
    pub fn unrecorded(source: PgError) -> Failure {
        Failure {
            location: None,
            source,
            dirty: true,
            unrecorded: true,
        }
    }

    /// `failed at statement 2 of 3 (line 7): …`, for the tracking table and the history.
    pub fn describe(&self) -> String {
        match &self.location {
            _ if self.unrecorded => {
                format!(
                    "ran every statement, but recording that failed: {}",
                    self.source
                )
            }
            Some(at) => format!("failed at {at}: {}", self.source),
            None => format!("failed: {}", self.source),
        }
    }
}

/// Takes the schema lock (the sync's: migrations and syncs of a schema never
/// interleave), runs `f`, and releases the lock whatever `f` returned. Returns how long
/// it waited.
pub(crate) fn locked<T>(
    client: &mut Client,
    target: &Target,
    options: &SyncOptions,
    f: impl FnOnce(&mut Client) -> Result<T, MigrateError>,
) -> Result<(T, Duration), MigrateError> {
    lock::with_lock(client, target.lock_key(), options.lock_wait, f)
}

/// Runs `body` under the schema lock and returns its report for `action`, with the lock
/// wait and the duration filled in.
pub(crate) fn locked_run(
    client: &mut Client,
    target: &Target,
    options: &SyncOptions,
    action: Action,
    body: impl FnOnce(&mut Client, &mut MigrateReport) -> Result<(), MigrateError>,
) -> Result<MigrateReport, MigrateError> {
    let start = Instant::now();
    let mut report = MigrateReport::new(target.schema(), action);
    let (_, waited) = locked(client, target, options, |client| body(client, &mut report))?;
    report.lock_wait_ms = waited.as_millis() as u64;
    report.duration_ms = start.elapsed().as_millis() as u64;
    Ok(report)
}

/// Runs `sql` in a transaction and `record` in the same one before committing: the
/// migration and its tracking row commit together, or neither does.
pub(crate) fn in_transaction(
    client: &mut Client,
    target: &Target,
    options: &SyncOptions,
    sql: &str,
    record: impl FnOnce(&mut Transaction, Duration) -> Result<(), PgError>,
) -> Result<Duration, Failure> {
    let start = Instant::now();
    let mut tx = client.transaction().map_err(Failure::at(None, false))?;
    set_timeouts(&mut tx, options, true)
        .and_then(|()| set_search_path(&mut tx, target, true))
        .map_err(Failure::clean)?;
    if let Err(e) = tx.batch_execute(sql) {
        let location = error_offset(&e, sql, 0).map(|at| format!("line {}", line_at(sql, at)));
        // Dropping the transaction rolls it back.
        return Err(Failure::at(location, false)(e));
    }
    record(&mut tx, start.elapsed()).map_err(Failure::clean)?;
    tx.commit().map_err(Failure::at(None, false))?;
    Ok(start.elapsed())
}

/// Runs `sql` one statement at a time, outside any transaction, with the session's
/// settings ([`set_session`]: `lock_timeout`, no `statement_timeout`) set for it and
/// put back afterwards. `started` runs just before the first statement, to mark the
/// migration dirty until it is recorded as done; a failure before that point leaves
/// nothing. A failure of a statement leaves what ran before it.
pub(crate) fn outside_transaction(
    client: &mut Client,
    target: &Target,
    options: &SyncOptions,
    sql: &str,
    started: impl FnOnce(&mut Client) -> Result<(), PgError>,
) -> Result<Duration, Failure> {
    let start = Instant::now();
    let saved = saved_settings(client).map_err(Failure::clean)?;
    let ready = set_session(client, target, options).and_then(|()| started(client));
    if let Err(e) = ready {
        if let Err(e) = restore_settings(client, &saved) {
            tracing::warn!("could not restore the session settings: {e}");
        }
        return Err(Failure::clean(e));
    }
    let statements = split(sql);
    let mut result = Ok(());
    for (i, statement) in statements.iter().enumerate() {
        if let Err(e) = client.batch_execute(statement.text) {
            let line = error_offset(&e, statement.text, statement.offset)
                .map_or_else(|| first_line(sql, statement), |at| line_at(sql, at));
            let location = format!("statement {} of {} (line {line})", i + 1, statements.len());
            result = Err(Failure::at(Some(location), true)(e));
            break;
        }
    }
    let restored = restore_settings(client, &saved);
    result?;
    // Every statement ran: a session left with these settings is worth a warning, not a
    // failure of the migration.
    if let Err(e) = restored {
        tracing::warn!("could not restore the session settings after a migration: {e}");
    }
    Ok(start.elapsed())
}

/// The byte offset in the file of the error's position, when the server gave one.
fn error_offset(error: &postgres::Error, text: &str, base: usize) -> Option<usize> {
    let position = match error.as_db_error()?.position()? {
        postgres::error::ErrorPosition::Original(p) => *p as usize,
        postgres::error::ErrorPosition::Internal { .. } => return None,
    };
    // The server counts characters from 1.
    let byte = text
        .char_indices()
        .nth(position.saturating_sub(1))
        .map_or(text.len(), |(b, _)| b);
    Some(base + byte)
}

const SETTINGS: [&str; 3] = ["lock_timeout", "statement_timeout", "search_path"];

/// `search_path` set to the target's schema (then `public`, where extensions usually
/// live), so unqualified names in a migration mean the schema it migrates. `local`: only
/// for the current transaction.
fn set_search_path(
    client: &mut impl GenericClient,
    target: &Target,
    local: bool,
) -> Result<(), PgError> {
    let schema = target.schema();
    let search_path = if schema == DEFAULT_SCHEMA {
        ident(schema)
    } else {
        format!("{}, {}", ident(schema), ident(DEFAULT_SCHEMA))
    };
    client.execute(
        "SELECT set_config('search_path', $1, $2)",
        &[&search_path, &local],
    )?;
    Ok(())
}

/// The settings of a session that runs a file outside a transaction: the options'
/// `lock_timeout`, so a statement that waits for a table lock fails instead of queueing
/// every query behind it, but no `statement_timeout`: a `CREATE INDEX CONCURRENTLY` or
/// a `VACUUM` of a big table can rightly run for hours, and cancelling it halfway leaves
/// an invalid index or a dirty migration.
fn set_session(client: &mut Client, target: &Target, options: &SyncOptions) -> Result<(), PgError> {
    let no_statement_timeout = SyncOptions {
        statement_timeout: Duration::ZERO,
        ..options.clone()
    };
    set_timeouts(client, &no_statement_timeout, false)?;
    set_search_path(client, target, false)
}

fn saved_settings(client: &mut Client) -> Result<[String; 3], PgError> {
    let row = client.query_one(
        "SELECT current_setting($1), current_setting($2), current_setting($3)",
        &[&SETTINGS[0], &SETTINGS[1], &SETTINGS[2]],
    )?;
    Ok([row.get(0), row.get(1), row.get(2)])
}

fn restore_settings(client: &mut Client, saved: &[String; 3]) -> Result<(), PgError> {
    client.execute(
        "SELECT set_config($1, $4, false), set_config($2, $5, false), \
                set_config($3, $6, false)",
        &[
            &SETTINGS[0],
            &SETTINGS[1],
            &SETTINGS[2],
            &saved[0],
            &saved[1],
            &saved[2],
        ],
    )?;
    Ok(())
}

/// What a history row of a migration run says.
pub(crate) struct Run<'a> {
    pub kind: RunKind,
    /// The migration's checksum.
    pub fingerprint: &'a str,
    pub sql: &'a str,
    pub duration: Duration,
    pub outcome: RunOutcome,
    pub notes: &'a str,
}

/// Appends a row to the history table `schema_versions`.
pub(crate) fn record_history(
    client: &mut impl GenericClient,
    target: &Target,
    options: &SyncOptions,
    run: &Run,
) -> Result<(), PgError> {
    let statements = if run.sql.is_empty() {
        Vec::new()
    } else {
        vec![run.sql.to_owned()]
    };
    let entry = HistoryEntry {
        kind: run.kind,
        app_version: &options.app_version,
        fingerprint: run.fingerprint,
        environment: &options.environment,
        statements: &statements,
        duration_ms: run.duration.as_millis() as i64,
        outcome: run.outcome,
        notes: Some(run.notes),
        live_digest: None,
        pending: None,
        canonical: None,
    };
    history::record(client, target.schema(), &entry)?;
    Ok(())
}

/// Runs `f` in a transaction of its own: what it writes commits together, or not at all.
pub(crate) fn in_own_transaction(
    client: &mut Client,
    f: impl FnOnce(&mut Transaction) -> Result<(), PgError>,
) -> Result<(), PgError> {
    let mut tx = client.transaction()?;
    f(&mut tx)?;
    tx.commit()?;
    Ok(())
}

/// After a failed run of migration `version` in `direction`: marks its
/// tracking row dirty when statements ran outside a transaction, and returns what the
/// history row of the failure says about it.
pub(crate) fn note_failure(
    client: &mut Client,
    target: &Target,
    version: i64,
    direction: Direction,
    failure: &Failure,
) -> String {
    let message = failure.describe();
    if failure.dirty {
        let error = format!("{direction} {message}");
        let schema = target.schema();
        if let Err(e) = crate::migrate::tracking::mark_dirty(client, schema, version, &error) {
            tracing::warn!("could not record why migration {version} is dirty: {e}");
        }
    }
    let left = if failure.dirty {
        "left dirty"
    } else {
        "nothing ran"
    };
    format!("{message}; {left}")
}

/// Records a failed run in its own transaction. A failure to record is logged, not
/// reported over the error that caused it.
pub(crate) fn record_failure(
    client: &mut Client,
    target: &Target,
    options: &SyncOptions,
    run: &Run,
) {
    let recorded = in_own_transaction(client, |tx| {
        history::ensure(tx, target.schema())?;
        record_history(tx, target, options, run)
    });
    if let Err(e) = recorded {
        tracing::warn!("could not record the failed migration in the history: {e}");
    }
}
