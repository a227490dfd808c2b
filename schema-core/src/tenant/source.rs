//! Where the tenants of a [`TenantSet`](super::TenantSet) come from, declared once with
//! the set: the rows of a platform table, an explicit list, or a database URL per tenant.

use postgres::GenericClient;

use crate::ddl::{ident, qualified};
use crate::model::TableDef;
use crate::pg_error::PgError;
use crate::tenant::name::{InvalidTenantName, tenant_target};

/// Where the tenant schemas are listed.
#[derive(Debug, Clone)]
pub enum TenantSource {
    /// The platform database lists them: `column` of `table`'s rows, leaving out the
    /// soft-deleted ones when the table is soft-deleted (`deleted_at IS NULL`).
    Table {
        table: &'static TableDef,
        column: &'static str,
    },
    /// These schemas, in the platform database.
    Explicit(Vec<String>),
    /// One database per tenant, possibly on other servers: `(schema, url)`. Tenants with
    /// the same URL share a connection pool.
    Urls(Vec<(String, String)>),
}

/// One tenant: its schema, and the database it lives in when that is not the
/// platform's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct TenantRef {
    pub schema: String,
    /// `None`: the platform database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Why the tenants could not be listed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    #[error("could not list the tenants from {table}: {source}")]
    Query { table: String, source: PgError },
    /// A name from the source is not a valid schema name; nothing was changed.
    #[error("{0} (listed by {1}); nothing was changed: fix or remove that tenant first")]
    InvalidName(InvalidTenantName, String),
}

impl TenantSource {
    /// Every tenant, sorted and without duplicates; fails before anything is changed
    /// when one name is not a valid schema name.
    pub fn list(&self, client: &mut impl GenericClient) -> Result<Vec<TenantRef>, SourceError> {
        let (mut tenants, origin): (Vec<TenantRef>, String) = match self {
            TenantSource::Table { table, column } => {
                let from = qualified(table.schema_or(crate::model::DEFAULT_SCHEMA), &table.name);
                let alive = table
                    .options
                    .soft_delete_column
                    .as_deref()
                    .map(|c| format!(" WHERE {} IS NULL", ident(c)))
                    .unwrap_or_default();
                let sql = format!("SELECT {}::text FROM {from}{alive}", ident(column));
                let rows = client.query(&sql, &[]).map_err(|e| SourceError::Query {
                    table: from.clone(),
                    source: PgError(e),
                })?;
                let tenants = rows
                    .iter()
                    .map(|r| TenantRef {
                        schema: r.get(0),
                        url: None,
                    })
                    .collect();
                (tenants, format!("{from}.{}", ident(column)))
            }
            TenantSource::Explicit(names) => (
                names
                    .iter()
                    .map(|n| TenantRef {
                        schema: n.clone(),
                        url: None,
                    })
                    .collect(),
                "the tenant list".to_owned(),
            ),
            TenantSource::Urls(pairs) => (
                pairs
                    .iter()
                    .map(|(schema, url)| TenantRef {
                        schema: schema.clone(),
                        url: Some(url.clone()),
                    })
                    .collect(),
                "the tenant URLs".to_owned(),
            ),
        };
        for t in &tenants {
            tenant_target(&t.schema).map_err(|e| SourceError::InvalidName(e, origin.clone()))?;
        }
        tenants.sort();
        tenants.dedup();
        Ok(tenants)
    }
}
