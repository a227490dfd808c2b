//! The audit row of a copy, in the target's `schema_versions`: who copied what from
//! where, how many rows, how long it took and how it ended.

use postgres::GenericClient;

use crate::data::copy::CopyPlan;
use crate::data::error::DataError;
use crate::data::options::CopyOptions;
use crate::expected::ExpectedSchema;
use crate::fingerprint::fingerprint;
use crate::pg_error::PgError;
use crate::sync::history::{self, HistoryEntry, RunKind, RunOutcome};

/// The row's `notes`: a JSON document a person or a query can read.
fn notes(options: &CopyOptions, plan: &CopyPlan, error: Option<&DataError>) -> String {
    let tables: serde_json::Map<String, serde_json::Value> = plan
        .tables
        .iter()
        .filter(|t| t.rows() > 0)
        .map(|t| (t.table.clone(), serde_json::json!(t.rows())))
        .collect();
    serde_json::json!({
        "who": options.actor.as_deref().unwrap_or(&plan.target.current_user),
        "target_user": plan.target.current_user,
        "from": {
            "database": plan.source.database,
            "server_address": plan.source.server_address,
            "server_port": plan.source.server_port,
            "system_identifier": plan.source.system_identifier,
        },
        "rows": tables,
        "error": error.map(ToString::to_string),
    })
    .to_string()
}

/// One line per table copied, as the row's `statements`.
fn summary(plan: &CopyPlan) -> Vec<String> {
    plan.tables
        .iter()
        .filter(|t| t.rows() > 0)
        .map(|t| format!("copy {} row(s) into {}.{}", t.rows(), t.schema, t.table))
        .collect()
}

fn write(
    client: &mut impl GenericClient,
    schema: &str,
    expected: &ExpectedSchema,
    options: &CopyOptions,
    plan: &CopyPlan,
    duration_ms: u64,
    error: Option<&DataError>,
) -> Result<i64, PgError> {
    history::ensure(client, schema)?;
    let notes = notes(options, plan, error);
    let environment = if options.target_is_production {
        "production"
    } else {
        "development"
    };
    history::record(
        client,
        schema,
        &HistoryEntry {
            kind: RunKind::DataCopy,
            app_version: &options.app_version,
            fingerprint: &fingerprint(expected, schema),
            environment,
            statements: &summary(plan),
            duration_ms: duration_ms as i64,
            outcome: if error.is_some() {
                RunOutcome::Failed
            } else {
                RunOutcome::Applied
            },
            notes: Some(&notes),
            live_digest: None,
            pending: None,
            canonical: None,
        },
    )
}

/// The row of a copy about to commit, in its transaction.
pub(crate) fn record_success(
    client: &mut impl GenericClient,
    schema: &str,
    expected: &ExpectedSchema,
    options: &CopyOptions,
    plan: &CopyPlan,
    duration_ms: u64,
) -> Result<i64, PgError> {
    write(client, schema, expected, options, plan, duration_ms, None)
}

/// The row of a copy that was rolled back, written on its own afterwards.
pub(crate) fn record_failure(
    client: &mut impl GenericClient,
    schema: &str,
    expected: &ExpectedSchema,
    options: &CopyOptions,
    plan: &CopyPlan,
    duration_ms: u64,
    error: &DataError,
) -> Result<i64, PgError> {
    write(
        client,
        schema,
        expected,
        options,
        plan,
        duration_ms,
        Some(error),
    )
}
