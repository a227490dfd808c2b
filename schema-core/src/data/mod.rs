//! Row-level comparison and additive copy between two databases of one schema set.
//!
//! [`compare`] reads every table (or the tables named) on both sides concurrently, in
//! primary-key order, and merge-joins the two sorted streams of keys and row hashes:
//! the result is exactly the keys a full outer join would give, and memory grows with
//! the differences, not with the tables. [`copy`] inserts selected source rows into
//! the target, parents first, in one transaction, and never updates or deletes a
//! target row.
//!
//! Filters given in [`CompareOptions::filters`] are SQL text from the operator: they
//! run as written on both sides, inside read-only transactions, and are never built
//! from row values. Row values are always bound as parameters.

mod audit;
mod compare;
mod copy;
mod copy_text;
mod cycles;
mod error;
mod fetch;
mod identity;
mod key;
mod options;
mod order;
mod parents;
mod report;
mod row_hash;
mod session;
mod sql;
mod stream;

pub use compare::compare;
pub use copy::{CopyPlan, CopyReport, TableCopy, copy};
pub use error::DataError;
pub use identity::DatabaseIdentity;
pub use key::{Key, KeyValue};
pub use options::{CompareOptions, CopyOptions, ParentPolicy, RowSelection};
pub use report::{ChangedRow, CompareReport, TableComparison};

pub(crate) use session::{read_only, writing};

use postgres::Client;

use crate::target::Target;

/// One side of a comparison or copy: a connection and the schema its tables live in.
pub struct Side<'a> {
    pub client: &'a mut Client,
    pub target: &'a Target,
}

impl<'a> Side<'a> {
    pub fn new(client: &'a mut Client, target: &'a Target) -> Self {
        Side { client, target }
    }
}

/// The tables of `expected` in foreign-key order (parents first), as the creation plan
/// places them.
pub(crate) fn fk_order(
    expected: &crate::ExpectedSchema,
    default_schema: &str,
) -> Vec<&'static crate::TableDef> {
    expected
        .plan_in(default_schema)
        .steps
        .iter()
        .filter_map(|step| match step {
            crate::step::Step::CreateTable { schema, table } => {
                expected.tables.iter().copied().find(|t| {
                    t.name == table.name && t.schema.as_deref().unwrap_or(default_schema) == schema
                })
            }
            _ => None,
        })
        .collect()
}

/// The columns a copy writes, in declaration order: all but the stored generated ones,
/// which the target computes from the others (and refuses a value for).
pub(crate) fn written_columns(def: &crate::TableDef) -> Vec<&crate::model::ColumnDef> {
    def.columns
        .iter()
        .filter(|c| c.generated.is_none())
        .collect()
}
