#![doc = include_str!("../../README.md")]

extern crate self as schema_core;

#[cfg(all(feature = "chrono", feature = "json"))]
mod audit_log;
pub mod backup;
#[doc(hidden)]
pub mod canonical;
pub mod catalog;
pub mod citus;
pub mod cli;
pub mod connect;
pub mod data;
pub mod database;
pub(crate) mod ddl;
pub mod diff;
#[doc(hidden)]
pub mod ephemeral;
mod expected;
pub(crate) mod fingerprint;
pub mod health;
pub mod introspect;
mod logic;
pub mod migrate;
mod model;
mod pg_error;
pub mod plan;
pub mod progress;
#[cfg(feature = "snapshot")]
pub mod snapshot;
mod sql_lexer;
mod step;
pub mod sync;
mod table;
mod target;
pub mod tenant;
pub mod tenant_session;
pub mod testing;
#[cfg(feature = "tokio")]
pub mod tokio;
mod type_fit;

#[cfg(all(feature = "chrono", feature = "json"))]
pub use audit_log::AuditLog;
pub use catalog::Catalog;
pub use expected::ExpectedSchema;
pub use health::{HealthReport, health};
pub use migrate::migrate_and_sync;
pub use model::*;
pub use pg_error::PgError;
pub use schema_macros::{SqlEnum, Table, View, schema_set, test};
pub use sync::{
    Mode, Outcome, SyncError, SyncOptions, SyncReport, is_up_to_date, sync, sync_with, verify,
};
pub use table::{SchemaSet, SqlTyped, Table, View};
pub use target::{InvalidTarget, Target};
pub use tenant::{TenantSet, TenantSource};

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
