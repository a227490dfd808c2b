//! The command-line interface over one or more schema sets.
//!
//! A service's own binary calls [`run`] with its sets; `schema-defs` does the same for
//! the reference schemas:
//!
//! ```no_run
//! # use schema_core::{Table, schema_set};
//! # #[derive(Table)] struct Tenant { #[column(primary_key, serial)] id: i32 }
//! # schema_set!(AllTables = [Tenant]);
//! use schema_core::SchemaSet;
//! fn main() -> std::process::ExitCode {
//!     schema_core::cli::run(&[("app", AllTables::EXPECTED_SCHEMA)])
//! }
//! ```
//!
//! With one set the set name may be left out (`myapp sync`). Without `DATABASE_URL`
//! (or `--database-url`), commands that need a database start a throwaway PostgreSQL
//! from the installed binaries, which is removed when the command ends.

mod args;
mod connect;

use std::io::Write;
use std::process::ExitCode;

pub use args::{Cli, Command};

use crate::diff::summary;
use crate::expected::ExpectedSchema;
use crate::sync::{Outcome, SyncError, SyncOptions, sync_schema, verify_schema};

/// Parses the process arguments and runs the command; prints errors to stderr.
pub fn run(sets: &[(&str, ExpectedSchema)]) -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    run_from(sets, argv)
}

/// [`run`] with explicit arguments (the first one is the program name).
pub fn run_from(sets: &[(&str, ExpectedSchema)], argv: Vec<String>) -> ExitCode {
    let cli = match args::parse(sets, argv) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let mut out = std::io::stdout().lock();
    match execute(&cli, &mut out) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Connect(#[from] connect::ConnectError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Setting(#[from] crate::sync::InvalidSetting),
    #[error("could not write the output: {0}")]
    Output(#[from] std::io::Error),
}

/// Runs a parsed command, writing its output to `out`. Exit code 0 on success, 1 when
/// `verify`/`diff` found drift or a production sync refused.
pub fn execute(cli: &Cli, out: &mut impl Write) -> Result<ExitCode, CliError> {
    let expected = &cli.expected;
    let mut options = SyncOptions::from_env()?;
    if cli.production {
        options = SyncOptions {
            app_version: options.app_version,
            ..SyncOptions::production()
        };
    }
    options.default_schema = cli.schema.clone();
    options.allow_review = cli.allow_review;
    options.allow_destructive = cli.allow_destructive;

    if let Command::Plan = cli.command {
        write!(
            out,
            "{}",
            crate::ddl::render_plan(&expected.plan_in(&cli.schema))
        )?;
        return Ok(ExitCode::SUCCESS);
    }

    let mut db = connect::open(cli.database_url.as_deref(), &mut *out)?;
    let client = &mut db.client;
    let report = match cli.command {
        Command::Plan => unreachable!("handled above"),
        Command::Sync { dry_run } => {
            options.dry_run = dry_run;
            match sync_schema(client, expected, &options) {
                Ok(report) => report,
                Err(SyncError::Refused { problems, report }) => {
                    print_report(cli, out, &report)?;
                    eprintln!("{}", SyncError::Refused { problems, report });
                    return Ok(ExitCode::FAILURE);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Verify | Command::Diff => verify_schema(client, expected, &options)?,
    };
    if let Command::Diff = cli.command {
        if cli.json {
            let all: Vec<_> = report.pending.iter().chain(&report.unmanaged).collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&all).unwrap_or_default()
            )?;
        } else {
            write!(
                out,
                "{}",
                summary(&[report.pending.clone(), report.unmanaged.clone()].concat())
            )?;
        }
    } else {
        print_report(cli, out, &report)?;
    }
    let drifted =
        report.outcome == Outcome::Drifted && !matches!(cli.command, Command::Sync { .. });
    Ok(if drifted {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(
    cli: &Cli,
    out: &mut impl Write,
    report: &crate::sync::SyncReport,
) -> std::io::Result<()> {
    if cli.json {
        writeln!(out, "{}", report.to_json())
    } else {
        write!(out, "{report}")?;
        let statements = report.statements();
        if !statements.is_empty() {
            writeln!(
                out,
                "{}:",
                if report.dry_run {
                    "statements it would run"
                } else {
                    "statements run"
                }
            )?;
            for sql in statements {
                writeln!(out, "{sql};")?;
            }
        }
        Ok(())
    }
}
