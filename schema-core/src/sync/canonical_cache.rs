//! The declared expressions in the server's spelling, kept in the history table.
//!
//! Spelling them means creating the declared tables in a scratch space and reading them
//! back (see [`crate::canonical`]), which costs more than the rest of a comparison. The
//! result depends only on the declaration (its fingerprint), the server version and the
//! session settings, so it is stored under a key made of those and reused by every
//! later comparison until one of them changes: a full comparison after drift then sends
//! the catalog queries and the fix, and a role that may not create anything (or a
//! read-only standby) can still compare.

use sha2::{Digest, Sha256};

use std::borrow::Cow;

use crate::canonical::copy_spelling;
use crate::catalog::Catalog;
use crate::ddl::qualified;
use crate::expected::ExpectedSchema;
use crate::model::TableDef;

/// The cache key for a declaration's fingerprint on a session ([`super::digest::LiveState::session`]).
pub(crate) fn key(fingerprint: &str, session: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"schema-core canonical v1\n");
    hasher.update(fingerprint.as_bytes());
    hasher.update(b"\n");
    hasher.update(session.as_bytes());
    hex::encode(hasher.finalize())
}

/// The stored form: every declared table, expressions as the server spells them.
pub(crate) fn encode(tables: &[TableDef]) -> String {
    serde_json::to_string(tables).unwrap_or_default()
}

/// The tables stored by [`encode`]; `None` when the text is not in this version's form.
pub(crate) fn decode(json: &str) -> Option<Vec<TableDef>> {
    serde_json::from_str(json).ok()
}

/// The stored form of every declared table's spelling: from `fresh` (what a comparison
/// spelled, for the tables that existed) or, for tables a run created, from `created`
/// (the catalog read back after creating them, in the same session). `None` when a
/// table is in neither.
pub(crate) fn complete(
    expected: &ExpectedSchema,
    default_schema: &str,
    fresh: &[TableDef],
    created: Option<&Catalog>,
) -> Option<String> {
    let tables: Option<Vec<TableDef>> = expected
        .tables
        .iter()
        .map(|t| {
            if let Some(known) = fresh
                .iter()
                .find(|f| f.schema == t.schema && f.name == t.name)
            {
                return Some(known.clone());
            }
            let schema = t.schema_or(default_schema);
            let live = created?.table(schema, &t.name, default_schema)?;
            let mut table = (*t).clone();
            let what = format!("table {}", qualified(schema, &t.name));
            let as_printed = |text: &str| Cow::Owned(text.to_owned());
            copy_spelling(&mut table, live, &what, &as_printed, &Clone::clone).ok()?;
            Some(table)
        })
        .collect();
    tables.map(|t| encode(&t))
}
