//! [`compare`]: both sides read concurrently in key order, merge-joined.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::time::Instant;

use postgres::Transaction;

use crate::data::error::DataError;
use crate::data::fetch::{matching, tuples};
use crate::data::key::{Key, is_integer, key_columns};
use crate::data::options::CompareOptions;
use crate::data::report::{ChangedRow, CompareReport, TableComparison};
use crate::data::session::read_only;
use crate::data::sql::{KEY_INDEX, Placed, key_hash_chunks, key_hashes};
use crate::data::stream::{self, Layout, Stream};
use crate::data::{Side, fk_order};
use crate::expected::ExpectedSchema;
use crate::model::{ColumnDef, TableDef};
use crate::progress::Progress;

/// Compares the rows of every table of `expected` (or those in
/// [`CompareOptions::tables`]) between `source` and `target`, by primary key.
///
/// Each side is read in one read-only, repeatable-read transaction (one snapshot for
/// all tables) on its own thread; only keys and a 64-bit hash of each row cross the
/// wire (packed a chunk of rows at a time for integer keys with a key index), except
/// for changed rows when [`CompareOptions::column_details`] asks which columns differ.
/// The keys only on one side are exactly those a full outer join on the primary key
/// would give; a changed row goes unseen only if its two hashes collide (about 2⁻⁶⁴).
pub fn compare(
    source: Side,
    target: Side,
    expected: &ExpectedSchema,
    options: &CompareOptions,
) -> Result<CompareReport, DataError> {
    let started = Instant::now();
    let jobs = resolve(expected, source.target.schema(), options)?;
    let (source_schema, target_schema) = (source.target.schema(), target.target.schema());
    let mut src = read_only(source.client).map_err(DataError::source)?;
    let mut tgt = read_only(target.client).map_err(DataError::target)?;
    let mut tables = Vec::with_capacity(jobs.len());
    for job in &jobs {
        let progress = if options.progress {
            let placed = Placed {
                def: job.def,
                default_schema: source_schema,
            };
            let estimate = row_estimate(&mut src, &placed.name()).map_err(DataError::source)?;
            Progress::new(estimate, &format!("compare {}", job.def.name))
        } else {
            Progress::hidden()
        };
        let table = compare_table(
            (&mut src, source_schema),
            (&mut tgt, target_schema),
            job,
            options.column_details,
            &progress,
        );
        progress.finish();
        tables.push(table?);
    }
    Ok(CompareReport {
        tables,
        duration_ms: started.elapsed().as_millis() as u64,
    })
}

/// The planner's row count of a table (`pg_class.reltuples`): a progress bar's length,
/// 0 when the table was never analyzed. The name is bound, never spliced.
fn row_estimate(tx: &mut Transaction, qualified: &str) -> Result<u64, postgres::Error> {
    let row = tx.query_one(
        "SELECT greatest(c.reltuples, 0)::bigint FROM pg_catalog.pg_class c
         WHERE c.oid = pg_catalog.to_regclass($1)",
        &[&qualified],
    );
    match row {
        Ok(row) => Ok(row.get::<_, i64>(0) as u64),
        Err(e) if e.as_db_error().is_none() => Err(e),
        Err(_) => Ok(0),
    }
}

/// One table to compare: its declaration, its filter and the columns left out.
pub(crate) struct Job<'a> {
    pub def: &'static TableDef,
    pub filter: Option<&'a str>,
    pub ignored: Vec<String>,
}

