//! Row-level security: the enabled and forced flags, and the policies.
//!
//! A missing flag or policy is added; a policy whose command, roles or expressions
//! differ is dropped and created again in the same transaction (PostgreSQL cannot alter
//! a policy's command), so there is no moment without it. A policy or flag the schema
//! does not declare is reported as unmanaged and left in place: removing a policy can
//! only widen what a role sees.

use super::{Change, ChangeKind, Safety};
use crate::model::{PolicyDef, TableDef};
use crate::step::Step;

/// Appends the row-level security changes of one table that exists on both sides.
pub(super) fn diff_policies(
    expected: &TableDef,
    live: &TableDef,
    schema: &str,
    out: &mut Vec<Change>,
) {
    let object = format!("{schema}.{}", expected.name);
    let table = || expected.name.clone();
    let (want, have) = (expected.row_security, live.row_security);
    if want.enabled != have.enabled {
        out.push(flag_change(
            want.enabled,
            ChangeKind::MissingRowSecurity,
            &object,
            "row-level security",
            Step::SetRowSecurity {
                schema: schema.to_owned(),
                table: table(),
                enabled: want.enabled,
            },
        ));
    }
    if want.forced != have.forced {
        out.push(flag_change(
            want.forced,
            ChangeKind::MissingForceRowSecurity,
            &object,
            "forced row-level security",
            Step::SetForceRowSecurity {
                schema: schema.to_owned(),
                table: table(),
                forced: want.forced,
            },
        ));
    }
    for policy in expected.policies.iter() {
        let create = Step::CreatePolicy {
            schema: schema.to_owned(),
            table: table(),
            policy: policy.clone(),
        };
        let drop = Step::DropPolicy {
            schema: schema.to_owned(),
            table: table(),
            name: policy.name.clone(),
        };
        let object = format!("{object}.{}", policy.name);
        match live.policies.iter().find(|p| p.name == policy.name) {
            None => out.push(Change {
                kind: ChangeKind::MissingPolicy,
                safety: Safety::Safe,
                object,
                detail: format!("policy `{}` does not exist", policy.name),
                steps: vec![create],
            }),
            Some(found) if found != policy => out.push(Change {
                kind: ChangeKind::PolicyDiffers,
                safety: Safety::Safe,
                object,
                detail: differences(policy, found),
                steps: vec![drop, create],
            }),
            Some(_) => {}
        }
    }
    for found in live.policies.iter() {
        if !expected.policies.iter().any(|p| p.name == found.name) {
            out.push(Change {
                kind: ChangeKind::UnmanagedPolicy,
                safety: Safety::Destructive,
                object: format!("{object}.{}", found.name),
                detail: "policy is not declared in the schema".into(),
                steps: vec![Step::DropPolicy {
                    schema: schema.to_owned(),
                    table: table(),
                    name: found.name.clone(),
                }],
            });
        }
    }
}

/// A flag the schema declares and the table lacks (safe to set), or one the table has
/// and the schema does not declare (unmanaged; the step that would clear it is only a
/// suggestion).
fn flag_change(wanted: bool, missing: ChangeKind, object: &str, what: &str, step: Step) -> Change {
    if wanted {
        Change {
            kind: missing,
            safety: Safety::Safe,
            object: object.to_owned(),
            detail: format!("{what} is not enabled"),
            steps: vec![step],
        }
    } else {
        Change {
            kind: ChangeKind::UnmanagedRowSecurity,
            safety: Safety::Destructive,
            object: object.to_owned(),
            detail: format!("{what} is enabled but not declared in the schema"),
            steps: vec![step],
        }
    }
}

/// `part: expected A, found B` for each part of the policy that differs.
fn differences(expected: &PolicyDef, found: &PolicyDef) -> String {
    let PolicyDef {
        name: _,
        command,
        permissive,
        roles,
        using,
        with_check,
    } = expected;
    let kind = |p: bool| if p { "permissive" } else { "restrictive" }.to_owned();
    let to = |r: &[crate::model::Text]| {
        if r.is_empty() {
            "PUBLIC".to_owned()
        } else {
            r.join(", ")
        }
    };
    let expr = |e: &Option<crate::model::Text>| e.as_deref().unwrap_or("none").to_owned();
    let parts = [
        (
            "command",
            command.sql().to_owned(),
            found.command.sql().to_owned(),
        ),
        ("kind", kind(*permissive), kind(found.permissive)),
        ("roles", to(roles), to(&found.roles)),
        ("using", expr(using), expr(&found.using)),
        ("with check", expr(with_check), expr(&found.with_check)),
    ];
    parts
        .iter()
        .filter(|(_, e, f)| e != f)
        .map(|(part, e, f)| format!("{part}: expected {e}, found {f}"))
        .collect::<Vec<_>>()
        .join("; ")
}
