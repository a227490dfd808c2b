//! Trigger functions and triggers: missing ones are created, drifted ones replaced
//! (`CREATE OR REPLACE`), undeclared ones reported and never dropped.

use crate::catalog::{Catalog, UnmodeledKind};
use crate::diff::{Change, ChangeKind, Safety};
use crate::plan::logic::{create_function, resolved_trigger};
use crate::step::Step;

/// Function changes first (a trigger needs its function), then trigger changes, then
/// the undeclared ones.
pub(super) fn diff_logic(expected: &Catalog, live: &Catalog, default_schema: &str) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut unmanaged = Vec::new();
    for f in &expected.functions {
        let schema = f.schema.as_deref().unwrap_or(default_schema);
        let object = format!("{schema}.{}", f.name);
        let found = live
            .functions
            .iter()
            .find(|l| l.schema.as_deref() == Some(schema) && l.name == f.name);
        let (kind, detail) = match found {
            None => (
                ChangeKind::MissingFunction,
                format!("function `{}()` does not exist", f.name),
            ),
            Some(l) if l.body != f.body => (
                ChangeKind::FunctionDiffers,
                "the function's body differs from the declared one".to_owned(),
            ),
            Some(_) => continue,
        };
        changes.push(Change {
            kind,
            safety: Safety::Safe,
            object,
            detail,
            steps: vec![create_function(f, default_schema)],
        });
    }

    for t in &expected.triggers {
        let t = resolved_trigger(t, default_schema);
        let schema = t.schema.as_deref().unwrap_or(default_schema);
        let object = format!("{schema}.{}.{}", t.table, t.name);
        let found = live
            .triggers
            .iter()
            .find(|l| l.schema == t.schema && l.table == t.table && l.name == t.name);
        let remark = live.unmodeled.iter().find(|u| {
            u.kind == UnmodeledKind::TriggerOptions
                && u.schema == schema
                && u.table == *t.table
                && u.name == *t.name
        });
        let (kind, safety, detail) = match (found, remark) {
            (None, _) => (
                ChangeKind::MissingTrigger,
                Safety::Safe,
                format!("trigger `{}` does not exist", t.name),
            ),
            // Options the declaration cannot state may be there on purpose.
            (Some(_), Some(remark)) => (
                ChangeKind::TriggerDiffers,
                Safety::Review,
                format!(
                    "the live trigger has options the declaration does not: {}",
                    remark.detail
                ),
            ),
            (Some(l), None) if *l != t => (
                ChangeKind::TriggerDiffers,
                Safety::Safe,
                trigger_detail(&t, l),
            ),
            (Some(_), None) => continue,
        };
        changes.push(Change {
            kind,
            safety,
            object,
            detail,
            steps: vec![Step::CreateTrigger { trigger: t }],
        });
    }

    let managed_table = |schema: &str, table: &str| {
        expected
            .tables
            .iter()
            .any(|d| d.schema_or(default_schema) == schema && d.name == table)
    };
    for l in &live.triggers {
        let schema = l.schema.as_deref().unwrap_or(default_schema);
        let declared = expected.triggers.iter().any(|t| {
            t.schema.as_deref().unwrap_or(default_schema) == schema
                && t.table == l.table
                && t.name == l.name
        });
        // A trigger on an undeclared table goes with the table, reported on its own.
        if declared || !managed_table(schema, &l.table) {
            continue;
        }
        unmanaged.push(Change {
            kind: ChangeKind::UnmanagedTrigger,
            safety: Safety::Destructive,
            object: format!("{schema}.{}.{}", l.table, l.name),
            detail: format!(
                "trigger calling `{}.{}()` is not declared in the schema",
                l.function_schema.as_deref().unwrap_or(default_schema),
                l.function
            ),
            steps: vec![Step::DropTrigger {
                schema: schema.to_owned(),
                table: l.table.clone(),
                name: l.name.clone(),
            }],
        });
    }
    for l in &live.functions {
        let schema = l.schema.as_deref().unwrap_or(default_schema);
        let declared = expected
            .functions
            .iter()
            .any(|f| f.schema.as_deref().unwrap_or(default_schema) == schema && f.name == l.name);
        if declared {
            continue;
        }
        unmanaged.push(Change {
            kind: ChangeKind::UnmanagedFunction,
            safety: Safety::Destructive,
            object: format!("{schema}.{}", l.name),
            detail: "trigger function is not declared in the schema".into(),
            steps: vec![Step::DropFunction {
                schema: schema.to_owned(),
                name: l.name.clone(),
            }],
        });
    }
    changes.extend(unmanaged);
    changes
}

/// What differs between a declared trigger and its live copy, in words.
fn trigger_detail(expected: &crate::model::TriggerDef, live: &crate::model::TriggerDef) -> String {
    let mut parts = Vec::new();
    if !live.enabled {
        parts.push("the trigger is disabled".to_owned());
    }
    let shape = |t: &crate::model::TriggerDef| {
        let events: Vec<&str> = t.events.iter().map(|e| e.sql()).collect();
        format!("{} {}", t.timing.sql(), events.join(" OR "))
    };
    if (expected.timing, &expected.events) != (live.timing, &live.events) {
        parts.push(format!(
            "expected {}, found {}",
            shape(expected),
            shape(live)
        ));
    }
    if (&expected.function_schema, &expected.function) != (&live.function_schema, &live.function) {
        parts.push(format!(
            "expected to call `{}.{}()`, calls `{}.{}()`",
            expected.function_schema.as_deref().unwrap_or_default(),
            expected.function,
            live.function_schema.as_deref().unwrap_or_default(),
            live.function
        ));
    }
    parts.join("; ")
}
