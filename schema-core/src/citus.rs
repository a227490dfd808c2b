//! Citus: the DDL that distributes a schema set over a Citus cluster, for the users who
//! outgrow one PostgreSQL server. Opt in on the set:
//!
//! - `schema_set!(pub App = [...], citus = "row")`, row-based sharding: every table with
//!   a `tenant = T` column is distributed by it (`create_distributed_table`, co-located
//!   with `T`), `T` itself by the column those keys reference, and every other table
//!   becomes a reference table (`create_reference_table`, a copy on every node). The
//!   macro checks at compile time what Citus would refuse at run time: every primary
//!   key, unique constraint, unique index and foreign key between distributed tables of
//!   a distributed table includes its distribution column, and no reference table has
//!   a foreign key to a distributed one.
//! - `schema_set!(pub TenantTables = [...], citus = "schema")`, schema-based sharding
//!   (Citus 12): each tenant schema is distributed whole (`citus_schema_distribute`);
//!   its tables need no distribution column. The platform tables become reference
//!   tables ([`reference_tables`]).
//!
//! Targets Citus 12.1 (the first release line with `citus_schema_distribute`, 12.0, or
//! later) on PostgreSQL 15 or 16. The text is tested as snapshots only: no Citus server
//! could be run where this was written.

use crate::__private::{Message, slice, str_eq, text};
use crate::ddl::{literal, qualified};
use crate::expected::ExpectedSchema;
use crate::model::TableDef;
use crate::step::Step;
use crate::table::SchemaSet;

/// How a set is spread over a Citus cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distribution {
    /// Rows sharded by the tenant column, co-located with the tenant table.
    RowBased,
    /// Each tenant schema placed whole on one node.
    SchemaBased,
}

/// Implemented by `schema_set!(..., citus = "row" | "schema")`.
pub trait CitusSet: SchemaSet {
    const DISTRIBUTION: Distribution;
}

/// The statements that distribute `S` once its tables exist: in `default_schema` for
/// row-based sets (reference tables first, then the tenant table, then the tables that
/// follow it, in creation order); for schema-based sets, the tenant schema
/// `default_schema` itself.
pub fn ddl<S: CitusSet>(default_schema: &str) -> String {
    let expected = S::EXPECTED_SCHEMA;
    let mut out = header(S::DISTRIBUTION);
    match S::DISTRIBUTION {
        Distribution::SchemaBased => {
            out.push_str(&format!(
                "SELECT citus_schema_distribute({});\n",
                literal(&crate::ddl::ident(default_schema))
            ));
        }
        Distribution::RowBased => {
            let order = creation_order(&expected, default_schema);
            let name = |t: &TableDef| literal(&qualified(t.schema_or(default_schema), &t.name));
            for t in order
                .iter()
                .filter(|t| distribution_column(&expected, t).is_none())
            {
                out.push_str(&format!("SELECT create_reference_table({});\n", name(t)));
            }
            let tenant_tables: Vec<&TableDef> = order
                .iter()
                .copied()
                .filter(|t| t.options.tenant_column.is_none())
                .filter(|t| distribution_column(&expected, t).is_some())
                .collect();
            for t in &tenant_tables {
                let column = distribution_column(&expected, t).unwrap_or_default();
                out.push_str(&format!(
                    "SELECT create_distributed_table({}, {});\n",
                    name(t),
                    literal(column)
                ));
            }
            for t in order.iter().filter(|t| t.options.tenant_column.is_some()) {
                let column = distribution_column(&expected, t).unwrap_or_default();
                let with = tenant_of(&expected, t)
                    .map(|tenant| format!(", colocate_with => {}", name(tenant)))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "SELECT create_distributed_table({}, {}{with});\n",
                    name(t),
                    literal(column)
                ));
            }
        }
    }
    out
}

/// The platform tables as reference tables: with schema-based sharding, the tables in
/// `public` that every tenant schema may join with.
pub fn reference_tables(platform: &ExpectedSchema) -> String {
    let mut out = header(Distribution::SchemaBased);
    for t in creation_order(platform, crate::model::DEFAULT_SCHEMA) {
        out.push_str(&format!(
            "SELECT create_reference_table({});\n",
            literal(&qualified(
                t.schema_or(crate::model::DEFAULT_SCHEMA),
                &t.name
            ))
        ));
    }
    out
}

fn header(distribution: Distribution) -> String {
    let how = match distribution {
        Distribution::RowBased => "row-based sharding",
        Distribution::SchemaBased => "schema-based sharding",
    };
    format!("-- Citus 12.1 or later, {how}; run on the coordinator after the tables exist.\n")
}

/// The set's tables in the order the creation plan makes them.
fn creation_order<'a>(expected: &'a ExpectedSchema, default_schema: &str) -> Vec<&'a TableDef> {
    let plan = expected.plan_in(default_schema);
    plan.steps
        .iter()
        .filter_map(|s| match s {
            Step::CreateTable { table, .. } => expected
                .tables
                .iter()
                .copied()
                .find(|t| t.name == table.name && t.schema == table.schema),
            _ => None,
        })
        .collect()
}

/// The table `table`'s tenant column references, if it has one in the set.
fn tenant_of<'a>(expected: &'a ExpectedSchema, table: &TableDef) -> Option<&'a TableDef> {
    let column = table.options.tenant_column.as_deref()?;
    let fk = table
        .foreign_keys
        .iter()
        .find(|fk| fk.columns.len() == 1 && fk.columns[0] == column)?;
    expected
        .tables
        .iter()
        .copied()
        .find(|t| t.name == fk.ref_table && (fk.ref_schema.is_none() || t.schema == fk.ref_schema))
}

