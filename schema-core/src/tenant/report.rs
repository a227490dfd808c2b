//! [`TenantsReport`]: one outcome per tenant and the totals, readable and as JSON.

use std::fmt;

use serde::Serialize;

use crate::diff::Change;
use crate::sync::Mode;

/// How one tenant ended.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum TenantResult {
    /// The schema matches the declaration. `fast_path`: proven by the batched digest
    /// and history queries alone.
    UpToDate { fast_path: bool },
    /// Changes were applied, in the tenant's own transaction under its own lock.
    Fixed { applied: Vec<Change> },
    /// Dry run: these changes would be applied; nothing was touched.
    Planned { pending: Vec<Change> },
    /// Changes exist that this run did not apply (a verification, or changes the
    /// options do not allow).
    Drifted { pending: Vec<Change> },
    /// Production policy refused the schema: what a person has to fix.
    Refused { problems: Vec<String> },
    /// The tenant could not be read or changed; its transaction was rolled back and
    /// the other tenants went on.
    Failed { error: String },
}

/// One tenant's line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct TenantOutcome {
    pub tenant: String,
    /// The server, when not the platform's (never with a password).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(flatten)]
    pub result: TenantResult,
    pub duration_ms: u64,
}

/// How many tenants ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub tenants: usize,
    pub up_to_date: usize,
    pub fixed: usize,
    pub planned: usize,
    pub drifted: usize,
    pub refused: usize,
    pub failed: usize,
}

/// The result of a fan-out over every tenant of a set.
#[derive(Debug, Clone, Serialize)]
pub struct TenantsReport {
    pub schema_set: String,
    pub mode: Mode,
    pub dry_run: bool,
    /// `verify` (nothing is changed) or `sync`.
    pub command: &'static str,
    /// Sorted by tenant name.
    pub tenants: Vec<TenantOutcome>,
    pub totals: Totals,
    /// The most connections open at once, the platform's included.
    pub peak_connections: usize,
    pub duration_ms: u64,
}

impl TenantResult {
    /// The word used in the text report and in JSON.
    pub fn word(&self) -> &'static str {
        match self {
            TenantResult::UpToDate { .. } => "up-to-date",
            TenantResult::Fixed { .. } => "fixed",
            TenantResult::Planned { .. } => "planned",
            TenantResult::Drifted { .. } => "drifted",
            TenantResult::Refused { .. } => "refused",
            TenantResult::Failed { .. } => "failed",
        }
    }

    /// Whether this tenant makes the command exit with 1: it drifted (and was not
    /// fixed), was refused, or failed.
    pub fn is_problem(&self) -> bool {
        !matches!(
            self,
            TenantResult::UpToDate { .. } | TenantResult::Fixed { .. }
        )
    }
}

impl Totals {
    pub(crate) fn of(outcomes: &[TenantOutcome]) -> Totals {
        let mut t = Totals {
            tenants: outcomes.len(),
            ..Totals::default()
        };
        for o in outcomes {
            *match o.result {
                TenantResult::UpToDate { .. } => &mut t.up_to_date,
                TenantResult::Fixed { .. } => &mut t.fixed,
                TenantResult::Planned { .. } => &mut t.planned,
                TenantResult::Drifted { .. } => &mut t.drifted,
                TenantResult::Refused { .. } => &mut t.refused,
                TenantResult::Failed { .. } => &mut t.failed,
            } += 1;
        }
        t
    }
}

impl TenantsReport {
    /// Whether any tenant drifted, was refused or failed (the CLI then exits with 1).
    pub fn has_problems(&self) -> bool {
        self.tenants.iter().any(|t| t.result.is_problem())
    }

    /// The outcome of `tenant`, if it was part of the run.
    pub fn tenant(&self, tenant: &str) -> Option<&TenantOutcome> {
        self.tenants.iter().find(|t| t.tenant == tenant)
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl fmt::Display for TenantOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.tenant)?;
        if let Some(server) = &self.server {
            write!(f, " on {server}")?;
        }
        write!(f, ": {}", self.result.word())?;
        match &self.result {
            TenantResult::UpToDate { fast_path: true } => write!(f, " (fast path)")?,
            TenantResult::UpToDate { .. } => {}
            TenantResult::Fixed { applied: changes }
            | TenantResult::Planned { pending: changes }
            | TenantResult::Drifted { pending: changes } => {
                let names: Vec<String> = changes
                    .iter()
                    .map(|c| format!("{} {}", c.kind.code(), c.object))
                    .collect();
                write!(f, ", {} change(s): {}", changes.len(), names.join(", "))?;
            }
            TenantResult::Refused { problems } => write!(f, ": {}", problems.join("; "))?,
            TenantResult::Failed { error } => write!(f, ": {}", error.replace('\n', " "))?,
        }
        write!(f, " in {} ms", self.duration_ms)
    }
}

impl fmt::Display for Totals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} tenant(s): {} up to date, {} fixed, {} planned, {} drifted, {} refused, {} failed",
            self.tenants,
            self.up_to_date,
            self.fixed,
            self.planned,
            self.drifted,
            self.refused,
            self.failed
        )
    }
}

impl fmt::Display for TenantsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for tenant in &self.tenants {
            writeln!(f, "{tenant}")?;
        }
        writeln!(
            f,
            "{} {}{}: {} in {} ms, at most {} connection(s)",
            self.schema_set,
            self.command,
            if self.dry_run { " (dry run)" } else { "" },
            self.totals,
            self.duration_ms,
            self.peak_connections
        )
    }
}
