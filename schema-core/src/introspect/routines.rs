//! Trigger functions and triggers: `pg_proc` and `pg_trigger` rows → the model.

use postgres::GenericClient;

use super::{IntrospectError, fetch, query};
use crate::catalog::{Catalog, Unmodeled, UnmodeledKind};
use crate::model::{SchemaFunction, TriggerDef, TriggerEvent, TriggerTiming};

const ROW: i32 = 1;
const BEFORE: i32 = 2;
const INSERT: i32 = 4;
const DELETE: i32 = 8;
const UPDATE: i32 = 16;
const TRUNCATE: i32 = 32;
const INSTEAD: i32 = 64;

/// Reads the functions and triggers of `schemas` into `catalog` (two queries).
pub(super) fn read(
    client: &mut impl GenericClient,
    schemas: &[&str],
    catalog: &mut Catalog,
) -> Result<(), IntrospectError> {
    catalog.functions = fetch(client, query::FUNCTIONS, schemas, |row| {
        let language: String = row.try_get("language")?;
        let body: String = row.try_get("body")?;
        Ok(SchemaFunction {
            schema: Some(row.try_get::<_, String>("schema")?.into()),
            name: row.try_get::<_, String>("name")?.into(),
            // A body in another language never equals a declared PL/pgSQL body.
            body: if language == "plpgsql" {
                body.into()
            } else {
                format!("-- LANGUAGE {language}\n{body}").into()
            },
        })
    })?;
    let rows = fetch(client, query::TRIGGERS, schemas, |row| {
        let schema: String = row.try_get("schema")?;
        let table: String = row.try_get("table")?;
        let name: String = row.try_get("name")?;
        let bits: i32 = row.try_get("type")?;
        let has_options: bool = row.try_get("has_options")?;
        let definition: String = row.try_get("definition")?;
        let mut events = Vec::new();
        for (bit, event) in [
            (INSERT, TriggerEvent::Insert),
            (UPDATE, TriggerEvent::Update),
            (DELETE, TriggerEvent::Delete),
        ] {
            if bits & bit != 0 {
                events.push(event);
            }
        }
        let unmodeled = has_options || bits & (TRUNCATE | INSTEAD) != 0 || bits & ROW == 0;
        let remark = unmodeled.then(|| Unmodeled {
            schema: schema.clone(),
            table: table.clone(),
            name: name.clone(),
            kind: UnmodeledKind::TriggerOptions,
            detail: definition,
        });
        let trigger = TriggerDef {
            schema: Some(schema.into()),
            table: table.into(),
            name: name.into(),
            timing: if bits & BEFORE != 0 {
                TriggerTiming::Before
            } else {
                TriggerTiming::After
            },
            events: events.into(),
            function_schema: Some(row.try_get::<_, String>("function_schema")?.into()),
            function: row.try_get::<_, String>("function")?.into(),
            enabled: row.try_get("enabled")?,
        };
        Ok((trigger, remark))
    })?;
    for (trigger, remark) in rows {
        catalog.triggers.push(trigger);
        catalog.unmodeled.extend(remark);
    }
    Ok(())
}
