//! `data compare` and `data copy`: rows between two databases of the schema set.
//!
//! The source is `--from` (or `DATABASE_URL_DEV`), the target `--to` (or
//! `DATABASE_URL_PROD`). With neither, a throwaway server is started with two demo
//! databases that differ (the set's demo rows, when it has some).

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use postgres::Client;

use crate::cli::args::Cli;
use crate::connect::Settings;
use crate::data::{self, CompareOptions, CopyOptions, DataError, Key, ParentPolicy, RowSelection};
use crate::ephemeral::Server;
use crate::expected::ExpectedSchema;
use crate::sync::{SyncOptions, sync_schema};

/// What to do with rows.
#[derive(Debug, Clone, Subcommand)]
pub enum DataCommand {
    /// Compare rows by primary key: counts, keys on one side only, changed keys; exit 1
    /// when the databases differ.
    Compare {
        #[command(flatten)]
        common: DataArgs,
        /// Also name the columns that differ in each changed row.
        #[arg(long)]
        columns: bool,
    },
    /// Copy rows missing in the target from the source, parents first; never updates or
    /// deletes a target row. A dry run unless confirmed.
    Copy {
        #[command(flatten)]
        common: DataArgs,
        /// Copy these keys of the one `--table` (comma-separated; parts of a composite
        /// key joined by `:`) instead of its missing rows.
        #[arg(long, value_name = "KEYS")]
        keys: Option<String>,
        /// Print the plan and write nothing (the default without `--yes`).
        #[arg(long)]
        dry_run: bool,
        /// Apply the plan without asking.
        #[arg(long)]
        yes: bool,
        /// The target is production: applying also needs `--yes-production`.
        #[arg(long, env = "TARGET_IS_PRODUCTION")]
        target_is_production: bool,
        /// The second confirmation a production target needs.
        #[arg(long)]
        yes_production: bool,
        /// Refuse rows whose parents the target lacks instead of copying the parents.
        #[arg(long)]
        refuse_missing_parents: bool,
    },
}

/// Options both commands take.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// The source database (development).
    #[arg(long, env = "DATABASE_URL_DEV", hide_env_values = true)]
    from: Option<String>,
    /// The target database (production).
    #[arg(long, env = "DATABASE_URL_PROD", hide_env_values = true)]
    to: Option<String>,
    /// Only this table (repeatable).
    #[arg(long = "table", value_name = "TABLE")]
    tables: Vec<String>,
    /// A SQL condition both sides are read with, run as written: `TABLE:CONDITION` for
    /// one table, or a bare condition for every `--table` (repeatable).
    #[arg(long = "where", value_name = "[TABLE:]CONDITION")]
    filters: Vec<String>,
    /// A column left out of the comparison: `COLUMN` in every table, `TABLE.COLUMN` in one.
    #[arg(long = "ignore-column", value_name = "[TABLE.]COLUMN")]
    ignore: Vec<String>,
}

/// Why a data command could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataCliError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(
        "give both --from and --to (or DATABASE_URL_DEV and DATABASE_URL_PROD), or neither for the demo"
    )]
    OneSide,
    #[error("the {side} database: {source}")]
    Connect {
        side: &'static str,
        source: crate::connect::Error,
    },
    #[error("a bare --where condition needs --table to say where it applies: use TABLE:CONDITION")]
    UnscopedFilter,
    #[error("--keys needs exactly one --table")]
    KeysTable,
    #[error("could not prepare the demo: {0}")]
    Demo(String),
    #[error("could not write the output: {0}")]
    Output(#[from] std::io::Error),
}

/// The two connections, and the throwaway server behind them in the demo.
struct Pair {
    source: Client,
    target: Client,
    _server: Option<Server>,
}