/// The tables to compare, in foreign-key order, with their options checked against
/// the declaration.
pub(crate) fn resolve<'a>(
    expected: &ExpectedSchema,
    default_schema: &str,
    options: &'a CompareOptions,
) -> Result<Vec<Job<'a>>, DataError> {
    let known = |name: &str| {
        expected
            .table(name)
            .ok_or_else(|| DataError::UnknownTable(name.to_owned()))
    };
    for name in options.tables.iter().chain(options.filters.keys()) {
        known(name)?;
    }
    let mut jobs = Vec::new();
    for def in fk_order(expected, default_schema) {
        if !options.tables.is_empty() && !options.tables.iter().any(|t| *t == def.name) {
            continue;
        }
        key_columns(def)?;
        jobs.push(Job {
            def,
            filter: options.filters.get(def.name.as_ref()).map(String::as_str),
            ignored: Vec::new(),
        });
    }
    for entry in &options.ignore_columns {
        let has = |def: &TableDef, column: &str| def.columns.iter().any(|c| c.name == column);
        match entry.split_once('.') {
            Some((table, column)) => {
                let def = known(table)?;
                if !has(def, column) {
                    return Err(DataError::UnknownColumn {
                        table: table.to_owned(),
                        column: column.to_owned(),
                    });
                }
                if let Some(job) = jobs.iter_mut().find(|j| j.def.name == table) {
                    job.ignored.push(column.to_owned());
                }
            }
            None => {
                let mut used = false;
                for job in jobs.iter_mut().filter(|j| has(j.def, entry)) {
                    job.ignored.push(entry.clone());
                    used = true;
                }
                if !used {
                    return Err(DataError::UnusedIgnore(entry.clone()));
                }
            }
        }
    }
    Ok(jobs)
}

/// What a table's rows are compared on: every column but the key and the ignored ones.
fn hashed<'d>(def: &'d TableDef, keys: &[&ColumnDef], ignored: &[String]) -> Vec<&'d ColumnDef> {
    def.columns
        .iter()
        .filter(|c| !keys.iter().any(|k| k.name == c.name) && !ignored.iter().any(|i| *i == c.name))
        .collect()
}

/// Merge-joins one table's two key-ordered streams.
pub(crate) fn compare_table(
    (src, source_schema): (&mut Transaction, &str),
    (tgt, target_schema): (&mut Transaction, &str),
    job: &Job,
    column_details: bool,
    progress: &Progress,
) -> Result<TableComparison, DataError> {
    let keys = key_columns(job.def)?;
    let compared = hashed(job.def, &keys, &job.ignored);
    let integer: Vec<bool> = keys.iter().map(|c| is_integer(c)).collect();
    let source_table = Placed {
        def: job.def,
        default_schema: source_schema,
    };
    let target_table = Placed {
        def: job.def,
        default_schema: target_schema,
    };
    let source_layout = layout(src, source_table, &keys, &integer).map_err(DataError::source)?;
    let target_layout = layout(tgt, target_table, &keys, &integer).map_err(DataError::target)?;
    let source_sql = key_read(source_layout, source_table, &keys, &compared, job.filter);
    let target_sql = key_read(target_layout, target_table, &keys, &compared, job.filter);
    let mut result = TableComparison {
        schema: target_table.schema().to_owned(),
        table: job.def.name.to_string(),
        key_columns: keys.iter().map(|c| c.name.to_string()).collect(),
        filter: job.filter.map(str::to_owned),
        ignored_columns: job.ignored.clone(),
        source_rows: 0,
        target_rows: 0,
        only_in_source: Vec::new(),
        only_in_target: Vec::new(),
        changed: Vec::new(),
    };
    let merged = std::thread::scope(|scope| {
        let (source_out, source_in) = stream::channel();
        let (target_out, target_in) = stream::channel();
        let (src_ref, tgt_ref) = (&mut *src, &mut *tgt);
        let (s, t) = (&source_sql, &target_sql);
        scope.spawn(move || stream::read(src_ref, s, source_layout, source_out));
        scope.spawn(move || stream::read(tgt_ref, t, target_layout, target_out));
        // The streams are dropped when the merge returns, which stops the readers.
        merge(source_in, target_in, &mut result, progress)
    });
    merged?;
    if column_details && !result.changed.is_empty() {
        let changed: Vec<Key> = result.changed.iter().map(|c| c.key.clone()).collect();
        let bound = tuples(&changed);
        let read = |tx: &mut Transaction, table| {
            matching(tx, table, &keys, &compared, &keys, &bound).map(|rows| {
                rows.into_iter()
                    .collect::<HashMap<Key, Vec<Option<String>>>>()
            })
        };
        let source_rows = read(src, source_table).map_err(DataError::source)?;
        let target_rows = read(tgt, target_table).map_err(DataError::target)?;
        for row in &mut result.changed {
            let (Some(a), Some(b)) = (source_rows.get(&row.key), target_rows.get(&row.key)) else {
                continue;
            };
            row.columns = Some(
                compared
                    .iter()
                    .zip(a.iter().zip(b))
                    .filter(|(_, (x, y))| x != y)
                    .map(|(c, _)| c.name.to_string())
                    .collect(),
            );
        }
    }
    Ok(result)
}

