//! [`Readiness`]: where a service's start-up stands, for a readiness probe.

use std::fmt;

use serde::Serialize;

/// The start-up's state: `starting → migrating → syncing → ready`, or `failed` from
/// any of them. Only `ready` means the schema is in place and traffic may come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Readiness {
    /// Connecting (retrying while the database is not up yet).
    Starting,
    /// Applying the pending migrations.
    Migrating,
    /// Syncing the declared schema (verifying it, in production).
    Syncing,
    Ready,
    /// The start-up stopped; it does not retry by itself.
    Failed {
        reason: String,
    },
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        *self == Readiness::Ready
    }

    /// `true` once the start-up has ended, ready or failed.
    pub fn is_settled(&self) -> bool {
        matches!(self, Readiness::Ready | Readiness::Failed { .. })
    }
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Readiness::Starting => f.write_str("starting"),
            Readiness::Migrating => f.write_str("migrating"),
            Readiness::Syncing => f.write_str("syncing"),
            Readiness::Ready => f.write_str("ready"),
            Readiness::Failed { reason } => write!(f, "failed: {reason}"),
        }
    }
}
