//! The fast path: a digest of the live catalog, computed by the server in one query.
//!
//! After a sync the digest is stored with the schema's fingerprint. At the next start,
//! when the compiled fingerprint and the live digest both match, the schema is verified
//! without introspecting it.

use postgres::GenericClient;

use crate::pg_error::PgError;

/// The live digest of `schemas`, and whether `history_schema` holds the history table.
pub fn live_signature(
    client: &mut impl GenericClient,
    schemas: &[String],
    history_schema: &str,
) -> Result<(String, bool), PgError> {
    let row = client.query_one(include_str!("signature.sql"), &[&schemas, &history_schema])?;
    Ok((row.get(0), row.get(1)))
}