/// How one side reads a table's keys and hashes: packed in chunks through an index on
/// its integer keys where it has one, a row at a time otherwise.
fn layout<'a>(
    tx: &mut Transaction,
    table: Placed,
    keys: &[&ColumnDef],
    integer: &'a [bool],
) -> Result<Layout<'a>, postgres::Error> {
    if !integer.iter().all(|&i| i) {
        return Ok(Layout::Rows { integer });
    }
    let names: Vec<&str> = keys.iter().map(|c| c.name.as_ref()).collect();
    let indexed: bool = tx.query_one(KEY_INDEX, &[&table.name(), &names])?.get(0);
    Ok(if indexed {
        Layout::Chunks {
            key_columns: keys.len(),
        }
    } else {
        Layout::Rows { integer }
    })
}

/// The `COPY` that reads `table`'s keys and hashes laid out as `layout`.
fn key_read(
    layout: Layout,
    table: Placed,
    keys: &[&ColumnDef],
    hashed: &[&ColumnDef],
    filter: Option<&str>,
) -> String {
    match layout {
        Layout::Chunks { .. } => key_hash_chunks(table, keys, hashed, filter),
        Layout::Rows { .. } => key_hashes(table, keys, hashed, filter),
    }
}

/// The merge join proper: both streams ascend by [`Key`], as the queries sort.
fn merge(
    mut source: Stream,
    mut target: Stream,
    result: &mut TableComparison,
    progress: &Progress,
) -> Result<(), DataError> {
    // The bar advances a batch at a time: a step per row would cost more than the row.
    let mut steps = 0u64;
    let mut step = || {
        steps += 1;
        if steps == 4096 {
            progress.inc(std::mem::take(&mut steps));
        }
    };
    let mut a = source.next().map_err(|e| e.on("source"))?;
    let mut b = target.next().map_err(|e| e.on("target"))?;
    loop {
        match (a.take(), b.take()) {
            (None, None) => break,
            (Some((key, _)), None) => {
                result.only_in_source.push(key.into_key());
                step();
                a = source.next().map_err(|e| e.on("source"))?;
            }
            (None, Some((key, _))) => {
                result.only_in_target.push(key.into_key());
                b = target.next().map_err(|e| e.on("target"))?;
            }
            (Some(x), Some(y)) => match x.0.cmp(&y.0) {
                Ordering::Less => {
                    result.only_in_source.push(x.0.into_key());
                    step();
                    a = source.next().map_err(|e| e.on("source"))?;
                    b = Some(y);
                }
                Ordering::Greater => {
                    result.only_in_target.push(y.0.into_key());
                    b = target.next().map_err(|e| e.on("target"))?;
                    a = Some(x);
                }
                Ordering::Equal => {
                    if x.1 != y.1 {
                        result.changed.push(ChangedRow {
                            key: x.0.into_key(),
                            columns: None,
                        });
                    }
                    step();
                    a = source.next().map_err(|e| e.on("source"))?;
                    b = target.next().map_err(|e| e.on("target"))?;
                }
            },
        }
    }
    progress.inc(steps);
    result.source_rows = source.rows;
    result.target_rows = target.rows;
    Ok(())
}
