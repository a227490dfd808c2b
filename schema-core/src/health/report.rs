//! [`HealthReport`]: what one health check found, as data (and as JSON through serde).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diff::{Change, Safety};

/// The overall verdict; [`super`] states the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The database is reachable and matches what this build expects.
    Healthy,
    /// Traffic can be served, but something needs a person (see `reasons`).
    Degraded,
    /// Do not send traffic: unreachable, a required table missing, a dirty migration.
    Unhealthy,
}

impl Status {
    /// The word used in the text and JSON renderings.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Healthy => "healthy",
            Status::Degraded => "degraded",
            Status::Unhealthy => "unhealthy",
        }
    }
}

/// The result of [`check`](super::check). The JSON shape is documented in the README.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct HealthReport {
    pub status: Status,
    /// Why the status is not `healthy`, one line per finding; empty when healthy.
    pub reasons: Vec<String>,
    /// The schema set's Rust name; empty for a report built from a connection failure.
    pub schema_set: String,
    /// The target schema.
    pub schema: String,
    pub database: DatabaseHealth,
    pub fingerprint: Fingerprints,
    /// `true` when the verification took the fast path (nothing moved since the last
    /// recorded comparison).
    pub fast_path: bool,
    pub tables: TableHealth,
    /// Changes a sync would make or that need a person, by safety class.
    pub pending: PendingChanges,
    /// Indexes left invalid by a failed `CREATE INDEX CONCURRENTLY`.
    pub invalid_indexes: Vec<String>,
    /// Foreign keys and checks still `NOT VALID`.
    pub unvalidated_constraints: Vec<String>,
    /// Objects in the database the schema does not declare (reported, never a problem).
    pub unmanaged: usize,
    /// The versioned migrations; `None` when the check was given none.
    pub migrations: Option<MigrationHealth>,
    /// The newest history entries, newest first.
    pub history: Vec<HistoryRun>,
    /// Why the check itself could not finish, when it could not.
    pub error: Option<String>,
    /// How long the whole check took.
    pub duration_ms: f64,
}

/// Whether the database answered, and how fast.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DatabaseHealth {
    pub reachable: bool,
    /// One `SELECT` from this process and back, in milliseconds.
    pub round_trip_ms: Option<f64>,
    /// `server_version`, as the server reports it.
    pub server_version: Option<String>,
}

/// The schema fingerprint this build expects, and the one the newest successful sync
/// recorded in the history (`None` before the first sync).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Fingerprints {
    pub expected: String,
    pub recorded: Option<String>,
}

/// Declared tables the database does not have.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct TableHealth {
    pub missing_required: Vec<String>,
    pub missing_optional: Vec<String>,
}

/// Pending changes, counted by safety class.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct PendingChanges {
    pub safe: ClassCount,
    pub review: ClassCount,
    pub destructive: ClassCount,
}

/// How many changes of one safety class are pending, and how many of each kind.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct ClassCount {
    pub count: usize,
    /// Change code (`missing-index`) → how many.
    pub codes: BTreeMap<&'static str, usize>,
}

/// The versioned migrations' state.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct MigrationHealth {
    /// The newest applied version.
    pub version: Option<i64>,
    pub applied: Vec<i64>,
    pub pending: Vec<i64>,
    pub dirty: Vec<i64>,
    /// Modified, missing or out-of-order migrations: `migrate up` refuses to run.
    pub blocked: Vec<i64>,
}

/// One row of the history table: what ran, when, and how it ended.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct HistoryRun {
    pub id: i64,
    /// `sync`, `migration` or `seed`.
    pub kind: String,
    /// `applied`, `failed`, `verified`, `reverted`, `baselined` or `repaired`.
    pub outcome: String,
    /// When it ran, UTC (`2026-11-02 09:14:03 UTC`).
    pub executed_at: String,
    pub duration_ms: i64,
    pub app_version: String,
    /// How many statements it ran.
    pub statements: usize,
    pub notes: Option<String>,
}

impl PendingChanges {
    /// Counts `changes` by class; unmanaged objects are not pending changes.
    pub(crate) fn count(changes: &[Change]) -> Self {
        let mut pending = PendingChanges::default();
        for change in changes.iter().filter(|c| !c.kind.is_unmanaged()) {
            let class = match change.safety {
                Safety::Safe => &mut pending.safe,
                Safety::Review => &mut pending.review,
                Safety::Destructive => &mut pending.destructive,
            };
            class.count += 1;
            *class.codes.entry(change.kind.code()).or_default() += 1;
        }
        pending
    }

    /// All pending changes, whatever their class.
    pub fn total(&self) -> usize {
        self.safe.count + self.review.count + self.destructive.count
    }
}

impl HealthReport {
    /// The report of a database that could not be reached: `unhealthy`, with the error.
    /// A service that connects by itself builds this one when the connection fails.
    pub fn unreachable(error: impl std::fmt::Display) -> HealthReport {
        let mut report = HealthReport::new(String::new(), String::new(), String::new());
        report.error = Some(error.to_string());
        report.judge();
        report
    }

    /// A report that has found nothing yet, not even the database.
    pub(crate) fn new(schema_set: String, schema: String, expected: String) -> HealthReport {
        HealthReport {
            status: Status::Unhealthy,
            reasons: Vec::new(),
            schema_set,
            schema,
            database: DatabaseHealth {
                reachable: false,
                round_trip_ms: None,
                server_version: None,
            },
            fingerprint: Fingerprints {
                expected,
                recorded: None,
            },
            fast_path: false,
            tables: TableHealth::default(),
            pending: PendingChanges::default(),
            invalid_indexes: Vec::new(),
            unvalidated_constraints: Vec::new(),
            unmanaged: 0,
            migrations: None,
            history: Vec::new(),
            error: None,
            duration_ms: 0.0,
        }
    }

    /// Sets the status and reasons from the findings.
    pub(crate) fn judge(&mut self) {
        (self.status, self.reasons) = super::status::judge(self);
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
