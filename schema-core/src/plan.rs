//! The creation plan: which objects to create, in an order PostgreSQL accepts.
//!
//! Tables come in foreign-key order (a table after every table it references), ties
//! broken by schema and name so the plan never depends on declaration or hash order.
//! When references form a cycle, the cycle's table with the smallest name is created
//! first and its foreign keys to tables that do not exist yet are added afterwards with
//! `ALTER TABLE … ADD CONSTRAINT`. A table that only references a cycle is not part of
//! it: it waits for the tables it references and keeps its keys inline.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{DEFAULT_SCHEMA, EnumDef, ForeignKeyDef, TableDef};
pub use crate::step::Step;
pub use logic::create_logic;

pub(crate) mod logic;
pub(crate) mod views;

/// An ordered list of steps; [`ExpectedSchema::ddl`](crate::ExpectedSchema::ddl) renders it as one script.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
}

/// Plans the creation of `tables` (and the enum types they use) into an empty database.
///
/// Tables without a schema go to `default_schema`, and so do the targets of foreign keys
/// and enum types that name none (whatever schema the referencing or using table is
/// in); foreign keys to tables not in `tables` are assumed to point at tables that
/// already exist.
pub fn plan_creation(tables: &[TableDef], enums: &[EnumDef], default_schema: &str) -> Plan {
    let mut steps = Vec::new();

    let schemas: BTreeSet<&str> = tables
        .iter()
        .map(|t| t.schema_or(default_schema))
        .chain(
            enums
                .iter()
                .map(|e| e.schema.as_deref().unwrap_or(default_schema)),
        )
        // Every new database has `public`; any other schema the plan needs is created.
        .filter(|s| *s != DEFAULT_SCHEMA)
        .collect();
    steps.extend(schemas.into_iter().map(|s| Step::CreateSchema {
        schema: s.to_owned(),
    }));

    let mut sorted_enums: Vec<&EnumDef> = enums.iter().collect();
    sorted_enums.sort_by_key(|e| (e.schema.as_deref().unwrap_or(default_schema), &*e.name));
    steps.extend(sorted_enums.into_iter().map(|e| Step::CreateEnum {
        schema: e.schema.as_deref().unwrap_or(default_schema).to_owned(),
        def: e.clone(),
    }));

    let (order, deferred) = creation_order(tables, default_schema);
    for &i in &order {
        let table = &tables[i];
        let schema = table.schema_or(default_schema).to_owned();
        let mut inline = table.with_enum_schemas(default_schema).into_owned();
        inline.foreign_keys = table
            .foreign_keys
            .iter()
            .filter(|fk| !deferred.contains(&(i, fk.name.to_string())))
            .map(|fk| fk.resolved(default_schema))
            .collect::<Vec<_>>()
            .into();
        inline.indexes = Vec::new().into();
        steps.push(Step::CreateTable {
            schema: schema.clone(),
            table: inline,
        });
        steps.extend(table.indexes.iter().map(|index| Step::CreateIndex {
            schema: schema.clone(),
            table: table.name.clone(),
            index: index.clone(),
            concurrently: false,
        }));
    }
    for (i, fk_name) in &deferred {
        let table = &tables[*i];
        let fk = table.foreign_keys.iter().find(|fk| fk.name == *fk_name);
        if let Some(fk) = fk {
            steps.push(Step::AddForeignKey {
                schema: table.schema_or(default_schema).to_owned(),
                table: table.name.clone(),
                fk: fk.resolved(default_schema),
                not_valid: false,
            });
        }
    }
    Plan { steps }
}

/// Table indexes in creation order, and the foreign keys (table index, key name) that
/// must wait until every table exists because they close a reference cycle: each one
/// points at a table that references, directly or not, the key's own table.
fn creation_order(tables: &[TableDef], default_schema: &str) -> (Vec<usize>, Vec<(usize, String)>) {
    let key_of = |t: &TableDef| (t.schema_or(default_schema).to_owned(), t.name.to_string());
    let index_of: BTreeMap<(String, String), usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (key_of(t), i))
        .collect();

    // For each table, the other tables in the set it references.
    let depends_on: Vec<BTreeSet<usize>> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.foreign_keys
                .iter()
                .filter_map(|fk| index_of.get(&fk_target(fk, default_schema)).copied())
                .filter(|&target| target != i)
                .collect()
        })
        .collect();

    let mut created: BTreeSet<usize> = BTreeSet::new();
    let mut order = Vec::with_capacity(tables.len());
    let mut deferred = Vec::new();
    // Remaining tables, keyed by (schema, name) so ties resolve by name.
    let mut remaining: BTreeMap<(String, String), usize> = index_of.clone();

    while !remaining.is_empty() {
        let ready = remaining
            .iter()
            .find(|(_, i)| depends_on[**i].is_subset(&created))
            .map(|(k, i)| (k.clone(), *i));
        let (key, i) = match ready {
            Some(found) => found,
            None => {
                // A cycle: create its first table by name now and add its keys to
                // tables that do not exist yet once every table does. A table that
                // waits for a cycle it is not part of is not a candidate: its keys
                // close nothing, it only has to come after the cycle.
                let closes_cycle = |i: usize, t: usize| reaches(t, i, &depends_on, &created);
                let candidate = remaining.iter().find(|(_, i)| {
                    depends_on[**i]
                        .iter()
                        .filter(|t| !created.contains(t))
                        .all(|&t| closes_cycle(**i, t))
                });
                let Some((key, &i)) = candidate else {
                    break;
                };
                for fk in tables[i].foreign_keys.iter() {
                    let target = index_of.get(&fk_target(fk, default_schema));
                    if target.is_some_and(|&t| t != i && !created.contains(&t)) {
                        deferred.push((i, fk.name.to_string()));
                    }
                }
                (key.clone(), i)
            }
        };
        remaining.remove(&key);
        created.insert(i);
        order.push(i);
    }
    (order, deferred)
}

