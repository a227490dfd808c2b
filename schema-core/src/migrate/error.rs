//! [`MigrateError`]: why a migration command stopped, what to do next, and what it had
//! already done. Checks run before anything changes: unless the variant carries a
//! report with entries, the database was not touched.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::migrate::report::MigrateReport;
use crate::pg_error::PgError;
use crate::sync::{LockError, SyncError};
use schema_migration_files::Direction;

/// A migration named in an error: its version and name, and its file when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationId {
    pub version: i64,
    pub name: String,
    /// The up file; `None` when the database knows the migration and no file does.
    pub file: Option<String>,
}

impl fmt::Display for MigrationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "`{file}`"),
            None => write!(f, "migration {} ({})", self.version, self.name),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    #[error(
        "migrations folder `{}` not found; create it (`migrate create --name initial_schema`) \
         or fix the path",
        path.display()
    )]
    NoFolder { path: PathBuf },

    /// The folder breaks the file rules; each problem names its file and the fix.
    #[error("migrations folder `{}` is malformed:\n{}", path.display(), problems.join("\n"))]
    Folder {
        path: PathBuf,
        problems: Vec<String>,
    },

    #[error("could not {action} `{}`: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    /// A migration's file that runs outside a transaction failed (or stopped) halfway:
    /// its up file, or its down file (`direction`).
    #[error("{}", dirty(*version, name, direction, error))]
    Dirty {
        version: i64,
        name: String,
        /// `up` or `down`: what was running.
        direction: Direction,
        error: String,
    },

    #[error(
        "{} changed since {} applied (the checksum differs); if the change is intended \
         (a comment, formatting, an equivalent fix), run `migrate repair` to accept it, \
         otherwise restore the file as it was applied. Nothing was changed",
        list(migrations),
        if migrations.len() == 1 { "it was" } else { "they were" }
    )]
    Modified { migrations: Vec<MigrationId> },

    #[error(
        "{} {} applied in the database but {} no file; restore the file (from version \
         control, or deploy a build that has it); to revert instead, run `migrate down`, \
         which uses the down SQL recorded when it ran. Nothing was changed",
        list(migrations),
        if migrations.len() == 1 { "is" } else { "are" },
        if migrations.len() == 1 { "has" } else { "have" }
    )]
    Missing { migrations: Vec<MigrationId> },

    #[error(
        "{} {} pending but older than the newest applied migration {} ({}); renumber {} \
         above {} (`migrate create` picks the next free number) so that {} after it. \
         Nothing was changed",
        list(pending),
        if pending.len() == 1 { "is" } else { "are" },
        newest_applied.version,
        newest_applied.name,
        if pending.len() == 1 { "it" } else { "them" },
        newest_applied.version,
        if pending.len() == 1 { "it runs" } else { "they run" }
    )]
    OutOfOrder {
        pending: Vec<MigrationId>,
        newest_applied: MigrationId,
    },

    /// A migration's SQL failed. `report` lists what this run applied before it.
    #[error("{}", failed(migration, direction, location, source, (*dirty, *unrecorded), report))]
    Failed {
        migration: MigrationId,
        /// `up` or `down`.
        direction: Direction,
        /// `line 4`, or `statement 2 of 3` for a migration outside a transaction.
        location: Option<String>,
        source: PgError,
        /// The migration ran outside a transaction and left the database dirty.
        dirty: bool,
        /// It ran outside a transaction, every statement ran, and recording that failed:
        /// it is marked dirty all the same.
        unrecorded: bool,
        report: Box<MigrateReport>,
    },

    /// A seed file's SQL failed. The seeds listed in `done` ran before it in this run.
    #[error("{}", seed_failed(file, location, source, *partial, done))]
    SeedFailed {
        /// The seed's name: its file name without `.sql`.
        seed: String,
        file: String,
        /// `line 4`, or `statement 2 of 3` for a seed outside a transaction.
        location: Option<String>,
        source: PgError,
        /// It ran outside a transaction: the statements before the failing one stay.
        partial: bool,
        /// The seeds this run ran before it, in order; they stay applied.
        done: Vec<String>,
    },

    #[error(
        "{migration} has no down SQL (no down file, and none was recorded when it ran); \
         write its down file, or undo the change with a new migration. Nothing was changed"
    )]
    NoDownSql { migration: MigrationId },

    #[error("no migration has version {version}{}", newest.map_or(
        " (there are no migrations)".to_owned(),
        |n| format!(" (the newest is {n})")
    ))]
    UnknownVersion { version: i64, newest: Option<i64> },

    #[error(
        "cannot baseline at version {version}: migration {} ({}) is already applied above \
         it; baseline marks a database that has no migrations applied yet. Nothing was changed",
        newest_applied.version,
        newest_applied.name
    )]
    BaselineBelowApplied {
        version: i64,
        newest_applied: MigrationId,
    },

    #[error(
        "{} {} pending in this database; apply {} first (`migrate up`): a generated \
         migration holds only what the existing ones do not",
        list(migrations),
        if migrations.len() == 1 { "is" } else { "are" },
        if migrations.len() == 1 { "it" } else { "them" }
    )]
    Pending { migrations: Vec<MigrationId> },

    #[error("`{name}` cannot name a migration: it {reason}")]
    InvalidName { name: String, reason: String },

    #[error(transparent)]
    Lock(#[from] LockError),

    #[error("database error while {doing}: {source}")]
    Database {
        doing: &'static str,
        source: PgError,
    },

    /// The declarative part failed: introspection during `generate`, or the sync that
    /// [`crate::migrate::migrate_and_sync`] runs after the migrations (`report`).
    #[error("{source}{}", after_migrations(report.as_deref()))]
    Sync {
        source: SyncError,
        report: Option<Box<MigrateReport>>,
    },
}

