//! What live objects have that the model cannot express: index options (`DESC`, an
//! operator class or collation, `INCLUDE`, `NULLS NOT DISTINCT`) and exclusion
//! constraints. Without this, such differences would compare equal and hide.

use crate::catalog::{Catalog, UnmodeledKind};
use crate::diff::{Change, ChangeKind, Safety};
use crate::step::Step;

/// A change for each remark: a declared index whose live copy has extra options is
/// rebuilt as declared (needs review: the options may be there on purpose); an
/// exclusion constraint is unmanaged. Objects `earlier` changes already touch are left
/// to those changes.
pub(super) fn diff_unmodeled(
    expected: &Catalog,
    live: &Catalog,
    default_schema: &str,
    earlier: &[Change],
) -> Vec<Change> {
    let mut changes = Vec::new();
    for remark in &live.unmodeled {
        let object = format!("{}.{}.{}", remark.schema, remark.table, remark.name);
        if earlier.iter().any(|c| c.object == object) {
            continue;
        }
        let table = expected
            .tables
            .iter()
            .find(|t| t.schema_or(default_schema) == remark.schema && t.name == remark.table);
        match remark.kind {
            UnmodeledKind::IndexOptions => {
                let declared = table.and_then(|t| {
                    let index = t.indexes.iter().find(|i| i.name == *remark.name)?;
                    Some((t, index))
                });
                // An undeclared index is reported as unmanaged already.
                let Some((table, index)) = declared else {
                    continue;
                };
                changes.push(Change {
                    kind: ChangeKind::IndexDiffers,
                    safety: Safety::Review,
                    object,
                    detail: format!(
                        "the live index has options the declaration does not: {}",
                        remark.detail
                    ),
                    steps: vec![
                        Step::DropIndex {
                            schema: remark.schema.clone(),
                            name: index.name.clone(),
                            concurrently: false,
                        },
                        Step::CreateIndex {
                            schema: remark.schema.clone(),
                            table: table.name.clone(),
                            index: index.clone(),
                            concurrently: true,
                        },
                    ],
                });
            }
            // Compared with the declared triggers in `logic.rs`.
            UnmodeledKind::TriggerOptions => {}
            UnmodeledKind::ExclusionConstraint => {
                if table.is_none() {
                    continue; // the whole table is unmanaged
                }
                changes.push(Change {
                    kind: ChangeKind::UnmanagedConstraint,
                    safety: Safety::Destructive,
                    object,
                    detail: format!(
                        "exclusion constraint {} is not declared (the schema cannot declare one: \
                         keep it in a migration)",
                        remark.detail
                    ),
                    steps: vec![Step::DropConstraint {
                        schema: remark.schema.clone(),
                        table: remark.table.clone().into(),
                        name: remark.name.clone().into(),
                    }],
                });
            }
        }
    }
    changes
}
