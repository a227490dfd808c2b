//! The history table `schema_versions`, in the sync's default schema: one row per sync
//! that changed something, failed, or found the schema current after an outside change
//! (which re-arms the fast path). Migrations record their runs here too.

use postgres::GenericClient;

use crate::ddl::qualified;
use crate::pg_error::PgError;

/// The history table's name.
pub const HISTORY_TABLE: &str = "schema_versions";

/// What one history row says.
#[derive(Debug, Clone)]
pub struct HistoryEntry<'a> {
    /// `sync`, `migration` or `seed`.
    pub kind: &'a str,
    pub app_version: &'a str,
    pub fingerprint: &'a str,
    pub environment: &'a str,
    pub statements: &'a [String],
    pub duration_ms: i64,
    /// `applied`, `failed`, or `verified` (a sync that found the schema current after an
    /// outside change); migrations also write `reverted`, `baselined`, `repaired`.
    pub outcome: &'a str,
    pub notes: Option<&'a str>,
    /// The live catalog's digest after the run, when already known.
    pub live_signature: Option<&'a str>,
}

/// Creates the history table (and its schema) if it does not exist yet.
///
/// Looks first: `CREATE SCHEMA IF NOT EXISTS` needs the database-level `CREATE`
/// privilege even when the schema exists, which a service's role often lacks.
pub fn ensure(client: &mut impl GenericClient, schema: &str) -> Result<(), PgError> {
    let (schemas, has_table) = lookup(client, schema, &[])?;
    if !has_table {
        client.batch_execute(&create_sql(schema, schemas.iter().any(|s| s == schema)))?;
    }
    Ok(())
}

/// In one query: which of `schema` and `others` exist, and whether the history table
/// does (callers about to send DDL anyway fold [`create_sql`] into it).
pub fn lookup(
    client: &mut impl GenericClient,
    schema: &str,
    others: &[&str],
) -> Result<(Vec<String>, bool), PgError> {
    let mut names: Vec<&str> = others.to_vec();
    names.push(schema);
    let row = client.query_one(
        "SELECT ARRAY(SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname = ANY($1)),
                to_regclass(format('%I.%I', $2::text, $3::text)) IS NOT NULL",
        &[&names, &schema, &HISTORY_TABLE],
    )?;
    Ok((row.get(0), row.get(1)))
}

/// The statements that create the history table, and its schema unless it exists, as
/// one script.
pub fn create_sql(schema: &str, schema_exists: bool) -> String {
    create_statements(schema, schema_exists).join(";\n")
}

/// The statements of [`create_sql`], one by one.
pub fn create_statements(schema: &str, schema_exists: bool) -> Vec<String> {
    let mut statements = Vec::new();
    if !schema_exists {
        statements.push(format!(
            "CREATE SCHEMA IF NOT EXISTS {}",
            crate::ddl::ident(schema)
        ));
    }
    statements.push(format!(
        "CREATE TABLE IF NOT EXISTS {} (
             id bigserial PRIMARY KEY,
             kind text NOT NULL,
             app_version text NOT NULL,
             fingerprint text NOT NULL,
             environment text NOT NULL,
             statements text[] NOT NULL,
             duration_ms bigint NOT NULL,
             outcome text NOT NULL,
             notes text,
             live_signature text,
             executed_at timestamptz NOT NULL DEFAULT now()
         )",
        qualified(schema, HISTORY_TABLE),
    ));
    statements
}

/// Appends a row and returns its id.
pub fn record(
    client: &mut impl GenericClient,
    schema: &str,
    entry: &HistoryEntry,
) -> Result<i64, PgError> {
    let sql = format!(
        "INSERT INTO {} (kind, app_version, fingerprint, environment, statements, duration_ms, outcome, notes, live_signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        qualified(schema, HISTORY_TABLE)
    );
    let row = client.query_one(
        &sql,
        &[
            &entry.kind,
            &entry.app_version,
            &entry.fingerprint,
            &entry.environment,
            &entry.statements,
            &entry.duration_ms,
            &entry.outcome,
            &entry.notes,
            &entry.live_signature,
        ],
    )?;
    Ok(row.get(0))
}

/// Stores the live catalog's signature on a row, once every step has run.
pub fn set_signature(
    client: &mut impl GenericClient,
    schema: &str,
    id: i64,
    signature: &str,
) -> Result<(), PgError> {
    let sql = format!(
        "UPDATE {} SET live_signature = $1 WHERE id = $2",
        qualified(schema, HISTORY_TABLE)
    );
    client.execute(&sql, &[&signature, &id])?;
    Ok(())
}

/// Fingerprint and live signature of the newest successful sync.
pub fn latest_applied(
    client: &mut impl GenericClient,
    schema: &str,
) -> Result<Option<(String, Option<String>)>, PgError> {
    let sql = format!(
        "SELECT fingerprint, live_signature FROM {} WHERE kind = 'sync' AND outcome IN ('applied', 'verified')
         ORDER BY id DESC LIMIT 1",
        qualified(schema, HISTORY_TABLE)
    );
    Ok(client
        .query_opt(&sql, &[])?
        .map(|row| (row.get(0), row.get(1))))
}
