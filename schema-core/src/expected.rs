//! [`ExpectedSchema`]: the compile-time descriptor a schema set yields.

use crate::catalog::Catalog;
use crate::model::{EnumDef, TableDef};

/// Every table of a schema set, as declared in code.
///
/// Built in `const` context by `schema_set!`, after the compiler has checked that every
/// foreign key points into the set with a matching key type and that names are unique.
#[derive(Debug, Clone, Copy)]
pub struct ExpectedSchema {
    /// The schema set's Rust name (`AllTables`).
    pub name: &'static str,
    /// The tables in declaration order.
    pub tables: &'static [&'static TableDef],
    /// Enum types used by the tables' columns (duplicates allowed; see [`Self::enums`]).
    pub enum_uses: &'static [&'static [Option<EnumDef>]],
}

impl ExpectedSchema {
    /// The enum types the tables need, each once, ordered by name.
    pub fn enums(&self) -> Vec<EnumDef> {
        let mut enums: Vec<EnumDef> = Vec::new();
        for e in self.enum_uses.iter().flat_map(|uses| uses.iter().flatten()) {
            if !enums.iter().any(|known| known.schema == e.schema && known.name == e.name) {
                enums.push(e.clone());
            }
        }
        enums.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        enums
    }

    /// The declared schema as a [`Catalog`], the form the live database is read into.
    pub fn catalog(&self) -> Catalog {
        Catalog {
            tables: self.tables.iter().map(|t| (*t).clone()).collect(),
            enums: self.enums(),
        }
    }

    /// The table called `name`, if the set has one.
    pub fn table(&self, name: &str) -> Option<&'static TableDef> {
        self.tables.iter().copied().find(|t| t.name == name)
    }
}
