//! [`copy`]: selected source rows inserted into the target, parents first, in one
//! transaction; a target row is never updated or deleted.

use std::time::Instant;

use postgres::types::ToSql;
use postgres::{Client, Transaction};

use crate::data::audit;
use crate::data::compare::{Job, compare_table};
use crate::data::cycles::{hold_back, insert_order, second_pass_columns, set_held_back};
use crate::data::error::DataError;
use crate::data::fetch::{Matched, matching, tuples};
use crate::data::identity::DatabaseIdentity;
use crate::data::key::{Key, is_integer, key_columns};
use crate::data::options::{CopyOptions, RowSelection};
use crate::data::order::parents_first;
use crate::data::parents::add_parents;
use crate::data::session::{read_only, writing};
use crate::data::sql::{Placed, advance_sequence, insert};
use crate::data::{Side, fk_order, written_columns};
use crate::expected::ExpectedSchema;
use crate::model::TableDef;
use crate::progress::Progress;

/// Rows per insert statement.
const INSERT_BATCH: usize = 1000;

/// One table's part of a copy.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableCopy {
    pub schema: String,
    pub table: String,
    /// Selected keys the target lacks: they are copied.
    pub selected: Vec<Key>,
    /// Rows copied because a copied row references them and the target lacks them.
    pub parents_added: Vec<Key>,
    /// Selected keys the target already has: left as they are.
    pub skipped_existing: Vec<Key>,
    /// Keys asked for that the source does not have.
    pub not_in_source: Vec<Key>,
}

impl TableCopy {
    /// How many rows the copy inserts into this table.
    pub fn rows(&self) -> usize {
        self.selected.len() + self.parents_added.len()
    }
}

/// What a copy does (or, in a dry run, would do), tables in foreign-key order.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CopyPlan {
    pub source: DatabaseIdentity,
    pub target: DatabaseIdentity,
    pub tables: Vec<TableCopy>,
}

impl CopyPlan {
    /// The table called `name`, if the plan has it.
    pub fn table(&self, name: &str) -> Option<&TableCopy> {
        self.tables.iter().find(|t| t.table == name)
    }

    /// How many rows the copy inserts in all.
    pub fn rows(&self) -> usize {
        self.tables.iter().map(TableCopy::rows).sum()
    }
}

/// The result of [`copy`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct CopyReport {
    pub plan: CopyPlan,
    /// `false` for a dry run: nothing was written.
    pub applied: bool,
    pub duration_ms: u64,
    /// The audit row in the target's `schema_versions`, when applied.
    pub history_id: Option<i64>,
}

/// Copies the rows [`CopyOptions::selection`] names from `source` to `target`.
///
/// Refuses, before reading any row, when both sides are one database and when a
/// production target's application lacks its second confirmation. Reads the source in
/// a read-only, repeatable-read transaction; plans in the target's transaction (keys
/// it already has are skipped and reported; missing parents are added or refused);
/// without [`CopyOptions::apply`] stops there and rolls back. Applying inserts parents
/// first, moves identity and serial sequences past the copied keys, writes the audit
/// row and commits, all in one transaction. On failure the transaction is rolled back
/// and a failed audit row is written instead.
pub fn copy(
    source: Side,
    target: Side,
    expected: &ExpectedSchema,
    options: &CopyOptions,
) -> Result<CopyReport, DataError> {
    let started = Instant::now();
    let source_id = DatabaseIdentity::of(source.client).map_err(DataError::source)?;
    let target_id = DatabaseIdentity::of(target.client).map_err(DataError::target)?;
    if source_id.same_database(&target_id) {
        return Err(DataError::SameDatabase {
            database: target_id.database,
            system_identifier: target_id.system_identifier.unwrap_or_default(),
        });
    }
    if options.apply && options.target_is_production && !options.production_confirmed {
        return Err(DataError::ProductionNotConfirmed {
            database: target_id.describe(),
        });
    }
    let schemas = (source.target.schema(), target.target.schema());
    let defs = insert_order(fk_order(expected, schemas.1), schemas.1);
    for (name, _) in &options.selection {
        if expected.table(name).is_none() {
            return Err(DataError::UnknownTable(name.clone()));
        }
    }
    let mut src = read_only(source.client).map_err(DataError::source)?;
    let history_schema = schemas.1.to_owned();
    let run = Run {
        expected,
        options,
        defs: &defs,
        schemas,
    };
    let mut plan = CopyPlan {
        source: source_id,
        target: target_id,
        tables: Vec::new(),
    };
    let result = run.execute(&mut src, target.client, &mut plan, started);
    let duration_ms = started.elapsed().as_millis() as u64;
    match result {
        Ok(history_id) => Ok(CopyReport {
            applied: history_id.is_some(),
            plan,
            duration_ms,
            history_id,
        }),
        Err(Stage::Planning(e)) => Err(e),
        Err(Stage::Applying(e)) => {
            let audited = audit::record_failure(
                target.client,
                &history_schema,
                expected,
                options,
                &plan,
                duration_ms,
                &e,
            )
            .is_ok();
            Err(DataError::Failed {
                source: Box::new(e),
                audited,
            })
        }
    }
}

