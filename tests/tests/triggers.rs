//! Trigger functions and triggers against a real PostgreSQL: `timestamps = "trigger"`
//! moves `updated_at`, drifted functions and triggers are repaired by sync with no row
//! lost, undeclared ones are reported and kept, and a sync of the result is a no-op.

mod common;

use postgres::Client;
use schema_core::diff::{ChangeKind, Safety};
use schema_core::introspect::introspect;
use schema_core::{Outcome, SchemaSet, SyncOptions, sync_with, verify};
use schema_defs::crm::Crm;

use common::{count, fresh};

fn synced() -> (schema_core::testing::TestDatabase, Client) {
    let (db, mut client) = fresh();
    let report = sync_with::<Crm>(&mut client, &SyncOptions::development()).expect("sync");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    client
        .batch_execute(
            "INSERT INTO organizations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Org');
             INSERT INTO users (tenant_id, email, display_name) VALUES (1, 'ann@example.com', 'Ann');
             INSERT INTO customers (tenant_id, name) VALUES (1, 'Acme'), (1, 'Globex');",
        )
        .unwrap();
    (db, client)
}

/// The kinds and safety classes a dry run finds.
fn pending(client: &mut Client) -> Vec<(ChangeKind, Safety)> {
    let report = sync_with::<Crm>(client, &SyncOptions::development().dry_run()).unwrap();
    report.pending.iter().map(|c| (c.kind, c.safety)).collect()
}

fn assert_up_to_date(client: &mut Client) {
    let report = verify::<Crm>(client).expect("verify");
    assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
}

/// Applies whatever is safe and checks that the schema converged with the rows kept.
fn repair(client: &mut Client) {
    let report = sync_with::<Crm>(client, &SyncOptions::development()).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_up_to_date(client);
    assert_eq!(count(client, "customers"), 2);
    assert_eq!(count(client, "users"), 1);
}

#[test]
fn the_trigger_moves_updated_at_on_update() {
    let (_db, mut client) = synced();
    client
        .batch_execute("UPDATE customers SET created_at = now() - interval '1 day', updated_at = now() - interval '1 day'")
        .unwrap();
    // The trigger wins over the statement: the update above set updated_at to now().
    let moved: bool = client
        .query_one(
            "SELECT updated_at > created_at FROM customers WHERE name = 'Acme'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(moved);
    let mut tx = client.transaction().unwrap();
    let before: chrono::DateTime<chrono::Utc> = tx.query_one("SELECT now()", &[]).unwrap().get(0);
    tx.execute(
        "UPDATE customers SET phone = '555' WHERE name = 'Acme'",
        &[],
    )
    .unwrap();
    let updated: chrono::DateTime<chrono::Utc> = tx
        .query_one("SELECT updated_at FROM customers WHERE name = 'Acme'", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        updated, before,
        "updated_at is the updating transaction's time"
    );
    tx.commit().unwrap();
}

#[test]
fn a_second_sync_finds_nothing_and_the_live_logic_equals_the_declared() {
    let (_db, mut client) = synced();
    assert!(pending(&mut client).is_empty());
    assert_up_to_date(&mut client);
    let live = introspect(&mut client, &["public"]).unwrap();
    let declared = Crm::EXPECTED_SCHEMA.catalog();
    let resolve = |s: &Option<schema_core::Text>| s.clone().or(Some("public".into()));
    let functions: Vec<_> = declared
        .functions
        .iter()
        .map(|f| schema_core::SchemaFunction {
            schema: resolve(&f.schema),
            ..f.clone()
        })
        .collect();
    let triggers: Vec<_> = declared
        .triggers
        .iter()
        .map(|t| schema_core::TriggerDef {
            schema: resolve(&t.schema),
            function_schema: resolve(&t.function_schema),
            ..t.clone()
        })
        .collect();
    assert_eq!(live.functions, functions);
    assert_eq!(live.triggers, triggers);
}

#[test]
fn a_drifted_function_is_replaced() {
    let (_db, mut client) = synced();
    client
        .batch_execute(
            "CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql
             AS $$ BEGIN RETURN NEW; END $$",
        )
        .unwrap();
    assert_eq!(
        pending(&mut client),
        [(ChangeKind::FunctionDiffers, Safety::Safe)]
    );
    repair(&mut client);
}

#[test]
fn a_dropped_trigger_is_created_again() {
    let (_db, mut client) = synced();
    client
        .batch_execute("DROP TRIGGER touch_updated_at ON customer_notes")
        .unwrap();
    assert_eq!(
        pending(&mut client),
        [(ChangeKind::MissingTrigger, Safety::Safe)]
    );
    repair(&mut client);
}

#[test]
fn a_disabled_or_altered_trigger_is_replaced() {
    let (_db, mut client) = synced();
    client
        .batch_execute(
            "ALTER TABLE users DISABLE TRIGGER touch_updated_at;
             CREATE OR REPLACE TRIGGER touch_updated_at BEFORE INSERT OR UPDATE ON customers
             FOR EACH ROW EXECUTE FUNCTION touch_updated_at();",
        )
        .unwrap();
    assert_eq!(
        pending(&mut client),
        [
            (ChangeKind::TriggerDiffers, Safety::Safe),
            (ChangeKind::TriggerDiffers, Safety::Safe)
        ]
    );
    repair(&mut client);
}

#[test]
fn a_dropped_function_is_created_before_its_triggers() {
    let (_db, mut client) = synced();
    client
        .batch_execute("DROP FUNCTION touch_updated_at() CASCADE")
        .unwrap();
    let kinds = pending(&mut client);
    assert_eq!(kinds[0], (ChangeKind::MissingFunction, Safety::Safe));
    assert_eq!(
        kinds.len(),
        6,
        "the function and the triggers of five tables: {kinds:?}"
    );
    assert!(
        kinds[1..]
            .iter()
            .all(|k| *k == (ChangeKind::MissingTrigger, Safety::Safe))
    );
    repair(&mut client);
}

#[test]
fn undeclared_triggers_and_functions_are_reported_and_kept() {
    let (_db, mut client) = synced();
    client
        .batch_execute(
            "CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql
                 AS $$ BEGIN NEW.name := upper(NEW.name); RETURN NEW; END $$;
             CREATE TRIGGER shout BEFORE INSERT ON customers
                 FOR EACH ROW EXECUTE FUNCTION shout();",
        )
        .unwrap();
    let mut options = SyncOptions::development();
    options.allow_review = true;
    options.allow_destructive = true;
    let report = sync_with::<Crm>(&mut client, &options).unwrap();
    let mut unmanaged: Vec<_> = report
        .unmanaged
        .iter()
        .map(|c| (c.kind, c.object.as_str()))
        .collect();
    unmanaged.sort_by_key(|(_, object)| *object);
    assert_eq!(
        unmanaged,
        [
            (ChangeKind::UnmanagedTrigger, "public.customers.shout"),
            (ChangeKind::UnmanagedFunction, "public.shout"),
        ],
        "{report}"
    );
    let kept: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'shout' AND NOT tgisinternal",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(kept, 1);
}
