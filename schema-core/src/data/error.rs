//! [`DataError`]: why a comparison or a copy stopped.

use crate::pg_error::PgError;

/// Why a comparison or a copy stopped; nothing was written to the target when one of
/// these is returned, except a failed copy's audit row ([`DataError::Failed`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    #[error("the schema set has no table `{0}`")]
    UnknownTable(String),
    #[error("table `{table}` has no column `{column}`")]
    UnknownColumn { table: String, column: String },
    #[error("`--ignore-column {0}` names a column no compared table has")]
    UnusedIgnore(String),
    #[error("table `{0}` has no primary key: rows cannot be matched; leave it out with --table")]
    NoPrimaryKey(String),
    #[error("a key of `{table}` has {given} part(s), its primary key ({columns}) has {expected}")]
    KeyArity {
        table: String,
        columns: String,
        given: usize,
        expected: usize,
    },
    #[error("`{value}` is not a valid value for key column `{table}.{column}` (an integer)")]
    KeyValue {
        table: String,
        column: String,
        value: String,
    },
    #[error(
        "source and target are the same database (`{database}` on the server with system \
         identifier {system_identifier}); refusing to copy a database onto itself"
    )]
    SameDatabase {
        database: String,
        system_identifier: String,
    },
    #[error(
        "the target `{database}` is marked as production: applying needs a second \
         confirmation (`--yes-production`, or `CopyOptions::production_confirmed`)"
    )]
    ProductionNotConfirmed { database: String },
    #[error(
        "selected rows of `{table}` reference rows missing in the target ({parents}) and \
         parents were not to be brought along; nothing was copied"
    )]
    MissingParents { table: String, parents: String },
    #[error(
        "`{table}` and `{referenced}` reference each other and `{constraint}` is neither \
         nullable nor deferrable, so no insert order satisfies it; make it DEFERRABLE \
         (`deferrable` on the column) to copy these rows. Nothing was copied"
    )]
    Cycle {
        table: String,
        constraint: String,
        referenced: String,
    },
    #[error("{side}: {source}")]
    Database { side: &'static str, source: PgError },
    #[error("{side}: reading the key-ordered rows failed: {message}")]
    Read { side: &'static str, message: String },
    #[error(
        "the copy failed and was rolled back; the target is unchanged (audit row written: \
         {audited}): {source}"
    )]
    Failed {
        source: Box<DataError>,
        audited: bool,
    },
}

impl DataError {
    /// A database error on the source side.
    pub(crate) fn source(e: impl Into<PgError>) -> Self {
        DataError::Database {
            side: "source",
            source: e.into(),
        }
    }

    /// A database error on the target side.
    pub(crate) fn target(e: impl Into<PgError>) -> Self {
        DataError::Database {
            side: "target",
            source: e.into(),
        }
    }
}