impl MigrateError {
    /// What the run did before it failed, when it did anything.
    pub fn report(&self) -> Option<&MigrateReport> {
        match self {
            MigrateError::Failed { report, .. } => Some(report),
            MigrateError::Sync { report, .. } => report.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn db(doing: &'static str) -> impl FnOnce(PgError) -> MigrateError {
        move |source| MigrateError::Database { doing, source }
    }

    pub(crate) fn pg(doing: &'static str) -> impl FnOnce(postgres::Error) -> MigrateError {
        move |source| MigrateError::Database {
            doing,
            source: PgError(source),
        }
    }
}

impl From<SyncError> for MigrateError {
    fn from(source: SyncError) -> Self {
        MigrateError::Sync {
            source,
            report: None,
        }
    }
}

fn list(migrations: &[MigrationId]) -> String {
    migrations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The refusal while a migration is dirty: what to do depends on which file stopped.
/// Either way `repair` then records the migration as not applied, so the database must
/// first be brought to where it was before the migration.
fn dirty(version: i64, name: &str, direction: &Direction, error: &str) -> String {
    if *direction == Direction::Down {
        format!(
            "reverting migration {version} ({name}) did not finish and left the database \
             dirty: {error}\n\
             the statements of its down SQL before the failing one stay applied: finish the \
             revert by hand (run the rest of its down SQL), then run `migrate repair`, which \
             records the migration as reverted. Nothing was changed by this run"
        )
    } else {
        format!(
            "migration {version} ({name}) did not finish and left the database dirty: \
             {error}\n\
             the statements before the failing one stay applied: undo them by hand, then run \
             `migrate repair`, and the next `migrate up` runs the migration again (if you \
             finished it by hand instead, run `migrate repair`, then `migrate baseline \
             {version}`). Nothing was changed by this run"
        )
    }
}

fn failed(
    migration: &MigrationId,
    direction: &Direction,
    location: &Option<String>,
    source: &PgError,
    (dirty, unrecorded): (bool, bool),
    report: &MigrateReport,
) -> String {
    let at = location
        .as_deref()
        .map_or(String::new(), |l| format!(" at {l}"));
    let version = migration.version;
    let mut text = format!(
        "{direction} migration {version} ({}) failed{at}: {source}; ",
        migration.name
    );
    let down = *direction == Direction::Down;
    let advice = match (down, dirty, unrecorded) {
        (true, _, true) => "every statement of its down SQL ran, but recording the revert \
                              failed, so the migration stays marked dirty: check the \
                              database, then run `migrate repair`, which records it as \
                              reverted"
            .to_owned(),
        (_, _, true) => format!(
            "every statement ran, but recording the migration failed, so it stays marked \
             dirty: check the database, then run `migrate repair` and `migrate baseline \
             {version}`, which records it as applied"
        ),
        (true, true, _) => "it ran outside a transaction, so the statements before the \
                              failing one stay applied and the database is marked dirty: \
                              finish the revert by hand (run the rest of its down SQL), then \
                              run `migrate repair`, which records the migration as reverted"
            .to_owned(),
        (_, true, _) => "it ran outside a transaction, so the statements before the failing \
                         one stay applied and the database is marked dirty: undo them by \
                         hand, then run `migrate repair`, and the next `migrate up` runs the \
                         migration again"
            .to_owned(),
        (_, false, _) => "it was rolled back; fix it and run the command again".to_owned(),
    };
    text.push_str(&advice);
    if !report.migrations.is_empty() {
        let done: Vec<String> = report
            .migrations
            .iter()
            .map(|m| m.version.to_string())
            .collect();
        text.push_str(&format!(
            " (this run already {} {})",
            if down { "reverted" } else { "applied" },
            done.join(", ")
        ));
    }
    text
}

fn seed_failed(
    file: &str,
    location: &Option<String>,
    source: &PgError,
    partial: bool,
    done: &[String],
) -> String {
    let at = location
        .as_deref()
        .map_or(String::new(), |l| format!(" at {l}"));
    let mut text = format!("seed file `{file}` failed{at}: {source}; ");
    text.push_str(if partial {
        "it ran outside a transaction, so the statements before the failing one stay \
         applied; fix it and run the seeds again"
    } else {
        "it was rolled back; fix it and run the seeds again"
    });
    if !done.is_empty() {
        text.push_str(&format!(
            " (this run already ran {}, which stay applied)",
            done.join(", ")
        ));
    }
    text
}

fn after_migrations(report: Option<&MigrateReport>) -> String {
    match report {
        Some(report) if !report.migrations.is_empty() => format!(
            " (after applying migration(s) {}, which stay applied)",
            report
                .migrations
                .iter()
                .map(|m| m.version.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => String::new(),
    }
}
