//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cli::data::DataCommand;
use crate::cli::migrate::MigrateCommand;
use crate::cli::tenants::TenantsCommand;
use crate::expected::ExpectedSchema;
use crate::migrate::Migrations;
use crate::model::DEFAULT_SCHEMA;
use crate::target::Target;
use crate::tenant::TenantSet;

/// A schema set the CLI serves: its name on the command line, its declaration and,
/// optionally, its versioned migrations.
///
/// A plain `("app", AllTables::EXPECTED_SCHEMA)` pair converts into one without
/// migrations.
#[derive(Debug, Clone, Copy)]
pub struct SchemaSetEntry {
    pub name: &'static str,
    pub expected: ExpectedSchema,
    /// The migrations embedded in the binary: what `migrate up|down|status|baseline|
    /// repair|seed` use unless `--dir` names a folder.
    pub migrations: Option<&'static Migrations>,
    /// The migrations folder on disk: where `migrate create|generate` write, and what
    /// the other `migrate` commands read when nothing is embedded. `--dir` overrides it.
    pub migrations_dir: Option<&'static str>,
    /// SQL seeding the source and the target of the `data` demo (see [`Self::with_demo_data`]).
    pub demo_data: Option<(&'static str, &'static str)>,
    /// The set's tenants, for `tenants list|verify|sync|create` (see [`Self::with_tenants`]).
    pub tenants: Option<fn() -> TenantSet>,
}

impl SchemaSetEntry {
    pub const fn new(name: &'static str, expected: ExpectedSchema) -> Self {
        SchemaSetEntry {
            name,
            expected,
            migrations: None,
            migrations_dir: None,
            demo_data: None,
            tenants: None,
        }
    }

    /// The tenants of this (platform) set, declared once beside it (`fuel::tenants`).
    pub const fn with_tenants(mut self, tenants: fn() -> TenantSet) -> Self {
        self.tenants = Some(tenants);
        self
    }

    /// Rows for the demo `data compare` runs without `--from`/`--to`: SQL run in the
    /// demo source and the demo target, which should differ.
    pub const fn with_demo_data(mut self, source: &'static str, target: &'static str) -> Self {
        self.demo_data = Some((source, target));
        self
    }

    /// The set's embedded migrations (`embed_migrations!`).
    pub const fn with_migrations(mut self, migrations: &'static Migrations) -> Self {
        self.migrations = Some(migrations);
        self
    }

    /// The set's migrations folder, for `migrate create|generate`; in a binary built
    /// from the same crate: `concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")`.
    pub const fn with_migrations_dir(mut self, dir: &'static str) -> Self {
        self.migrations_dir = Some(dir);
        self
    }
}

impl From<(&'static str, ExpectedSchema)> for SchemaSetEntry {
    fn from((name, expected): (&'static str, ExpectedSchema)) -> Self {
        SchemaSetEntry::new(name, expected)
    }
}

/// A parsed command line, with the schema set it names.
#[derive(Debug, Clone)]
pub struct Cli {
    pub expected: ExpectedSchema,
    /// The set's embedded migrations.
    pub migrations: Option<&'static Migrations>,
    /// The set's migrations folder.
    pub migrations_dir: Option<PathBuf>,
    /// The set's demo rows for `data` commands without databases.
    pub demo_data: Option<(&'static str, &'static str)>,
    /// The set's tenants.
    pub tenants: Option<fn() -> TenantSet>,
    pub command: Command,
    pub database_url: Option<String>,
    /// A role that may create databases, used only to create a missing one.
    pub admin_url: Option<String>,
    /// Where tables that name no schema go, and where history and tracking live.
    pub target: Target,
    pub json: bool,
    pub production: bool,
    pub allow_review: bool,
    pub allow_destructive: bool,
    /// How long to wait for another process's sync or migration.
    pub lock_wait: Option<std::time::Duration>,
}

/// What to do.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Print the creation DDL in plan order (no database needed).
    Plan,
    /// Apply the safe changes (create missing tables, columns, indexes, …) and print
    /// what changed by class.
    Sync {
        /// Print the plan, with its SQL, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Also print the SQL that ran (a first run creates every table: hundreds of
        /// lines).
        #[arg(long, visible_alias = "show-sql")]
        verbose: bool,
        /// Before applying review or destructive changes (`--allow-review`,
        /// `--allow-destructive`), write the tables they touch to DIR: DDL, rows in COPY
        /// format, manifest. `backup restore DIR` loads it back.
        #[arg(long, value_name = "DIR")]
        backup: Option<PathBuf>,
    },
    /// List every difference between the schema and the database; exit 1 on drift.
    Diff,
    /// Check that the database matches the schema; exit 1 on drift.
    Verify,
    /// Report the database's health: reachable, schema as expected, migrations; exit 0
    /// healthy, 1 degraded, 2 unhealthy.
    Health,
    /// Versioned migrations: apply, revert, inspect and write them.
    Migrate {
        /// The migrations folder, instead of the set's own (and of embedded migrations).
        #[arg(long, global = true, value_name = "FOLDER")]
        dir: Option<PathBuf>,
        #[command(subcommand)]
        command: MigrateCommand,
    },
    /// Rows between two databases: `data compare`, `data copy`.
    Data {
        #[command(subcommand)]
        command: DataCommand,
    },
    /// Tables' DDL and rows to a folder and back: `backup write`, `backup restore`.
    Backup {
        #[command(subcommand)]
        command: crate::cli::backup::BackupCommand,
    },
    /// Every tenant schema of the set: `tenants list|verify|sync|create NAME`.
    Tenants {
        #[command(subcommand)]
        command: TenantsCommand,
    },
}

