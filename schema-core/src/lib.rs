#![doc = include_str!("../../README.md")]

extern crate self as schema_core;

pub mod canonical;
pub mod catalog;
pub mod cli;
pub mod database;
pub mod ddl;
pub mod diff;
pub mod ephemeral;
pub mod expected;
pub mod fingerprint;
pub mod introspect;
pub mod migrate;
pub mod model;
mod pg_error;
pub mod plan;
#[cfg(feature = "snapshot")]
pub mod snapshot;
mod sql_lexer;
pub mod step;
pub mod sync;
pub mod table;
pub mod testing;

pub use catalog::Catalog;
pub use expected::ExpectedSchema;
pub use model::*;
pub use pg_error::PgError;
pub use schema_macros::{SqlEnum, Table, schema_set, test};
pub use sync::{
    Mode, Outcome, SyncError, SyncOptions, SyncReport, is_up_to_date, sync, sync_with, verify,
};
pub use table::{SchemaSet, SqlTyped, Table};

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
