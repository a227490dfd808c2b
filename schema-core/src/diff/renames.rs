//! Names derived from a table's and its columns' names follow them when they are renamed.
//!
//! PostgreSQL names keys, checks, foreign keys and indexes after their table and columns
//! (`people_pkey`, `people_full_name_key`), and so does the DSL. When a table or column
//! is renamed (declared with `renamed_from`), its live objects keep the old names;
//! without this step the diff would drop them and create them again under the new ones.
//!
//! Only default names are followed: for a declared object missing under its name, its
//! default name is rebuilt from the live (old) table and column names, and a live object
//! of the same kind under that name is renamed. Explicitly named objects keep their name.

use crate::diff::{Change, ChangeKind, Safety};
use crate::model::{TableDef, Text};
use crate::step::Step;

/// The live table with derived names renamed to the declared ones, and a change for
/// each rename.
pub(super) fn carry_derived_names(
    expected: &TableDef,
    live: &TableDef,
    schema: &str,
    out: &mut Vec<Change>,
) -> TableDef {
    let mut live = live.clone();
    let old_column = |new: &str| -> String {
        let declared = expected.column(new);
        let found = declared.and_then(|c| {
            std::iter::once(&c.name)
                .chain(c.renamed_from.iter())
                .find(|n| live_has_column(&live, n))
        });
        found.map_or_else(|| new.to_owned(), |n| n.to_string())
    };
    let column_renames: Vec<(String, String)> = expected
        .columns
        .iter()
        .map(|c| (old_column(&c.name), c.name.to_string()))
        .filter(|(old, new)| old != new)
        .collect();
    if live.name == expected.name && column_renames.is_empty() {
        return live;
    }
    let names = Names {
        new_table: &expected.name,
        old_table: &live.name,
        old_column: &old_column,
    };

    // Constraints share one namespace per table; indexes (and the keys' indexes) one per
    // schema. A rename targets a live object of the same kind only.
    let mut renames: Vec<(Text, Text, bool)> = Vec::new();
    let mut follow = |declared: &Text, live_names: &[Text], old: Option<String>, index: bool| {
        let Some(old) = old else { return };
        if live_names.contains(declared) || !live_names.iter().any(|n| **n == old) {
            return;
        }
        renames.push((old.into(), declared.clone(), index));
    };
    let pk_names: Vec<Text> = live.primary_key.iter().map(|k| k.name.clone()).collect();
    if let Some(pk) = &expected.primary_key {
        follow(&pk.name, &pk_names, names.old(&pk.name, &[], "pkey"), false);
    }
    let unique_names: Vec<Text> = live.uniques.iter().map(|u| u.name.clone()).collect();
    for u in expected.uniques.iter() {
        follow(
            &u.name,
            &unique_names,
            names.old(&u.name, &u.columns, "key"),
            false,
        );
    }
    let fk_names: Vec<Text> = live.foreign_keys.iter().map(|f| f.name.clone()).collect();
    for f in expected.foreign_keys.iter() {
        follow(
            &f.name,
            &fk_names,
            names.old(&f.name, &f.columns, "fkey"),
            false,
        );
    }
    let check_names: Vec<Text> = live.checks.iter().map(|c| c.name.clone()).collect();
    for c in expected.checks.iter() {
        // A column check is named after its column; find which one.
        let old = expected
            .columns
            .iter()
            .find_map(|col| names.old(&c.name, std::slice::from_ref(&col.name), "check"));
        follow(&c.name, &check_names, old, false);
    }
    let index_names: Vec<Text> = live.indexes.iter().map(|i| i.name.clone()).collect();
    for i in expected.indexes.iter() {
        follow(
            &i.name,
            &index_names,
            names.old(&i.name, &i.columns, "idx"),
            true,
        );
    }

    for (from, to, index) in renames {
        let step = if index {
            Step::RenameIndex {
                schema: schema.to_owned(),
                from: from.clone(),
                to: to.clone(),
            }
        } else {
            Step::RenameConstraint {
                schema: schema.to_owned(),
                table: expected.name.clone(),
                from: from.clone(),
                to: to.clone(),
            }
        };
        out.push(Change {
            kind: if index {
                ChangeKind::RenamedIndex
            } else {
                ChangeKind::RenamedConstraint
            },
            safety: Safety::Safe,
            object: format!("{schema}.{}.{to}", expected.name),
            detail: format!("`{from}` follows the new table or column name"),
            steps: vec![step],
        });
        rename_in(&mut live, &from, &to);
    }
    // The server rewrites references to a renamed column itself (key columns, index
    // expressions and predicates, check expressions), so the live copy does too.
    for (old, new) in &column_renames {
        rename_column_references(&mut live, old, new);
    }
    live
}

