//! Reversing steps, for a generated migration's down SQL.
//!
//! What a step replaces (the previous type, default, comment, a dropped constraint or
//! index) is not in the step: it is read from the live catalog the up SQL was computed
//! against. Objects renamed by the same migration (tables, columns, and a renamed
//! table's `<old>_…` constraints and indexes) are looked up by their old names, and
//! written back under the names the migration gives them: the down SQL undoes the
//! renames last, so until then the new names hold.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::model::{CheckDef, ColumnDef, ForeignKeyDef, IndexDef, KeyDef, TableDef, Text};
use crate::step::Step;

/// One piece of a down migration.
#[derive(Debug, Clone, PartialEq, Eq)]
// Short-lived, a handful per migration: boxing the step would buy nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Reversal {
    Step(Step),
    /// What cannot be reversed, and why; written as a comment.
    NotReversible(String),
    /// A reversal that restores the structure but not everything (rows, column data).
    Caution(String),
}

/// The live catalog, seen through the renames of the migration being reversed.
pub(crate) struct Live<'a> {
    catalog: &'a Catalog,
    default_schema: &'a str,
    /// (schema, new table name) → old name.
    tables: BTreeMap<(String, String), String>,
    /// (schema, table's new name, new column name) → old column name.
    columns: BTreeMap<(String, String, String), String>,
    /// (schema, table's new name, new constraint name) → old constraint name.
    constraints: BTreeMap<(String, String, String), String>,
    /// (schema, new index name) → old index name.
    indexes: BTreeMap<(String, String), String>,
}

impl<'a> Live<'a> {
    pub fn new(catalog: &'a Catalog, default_schema: &'a str, steps: &[Step]) -> Self {
        let mut live = Live {
            catalog,
            default_schema,
            tables: BTreeMap::new(),
            columns: BTreeMap::new(),
            constraints: BTreeMap::new(),
            indexes: BTreeMap::new(),
        };
        for step in steps {
            match step {
                Step::RenameTable { schema, from, to } => {
                    live.tables
                        .insert((schema.clone(), to.to_string()), from.to_string());
                }
                Step::RenameColumn {
                    schema,
                    table,
                    from,
                    to,
                } => {
                    live.columns.insert(
                        (schema.clone(), table.to_string(), to.to_string()),
                        from.to_string(),
                    );
                }
                Step::RenameConstraint {
                    schema,
                    table,
                    from,
                    to,
                } => {
                    live.constraints.insert(
                        (schema.clone(), table.to_string(), to.to_string()),
                        from.to_string(),
                    );
                }
                Step::RenameIndex { schema, from, to } => {
                    live.indexes
                        .insert((schema.clone(), to.to_string()), from.to_string());
                }
                _ => {}
            }
        }
        live
    }