/// Runs a data command. Exit 0 on success, 1 when a compare found differences.
pub fn execute(
    cli: &Cli,
    command: &DataCommand,
    out: &mut impl Write,
) -> Result<ExitCode, DataCliError> {
    let common = match command {
        DataCommand::Compare { common, .. } | DataCommand::Copy { common, .. } => common,
    };
    let mut pair = connect(cli, common)?;
    let filters = filters(&cli.expected, common)?;
    let (source, target) = (
        data::Side::new(&mut pair.source, &cli.target),
        data::Side::new(&mut pair.target, &cli.target),
    );
    match command {
        DataCommand::Compare { common, columns } => {
            let options = CompareOptions {
                tables: common.tables.clone(),
                filters,
                ignore_columns: common.ignore.clone(),
                column_details: *columns,
                progress: true,
            };
            let report = data::compare(source, target, &cli.expected, &options)?;
            if cli.json {
                writeln!(out, "{}", report.to_json())?;
            } else {
                write!(out, "{report}")?;
            }
            Ok(if report.is_identical() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        DataCommand::Copy {
            common,
            keys,
            dry_run,
            yes,
            target_is_production,
            yes_production,
            refuse_missing_parents,
        } => {
            let mut options = CopyOptions {
                selection: selection(&cli.expected, common, keys.as_deref())?,
                filters,
                parents: if *refuse_missing_parents {
                    ParentPolicy::Refuse
                } else {
                    ParentPolicy::Bring
                },
                apply: *yes && !*dry_run,
                target_is_production: *target_is_production,
                production_confirmed: *yes_production,
                actor: std::env::var("SCHEMA_CORE_ACTOR")
                    .or_else(|_| std::env::var("USER"))
                    .ok(),
                app_version: env!("CARGO_PKG_VERSION").to_owned(),
            };
            let report = data::copy(source, target, &cli.expected, &options)?;
            let interactive = !*dry_run && !*yes && std::io::stdin().is_terminal();
            if !interactive || report.plan.rows() == 0 {
                return print_copy(cli, out, &report);
            }
            print_copy(cli, out, &report)?;
            let database = report.plan.target.database.clone();
            if !ask(
                &format!("type the target database name ({database}) to apply: "),
                &database,
            )? {
                writeln!(out, "not applied")?;
                return Ok(ExitCode::SUCCESS);
            }
            if options.target_is_production && !options.production_confirmed {
                options.production_confirmed = ask(
                    "the target is production: type `production` to confirm: ",
                    "production",
                )?;
            }
            options.apply = true;
            let (source, target) = (
                data::Side::new(&mut pair.source, &cli.target),
                data::Side::new(&mut pair.target, &cli.target),
            );
            let report = data::copy(source, target, &cli.expected, &options)?;
            print_copy(cli, out, &report)
        }
    }
}

fn print_copy(
    cli: &Cli,
    out: &mut impl Write,
    report: &data::CopyReport,
) -> Result<ExitCode, DataCliError> {
    if cli.json {
        writeln!(out, "{}", super::to_json(report))?;
    } else {
        write!(out, "{report}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks on the terminal; `true` when the answer is `expected`.
fn ask(prompt: &str, expected: &str) -> Result<bool, DataCliError> {
    eprint!("{prompt}");
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == expected)
}

/// `--where` values by table.
fn filters(
    expected: &ExpectedSchema,
    common: &DataArgs,
) -> Result<BTreeMap<String, String>, DataCliError> {
    let mut filters = BTreeMap::new();
    for filter in &common.filters {
        match filter.split_once(':') {
            Some((table, condition)) if expected.table(table.trim()).is_some() => {
                filters.insert(table.trim().to_owned(), condition.trim().to_owned());
            }
            _ if common.tables.is_empty() => return Err(DataCliError::UnscopedFilter),
            _ => {
                for table in &common.tables {
                    filters.insert(table.clone(), filter.clone());
                }
            }
        }
    }
    Ok(filters)
}

/// `--table` and `--keys` as a copy's selection (no tables: everything missing).
fn selection(
    expected: &ExpectedSchema,
    common: &DataArgs,
    keys: Option<&str>,
) -> Result<Vec<(String, RowSelection)>, DataCliError> {
    let Some(keys) = keys else {
        return Ok(common
            .tables
            .iter()
            .map(|t| (t.clone(), RowSelection::Missing))
            .collect());
    };
    let [table] = common.tables.as_slice() else {
        return Err(DataCliError::KeysTable);
    };
    let def = expected
        .table(table)
        .ok_or_else(|| DataError::UnknownTable(table.clone()))?;
    let keys = keys
        .split(',')
        .filter(|k| !k.trim().is_empty())
        .map(|k| Key::parse(def, &k.split(':').collect::<Vec<_>>()))
        .collect::<Result<_, _>>()?;
    Ok(vec![(table.clone(), RowSelection::Keys(keys))])
}

/// Connects as every other command does ([`Settings`]): `sslmode` and `sslrootcert`
/// in the URL, TLS when the `tls` feature is on, and the password never shown.
fn open(url: &str, side: &'static str) -> Result<Client, DataCliError> {
    let failed = |source| DataCliError::Connect { side, source };
    let settings = Settings::from_url(url).map_err(failed)?;
    for warning in settings.warnings() {
        eprintln!("warning: {warning}");
    }
    settings.connect().map_err(failed)
}

/// The configured pair, or the demo.
fn connect(cli: &Cli, common: &DataArgs) -> Result<Pair, DataCliError> {
    let empty = |u: &Option<String>| u.clone().filter(|u| !u.is_empty());
    match (empty(&common.from), empty(&common.to)) {
        (Some(from), Some(to)) => Ok(Pair {
            source: open(&from, "source")?,
            target: open(&to, "target")?,
            _server: None,
        }),
        (None, None) => demo(cli),
        _ => Err(DataCliError::OneSide),
    }
}

/// A throwaway server with `demo_dev` and `demo_prod`, the schema synced into both and
/// the set's demo rows seeded.
fn demo(cli: &Cli) -> Result<Pair, DataCliError> {
    let failed = |e: &dyn std::fmt::Display| DataCliError::Demo(e.to_string());
    let server = Server::start().map_err(|e| failed(&e))?;
    eprintln!(
        "no --from/--to (DATABASE_URL_DEV/DATABASE_URL_PROD): started a throwaway PostgreSQL \
         in {} with demo databases demo_dev (source) and demo_prod (target), removed on exit",
        server.socket_dir().display()
    );
    let prepare = |name: &str, seed: Option<&str>| -> Result<Client, DataCliError> {
        let url = server.url(name);
        crate::database::ensure_database(&url).map_err(|e| failed(&e))?;
        let mut client = open(&url, "demo")?;
        sync_schema(
            &mut client,
            &cli.expected,
            &cli.target,
            &SyncOptions::development(),
        )
        .map_err(|e| failed(&e))?;
        if let Some(seed) = seed {
            client
                .batch_execute(seed)
                .map_err(|e| failed(&crate::PgError(e)))?;
        }
        Ok(client)
    };
    let (source_seed, target_seed) = cli.demo_data.unzip();
    let source = prepare("demo_dev", source_seed)?;
    let target = prepare("demo_prod", target_seed)?;
    Ok(Pair {
        source,
        target,
        _server: Some(server),
    })
}