/// Points every reference to column `old` in `live`'s keys, indexes and checks at `new`.
fn rename_column_references(live: &mut TableDef, old: &str, new: &str) {
    let column = |names: &mut crate::model::List<Text>| {
        for name in names.to_mut() {
            *name = replace_identifier(name, old, new).into();
        }
    };
    if let Some(pk) = live.primary_key.as_mut() {
        column(&mut pk.columns);
    }
    live.uniques
        .to_mut()
        .iter_mut()
        .for_each(|u| column(&mut u.columns));
    live.foreign_keys
        .to_mut()
        .iter_mut()
        .for_each(|f| column(&mut f.columns));
    for index in live.indexes.to_mut() {
        column(&mut index.columns);
        if let Some(p) = &index.predicate {
            index.predicate = Some(replace_identifier(p, old, new).into());
        }
    }
    for check in live.checks.to_mut() {
        check.expression = replace_identifier(&check.expression, old, new).into();
    }
}

/// `sql` with every whole-identifier occurrence of `from` replaced by `to`, outside
/// string literals.
fn replace_identifier(sql: &str, from: &str, to: &str) -> String {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(sql.len());
    let mut in_literal = false;
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            in_literal = !in_literal;
        }
        let starts_word = out.chars().next_back().is_none_or(|p| !is_ident(p));
        let ends_word = || {
            rest[from.len()..]
                .chars()
                .next()
                .is_none_or(|n| !is_ident(n))
        };
        if !in_literal && starts_word && rest.starts_with(from) && ends_word() {
            out.push_str(to);
            rest = &rest[from.len()..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The old and new names a default name is made of.
struct Names<'a> {
    new_table: &'a str,
    old_table: &'a str,
    old_column: &'a dyn Fn(&str) -> String,
}

impl Names<'_> {
    /// When `declared` is the default name for `columns` with `suffix`
    /// (`<table>_<col>_…_<suffix>`), the same default under the old names.
    fn old(&self, declared: &str, columns: &[Text], suffix: &str) -> Option<String> {
        let default = |table: &str, cols: Vec<String>| {
            let mut parts = vec![table.to_owned()];
            parts.extend(cols);
            parts.push(suffix.to_owned());
            parts.join("_")
        };
        let new_cols: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        if columns.iter().any(|c| c.starts_with('('))
            || default(self.new_table, new_cols) != declared
        {
            return None;
        }
        let old_cols = columns.iter().map(|c| (self.old_column)(c)).collect();
        Some(default(self.old_table, old_cols))
    }
}

fn live_has_column(live: &TableDef, name: &str) -> bool {
    live.columns.iter().any(|c| c.name == name)
}

/// Renames the live constraint or index `from` to `to` in the in-memory copy.
fn rename_in(live: &mut TableDef, from: &str, to: &Text) {
    let set = |name: &mut Text| {
        if name == from {
            *name = to.clone();
        }
    };
    if let Some(pk) = live.primary_key.as_mut() {
        set(&mut pk.name);
    }
    live.uniques
        .to_mut()
        .iter_mut()
        .for_each(|u| set(&mut u.name));
    live.checks
        .to_mut()
        .iter_mut()
        .for_each(|c| set(&mut c.name));
    live.foreign_keys
        .to_mut()
        .iter_mut()
        .for_each(|f| set(&mut f.name));
    live.indexes
        .to_mut()
        .iter_mut()
        .for_each(|i| set(&mut i.name));
}

#[cfg(test)]
mod tests {
    use super::replace_identifier;

    #[test]
    fn replaces_whole_identifiers_outside_literals() {
        assert_eq!(replace_identifier("full_name", "full_name", "name"), "name");
        assert_eq!(
            replace_identifier(
                "(full_name <> 'full_name') AND (x_full_name > 0)",
                "full_name",
                "name"
            ),
            "(name <> 'full_name') AND (x_full_name > 0)"
        );
        assert_eq!(
            replace_identifier("lower(full_name)", "full_name", "n"),
            "lower(n)"
        );
    }
}
