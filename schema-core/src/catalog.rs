//! [`Catalog`]: a whole schema (tables and enum types) as one value.

use crate::model::{EnumDef, TableDef};

/// Tables and enum types, either declared ([`crate::ExpectedSchema::catalog`]) or read
/// from a live database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalog {
    pub tables: Vec<TableDef>,
    pub enums: Vec<EnumDef>,
}

impl Catalog {
    /// The table called `name` in `schema`.
    pub fn table(&self, schema: &str, name: &str, default_schema: &str) -> Option<&TableDef> {
        self.tables
            .iter()
            .find(|t| t.name == name && t.schema_or(default_schema) == schema)
    }
}
