//! Missing keys on tables that exist: the rows decide whether adding one is safe.
//!
//! The diff has no connection, so it classifies a missing unique constraint or primary
//! key as needing review: adding it fails on duplicate keys. After the diff, one query
//! per such key looks at the rows. With no duplicate (and, for a primary key, no NULL)
//! keys, the key is safe: its index is built concurrently after the commit and the
//! constraint then takes it over ([`Step::AddKeyUsingIndex`]), so writers are not
//! blocked while the table is scanned. With duplicates it stays for review, and the
//! detail says how many keys are duplicated and shows a few of them.

use postgres::Client;

use crate::catalog::Catalog;
use crate::ddl::duplicate_keys_query;
use crate::diff::{Change, ChangeKind, Safety};
use crate::model::{KeyDef, Text};
use crate::pg_error::PgError;
use crate::step::Step;
use crate::sync::apply::set_timeouts;
use crate::sync::options::SyncOptions;

/// How many duplicated keys a detail shows.
const EXAMPLES: i64 = 3;
/// How much of each shown key a detail keeps.
const EXAMPLE_CHARS: usize = 60;

/// Reclassifies the missing keys among `changes` after looking at the rows of `live`.
/// A key whose check cannot run (a missing column, a locked table) keeps the diff's
/// classification, and its detail says why.
pub(crate) fn check_missing_keys(
    client: &mut Client,
    changes: &mut [Change],
    live: &Catalog,
    default_schema: &str,
    options: &SyncOptions,
) {
    let referenced = referenced_by_new_keys(changes);
    for change in changes.iter_mut() {
        let (schema, table, key, primary_key) = match change.steps.as_slice() {
            [Step::AddUnique { schema, table, key }]
                if change.kind == ChangeKind::MissingUnique =>
            {
                (schema, table, key, false)
            }
            [Step::AddPrimaryKey { schema, table, key }]
                if change.kind == ChangeKind::MissingPrimaryKey =>
            {
                (schema, table, key, true)
            }
            _ => continue,
        };
        // Raised by a change it depends on (a missing column): not for the rows to lower.
        if change.safety != Safety::Review {
            continue;
        }
        let Some(live_table) = live.table(schema, table, default_schema) else {
            continue;
        };
        if key.columns.iter().any(|c| live_table.column(c).is_none()) {
            continue;
        }
        if let Some(owner) = index_owner(live, schema, &key.name, default_schema) {
            change.detail = format!(
                "{}; an index called `{}` exists already (on {schema}.{owner}): drop or \
                 rename it first",
                change.detail, key.name
            );
            continue;
        }
        let found = match count_duplicates(client, schema, table, key, primary_key, options) {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!("could not check {schema}.{table} for duplicate keys: {e}");
                change.detail = format!("{}; could not check for duplicates: {e}", change.detail);
                continue;
            }
        };
        let what = if primary_key { "primary key" } else { "unique" };
        let columns = key.columns.join(", ");
        if found.keys > 0 || found.null_rows > 0 {
            change.detail = format!(
                "{what} ({columns}) is missing and the rows do not allow it: {}; fix those \
                 rows, then sync again",
                found.describe()
            );
            continue;
        }
        let nullable: Vec<&str> = key
            .columns
            .iter()
            .filter(|c| live_table.column(c).is_some_and(|c| c.nullable))
            .map(|c| &**c)
            .collect();
        if primary_key && !nullable.is_empty() {
            change.detail = format!(
                "{what} ({columns}) is missing; the rows have no duplicate or NULL keys, but \
                 adding it sets NOT NULL on ({}), which scans the table under an exclusive lock",
                nullable.join(", ")
            );
            continue;
        }
        change.safety = Safety::Safe;
        // A foreign key added in this transaction needs the key in place before the
        // commit: built in the transaction, it blocks writes while the index is built.
        let target = (schema.clone(), table.to_string(), key.columns.to_vec());
        if referenced.contains(&target) {
            change.detail = format!(
                "{what} ({columns}) is missing; the rows have no duplicate keys, and a \
                 foreign key added by this sync references it: it is added in the transaction"
            );
            continue;
        }
        change.detail = format!(
            "{what} ({columns}) is missing; the rows have no duplicate keys: its index is \
             built concurrently, then the constraint takes it over"
        );
        change.steps = vec![Step::AddKeyUsingIndex {
            schema: schema.clone(),
            table: table.clone(),
            key: key.clone(),
            primary_key,
        }];
    }
}

/// The (schema, table, columns) that the foreign keys added by `changes` reference.
fn referenced_by_new_keys(changes: &[Change]) -> Vec<(String, String, Vec<Text>)> {
    changes
        .iter()
        .flat_map(|c| &c.steps)
        .filter_map(|s| match s {
            Step::AddForeignKey { fk, .. } => Some((
                fk.ref_schema.as_deref().unwrap_or_default().to_owned(),
                fk.ref_table.to_string(),
                fk.ref_columns.to_vec(),
            )),
            _ => None,
        })
        .collect()
}

/// The live table, in `schema`, that has an index called `name`.
fn index_owner<'a>(
    live: &'a Catalog,
    schema: &str,
    name: &str,
    default_schema: &str,
) -> Option<&'a Text> {
    live.tables
        .iter()
        .filter(|t| t.schema_or(default_schema) == schema)
        .find(|t| t.indexes.iter().any(|i| i.name == name))
        .map(|t| &t.name)
}

/// What the rows hold against a key.
struct Duplicates {
    /// Key values held by more than one row.
    keys: i64,
    /// A few of them, as text.
    examples: Vec<String>,
    /// Rows with a NULL key column (counted for a primary key only).
    null_rows: i64,
}

impl Duplicates {
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.keys > 0 {
            let shown: Vec<String> = self.examples.iter().map(|e| shorten(e)).collect();
            parts.push(format!(
                "{} duplicate key{}, such as {}",
                self.keys,
                if self.keys == 1 { "" } else { "s" },
                shown.join(", ")
            ));
        }
        if self.null_rows > 0 {
            parts.push(format!(
                "{} row{} with a NULL key",
                self.null_rows,
                if self.null_rows == 1 { "" } else { "s" }
            ));
        }
        parts.join("; ")
    }
}

fn shorten(value: &str) -> String {
    match value.char_indices().nth(EXAMPLE_CHARS) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

/// One query on the key's columns, read-only, with the sync's timeouts: a locked or
/// huge table makes the check fail instead of stalling the sync.
fn count_duplicates(
    client: &mut Client,
    schema: &str,
    table: &str,
    key: &KeyDef,
    primary_key: bool,
    options: &SyncOptions,
) -> Result<Duplicates, PgError> {
    let sql = duplicate_keys_query(schema, table, &key.columns, primary_key);
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .start()
        .map_err(PgError)?;
    set_timeouts(&mut tx, options, true)?;
    let row = tx.query_one(&sql, &[&EXAMPLES])?;
    tx.commit()?;
    Ok(Duplicates {
        keys: row.try_get(0)?,
        examples: row.try_get(1)?,
        null_rows: row.try_get::<_, Option<i64>>(2)?.unwrap_or(0),
    })
}
