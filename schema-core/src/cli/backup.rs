//! `backup write|restore`, and the `--backup DIR` of `sync` and `migrate up`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::backup::{self, Manifest};
use crate::cli::args::Cli;
use crate::cli::{CliError, connect};

/// A backup command.
#[derive(Debug, Clone, Subcommand)]
pub enum BackupCommand {
    /// Write the schema set's tables (or those named) to DIR: each table's DDL, its rows
    /// in COPY format, and a manifest.
    Write {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Only this table (repeatable).
        #[arg(long = "table", value_name = "TABLE")]
        tables: Vec<String>,
    },
    /// Load a backup folder back, parents first, in one transaction: missing tables are
    /// created from the backup's DDL and rows are added, never overwritten (a key that
    /// exists stops the restore, nothing written).
    Restore {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

pub(super) fn execute(
    cli: &Cli,
    command: &BackupCommand,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let mut db = connect::open(
        cli.database_url.as_deref(),
        cli.admin_url.as_deref(),
        &mut std::io::stderr(),
    )?;
    let client = &mut db.client;
    match command {
        BackupCommand::Write { dir, tables } => {
            for name in tables {
                if cli.expected.table(name).is_none() {
                    return Err(backup::BackupError::UnknownTable(name.clone()).into());
                }
            }
            let chosen: Vec<(String, String)> = cli
                .expected
                .tables
                .iter()
                .filter(|t| tables.is_empty() || tables.iter().any(|n| *n == t.name))
                .map(|t| {
                    let schema = t.schema.as_deref().unwrap_or(cli.target.schema());
                    (schema.to_owned(), t.name.to_string())
                })
                .collect();
            let manifest = backup::write(client, &chosen, dir, "backup write")?;
            written(cli, out, dir, &manifest)?;
        }
        BackupCommand::Restore { dir } => {
            let report = backup::restore(client, dir)?;
            if cli.json {
                writeln!(out, "{}", super::to_json(&report))?;
            } else {
                write!(out, "{report}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Says where a backup went, on standard error when the report is JSON.
pub(super) fn written(
    cli: &Cli,
    out: &mut impl Write,
    dir: &std::path::Path,
    manifest: &Manifest,
) -> std::io::Result<()> {
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    let line = format!(
        "backup of {} table(s), {rows} row(s), written to {} (restore with `backup restore {}`)",
        manifest.tables.len(),
        dir.display(),
        dir.display()
    );
    if cli.json {
        eprintln!("{line}");
        Ok(())
    } else {
        writeln!(out, "{line}")
    }
}
