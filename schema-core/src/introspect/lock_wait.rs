//! Waiting for table locks while reading the catalog: bounded, logged, and explained.
//!
//! Reading a table's expressions (`pg_get_expr` and friends) takes a share lock on it,
//! so a session holding `ACCESS EXCLUSIVE` on a table (a long `ALTER TABLE`, a
//! `LOCK TABLE` in an open transaction) stalls the read. The read waits at most the
//! lock timeout: first briefly, then, having logged who holds the lock, for the rest of
//! it; when that runs out too, the error names the table and the backend holding it.

use std::fmt;
use std::time::Duration;

use postgres::Client;

use super::IntrospectError;

/// How long the read waits before it logs that it is waiting.
const FIRST_WAIT: Duration = Duration::from_millis(200);

/// SQLSTATE `lock_not_available`: the `lock_timeout` ran out.
const LOCK_TIMEOUT: &str = "55P03";

/// A session holding `ACCESS EXCLUSIVE` on a table of the schemas being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    pub schema: String,
    pub table: String,
    /// The backend process id, as `pg_terminate_backend` takes it.
    pub pid: i32,
    /// `active`, `idle in transaction`, …; `None` when the role may not see it.
    pub state: Option<String>,
    /// Its current (or last) statement, when the role may see it.
    pub query: Option<String>,
    /// How long its transaction has been open, in milliseconds.
    pub held_ms: Option<i64>,
}

/// Runs `read` (a whole snapshot read, given the `lock_timeout` to set in it) so that
/// it waits for table locks no longer than `lock_timeout` in all.
pub(super) fn bounded<T>(
    client: &mut Client,
    schemas: &[&str],
    lock_timeout: Duration,
    mut read: impl FnMut(&mut Client, Duration) -> Result<T, IntrospectError>,
) -> Result<T, IntrospectError> {
    let first = lock_timeout.min(FIRST_WAIT);
    let result = match read(client, first) {
        Err(e) if is_lock_timeout(&e) && lock_timeout > first => {
            let rest = lock_timeout - first;
            match holder(client, schemas) {
                Some(h) => tracing::warn!(
                    "reading the live catalog: waiting up to {} ms for {}.{}, locked by \
                     backend pid {}",
                    rest.as_millis(),
                    h.schema,
                    h.table,
                    h.pid
                ),
                None => tracing::warn!(
                    "reading the live catalog: waiting up to {} ms for a table lock",
                    rest.as_millis()
                ),
            }
            read(client, rest)
        }
        other => other,
    };
    match result {
        Err(e) if is_lock_timeout(&e) => Err(IntrospectError::Locked {
            waited: lock_timeout,
            holder: holder(client, schemas).map(Box::new),
        }),
        other => other,
    }
}

fn is_lock_timeout(error: &IntrospectError) -> bool {
    matches!(error, IntrospectError::Query { source, .. } if source.code() == Some(LOCK_TIMEOUT))
}

/// The session holding a lock the read waits for; `None` if it has let go since (or
/// the lookup fails: the error it would explain is reported anyway).
fn holder(client: &mut Client, schemas: &[&str]) -> Option<LockHolder> {
    let row = client
        .query_opt(include_str!("lock_holder.sql"), &[&schemas])
        .ok()??;
    Some(LockHolder {
        schema: row.try_get("schema").ok()?,
        table: row.try_get("name").ok()?,
        pid: row.try_get("pid").ok()?,
        state: row.try_get("state").ok()?,
        query: row.try_get("query").ok()?,
        held_ms: row.try_get("held_ms").ok()?,
    })
}

/// The message of [`IntrospectError::Locked`].
pub(super) fn locked_message(waited: &Duration, holder: &Option<Box<LockHolder>>) -> String {
    let waited = waited.as_millis();
    let Some(h) = holder else {
        return format!(
            "a table stayed locked for the whole lock timeout ({waited} ms), and the session \
             holding it has let go since; sync again"
        );
    };
    format!(
        "table {}.{} stayed locked for the whole lock timeout ({waited} ms): {h}; end that \
         transaction (or run `SELECT pg_terminate_backend({})`) and sync again, or allow a \
         longer wait (SyncOptions::lock_timeout)",
        h.schema, h.table, h.pid
    )
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "backend pid {} holds it in ACCESS EXCLUSIVE mode",
            self.pid
        )?;
        if let Some(state) = &self.state {
            write!(f, ", {state}")?;
        }
        if let Some(ms) = self.held_ms {
            write!(f, " for {:.1} s", ms as f64 / 1000.0)?;
        }
        if let Some(query) = &self.query {
            let query: String = query.split_whitespace().collect::<Vec<_>>().join(" ");
            match query.char_indices().nth(80) {
                Some((end, _)) => write!(f, " (`{}…`)", &query[..end])?,
                None => write!(f, " (`{query}`)")?,
            }
        }
        Ok(())
    }
}
