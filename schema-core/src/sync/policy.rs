//! The policy: which changes a run may apply, and what production verification refuses.

use crate::diff::{Change, ChangeKind, Safety};
use crate::expected::ExpectedSchema;
use crate::sync::{Outcome, SyncError, SyncOptions, SyncReport};

/// Production without auto-sync: fail on what would stop the service, warn on the rest.
pub(super) fn verify_only(
    mut report: SyncReport,
    changes: Vec<Change>,
    expected: &ExpectedSchema,
) -> Result<SyncReport, SyncError> {
    let mut problems = Vec::new();
    for change in &changes {
        let optional_table = change.kind == ChangeKind::MissingTable
            && expected.tables.iter().any(|t| {
                !t.options.required
                    && change.object == format!("{}.{}", t.schema_or(&report.schema), t.name)
            });
        if change.kind == ChangeKind::MissingTable && !optional_table {
            problems.push(format!("required table {} is missing", change.object));
        } else if change.safety > Safety::Safe {
            problems.push(format!(
                "{} {}: {}",
                change.kind.code(),
                change.object,
                change.detail
            ));
        } else if optional_table {
            report
                .warnings
                .push(format!("optional table {} is missing", change.object));
        } else {
            report.warnings.push(not_applied_warning(change));
        }
    }
    report.outcome = Outcome::Drifted;
    report.pending = changes;
    if problems.is_empty() {
        Ok(report)
    } else {
        Err(SyncError::Refused {
            problems,
            report: Box::new(report),
        })
    }
}

/// Whether the options let a change be applied. Unmanaged objects never are.
pub(super) fn allowed(change: &Change, options: &SyncOptions) -> bool {
    if change.kind.is_unmanaged() || change.steps.is_empty() {
        return false;
    }
    match change.safety {
        Safety::Safe => true,
        Safety::Review => options.allow_review || options.allow_destructive,
        Safety::Destructive => options.allow_destructive,
    }
}

pub(super) fn not_applied_warning(change: &Change) -> String {
    format!(
        "not applied ({:?}): {} {}: {}",
        change.safety,
        change.kind.code(),
        change.object,
        change.detail
    )
}
