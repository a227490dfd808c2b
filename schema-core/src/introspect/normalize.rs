//! A canonical order for a [`Catalog`], so that a declared and a live catalog compare
//! equal when they hold the same objects.
//!
//! Declarations keep the order they were written in (it decides DDL order and reads
//! well in generated SQL); the database has no order of its own for constraints and
//! indexes. Columns keep their order on both sides: it is part of the table.

use crate::catalog::Catalog;
use crate::model::{List, Text};

/// Sorts tables by (schema, name), enum types and functions by (schema, name), triggers
/// by (schema, table, name), and each table's
/// uniques, checks, foreign keys and indexes by name. Columns and key columns keep
/// their order.
pub fn normalize(catalog: &mut Catalog) {
    catalog
        .tables
        .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    catalog
        .enums
        .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    catalog
        .functions
        .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    catalog
        .triggers
        .sort_by(|a, b| (&a.schema, &a.table, &a.name).cmp(&(&b.schema, &b.table, &b.name)));
    catalog.unfinished.sort();
    catalog.unmodeled.sort();
    for table in &mut catalog.tables {
        sort_by_name(&mut table.uniques, |k| &k.name);
        sort_by_name(&mut table.checks, |c| &c.name);
        sort_by_name(&mut table.foreign_keys, |f| &f.name);
        sort_by_name(&mut table.indexes, |i| &i.name);
        sort_by_name(&mut table.policies, |p| &p.name);
    }
}

/// Sorts without copying a `'static` list that is already in order.
fn sort_by_name<T: Clone>(list: &mut List<T>, name: impl Fn(&T) -> &Text) {
    if !list.is_sorted_by(|a, b| name(a) <= name(b)) {
        list.to_mut().sort_by(|a, b| name(a).cmp(name(b)));
    }
}