    /// The live table the migration calls `name`.
    fn table(&self, schema: &str, name: &str) -> Option<&'a TableDef> {
        let old = self
            .tables
            .get(&(schema.to_owned(), name.to_owned()))
            .map_or(name, String::as_str);
        self.catalog.table(schema, old, self.default_schema)
    }

    /// The name the migration gives the live table `live_name`: its new name when the
    /// migration renames it.
    fn migration_table(&self, schema: &str, live_name: &Text) -> Text {
        self.tables
            .iter()
            .find(|((s, _), old)| s == schema && *old == &**live_name)
            .map_or_else(|| live_name.clone(), |((_, new), _)| new.clone().into())
    }

    /// The live name of the constraint the migration calls `name` on `table`.
    fn constraint_name<'n>(&'n self, schema: &str, table: &str, name: &'n str) -> &'n str {
        let key = (schema.to_owned(), table.to_owned(), name.to_owned());
        self.constraints.get(&key).map_or(name, String::as_str)
    }

    /// The live name of the index the migration calls `name`.
    fn index_name<'n>(&'n self, schema: &str, name: &'n str) -> &'n str {
        let key = (schema.to_owned(), name.to_owned());
        self.indexes.get(&key).map_or(name, String::as_str)
    }

    /// The live trigger function `schema.name`.
    fn function(&self, schema: &str, name: &str) -> Option<&'a crate::model::SchemaFunction> {
        self.catalog.functions.iter().find(|f| {
            f.schema.as_deref().unwrap_or(self.default_schema) == schema && f.name == name
        })
    }

    /// The live trigger `name` on the table the migration calls `schema.table`.
    fn trigger(
        &self,
        schema: &str,
        table: &str,
        name: &str,
    ) -> Option<&'a crate::model::TriggerDef> {
        let key = (schema.to_owned(), table.to_owned());
        let old = self.tables.get(&key).map_or(table, String::as_str);
        self.catalog.triggers.iter().find(|t| {
            t.schema.as_deref().unwrap_or(self.default_schema) == schema
                && t.table == old
                && t.name == name
        })
    }

    /// The live view `schema.name`.
    fn view(&self, schema: &str, name: &str) -> Option<&'a crate::model::ViewDef> {
        self.catalog
            .views
            .iter()
            .find(|v| v.schema_or(self.default_schema) == schema && v.name == name)
    }

    /// The live column the migration calls `table.column`.
    fn column(&self, schema: &str, table: &str, column: &str) -> Option<&'a ColumnDef> {
        let key = (schema.to_owned(), table.to_owned(), column.to_owned());
        let old = self.columns.get(&key).map_or(column, String::as_str);
        self.table(schema, table)?.column(old)
    }
}

