//! Schema per tenant at scale: the tenants of a set listed once, verified and synced in
//! one call, provisioned and retired.
//!
//! A [`TenantSet`] is declared once, beside the schema sets (`fuel::tenants()`): the
//! platform tables, the per-tenant tables, and where the tenants come from. Then:
//!
//! - [`fan_out`] runs one policy over every tenant: two queries settle every tenant the
//!   history proves current; the rest are compared and fixed by at most `parallel`
//!   workers, one connection each, one transaction and one lock per tenant.
//! - [`provision`] creates a tenant (its platform row and its schema with every table)
//!   in one transaction, and does nothing more when the tenant exists already.
//! - [`retire`] soft-deletes a tenant's platform row and keeps its schema; it drops the
//!   schema only when asked explicitly, after writing every table out with `COPY`.

mod fanout;
mod fastpath;
mod name;
mod provision;
mod report;
mod retire;
mod settled_cache;
mod source;

pub use fanout::{DEFAULT_PARALLEL, FanOut, fan_out};
pub use name::{InvalidTenantName, tenant_target};
pub use provision::{Provisioned, provision};
pub use report::{TenantOutcome, TenantResult, TenantsReport, Totals};
pub use retire::{Retired, retire};
pub use settled_cache::SETTLED_TABLE;
pub use source::{SourceError, TenantRef, TenantSource};

use crate::expected::ExpectedSchema;
use crate::model::TableDef;
use crate::pg_error::PgError;
use crate::sync::SyncError;

/// The tenants of an application: the platform tables (in `public`), the tables every
/// tenant has in its own schema, and where the tenants are listed.
#[derive(Debug, Clone)]
pub struct TenantSet {
    pub platform: ExpectedSchema,
    pub tenant: ExpectedSchema,
    pub source: TenantSource,
    /// SQL that inserts a new tenant's platform row, with `$1` its schema name (a bound
    /// parameter); run by [`provision`] when the source is a table that lacks the row.
    pub insert_row: Option<&'static str>,
    /// Tenants the CLI creates on a throwaway server that has none, after running
    /// `demo_setup` (rows the platform row needs, such as a plan).
    pub demo: &'static [&'static str],
    pub demo_setup: Option<&'static str>,
}

impl TenantSet {
    /// The tenants listed by `source`, with no provisioning SQL and no demo.
    pub fn new(platform: ExpectedSchema, tenant: ExpectedSchema, source: TenantSource) -> Self {
        TenantSet {
            platform,
            tenant,
            source,
            insert_row: None,
            demo: &[],
            demo_setup: None,
        }
    }

    /// The source that reads `column` of `table`'s rows that are not soft-deleted
    /// (`const TENANTS: &TableDef = &Tenant::DEF;` gives the `'static` reference).
    pub fn from_table(table: &'static TableDef, column: &'static str) -> TenantSource {
        TenantSource::Table { table, column }
    }

    /// How [`provision`] inserts a new tenant's platform row (`$1`: its schema name).
    pub fn with_insert_row(mut self, sql: &'static str) -> Self {
        self.insert_row = Some(sql);
        self
    }

    /// Tenants the CLI creates on an empty throwaway server, after `setup`.
    pub fn with_demo(mut self, tenants: &'static [&'static str], setup: &'static str) -> Self {
        self.demo = tenants;
        self.demo_setup = Some(setup);
        self
    }
}

/// Why a tenant operation failed as a whole (a single tenant's failure inside a
/// fan-out is an outcome in the report instead).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TenantError {
    #[error(transparent)]
    Connect(#[from] crate::connect::Error),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{0}; nothing was changed")]
    InvalidName(#[from] InvalidTenantName),
    #[error("database error while {doing}: {source}")]
    Database {
        doing: &'static str,
        source: PgError,
    },
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// Writing a table's rows out before a drop failed; nothing was dropped.
    #[error("could not write {path} (nothing was dropped): {source}")]
    Export {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl TenantError {
    /// The error of a failed statement while `doing`.
    pub fn db_error(doing: &'static str) -> impl Fn(postgres::Error) -> TenantError {
        Self::db(doing)
    }

    pub(crate) fn db(doing: &'static str) -> impl Fn(postgres::Error) -> TenantError {
        move |e| TenantError::Database {
            doing,
            source: PgError(e),
        }
    }
}
