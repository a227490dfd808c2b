//! The tenants a fan-out found settled, kept in the platform database.
//!
//! Settling a tenant means reading its newest history row, and every tenant's history
//! is a table of its own: at a thousand tenants, planning that one query over a thousand
//! tables costs more than reading the whole catalog. So the fan-out keeps, in one small
//! table of the platform schema, the `(fingerprint, live digest)` at which each tenant's
//! history last proved it settled. A tenant whose row matches the compiled fingerprint
//! and the live digest now is settled by that alone, for the same reason as by its
//! history: the comparison that recorded it found nothing to do at that very digest.
//! Any other tenant is settled from its history as before, and a row is written for it
//! when that succeeds. A missing or stale row only costs the history read.
//!
//! The table is the toolkit's own (never reported as unmanaged) and is written on a
//! best-effort basis: a role that may not create or write it simply reads the history
//! each time.

use std::collections::HashMap;

use postgres::GenericClient;

use crate::ddl::qualified;
use crate::model::DEFAULT_SCHEMA;

/// The table, in the platform's default schema.
pub const SETTLED_TABLE: &str = "schema_tenant_settled";

/// `schema → (fingerprint, live digest)` for `schemas`; empty when the table is not
/// there or cannot be read.
pub(crate) fn read(
    client: &mut impl GenericClient,
    schemas: &[String],
) -> HashMap<String, (String, String)> {
    let table = qualified(DEFAULT_SCHEMA, SETTLED_TABLE);
    let sql = format!(
        "SELECT schema_name, fingerprint, live_digest FROM {table} WHERE schema_name = ANY($1)"
    );
    // Looked up first rather than read and failed: a platform that never had the table
    // would log an error on the server at every fan-out.
    let exists = client
        .query_one("SELECT pg_catalog.to_regclass($1) IS NOT NULL", &[&table])
        .map(|r| r.get::<_, bool>(0))
        .unwrap_or(false);
    if !exists {
        return HashMap::new();
    }
    match client.query(&sql, &[&schemas]) {
        Ok(rows) => rows
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect(),
        Err(e) => {
            tracing::debug!("the settled tenants could not be read: {e}");
            HashMap::new()
        }
    }
}

/// Records `(schema, fingerprint, live digest)` for tenants just settled from their
/// history or just provisioned; creates the table when it is missing. Failures are
/// logged and ignored.
pub(crate) fn write(client: &mut impl GenericClient, rows: &[(String, String, String)]) {
    if rows.is_empty() {
        return;
    }
    let table = qualified(DEFAULT_SCHEMA, SETTLED_TABLE);
    if let Err(e) = upsert(client, &table, rows) {
        tracing::debug!("the settled tenants could not be recorded: {e}");
    }
}

fn upsert(
    client: &mut impl GenericClient,
    table: &str,
    rows: &[(String, String, String)],
) -> Result<(), postgres::Error> {
    let (schemas, rest): (Vec<&str>, Vec<(&str, &str)>) = rows
        .iter()
        .map(|(s, f, d)| (s.as_str(), (f.as_str(), d.as_str())))
        .unzip();
    let (fingerprints, digests): (Vec<&str>, Vec<&str>) = rest.into_iter().unzip();
    let create = format!(
        "CREATE TABLE IF NOT EXISTS {table} (\
         schema_name text PRIMARY KEY, \
         fingerprint text NOT NULL, \
         live_digest text NOT NULL, \
         settled_at timestamptz NOT NULL DEFAULT now())"
    );
    let upsert = format!(
        "INSERT INTO {table} (schema_name, fingerprint, live_digest) \
         SELECT * FROM ROWS FROM (pg_catalog.unnest($1::text[]), \
                                  pg_catalog.unnest($2::text[]), \
                                  pg_catalog.unnest($3::text[])) \
         ON CONFLICT (schema_name) DO UPDATE \
         SET fingerprint = EXCLUDED.fingerprint, live_digest = EXCLUDED.live_digest, \
             settled_at = now()"
    );
    let exists: bool = client
        .query_one("SELECT pg_catalog.to_regclass($1) IS NOT NULL", &[&table])?
        .get(0);
    if !exists {
        client.batch_execute(&create)?;
    }
    client.execute(&upsert, &[&schemas, &fingerprints, &digests])?;
    Ok(())
}
