//! [`restore`]: a backup folder loaded back, additively, in one transaction.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use postgres::{Client, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::backup::error::BackupError;
use crate::backup::manifest::{FORMAT, MANIFEST, Manifest};
use crate::backup::write::copy_columns;
use crate::ddl::{ident, qualified};

/// What a restore did, per table, in the order it loaded them.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub tables: Vec<TableRestore>,
}

/// One restored table.
#[derive(Debug, Clone, Serialize)]
pub struct TableRestore {
    pub schema: String,
    pub name: String,
    /// Whether the table was missing and created from the backup's DDL.
    pub created: bool,
    pub rows: u64,
}

impl std::fmt::Display for RestoreReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for t in &self.tables {
            let created = if t.created { " (table created)" } else { "" };
            writeln!(f, "{}.{}: {} row(s){created}", t.schema, t.name, t.rows)?;
        }
        let rows: u64 = self.tables.iter().map(|t| t.rows).sum();
        writeln!(
            f,
            "restored {rows} row(s) in {} table(s)",
            self.tables.len()
        )
    }
}

/// Reads a backup's manifest.
pub fn read_manifest(dir: &Path) -> Result<Manifest, BackupError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|source| BackupError::NoManifest {
        dir: dir.to_path_buf(),
        source,
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| BackupError::BadManifest {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if manifest.format != FORMAT {
        return Err(BackupError::BadManifest {
            path,
            message: format!("format {} (this version reads {FORMAT})", manifest.format),
        });
    }
    Ok(manifest)
}

/// Loads the backup in `dir` into the database of `client`, in one transaction, tables
/// in the manifest's order (parents first). A missing table is created from the
/// backup's DDL (the types it uses must exist); rows are added with `COPY`, never
/// updated: a row whose primary or unique key the table already has stops the restore
/// ([`BackupError::RowsExist`]) and nothing is written. Each data file must match its
/// SHA-256 and row count. Identity and serial sequences are moved past the restored
/// values, never backwards.
pub fn restore(client: &mut Client, dir: &Path) -> Result<RestoreReport, BackupError> {
    let manifest = read_manifest(dir)?;
    let mut tx =
        crate::data::writing(client).map_err(BackupError::database("start the restore"))?;
    let mut report = RestoreReport { tables: Vec::new() };
    for table in &manifest.tables {
        let name = qualified(&table.schema, &table.name);
        let exists: bool = tx
            .query_one("SELECT to_regclass($1::text) IS NOT NULL", &[&name])
            .map_err(BackupError::database(format!("look up {name}")))?
            .get(0);
        if !exists {
            let path = dir.join(&table.ddl);
            let ddl = std::fs::read_to_string(&path).map_err(BackupError::file(&path))?;
            tx.batch_execute(&ddl)
                .map_err(BackupError::database(format!(
                    "create {name} from {}",
                    table.ddl
                )))?;
        }
        let live = copy_columns(&mut tx, &name)?;
        if let Some(missing) = table.columns.iter().find(|c| !live.contains(c)) {
            return Err(BackupError::ColumnGone {
                table: name,
                column: missing.clone(),
            });
        }
        let path = dir.join(&table.data);
        let rows =
            load(&mut tx, &name, &table.columns, &path, &table.sha256).map_err(|e| match e {
                BackupError::Database { source, .. } if source.code() == Some("23505") => {
                    BackupError::RowsExist {
                        table: name.clone(),
                        detail: source
                            .0
                            .as_db_error()
                            .and_then(|d| d.detail())
                            .unwrap_or("a duplicate key")
                            .to_owned(),
                    }
                }
                other => other,
            })?;
        if rows != table.rows {
            return Err(BackupError::Damaged {
                path,
                what: format!("{rows} row(s), the manifest says {}", table.rows),
            });
        }
        advance_sequences(&mut tx, &name)?;
        report.tables.push(TableRestore {
            schema: table.schema.clone(),
            name: table.name.clone(),
            created: !exists,
            rows,
        });
    }
    tx.commit()
        .map_err(BackupError::database("commit the restore"))?;
    Ok(report)
}

/// Streams one data file into `COPY … FROM STDIN`, checking its SHA-256 before the
/// copy ends (a mismatch aborts it). The number of rows copied.
fn load(
    tx: &mut Transaction,
    table: &str,
    columns: &[String],
    path: &PathBuf,
    sha256: &str,
) -> Result<u64, BackupError> {
    let list: Vec<String> = columns.iter().map(|c| ident(c)).collect();
    let file = File::open(path).map_err(BackupError::file(path))?;
    let mut input = BufReader::with_capacity(1 << 16, file);
    let mut writer = tx
        .copy_in(&format!("COPY {table} ({}) FROM STDIN", list.join(", ")))
        .map_err(BackupError::database(format!("load {table}")))?;
    let mut hash = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = input.read(&mut buffer).map_err(BackupError::file(path))?;
        if n == 0 {
            break;
        }
        hash.update(&buffer[..n]);
        if writer.write_all(&buffer[..n]).is_err() {
            // The server refused the data; `finish` returns its error.
            break;
        }
    }
    if hex::encode(hash.finalize()) != sha256 {
        // Dropping the writer without `finish` aborts the COPY.
        drop(writer);
        return Err(BackupError::Damaged {
            path: path.clone(),
            what: "its SHA-256 differs".to_owned(),
        });
    }
    writer
        .finish()
        .map_err(BackupError::database(format!("load {table}")))
}

/// Moves each identity or serial sequence of `table` past the column's largest value,
/// never backwards, so the next insert without a key does not collide.
fn advance_sequences(tx: &mut Transaction, table: &str) -> Result<(), BackupError> {
    let columns = tx
        .query(
            "SELECT attname::text FROM pg_catalog.pg_attribute \
             WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped \
               AND pg_catalog.pg_get_serial_sequence($1, attname) IS NOT NULL",
            &[&table],
        )
        .map_err(BackupError::database(format!(
            "read the sequences of {table}"
        )))?;
    for row in columns {
        let column: String = row.get(0);
        tx.execute(
            &format!(
                "SELECT pg_catalog.setval(s.seq, m.top) \
                 FROM (SELECT pg_catalog.pg_get_serial_sequence($1, $2)::regclass AS seq) AS s, \
                      (SELECT max({})::int8 AS top FROM {table}) AS m \
                 WHERE m.top IS NOT NULL AND m.top > COALESCE( \
                     (SELECT ps.last_value FROM pg_catalog.pg_sequences ps \
                      WHERE format('%I.%I', ps.schemaname, ps.sequencename)::regclass = s.seq), 0)",
                ident(&column)
            ),
            &[&table, &column],
        )
        .map_err(BackupError::database(format!(
            "move the sequence of {table}.{column}"
        )))?;
    }
    Ok(())
}
