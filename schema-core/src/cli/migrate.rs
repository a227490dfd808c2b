//! `migrate up|down|status|create|generate|baseline|repair|seed`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use crate::cli::args::Cli;
use crate::cli::{CliError, connect};
use crate::diff::summary;
use crate::migrate::{self, MigrateReport, Migrations};
use crate::sync::SyncOptions;

/// A migration command.
#[derive(Debug, Clone, Subcommand)]
pub enum MigrateCommand {
    /// Apply the pending migrations: all of them, or up to a version.
    Up {
        /// Stop after this version.
        #[arg(long, value_name = "VERSION")]
        to: Option<i64>,
        /// Before applying pending migrations, write every table of the set's schemas to
        /// DIR (DDL, rows in COPY format, manifest); `backup restore DIR` loads it back.
        #[arg(long, value_name = "DIR")]
        backup: Option<PathBuf>,
    },
    /// Revert the newest applied migration, or every one above a version (`--to 0`: all).
    Down {
        /// Revert every applied migration newer than this version.
        #[arg(long, value_name = "VERSION")]
        to: Option<i64>,
    },
    /// Show every migration: applied, pending, modified, missing or dirty; exit 1 when
    /// one of them stops `up`.
    Status,
    /// Write the next numbered pair of empty files, NNN_name.up.sql and NNN_name.down.sql.
    Create {
        /// The migration's name: letters, digits, `_` and `-` (`add_notes`).
        #[arg(long)]
        name: String,
    },
    /// Write the next migration from the difference between the schema set and the
    /// database (on a throwaway database, after applying the existing migrations).
    Generate {
        /// The migration's name: letters, digits, `_` and `-` (`add_notes`).
        #[arg(long)]
        name: String,
    },
    /// Record every migration up to VERSION as applied, without running it, for a
    /// database that already has what they do.
    Baseline {
        #[arg(value_name = "VERSION")]
        version: i64,
    },
    /// After review: accept changed files of applied migrations, and forget dirty
    /// migrations once the database is back where it was before them (undo a failed up,
    /// finish a failed down).
    Repair,
    /// Run the seed files (seeds/*.sql); refused while a migration is dirty.
    Seed,
}

/// Runs a migration command. `dir` is `--dir`, which takes precedence over the set's
/// embedded migrations and folder.
pub(super) fn execute(
    cli: &Cli,
    dir: Option<&Path>,
    command: &MigrateCommand,
    options: &SyncOptions,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let folder = dir
        .map(Path::to_path_buf)
        .or_else(|| cli.migrations_dir.clone());
    let folder_or_error = || {
        folder.clone().ok_or_else(|| CliError::NoMigrationsDir {
            set: cli.expected.name.to_owned(),
        })
    };
    if let MigrateCommand::Create { name } = command {
        let created = migrate::create(folder_or_error()?, name)?;
        if cli.json {
            writeln!(out, "{}", super::to_json(&created))?;
        } else {
            writeln!(out, "created {}", created.up.display())?;
            if let Some(down) = &created.down {
                writeln!(out, "created {}", down.display())?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }

    let throwaway = cli.database_url.is_none();
    let mut db = connect::open(
        cli.database_url.as_deref(),
        cli.admin_url.as_deref(),
        &mut std::io::stderr(),
    )?;
    let client = &mut db.client;

    if let MigrateCommand::Generate { name } = command {
        let folder = folder_or_error()?;
        if throwaway && folder.exists() {
            // A fresh database: bring it to the newest migration so the new file holds
            // only what the existing ones do not.
            let existing = Migrations::from_dir(&folder)?;
            let report = migrate::up(client, &existing, &cli.target, options)?;
            if !report.migrations.is_empty() && !cli.json {
                writeln!(
                    out,
                    "applied the {} existing migration(s) to the throwaway database",
                    report.migrations.len()
                )?;
            }
        }
        let generated =
            migrate::generate_schema(client, &cli.expected, &folder, name, &cli.target, options)?;
        match generated {
            None if cli.json => writeln!(out, "null")?,
            None => writeln!(
                out,
                "the database matches schema set {}: nothing to generate",
                cli.expected.name
            )?,
            Some(generated) if cli.json => writeln!(out, "{}", super::to_json(&generated))?,
            Some(generated) => {
                writeln!(out, "created {}", generated.files.up.display())?;
                match &generated.files.down {
                    Some(down) => writeln!(out, "created {}", down.display())?,
                    None => writeln!(out, "no down file: nothing of the change can be reversed")?,
                }
                write!(out, "{}", summary(&generated.changes))?;
                for text in &generated.not_reversible {
                    writeln!(out, "not reversible: {text}")?;
                }
                writeln!(out, "review both files before applying them")?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }

    let loaded;
    let migrations: &Migrations = match (dir, cli.migrations) {
        (None, Some(embedded)) => embedded,
        _ => {
            loaded = Migrations::from_dir(folder_or_error()?)?;
            &loaded
        }
    };
    let report = match command {
        MigrateCommand::Create { .. } | MigrateCommand::Generate { .. } => {
            unreachable!("handled above")
        }
        MigrateCommand::Status => {
            let status = migrate::status(client, migrations, &cli.target)?;
            if cli.json {
                writeln!(out, "{}", status.to_json())?;
            } else {
                write!(out, "{status}")?;
            }
            return Ok(if status.problems().next().is_some() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            });
        }
        MigrateCommand::Seed => {
            let report = migrate::seed(client, migrations, &cli.target, options)?;
            if cli.json {
                writeln!(out, "{}", super::to_json(&report))?;
            } else {
                write!(out, "{report}")?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        MigrateCommand::Up { to, backup } => {
            if let Some(dir) = backup {
                let written = crate::backup::backup_before_migrations(
                    client,
                    migrations,
                    &cli.expected,
                    &cli.target,
                    dir,
                )?;
                if let Some(manifest) = written {
                    crate::cli::backup::written(cli, out, dir, &manifest)?;
                }
            }
            match to {
                None => migrate::up(client, migrations, &cli.target, options)?,
                Some(v) => migrate::up_to(client, migrations, &cli.target, options, *v)?,
            }
        }
        MigrateCommand::Down { to: None } => {
            migrate::down(client, migrations, &cli.target, options)?
        }
        MigrateCommand::Down { to: Some(v) } => {
            migrate::down_to(client, migrations, &cli.target, options, *v)?
        }
        MigrateCommand::Baseline { version } => {
            migrate::baseline(client, migrations, &cli.target, options, *version)?
        }
        MigrateCommand::Repair => migrate::repair(client, migrations, &cli.target, options)?,
    };
    print(cli, out, &report)?;
    Ok(ExitCode::SUCCESS)
}

fn print(cli: &Cli, out: &mut impl Write, report: &MigrateReport) -> std::io::Result<()> {
    if cli.json {
        writeln!(out, "{}", report.to_json())
    } else {
        write!(out, "{report}")
    }
}
