//! [`ExpectedSchema`]: the compile-time descriptor a schema set yields.

use crate::catalog::Catalog;
use crate::ddl::render_plan;
use crate::model::{DEFAULT_SCHEMA, EnumDef, TableDef, ViewDef};
use crate::plan::{Plan, plan_creation};

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
    /// The views, in declaration order (`schema_set!(… , views = [...])`).
    pub views: &'static [&'static ViewDef],
}

impl ExpectedSchema {
    /// The enum types the tables need, each once, ordered by name.
    pub fn enums(&self) -> Vec<EnumDef> {
        let mut enums: Vec<EnumDef> = Vec::new();
        for e in self.enum_uses.iter().flat_map(|uses| uses.iter().flatten()) {
            if !enums
                .iter()
                .any(|known| known.schema == e.schema && known.name == e.name)
            {
                enums.push(e.clone());
            }
        }
        enums.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        enums
    }

    /// The declared schema as a [`Catalog`], the form the live database is read into.
    pub fn catalog(&self) -> Catalog {
        let tables: Vec<TableDef> = self.tables.iter().map(|t| (*t).clone()).collect();
        let (functions, triggers) = crate::logic::declared(&tables);
        let views: Vec<ViewDef> = self.views.iter().map(|v| (*v).clone()).collect();
        Catalog {
            tables,
            enums: self.enums(),
            functions,
            triggers,
            // Placed where `None` resolves; the default schema is the same for all.
            views: crate::plan::views::creation_order(&views, DEFAULT_SCHEMA),
            ..Default::default()
        }
    }

    /// The table called `name`, if the set has one.
    pub fn table(&self, name: &str) -> Option<&'static TableDef> {
        self.tables.iter().copied().find(|t| t.name == name)
    }

    /// The creation plan into an empty database, tables without a schema in `public`.
    pub fn plan(&self) -> Plan {
        self.plan_in(DEFAULT_SCHEMA)
    }

    /// The creation plan with tables that name no schema placed in `default_schema`.
    pub fn plan_in(&self, default_schema: &str) -> Plan {
        let catalog = self.catalog();
        let mut plan = plan_creation(&catalog.tables, &catalog.enums, default_schema);
        plan.steps
            .extend(crate::plan::create_logic(&catalog, default_schema));
        plan
    }

    /// The DDL of [`Self::plan`]: one script that creates the whole schema.
    pub fn ddl(&self) -> String {
        render_plan(&self.plan())
    }

    /// The DDL of [`Self::plan_in`]: the whole schema with tables that name no schema in
    /// `default_schema`.
    pub fn ddl_in(&self, default_schema: &str) -> String {
        render_plan(&self.plan_in(default_schema))
    }
}