#[derive(Debug, Parser)]
#[command(about = "Create, verify and sync a PostgreSQL schema declared in Rust")]
struct Args {
    /// The schema set (optional when there is only one).
    #[arg(value_name = "SCHEMA_SET")]
    set: Option<String>,
    #[command(subcommand)]
    command: Command,
    /// Database to use; without it a throwaway local PostgreSQL is started.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// A role that may create databases (CREATEDB), used only to create the database of
    /// --database-url when it is missing, so the app's role needs no such right.
    #[arg(
        long,
        env = "ADMIN_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    admin_url: Option<String>,
    /// Schema for tables that name none.
    #[arg(long, default_value = DEFAULT_SCHEMA, global = true, value_parser = target)]
    schema: Target,
    /// Print reports as JSON.
    #[arg(long, global = true)]
    json: bool,
    /// Production mode: verify and refuse on drift instead of fixing it.
    #[arg(long, global = true)]
    production: bool,
    /// Also apply changes that need review (they can fail on existing data).
    #[arg(long, global = true)]
    allow_review: bool,
    /// Also apply destructive changes (type narrowing, dropped keys). Never drops
    /// unmanaged objects.
    #[arg(long, global = true)]
    allow_destructive: bool,
    /// Seconds to wait for another process's sync or migration (default 120).
    #[arg(long, value_name = "SECONDS", global = true)]
    lock_wait: Option<u64>,
}

impl Cli {
    /// Parses `argv` (the program name first) against `sets`; with a single set, the
    /// set name may be omitted.
    pub fn parse_from(sets: &[SchemaSetEntry], argv: Vec<String>) -> Result<Cli, clap::Error> {
        parse(sets, argv)
    }
}

fn parse(sets: &[SchemaSetEntry], argv: Vec<String>) -> Result<Cli, clap::Error> {
    let names: Vec<&str> = sets.iter().map(|s| s.name).collect();
    let mut argv = argv;
    // `myapp sync` with one set: insert its name so the grammar stays the same.
    if sets.len() == 1
        && argv
            .get(1)
            .is_some_and(|a| !names.contains(&a.as_str()) && !a.starts_with('-'))
    {
        argv.insert(1, names[0].to_owned());
    }
    let args = Args::try_parse_from(argv)?;
    // With one set, options may also come before the command (`app --json verify`).
    let set = match (args.set.as_deref(), &names[..]) {
        (Some(set), _) => set,
        (None, [only]) => *only,
        (None, _) => return Err(unknown_set(&names, "no schema set given")),
    };
    let Some(entry) = sets.iter().find(|s| s.name == set) else {
        return Err(unknown_set(&names, &format!("unknown schema set `{set}`")));
    };
    Ok(Cli {
        expected: entry.expected,
        migrations: entry.migrations,
        migrations_dir: entry.migrations_dir.map(PathBuf::from),
        demo_data: entry.demo_data,
        tenants: entry.tenants,
        command: args.command,
        database_url: args.database_url.filter(|u| !u.is_empty()),
        admin_url: args.admin_url.filter(|u| !u.is_empty()),
        target: args.schema,
        json: args.json,
        production: args.production,
        allow_review: args.allow_review,
        allow_destructive: args.allow_destructive,
        lock_wait: args.lock_wait.map(std::time::Duration::from_secs),
    })
}

/// `--schema`: a name a [`Target`] can take, checked before anything connects.
fn target(name: &str) -> Result<Target, String> {
    Target::new(name).map_err(|e| e.problem)
}

fn unknown_set(names: &[&str], what: &str) -> clap::Error {
    clap::Error::raw(
        clap::error::ErrorKind::InvalidValue,
        format!("{what}; choose one of: {}\n", names.join(", ")),
    )
}
