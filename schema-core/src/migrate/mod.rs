//! Versioned migrations: reviewed SQL files, applied in order, once, with a way back.
//!
//! Sync makes the safe changes it can infer from the declaration. Everything else, such
//! as a column added with a backfill, a rename with data moved, a dropped column or an
//! enum rebuilt, goes in a numbered migration file that a person wrote or reviewed:
//!
//! ```text
//! migrations/
//!   001_initial_schema.up.sql       the change
//!   001_initial_schema.down.sql     optional: reverses it
//!   002_add_assignee_kind.sql       an up file without a down
//!   seeds/demo.sql                  optional: applied on request by `seed`
//! ```
//!
//! A service embeds the folder ([`embed_migrations!`], checked at compile time) and, at
//! start, runs [`migrate_and_sync`]: the pending migrations first, then the declarative
//! sync (development) or verify (production).
//!
//! The policy, in full:
//! - Each migration runs in its own transaction with the options' `lock_timeout` and
//!   `statement_timeout`, together with its row in the tracking table
//!   `schema_migrations` and a row in the history table `schema_versions` (kind
//!   `migration`). A failure rolls back that migration and stops.
//! - A file whose first line is `-- schema-core: no-transaction` runs outside a
//!   transaction, one statement at a time, with `lock_timeout` but no
//!   `statement_timeout` (a concurrent index build on a big table may take hours); if it
//!   fails (or the process dies) it stays *dirty* until a person fixes the database and
//!   runs [`repair`].
//! - Every command that writes takes the sync's advisory lock on the schema, so
//!   migrations and syncs never interleave and concurrent replicas apply each migration
//!   once.
//! - `up` changes nothing and names the files when an applied migration's file changed
//!   (checksum), an applied migration has no file, a pending file is older than the
//!   newest applied migration, or a migration is dirty.
//! - Unqualified names in a migration resolve in the options' default schema
//!   (`search_path` is set to it, then `public`).

mod baseline;
mod create;
mod down;
mod error;
mod execute;
mod generate;
mod inverse;
mod repair;
mod report;
mod seed;
mod source;
mod statements;
mod status;
mod tracking;
mod up;

use std::time::Instant;

use postgres::Client;

pub use baseline::baseline;
pub use create::{Created, create};
pub use down::{down, down_to};
pub use error::{MigrateError, MigrationId};
pub use generate::{Generated, generate, generate_schema};
pub use repair::repair;
pub use report::{Action, MigrateReport, Ran, SeedReport, StartupReport};
pub use schema_macros::embed_migrations;
pub use schema_migration_files::{Direction, NO_TRANSACTION};
pub use seed::seed;
pub use source::{Migration, Migrations, Seed};
pub use status::{MigrationStatus, State, Status, status};
pub use tracking::TRACKING_TABLE;
pub use up::{up, up_to};

use crate::expected::ExpectedSchema;
use crate::sync::{SyncOptions, sync_schema};
use crate::table::SchemaSet;
use crate::target::Target;

/// The one call a service makes at start: apply the pending migrations, then sync `S`
/// with `options` (in development that applies the safe remainder; in production it
/// verifies and fails on drift that needs a person).
///
/// Migrations go first because they carry what sync must not guess (backfills, renames
/// with data, destructive changes): a sync run first could add a column the next
/// migration adds with its backfill, or refuse a change the migration makes. After
/// them, the declaration should match; sync then adds what is safe and verifies the
/// rest. If the sync fails, the error's report lists the migrations that were applied.
///
/// With [`SyncOptions::dry_run`] nothing is touched: the report lists the pending
/// migrations without applying them (or the error says why `up` would refuse), then the
/// sync's plan, computed against the database as it is, before those migrations.
pub fn migrate_and_sync<S: SchemaSet>(
    client: &mut Client,
    migrations: &Migrations,
    options: &SyncOptions,
) -> Result<StartupReport, MigrateError> {
    let target = Target::default();
    migrate_and_sync_schema(client, &S::EXPECTED_SCHEMA, migrations, &target, options)
}

/// [`migrate_and_sync`] for any schema set and target (a tenant's schema, the CLI).
pub fn migrate_and_sync_schema(
    client: &mut Client,
    expected: &ExpectedSchema,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
) -> Result<StartupReport, MigrateError> {
    if options.dry_run {
        return dry_run(client, expected, migrations, target, options);
    }
    let migrated = up(client, migrations, target, options)?;
    match sync_schema(client, expected, target, options) {
        Ok(sync) => Ok(StartupReport {
            migrations: migrated,
            sync,
        }),
        Err(source) => Err(MigrateError::Sync {
            source,
            report: Some(Box::new(migrated)),
        }),
    }
}

/// What [`migrate_and_sync_schema`] would do: the pending migrations, read without the
/// lock (as `status` does), and the sync's dry run. Creates no table, takes no lock.
fn dry_run(
    client: &mut Client,
    expected: &ExpectedSchema,
    migrations: &Migrations,
    target: &Target,
    options: &SyncOptions,
) -> Result<StartupReport, MigrateError> {
    let start = Instant::now();
    let current = status(client, migrations, target)?;
    current.refuse_problems()?;
    let mut report = MigrateReport::new(target.schema(), Action::Up);
    report.dry_run = true;
    report.version = current.version;
    report.migrations = current
        .pending()
        .filter_map(|m| migrations.get(m.version))
        .map(|m| Ran {
            version: m.version,
            name: m.name.to_string(),
            duration_ms: 0,
            transactional: m.transactional(),
            note: None,
        })
        .collect();
    report.duration_ms = start.elapsed().as_millis() as u64;
    let sync = sync_schema(client, expected, target, options)?;
    Ok(StartupReport {
        migrations: report,
        sync,
    })
}
