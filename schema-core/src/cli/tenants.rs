//! `tenants list | verify | sync | create NAME | retire NAME` over the tenants a set
//! declares.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;

use clap::Subcommand;

use crate::cli::{Cli, CliError, connect};
use crate::progress::Progress;
use crate::sync::{SyncOptions, sync_schema};
use crate::target::Target;
use crate::tenant::{
    DEFAULT_PARALLEL, FanOut, TenantOutcome, TenantSet, TenantsReport, fan_out, provision, retire,
};

/// What to do with the tenants.
#[derive(Debug, Clone, Subcommand)]
pub enum TenantsCommand {
    /// Print the tenant schemas the set's source lists.
    List,
    /// Compare every tenant schema with the declaration, changing nothing; exit 1 when
    /// any tenant drifted or failed.
    Verify {
        /// Workers, one connection each (plus one for the platform).
        #[arg(long, default_value_t = DEFAULT_PARALLEL as u16, value_parser = clap::value_parser!(u16).range(1..))]
        parallel: u16,
    },
    /// Apply the safe changes to every drifted tenant, each in its own transaction;
    /// exit 1 when any tenant is left drifted, was refused or failed.
    Sync {
        /// Workers, one connection each (plus one for the platform).
        #[arg(long, default_value_t = DEFAULT_PARALLEL as u16, value_parser = clap::value_parser!(u16).range(1..))]
        parallel: u16,
        /// Report what would be applied and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Provision tenant NAME (its platform row and its schema with every table) in one
    /// transaction; an existing tenant is synced instead.
    Create { name: String },
    /// Retire tenant NAME: soft-delete its platform row and keep its schema. With
    /// --drop-after-export, write every table to FOLDER/NAME/<table>.copy, then drop
    /// the schema.
    Retire {
        name: String,
        #[arg(long, value_name = "FOLDER")]
        drop_after_export: Option<PathBuf>,
    },
}

pub(super) fn execute(
    cli: &Cli,
    command: &TenantsCommand,
    options: &SyncOptions,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let Some(tenants) = cli.tenants else {
        return Err(CliError::NoTenants {
            set: cli.expected.name.to_owned(),
        });
    };
    let set = tenants();
    let mut db = connect::open(
        cli.database_url.as_deref(),
        cli.admin_url.as_deref(),
        &mut std::io::stderr(),
    )?;
    if db.is_throwaway() {
        demo(&mut db.client, &set, options)?;
    }
    match command {
        TenantsCommand::List => {
            let listed = set
                .source
                .list(&mut db.client)
                .map_err(crate::tenant::TenantError::from)?;
            if cli.json {
                writeln!(out, "{}", super::to_json(&listed))?;
            } else {
                for tenant in listed {
                    writeln!(out, "{}", tenant.schema)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TenantsCommand::Create { name } => {
            let done = provision(&mut db.client, &set, name, options)?;
            if cli.json {
                writeln!(out, "{}", super::to_json(&done))?;
            } else if let Some(report) = &done.sync {
                write!(out, "tenant {name} exists; {report}")?;
            } else {
                writeln!(
                    out,
                    "created tenant {name}{}: {} statement(s) in one transaction",
                    if done.row_inserted {
                        " and its platform row"
                    } else {
                        ""
                    },
                    done.created_statements
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        TenantsCommand::Retire {
            name,
            drop_after_export,
        } => {
            let done = retire(
                &mut db.client,
                &set,
                name,
                drop_after_export.as_deref(),
                options,
            )?;
            if cli.json {
                writeln!(out, "{}", super::to_json(&done))?;
            } else {
                for path in &done.exported {
                    writeln!(out, "wrote {}", path.display())?;
                }
                writeln!(
                    out,
                    "tenant {name}: platform row {}, schema {}",
                    if done.row_soft_deleted {
                        "soft-deleted"
                    } else {
                        "unchanged"
                    },
                    if done.schema_dropped {
                        "dropped after the export"
                    } else {
                        "kept (pass --drop-after-export FOLDER to drop it)"
                    }
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        TenantsCommand::Verify { parallel } => {
            fan_out_command(cli, db, &set, options.clone(), true, *parallel, out)
        }
        TenantsCommand::Sync { parallel, dry_run } => {
            let mut options = options.clone();
            options.dry_run = *dry_run;
            fan_out_command(cli, db, &set, options, false, *parallel, out)
        }
    }
}

/// Runs the fan-out on a thread of its own while this one prints a line per tenant as
/// it finishes (JSON Lines with `--json`), then the totals.
fn fan_out_command(
    cli: &Cli,
    mut db: connect::Connection,
    set: &TenantSet,
    options: SyncOptions,
    verify: bool,
    parallel: u16,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    let listed = set
        .source
        .list(&mut db.client)
        .map_err(crate::tenant::TenantError::from)?;
    // The fan-out opens its own connections: this one goes, the server stays.
    let (settings, _server) = db.into_settings();
    let progress = Progress::new(listed.len() as u64, if verify { "verify" } else { "sync" });
    let (send, receive) = mpsc::channel::<TenantOutcome>();
    let on_done = move |outcome: &TenantOutcome| {
        let _ = send.send(outcome.clone());
    };
    let fan = FanOut {
        options,
        verify,
        parallel: usize::from(parallel),
        on_done: Some(&on_done),
    };
    let report: Result<TenantsReport, CliError> = std::thread::scope(|scope| {
        let run = scope.spawn(|| fan_out(&settings, set, &fan));
        let mut print = |outcome: TenantOutcome| {
            progress.inc(1);
            let line = if cli.json {
                serde_json::to_string(&outcome).unwrap_or_default()
            } else {
                outcome.to_string()
            };
            progress.suspend(|| writeln!(out, "{line}"))
        };
        // The sender lives as long as `fan`: once the fan-out is over, print what is
        // queued and stop.
        loop {
            match receive.recv_timeout(std::time::Duration::from_millis(50)) {
                Ok(outcome) => print(outcome)?,
                Err(mpsc::RecvTimeoutError::Timeout) if !run.is_finished() => {}
                Err(_) => {
                    for outcome in receive.try_iter() {
                        print(outcome)?;
                    }
                    break;
                }
            }
        }
        progress.finish();
        match run.join() {
            Ok(report) => Ok(report?),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let report = report?;
    if cli.json {
        let mut value = serde_json::to_value(&report).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.remove("tenants");
        }
        writeln!(out, "{}", serde_json::to_string(&value).unwrap_or_default())?;
    } else {
        writeln!(
            out,
            "{} {}{}: {} in {} ms, at most {} connection(s)",
            report.schema_set,
            report.command,
            if report.dry_run { " (dry run)" } else { "" },
            report.totals,
            report.duration_ms,
            report.peak_connections
        )?;
    }
    Ok(if report.has_problems() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// On a throwaway server: create the platform tables, and the demo tenants when the
/// source lists none, saying so on standard error.
fn demo(
    client: &mut postgres::Client,
    set: &TenantSet,
    options: &SyncOptions,
) -> Result<(), CliError> {
    sync_schema(client, &set.platform, &Target::default(), options)?;
    let listed = set
        .source
        .list(client)
        .map_err(crate::tenant::TenantError::from)?;
    if !listed.is_empty() || set.demo.is_empty() {
        return Ok(());
    }
    if let Some(setup) = set.demo_setup {
        client
            .batch_execute(setup)
            .map_err(crate::tenant::TenantError::db_error(
                "running the demo setup",
            ))?;
    }
    for name in set.demo {
        provision(client, set, name, options)?;
    }
    eprintln!(
        "no tenants on the throwaway server: created the platform tables and demo tenants {}",
        set.demo.join(", ")
    );
    Ok(())
}
