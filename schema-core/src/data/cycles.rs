//! Reference cycles across tables in a copy: a table whose foreign key points at a
//! table inserted after it (the creation plan broke the cycle there).
//!
//! Rows are inserted table by table, parents first, and PostgreSQL checks a
//! non-deferred foreign key at the end of each statement, so such a key would find
//! its referenced row missing. A deferrable key is checked at commit instead (the copy
//! runs `SET CONSTRAINTS ALL DEFERRED`); a nullable one is inserted as NULL and set
//! by a second pass once every table is in; a key that is neither cannot be copied
//! and the copy is refused before anything is written.

use postgres::Transaction;
use postgres::types::ToSql;

use crate::data::error::DataError;
use crate::data::fetch::Matched;
use crate::data::key::{Key, KeyValue};
use crate::data::sql::Placed;
use crate::data::written_columns;
use crate::ddl::{column_type, ident};
use crate::model::{ColumnDef, Deferrable, TableDef};
use crate::plan::fk_target;

/// Rows per update statement of the second pass.
const UPDATE_BATCH: usize = 1000;

/// `defs` (parents first, as the creation plan orders them) reordered so that where
/// tables reference one another in a cycle, the table that goes first is one whose keys
/// into the rest of the cycle can wait: deferrable or nullable. Other tables keep their
/// order. When no table of a cycle qualifies, the plan's order stays and
/// [`second_pass_columns`] refuses the copy.
pub(crate) fn insert_order<'a>(defs: Vec<&'a TableDef>, default_schema: &str) -> Vec<&'a TableDef> {
    let place = |(schema, name): (String, String)| {
        defs.iter().position(|d| {
            d.name == name.as_str() && d.schema.as_deref().unwrap_or(default_schema) == schema
        })
    };
    // Per table: (referenced table, whether the key can wait), self-references aside.
    let parents: Vec<Vec<(usize, bool)>> = defs
        .iter()
        .enumerate()
        .map(|(i, def)| {
            def.foreign_keys
                .iter()
                .filter_map(|fk| {
                    let at = place(fk_target(fk, default_schema))?;
                    let nullable = fk
                        .columns
                        .iter()
                        .all(|name| def.columns.iter().any(|c| c.name == *name && c.nullable));
                    let waits = nullable || fk.deferrable != Deferrable::NotDeferrable;
                    (at != i).then_some((at, waits))
                })
                .collect()
        })
        .collect();
    let mut placed = vec![false; defs.len()];
    let mut order = Vec::with_capacity(defs.len());
    while order.len() < defs.len() {
        let unplaced = |i: &usize| !placed[*i];
        let ready = (0..defs.len())
            .filter(unplaced)
            .find(|&i| parents[i].iter().all(|&(p, _)| placed[p]))
            .or_else(|| {
                (0..defs.len())
                    .filter(unplaced)
                    .find(|&i| parents[i].iter().all(|&(p, waits)| placed[p] || waits))
            })
            .or_else(|| (0..defs.len()).find(unplaced));
        let Some(next) = ready else { break };
        placed[next] = true;
        order.push(defs[next]);
    }
    order
}

/// The columns of `defs[index]` (positions in its [`written_columns`]) to insert as NULL and set in
/// the second pass: those of its non-deferrable foreign keys to tables at or after
/// `index` in `defs` other than itself. A forward key with a NOT NULL column, and not
/// deferrable, is an error.
pub(crate) fn second_pass_columns(
    defs: &[&TableDef],
    index: usize,
    default_schema: &str,
) -> Result<Vec<usize>, DataError> {
    let def = defs[index];
    let place = |(schema, name): (String, String)| {
        defs.iter().position(|d| {
            d.name == name.as_str() && d.schema.as_deref().unwrap_or(default_schema) == schema
        })
    };
    let written = written_columns(def);
    let mut columns = Vec::new();
    for fk in def.foreign_keys.iter() {
        let Some(at) = place(fk_target(fk, default_schema)) else {
            continue;
        };
        if at <= index || fk.deferrable != Deferrable::NotDeferrable {
            continue;
        }
        for name in fk.columns.iter() {
            let Some(position) = written.iter().position(|c| c.name == *name) else {
                continue;
            };
            if !written[position].nullable {
                return Err(DataError::Cycle {
                    table: def.name.to_string(),
                    constraint: fk.name.to_string(),
                    referenced: fk.ref_table.to_string(),
                });
            }
            if !columns.contains(&position) {
                columns.push(position);
            }
        }
    }
    Ok(columns)
}

/// The values the second pass sets: per row with a value in one of `columns`, its key
/// and the values; those values are cleared in `rows`, which are then inserted.
pub(crate) fn hold_back(rows: &mut [Matched], columns: &[usize]) -> Vec<Matched> {
    let mut held = Vec::new();
    for (key, values) in rows.iter_mut() {
        if columns.iter().any(|&c| values[c].is_some()) {
            let kept = columns.iter().map(|&c| values[c].take()).collect();
            held.push((key.clone(), kept));
        }
    }
    held
}

/// The second pass: sets the held-back `columns` of `table` by key.
pub(crate) fn set_held_back(
    tx: &mut Transaction,
    table: Placed,
    keys: &[&ColumnDef],
    columns: &[&ColumnDef],
    held: &[Matched],
) -> Result<(), postgres::Error> {
    if held.is_empty() {
        return Ok(());
    }
    let sql = update(table, keys, columns);
    let statement = tx.prepare(&sql)?;
    for chunk in held.chunks(UPDATE_BATCH) {
        let mut arrays: Vec<Vec<Option<String>>> = (0..keys.len())
            .map(|i| chunk.iter().map(|(k, _)| Some(text(k, i))).collect())
            .collect();
        arrays
            .extend((0..columns.len()).map(|i| chunk.iter().map(|(_, v)| v[i].clone()).collect()));
        let params: Vec<&(dyn ToSql + Sync)> =
            arrays.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
        tx.execute(&statement, &params)?;
    }
    Ok(())
}

fn text(key: &Key, i: usize) -> String {
    key.0.get(i).map(KeyValue::as_text).unwrap_or_default()
}

/// `UPDATE t SET c = u.v0::type, … FROM unnest($1::text[], …) AS u(k0, …, v0, …)
/// WHERE t.key = u.k0::type AND …`: keys first, then the values, all bound as text.
fn update(table: Placed, keys: &[&ColumnDef], columns: &[&ColumnDef]) -> String {
    let sql_type = |c: &ColumnDef| column_type(table.default_schema, &c.sql_type, c.array);
    let arrays: Vec<String> = (1..=keys.len() + columns.len())
        .map(|i| format!("${i}::text[]"))
        .collect();
    let aliases: Vec<String> = (0..keys.len())
        .map(|i| format!("k{i}"))
        .chain((0..columns.len()).map(|i| format!("v{i}")))
        .collect();
    let set: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = u.v{i}::{}", ident(&c.name), sql_type(c)))
        .collect();
    let matched: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, c)| format!("t.{} = u.k{i}::{}", ident(&c.name), sql_type(c)))
        .collect();
    format!(
        "UPDATE {} AS t SET {} FROM unnest({}) AS u({}) WHERE {}",
        table.name(),
        set.join(", "),
        arrays.join(", "),
        aliases.join(", "),
        matched.join(" AND ")
    )
}
