//! `health`: the health report, with the exit code a probe script reads.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::Cli;
use crate::cli::{CliError, connect};
use crate::health::{self, Status};
use crate::migrate::Migrations;
use crate::sync::SyncOptions;

/// Prints the report (text, or JSON with `--json`) and exits 0 healthy, 1 degraded, 2
/// unhealthy. A database that cannot be reached is a report too (unhealthy), not an
/// error, so that `--json` output stays parseable whatever happens.
pub(super) fn execute(
    cli: &Cli,
    options: &SyncOptions,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let loaded;
    let migrations = match (cli.migrations, &cli.migrations_dir) {
        (Some(embedded), _) => Some(embedded),
        (None, Some(dir)) if dir.exists() => {
            loaded = Migrations::from_dir(dir)?;
            Some(&loaded)
        }
        _ => None,
    };
    let (expected, target) = (&cli.expected, &cli.target);
    let report = match cli.database_url.as_deref() {
        // Not `connect::open`: a health check creates nothing, not even a missing
        // database (that one is unhealthy: unreachable).
        Some(url) => match crate::database::check_scheme(url) {
            Ok(()) => health::check_url(url, expected, target, migrations, options),
            Err(e) => health::unreachable(expected, target, e),
        },
        None => match connect::open(None, None, &mut std::io::stderr()) {
            Ok(mut db) => health::check(&mut db.client, expected, target, migrations, options),
            Err(e) => health::unreachable(expected, target, e),
        },
    };
    if cli.json {
        writeln!(out, "{}", report.to_json())?;
    } else {
        write!(out, "{report}")?;
    }
    Ok(ExitCode::from(match report.status {
        Status::Healthy => 0,
        Status::Degraded => 1,
        Status::Unhealthy => 2,
    }))
}
