//! Declared objects that exist but are not in force: an index left invalid by a failed
//! or interrupted concurrent build, a constraint added `NOT VALID` and never validated.
//!
//! Both are finished after the commit of a sync, where a failure is only a warning; this
//! is what makes the next sync retry them.

use crate::catalog::{Catalog, UnfinishedKind};
use crate::diff::{Change, ChangeKind, Safety};
use crate::step::Step;

/// A change for each unfinished live object the schema declares, unless `earlier`
/// already changes that object.
pub(super) fn diff_unfinished(
    expected: &Catalog,
    live: &Catalog,
    default_schema: &str,
    earlier: &[Change],
) -> Vec<Change> {
    let mut changes = Vec::new();
    for u in &live.unfinished {
        let Some(table) = expected
            .tables
            .iter()
            .find(|t| t.schema_or(default_schema) == u.schema && t.name == u.table)
        else {
            continue;
        };
        let object = format!("{}.{}.{}", u.schema, u.table, u.name);
        if earlier.iter().any(|c| c.object == object) {
            continue;
        }
        let schema = u.schema.clone();
        match u.kind {
            UnfinishedKind::InvalidIndex => {
                let Some(index) = table.indexes.iter().find(|i| i.name == *u.name) else {
                    continue;
                };
                changes.push(Change {
                    kind: ChangeKind::InvalidIndex,
                    safety: Safety::Safe,
                    object,
                    detail: "index is invalid (a concurrent build failed or was interrupted)"
                        .into(),
                    steps: vec![
                        Step::DropIndex {
                            schema: schema.clone(),
                            name: index.name.clone(),
                            concurrently: true,
                        },
                        Step::CreateIndex {
                            schema,
                            table: table.name.clone(),
                            index: index.clone(),
                            concurrently: true,
                        },
                    ],
                });
            }
            UnfinishedKind::UnvalidatedConstraint => {
                let declared = table.checks.iter().any(|c| c.name == *u.name)
                    || table.foreign_keys.iter().any(|f| f.name == *u.name);
                if declared {
                    changes.push(Change {
                        kind: ChangeKind::UnvalidatedConstraint,
                        safety: Safety::Safe,
                        object,
                        detail: "constraint is NOT VALID: existing rows were never checked".into(),
                        steps: vec![Step::ValidateConstraint {
                            schema,
                            table: table.name.clone(),
                            name: u.name.clone().into(),
                        }],
                    });
                }
            }
        }
    }
    changes
}
