//! The status rule: which findings make a report `degraded` or `unhealthy`.

use crate::health::report::{HealthReport, Status};

/// The status of `report` and the reasons for it, worst first. The rule, stated in the
/// module docs and the README:
/// - **unhealthy**: the database is unreachable or the check could not finish, a
///   required table is missing, or a migration is dirty;
/// - **degraded**: a missing optional table, any pending change (safe, review or
///   destructive; invalid indexes and `NOT VALID` constraints among them), a pending
///   migration, or one that stops `migrate up` (modified, missing, out of order);
/// - **healthy** otherwise. Unmanaged objects never change the status.
pub(crate) fn judge(report: &HealthReport) -> (Status, Vec<String>) {
    let mut unhealthy = Vec::new();
    let mut degraded = Vec::new();
    match (report.database.reachable, &report.error) {
        (false, Some(error)) => unhealthy.push(format!("the database is unreachable: {error}")),
        (false, None) => unhealthy.push("the database is unreachable".to_owned()),
        (true, Some(error)) => unhealthy.push(format!("the check could not finish: {error}")),
        (true, None) => {}
    }
    for table in &report.tables.missing_required {
        unhealthy.push(format!("required table {table} is missing"));
    }
    for table in &report.tables.missing_optional {
        degraded.push(format!("optional table {table} is missing"));
    }
    let pending = &report.pending;
    for (class, count) in [
        ("safe", &pending.safe),
        ("review", &pending.review),
        ("destructive", &pending.destructive),
    ] {
        if count.count > 0 {
            let codes: Vec<String> = count
                .codes
                .iter()
                .map(|(code, n)| format!("{code} {n}"))
                .collect();
            degraded.push(format!(
                "{} {class} change(s) pending: {}",
                count.count,
                codes.join(", ")
            ));
        }
    }
    if let Some(m) = &report.migrations {
        if !m.dirty.is_empty() {
            unhealthy.push(format!("dirty migration(s): {}", list(&m.dirty)));
        }
        if !m.blocked.is_empty() {
            degraded.push(format!(
                "migration(s) that stop `migrate up` (modified, missing or out of order): {}",
                list(&m.blocked)
            ));
        }
        if !m.pending.is_empty() {
            degraded.push(format!("pending migration(s): {}", list(&m.pending)));
        }
    }
    let status = if !unhealthy.is_empty() {
        Status::Unhealthy
    } else if !degraded.is_empty() {
        Status::Degraded
    } else {
        Status::Healthy
    };
    unhealthy.extend(degraded);
    (status, unhealthy)
}

fn list(versions: &[i64]) -> String {
    versions
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
