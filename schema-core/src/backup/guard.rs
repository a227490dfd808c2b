//! Backups taken just before a sync or migrations that can lose data.

use std::path::Path;

use postgres::Client;

use crate::backup::error::BackupError;
use crate::backup::manifest::Manifest;
use crate::backup::write::write;
use crate::diff::{Change, Safety};
use crate::expected::ExpectedSchema;
use crate::migrate::{MigrateReport, Migrations, State};
use crate::sync::{SyncOptions, SyncReport, managed_schemas, sync_schema};
use crate::target::Target;

/// The tables `(schema, name)` of `expected` that the review or destructive changes
/// among `changes` touch and `options` allow; sorted, without repeats.
pub fn affected_tables(
    changes: &[Change],
    expected: &ExpectedSchema,
    default_schema: &str,
    options: &SyncOptions,
) -> Vec<(String, String)> {
    let risky = |c: &&Change| {
        !c.kind.is_unmanaged()
            && !c.steps.is_empty()
            && match c.safety {
                Safety::Safe => false,
                Safety::Review => options.allow_review || options.allow_destructive,
                Safety::Destructive => options.allow_destructive,
            }
    };
    let mut tables: Vec<(String, String)> = Vec::new();
    for change in changes.iter().filter(risky) {
        for def in expected.tables {
            let schema = def.schema.as_deref().unwrap_or(default_schema);
            let object = format!("{schema}.{}", def.name);
            let on_table = change.object == object
                || change
                    .object
                    .strip_prefix(&object)
                    .is_some_and(|rest| rest.starts_with('.'));
            let entry = (schema.to_owned(), def.name.to_string());
            if on_table && !tables.contains(&entry) {
                tables.push(entry);
            }
        }
    }
    tables.sort();
    tables
}

/// Plans the sync (a dry run) and, when it would apply review or destructive changes,
/// backs up the tables they touch to `dir`. `None` when nothing risky is planned (no
/// folder is written). Call it right before [`sync_schema`] with the same options;
/// rows written between the two calls are not in the backup.
pub fn backup_before_sync(
    client: &mut Client,
    expected: &ExpectedSchema,
    target: &Target,
    options: &SyncOptions,
    dir: &Path,
) -> Result<Option<Manifest>, BackupError> {
    if options.dry_run || !(options.allow_review || options.allow_destructive) {
        return Ok(None);
    }
    let plan = sync_schema(client, expected, target, &options.clone().dry_run())?;
    let tables = affected_tables(&plan.pending, expected, target.schema(), options);
    if tables.is_empty() {
        return Ok(None);
    }
    write(client, &tables, dir, "sync").map(Some)
}

/// [`sync_schema`] after [`backup_before_sync`]: the sync runs only once the backup is
/// written.
pub fn sync_with_backup(
    client: &mut Client,
    expected: &ExpectedSchema,
    target: &Target,
    options: &SyncOptions,
    dir: &Path,
) -> Result<(SyncReport, Option<Manifest>), BackupError> {
    let manifest = backup_before_sync(client, expected, target, options, dir)?;
    let report = sync_schema(client, expected, target, options)?;
    Ok((report, manifest))
}

/// When migrations are pending, backs up every table of the schema set's schemas to
/// `dir` (a migration's SQL can touch any of them). `None` when none is pending.
pub fn backup_before_migrations(
    client: &mut Client,
    migrations: &Migrations,
    expected: &ExpectedSchema,
    target: &Target,
    dir: &Path,
) -> Result<Option<Manifest>, BackupError> {
    let status = crate::migrate::status(client, migrations, target)?;
    if !status.migrations.iter().any(|m| m.state == State::Pending) {
        return Ok(None);
    }
    let schemas = managed_schemas(expected, target.schema());
    let schemas: Vec<&str> = schemas.iter().map(|s| s.as_ref()).collect();
    // The history and the tracking table record the change itself: restoring their
    // rows could only collide with the rows they hold then.
    let bookkeeping = [crate::sync::HISTORY_TABLE, crate::migrate::TRACKING_TABLE];
    let tables: Vec<(String, String)> = crate::introspect::existing_tables(client, &schemas)?
        .into_iter()
        .filter(|(_, name)| !bookkeeping.contains(&name.as_str()))
        .collect();
    write(client, &tables, dir, "migrate up").map(Some)
}

/// [`crate::migrate::up`] after [`backup_before_migrations`].
pub fn migrate_up_with_backup(
    client: &mut Client,
    migrations: &Migrations,
    expected: &ExpectedSchema,
    target: &Target,
    options: &SyncOptions,
    dir: &Path,
) -> Result<(MigrateReport, Option<Manifest>), BackupError> {
    let manifest = backup_before_migrations(client, migrations, expected, target, dir)?;
    let report = crate::migrate::up(client, migrations, target, options)?;
    Ok((report, manifest))
}
