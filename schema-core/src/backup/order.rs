//! The order tables are backed up and restored in: parents before children.

use crate::model::TableDef;

/// `tables` with every table after the tables it references (among `tables`), ties in
/// the given order; tables in a reference cycle keep their given order.
pub(crate) fn parents_first(tables: Vec<TableDef>, default_schema: &str) -> Vec<TableDef> {
    let key = |t: &TableDef| {
        (
            t.schema.as_deref().unwrap_or(default_schema).to_owned(),
            t.name.to_string(),
        )
    };
    let keys: Vec<(String, String)> = tables.iter().map(key).collect();
    let parents: Vec<Vec<usize>> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.foreign_keys
                .iter()
                .filter_map(|fk| {
                    let schema = fk.ref_schema.as_deref().unwrap_or(&keys[i].0);
                    keys.iter()
                        .position(|(s, n)| s == schema && *n == fk.ref_table)
                })
                .filter(|&p| p != i)
                .collect()
        })
        .collect();
    let mut placed = vec![false; tables.len()];
    let mut order = Vec::with_capacity(tables.len());
    while order.len() < tables.len() {
        let ready = (0..tables.len())
            .find(|&i| !placed[i] && parents[i].iter().all(|&p| placed[p]))
            // A cycle: take the first unplaced table; its foreign keys must be deferrable
            // for a restore to load it.
            .or_else(|| (0..tables.len()).find(|&i| !placed[i]))
            .expect("an unplaced table remains");
        placed[ready] = true;
        order.push(ready);
    }
    let mut slots: Vec<Option<TableDef>> = tables.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