/// Where a copy failed: planning writes nothing, applying is rolled back and audited.
enum Stage {
    Planning(DataError),
    Applying(DataError),
}

struct Run<'a> {
    expected: &'a ExpectedSchema,
    options: &'a CopyOptions,
    defs: &'a [&'static TableDef],
    schemas: (&'a str, &'a str),
}

impl Run<'_> {
    /// Plans into `plan`, then applies unless a dry run; the audit row's id when applied.
    fn execute(
        &self,
        src: &mut Transaction,
        target: &mut Client,
        plan: &mut CopyPlan,
        started: Instant,
    ) -> Result<Option<i64>, Stage> {
        let mut tgt = writing(target)
            .map_err(DataError::target)
            .map_err(Stage::Planning)?;
        plan.tables = self.select(src, &mut tgt).map_err(Stage::Planning)?;
        add_parents(
            src,
            &mut tgt,
            self.defs,
            self.schemas,
            &mut plan.tables,
            self.options.parents,
        )
        .map_err(Stage::Planning)?;
        // A reference cycle across tables that no insert order satisfies is refused
        // now, before anything is written.
        let mut second_pass = Vec::with_capacity(self.defs.len());
        for (i, table) in plan.tables.iter().enumerate() {
            second_pass.push(if table.rows() == 0 {
                Vec::new()
            } else {
                second_pass_columns(self.defs, i, self.schemas.1).map_err(Stage::Planning)?
            });
        }
        if !self.options.apply {
            return Ok(None);
        }
        let applied = (|| {
            // Deferrable foreign keys are checked at commit, once every table is in.
            tgt.batch_execute("SET CONSTRAINTS ALL DEFERRED")
                .map_err(DataError::target)?;
            let mut held = Vec::new();
            for ((def, table), hold) in self.defs.iter().zip(&plan.tables).zip(&second_pass) {
                held.push(self.insert_rows(src, &mut tgt, def, table, hold)?);
            }
            for ((def, rows), hold) in self.defs.iter().zip(&held).zip(&second_pass) {
                let table = Placed {
                    def,
                    default_schema: self.schemas.1,
                };
                let written = written_columns(def);
                let columns: Vec<_> = hold.iter().map(|&c| written[c]).collect();
                set_held_back(&mut tgt, table, &key_columns(def)?, &columns, rows)
                    .map_err(DataError::target)?;
            }
            let duration_ms = started.elapsed().as_millis() as u64;
            let id = audit::record_success(
                &mut tgt,
                self.schemas.1,
                self.expected,
                self.options,
                plan,
                duration_ms,
            )
            .map_err(DataError::target)?;
            tgt.commit().map_err(DataError::target)?;
            Ok(id)
        })();
        applied.map(Some).map_err(Stage::Applying)
    }

    /// Each table's selected keys, split into those to copy, those the target has and
    /// those the source lacks; tables in foreign-key order, one entry each.
    fn select(
        &self,
        src: &mut Transaction,
        tgt: &mut Transaction,
    ) -> Result<Vec<TableCopy>, DataError> {
        let (source_schema, target_schema) = self.schemas;
        let mut tables = Vec::with_capacity(self.defs.len());
        for def in self.defs {
            let selection = if self.options.selection.is_empty() {
                Some(&RowSelection::Missing)
            } else {
                self.options
                    .selection
                    .iter()
                    .find(|(name, _)| *name == def.name)
                    .map(|(_, s)| s)
            };
            let source_table = Placed {
                def,
                default_schema: source_schema,
            };
            let target_table = Placed {
                def,
                default_schema: target_schema,
            };
            let mut entry = TableCopy {
                schema: target_table.schema().to_owned(),
                table: def.name.to_string(),
                selected: Vec::new(),
                parents_added: Vec::new(),
                skipped_existing: Vec::new(),
                not_in_source: Vec::new(),
            };
            match selection {
                None => {}
                Some(RowSelection::Missing) => {
                    let job = Job {
                        def,
                        filter: self
                            .options
                            .filters
                            .get(def.name.as_ref())
                            .map(String::as_str),
                        ignored: Vec::new(),
                    };
                    let found = compare_table(
                        (src, source_schema),
                        (tgt, target_schema),
                        &job,
                        false,
                        &Progress::hidden(),
                    )?;
                    entry.selected = found.only_in_source;
                }
                Some(RowSelection::Keys(asked)) => {
                    let keys = key_columns(def)?;
                    let mut asked = asked.clone();
                    asked.sort();
                    asked.dedup();
                    let bound = tuples(&asked);
                    let keys_of = |rows: Vec<(Key, Vec<Option<String>>)>| {
                        rows.into_iter()
                            .map(|(k, _)| k)
                            .collect::<std::collections::BTreeSet<Key>>()
                    };
                    let in_source = keys_of(
                        matching(src, source_table, &keys, &[], &keys, &bound)
                            .map_err(DataError::source)?,
                    );
                    let in_target = keys_of(
                        matching(tgt, target_table, &keys, &[], &keys, &bound)
                            .map_err(DataError::target)?,
                    );
                    for key in asked {
                        if in_target.contains(&key) {
                            entry.skipped_existing.push(key);
                        } else if in_source.contains(&key) {
                            entry.selected.push(key);
                        } else {
                            entry.not_in_source.push(key);
                        }
                    }
                }
            }
            tables.push(entry);
        }
        Ok(tables)
    }

    /// Reads the planned rows of one table from the source and inserts them, then moves
    /// the table's sequences past the copied keys. The columns at `hold` go in as NULL:
    /// their values, by key, are returned for the second pass.
    fn insert_rows(
        &self,
        src: &mut Transaction,
        tgt: &mut Transaction,
        def: &TableDef,
        table: &TableCopy,
        hold: &[usize],
    ) -> Result<Vec<Matched>, DataError> {
        if table.rows() == 0 {
            return Ok(Vec::new());
        }
        let (source_schema, target_schema) = self.schemas;
        let keys = key_columns(def)?;
        let all = written_columns(def);
        let wanted: Vec<Key> = table
            .parents_added
            .iter()
            .chain(&table.selected)
            .cloned()
            .collect();
        let source_table = Placed {
            def,
            default_schema: source_schema,
        };
        let target_table = Placed {
            def,
            default_schema: target_schema,
        };
        let rows = matching(src, source_table, &keys, &all, &keys, &tuples(&wanted))
            .map_err(DataError::source)?;
        let statement = tgt
            .prepare(&insert(target_table, &all))
            .map_err(DataError::target)?;
        // A table that references itself: parents in earlier statements than their
        // children; rows in a reference cycle all in the last statement.
        let (mut ordered, mut cyclic) = parents_first(def, target_schema, rows);
        let mut held = hold_back(&mut ordered, hold);
        held.extend(hold_back(&mut cyclic, hold));
        let mut statements: Vec<&[Matched]> = ordered.chunks(INSERT_BATCH).collect();
        if !cyclic.is_empty() {
            statements.push(&cyclic);
        }
        for chunk in statements {
            let arrays: Vec<Vec<Option<&str>>> = (0..all.len())
                .map(|i| chunk.iter().map(|(_, v)| v[i].as_deref()).collect())
                .collect();
            let params: Vec<&(dyn ToSql + Sync)> =
                arrays.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
            tgt.execute(&statement, &params)
                .map_err(DataError::target)?;
        }
        let name = target_table.name();
        for column in def
            .columns
            .iter()
            .filter(|c| c.identity.is_some() && is_integer(c))
        {
            let column_name: &str = &column.name;
            tgt.query(
                &advance_sequence(target_table, column),
                &[&name, &column_name],
            )
            .map_err(DataError::target)?;
        }
        Ok(held)
    }
}
