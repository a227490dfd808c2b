//! [`Catalog`]: a whole schema (tables and enum types) as one value.

use crate::model::{EnumDef, SchemaFunction, TableDef, TriggerDef, ViewDef};

/// Tables and enum types, either declared ([`crate::ExpectedSchema::catalog`]) or read
/// from a live database.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Catalog {
    pub tables: Vec<TableDef>,
    pub enums: Vec<EnumDef>,
    /// Live objects that exist but are not in force yet (always empty when declared).
    pub unfinished: Vec<Unfinished>,
    /// What live objects have that the model cannot express (always empty when declared).
    pub unmodeled: Vec<Unmodeled>,
    /// Trigger functions, sorted by (schema, name).
    pub functions: Vec<SchemaFunction>,
    /// Row-level triggers, sorted by (schema, table, name).
    pub triggers: Vec<TriggerDef>,
    /// Views: declared ones in creation order (every view after the views it reads),
    /// live ones sorted by (schema, name).
    #[serde(default)]
    pub views: Vec<ViewDef>,
}

/// A live index option or constraint the model has no words for, read so that a diff
/// reports it instead of comparing it away.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Unmodeled {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub kind: UnmodeledKind,
    /// What it is: `a key sorts DESC or NULLS FIRST`, `EXCLUDE USING gist (…)`.
    pub detail: String,
}

/// The kind of object an [`Unmodeled`] remark is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum UnmodeledKind {
    /// An index with options (`DESC`, operator class, collation, `INCLUDE`, …).
    IndexOptions,
    /// An exclusion constraint.
    ExclusionConstraint,
    /// A trigger with arguments, a column list, `WHEN`, `INSTEAD OF`, `TRUNCATE`, or
    /// fired per statement; the detail is its definition.
    TriggerOptions,
}

/// An index or constraint that exists but does not do its whole job yet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Unfinished {
    pub schema: String,
    pub table: String,
    pub name: String,
    pub kind: UnfinishedKind,
}

/// Why an object is unfinished.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum UnfinishedKind {
    /// A concurrent build failed or was interrupted: the index is maintained on writes
    /// but never used for reads, and blocks a new build of the same name.
    InvalidIndex,
    /// Added `NOT VALID` and not validated: enforced for new rows only.
    UnvalidatedConstraint,
}

impl Catalog {
    /// The part of a catalog read from several schemas that lives in `schema`.
    pub(crate) fn of_schema(&self, schema: &str) -> Catalog {
        let is = |s: &Option<crate::model::Text>| s.as_deref() == Some(schema);
        Catalog {
            tables: self
                .tables
                .iter()
                .filter(|t| is(&t.schema))
                .cloned()
                .collect(),
            enums: self
                .enums
                .iter()
                .filter(|e| is(&e.schema))
                .cloned()
                .collect(),
            unfinished: self
                .unfinished
                .iter()
                .filter(|u| u.schema == schema)
                .cloned()
                .collect(),
            unmodeled: self
                .unmodeled
                .iter()
                .filter(|u| u.schema == schema)
                .cloned()
                .collect(),
            functions: self
                .functions
                .iter()
                .filter(|f| is(&f.schema))
                .cloned()
                .collect(),
            triggers: self
                .triggers
                .iter()
                .filter(|t| is(&t.schema))
                .cloned()
                .collect(),
            views: self
                .views
                .iter()
                .filter(|v| is(&v.schema))
                .cloned()
                .collect(),
        }
    }

    /// The table called `name` in `schema`.
    pub fn table(&self, schema: &str, name: &str, default_schema: &str) -> Option<&TableDef> {
        self.tables
            .iter()
            .find(|t| t.name == name && t.schema_or(default_schema) == schema)
    }
}
