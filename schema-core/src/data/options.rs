//! What a comparison and a copy are asked to do.

use std::collections::BTreeMap;

use crate::data::key::Key;

/// What [`crate::data::compare`] compares.
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {
    /// Tables to compare, by name; empty compares every table of the set.
    pub tables: Vec<String>,
    /// A `WHERE` condition per table (for example `tenant_id = 7` or
    /// `deleted_at IS NULL`). It is operator-supplied SQL, run as written on both
    /// sides inside read-only transactions; it is never built from row values.
    pub filters: BTreeMap<String, String>,
    /// Columns left out of the row comparison: `updated_at` in every table that has
    /// one, or `customers.updated_at` in one table.
    pub ignore_columns: Vec<String>,
    /// Also name the columns that differ in each changed row (reads those rows in full).
    pub column_details: bool,
    /// Draw a progress bar per table on standard error (only when it is a terminal),
    /// its length the source's row estimate (`pg_class.reltuples`).
    pub progress: bool,
}

/// Which rows of a table a copy selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowSelection {
    /// The rows only in the source (found by comparing the table, with its filter).
    Missing,
    /// These keys of the source.
    Keys(Vec<Key>),
}

/// What a selected row whose parent row is missing in the target does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParentPolicy {
    /// The parent is copied too, and the plan says so.
    #[default]
    Bring,
    /// The copy is refused.
    Refuse,
}

/// What [`crate::data::copy`] copies, and what it may do.
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    /// Per table, the rows to copy; empty copies every table's missing rows.
    pub selection: Vec<(String, RowSelection)>,
    /// Filters for [`RowSelection::Missing`], as in [`CompareOptions::filters`].
    pub filters: BTreeMap<String, String>,
    pub parents: ParentPolicy,
    /// Write to the target; `false` (the default) is a dry run that only plans.
    pub apply: bool,
    /// The target is a production database: applying also needs
    /// [`Self::production_confirmed`].
    pub target_is_production: bool,
    /// The second confirmation a production target needs.
    pub production_confirmed: bool,
    /// Who runs the copy, for the audit row (the target's `current_user` is kept too).
    pub actor: Option<String>,
    /// The application version, for the audit row.
    pub app_version: String,
}
