//! A copy's plan as a person reads it: per table, what is copied, what parents come
//! along, what is skipped.

use std::fmt;

use crate::data::copy::CopyReport;
use crate::data::key::Key;

fn list(keys: &[Key]) -> String {
    const SHOWN: usize = 20;
    let mut shown: Vec<String> = keys.iter().take(SHOWN).map(Key::to_string).collect();
    if keys.len() > SHOWN {
        shown.push(format!("… {} more", keys.len() - SHOWN));
    }
    shown.join(", ")
}

impl fmt::Display for CopyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plan = &self.plan;
        writeln!(
            f,
            "copy from {} to {}",
            plan.source.describe(),
            plan.target.describe()
        )?;
        for t in &plan.tables {
            let nothing =
                t.rows() == 0 && t.skipped_existing.is_empty() && t.not_in_source.is_empty();
            if nothing {
                continue;
            }
            writeln!(f, "{}.{}: {} row(s)", t.schema, t.table, t.rows())?;
            if !t.selected.is_empty() {
                writeln!(f, "  copy: {}", list(&t.selected))?;
            }
            if !t.parents_added.is_empty() {
                writeln!(f, "  parents added: {}", list(&t.parents_added))?;
            }
            if !t.skipped_existing.is_empty() {
                writeln!(
                    f,
                    "  skipped, already in the target: {}",
                    list(&t.skipped_existing)
                )?;
            }
            if !t.not_in_source.is_empty() {
                writeln!(f, "  not in the source: {}", list(&t.not_in_source))?;
            }
        }
        if self.applied {
            writeln!(
                f,
                "copied {} row(s) in {} ms (audit row {} in schema_versions)",
                plan.rows(),
                self.duration_ms,
                self.history_id.unwrap_or_default()
            )
        } else if plan.rows() == 0 {
            writeln!(f, "nothing to copy")
        } else {
            writeln!(
                f,
                "dry run: {} row(s) would be copied; pass --yes to apply",
                plan.rows()
            )
        }
    }
}
