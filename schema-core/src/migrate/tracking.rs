//! The tracking table `schema_migrations`: one row per applied migration, in the
//! options' default schema, next to the history table `schema_versions`.
//!
//! The tracking table says which migrations the database has now (a reverted migration
//! loses its row); the history says what every run did (a reverted migration keeps its
//! rows and gains one). The primary key on `version` makes applying a migration twice
//! impossible even for a process that skipped the advisory lock.

use postgres::GenericClient;
use schema_migration_files::Direction;

use crate::ddl::{ident, literal, qualified};
use crate::pg_error::PgError;

/// The tracking table's name.
pub const TRACKING_TABLE: &str = "schema_migrations";

/// A row's state: `applied` (ran here), `baselined` (recorded without running) or
/// `dirty` (a migration outside a transaction failed or stopped halfway).
pub(crate) const APPLIED: &str = "applied";
pub(crate) const BASELINED: &str = "baselined";
pub(crate) const DIRTY: &str = "dirty";

/// Which direction left a dirty row, from its `error`: it starts with the direction that
/// was running (`up` or `down`), which decides how the migration is repaired.
pub(crate) fn dirty_direction(error: Option<&str>) -> Direction {
    match error {
        Some(error) if error.starts_with(Direction::Down.word()) => Direction::Down,
        _ => Direction::Up,
    }
}

/// A dirty row's `error` while its file runs: if the process dies, this is what stays.
pub(crate) fn unfinished(direction: Direction) -> String {
    format!(
        "{direction} started outside a transaction and did not finish (the process stopped \
         while it ran)"
    )
}

/// One row of the tracking table.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub version: i64,
    pub description: String,
    pub checksum: String,
    /// `2026-11-21 06:30:01 UTC`.
    pub executed_at: String,
    pub execution_time_ms: i64,
    pub down_sql: Option<String>,
    pub state: String,
    pub error: Option<String>,
}

/// What a new row records.
pub(crate) struct NewRow<'a> {
    pub version: i64,
    pub description: &'a str,
    pub checksum: &'a str,
    pub execution_time_ms: i64,
    pub down_sql: Option<&'a str>,
    pub state: &'a str,
    pub error: Option<&'a str>,
}

/// Creates the tracking table (and its schema) if missing. Runs under the schema lock,
/// so concurrent `IF NOT EXISTS` races cannot happen. Sends no DDL when the table exists:
/// `CREATE SCHEMA IF NOT EXISTS` needs the CREATE privilege on the database even when
/// the schema is there, which an application's role may not have.
pub(crate) fn ensure(client: &mut impl GenericClient, schema: &str) -> Result<(), PgError> {
    if exists(client, schema)? {
        return Ok(());
    }
    let table = qualified(schema, TRACKING_TABLE);
    client.batch_execute(&format!(
        "CREATE SCHEMA IF NOT EXISTS {schema_ident};
         CREATE TABLE IF NOT EXISTS {table} (
             version bigint PRIMARY KEY,
             description text NOT NULL,
             checksum text NOT NULL,
             executed_at timestamptz NOT NULL DEFAULT now(),
             execution_time_ms bigint NOT NULL,
             down_sql text,
             success boolean NOT NULL,
             state text NOT NULL CHECK (state IN ({applied}, {baselined}, {dirty})),
             error text
         );
         COMMENT ON TABLE {table} IS {comment}",
        schema_ident = ident(schema),
        applied = literal(APPLIED),
        baselined = literal(BASELINED),
        dirty = literal(DIRTY),
        comment = literal(
            "versioned migrations present in this database (schema-core); \
             schema_versions holds every run"
        ),
    ))?;
    Ok(())
}

fn exists(client: &mut impl GenericClient, schema: &str) -> Result<bool, PgError> {
    Ok(client
        .query_one(
            "SELECT to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL",
            &[&schema, &TRACKING_TABLE],
        )?
        .get(0))
}

/// Every row, by version; none when the table does not exist yet.
pub(crate) fn read(client: &mut impl GenericClient, schema: &str) -> Result<Vec<Row>, PgError> {
    if !exists(client, schema)? {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT version, description, checksum,
                to_char(executed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC',
                execution_time_ms, down_sql, state, error
         FROM {} ORDER BY version",
        qualified(schema, TRACKING_TABLE)
    );
    Ok(client
        .query(&sql, &[])?
        .iter()
        .map(|row| Row {
            version: row.get(0),
            description: row.get(1),
            checksum: row.get(2),
            executed_at: row.get(3),
            execution_time_ms: row.get(4),
            down_sql: row.get(5),
            state: row.get(6),
            error: row.get(7),
        })
        .collect())
}

/// Records a migration.
pub(crate) fn insert(
    client: &mut impl GenericClient,
    schema: &str,
    row: &NewRow,
) -> Result<(), PgError> {
    let sql = format!(
        "INSERT INTO {} (version, description, checksum, execution_time_ms, down_sql, success,
                         state, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        qualified(schema, TRACKING_TABLE)
    );
    client.execute(
        &sql,
        &[
            &row.version,
            &row.description,
            &row.checksum,
            &row.execution_time_ms,
            &row.down_sql,
            &(row.state != DIRTY),
            &row.state,
            &row.error,
        ],
    )?;
    Ok(())
}

/// Marks a dirty row applied, once its migration finished outside a transaction.
pub(crate) fn finish(
    client: &mut impl GenericClient,
    schema: &str,
    version: i64,
    execution_time_ms: i64,
) -> Result<(), PgError> {
    let sql = format!(
        "UPDATE {} SET state = $2, success = true, error = NULL, execution_time_ms = $3,
                       executed_at = now()
         WHERE version = $1",
        qualified(schema, TRACKING_TABLE)
    );
    client.execute(&sql, &[&version, &APPLIED, &execution_time_ms])?;
    Ok(())
}

/// Marks a row dirty, with what went wrong.
pub(crate) fn mark_dirty(
    client: &mut impl GenericClient,
    schema: &str,
    version: i64,
    error: &str,
) -> Result<(), PgError> {
    let sql = format!(
        "UPDATE {} SET state = $2, success = false, error = $3 WHERE version = $1",
        qualified(schema, TRACKING_TABLE)
    );
    client.execute(&sql, &[&version, &DIRTY, &error])?;
    Ok(())
}

/// Forgets a migration: it was reverted, or a dirty state was cleared.
pub(crate) fn delete(
    client: &mut impl GenericClient,
    schema: &str,
    version: i64,
) -> Result<(), PgError> {
    let sql = format!(
        "DELETE FROM {} WHERE version = $1",
        qualified(schema, TRACKING_TABLE)
    );
    client.execute(&sql, &[&version])?;
    Ok(())
}

/// Accepts the file as it is now: its checksum, name and down SQL.
pub(crate) fn accept(
    client: &mut impl GenericClient,
    schema: &str,
    version: i64,
    description: &str,
    checksum: &str,
    down_sql: Option<&str>,
) -> Result<(), PgError> {
    let sql = format!(
        "UPDATE {} SET description = $2, checksum = $3, down_sql = $4 WHERE version = $1",
        qualified(schema, TRACKING_TABLE)
    );
    client.execute(&sql, &[&version, &description, &checksum, &down_sql])?;
    Ok(())
}
