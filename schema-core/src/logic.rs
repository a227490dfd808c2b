//! The triggers and functions a set of declared tables needs.

use crate::model::{SchemaFunction, TableDef, TriggerDef};

/// One function per (schema, name), however many tables call it, and one trigger per
/// table and declaration; both sorted as introspection sorts them.
pub(crate) fn declared(tables: &[TableDef]) -> (Vec<SchemaFunction>, Vec<TriggerDef>) {
    let mut functions: Vec<SchemaFunction> = Vec::new();
    let mut triggers = Vec::new();
    for table in tables {
        for decl in table.options.triggers.iter() {
            let function_schema = decl.function.schema.clone().or(table.schema.clone());
            if !functions
                .iter()
                .any(|f| f.schema == function_schema && f.name == decl.function.name)
            {
                functions.push(SchemaFunction {
                    schema: function_schema.clone(),
                    name: decl.function.name.clone(),
                    body: decl.function.body.clone(),
                });
            }
            triggers.push(TriggerDef {
                schema: table.schema.clone(),
                table: table.name.clone(),
                name: decl.name.clone(),
                timing: decl.timing,
                events: decl.events.clone(),
                function_schema,
                function: decl.function.name.clone(),
                enabled: true,
            });
        }
    }
    functions.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    triggers.sort_by(|a, b| (&a.schema, &a.table, &a.name).cmp(&(&b.schema, &b.table, &b.name)));
    (functions, triggers)
}
