//! Enum types: missing types, missing labels, and labels the schema does not declare.

use crate::catalog::Catalog;
use crate::diff::{Change, ChangeKind, Safety, detail};
use crate::model::EnumDef;
use crate::step::{EnumPosition, Step};

/// Differences between declared and live enum types.
pub(super) fn diff_enums(expected: &Catalog, live: &Catalog, default_schema: &str) -> Vec<Change> {
    let schema_of = |e: &EnumDef| e.schema.as_deref().unwrap_or(default_schema).to_owned();
    let mut changes = Vec::new();
    for declared in &expected.enums {
        let schema = schema_of(declared);
        let object = format!("{schema}.{}", declared.name);
        let found = live
            .enums
            .iter()
            .find(|e| schema_of(e) == schema && e.name == declared.name);
        let Some(found) = found else {
            changes.push(Change {
                kind: ChangeKind::MissingEnum,
                safety: Safety::Safe,
                object,
                detail: format!("enum type `{}` does not exist", declared.name),
                steps: vec![Step::CreateEnum {
                    schema,
                    def: declared.clone(),
                }],
            });
            continue;
        };
        let mut present: Vec<&str> = found.values.iter().map(|v| &**v).collect();
        for (i, value) in declared.values.iter().enumerate() {
            if present.contains(&&**value) {
                continue;
            }
            // Keep the declared order: after the previous declared label, or before the next.
            let position = match i {
                0 => declared.values.get(1).map_or(EnumPosition::End, |next| {
                    if present.contains(&&**next) {
                        EnumPosition::Before(next.clone())
                    } else {
                        EnumPosition::End
                    }
                }),
                _ => EnumPosition::After(declared.values[i - 1].clone()),
            };
            changes.push(Change {
                kind: ChangeKind::MissingEnumValue,
                safety: Safety::Safe,
                object: object.clone(),
                detail: format!("label '{value}' is missing"),
                steps: vec![Step::AddEnumValue {
                    schema: schema.clone(),
                    name: declared.name.clone(),
                    value: value.clone(),
                    position,
                }],
            });
            present.push(value);
        }
        let extra: Vec<&str> = found
            .values
            .iter()
            .filter(|v| !declared.values.contains(v))
            .map(|v| &**v)
            .collect();
        let common_live: Vec<&str> = found
            .values
            .iter()
            .filter(|v| declared.values.contains(v))
            .map(|v| &**v)
            .collect();
        let common_declared: Vec<&str> = declared
            .values
            .iter()
            .filter(|v| found.values.contains(v))
            .map(|v| &**v)
            .collect();
        if !extra.is_empty() || common_live != common_declared {
            changes.push(Change {
                kind: ChangeKind::EnumValuesDiffer,
                safety: Safety::Review,
                object,
                detail: format!(
                    "{}: PostgreSQL cannot drop or reorder labels; write a migration that \
                     creates a new type",
                    detail::enum_labels(declared, found)
                ),
                steps: Vec::new(),
            });
        }
    }
    let managed: Vec<String> = expected
        .tables
        .iter()
        .map(|t| t.schema_or(default_schema).to_owned())
        .chain(expected.enums.iter().map(schema_of))
        .collect();
    for found in &live.enums {
        let schema = schema_of(found);
        let declared = expected
            .enums
            .iter()
            .any(|e| schema_of(e) == schema && e.name == found.name);
        if !declared && managed.contains(&schema) {
            changes.push(Change {
                kind: ChangeKind::UnmanagedEnum,
                safety: Safety::Destructive,
                object: format!("{schema}.{}", found.name),
                detail: "enum type is not declared in the schema".into(),
                steps: Vec::new(),
            });
        }
    }
    changes
}
