//! Keys, checks, foreign keys and indexes, matched by name.
//!
//! Constraints added to a table that already exists go in `NOT VALID` and are validated
//! after the transaction commits: validation scans the table without blocking writes.
//! Indexes on existing tables are built `CONCURRENTLY`, also after the commit.

use crate::diff::{Change, ChangeKind, Safety, detail};
use crate::model::{KeyDef, TableDef, Text};
use crate::step::Step;

/// Differences in the keys, checks, foreign keys and indexes of a table in `schema`;
/// a declared foreign key that names no target schema points into `default_schema`.
pub(super) fn diff_constraints(
    expected: &TableDef,
    live: &TableDef,
    schema: &str,
    default_schema: &str,
    out: &mut Vec<Change>,
) {
    let s = || schema.to_owned();
    let table = &expected.name;
    let object = |name: &str| format!("{schema}.{table}.{name}");
    let drop_constraint = |name: &Text| Step::DropConstraint {
        schema: s(),
        table: table.clone(),
        name: name.clone(),
    };
    let validate = |name: &Text| Step::ValidateConstraint {
        schema: s(),
        table: table.clone(),
        name: name.clone(),
    };

    match (&expected.primary_key, &live.primary_key) {
        (Some(pk), None) => out.push(Change {
            kind: ChangeKind::MissingPrimaryKey,
            safety: Safety::Review,
            object: object(&pk.name),
            detail: format!(
                "primary key ({}) is missing: fails on duplicate or NULL keys",
                pk.columns.join(", ")
            ),
            steps: vec![Step::AddPrimaryKey {
                schema: s(),
                table: table.clone(),
                key: pk.clone(),
            }],
        }),
        (Some(pk), Some(found)) if pk != found => out.push(Change {
            kind: ChangeKind::PrimaryKeyDiffers,
            safety: Safety::Destructive,
            object: object(&pk.name),
            detail: format!("expected {}, found {}", key_words(pk), key_words(found)),
            steps: vec![
                drop_constraint(&found.name),
                Step::AddPrimaryKey {
                    schema: s(),
                    table: table.clone(),
                    key: pk.clone(),
                },
            ],
        }),
        (None, Some(found)) => out.push(unmanaged(
            object(&found.name),
            "primary key",
            drop_constraint(&found.name),
        )),
        _ => {}
    }

    for unique in expected.uniques.iter() {
        let add = Step::AddUnique {
            schema: s(),
            table: table.clone(),
            key: unique.clone(),
        };
        match live.uniques.iter().find(|u| u.name == unique.name) {
            None => out.push(Change {
                kind: ChangeKind::MissingUnique,
                safety: Safety::Review,
                object: object(&unique.name),
                detail: format!(
                    "unique ({}) is missing: fails if duplicates exist",
                    unique.columns.join(", ")
                ),
                steps: vec![add],
            }),
            Some(found) if found != unique => out.push(Change {
                kind: ChangeKind::UniqueDiffers,
                safety: Safety::Review,
                object: object(&unique.name),
                detail: format!("expected {}, found {}", key_words(unique), key_words(found)),
                steps: vec![drop_constraint(&found.name), add],
            }),
            Some(_) => {}
        }
    }

    for check in expected.checks.iter() {
        let add = Step::AddCheck {
            schema: s(),
            table: table.clone(),
            check: check.clone(),
            not_valid: true,
        };
        match live.checks.iter().find(|c| c.name == check.name) {
            None => out.push(Change {
                kind: ChangeKind::MissingCheck,
                safety: Safety::Safe,
                object: object(&check.name),
                detail: format!("check ({}) is missing", check.expression),
                steps: vec![add, validate(&check.name)],
            }),
            Some(found) if found.expression != check.expression => out.push(Change {
                kind: ChangeKind::CheckDiffers,
                safety: Safety::Review,
                object: object(&check.name),
                // The server prints a check's expression in parentheses already.
                detail: format!("expected {}, found {}", check.expression, found.expression),
                steps: vec![drop_constraint(&found.name), add, validate(&check.name)],
            }),
            Some(_) => {}
        }
    }

    for fk in expected.foreign_keys.iter() {
        // A live key always names its target's schema; the declared one may leave it to
        // the default.
        let fk = &fk.resolved(default_schema);
        let add = Step::AddForeignKey {
            schema: s(),
            table: table.clone(),
            fk: fk.clone(),
            not_valid: true,
        };
        let found = live.foreign_keys.iter().find(|f| f.name == fk.name);
        let same = found == Some(fk);
        match found {
            None => out.push(Change {
                kind: ChangeKind::MissingForeignKey,
                safety: Safety::Safe,
                object: object(&fk.name),
                detail: format!(
                    "foreign key ({}) → {} is missing",
                    fk.columns.join(", "),
                    fk.ref_table
                ),
                steps: vec![add, validate(&fk.name)],
            }),
            Some(found) if !same => out.push(Change {
                kind: ChangeKind::ForeignKeyDiffers,
                safety: Safety::Review,
                object: object(&fk.name),
                detail: detail::foreign_key(fk, found),
                steps: vec![drop_constraint(&found.name), add, validate(&fk.name)],
            }),
            Some(_) => {}
        }
    }

    for index in expected.indexes.iter() {
        let create = Step::CreateIndex {
            schema: s(),
            table: table.clone(),
            index: index.clone(),
            concurrently: true,
        };
        match live.indexes.iter().find(|i| i.name == index.name) {
            None => out.push(Change {
                kind: ChangeKind::MissingIndex,
                safety: Safety::Safe,
                object: object(&index.name),
                detail: format!("index on ({}) is missing", index.columns.join(", ")),
                steps: vec![create],
            }),
            Some(found) if found != index => out.push(Change {
                kind: ChangeKind::IndexDiffers,
                safety: Safety::Review,
                object: object(&index.name),
                detail: detail::index(index, found),
                steps: vec![
                    Step::DropIndex {
                        schema: s(),
                        name: found.name.clone(),
                        concurrently: false,
                    },
                    create,
                ],
            }),
            Some(_) => {}
        }
    }

    let declared = |name: &Text| {
        expected
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.name == *name)
            || expected.uniques.iter().any(|u| u.name == *name)
            || expected.checks.iter().any(|c| c.name == *name)
            || expected.foreign_keys.iter().any(|f| f.name == *name)
    };
    let live_constraints = live
        .uniques
        .iter()
        .map(|u| (&u.name, "unique constraint"))
        .chain(live.checks.iter().map(|c| (&c.name, "check constraint")))
        .chain(live.foreign_keys.iter().map(|f| (&f.name, "foreign key")));
    for (name, what) in live_constraints {
        if !declared(name) {
            out.push(unmanaged(object(name), what, drop_constraint(name)));
        }
    }
    for index in live.indexes.iter() {
        if !expected.indexes.iter().any(|i| i.name == index.name) {
            out.push(Change {
                kind: ChangeKind::UnmanagedIndex,
                safety: Safety::Destructive,
                object: object(&index.name),
                detail: "index is not declared in the schema".into(),
                steps: vec![Step::DropIndex {
                    schema: s(),
                    name: index.name.clone(),
                    concurrently: false,
                }],
            });
        }
    }
}

fn unmanaged(object: String, what: &str, drop: Step) -> Change {
    Change {
        kind: ChangeKind::UnmanagedConstraint,
        safety: Safety::Destructive,
        object,
        detail: format!("{what} is not declared in the schema"),
        steps: vec![drop],
    }
}

fn key_words(key: &KeyDef) -> String {
    format!("{} ({})", key.name, key.columns.join(", "))
}
