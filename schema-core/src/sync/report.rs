//! [`SyncReport`]: what a sync found and did, readable and as JSON.

use std::fmt;

use serde::Serialize;

use crate::diff::{Change, summary};
use crate::sync::options::Mode;

/// How a sync ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Outcome {
    /// Nothing to do: the live schema matches the declaration.
    UpToDate,
    /// Changes were applied (and recorded in the history).
    Applied,
    /// Dry run: the changes were planned, nothing was touched.
    Planned,
    /// Changes exist that this run was not allowed to apply (see `pending`).
    Drifted,
}

/// The result of [`crate::sync::sync_with`].
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub schema_set: String,
    pub schema: String,
    pub mode: Mode,
    pub dry_run: bool,
    pub outcome: Outcome,
    /// `true` when the stored fingerprint and live digest proved the schema current
    /// without introspecting it.
    pub fast_path: bool,
    pub fingerprint: String,
    /// Changes applied by this run, in order.
    pub applied: Vec<Change>,
    /// Changes found and not applied: a dry run's plan, or what the options did not allow.
    pub pending: Vec<Change>,
    /// Objects in the database the schema does not declare (never dropped).
    pub unmanaged: Vec<Change>,
    /// Things to look at that did not stop the run.
    pub warnings: Vec<String>,
    /// Milliseconds spent waiting for another process's sync.
    pub lock_wait_ms: u64,
    pub duration_ms: u64,
}

impl SyncReport {
    /// The SQL this run applied (or, in a dry run, would apply), in order.
    pub fn statements(&self) -> Vec<String> {
        let changes = if self.dry_run {
            &self.pending
        } else {
            &self.applied
        };
        changes.iter().flat_map(Change::sql).collect()
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = match self.outcome {
            Outcome::UpToDate => "up to date",
            Outcome::Applied => "applied",
            Outcome::Planned => "planned (dry run, nothing changed)",
            Outcome::Drifted => "drifted (changes pending)",
        };
        writeln!(
            f,
            "{} in schema {}: {outcome}{} in {} ms",
            self.schema_set,
            self.schema,
            if self.fast_path { " (fast path)" } else { "" },
            self.duration_ms
        )?;
        if !self.applied.is_empty() {
            writeln!(f, "applied {} change(s):", self.applied.len())?;
            write!(f, "{}", indent(&summary(&self.applied)))?;
        }
        if !self.pending.is_empty() {
            writeln!(f, "pending {} change(s):", self.pending.len())?;
            write!(f, "{}", indent(&summary(&self.pending)))?;
        }
        if !self.unmanaged.is_empty() {
            write!(f, "{}", summary(&self.unmanaged))?;
        }
        for warning in &self.warnings {
            writeln!(f, "warning: {warning}")?;
        }
        Ok(())
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}
