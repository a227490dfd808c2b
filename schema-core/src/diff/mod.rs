//! Diff: compare the declared schema with the live one and list what differs.
//!
//! Both sides are [`Catalog`]s. The declared side should first go through
//! [`crate::canonical::canonicalize`] so that expressions (defaults, checks, index
//! predicates) are compared in the server's own spelling; otherwise a diff would never
//! settle.
//!
//! The changes come out in an order that can be applied as listed: enum types, renames,
//! new tables (in foreign-key order), changes to existing tables, foreign keys that close
//! cycles, functions and triggers, views, and last the unmanaged objects, which are
//! reported and never applied.

mod change;
mod columns;
mod constraints;
mod dependencies;
mod detail;
mod enums;
mod logic;
mod policies;
mod renames;
mod summary;
mod unfinished;
mod unmodeled;
mod views;

use std::collections::BTreeSet;

pub use change::{Change, ChangeKind, Safety};
pub use summary::summary;

use crate::catalog::Catalog;
use crate::model::TableDef;
use crate::plan::plan_creation;
use crate::step::Step;

/// Tables the toolkit keeps for itself; never reported as unmanaged.
pub const INTERNAL_TABLES: &[&str] = &[
    "schema_versions",
    "schema_migrations",
    "schema_tenant_settled",
];

/// Every difference between `expected` and `live`.
///
/// `live` must hold the tables of every schema the expected tables live in (tables that
/// name no schema live in `default_schema`).
pub fn diff(expected: &Catalog, live: &Catalog, default_schema: &str) -> Vec<Change> {
    let mut changes = enums::diff_enums(expected, live, default_schema);

    let mut missing: Vec<TableDef> = Vec::new();
    let mut matched_live: BTreeSet<(String, String)> = BTreeSet::new();
    let mut table_changes = Vec::new();
    for table in &expected.tables {
        let table = &*table.with_enum_schemas(default_schema);
        let schema = table.schema_or(default_schema);
        let found = live.table(schema, &table.name, default_schema);
        let renamed = || {
            table
                .options
                .renamed_from
                .iter()
                .find_map(|old| live.table(schema, old, default_schema))
        };
        match found.or_else(renamed) {
            Some(live_table) => {
                matched_live.insert((schema.to_owned(), live_table.name.to_string()));
                if live_table.name != table.name {
                    changes.push(Change {
                        kind: ChangeKind::RenamedTable,
                        safety: Safety::Safe,
                        object: format!("{schema}.{}", table.name),
                        detail: format!("declared as renamed from `{}`", live_table.name),
                        steps: vec![Step::RenameTable {
                            schema: schema.to_owned(),
                            from: live_table.name.clone(),
                            to: table.name.clone(),
                        }],
                    });
                }
                diff_table(
                    table,
                    live_table,
                    schema,
                    default_schema,
                    &mut table_changes,
                );
            }
            None => missing.push(table.clone()),
        }
    }

    changes.extend(missing_tables(&missing, default_schema));
    let finish = unfinished::diff_unfinished(expected, live, default_schema, &table_changes);
    let unmodeled = unmodeled::diff_unmodeled(expected, live, default_schema, &table_changes);
    changes.extend(table_changes);
    changes.extend(finish);
    changes.extend(unmodeled);
    changes.extend(logic::diff_logic(expected, live, default_schema));
    changes.extend(views::diff_views(expected, live, default_schema));
    changes.extend(unmanaged_tables(
        expected,
        live,
        &matched_live,
        default_schema,
    ));
    changes
}

/// One `missing-table` change per table, in creation order, each with its indexes (and
/// the `CREATE SCHEMA` its schema needs); foreign keys that close a cycle come after all
/// the tables.
fn missing_tables(missing: &[TableDef], default_schema: &str) -> Vec<Change> {
    let plan = plan_creation(missing, &[], default_schema);
    let mut changes: Vec<Change> = Vec::new();
    let mut schema_steps: Vec<Step> = Vec::new();
    for step in plan.steps {
        match &step {
            Step::CreateSchema { .. } => schema_steps.push(step),
            Step::CreateTable { schema, table } => {
                let object = format!("{schema}.{}", table.name);
                let detail = format!("table `{}` does not exist", table.name);
                let mut steps = std::mem::take(&mut schema_steps);
                steps.push(step);
                changes.push(Change {
                    kind: ChangeKind::MissingTable,
                    safety: Safety::Safe,
                    object,
                    detail,
                    steps,
                });
            }
            Step::AddForeignKey {
                schema, table, fk, ..
            } => changes.push(Change {
                kind: ChangeKind::MissingForeignKey,
                safety: Safety::Safe,
                object: format!("{schema}.{table}.{}", fk.name),
                detail: "closes a reference cycle between new tables".into(),
                steps: vec![step],
            }),
            // Indexes follow their table's CREATE TABLE in the plan.
            _ => {
                if let Some(last) = changes.last_mut() {
                    last.steps.push(step);
                }
            }
        }
    }
    changes
}

/// Differences inside a table that exists on both sides (in `schema`; foreign keys that
/// name no schema point into `default_schema`).
fn diff_table(
    expected: &TableDef,
    live: &TableDef,
    schema: &str,
    default_schema: &str,
    out: &mut Vec<Change>,
) {
    let first = out.len();
    let live = &renames::carry_derived_names(expected, live, schema, out);
    columns::diff_columns(expected, live, schema, out);
    constraints::diff_constraints(expected, live, schema, default_schema, out);
    dependencies::escalate(&mut out[first..]);
    policies::diff_policies(expected, live, schema, out);
    if expected.comment != live.comment {
        out.push(Change {
            kind: ChangeKind::Comment,
            safety: Safety::Safe,
            object: format!("{schema}.{}", expected.name),
            detail: detail::comment(expected.comment.as_deref(), live.comment.as_deref()),
            steps: vec![Step::CommentOnTable {
                schema: schema.to_owned(),
                table: expected.name.clone(),
                comment: expected.comment.clone(),
            }],
        });
    }
}

/// Live tables in the managed schemas that the schema does not declare.
fn unmanaged_tables(
    expected: &Catalog,
    live: &Catalog,
    matched: &BTreeSet<(String, String)>,
    default_schema: &str,
) -> Vec<Change> {
    let managed: BTreeSet<&str> = expected
        .tables
        .iter()
        .map(|t| t.schema_or(default_schema))
        .collect();
    live.tables
        .iter()
        .filter(|t| {
            let schema = t.schema_or(default_schema);
            managed.contains(schema)
                && !INTERNAL_TABLES.contains(&&*t.name)
                && !matched.contains(&(schema.to_owned(), t.name.to_string()))
        })
        .map(|t| {
            let schema = t.schema_or(default_schema);
            Change {
                kind: ChangeKind::UnmanagedTable,
                safety: Safety::Destructive,
                object: format!("{schema}.{}", t.name),
                detail: "table is not declared in the schema".into(),
                steps: vec![Step::DropTable {
                    schema: schema.to_owned(),
                    table: t.name.clone(),
                }],
            }
        })
        .collect()
}
