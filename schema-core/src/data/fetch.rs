//! Rows looked up by bound key tuples, in batches: what a copy reads and writes, and
//! the full rows behind a changed hash.

use postgres::Transaction;
use postgres::types::ToSql;

use crate::data::key::{Key, KeyValue, is_integer};
use crate::data::sql::{Placed, select_matching};
use crate::model::ColumnDef;

/// Tuples bound per query.
const BATCH: usize = 1000;

/// A matched row: its `keys` columns as a [`Key`], its `values` columns as text.
pub(crate) type Matched = (Key, Vec<Option<String>>);

/// The distinct rows of `table` whose `match_on` columns equal one of `tuples` (text
/// forms, one per `match_on` column).
pub(crate) fn matching(
    tx: &mut Transaction,
    table: Placed,
    keys: &[&ColumnDef],
    values: &[&ColumnDef],
    match_on: &[&ColumnDef],
    tuples: &[Vec<String>],
) -> Result<Vec<Matched>, postgres::Error> {
    let sql = select_matching(table, keys, values, match_on);
    let statement = tx.prepare(&sql)?;
    let mut out = Vec::new();
    for chunk in tuples.chunks(BATCH) {
        let arrays: Vec<Vec<&str>> = (0..match_on.len())
            .map(|i| chunk.iter().map(|t| t[i].as_str()).collect())
            .collect();
        let params: Vec<&(dyn ToSql + Sync)> =
            arrays.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
        for row in tx.query(&statement, &params)? {
            let key = keys
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if is_integer(c) {
                        KeyValue::Int(row.get(i))
                    } else {
                        KeyValue::Text(row.get(i))
                    }
                })
                .collect();
            let rest = (keys.len()..keys.len() + values.len())
                .map(|i| row.get(i))
                .collect();
            out.push((Key(key), rest));
        }
    }
    Ok(out)
}

/// The text tuples of `keys`, for binding.
pub(crate) fn tuples(keys: &[Key]) -> Vec<Vec<String>> {
    keys.iter()
        .map(|k| k.0.iter().map(KeyValue::as_text).collect())
        .collect()
}
