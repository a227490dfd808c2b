//! The fast path: a digest of the live catalog, computed by the server in one query.
//!
//! After a sync the digest is stored with the schema's fingerprint. At the next start,
//! when the compiled fingerprint and the live digest both match, the stored result of
//! the last full comparison still holds, and the schema is checked without
//! introspecting it.

use postgres::GenericClient;

use crate::pg_error::PgError;
use crate::sync::history::{HistoryTable, history_state_sql};

/// What one round trip tells about the live database.
#[derive(Debug, Clone)]
pub struct LiveState {
    /// The digest of everything a diff looks at in the managed schemas.
    pub digest: String,
    /// The history table in the sync's schema.
    pub history: HistoryTable,
    /// The server version and the session settings the server's spelling of
    /// expressions depends on (`search_path` decides what prints qualified, `DateStyle`
    /// and `TimeZone` shape literals).
    pub session: String,
}

const SQL: &str = concat!(
    "SELECT ",
    include_str!("digest.sql"),
    include_str!("digest_items.sql"),
    ") AS items) AS digest, ",
    history_state_sql!("$2::text"),
    " AS history, ",
    "pg_catalog.concat_ws(E'\\n', pg_catalog.current_setting('server_version_num'), \
     pg_catalog.current_setting('search_path'), current_user, \
     pg_catalog.current_setting('DateStyle'), pg_catalog.current_setting('IntervalStyle'), \
     pg_catalog.current_setting('TimeZone'), pg_catalog.current_setting('extra_float_digits'), \
     pg_catalog.current_setting('standard_conforming_strings')) AS session"
);

/// The live state of `schemas`, with the history table looked up in `history_schema`.
pub fn live_state(
    client: &mut impl GenericClient,
    schemas: &[String],
    history_schema: &str,
) -> Result<LiveState, PgError> {
    let row = client.query_one(SQL, &[&schemas, &history_schema])?;
    Ok(LiveState {
        digest: row.get(0),
        history: HistoryTable::from_code(row.get(1)),
        session: row.get(2),
    })
}

/// The live digest of `schemas` alone.
pub fn live_digest(
    client: &mut impl GenericClient,
    schemas: &[String],
    history_schema: &str,
) -> Result<String, PgError> {
    Ok(live_state(client, schemas, history_schema)?.digest)
}
