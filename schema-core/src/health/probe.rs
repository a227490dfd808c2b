//! The reads a health check adds to the verification: the server's version and the
//! round trip, and the history table's newest rows. All plain `SELECT`s.

use std::time::Instant;

use postgres::Client;

use crate::ddl::qualified;
use crate::health::report::HistoryRun;
use crate::pg_error::PgError;
use crate::sync::HISTORY_TABLE;

/// What the first query learns: the server answers, how fast, its version, and
/// whether the history table exists.
pub(crate) struct Server {
    pub round_trip_ms: f64,
    pub version: String,
    pub has_history: bool,
}

/// One round trip: the server's version and whether `schema` holds a history table.
pub(crate) fn server(client: &mut Client, schema: &str) -> Result<Server, PgError> {
    let start = Instant::now();
    let row = client.query_one(
        "SELECT pg_catalog.current_setting('server_version'), \
         pg_catalog.to_regclass(pg_catalog.format('%I.%I', $1::text, $2::text)) IS NOT NULL",
        &[&schema, &HISTORY_TABLE],
    )?;
    Ok(Server {
        round_trip_ms: start.elapsed().as_secs_f64() * 1000.0,
        version: row.get(0),
        has_history: row.get(1),
    })
}

/// The newest `limit` rows, and the fingerprint of the newest successful sync (in
/// the same query: when there are no rows there is no sync either).
pub(crate) fn history(
    client: &mut Client,
    schema: &str,
    limit: i64,
) -> Result<(Option<String>, Vec<HistoryRun>), PgError> {
    let table = qualified(schema, HISTORY_TABLE);
    let rows = client.query(
        &format!(
            "SELECT id, kind, outcome, \
                    to_char(executed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', \
                    duration_ms, app_version, coalesce(cardinality(statements), 0), notes, \
                    (SELECT fingerprint FROM {table} \
                     WHERE kind = 'sync' AND outcome IN ('applied', 'verified') \
                     ORDER BY id DESC LIMIT 1) \
             FROM {table} ORDER BY id DESC LIMIT $1"
        ),
        &[&limit],
    )?;
    let recorded = rows.first().and_then(|row| row.get(8));
    let runs = rows
        .iter()
        .map(|row| HistoryRun {
            id: row.get(0),
            kind: row.get(1),
            outcome: row.get(2),
            executed_at: row.get(3),
            duration_ms: row.get(4),
            app_version: row.get(5),
            statements: row.get::<_, i32>(6) as usize,
            notes: row.get(7),
        })
        .collect();
    Ok((recorded, runs))
}
