//! Health: is the database reachable, is its schema what this build expects, is it
//! safe to send traffic. One call, [`check`], answers all three as a [`HealthReport`].
//!
//! A check is one verification (the sync's fast path when nothing moved, a full
//! comparison otherwise), the migrations' status and a few plain `SELECT`s: it never
//! takes the sync's lock and never writes the history, so it can serve every probe.
//!
//! The status rule:
//! - **unhealthy**: the database is unreachable (a connection error, or a query of the
//!   check failing), a required table is missing, or a migration is dirty;
//! - **degraded**: an optional table is missing, a change is pending (safe, review or
//!   destructive; invalid indexes and `NOT VALID` constraints among them), a migration
//!   is pending, or one stops `migrate up` (modified, missing, out of order);
//! - **healthy** otherwise. Unmanaged objects are reported and never change the status.
//!
//! Readiness follows the start-up instead: [`Startup`] runs the migrations and the
//! sync in the background and says where they stand ([`Readiness`]).

mod probe;
mod readiness;
mod render;
mod report;
mod retry;
mod startup;
mod status;

use std::time::{Duration, Instant};

use postgres::Client;

pub use readiness::Readiness;
pub use report::{
    ClassCount, DatabaseHealth, Fingerprints, HealthReport, HistoryRun, MigrationHealth,
    PendingChanges, Status, TableHealth,
};
pub use retry::RetryPolicy;
pub use startup::Startup;

use crate::connect::Settings;
use crate::diff::ChangeKind;
use crate::expected::ExpectedSchema;
use crate::fingerprint::fingerprint;
use crate::migrate::{self, Migrations, State};
use crate::sync::{SyncOptions, SyncReport, verify_schema};
use crate::table::SchemaSet;
use crate::target::Target;

/// How many history rows a report shows.
const HISTORY_ROWS: i64 = 5;

/// How long [`check_url`] waits for a connection when the URL sets no
/// `connect_timeout`: a probe must answer, not hang.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Checks `S` in the default target (`public`), with its migrations if it has them.
/// The verification does not depend on the mode, so the options are the defaults.
pub fn health<S: SchemaSet>(client: &mut Client, migrations: Option<&Migrations>) -> HealthReport {
    check(
        client,
        &S::EXPECTED_SCHEMA,
        &Target::default(),
        migrations,
        &SyncOptions::development(),
    )
}

/// The health of `target` against `expected` (the status rule is in the module docs).
/// Failures of the check are part of the report (`unhealthy`, with the error), never
/// an `Err`: a probe always has an answer. `options` give the timeouts of the
/// comparison; nothing is applied whatever they say.
pub fn check(
    client: &mut Client,
    expected: &ExpectedSchema,
    target: &Target,
    migrations: Option<&Migrations>,
    options: &SyncOptions,
) -> HealthReport {
    let start = Instant::now();
    let schema = target.schema();
    let mut report = HealthReport::new(
        expected.name.to_owned(),
        schema.to_owned(),
        fingerprint(expected, schema),
    );
    if let Err(error) = fill(&mut report, client, expected, target, migrations, options) {
        report.error = Some(error);
    }
    report.judge();
    report.duration_ms = start.elapsed().as_secs_f64() * 1000.0;
    report
}

/// [`check`] over a connection of its own to `url`, read as [`Settings::from_url`]
/// reads it (`sslmode` and `sslrootcert` included): a URL that does not parse, or a
/// connection that fails, gives the [`HealthReport::unreachable`] report. Waits at most
/// 5 s for the connection unless the URL says otherwise (`connect_timeout`).
pub fn check_url(
    url: &str,
    expected: &ExpectedSchema,
    target: &Target,
    migrations: Option<&Migrations>,
    options: &SyncOptions,
) -> HealthReport {
    match Settings::from_url(url) {
        Ok(settings) => check_with(&settings, expected, target, migrations, options),
        Err(error) => unreachable(expected, target, error),
    }
}

