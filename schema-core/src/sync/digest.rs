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

/// The digest of the rows of `digest_items.sql` (columns `schema`, `hash`) as one
/// aggregate expression: their count and the sum of their hashes. A sum does not depend
/// on the order of the rows, so nothing is sorted and no long text is built.
///
/// Each hash is mixed once more (`hashint8extended` with the hash as its own seed, all
/// 64 bits through the mixing) before it is added: a record's hash is a linear
/// combination of its fields' hashes, so a plain sum would not move when two items
/// trade a value (one column losing NOT NULL as another gains it, one table losing
/// row-level security as another gains it).
macro_rules! digest_of_items_sql {
    () => {
        "pg_catalog.md5(pg_catalog.format('%s %s', count(*), \
         sum(pg_catalog.hashint8extended(hash, hash))))"
    };
}
pub(crate) use digest_of_items_sql;

const SQL: &str = concat!(
    "SELECT (SELECT ",
    digest_of_items_sql!(),
    " FROM (",
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
