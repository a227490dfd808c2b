//! The history table `schema_versions`, in the sync's default schema: one row per sync
//! that changed something, failed, or compared the schema in full after an outside
//! change (which re-arms the fast path). Migrations record their runs here too.
//!
//! A sync's row also keeps what its comparison left for the next start: the changes it
//! did not apply and the unmanaged objects (`pending`), valid while the live digest
//! stays `live_digest`, and the declared expressions as the server spells them
//! (`canonical`, under `canonical_key`), valid for one schema fingerprint, server version
//! and session settings. The spelling is JSON kept as `text`: every full comparison reads
//! it back whole, and `jsonb` would make the server rebuild the text each time.

use postgres::GenericClient;

use crate::ddl::qualified;
use crate::pg_error::PgError;

/// The history table's name.
pub const HISTORY_TABLE: &str = "schema_versions";

/// What kind of run a history row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    Sync,
    Migration,
    Seed,
    /// Rows copied from another database (`data copy`).
    DataCopy,
}

/// How a recorded run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    /// A sync's changes, a migration's up file or a seed ran.
    Applied,
    Failed,
    /// A sync that compared in full after an outside change and applied nothing.
    Verified,
    /// A migration's down file ran.
    Reverted,
    /// A migration recorded as applied without running it.
    Baselined,
    /// A dirty migration's tracking row was settled by a person's `repair`.
    Repaired,
}

impl RunKind {
    /// The word stored in the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            RunKind::Sync => "sync",
            RunKind::Migration => "migration",
            RunKind::Seed => "seed",
            RunKind::DataCopy => "data-copy",
        }
    }
}

impl RunOutcome {
    /// The word stored in the `outcome` column.
    pub fn as_str(self) -> &'static str {
        match self {
            RunOutcome::Applied => "applied",
            RunOutcome::Failed => "failed",
            RunOutcome::Verified => "verified",
            RunOutcome::Reverted => "reverted",
            RunOutcome::Baselined => "baselined",
            RunOutcome::Repaired => "repaired",
        }
    }
}

/// What one history row says.
#[derive(Debug, Clone)]
pub struct HistoryEntry<'a> {
    pub kind: RunKind,
    pub app_version: &'a str,
    pub fingerprint: &'a str,
    pub environment: &'a str,
    pub statements: &'a [String],
    pub duration_ms: i64,
    pub outcome: RunOutcome,
    pub notes: Option<&'a str>,
    /// The live catalog's digest after the run, when already known.
    pub live_digest: Option<&'a str>,
    /// What the run's comparison left at that digest (see [`super::recorded`]).
    pub pending: Option<serde_json::Value>,
    /// `(canonical_key, canonical JSON)` when the run spelled the declared expressions
    /// anew (see [`super::canonical_cache`]).
    pub canonical: Option<(&'a str, &'a str)>,
}

/// Whether the history table is there, and whether it has every column this version
/// writes (a table made by an older version lacks the cache columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryTable {
    Absent,
    Outdated,
    Current,
}

impl HistoryTable {
    /// From the code the catalog queries return: 0 absent, 1 outdated, 2 current.
    pub fn from_code(code: i32) -> Self {
        match code {
            0 => HistoryTable::Absent,
            1 => HistoryTable::Outdated,
            _ => HistoryTable::Current,
        }
    }

    pub fn exists(self) -> bool {
        self != HistoryTable::Absent
    }
}

/// SQL that yields [`HistoryTable::from_code`]'s code for the history table named by
/// `format('%I.%I', <schema expression>, 'schema_versions')`.
macro_rules! history_state_sql {
    ($schema:literal) => {
        concat!(
            "(SELECT CASE WHEN r.oid IS NULL THEN 0 ",
            "WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.oid ",
            "AND a.attname = 'canonical' AND NOT a.attisdropped) THEN 2 ELSE 1 END ",
            "FROM (SELECT pg_catalog.to_regclass(pg_catalog.format('%I.%I', ",
            $schema,
            ", 'schema_versions')) AS oid) AS r)"
        )
    };
}
pub(crate) use history_state_sql;

/// Creates the history table (and its schema) if it does not exist yet.
///
/// Looks first: `CREATE SCHEMA IF NOT EXISTS` needs the database-level `CREATE`
/// privilege even when the schema exists, which a service's role often lacks.
pub fn ensure(client: &mut impl GenericClient, schema: &str) -> Result<(), PgError> {
    let (schemas, table) = lookup(client, schema, &[])?;
    if let Some(sql) = create_sql(schema, schemas.iter().any(|s| s == schema), table) {
        client.batch_execute(&sql)?;
    }
    Ok(())
}

/// In one query: which of `schema` and `others` exist, and the history table's state
/// (callers about to send DDL anyway fold [`create_sql`] into it).
pub fn lookup(
    client: &mut impl GenericClient,
    schema: &str,
    others: &[&str],
) -> Result<(Vec<String>, HistoryTable), PgError> {
    let mut names: Vec<&str> = others.to_vec();
    names.push(schema);
    let sql = concat!(
        "SELECT ARRAY(SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname = ANY($1)), ",
        history_state_sql!("$2::text")
    );
    let row = client.query_one(sql, &[&names, &schema])?;
    Ok((row.get(0), HistoryTable::from_code(row.get(1))))
}