/// What undoes `step`, given the catalog before it ran.
pub(crate) fn reverse(step: &Step, live: &Live) -> Vec<Reversal> {
    use Reversal::{Caution, NotReversible};
    let one = |s: Step| vec![Reversal::Step(s)];
    let unknown = |what: String| {
        vec![NotReversible(format!(
            "{what}: its previous state is unknown (not in the database the migration was \
             generated against)"
        ))]
    };
    match step {
        Step::CreateSchema { schema } => vec![NotReversible(format!(
            "schema {schema} was created if it did not exist; drop it by hand if nothing \
             else uses it"
        ))],
        Step::CreateEnum { schema, def } => one(Step::DropEnum {
            schema: schema.clone(),
            name: def.name.clone(),
        }),
        Step::DropEnum { schema, name } => {
            let found = live.catalog.enums.iter().find(|e| {
                e.name == *name && e.schema.as_deref().unwrap_or(live.default_schema) == schema
            });
            match found {
                Some(def) => one(Step::CreateEnum {
                    schema: schema.clone(),
                    def: def.clone(),
                }),
                None => unknown(format!("enum type {schema}.{name}")),
            }
        }
        Step::AddEnumValue {
            schema,
            name,
            value,
            ..
        } => vec![NotReversible(format!(
            "PostgreSQL cannot drop an enum label: '{value}' stays in {schema}.{name} (to \
             remove it, create a new type without it and convert the columns)"
        ))],
        Step::CreateTable { schema, table } => one(Step::DropTable {
            schema: schema.clone(),
            table: table.name.clone(),
        }),
        Step::RenameTable { schema, from, to } => one(Step::RenameTable {
            schema: schema.clone(),
            from: to.clone(),
            to: from.clone(),
        }),
        Step::RenameColumn {
            schema,
            table,
            from,
            to,
        } => one(Step::RenameColumn {
            schema: schema.clone(),
            table: table.clone(),
            from: to.clone(),
            to: from.clone(),
        }),
        Step::RenameConstraint {
            schema,
            table,
            from,
            to,
        } => one(Step::RenameConstraint {
            schema: schema.clone(),
            table: table.clone(),
            from: to.clone(),
            to: from.clone(),
        }),
        Step::RenameIndex { schema, from, to } => one(Step::RenameIndex {
            schema: schema.clone(),
            from: to.clone(),
            to: from.clone(),
        }),
        Step::AddColumn {
            schema,
            table,
            column,
        } => one(Step::DropColumn {
            schema: schema.clone(),
            table: table.clone(),
            column: column.name.clone(),
        }),
        Step::AlterColumnType {
            schema,
            table,
            column,
            ..
        } => match live.column(schema, table, column) {
            Some(found) => one(Step::AlterColumnType {
                schema: schema.clone(),
                table: table.clone(),
                column: column.clone(),
                sql_type: found.sql_type.clone(),
                array: found.array,
            }),
            None => unknown(format!("the type of {schema}.{table}.{column}")),
        },
        Step::SetNullable {
            schema,
            table,
            column,
            nullable,
        } => one(Step::SetNullable {
            schema: schema.clone(),
            table: table.clone(),
            column: column.clone(),
            nullable: !nullable,
        }),
        Step::SetDefault {
            schema,
            table,
            column,
            ..
        } => match live.column(schema, table, column) {
            Some(found) => one(Step::SetDefault {
                schema: schema.clone(),
                table: table.clone(),
                column: column.clone(),
                default: found.default.clone(),
            }),
            None => unknown(format!("the default of {schema}.{table}.{column}")),
        },
        Step::AddPrimaryKey { schema, table, key }
        | Step::AddUnique { schema, table, key }
        | Step::AddKeyUsingIndex {
            schema, table, key, ..
        } => one(drop_constraint(schema, table, &key.name)),
        Step::AddCheck {
            schema,
            table,
            check,
            ..
        } => one(drop_constraint(schema, table, &check.name)),
        Step::AddForeignKey {
            schema, table, fk, ..
        } => one(drop_constraint(schema, table, &fk.name)),
        Step::ValidateConstraint { .. } => Vec::new(),
        Step::CreateIndex { schema, index, .. } => one(Step::DropIndex {
            schema: schema.clone(),
            name: index.name.clone(),
            concurrently: false,
        }),
        Step::DropConstraint {
            schema,
            table,
            name,
        } => {
            let live_name = live.constraint_name(schema, table, name);
            match live
                .table(schema, table)
                .and_then(|t| add_constraint(schema, table, t, live_name, name))
            {
                Some(step) => one(step),
                None => unknown(format!("constraint {name} on {schema}.{table}")),
            }
        }
        Step::DropIndex { schema, name, .. } => {
            let live_name = live.index_name(schema, name);
            let found = live.catalog.tables.iter().find_map(|t| {
                let index = t.indexes.iter().find(|i| i.name == live_name)?;
                (t.schema_or(live.default_schema) == schema).then_some((t, index))
            });
            match found {
                Some((table, index)) => one(Step::CreateIndex {
                    schema: schema.clone(),
                    table: live.migration_table(schema, &table.name),
                    index: IndexDef {
                        name: name.clone(),
                        ..index.clone()
                    },
                    concurrently: false,
                }),
                None => unknown(format!("index {schema}.{name}")),
            }
        }
        Step::DropColumn {
            schema,
            table,
            column,
        } => match live.column(schema, table, column) {
            // A generated column comes back computed from the row.
            Some(found) if found.generated.is_some() => one(Step::AddColumn {
                schema: schema.clone(),
                table: table.clone(),
                column: found.clone(),
            }),
            Some(found) => vec![
                Caution(format!(
                    "{schema}.{table}.{column} comes back empty: its data is not restored"
                )),
                Reversal::Step(Step::AddColumn {
                    schema: schema.clone(),
                    table: table.clone(),
                    column: found.clone(),
                }),
            ],
            None => unknown(format!("column {schema}.{table}.{column}")),
        },
        // Generated again: dropped and added with the expression it had.
        Step::DropExpression {
            schema,
            table,
            column,
        } => match live.column(schema, table, column) {
            Some(found) => vec![
                Reversal::Step(Step::DropColumn {
                    schema: schema.clone(),
                    table: table.clone(),
                    column: column.clone(),
                }),
                Reversal::Step(Step::AddColumn {
                    schema: schema.clone(),
                    table: table.clone(),
                    column: found.clone(),
                }),
            ],
            None => unknown(format!("column {schema}.{table}.{column}")),
        },
        Step::DropTable { schema, table } => match live.table(schema, table) {
            Some(found) => {
                let mut steps = vec![
                    Caution(format!(
                        "{schema}.{table} comes back empty: its rows are not restored"
                    )),
                    Reversal::Step(Step::CreateTable {
                        schema: schema.clone(),
                        table: found.clone(),
                    }),
                ];
                steps.extend(found.indexes.iter().map(|index| {
                    Reversal::Step(Step::CreateIndex {
                        schema: schema.clone(),
                        table: found.name.clone(),
                        index: index.clone(),
                        concurrently: false,
                    })
                }));
                steps
            }
            None => unknown(format!("table {schema}.{table}")),
        },
        Step::CommentOnTable { schema, table, .. } => match live.table(schema, table) {
            Some(found) => one(Step::CommentOnTable {
                schema: schema.clone(),
                table: table.clone(),
                comment: found.comment.clone(),
            }),
            None => unknown(format!("the comment on {schema}.{table}")),
        },
        Step::CommentOnColumn {
            schema,
            table,
            column,
            ..
        } => match live.column(schema, table, column) {
            Some(found) => one(Step::CommentOnColumn {
                schema: schema.clone(),
                table: table.clone(),
                column: column.clone(),
                comment: found.comment.clone(),
            }),
            None => unknown(format!("the comment on {schema}.{table}.{column}")),
        },
        Step::SetRowSecurity {
            schema,
            table,
            enabled,
        } => one(Step::SetRowSecurity {
            schema: schema.clone(),
            table: table.clone(),
            enabled: !enabled,
        }),
        Step::SetForceRowSecurity {
            schema,
            table,
            forced,
        } => one(Step::SetForceRowSecurity {
            schema: schema.clone(),
            table: table.clone(),
            forced: !forced,
        }),
        Step::CreatePolicy {
            schema,
            table,
            policy,
        } => one(Step::DropPolicy {
            schema: schema.clone(),
            table: table.clone(),
            name: policy.name.clone(),
        }),
        Step::DropPolicy {
            schema,
            table,
            name,
        } => match live
            .table(schema, table)
            .and_then(|t| t.policies.iter().find(|p| p.name == *name))
        {
            Some(found) => one(Step::CreatePolicy {
                schema: schema.clone(),
                table: table.clone(),
                policy: found.clone(),
            }),
            None => unknown(format!("policy {name} on {schema}.{table}")),
        },
        Step::CreateFunction { schema, name, .. } | Step::DropFunction { schema, name } => {
            let created = matches!(step, Step::CreateFunction { .. });
            match (live.function(schema, name), created) {
                (Some(found), _) => one(Step::CreateFunction {
                    schema: schema.clone(),
                    name: name.clone(),
                    body: found.body.clone(),
                }),
                (None, true) => one(Step::DropFunction {
                    schema: schema.clone(),
                    name: name.clone(),
                }),
                (None, false) => unknown(format!("function {schema}.{name}")),
            }
        }
        Step::CreateTrigger { trigger } => {
            let schema = trigger.schema.as_deref().unwrap_or(live.default_schema);
            match live.trigger(schema, &trigger.table, &trigger.name) {
                Some(found) => one(Step::CreateTrigger {
                    trigger: crate::model::TriggerDef {
                        table: trigger.table.clone(),
                        ..found.clone()
                    },
                }),
                None => one(Step::DropTrigger {
                    schema: schema.to_owned(),
                    table: trigger.table.clone(),
                    name: trigger.name.clone(),
                }),
            }
        }
        Step::CreateView { schema, view } => one(Step::DropView {
            schema: schema.clone(),
            name: view.name.clone(),
        }),
        Step::DropView { schema, name } => match live.view(schema, name) {
            Some(found) => one(Step::CreateView {
                schema: schema.clone(),
                view: found.clone(),
            }),
            None => unknown(format!("view {schema}.{name}")),
        },
        Step::DropTrigger {
            schema,
            table,
            name,
        } => match live.trigger(schema, table, name) {
            Some(found) => one(Step::CreateTrigger {
                trigger: crate::model::TriggerDef {
                    table: table.clone(),
                    ..found.clone()
                },
            }),
            None => unknown(format!("trigger {name} on {schema}.{table}")),
        },
    }
}

