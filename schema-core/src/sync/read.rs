//! Reading the live schema: the fast path, and the full introspect–canonicalize–diff.

use postgres::Client;

use crate::canonical::canonicalize;
use crate::catalog::Catalog;
use crate::diff::{Change, diff};
use crate::expected::ExpectedSchema;
use crate::introspect::introspect_snapshot;
use crate::sync::duplicates::check_missing_keys;
use crate::sync::{SyncError, SyncOptions, history, signature};

pub(super) enum FastPath {
    /// The schema is current.
    Holds,
    /// It may not be: the live digest it was checked at, and whether the history table
    /// exists.
    Stale { digest: String, has_history: bool },
}

/// The fast path: two queries prove the schema current, or say that it may not be.
pub(super) fn fast_path(
    client: &mut Client,
    schemas: &[String],
    schema: &str,
    fingerprint: &str,
) -> Result<FastPath, SyncError> {
    let (live, has_history) = signature::live_signature(client, schemas, schema)
        .map_err(SyncError::db("reading the live digest"))?;
    if has_history {
        let latest = history::latest_applied(client, schema)
            .map_err(SyncError::db("reading the history"))?;
        let current = |(stored, digest): (String, Option<String>)| {
            stored == fingerprint && digest.as_deref() == Some(&*live)
        };
        if latest.is_some_and(current) {
            return Ok(FastPath::Holds);
        }
    }
    Ok(FastPath::Stale {
        digest: live,
        has_history,
    })
}

/// Introspects, canonicalizes the declared expressions and diffs; returns the actionable
/// changes and the unmanaged objects separately, and the live catalog they were found
/// against. Missing keys are then checked against the rows.
pub(crate) fn find_changes(
    client: &mut Client,
    expected: &ExpectedSchema,
    schemas: &[String],
    options: &SyncOptions,
) -> Result<(Vec<Change>, Vec<Change>, Catalog), SyncError> {
    let schema = options.default_schema.as_str();
    let names: Vec<&str> = schemas.iter().map(String::as_str).collect();
    let live = introspect_snapshot(client, &names, options.lock_timeout)?;
    let mut declared = expected.catalog();
    // Only tables that exist need the server's spelling of their expressions: a missing
    // table is created from the declaration as written.
    let exists = |t: &crate::model::TableDef| {
        let s = t.schema_or(schema);
        std::iter::once(&t.name)
            .chain(t.options.renamed_from.iter())
            .any(|n| live.table(s, n, schema).is_some())
    };
    if declared.tables.iter().any(exists) {
        let (present, absent): (Vec<_>, Vec<_>) =
            declared.tables.into_iter().partition(|t| exists(t));
        let subset = Catalog {
            tables: present,
            enums: declared.enums.clone(),
            ..Default::default()
        };
        let mut canonical = canonicalize(client, &subset, schema)
            .map_err(|e| SyncError::Canonicalize(e.to_string()))?;
        canonical.tables.extend(absent);
        declared.tables = canonical.tables;
    }
    let (unmanaged, mut changes): (Vec<Change>, Vec<Change>) = diff(&declared, &live, schema)
        .into_iter()
        .partition(|c| c.kind.is_unmanaged());
    check_missing_keys(client, &mut changes, &live, schema, options);
    Ok((changes, unmanaged, live))
}

/// Every schema the set's tables and enum types live in, sorted.
pub(crate) fn managed_schemas(expected: &ExpectedSchema, default_schema: &str) -> Vec<String> {
    let mut schemas: Vec<String> = expected
        .tables
        .iter()
        .map(|t| t.schema_or(default_schema).to_owned())
        .chain(
            expected
                .enums()
                .iter()
                .map(|e| e.schema.as_deref().unwrap_or(default_schema).to_owned()),
        )
        .chain(std::iter::once(default_schema.to_owned()))
        .collect();
    schemas.sort();
    schemas.dedup();
    schemas
}
