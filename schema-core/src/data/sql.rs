//! The SQL a comparison and a copy send: identifiers quoted by [`ident`], values bound
//! as `text[]` parameters and cast to each column's type on the server.

use crate::data::key::is_integer;
use crate::data::row_hash::row_hash;
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

/// A binary `COPY` of every key with the 64-bit [`row_hash`] of the row's `hashed`
/// columns, a row per table row, in key order: works for every key type.
pub(crate) fn key_hashes(
    table: Placed,
    keys: &[&ColumnDef],
    hashed: &[&ColumnDef],
    filter: Option<&str>,
) -> String {
    let select: Vec<String> = keys.iter().map(|c| key_select(c)).collect();
    let order: Vec<String> = keys.iter().map(|c| key_order(c)).collect();
    format!(
        "COPY (SELECT {}, {} FROM {}{} ORDER BY {}) TO STDOUT (FORMAT binary)",
        select.join(", "),
        row_hash(hashed),
        table.name(),
        where_clause(filter, None),
        order.join(", ")
    )
}

/// Rows per chunk of [`key_hash_chunks`].
pub(crate) const CHUNK_ROWS: usize = 1024;

/// The recursive query's name for the chunk before, spelled so that no table's name
/// inside the query can shadow it.
const CHUNKS: &str = "\"key chunks\"";

/// The same keys and hashes as [`key_hashes`], packed [`CHUNK_ROWS`] rows to a `COPY`
/// row: one `int8[]` per key column, then an `int8[]` of hashes. Every row costs the
/// client a protocol message, most of a comparison's time on its side; a chunk costs
/// one. For integer keys only, walked through an index on them: each chunk is the
/// next rows after the last key of the one before (keyset pagination, in a recursive
/// query), so each step is one index descent, whatever the keys' spread. Run it only
/// where [`KEY_INDEX`] finds that index: without it, each step would sort the table.
pub(crate) fn key_hash_chunks(
    table: Placed,
    keys: &[&ColumnDef],
    hashed: &[&ColumnDef],
    filter: Option<&str>,
) -> String {
    let names: Vec<String> = keys.iter().map(|c| ident(&c.name)).collect();
    let select: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} AS k{i}", key_select(c)))
        .collect();
    let arrays: Vec<String> = (0..keys.len())
        .map(|i| format!("pg_catalog.array_agg(k{i}) AS k{i}"))
        .collect();
    let outputs: Vec<String> = (0..keys.len()).map(|i| format!("k{i}")).collect();
    let last: Vec<String> = (0..keys.len())
        .map(|i| format!("{CHUNKS}.k{i}[pg_catalog.array_upper({CHUNKS}.k{i}, 1)]"))
        .collect();
    let rows = |after: Option<&str>| {
        format!(
            "SELECT {}, pg_catalog.array_agg(h) AS h FROM (SELECT {}, {} AS h FROM {}{} \
             ORDER BY {} LIMIT {CHUNK_ROWS}) AS r",
            arrays.join(", "),
            select.join(", "),
            row_hash(hashed),
            table.name(),
            where_clause(filter, after),
            names.join(", ")
        )
    };
    let next = format!("({}) > ({})", names.join(", "), last.join(", "));
    format!(
        "COPY (WITH RECURSIVE {CHUNKS}({outputs}, h) AS (({first}) UNION ALL \
         (SELECT x.* FROM {CHUNKS}, LATERAL ({following}) AS x WHERE x.k0 IS NOT NULL)) \
         SELECT {outputs}, h FROM {CHUNKS} WHERE k0 IS NOT NULL) TO STDOUT (FORMAT binary)",
        outputs = outputs.join(", "),
        first = rows(None),
        following = rows(Some(&next)),
    )
}

/// Whether the table `$1` (qualified, quoted) has a valid btree index, not partial,
/// whose leading columns are `$2` (names, in order): what [`key_hash_chunks`] walks.
pub(crate) const KEY_INDEX: &str = "SELECT EXISTS (
    SELECT 1 FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_catalog.pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
    WHERE i.indrelid = pg_catalog.to_regclass($1) AND i.indisvalid AND i.indpred IS NULL
      AND i.indnkeyatts >= pg_catalog.cardinality($2::text[])
      AND ARRAY(SELECT a.attname::text
                FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE k.n <= pg_catalog.cardinality($2::text[])
                ORDER BY k.n) = $2::text[])";

/// ` WHERE (filter) AND more`, or nothing when there is neither. The filter is closed
/// on a line of its own so that a trailing comment in it cannot swallow the rest.
fn where_clause(filter: Option<&str>, more: Option<&str>) -> String {
    let filter = filter.map(|f| format!("({f}\n)"));
    let conditions: Vec<&str> = filter.as_deref().into_iter().chain(more).collect();
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
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
