//! Provisioning: a new tenant's platform row and its schema with every table, in one
//! transaction; calling it again for the same tenant creates nothing twice.

use std::time::Instant;

use postgres::Client;

use crate::ddl::{ident, qualified, render_step};
use crate::fingerprint::fingerprint;
use crate::introspect::existing_tables;
use crate::sync::history::{self, HistoryEntry, RunKind, RunOutcome};
use crate::sync::{SyncOptions, SyncReport, digest, managed_schemas, recorded, sync_schema};
use crate::tenant::name::tenant_target;
use crate::tenant::source::TenantSource;
use crate::tenant::{TenantError, TenantSet};

/// What [`provision`] did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Provisioned {
    pub tenant: String,
    /// The platform row was inserted (it was not there).
    pub row_inserted: bool,
    /// The schema and its tables were created, with this many statements.
    pub created_statements: usize,
    /// The tenant's tables existed already: the sync that brought them up to date.
    pub sync: Option<SyncReport>,
}

/// Creates tenant `name`: its platform row (when the set lists tenants from a table and
/// says how to insert one) and its schema with every table, in one transaction under the
/// tenant's lock, recording the result in the tenant's history so the next fan-out takes
/// the fast path. A tenant whose tables exist already is synced instead (with
/// `options`), so provisioning is idempotent and also completes a half-made tenant.
///
/// The name is checked first ([`tenant_target`]): an invalid one changes nothing.
pub fn provision(
    client: &mut Client,
    set: &TenantSet,
    name: &str,
    options: &SyncOptions,
) -> Result<Provisioned, TenantError> {
    let start = Instant::now();
    let target = tenant_target(name)?;
    let fp = fingerprint(&set.tenant, name);
    let schemas = managed_schemas(&set.tenant, name);
    let mut tx = client
        .transaction()
        .map_err(TenantError::db("starting the transaction"))?;
    tx.execute(
        "SELECT pg_catalog.set_config('lock_timeout', $1, true), \
         pg_catalog.set_config('statement_timeout', $2, true)",
        &[
            &format!("{}ms", options.lock_timeout.as_millis()),
            &format!("{}ms", options.statement_timeout.as_millis()),
        ],
    )
    .map_err(TenantError::db("setting the timeouts"))?;
    // The same key as the tenant's sync: the two never run on one tenant at once. Bounded
    // by lock_timeout, and released with the transaction.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&target.lock_key()])
        .map_err(TenantError::db("taking the tenant's lock"))?;

    let mut row_inserted = false;
    if let (TenantSource::Table { table, column }, Some(insert)) = (&set.source, set.insert_row) {
        let from = qualified(table.schema_or(crate::model::DEFAULT_SCHEMA), &table.name);
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {from} WHERE {}::text = $1)",
            ident(column)
        );
        let exists: bool = tx
            .query_one(&sql, &[&name])
            .map_err(TenantError::db("looking for the tenant's platform row"))?
            .get(0);
        if !exists {
            tx.execute(insert, &[&name])
                .map_err(TenantError::db("inserting the tenant's platform row"))?;
            row_inserted = true;
        }
    }

    let existing = existing_tables(&mut tx, &[name]).map_err(crate::sync::SyncError::from)?;
    let any_declared = set.tenant.tables.iter().any(|t| {
        existing
            .iter()
            .any(|(s, n)| s == t.schema_or(name) && *n == t.name)
    });
    if any_declared {
        tx.commit()
            .map_err(TenantError::db("committing the platform row"))?;
        let report = sync_schema(client, &set.tenant, &target, options)?;
        return Ok(Provisioned {
            tenant: name.to_owned(),
            row_inserted,
            created_statements: 0,
            sync: Some(report),
        });
    }

    let statements: Vec<String> = set
        .tenant
        .plan_in(name)
        .steps
        .iter()
        .flat_map(render_step)
        .collect();
    tx.batch_execute(&statements.join(";\n"))
        .map_err(TenantError::db("creating the tenant's schema and tables"))?;
    let (_, table) =
        history::lookup(&mut tx, name, &[]).map_err(|source| TenantError::Database {
            doing: "looking for the history table",
            source,
        })?;
    if let Some(sql) = history::create_sql(name, true, table) {
        tx.batch_execute(&sql)
            .map_err(TenantError::db("creating the history table"))?;
    }
    let db = |doing| move |source| TenantError::Database { doing, source };
    let live = digest::live_digest(&mut tx, &schemas, name).map_err(db("reading the digest"))?;
    // The schema was made from the declaration itself, so nothing is left to do: the
    // row records an empty remainder, which the fast path trusts at this digest.
    let entry = HistoryEntry {
        kind: RunKind::Sync,
        app_version: &options.app_version,
        fingerprint: &fp,
        environment: &options.environment,
        statements: &statements,
        duration_ms: start.elapsed().as_millis() as i64,
        outcome: RunOutcome::Applied,
        notes: Some("tenant provisioned"),
        live_digest: Some(&live),
        pending: Some(recorded::encode([])),
        canonical: None,
    };
    history::record(&mut tx, name, &entry).map_err(db("recording the history"))?;
    tx.commit()
        .map_err(TenantError::db("committing the new tenant"))?;
    crate::tenant::settled_cache::write(client, &[(name.to_owned(), fp.clone(), live)]);
    Ok(Provisioned {
        tenant: name.to_owned(),
        row_inserted,
        created_statements: statements.len(),
        sync: None,
    })
}
