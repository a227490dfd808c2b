//! The `detail` of a change where an object exists on both sides but differs: what the
//! declaration expects and what the database has, for each part that differs, so a
//! reader need not look the object up to see what to fix.

use crate::ddl::literal;
use crate::model::{DEFAULT_SCHEMA, Deferrable, EnumDef, ForeignKeyDef, IndexDef, Text};

/// `part: expected A, found B` for every part whose two sides differ, joined by `; `.
fn differences(parts: &[(&str, String, String)]) -> String {
    parts
        .iter()
        .filter(|(_, expected, found)| expected != found)
        .map(|(part, expected, found)| format!("{part}: expected {expected}, found {found}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Which of a foreign key's columns, target and actions differ (both keys with their
/// target schema resolved, as the diff compares them).
pub(super) fn foreign_key(expected: &ForeignKeyDef, found: &ForeignKeyDef) -> String {
    // Every field, so that one added to the model cannot be left out of the message.
    let ForeignKeyDef {
        name: _,
        columns,
        ref_schema,
        ref_table,
        ref_columns,
        on_delete,
        on_update,
        deferrable,
        set_columns,
    } = expected;
    let target = |schema: &Option<Text>, table: &Text, columns: &[Text]| {
        let schema = schema.as_deref().unwrap_or(DEFAULT_SCHEMA);
        format!("{schema}.{table} {}", list(columns))
    };
    differences(&[
        ("columns", list(columns), list(&found.columns)),
        (
            "target",
            target(ref_schema, ref_table, ref_columns),
            target(&found.ref_schema, &found.ref_table, &found.ref_columns),
        ),
        (
            "on delete",
            on_delete.sql().into(),
            found.on_delete.sql().into(),
        ),
        (
            "on update",
            on_update.sql().into(),
            found.on_update.sql().into(),
        ),
        (
            "deferrable",
            deferrable_words(*deferrable).into(),
            deferrable_words(found.deferrable).into(),
        ),
        (
            "columns set on delete",
            set_list(set_columns),
            set_list(&found.set_columns),
        ),
    ])
}

/// Which of an index's columns, uniqueness, method and predicate differ.
pub(super) fn index(expected: &IndexDef, found: &IndexDef) -> String {
    let IndexDef {
        name: _,
        columns,
        unique,
        method,
        predicate,
    } = expected;
    let uniqueness = |unique: bool| if unique { "unique" } else { "not unique" }.to_owned();
    let access = |m: &Option<Text>| m.as_deref().unwrap_or("btree").to_owned();
    let filter = |p: &Option<Text>| p.as_deref().unwrap_or("none").to_owned();
    differences(&[
        ("columns", list(columns), list(&found.columns)),
        ("uniqueness", uniqueness(*unique), uniqueness(found.unique)),
        ("method", access(method), access(&found.method)),
        ("predicate", filter(predicate), filter(&found.predicate)),
    ])
}

/// A table's or column's comment on both sides, as quoted text.
pub(super) fn comment(expected: Option<&str>, found: Option<&str>) -> String {
    let words = |c: Option<&str>| c.map_or("no comment".into(), literal);
    format!("expected {}, found {}", words(expected), words(found))
}

/// Nullability on both sides.
pub(super) fn nullability(expected: bool, found: bool) -> String {
    let words = |nullable: bool| if nullable { "nullable" } else { "NOT NULL" };
    format!("expected {}, found {}", words(expected), words(found))
}

/// An enum type's labels on both sides, in their order.
pub(super) fn enum_labels(expected: &EnumDef, found: &EnumDef) -> String {
    let labels = |e: &EnumDef| {
        let quoted: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
        format!("({})", quoted.join(", "))
    };
    format!(
        "expected labels {}, found {}",
        labels(expected),
        labels(found)
    )
}

fn list(names: &[Text]) -> String {
    format!("({})", names.join(", "))
}

fn deferrable_words(deferrable: Deferrable) -> &'static str {
    match deferrable {
        Deferrable::NotDeferrable => "NOT DEFERRABLE",
        Deferrable::InitiallyImmediate => "DEFERRABLE",
        Deferrable::InitiallyDeferred => "DEFERRABLE INITIALLY DEFERRED",
    }
}

/// The columns `ON DELETE SET NULL (…)` sets, or `all` for the whole key.
fn set_list(columns: &[Text]) -> String {
    if columns.is_empty() {
        "all".to_owned()
    } else {
        list(columns)
    }
}
