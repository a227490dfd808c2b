//! What a full comparison left for the next start, as stored in the history row.
//!
//! A live digest that matches the recorded one proves only that nothing moved since
//! that comparison; it does not prove the schema current. The changes the comparison
//! did not apply (review, destructive, or not allowed) and the unmanaged objects it
//! found are stored with the digest, so the fast path reports them just as a full
//! comparison would.

use serde::{Deserialize, Serialize};

use crate::diff::{Change, ChangeKind, Safety};
use crate::step::Step;

/// One change as stored: [`Change`]'s JSON form shows SQL, this one keeps the steps.
#[derive(Serialize, Deserialize)]
struct Recorded {
    kind: ChangeKind,
    safety: Safety,
    object: String,
    detail: String,
    steps: Vec<Step>,
}

/// The stored form of `changes`.
pub(crate) fn encode<'a>(changes: impl IntoIterator<Item = &'a Change>) -> serde_json::Value {
    let recorded: Vec<Recorded> = changes
        .into_iter()
        .map(|c| Recorded {
            kind: c.kind,
            safety: c.safety,
            object: c.object.clone(),
            detail: c.detail.clone(),
            steps: c.steps.clone(),
        })
        .collect();
    serde_json::to_value(recorded).unwrap_or(serde_json::Value::Null)
}

/// The changes stored by [`encode`], split into actionable and unmanaged; `None` when
/// the value is not in this version's form (the next start compares in full).
pub(crate) fn decode(value: serde_json::Value) -> Option<(Vec<Change>, Vec<Change>)> {
    let recorded: Vec<Recorded> = serde_json::from_value(value).ok()?;
    let changes = recorded.into_iter().map(|r| Change {
        kind: r.kind,
        safety: r.safety,
        object: r.object,
        detail: r.detail,
        steps: r.steps,
    });
    Some(changes.partition(|c| !c.kind.is_unmanaged()))
}

/// Whether a change's class depends on the rows of a table, which the digest does not
/// see (a unique key that duplicates block today may be addable after a cleanup): such
/// a recorded change sends the next start to a full comparison.
pub(crate) fn depends_on_rows(change: &Change) -> bool {
    matches!(
        change.kind,
        ChangeKind::MissingUnique | ChangeKind::MissingPrimaryKey
    )
}