/// Whether `to` can be reached from `from` by following references between tables not
/// created yet.
fn reaches(
    from: usize,
    to: usize,
    depends_on: &[BTreeSet<usize>],
    created: &BTreeSet<usize>,
) -> bool {
    let mut seen = BTreeSet::from([from]);
    let mut stack = vec![from];
    while let Some(table) = stack.pop() {
        if table == to {
            return true;
        }
        for &next in &depends_on[table] {
            if !created.contains(&next) && seen.insert(next) {
                stack.push(next);
            }
        }
    }
    false
}

/// The (schema, table) a foreign key points at.
pub(crate) fn fk_target(fk: &ForeignKeyDef, default_schema: &str) -> (String, String) {
    (
        fk.ref_schema_or(default_schema).to_owned(),
        fk.ref_table.to_string(),
    )
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::model::{Deferrable, FkAction, TableOptions};

    fn table(name: &'static str, refs: &[&'static str]) -> TableDef {
        TableDef {
            schema: None,
            name: Cow::Borrowed(name),
            columns: Cow::Owned(vec![]),
            primary_key: None,
            uniques: Cow::Owned(vec![]),
            checks: Cow::Owned(vec![]),
            foreign_keys: refs
                .iter()
                .map(|r| ForeignKeyDef {
                    name: format!("{name}_{r}_fkey").into(),
                    columns: Cow::Owned(vec![]),
                    ref_schema: None,
                    ref_table: Cow::Borrowed(*r),
                    ref_columns: Cow::Owned(vec![]),
                    on_delete: FkAction::NoAction,
                    on_update: FkAction::NoAction,
                    deferrable: Deferrable::NotDeferrable,
                    set_columns: Default::default(),
                })
                .collect::<Vec<_>>()
                .into(),
            indexes: Cow::Owned(vec![]),
            comment: None,
            row_security: Default::default(),
            policies: Default::default(),
            options: TableOptions::LIVE,
        }
    }

    fn order(plan: &Plan) -> Vec<String> {
        plan.steps
            .iter()
            .map(|s| match s {
                Step::CreateTable { table, .. } => table.name.to_string(),
                Step::AddForeignKey { fk, .. } => format!("+{}", fk.name),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn references_come_first_and_ties_sort_by_name() {
        let tables = [table("c", &["a"]), table("b", &["c"]), table("a", &[])];
        assert_eq!(
            order(&plan_creation(&tables, &[], "public")),
            ["a", "c", "b"]
        );
    }

    #[test]
    fn self_references_stay_inline() {
        let tables = [table("wards", &["wards"])];
        let plan = plan_creation(&tables, &[], "public");
        assert_eq!(order(&plan), ["wards"]);
        let Step::CreateTable { table, .. } = &plan.steps[0] else {
            panic!()
        };
        assert_eq!(table.foreign_keys.len(), 1);
    }

    #[test]
    fn a_cycle_defers_the_closing_key() {
        let tables = [table("b", &["a"]), table("a", &["b"]), table("z", &["a"])];
        let plan = plan_creation(&tables, &[], "public");
        assert_eq!(order(&plan), ["a", "b", "z", "+a_b_fkey"]);
        let Step::CreateTable { table, .. } = &plan.steps[0] else {
            panic!()
        };
        assert!(
            table.foreign_keys.is_empty(),
            "the deferred key is not inline"
        );
    }

    #[test]
    fn a_table_waiting_for_a_cycle_keeps_its_keys_inline() {
        let tables = [table("a", &["c"]), table("c", &["d"]), table("d", &["c"])];
        let plan = plan_creation(&tables, &[], "public");
        assert_eq!(order(&plan), ["c", "a", "d", "+c_d_fkey"]);
    }

    #[test]
    fn a_target_that_names_no_schema_is_in_the_default_schema() {
        let mut connections = table("connections", &["organizations"]);
        connections.schema = Some("integrations".into());
        let tables = [table("organizations", &[]), connections];
        let plan = plan_creation(&tables, &[], "acme");
        assert_eq!(order(&plan)[2..], ["organizations", "connections"]);
        let Step::CreateTable { schema, table } = &plan.steps[3] else {
            panic!()
        };
        assert_eq!(schema, "integrations");
        assert_eq!(table.foreign_keys[0].ref_schema.as_deref(), Some("acme"));
    }

    #[test]
    fn order_does_not_depend_on_declaration_order() {
        let one = [table("x", &["y"]), table("y", &[]), table("w", &["x"])];
        let two = [table("w", &["x"]), table("y", &[]), table("x", &["y"])];
        assert_eq!(
            plan_creation(&one, &[], "public"),
            plan_creation(&two, &[], "public")
        );
    }
}
