//! DDL of trigger functions and triggers.

use super::{ident, qualified};
use crate::model::{DEFAULT_SCHEMA, TriggerDef};

/// `CREATE OR REPLACE FUNCTION "s"."f"() RETURNS trigger LANGUAGE plpgsql AS $function$…`,
/// the body between dollar quotes whose tag the body does not contain.
pub(super) fn create_function(schema: &str, name: &str, body: &str) -> String {
    let mut tag = "$function$".to_owned();
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$function{n}$");
    }
    format!(
        "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS {tag}{body}{tag}",
        qualified(schema, name)
    )
}

/// `CREATE OR REPLACE TRIGGER "t" BEFORE UPDATE ON "s"."x" FOR EACH ROW EXECUTE FUNCTION …`
/// (PostgreSQL 14 and later).
pub(super) fn create_trigger(t: &TriggerDef) -> String {
    let events: Vec<&str> = t.events.iter().map(|e| e.sql()).collect();
    format!(
        "CREATE OR REPLACE TRIGGER {} {} {} ON {} FOR EACH ROW EXECUTE FUNCTION {}()",
        ident(&t.name),
        t.timing.sql(),
        events.join(" OR "),
        qualified(t.schema.as_deref().unwrap_or(DEFAULT_SCHEMA), &t.table),
        qualified(
            t.function_schema.as_deref().unwrap_or(DEFAULT_SCHEMA),
            &t.function
        ),
    )
}