/// [`check`] over a connection of its own made with `settings` (a URL, or libpq's
/// `PG*` variables through [`Settings::from_env`]): a connection that fails gives the
/// [`HealthReport::unreachable`] report, naming the server but never the password.
/// Waits at most 5 s for the connection unless the settings say otherwise.
pub fn check_with(
    settings: &Settings,
    expected: &ExpectedSchema,
    target: &Target,
    migrations: Option<&Migrations>,
    options: &SyncOptions,
) -> HealthReport {
    let start = Instant::now();
    match settings
        .with_default_connect_timeout(CONNECT_TIMEOUT)
        .connect()
    {
        Ok(mut client) => check(&mut client, expected, target, migrations, options),
        Err(error) => {
            let mut report = unreachable(expected, target, error);
            report.duration_ms = start.elapsed().as_secs_f64() * 1000.0;
            report
        }
    }
}

/// [`HealthReport::unreachable`] naming the schema set and target it was for.
pub(crate) fn unreachable(
    expected: &ExpectedSchema,
    target: &Target,
    error: impl std::fmt::Display,
) -> HealthReport {
    let schema = target.schema();
    let mut report = HealthReport::unreachable(error);
    report.schema_set = expected.name.to_owned();
    report.schema = schema.to_owned();
    report.fingerprint.expected = fingerprint(expected, schema);
    report
}

/// Everything the check reads, in order; stops at the first failure, which it returns
/// as text for the report.
fn fill(
    report: &mut HealthReport,
    client: &mut Client,
    expected: &ExpectedSchema,
    target: &Target,
    migrations: Option<&Migrations>,
    options: &SyncOptions,
) -> Result<(), String> {
    let schema = target.schema();
    let server = probe::server(client, schema).map_err(|e| e.to_string())?;
    report.database.reachable = true;
    report.database.round_trip_ms = Some(server.round_trip_ms);
    report.database.server_version = Some(server.version);

    let verified = verify_schema(client, expected, target, options).map_err(|e| e.to_string())?;
    read_verification(report, expected, &verified);

    if let Some(migrations) = migrations {
        let status = migrate::status(client, migrations, target).map_err(|e| e.to_string())?;
        let of = |states: &[State]| -> Vec<i64> {
            status
                .migrations
                .iter()
                .filter(|m| states.contains(&m.state))
                .map(|m| m.version)
                .collect()
        };
        report.migrations = Some(MigrationHealth {
            version: status.version,
            applied: of(&[State::Applied, State::Baselined]),
            pending: of(&[State::Pending]),
            dirty: of(&[State::Dirty]),
            blocked: of(&[State::Modified, State::Missing, State::OutOfOrder]),
        });
    }

    if server.has_history {
        let (recorded, runs) =
            probe::history(client, schema, HISTORY_ROWS).map_err(|e| e.to_string())?;
        report.fingerprint.recorded = recorded;
        report.history = runs;
    }
    Ok(())
}

/// The verification's findings, sorted into the report's sections.
fn read_verification(report: &mut HealthReport, expected: &ExpectedSchema, verified: &SyncReport) {
    report.fast_path = verified.fast_path;
    report.unmanaged = verified.unmanaged.len();
    report.pending = PendingChanges::count(&verified.pending);
    let objects = |kind: ChangeKind| -> Vec<String> {
        verified
            .pending
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.object.clone())
            .collect()
    };
    report.invalid_indexes = objects(ChangeKind::InvalidIndex);
    report.unvalidated_constraints = objects(ChangeKind::UnvalidatedConstraint);
    for object in objects(ChangeKind::MissingTable) {
        let optional = expected.tables.iter().any(|t| {
            !t.options.required && object == format!("{}.{}", t.schema_or(&report.schema), t.name)
        });
        if optional {
            report.tables.missing_optional.push(object);
        } else {
            report.tables.missing_required.push(object);
        }
    }
}
