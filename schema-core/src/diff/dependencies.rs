//! A change is no safer than the changes it depends on.
//!
//! An index, key, check, foreign key or generated column on a column that is missing can
//! only be created once the column is added. When adding the column needs review (`NOT NULL` without a
//! default), the changes that use it need review too; otherwise a development sync
//! would apply them alone and fail.

use crate::diff::{Change, ChangeKind};
use crate::step::Step;

/// Raises the safety class of each change in `table_changes` (the changes of one table)
/// to that of any missing column it uses.
pub(super) fn escalate(table_changes: &mut [Change]) {
    let blocked: Vec<(String, Change)> = table_changes
        .iter()
        .filter(|c| c.kind == ChangeKind::MissingColumn)
        .flat_map(|c| {
            c.steps.iter().filter_map(move |s| match s {
                Step::AddColumn { column, .. } => Some((column.name.to_string(), c.clone())),
                _ => None,
            })
        })
        .collect();
    if blocked.is_empty() {
        return;
    }
    for change in table_changes.iter_mut() {
        for (column, missing) in &blocked {
            if missing.safety > change.safety && change.steps.iter().any(|s| uses(s, column)) {
                change.safety = missing.safety;
                change.detail = format!(
                    "{}; needs column `{column}`, whose addition is not safe",
                    change.detail
                );
            }
        }
    }
}

/// `true` when `step` names `column` (as a key column, or as a word in an expression).
fn uses(step: &Step, column: &str) -> bool {
    let named =
        |names: &[crate::model::Text]| names.iter().any(|n| n == column || mentions(n, column));
    match step {
        Step::CreateIndex { index, .. } => {
            named(&index.columns)
                || index
                    .predicate
                    .as_deref()
                    .is_some_and(|p| mentions(p, column))
        }
        Step::AddUnique { key, .. }
        | Step::AddPrimaryKey { key, .. }
        | Step::AddKeyUsingIndex { key, .. } => named(&key.columns),
        Step::AddForeignKey { fk, .. } => named(&fk.columns),
        Step::AddCheck { check, .. } => mentions(&check.expression, column),
        Step::AddColumn { column: added, .. } => {
            added.name != column
                && added
                    .generated
                    .as_deref()
                    .is_some_and(|g| mentions(g, column))
        }
        _ => false,
    }
}

/// `true` when `sql` contains `word` as a whole identifier (not part of a longer one).
fn mentions(sql: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    sql.match_indices(word).any(|(i, _)| {
        let before = sql[..i].chars().next_back().is_none_or(|c| !is_ident(c));
        let after = sql[i + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_ident(c));
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn mentions_whole_identifiers_only() {
        assert!(mentions("(body <> '')", "body"));
        assert!(mentions("lower(body)", "body"));
        assert!(!mentions("(antibody <> '')", "body"));
        assert!(!mentions("(body_text <> '')", "body"));
    }
}
