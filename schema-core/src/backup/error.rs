//! [`BackupError`]: why a backup or a restore stopped.

use std::path::PathBuf;

use crate::pg_error::PgError;

/// Why a backup or a restore stopped. A restore that fails writes nothing: it runs in
/// one transaction.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    #[error("the schema set has no table `{0}`")]
    UnknownTable(String),
    #[error("`{0}` already holds a backup (manifest.json); choose an empty folder")]
    AlreadyExists(PathBuf),
    #[error("`{}` holds no backup: {source} (expected {}/manifest.json)", .dir.display(), .dir.display())]
    NoManifest {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a backup manifest this version reads: {message}", .path.display())]
    BadManifest { path: PathBuf, message: String },
    #[error(
        "`{}` does not match the manifest ({what}); the backup was changed or damaged, \
         nothing was restored", .path.display()
    )]
    Damaged { path: PathBuf, what: String },
    #[error(
        "restoring `{table}` would overwrite rows the table already has ({detail}); a \
         restore only adds rows: move the table aside (ALTER TABLE … RENAME) or delete \
         those rows, then restore again. Nothing was restored"
    )]
    RowsExist { table: String, detail: String },
    #[error(
        "`{table}` has no column `{column}` any more, which the backup holds; restore \
         into a table created from the backup's DDL (move this one aside first)"
    )]
    ColumnGone { table: String, column: String },
    #[error("writing or reading `{}` failed: {source}", .path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what}: {source}")]
    Database { what: String, source: PgError },
    #[error(transparent)]
    Introspect(#[from] crate::introspect::IntrospectError),
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    #[error(transparent)]
    Migrate(#[from] crate::migrate::MigrateError),
}

impl BackupError {
    pub(crate) fn database(what: impl Into<String>) -> impl FnOnce(postgres::Error) -> Self {
        let what = what.into();
        move |e| BackupError::Database {
            what,
            source: PgError(e),
        }
    }

    pub(crate) fn file(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| BackupError::File {
            path: path.to_path_buf(),
            source,
        }
    }
}
