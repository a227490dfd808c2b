//! Typed rows of the catalog queries, decoded by column name.
//!
//! Kept apart from the model so that the SQL and the descriptors can change without
//! touching each other: `query` fetches, these structs decode, `build` assembles.

use postgres::Row;
use postgres::types::Oid;

/// A row of `tables.sql`.
pub(crate) struct TableRow {
    pub oid: Oid,
    pub schema: String,
    pub name: String,
    pub comment: Option<String>,
    pub row_security: bool,
    pub force_row_security: bool,
}

/// A row of `columns.sql`.
pub(crate) struct ColumnRow {
    pub table_oid: Oid,
    pub name: String,
    pub type_oid: Oid,
    pub type_kind: String,
    pub type_text: String,
    pub element_oid: Option<Oid>,
    pub element_kind: Option<String>,
    pub element_text: Option<String>,
    pub nullable: bool,
    pub identity: String,
    pub generated: String,
    pub default_expr: Option<String>,
    pub is_serial: bool,
    pub comment: Option<String>,
}

/// A row of `constraints.sql`.
pub(crate) struct ConstraintRow {
    pub table_oid: Oid,
    pub name: String,
    pub kind: String,
    pub columns: Vec<String>,
    pub expression: Option<String>,
    pub ref_schema: Option<String>,
    pub ref_table: Option<String>,
    pub ref_columns: Vec<String>,
    pub on_delete: String,
    pub on_update: String,
    pub deferrable: bool,
    pub deferred: bool,
    /// `false` for a constraint added `NOT VALID` and not validated since.
    pub validated: bool,
    /// An exclusion constraint's definition (`EXCLUDE USING gist (…)`).
    pub definition: Option<String>,
    /// The column list of `ON DELETE SET NULL (…)` / `SET DEFAULT (…)`, as printed.
    pub set_columns: Option<String>,
}

/// A row of `indexes.sql`.
pub(crate) struct IndexRow {
    pub table_oid: Oid,
    pub name: String,
    pub is_unique: bool,
    /// `false` for an index whose concurrent build failed or is still running.
    pub valid: bool,
    /// What the index has that the model cannot express (`DESC`, `INCLUDE`, …).
    pub options: Option<String>,
    pub method: String,
    pub predicate: Option<String>,
    pub columns: Vec<String>,
}

/// A row of `enums.sql`.
pub(crate) struct EnumRow {
    pub oid: Oid,
    pub schema: String,
    pub name: String,
    pub labels: Vec<String>,
    pub listed: bool,
}

impl TableRow {
    pub fn decode(row: &Row) -> Result<Self, postgres::Error> {
        Ok(TableRow {
            oid: row.try_get("oid")?,
            schema: row.try_get("schema")?,
            name: row.try_get("name")?,
            comment: row.try_get("comment")?,
            row_security: row.try_get("row_security")?,
            force_row_security: row.try_get("force_row_security")?,
        })
    }
}

impl ColumnRow {
    pub fn decode(row: &Row) -> Result<Self, postgres::Error> {
        Ok(ColumnRow {
            table_oid: row.try_get("table_oid")?,
            name: row.try_get("name")?,
            type_oid: row.try_get("type_oid")?,
            type_kind: row.try_get("type_kind")?,
            type_text: row.try_get("type_text")?,
            element_oid: row.try_get("element_oid")?,
            element_kind: row.try_get("element_kind")?,
            element_text: row.try_get("element_text")?,
            nullable: row.try_get("nullable")?,
            identity: row.try_get("identity")?,
            generated: row.try_get("generated")?,
            default_expr: row.try_get("default_expr")?,
            is_serial: row.try_get("is_serial")?,
            comment: row.try_get("comment")?,
        })
    }
}

impl ConstraintRow {
    pub fn decode(row: &Row) -> Result<Self, postgres::Error> {
        Ok(ConstraintRow {
            table_oid: row.try_get("table_oid")?,
            name: row.try_get("name")?,
            kind: row.try_get("kind")?,
            columns: row.try_get("columns")?,
            expression: row.try_get("expression")?,
            ref_schema: row.try_get("ref_schema")?,
            ref_table: row.try_get("ref_table")?,
            ref_columns: row.try_get("ref_columns")?,
            on_delete: row.try_get("on_delete")?,
            on_update: row.try_get("on_update")?,
            deferrable: row.try_get("deferrable")?,
            deferred: row.try_get("deferred")?,
            validated: row.try_get("validated")?,
            definition: row.try_get("definition")?,
            set_columns: row.try_get("set_columns")?,
        })
    }
}

impl IndexRow {
    pub fn decode(row: &Row) -> Result<Self, postgres::Error> {
        Ok(IndexRow {
            table_oid: row.try_get("table_oid")?,
            name: row.try_get("name")?,
            is_unique: row.try_get("is_unique")?,
            method: row.try_get("method")?,
            predicate: row.try_get("predicate")?,
            valid: row.try_get("valid")?,
            options: row.try_get("options")?,
            columns: row.try_get("columns")?,
        })
    }
}

impl EnumRow {
    pub fn decode(row: &Row) -> Result<Self, postgres::Error> {
        Ok(EnumRow {
            oid: row.try_get("oid")?,
            schema: row.try_get("schema")?,
            name: row.try_get("name")?,
            labels: row.try_get("labels")?,
            listed: row.try_get("listed")?,
        })
    }
}
