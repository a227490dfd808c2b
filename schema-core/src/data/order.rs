//! The order a copy inserts one table's rows in when the table references itself (a
//! ward's parent ward, an employee's manager): a referenced row before the rows that
//! reference it, so that each insert statement finds its parents already there.
//!
//! PostgreSQL checks a non-deferred foreign key at the end of each statement, so rows
//! inserted by the same statement may reference one another in any order; only rows in
//! different statements need ordering. Rows that reference one another in a cycle
//! (and the rows below them) cannot be ordered: they are returned apart, to be inserted
//! by a single statement.

use std::collections::HashMap;

use crate::data::fetch::Matched;
use crate::model::TableDef;
use crate::plan::fk_target;

/// `rows` (values in `def.columns` order) with every row after the rows of `rows` its
/// self-referencing foreign keys point at, ties in the order given; then the rows in
/// reference cycles, which must be inserted together. Tables that do not reference
/// themselves keep their order and have no cycle.
pub(crate) fn parents_first(
    def: &TableDef,
    default_schema: &str,
    rows: Vec<Matched>,
) -> (Vec<Matched>, Vec<Matched>) {
    let own_schema = def.schema.as_deref().unwrap_or(default_schema);
    let position = |name: &str| def.columns.iter().position(|c| c.name == name);
    let self_keys: Vec<(Vec<usize>, Vec<usize>)> = def
        .foreign_keys
        .iter()
        .filter(|fk| fk_target(fk, default_schema) == (own_schema.to_owned(), def.name.to_string()))
        .filter_map(|fk| {
            let from: Option<Vec<usize>> = fk.columns.iter().map(|c| position(c)).collect();
            let to: Option<Vec<usize>> = fk.ref_columns.iter().map(|c| position(c)).collect();
            Some((from?, to?))
        })
        .collect();
    if self_keys.is_empty() || rows.len() < 2 {
        return (rows, Vec::new());
    }
    // The values of `columns` in row `i`, or `None` when one is NULL (a foreign key
    // with a NULL column references nothing).
    let values = |i: usize, columns: &[usize]| -> Option<Vec<&str>> {
        columns.iter().map(|&c| rows[i].1[c].as_deref()).collect()
    };
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    let mut waiting = vec![0usize; rows.len()];
    for (from, to) in &self_keys {
        let referenced: HashMap<Vec<&str>, usize> = (0..rows.len())
            .filter_map(|i| values(i, to).map(|v| (v, i)))
            .collect();
        let edges: Vec<(usize, usize)> = (0..rows.len())
            .filter_map(|child| {
                let parent = *referenced.get(&values(child, from)?)?;
                // A row referencing itself is checked after its own insert.
                (parent != child).then_some((parent, child))
            })
            .collect();
        for (parent, child) in edges {
            children[parent].push(child);
            waiting[child] += 1;
        }
    }
    // Kahn's algorithm: a row is ready once every parent it has among `rows` is placed.
    let mut order: Vec<usize> = (0..rows.len()).filter(|&i| waiting[i] == 0).collect();
    let mut next = 0;
    while next < order.len() {
        for &child in &children[order[next]] {
            waiting[child] -= 1;
            if waiting[child] == 0 {
                order.push(child);
            }
        }
        next += 1;
    }
    let mut slots: Vec<Option<Matched>> = rows.into_iter().map(Some).collect();
    let ordered: Vec<Matched> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let cyclic: Vec<Matched> = slots.into_iter().flatten().collect();
    (ordered, cyclic)
}
