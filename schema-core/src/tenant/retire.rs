//! Retiring a tenant: its platform row is soft-deleted and its schema kept. Dropping the
//! schema happens only when a person asks for it, and only after every table's rows are
//! written out.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use postgres::Client;

use crate::ddl::{ident, qualified};
use crate::introspect::existing_tables;
use crate::sync::SyncOptions;
use crate::tenant::name::tenant_target;
use crate::tenant::source::TenantSource;
use crate::tenant::{TenantError, TenantSet};

/// What [`retire`] did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Retired {
    pub tenant: String,
    /// The platform row was soft-deleted (the set lists tenants from a soft-deleted table).
    pub row_soft_deleted: bool,
    /// One file per table, in PostgreSQL's `COPY` text format (`COPY ... FROM` reads it
    /// back), written before the drop.
    pub exported: Vec<PathBuf>,
    pub schema_dropped: bool,
}

/// Retires tenant `name`: soft-deletes its platform row, so fan-outs no longer list it,
/// and keeps its schema. With `drop_into`, a person's explicit request, every table of
/// the schema is locked, written to `<drop_into>/<tenant>/<table>.copy` with
/// `COPY ... TO STDOUT`, flushed to disk, and only then is the schema dropped, all in
/// one transaction: rows written after the export cannot exist, and a failed export
/// drops nothing.
pub fn retire(
    client: &mut Client,
    set: &TenantSet,
    name: &str,
    drop_into: Option<&Path>,
    options: &SyncOptions,
) -> Result<Retired, TenantError> {
    let target = tenant_target(name)?;
    let mut tx = client
        .transaction()
        .map_err(TenantError::db("starting the transaction"))?;
    tx.execute(
        "SELECT pg_catalog.set_config('lock_timeout', $1, true)",
        &[&format!("{}ms", options.lock_timeout.as_millis())],
    )
    .map_err(TenantError::db("setting the lock timeout"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&target.lock_key()])
        .map_err(TenantError::db("taking the tenant's lock"))?;

    let mut row_soft_deleted = false;
    if let TenantSource::Table { table, column } = &set.source
        && let Some(deleted) = table.options.soft_delete_column.as_deref()
    {
        let sql = format!(
            "UPDATE {} SET {d} = now() WHERE {}::text = $1 AND {d} IS NULL",
            qualified(table.schema_or(crate::model::DEFAULT_SCHEMA), &table.name),
            ident(column),
            d = ident(deleted),
        );
        row_soft_deleted = tx
            .execute(&sql, &[&name])
            .map_err(TenantError::db("soft-deleting the tenant's platform row"))?
            > 0;
    }

    let mut exported = Vec::new();
    let mut schema_dropped = false;
    if let Some(dir) = drop_into {
        let tables = existing_tables(&mut tx, &[name]).map_err(crate::sync::SyncError::from)?;
        if !tables.is_empty() {
            let names: Vec<String> = tables.iter().map(|(s, t)| qualified(s, t)).collect();
            tx.batch_execute(&format!(
                "LOCK TABLE {} IN ACCESS EXCLUSIVE MODE",
                names.join(", ")
            ))
            .map_err(TenantError::db("locking the tenant's tables"))?;
        }
        let folder = dir.join(name);
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| TenantError::Export { path, source }
        };
        std::fs::create_dir_all(&folder).map_err(io(&folder))?;
        for ((_, table), qualified) in tables
            .iter()
            .zip(tables.iter().map(|(s, t)| qualified(s, t)))
        {
            let path = folder.join(format!("{table}.copy"));
            let mut file = File::create(&path).map_err(io(&path))?;
            let mut reader = tx
                .copy_out(&format!("COPY {qualified} TO STDOUT"))
                .map_err(TenantError::db("writing a table out"))?;
            std::io::copy(&mut reader, &mut file).map_err(io(&path))?;
            drop(reader);
            file.flush().map_err(io(&path))?;
            file.sync_all().map_err(io(&path))?;
            exported.push(path);
        }
        tx.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", ident(name)))
            .map_err(TenantError::db("dropping the tenant's schema"))?;
        schema_dropped = true;
    }
    tx.commit()
        .map_err(TenantError::db("committing the retirement"))?;
    Ok(Retired {
        tenant: name.to_owned(),
        row_soft_deleted,
        exported,
        schema_dropped,
    })
}