fn drop_constraint(schema: &str, table: &Text, name: &Text) -> Step {
    Step::DropConstraint {
        schema: schema.to_owned(),
        table: table.clone(),
        name: name.clone(),
    }
}

/// The step that adds back the constraint `live_name` of `live`, under the names the
/// migration gives the table (`table`) and the constraint (`name`).
fn add_constraint(
    schema: &str,
    table: &Text,
    live: &TableDef,
    live_name: &str,
    name: &Text,
) -> Option<Step> {
    let schema = schema.to_owned();
    let table = table.clone();
    let name = name.clone();
    if let Some(key) = live.primary_key.as_ref().filter(|k| k.name == live_name) {
        return Some(Step::AddPrimaryKey {
            schema,
            table,
            key: KeyDef {
                name,
                ..key.clone()
            },
        });
    }
    if let Some(key) = live.uniques.iter().find(|k| k.name == live_name) {
        return Some(Step::AddUnique {
            schema,
            table,
            key: KeyDef {
                name,
                ..key.clone()
            },
        });
    }
    if let Some(check) = live.checks.iter().find(|c| c.name == live_name) {
        return Some(Step::AddCheck {
            schema,
            table,
            check: CheckDef {
                name,
                ..check.clone()
            },
            not_valid: false,
        });
    }
    live.foreign_keys
        .iter()
        .find(|f| f.name == live_name)
        .map(|fk| Step::AddForeignKey {
            schema,
            table,
            fk: ForeignKeyDef { name, ..fk.clone() },
            not_valid: false,
        })
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::model::{SqlType, TableOptions};

    fn column(name: &'static str, sql_type: SqlType, default: Option<&'static str>) -> ColumnDef {
        ColumnDef {
            name: Cow::Borrowed(name),
            sql_type,
            array: false,
            nullable: true,
            default: default.map(Cow::Borrowed),
            identity: None,
            generated: None,
            comment: None,
            renamed_from: Cow::Borrowed(&[]),
        }
    }

    fn catalog() -> Catalog {
        Catalog {
            tables: vec![TableDef {
                schema: Some("public".into()),
                name: "people".into(),
                columns: vec![
                    column(
                        "full_name",
                        SqlType::Varchar(Some(50)),
                        Some("''::character varying"),
                    ),
                    column("age", SqlType::SmallInt, None),
                ]
                .into(),
                primary_key: None,
                uniques: Cow::Borrowed(&[]),
                checks: Cow::Borrowed(&[]),
                foreign_keys: Cow::Borrowed(&[]),
                indexes: Cow::Borrowed(&[]),
                comment: Some("before".into()),
                row_security: Default::default(),
                policies: Default::default(),
                options: TableOptions::LIVE,
            }],
            enums: Vec::new(),
            ..Default::default()
        }
    }

    #[test]
    fn previous_values_come_from_the_live_catalog_under_old_names() {
        let live_catalog = catalog();
        let steps = vec![
            Step::RenameTable {
                schema: "public".into(),
                from: "people".into(),
                to: "members".into(),
            },
            Step::RenameColumn {
                schema: "public".into(),
                table: "members".into(),
                from: "full_name".into(),
                to: "display_name".into(),
            },
            Step::AlterColumnType {
                schema: "public".into(),
                table: "members".into(),
                column: "display_name".into(),
                sql_type: SqlType::Text,
                array: false,
            },
            Step::SetDefault {
                schema: "public".into(),
                table: "members".into(),
                column: "display_name".into(),
                default: None,
            },
            Step::CommentOnTable {
                schema: "public".into(),
                table: "members".into(),
                comment: Some("after".into()),
            },
        ];
        let live = Live::new(&live_catalog, "public", &steps);
        let reversed: Vec<Reversal> = steps.iter().rev().flat_map(|s| reverse(s, &live)).collect();
        assert_eq!(
            reversed,
            [
                Reversal::Step(Step::CommentOnTable {
                    schema: "public".into(),
                    table: "members".into(),
                    comment: Some("before".into()),
                }),
                Reversal::Step(Step::SetDefault {
                    schema: "public".into(),
                    table: "members".into(),
                    column: "display_name".into(),
                    default: Some("''::character varying".into()),
                }),
                Reversal::Step(Step::AlterColumnType {
                    schema: "public".into(),
                    table: "members".into(),
                    column: "display_name".into(),
                    sql_type: SqlType::Varchar(Some(50)),
                    array: false,
                }),
                Reversal::Step(Step::RenameColumn {
                    schema: "public".into(),
                    table: "members".into(),
                    from: "display_name".into(),
                    to: "full_name".into(),
                }),
                Reversal::Step(Step::RenameTable {
                    schema: "public".into(),
                    from: "members".into(),
                    to: "people".into(),
                }),
            ]
        );
    }

    #[test]
    fn a_renamed_tables_changed_key_comes_back_under_the_names_of_the_migration() {
        let mut live_catalog = catalog();
        live_catalog.tables[0].primary_key = Some(KeyDef {
            name: "people_pkey".into(),
            columns: vec!["full_name".into()].into(),
        });
        let new_key = KeyDef {
            name: "members_pkey".into(),
            columns: vec!["full_name".into(), "age".into()].into(),
        };
        let steps = vec![
            Step::RenameTable {
                schema: "public".into(),
                from: "people".into(),
                to: "members".into(),
            },
            Step::RenameConstraint {
                schema: "public".into(),
                table: "members".into(),
                from: "people_pkey".into(),
                to: "members_pkey".into(),
            },
            Step::DropConstraint {
                schema: "public".into(),
                table: "members".into(),
                name: "members_pkey".into(),
            },
            Step::AddPrimaryKey {
                schema: "public".into(),
                table: "members".into(),
                key: new_key,
            },
        ];
        let live = Live::new(&live_catalog, "public", &steps);
        let reversed: Vec<Reversal> = steps.iter().rev().flat_map(|s| reverse(s, &live)).collect();
        assert_eq!(
            reversed[..2],
            [
                Reversal::Step(drop_constraint(
                    "public",
                    &"members".into(),
                    &"members_pkey".into()
                )),
                Reversal::Step(Step::AddPrimaryKey {
                    schema: "public".into(),
                    table: "members".into(),
                    key: KeyDef {
                        name: "members_pkey".into(),
                        columns: vec!["full_name".into()].into(),
                    },
                }),
            ]
        );
    }

    #[test]
    fn enum_labels_and_schemas_are_not_reversible() {
        let live_catalog = catalog();
        let live = Live::new(&live_catalog, "public", &[]);
        let label = Step::AddEnumValue {
            schema: "public".into(),
            name: "status".into(),
            value: "archived".into(),
            position: crate::step::EnumPosition::End,
        };
        assert!(matches!(
            &reverse(&label, &live)[..],
            [Reversal::NotReversible(why)] if why.contains("cannot drop an enum label")
        ));
    }
}