/// The statements that bring the history table to this version's shape, as one script;
/// `None` when it is current.
pub fn create_sql(schema: &str, schema_exists: bool, table: HistoryTable) -> Option<String> {
    let statements = create_statements(schema, schema_exists, table);
    (!statements.is_empty()).then(|| statements.join(";\n"))
}

/// The statements of [`create_sql`], one by one: create the table (and its schema
/// unless that exists), or add the columns an older version did not have.
pub fn create_statements(schema: &str, schema_exists: bool, table: HistoryTable) -> Vec<String> {
    let table_name = qualified(schema, HISTORY_TABLE);
    match table {
        HistoryTable::Current => return Vec::new(),
        // Made by a version that called the digest a signature and kept no cache.
        HistoryTable::Outdated => {
            return vec![
                format!("ALTER TABLE {table_name} RENAME COLUMN live_signature TO live_digest"),
                format!(
                    "ALTER TABLE {table_name} ADD COLUMN IF NOT EXISTS pending jsonb, \
                     ADD COLUMN IF NOT EXISTS canonical_key text, \
                     ADD COLUMN IF NOT EXISTS canonical text"
                ),
            ];
        }
        HistoryTable::Absent => {}
    }
    let mut statements = Vec::new();
    if !schema_exists {
        statements.push(format!(
            "CREATE SCHEMA IF NOT EXISTS {}",
            crate::ddl::ident(schema)
        ));
    }
    statements.push(format!(
        "CREATE TABLE IF NOT EXISTS {table_name} (
             id bigserial PRIMARY KEY,
             kind text NOT NULL,
             app_version text NOT NULL,
             fingerprint text NOT NULL,
             environment text NOT NULL,
             statements text[] NOT NULL,
             duration_ms bigint NOT NULL,
             outcome text NOT NULL,
             notes text,
             live_digest text,
             executed_at timestamptz NOT NULL DEFAULT now(),
             pending jsonb,
             canonical_key text,
             canonical text
         )"
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
        "INSERT INTO {} (kind, app_version, fingerprint, environment, statements, duration_ms, outcome, notes,
                         live_digest, pending, canonical_key, canonical)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        qualified(schema, HISTORY_TABLE)
    );
    let row = client.query_one(
        &sql,
        &[
            &entry.kind.as_str(),
            &entry.app_version,
            &entry.fingerprint,
            &entry.environment,
            &entry.statements,
            &entry.duration_ms,
            &entry.outcome.as_str(),
            &entry.notes,
            &entry.live_digest,
            &entry.pending,
            &entry.canonical.map(|(key, _)| key),
            &entry.canonical.map(|(_, json)| json),
        ],
    )?;
    Ok(row.get(0))
}

/// Stores the live catalog's digest on a row, once every step has run.
pub fn set_digest(
    client: &mut impl GenericClient,
    schema: &str,
    id: i64,
    digest: &str,
) -> Result<(), PgError> {
    let sql = format!(
        "UPDATE {} SET live_digest = $1 WHERE id = $2",
        qualified(schema, HISTORY_TABLE)
    );
    client.execute(&sql, &[&digest, &id])?;
    Ok(())
}

/// What the newest successful sync recorded for the next start.
#[derive(Debug)]
pub struct LatestSync {
    pub fingerprint: String,
    pub live_digest: Option<String>,
    pub pending: Option<serde_json::Value>,
}

/// The newest successful sync's row, from a [`HistoryTable::Current`] table.
pub fn latest_applied(
    client: &mut impl GenericClient,
    schema: &str,
) -> Result<Option<LatestSync>, PgError> {
    let sql = format!(
        "SELECT fingerprint, live_digest, pending FROM {}
         WHERE kind = $1 AND outcome IN ($2, $3)
         ORDER BY id DESC LIMIT 1",
        qualified(schema, HISTORY_TABLE)
    );
    let (kind, applied, verified) = (
        RunKind::Sync.as_str(),
        RunOutcome::Applied.as_str(),
        RunOutcome::Verified.as_str(),
    );
    let params: [&(dyn postgres::types::ToSql + Sync); 3] = [&kind, &applied, &verified];
    Ok(client.query_opt(&sql, &params)?.map(|row| LatestSync {
        fingerprint: row.get(0),
        live_digest: row.get(1),
        pending: row.get(2),
    }))
}

/// The declared expressions as the server spelled them under `key`, as JSON text, from
/// a [`HistoryTable::Current`] table.
pub fn canonical(
    client: &mut impl GenericClient,
    schema: &str,
    key: &str,
) -> Result<Option<String>, PgError> {
    let sql = format!(
        "SELECT canonical FROM {} WHERE canonical_key = $1 ORDER BY id DESC LIMIT 1",
        qualified(schema, HISTORY_TABLE)
    );
    Ok(client.query_opt(&sql, &[&key])?.map(|row| row.get(0)))
}
