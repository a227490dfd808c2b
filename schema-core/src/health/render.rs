//! The text rendering of a [`HealthReport`]: the status and its reasons first, then
//! one line per section.

use std::fmt;

use crate::health::report::{ClassCount, HealthReport};

impl fmt::Display for HealthReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status.as_str();
        if self.schema_set.is_empty() {
            writeln!(f, "{status}")?;
        } else {
            writeln!(
                f,
                "{status}: {} in schema {} ({:.1} ms)",
                self.schema_set, self.schema, self.duration_ms
            )?;
        }
        for reason in &self.reasons {
            writeln!(f, "  - {reason}")?;
        }
        let db = &self.database;
        match (&db.server_version, db.round_trip_ms) {
            (Some(version), Some(rtt)) => writeln!(
                f,
                "database: reachable, PostgreSQL {version}, round trip {rtt:.2} ms"
            )?,
            _ if db.reachable => writeln!(f, "database: reachable")?,
            _ => writeln!(f, "database: unreachable")?,
        }
        if !db.reachable {
            return Ok(());
        }
        writeln!(
            f,
            "fingerprint: expected {}, recorded {}{}",
            short(&self.fingerprint.expected),
            self.fingerprint.recorded.as_deref().map_or("none", short),
            if self.fast_path { " (fast path)" } else { "" }
        )?;
        let p = &self.pending;
        writeln!(
            f,
            "pending changes: {}",
            if p.total() == 0 {
                "none".to_owned()
            } else {
                format!(
                    "safe {}, review {}, destructive {}",
                    class(&p.safe),
                    class(&p.review),
                    class(&p.destructive)
                )
            }
        )?;
        list(f, "missing required tables", &self.tables.missing_required)?;
        list(f, "missing optional tables", &self.tables.missing_optional)?;
        list(f, "invalid indexes", &self.invalid_indexes)?;
        list(f, "NOT VALID constraints", &self.unvalidated_constraints)?;
        if self.unmanaged > 0 {
            writeln!(f, "unmanaged objects: {}", self.unmanaged)?;
        }
        if let Some(m) = &self.migrations {
            writeln!(
                f,
                "migrations: {}; {} applied, {} pending, {} dirty, {} blocking `up`",
                m.version
                    .map_or("none applied".to_owned(), |v| format!("at version {v}")),
                m.applied.len(),
                m.pending.len(),
                m.dirty.len(),
                m.blocked.len()
            )?;
        }
        if !self.history.is_empty() {
            writeln!(f, "history (newest first):")?;
            for run in &self.history {
                writeln!(
                    f,
                    "  {}  {} {}, {} statement(s), {} ms, app {}",
                    run.executed_at,
                    run.kind,
                    run.outcome,
                    run.statements,
                    run.duration_ms,
                    run.app_version
                )?;
            }
        }
        Ok(())
    }
}

/// `3 (missing-index 2, comment 1)`.
fn class(count: &ClassCount) -> String {
    if count.count == 0 {
        return "0".to_owned();
    }
    let codes: Vec<String> = count
        .codes
        .iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect();
    format!("{} ({})", count.count, codes.join(", "))
}

fn list(f: &mut fmt::Formatter<'_>, what: &str, items: &[String]) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(f, "{what}: {}", items.join(", "))
}

/// The first 12 characters of a fingerprint: enough to tell two apart in a log.
fn short(fingerprint: &str) -> &str {
    fingerprint.get(..12).unwrap_or(fingerprint)
}
