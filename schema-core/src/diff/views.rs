//! Views: missing ones are created, drifted ones dropped and created again (with the
//! views that read them, which would otherwise block the drop), undeclared ones reported
//! and never dropped.

use std::collections::BTreeSet;

use crate::catalog::Catalog;
use crate::diff::{Change, ChangeKind, Safety};
use crate::model::ViewDef;
use crate::plan::views::create_view;
use crate::step::Step;

pub(super) fn diff_views(expected: &Catalog, live: &Catalog, default_schema: &str) -> Vec<Change> {
    let key = |v: &ViewDef| (v.schema_or(default_schema).to_owned(), v.name.to_string());
    let find = |v: &ViewDef| live.views.iter().find(|l| key(l) == key(v));
    let mut missing = Vec::new();
    let mut differing = Vec::new();
    for view in &expected.views {
        match find(view) {
            None => missing.push(view),
            Some(found) if found.body != view.body => {
                differing.push((view, "the body differs from the declared one"))
            }
            Some(found) if found.security_invoker != view.security_invoker => {
                differing.push((view, security_words(view.security_invoker)))
            }
            Some(_) => {}
        }
    }
    let mut changes = if differing.is_empty() {
        missing
            .iter()
            .map(|view| Change {
                kind: ChangeKind::MissingView,
                safety: Safety::Safe,
                object: format!("{}.{}", view.schema_or(default_schema), view.name),
                detail: format!("view `{}` does not exist", view.name),
                steps: vec![create_view(view, default_schema)],
            })
            .collect()
    } else {
        rebuild(expected, live, default_schema, &differing, &missing)
    };
    changes.extend(unmanaged(expected, live, default_schema));
    changes
}

/// One `view-differs` change for all drifted views, named after the first: every
/// drifted view and every live view that reads one of them (transitively) is dropped,
/// dependents first, then created again in creation order, inside the sync's
/// transaction. A reader the schema does not declare cannot be created again,
/// so then nothing is done automatically.
fn rebuild(
    expected: &Catalog,
    live: &Catalog,
    default_schema: &str,
    differing: &[(&ViewDef, &str)],
    missing: &[&ViewDef],
) -> Vec<Change> {
    let mut affected: BTreeSet<(String, String)> = differing
        .iter()
        .map(|(v, _)| (v.schema_or(default_schema).to_owned(), v.name.to_string()))
        .collect();
    loop {
        let readers: Vec<(String, String)> = live
            .views
            .iter()
            .filter(|l| {
                affected
                    .iter()
                    .any(|(s, n)| l.reads.iter().any(|r| *r == format!("{s}.{n}")))
            })
            .map(|l| (l.schema_or(default_schema).to_owned(), l.name.to_string()))
            .filter(|k| !affected.contains(k))
            .collect();
        if readers.is_empty() {
            break;
        }
        affected.extend(readers);
    }
    let declared = |(s, n): &(String, String)| {
        expected
            .views
            .iter()
            .any(|v| v.schema_or(default_schema) == s && v.name == n.as_str())
    };
    let undeclared: Vec<String> = affected
        .iter()
        .filter(|k| !declared(k))
        .map(|(s, n)| format!("{s}.{n}"))
        .collect();
    let in_rebuild: Vec<&ViewDef> = expected
        .views
        .iter()
        .filter(|v| {
            affected.contains(&(v.schema_or(default_schema).to_owned(), v.name.to_string()))
        })
        .collect();
    let mut steps: Vec<Step> = Vec::new();
    if undeclared.is_empty() {
        steps.extend(drop_order(live, default_schema, &affected).into_iter().map(
            |(schema, name)| Step::DropView {
                schema,
                name: name.into(),
            },
        ));
        // The missing views are created here too, all in creation order: a rebuilt view
        // may read a missing one, and a missing one a rebuilt one.
        steps.extend(
            expected
                .views
                .iter()
                .filter(|v| {
                    in_rebuild
                        .iter()
                        .chain(missing)
                        .any(|r| std::ptr::eq(*r, *v))
                })
                .map(|v| create_view(v, default_schema)),
        );
    }
    let readers: Vec<String> = in_rebuild
        .iter()
        .filter(|v| !differing.iter().any(|(d, _)| std::ptr::eq(*d, **v)))
        .map(|v| format!("`{}`", v.name))
        .collect();
    let (view, what) = differing[0];
    let mut detail = what.to_owned();
    let also: Vec<String> = differing[1..]
        .iter()
        .map(|(v, what)| format!("`{}` ({what})", v.name))
        .collect();
    if !also.is_empty() {
        detail.push_str(&format!("; drifted too: {}", also.join(", ")));
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|v| format!("`{}`", v.name)).collect();
        detail.push_str(&format!(
            "; missing views created with it: {}",
            names.join(", ")
        ));
    }
    if !undeclared.is_empty() {
        detail.push_str(&format!(
            "; not replaced: {} read(s) it and is not declared, so it could not be \
             created again: declare it, or drop it first",
            undeclared.join(", ")
        ));
    } else if !readers.is_empty() {
        detail.push_str(&format!(
            "; the views reading it are created again too: {}",
            readers.join(", ")
        ));
    }
    vec![Change {
        kind: ChangeKind::ViewDiffers,
        safety: if undeclared.is_empty() {
            Safety::Safe
        } else {
            Safety::Review
        },
        object: format!("{}.{}", view.schema_or(default_schema), view.name),
        detail,
        steps,
    }]
}

/// The live views of `affected`, each after every live view of `affected` that reads it.
fn drop_order(
    live: &Catalog,
    default_schema: &str,
    affected: &BTreeSet<(String, String)>,
) -> Vec<(String, String)> {
    let mut left: Vec<&ViewDef> = live
        .views
        .iter()
        .filter(|l| {
            affected.contains(&(l.schema_or(default_schema).to_owned(), l.name.to_string()))
        })
        .collect();
    let mut order = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let read = |v: &ViewDef| {
            let name = format!("{}.{}", v.schema_or(default_schema), v.name);
            left.iter()
                .any(|other| other.reads.iter().any(|r| *r == name))
        };
        let next = left.iter().position(|v| !read(v)).unwrap_or(0);
        let view = left.remove(next);
        order.push((
            view.schema_or(default_schema).to_owned(),
            view.name.to_string(),
        ));
    }
    order
}

fn security_words(invoker: bool) -> &'static str {
    if invoker {
        "expected security_invoker (reads as the querying role), found a view that reads as its owner"
    } else {
        "expected a view that reads as its owner, found security_invoker"
    }
}

/// Live views in the managed schemas that the schema does not declare.
fn unmanaged(expected: &Catalog, live: &Catalog, default_schema: &str) -> Vec<Change> {
    let managed: BTreeSet<&str> = expected
        .tables
        .iter()
        .map(|t| t.schema_or(default_schema))
        .chain(expected.views.iter().map(|v| v.schema_or(default_schema)))
        .collect();
    live.views
        .iter()
        .filter(|l| {
            let schema = l.schema_or(default_schema);
            managed.contains(schema)
                && !expected
                    .views
                    .iter()
                    .any(|v| v.schema_or(default_schema) == schema && v.name == l.name)
        })
        .map(|l| {
            let schema = l.schema_or(default_schema).to_owned();
            Change {
                kind: ChangeKind::UnmanagedView,
                safety: Safety::Destructive,
                object: format!("{schema}.{}", l.name),
                detail: "view is not declared in the schema".into(),
                steps: vec![Step::DropView {
                    schema,
                    name: l.name.clone(),
                }],
            }
        })
        .collect()
}
