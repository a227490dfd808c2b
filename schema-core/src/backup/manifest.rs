//! [`Manifest`]: what a backup folder holds, as `manifest.json`.

use serde::{Deserialize, Serialize};

/// The manifest's file name inside a backup folder.
pub const MANIFEST: &str = "manifest.json";

/// A backup folder's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The layout version, 1; a restore refuses any other.
    pub format: u32,
    /// Why the backup was taken (`sync`, `migrate up`, …).
    pub reason: String,
    /// The server's time when the rows were read, in UTC (RFC 3339).
    pub created_at: String,
    /// `server_version` of the server read.
    pub server_version: String,
    /// The cluster's `system_identifier`, when the role could read it.
    pub system_identifier: Option<String>,
    pub database: String,
    /// Tables in foreign-key order, parents first: the order a restore loads them in.
    pub tables: Vec<TableBackup>,
}

/// One table of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableBackup {
    pub schema: String,
    pub name: String,
    /// The columns in the data file, in order (generated columns are left out).
    pub columns: Vec<String>,
    pub rows: u64,
    /// The file (in the folder) with the table's `CREATE TABLE` and its indexes.
    pub ddl: String,
    /// The file (in the folder) with the rows in `COPY` text format.
    pub data: String,
    /// SHA-256 of the data file, in hex.
    pub sha256: String,
}

/// The current layout version.
pub(crate) const FORMAT: u32 = 1;
