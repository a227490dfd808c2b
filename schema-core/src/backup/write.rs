//! [`write`]: tables' DDL and rows out to a folder, with a manifest.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use postgres::Client;
use sha2::{Digest, Sha256};

use crate::backup::error::BackupError;
use crate::backup::manifest::{FORMAT, MANIFEST, Manifest, TableBackup};
use crate::backup::order::parents_first;
use crate::data::DatabaseIdentity;
use crate::ddl::{ident, qualified, render_step};
use crate::step::Step;

/// Writes the tables `(schema, name)` that exist to `dir` (created if missing, refused
/// if it already holds a manifest), all read in one read-only repeatable-read snapshot.
/// Tables that do not exist are left out. `reason` goes into the manifest.
pub fn write(
    client: &mut Client,
    tables: &[(String, String)],
    dir: &Path,
    reason: &str,
) -> Result<Manifest, BackupError> {
    let manifest_path = dir.join(MANIFEST);
    if manifest_path.exists() {
        return Err(BackupError::AlreadyExists(dir.to_path_buf()));
    }
    std::fs::create_dir_all(dir).map_err(BackupError::file(dir))?;
    let mut tx =
        crate::data::read_only(client).map_err(BackupError::database("start the backup"))?;
    let identity = DatabaseIdentity::of(&mut tx).map_err(BackupError::database("identify"))?;
    let row = tx
        .query_one(
            "SELECT current_setting('server_version'), \
             to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
            &[],
        )
        .map_err(BackupError::database("read the server version"))?;
    let mut schemas: Vec<&str> = tables.iter().map(|(s, _)| s.as_str()).collect();
    schemas.sort_unstable();
    schemas.dedup();
    let catalog = crate::introspect::introspect(&mut tx, &schemas)?;
    let live: Vec<_> = catalog
        .tables
        .into_iter()
        .filter(|t| {
            let schema = t.schema.as_deref().unwrap_or_default();
            tables.iter().any(|(s, n)| s == schema && *n == t.name)
        })
        .collect();
    let mut manifest = Manifest {
        format: FORMAT,
        reason: reason.to_owned(),
        created_at: row.get(1),
        server_version: row.get(0),
        system_identifier: identity.system_identifier,
        database: identity.database,
        tables: Vec::new(),
    };
    for (i, def) in parents_first(live, "public").into_iter().enumerate() {
        let schema = def.schema.as_deref().unwrap_or_default().to_owned();
        let name = def.name.to_string();
        let stem = format!("{:03}-{}.{}", i + 1, file_safe(&schema), file_safe(&name));
        let (ddl_file, data_file) = (format!("{stem}.sql"), format!("{stem}.copy"));
        let table = qualified(&schema, &name);

        let statements = render_step(&Step::CreateTable {
            schema: schema.clone(),
            table: def,
        });
        let ddl: String = statements.iter().map(|s| format!("{s};\n")).collect();
        let ddl_path = dir.join(&ddl_file);
        std::fs::write(&ddl_path, ddl).map_err(BackupError::file(&ddl_path))?;

        let columns = copy_columns(&mut tx, &table)?;
        let list: Vec<String> = columns.iter().map(|c| ident(c)).collect();
        let data_path = dir.join(&data_file);
        let file = File::create(&data_path).map_err(BackupError::file(&data_path))?;
        let mut out = BufWriter::new(file);
        let mut reader = tx
            // A query, not the table: a partitioned table cannot be copied directly.
            .copy_out(&format!(
                "COPY (SELECT {} FROM {table}) TO STDOUT",
                list.join(", ")
            ))
            .map_err(BackupError::database(format!("read the rows of {table}")))?;
        let mut hash = Sha256::new();
        let mut rows = 0u64;
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            let n = reader
                .read(&mut buffer)
                .map_err(BackupError::file(&data_path))?;
            if n == 0 {
                break;
            }
            let chunk = &buffer[..n];
            // Text COPY escapes newlines inside values: one line per row.
            rows += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
            hash.update(chunk);
            out.write_all(chunk)
                .map_err(BackupError::file(&data_path))?;
        }
        drop(reader);
        out.into_inner()
            .map_err(|e| BackupError::File {
                path: data_path.clone(),
                source: e.into_error(),
            })?
            .sync_all()
            .map_err(BackupError::file(&data_path))?;
        manifest.tables.push(TableBackup {
            schema,
            name,
            columns,
            rows,
            ddl: ddl_file,
            data: data_file,
            sha256: hex::encode(hash.finalize()),
        });
    }
    tx.commit()
        .map_err(BackupError::database("end the backup"))?;
    let json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    std::fs::write(&manifest_path, json + "\n").map_err(BackupError::file(&manifest_path))?;
    Ok(manifest)
}

/// The columns a `COPY` can both write and read back: every live column but the
/// generated ones, in column order.
pub(crate) fn copy_columns(
    client: &mut impl postgres::GenericClient,
    table: &str,
) -> Result<Vec<String>, BackupError> {
    let rows = client
        .query(
            "SELECT attname::text FROM pg_catalog.pg_attribute \
             WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped \
               AND attgenerated = '' ORDER BY attnum",
            &[&table],
        )
        .map_err(BackupError::database(format!(
            "read the columns of {table}"
        )))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// A name as part of a file name: letters, digits, `_` and `-`, anything else `_`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
