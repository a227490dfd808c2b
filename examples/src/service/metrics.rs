//! `/metrics` in Prometheus's text exposition format (version 0.0.4).

use std::fmt::Write;

use schema_core::health::{HealthReport, Readiness, Status};

use crate::service::state::LastSync;

/// The outcomes `schema_last_sync_outcome` has a series for.
const OUTCOMES: [&str; 4] = ["up-to-date", "applied", "drifted", "failed"];

/// Every metric the service exports, from one health report, the start-up state and
/// the last sync. A value the report could not know (drift while the database is
/// down) has no sample rather than a made-up zero.
pub fn render(report: &HealthReport, readiness: &Readiness, last: Option<&LastSync>) -> String {
    let mut out = String::new();
    let reachable = report.database.reachable;

    family(
        &mut out,
        "schema_ready",
        "gauge",
        "1 once the start-up migrated and synced the schema",
    );
    sample(
        &mut out,
        "schema_ready",
        "",
        f64::from(u8::from(readiness.is_ready())),
    );

    family(
        &mut out,
        "schema_database_up",
        "gauge",
        "1 when the last check reached the database",
    );
    sample(
        &mut out,
        "schema_database_up",
        "",
        f64::from(u8::from(reachable)),
    );

    family(
        &mut out,
        "schema_health_status",
        "gauge",
        "The health status: 1 for the current one",
    );
    for status in [Status::Healthy, Status::Degraded, Status::Unhealthy] {
        let labels = format!("status=\"{}\"", status.as_str());
        sample(
            &mut out,
            "schema_health_status",
            &labels,
            f64::from(u8::from(report.status == status)),
        );
    }

    family(
        &mut out,
        "schema_health_check_duration_seconds",
        "gauge",
        "How long the health check behind this scrape took",
    );
    sample(
        &mut out,
        "schema_health_check_duration_seconds",
        "",
        report.duration_ms / 1000.0,
    );

    family(
        &mut out,
        "schema_drift_changes",
        "gauge",
        "Pending schema changes by safety class",
    );
    if reachable && report.error.is_none() {
        let pending = &report.pending;
        for (class, count) in [
            ("safe", pending.safe.count),
            ("review", pending.review.count),
            ("destructive", pending.destructive.count),
        ] {
            sample(
                &mut out,
                "schema_drift_changes",
                &format!("class=\"{class}\""),
                count as f64,
            );
        }
    }

    family(
        &mut out,
        "schema_migrations_pending",
        "gauge",
        "Versioned migrations not applied yet",
    );
    family(
        &mut out,
        "schema_migrations_dirty",
        "gauge",
        "Versioned migrations that failed half-way",
    );
    if let Some(migrations) = &report.migrations {
        sample(
            &mut out,
            "schema_migrations_pending",
            "",
            migrations.pending.len() as f64,
        );
        sample(
            &mut out,
            "schema_migrations_dirty",
            "",
            migrations.dirty.len() as f64,
        );
    }

    family(
        &mut out,
        "schema_last_sync_duration_seconds",
        "gauge",
        "How long the last sync (start-up or POST /schema/sync) took",
    );
    family(
        &mut out,
        "schema_last_sync_outcome",
        "gauge",
        "How the last sync ended: 1 for its outcome",
    );
    if let Some(last) = last {
        if let Some(seconds) = last.duration_seconds {
            sample(&mut out, "schema_last_sync_duration_seconds", "", seconds);
        }
        for outcome in OUTCOMES {
            let labels = format!("outcome=\"{outcome}\"");
            sample(
                &mut out,
                "schema_last_sync_outcome",
                &labels,
                f64::from(u8::from(last.outcome == outcome)),
            );
        }
    }
    out
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, labels: &str, value: f64) {
    let _ = if labels.is_empty() {
        writeln!(out, "{name} {value}")
    } else {
        writeln!(out, "{name}{{{labels}}} {value}")
    };
}
