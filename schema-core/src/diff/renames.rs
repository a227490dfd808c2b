//! Names derived from a table's name follow the table when it is renamed.
//!
//! PostgreSQL names keys, checks, foreign keys and indexes after their table
//! (`people_pkey`), and so does the DSL. When a table is renamed (declared with
//! `renamed_from`), its live objects keep the old names; without this step the diff
//! would drop them and create them again under the new names.

use crate::diff::{Change, ChangeKind, Safety};
use crate::model::{TableDef, Text};
use crate::step::Step;

/// The live table with the objects named `<old table>_…` renamed to the declared
/// `<new table>_…` names, and a change for each such rename.
pub(super) fn carry_derived_names(
    expected: &TableDef,
    live: &TableDef,
    schema: &str,
    out: &mut Vec<Change>,
) -> TableDef {
    let mut live = live.clone();
    if live.name == expected.name {
        return live;
    }
    let old_prefix = format!("{}_", live.name);
    let new_prefix = format!("{}_", expected.name);
    let follow = |name: &Text| -> Option<Text> {
        let rest = name.strip_prefix(old_prefix.as_str())?;
        Some(format!("{new_prefix}{rest}").into())
    };

    let declared_constraints: Vec<&Text> = expected
        .primary_key
        .iter()
        .map(|k| &k.name)
        .chain(expected.uniques.iter().map(|u| &u.name))
        .chain(expected.checks.iter().map(|c| &c.name))
        .chain(expected.foreign_keys.iter().map(|f| &f.name))
        .collect();
    let live_constraints: Vec<Text> = live
        .primary_key
        .iter()
        .map(|k| k.name.clone())
        .chain(live.uniques.iter().map(|u| u.name.clone()))
        .chain(live.checks.iter().map(|c| c.name.clone()))
        .chain(live.foreign_keys.iter().map(|f| f.name.clone()))
        .collect();
    let mut rename_constraint = |name: &mut Text| {
        let Some(to) = follow(name) else { return };
        if declared_constraints.contains(&&to) && !live_constraints.contains(&to) {
            let mut change = renamed(ChangeKind::RenamedConstraint, schema, expected, name, &to);
            change.steps = vec![Step::RenameConstraint {
                schema: schema.to_owned(),
                table: expected.name.clone(),
                from: name.clone(),
                to: to.clone(),
            }];
            out.push(change);
            *name = to;
        }
    };
    if let Some(pk) = live.primary_key.as_mut() {
        rename_constraint(&mut pk.name);
    }
    live.uniques
        .to_mut()
        .iter_mut()
        .for_each(|u| rename_constraint(&mut u.name));
    live.checks
        .to_mut()
        .iter_mut()
        .for_each(|c| rename_constraint(&mut c.name));
    live.foreign_keys
        .to_mut()
        .iter_mut()
        .for_each(|f| rename_constraint(&mut f.name));

    let live_indexes: Vec<Text> = live.indexes.iter().map(|i| i.name.clone()).collect();
    for index in live.indexes.to_mut() {
        let Some(to) = follow(&index.name) else {
            continue;
        };
        if expected.indexes.iter().any(|i| i.name == to) && !live_indexes.contains(&to) {
            let mut change = renamed(ChangeKind::RenamedIndex, schema, expected, &index.name, &to);
            change.steps = vec![Step::RenameIndex {
                schema: schema.to_owned(),
                from: index.name.clone(),
                to: to.clone(),
            }];
            out.push(change);
            index.name = to;
        }
    }
    live
}

fn renamed(kind: ChangeKind, schema: &str, table: &TableDef, from: &str, to: &str) -> Change {
    Change {
        kind,
        safety: Safety::Safe,
        object: format!("{schema}.{}.{to}", table.name),
        detail: format!("`{from}` follows its table's new name"),
        steps: Vec::new(),
    }
}
