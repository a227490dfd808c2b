//! The parents a copy brings along: for every selected row, the rows its foreign keys
//! reference that the target lacks, found in the source, transitively.

use std::collections::{BTreeSet, VecDeque};

use postgres::Transaction;

use crate::data::copy::TableCopy;
use crate::data::error::DataError;
use crate::data::fetch::{matching, tuples};
use crate::data::key::{Key, key_columns};
use crate::data::options::ParentPolicy;
use crate::data::sql::Placed;
use crate::model::{ColumnDef, TableDef};
use crate::plan::fk_target;

/// The columns of `def` called `names`, in that order.
fn columns<'d>(def: &'d TableDef, names: &[crate::model::Text]) -> Vec<&'d ColumnDef> {
    names
        .iter()
        .filter_map(|n| def.columns.iter().find(|c| c.name == *n))
        .collect()
}

/// Adds to `plan` (tables in foreign-key order, with `defs` alongside) the missing
/// parents of every selected row, or refuses under [`ParentPolicy::Refuse`].
pub(crate) fn add_parents(
    src: &mut Transaction,
    tgt: &mut Transaction,
    defs: &[&'static TableDef],
    (source_schema, target_schema): (&str, &str),
    plan: &mut [TableCopy],
    policy: ParentPolicy,
) -> Result<(), DataError> {
    let mut queue: VecDeque<(usize, Vec<Key>)> = plan
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.selected.is_empty())
        .map(|(i, t)| (i, t.selected.clone()))
        .collect();
    while let Some((child, keys)) = queue.pop_front() {
        let def = defs[child];
        let child_keys = key_columns(def)?;
        for fk in def.foreign_keys.iter() {
            let (ref_schema, ref_table) = fk_target(fk, target_schema);
            let Some(parent) = defs.iter().position(|d| {
                d.name == ref_table && d.schema.as_deref().unwrap_or(target_schema) == ref_schema
            }) else {
                continue;
            };
            let parent_def = defs[parent];
            let fk_columns = columns(def, &fk.columns);
            let ref_columns = columns(parent_def, &fk.ref_columns);
            let source_child = Placed {
                def,
                default_schema: source_schema,
            };
            // The referenced values, without NULLs (a NULL references nothing).
            let values: BTreeSet<Vec<String>> = matching(
                src,
                source_child,
                &[],
                &fk_columns,
                &child_keys,
                &tuples(&keys),
            )
            .map_err(DataError::source)?
            .into_iter()
            .filter_map(|(_, v)| v.into_iter().collect::<Option<Vec<String>>>())
            .collect();
            if values.is_empty() {
                continue;
            }
            let values: Vec<Vec<String>> = values.into_iter().collect();
            let target_parent = Placed {
                def: parent_def,
                default_schema: target_schema,
            };
            let present: BTreeSet<Vec<String>> =
                matching(tgt, target_parent, &[], &ref_columns, &ref_columns, &values)
                    .map_err(DataError::target)?
                    .into_iter()
                    .filter_map(|(_, v)| v.into_iter().collect::<Option<Vec<String>>>())
                    .collect();
            let missing: Vec<Vec<String>> = values
                .into_iter()
                .filter(|v| !present.contains(v))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let parent_keys = key_columns(parent_def)?;
            let source_parent = Placed {
                def: parent_def,
                default_schema: source_schema,
            };
            let found: Vec<Key> = matching(
                src,
                source_parent,
                &parent_keys,
                &[],
                &ref_columns,
                &missing,
            )
            .map_err(DataError::source)?
            .into_iter()
            .map(|(k, _)| k)
            .collect();
            let entry = &mut plan[parent];
            let new: Vec<Key> = found
                .into_iter()
                .filter(|k| !entry.selected.contains(k) && !entry.parents_added.contains(k))
                .collect();
            if new.is_empty() {
                continue;
            }
            if policy == ParentPolicy::Refuse {
                return Err(DataError::MissingParents {
                    table: def.name.to_string(),
                    parents: format!(
                        "{} {}",
                        parent_def.name,
                        new.iter()
                            .map(Key::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            entry.parents_added.extend(new.iter().cloned());
            entry.parents_added.sort();
            queue.push_back((parent, new));
        }
    }
    Ok(())
}
