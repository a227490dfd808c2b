//! Backups of tables before a risky schema change, and loading them back.
//!
//! [`write`] saves tables as they are, each as its DDL (`CREATE TABLE …`, read from
//! the live catalog) and its rows in `COPY` text format, with a `manifest.json` that
//! lists the tables in foreign-key order (parents first), their row counts, a SHA-256
//! of each data file, the server and the time. [`restore`] loads such a folder back,
//! additively: a missing table is created from its DDL, rows are inserted, and a row
//! whose key the table already has stops the restore, with nothing written.
//!
//! [`sync_with_backup`] and [`migrate_up_with_backup`] write the backup just before a
//! sync that is allowed to make review or destructive changes, or before migrations:
//! the tables a sync's changes touch, or every table of the schema set for migrations,
//! whose SQL could touch any of them.

mod error;
mod guard;
mod manifest;
mod order;
mod restore;
mod write;

pub use error::BackupError;
pub use guard::{
    affected_tables, backup_before_migrations, backup_before_sync, migrate_up_with_backup,
    sync_with_backup,
};
pub use manifest::{MANIFEST, Manifest, TableBackup};
pub use restore::{RestoreReport, TableRestore, read_manifest, restore};
pub use write::write;
