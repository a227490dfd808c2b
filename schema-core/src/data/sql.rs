//! The SQL a comparison and a copy send: identifiers quoted by [`ident`], values bound
//! as `text[]` parameters and cast to each column's type on the server.

use crate::data::key::is_integer;
use crate::data::row_hash::record;
use crate::ddl::{column_type, ident, qualified};
use crate::model::{ColumnDef, TableDef};

/// A declared table placed in a target's schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placed<'a> {
    pub def: &'a TableDef,
    /// The schema the target runs in: the table's, and its enums', when they name none.
    pub default_schema: &'a str,
}

impl<'a> Placed<'a> {
    pub fn schema(&self) -> &'a str {
        self.def.schema.as_deref().unwrap_or(self.default_schema)
    }

    pub fn name(&self) -> String {
        qualified(self.schema(), &self.def.name)
    }

    fn sql_type(&self, c: &ColumnDef) -> String {
        column_type(self.default_schema, &c.sql_type, c.array)
    }
}

/// A key column as read: integers as `int8`, everything else as text.
fn key_select(c: &ColumnDef) -> String {
    if is_integer(c) {
        format!("{}::int8", ident(&c.name))
    } else {
        format!("{}::text", ident(&c.name))
    }
}

/// A key column as sorted: in the order [`crate::data::Key`] compares in.
fn key_order(c: &ColumnDef) -> String {
    if is_integer(c) {
        ident(&c.name)
    } else {
        format!("{}::text COLLATE \"C\"", ident(&c.name))
    }
}

/// A binary `COPY` of every key with a 128-bit hash of the row's `hashed` columns, in
/// key order: `hash_record_extended` of [`record`] with seeds 0 and 1. The record is
/// built once per row in a subquery (`OFFSET 0` keeps the planner from building it per
/// hash).
pub(crate) fn key_hashes(
    table: Placed,
    keys: &[&ColumnDef],
    hashed: &[&ColumnDef],
    filter: Option<&str>,
) -> String {
    let select: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} AS k{i}", key_select(c)))
        .collect();
    let outer: Vec<String> = (0..keys.len()).map(|i| format!("k{i}")).collect();
    let order: Vec<String> = keys.iter().map(|c| key_order(c)).collect();
    let (row, hashes) = if hashed.is_empty() {
        ("NULL".to_owned(), "0::int8, 0::int8")
    } else {
        (
            record(hashed),
            "pg_catalog.hash_record_extended(r, 0), pg_catalog.hash_record_extended(r, 1)",
        )
    };
    let filter = filter.map(|f| format!(" WHERE ({f})")).unwrap_or_default();
    format!(
        "COPY (SELECT {}, {hashes} \
         FROM (SELECT {}, {row} AS r FROM {}{filter} ORDER BY {} OFFSET 0) AS s) \
         TO STDOUT (FORMAT binary)",
        outer.join(", "),
        select.join(", "),
        table.name(),
        order.join(", ")
    )
}

/// `FROM table JOIN unnest($1::text[], ..) AS u(..) ON ..`: the rows whose `match_on`
/// columns equal one of the bound tuples (parameters `$1..$n`, one array per column).
fn joined(table: Placed, match_on: &[&ColumnDef]) -> String {
    let arrays: Vec<String> = (1..=match_on.len())
        .map(|i| format!("${i}::text[]"))
        .collect();
    let aliases: Vec<String> = (0..match_on.len()).map(|i| format!("k{i}")).collect();
    let conditions: Vec<String> = match_on
        .iter()
        .enumerate()
        .map(|(i, c)| format!("t.{} = u.k{i}::{}", ident(&c.name), table.sql_type(c)))
        .collect();
    format!(
        "FROM {} AS t JOIN unnest({}) AS u({}) ON {}",
        table.name(),
        arrays.join(", "),
        aliases.join(", "),
        conditions.join(" AND ")
    )
}

/// The distinct rows matching the bound tuples of `match_on`: their `keys` as read
/// (see [`key_select`]), then their `values` as text.
pub(crate) fn select_matching(
    table: Placed,
    keys: &[&ColumnDef],
    values: &[&ColumnDef],
    match_on: &[&ColumnDef],
) -> String {
    let columns: Vec<String> = keys
        .iter()
        .map(|c| format!("t.{}", key_select(c)))
        .chain(values.iter().map(|c| format!("t.{}::text", ident(&c.name))))
        .collect();
    format!(
        "SELECT DISTINCT {} {}",
        columns.join(", "),
        joined(table, match_on)
    )
}

/// Inserts one row per element of the bound arrays (`$1..$n`, one per column, as text).
/// `OVERRIDING SYSTEM VALUE` keeps the source's values of `GENERATED ALWAYS` identities.
pub(crate) fn insert(table: Placed, columns: &[&ColumnDef]) -> String {
    let names: Vec<String> = columns.iter().map(|c| ident(&c.name)).collect();
    let arrays: Vec<String> = (1..=columns.len())
        .map(|i| format!("${i}::text[]"))
        .collect();
    let casts: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("u.v{i}::{}", table.sql_type(c)))
        .collect();
    let aliases: Vec<String> = (0..columns.len()).map(|i| format!("v{i}")).collect();
    let overriding = if columns
        .iter()
        .any(|c| c.identity == Some(crate::model::Identity::Always))
    {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    format!(
        "INSERT INTO {} ({}){overriding} SELECT {} FROM unnest({}) AS u({})",
        table.name(),
        names.join(", "),
        casts.join(", "),
        arrays.join(", "),
        aliases.join(", ")
    )
}

/// Moves the sequence behind an identity or serial column past the column's largest
/// value, never backwards (`$1` the table's qualified name, `$2` the column).
pub(crate) fn advance_sequence(table: Placed, column: &ColumnDef) -> String {
    format!(
        "SELECT pg_catalog.setval(s.seq, m.top) \
         FROM (SELECT pg_catalog.pg_get_serial_sequence($1, $2)::regclass AS seq) AS s, \
              (SELECT max({})::int8 AS top FROM {}) AS m \
         WHERE s.seq IS NOT NULL AND m.top IS NOT NULL \
           AND m.top > COALESCE((SELECT ps.last_value FROM pg_catalog.pg_sequences ps \
               JOIN pg_catalog.pg_class c ON c.relname = ps.sequencename \
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = ps.schemaname \
               WHERE c.oid = s.seq), 0)",
        ident(&column.name),
        table.name()
    )
}