/// The column `table` is distributed by, or `None` for a reference table (run-time
/// twin of [`distribution`], over an [`ExpectedSchema`]).
fn distribution_column<'a>(expected: &'a ExpectedSchema, table: &'a TableDef) -> Option<&'a str> {
    if let Some(column) = table.options.tenant_column.as_deref() {
        return Some(column);
    }
    expected.tables.iter().find_map(|t| {
        let column = t.options.tenant_column.as_deref()?;
        let fk = t
            .foreign_keys
            .iter()
            .find(|fk| fk.columns.len() == 1 && fk.columns[0] == column)?;
        (fk.ref_table == table.name).then(|| &*fk.ref_columns[0])
    })
}

// ---------------------------------------------------------------------------
// The compile-time check of `citus = "row"`
// ---------------------------------------------------------------------------

use crate::__private::TableEntry;

/// The column `tables[index]` is distributed by in a row-based set: its tenant column,
/// or, for the tenant table, the column the tenant columns reference; `None` for a
/// reference table.
const fn distribution(tables: &[TableEntry], index: usize) -> Option<&'static str> {
    let this = tables[index].def;
    if let Some(column) = &this.options.tenant_column {
        return Some(text(column));
    }
    let mut i = 0;
    while i < tables.len() {
        if let Some(fk) = tenant_key(tables[i].def)
            && str_eq(text(&fk.ref_table), tables[index].name)
        {
            let refs = slice(&fk.ref_columns);
            if !refs.is_empty() {
                return Some(text(&refs[0]));
            }
        }
        i += 1;
    }
    None
}

/// The foreign key a table's tenant column declares.
const fn tenant_key(def: &'static TableDef) -> Option<&'static crate::model::ForeignKeyDef> {
    let Some(column) = &def.options.tenant_column else {
        return None;
    };
    let fks = slice(&def.foreign_keys);
    let mut i = 0;
    while i < fks.len() {
        let columns = slice(&fks[i].columns);
        if columns.len() == 1 && str_eq(text(&columns[0]), text(column)) {
            return Some(&fks[i]);
        }
        i += 1;
    }
    None
}

const fn includes(columns: &'static [crate::model::Text], column: &str) -> bool {
    let mut i = 0;
    while i < columns.len() {
        if str_eq(text(&columns[i]), column) {
            return true;
        }
        i += 1;
    }
    false
}

/// The index of the set's table named `name`.
const fn find(tables: &[TableEntry], name: &str) -> Option<usize> {
    let mut i = 0;
    while i < tables.len() {
        if str_eq(tables[i].name, name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The error message when `tables[index]` breaks a rule of row-based Citus sharding,
/// evaluated at compile time by `schema_set!(..., citus = "row")`.
pub const fn citus_key_problem(set: &str, tables: &[TableEntry], index: usize) -> Option<Message> {
    let this = &tables[index];
    let def = this.def;
    let Some(column) = distribution(tables, index) else {
        // A reference table: copied to every node, it may not point at sharded rows.
        let fks = slice(&def.foreign_keys);
        let mut i = 0;
        while i < fks.len() {
            if let Some(target) = find(tables, text(&fks[i].ref_table))
                && distribution(tables, target).is_some()
            {
                let m = Message::new()
                    .push("schema set `")
                    .push(set)
                    .push("` is distributed on Citus by rows: `")
                    .push(this.name)
                    .push("` becomes a reference table, and its foreign key `")
                    .push(text(&fks[i].name))
                    .push("` points at the distributed table `")
                    .push(tables[target].name)
                    .push("`, which Citus does not allow\nhelp: give `")
                    .push(this.rust)
                    .push("` a `tenant = ...` column, or drop the reference");
                return Some(m);
            }
            i += 1;
        }
        return None;
    };
    if let Some(pk) = &def.primary_key
        && !includes(slice(&pk.columns), column)
    {
        return Some(missing(
            set,
            this.name,
            column,
            "primary key",
            text(&pk.name),
        ));
    }
    let uniques = slice(&def.uniques);
    let mut i = 0;
    while i < uniques.len() {
        if !includes(slice(&uniques[i].columns), column) {
            return Some(missing(
                set,
                this.name,
                column,
                "unique constraint",
                text(&uniques[i].name),
            ));
        }
        i += 1;
    }
    let indexes = slice(&def.indexes);
    let mut i = 0;
    while i < indexes.len() {
        if indexes[i].unique && !includes(slice(&indexes[i].columns), column) {
            return Some(missing(
                set,
                this.name,
                column,
                "unique index",
                text(&indexes[i].name),
            ));
        }
        i += 1;
    }
    let fks = slice(&def.foreign_keys);
    let mut i = 0;
    while i < fks.len() {
        let to_distributed = match find(tables, text(&fks[i].ref_table)) {
            Some(target) => distribution(tables, target).is_some(),
            None => false,
        };
        if to_distributed && !includes(slice(&fks[i].columns), column) {
            return Some(missing(
                set,
                this.name,
                column,
                "foreign key",
                text(&fks[i].name),
            ));
        }
        i += 1;
    }
    None
}

/// "… the primary key `x` of `t` must include `tenant_id`", with the fix.
const fn missing(set: &str, table: &str, column: &str, what: &str, name: &str) -> Message {
    Message::new()
        .push("schema set `")
        .push(set)
        .push("` is distributed on Citus by `")
        .push(column)
        .push("`: the ")
        .push(what)
        .push(" `")
        .push(name)
        .push("` of `")
        .push(table)
        .push("` must include `")
        .push(column)
        .push("`\nhelp: add `")
        .push(column)
        .push("` to its columns (Citus enforces keys within one shard), or leave out `citus = \"row\"`")
}
