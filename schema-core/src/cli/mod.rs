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
//! A set with versioned migrations names them, embedded for `migrate up|down|status|…`
//! and as a folder for `migrate create|generate`:
//!
//! ```ignore
//! use schema_core::cli::SchemaSetEntry;
//! use schema_core::migrate::{Migrations, embed_migrations};
//!
//! static MIGRATIONS: Migrations = embed_migrations!("migrations");
//!
//! fn main() -> std::process::ExitCode {
//!     schema_core::cli::run(&[SchemaSetEntry::new("app", AllTables::EXPECTED_SCHEMA)
//!         .with_migrations(&MIGRATIONS)
//!         .with_migrations_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))])
//! }
//! ```
//!
//! With one set the set name may be left out (`myapp sync`). Without `DATABASE_URL`
//! (or `--database-url`), commands that need a database start a throwaway PostgreSQL
//! from the installed binaries, which is removed when the command ends.

mod args;
mod backup;
mod connect;
mod data;
mod health;
mod migrate;
mod tenants;

use std::io::Write;
use std::process::ExitCode;

pub use args::{Cli, Command, SchemaSetEntry};
pub use backup::BackupCommand;
pub use data::{DataCliError, DataCommand};
pub use migrate::MigrateCommand;
pub use tenants::TenantsCommand;

use crate::diff::summary;
use crate::migrate::MigrateError;
use crate::sync::{Outcome, SyncError, SyncOptions, sync_schema, verify_schema};

/// Parses the process arguments and runs the command; prints errors to stderr. `sets`
/// are [`SchemaSetEntry`]s, or `(name, expected schema)` pairs.
pub fn run<E: Into<SchemaSetEntry> + Copy>(sets: &[E]) -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    run_from(sets, argv)
}

/// [`run`] with explicit arguments (the first one is the program name).
pub fn run_from<E: Into<SchemaSetEntry> + Copy>(sets: &[E], argv: Vec<String>) -> ExitCode {
    let sets: Vec<SchemaSetEntry> = sets.iter().map(|&set| set.into()).collect();
    let cli = match Cli::parse_from(&sets, argv) {
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
#[non_exhaustive]
pub enum CliError {
    #[error(transparent)]
    Connect(#[from] connect::ConnectError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Setting(#[from] crate::sync::InvalidSetting),
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    #[error("schema set `{set}` names no migrations folder; pass one with `--dir <FOLDER>`")]
    NoMigrationsDir { set: String },
    #[error(transparent)]
    Data(#[from] DataCliError),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error("could not write the output: {0}")]
    Output(#[from] std::io::Error),
    #[error(transparent)]
    Tenant(#[from] crate::tenant::TenantError),
    #[error(
        "schema set `{set}` declares no tenants; declare them with \
         `SchemaSetEntry::with_tenants` on the platform set"
    )]
    NoTenants { set: String },
}

/// Runs a parsed command, writing its output to `out`. Exit code 0 on success, 1 when
/// `verify`/`diff` found drift, a production sync refused, or `migrate status` found a
/// migration that stops `migrate up`.
pub fn execute(cli: &Cli, out: &mut impl Write) -> Result<ExitCode, CliError> {
    let expected = &cli.expected;
    let mut options = SyncOptions::from_env()?;
    if cli.production {
        options = SyncOptions {
            app_version: options.app_version,
            ..SyncOptions::production()
        };
    }
    options.allow_review = cli.allow_review;
    options.allow_destructive = cli.allow_destructive;
    if let Some(wait) = cli.lock_wait {
        options.lock_wait = wait;
    }

    if let Command::Plan = cli.command {
        write!(
            out,
            "{}",
            crate::ddl::render_plan(&expected.plan_in(cli.target.schema()))
        )?;
        return Ok(ExitCode::SUCCESS);
    }

    if let Command::Health = cli.command {
        return health::execute(cli, &options, out);
    }

    if let Command::Migrate { dir, command } = &cli.command {
        return migrate::execute(cli, dir.as_deref(), command, &options, out);
    }

    if let Command::Data { command } = &cli.command {
        return Ok(data::execute(cli, command, out)?);
    }

    if let Command::Backup { command } = &cli.command {
        return backup::execute(cli, command, out);
    }

    if let Command::Tenants { command } = &cli.command {
        return tenants::execute(cli, command, &options, out);
    }

    let mut db = connect::open(
        cli.database_url.as_deref(),
        cli.admin_url.as_deref(),
        &mut std::io::stderr(),
    )?;
    let client = &mut db.client;
    let show_sql = matches!(cli.command, Command::Sync { verbose: true, .. });
    let report = match cli.command {
        Command::Plan
        | Command::Health
        | Command::Migrate { .. }
        | Command::Data { .. }
        | Command::Backup { .. }
        | Command::Tenants { .. } => {
            unreachable!("handled above")
        }
        Command::Sync {
            dry_run,
            ref backup,
            ..
        } => {
            options.dry_run = dry_run;
            if let Some(dir) = backup {
                let written = crate::backup::backup_before_sync(
                    client,
                    expected,
                    &cli.target,
                    &options,
                    dir,
                )?;
                if let Some(manifest) = written {
                    backup::written(cli, out, dir, &manifest)?;
                }
            }
            match sync_schema(client, expected, &cli.target, &options) {
                Ok(report) => report,
                Err(SyncError::Refused { problems, report }) => {
                    print_report(cli, out, &report, show_sql)?;
                    eprintln!("{}", SyncError::Refused { problems, report });
                    return Ok(ExitCode::FAILURE);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Verify | Command::Diff => verify_schema(client, expected, &cli.target, &options)?,
    };
    if let Command::Diff = cli.command {
        if cli.json {
            let all: Vec<_> = report.pending.iter().chain(&report.unmanaged).collect();
            writeln!(out, "{}", to_json(&all))?;
        } else {
            write!(
                out,
                "{}",
                summary(&[report.pending.clone(), report.unmanaged.clone()].concat())
            )?;
        }
    } else {
        print_report(cli, out, &report, show_sql)?;
    }
    let drifted =
        report.outcome == Outcome::Drifted && !matches!(cli.command, Command::Sync { .. });
    Ok(if drifted {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints the report: JSON, or the summary of what changed by class; the SQL too in a
/// dry run (it is what the user asked to see) or when `show_sql`, not by default, since
/// a first run would print every table's DDL.
fn print_report(
    cli: &Cli,
    out: &mut impl Write,
    report: &crate::sync::SyncReport,
    show_sql: bool,
) -> std::io::Result<()> {
    if cli.json {
        return writeln!(out, "{}", report.to_json());
    }
    write!(out, "{report}")?;
    let statements = report.statements();
    if statements.is_empty() {
        return Ok(());
    }
    if !report.dry_run && !show_sql {
        return writeln!(
            out,
            "{} statement(s) run; `sync --verbose` prints them",
            statements.len()
        );
    }
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
    Ok(())
}

/// A value as indented JSON, for `--json` output.
fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
