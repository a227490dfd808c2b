//! A readable summary of a list of changes.

use std::fmt::Write;

use crate::diff::{Change, Safety};

/// One line per change, grouped: safe fixes, changes that need review, destructive
/// changes, then unmanaged objects. `"no differences"` when the list is empty.
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no differences\n".into();
    }
    type Filter = fn(&Change) -> bool;
    let groups: [(&str, Filter); 4] = [
        ("safe", |c| {
            !c.kind.is_unmanaged() && c.safety == Safety::Safe
        }),
        ("needs review", |c| {
            !c.kind.is_unmanaged() && c.safety == Safety::Review
        }),
        ("destructive (needs an explicit opt-in)", |c| {
            !c.kind.is_unmanaged() && c.safety == Safety::Destructive
        }),
        ("unmanaged (reported, never dropped)", |c| {
            c.kind.is_unmanaged()
        }),
    ];
    let mut out = String::new();
    for (title, belongs) in groups {
        let members: Vec<&Change> = changes.iter().filter(|c| belongs(c)).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title}: {}", members.len());
        for c in members {
            let _ = writeln!(out, "  {:<22} {}: {}", c.kind.code(), c.object, c.detail);
        }
    }
    out
}
