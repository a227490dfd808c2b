//! Views of the `crm` schema against a real PostgreSQL: created after what they read, a
//! second sync finds nothing, a drifted or dropped view is repaired with its readers and
//! no row lost, an undeclared view is reported and kept (and stops the replacement of a
//! view it reads), and all of it in a schema other than `public` too.

mod common;

use postgres::Client;
use schema_core::canonical::canonicalize;
use schema_core::diff::{ChangeKind, Safety};
use schema_core::introspect::introspect;
use schema_core::sync::{sync_schema, verify_schema};
use schema_core::{Outcome, SchemaSet, SyncOptions, Target};
use schema_defs::crm::Crm;

use common::{count, fresh};

const SEED: &str = "
    INSERT INTO organizations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'One');
    INSERT INTO users (id, tenant_id, email, display_name) OVERRIDING SYSTEM VALUE
    VALUES (1, 1, 'ana@one.example', 'Ana');
    INSERT INTO customers (id, tenant_id, owner_id, name, stage) OVERRIDING SYSTEM VALUE
    VALUES (10, 1, 1, 'Acme', 'lead'), (11, 1, 1, 'Birch', 'churned'), (12, 1, NULL, 'Cedar', 'customer');
    INSERT INTO customer_notes (tenant_id, customer_id, body) VALUES (1, 10, 'call'), (1, 10, 'mail');
    UPDATE customers SET deleted_at = now() WHERE id = 12;";

fn synced(schema: &str) -> (schema_core::testing::TestDatabase, Client, Target) {
    let (db, mut client) = fresh();
    let target = Target::new(schema).unwrap();
    let report = sync_schema(
        &mut client,
        &Crm::EXPECTED_SCHEMA,
        &target,
        &SyncOptions::development(),
    )
    .expect("sync");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    client
        .batch_execute(&format!("SET search_path TO \"{schema}\", public; {SEED}"))
        .unwrap();
    (db, client, target)
}

fn pending(client: &mut Client, target: &Target) -> Vec<(ChangeKind, Safety, String)> {
    let options = SyncOptions::development().dry_run();
    let report = sync_schema(client, &Crm::EXPECTED_SCHEMA, target, &options).unwrap();
    report
        .pending
        .iter()
        .map(|c| (c.kind, c.safety, c.object.clone()))
        .collect()
}

fn repair(client: &mut Client, target: &Target) {
    let options = SyncOptions::development();
    let report = sync_schema(client, &Crm::EXPECTED_SCHEMA, target, &options).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    up_to_date(client, target);
    let schema = target.schema();
    assert_eq!(count(client, &format!("\"{schema}\".customers")), 3);
    assert_eq!(count(client, &format!("\"{schema}\".customer_notes")), 2);
}

fn up_to_date(client: &mut Client, target: &Target) {
    let options = SyncOptions::development();
    let report = verify_schema(client, &Crm::EXPECTED_SCHEMA, target, &options).unwrap();
    assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
}

fn pipeline(client: &mut Client) -> Vec<(String, i64)> {
    client
        .query(
            "SELECT owner_name, customers FROM pipeline_by_owner ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[test]
fn views_are_created_after_what_they_read_and_a_second_sync_finds_nothing() {
    let (_db, mut client, target) = synced("public");
    let active: Vec<(i64, i64)> = client
        .query("SELECT id, notes FROM active_customers ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(active, [(10, 2), (11, 0)]);
    assert_eq!(pipeline(&mut client), [("Ana".to_owned(), 1)]);
    assert!(pending(&mut client, &target).is_empty());
    up_to_date(&mut client, &target);

    let live = introspect(&mut client, &["public"]).unwrap();
    let declared = canonicalize(&mut client, &Crm::EXPECTED_SCHEMA.catalog(), "public").unwrap();
    let bodies = |views: &[schema_core::ViewDef]| {
        let mut b: Vec<_> = views
            .iter()
            .map(|v| (v.name.to_string(), v.body.to_string(), v.security_invoker))
            .collect();
        b.sort();
        b
    };
    assert_eq!(bodies(&live.views), bodies(&declared.views));
    let pipeline = live.views.iter().find(|v| v.name == "pipeline_by_owner");
    assert_eq!(
        pipeline.map(|v| v.reads.to_vec()),
        Some(vec!["public.active_customers".into()])
    );
}

#[test]
fn a_drifted_view_is_replaced_together_with_the_view_reading_it() {
    let (_db, mut client, target) = synced("public");
    // Same columns, without the soft-delete filter: CREATE OR REPLACE accepts it.
    client
        .batch_execute(
            "CREATE OR REPLACE VIEW active_customers AS
             SELECT c.id, c.tenant_id, c.name, c.stage, u.display_name AS owner_name,
                    0::bigint AS notes
             FROM customers c LEFT JOIN users u ON u.id = c.owner_id",
        )
        .unwrap();
    assert_eq!(
        pending(&mut client, &target),
        [(
            ChangeKind::ViewDiffers,
            Safety::Safe,
            "public.active_customers".into()
        )]
    );
    repair(&mut client, &target);
    assert_eq!(count(&mut client, "active_customers"), 2);
    assert_eq!(pipeline(&mut client), [("Ana".to_owned(), 1)]);
}

#[test]
fn a_dropped_view_is_created_again() {
    let (_db, mut client, target) = synced("public");
    client.batch_execute("DROP VIEW pipeline_by_owner").unwrap();
    assert_eq!(
        pending(&mut client, &target),
        [(
            ChangeKind::MissingView,
            Safety::Safe,
            "public.pipeline_by_owner".into()
        )]
    );
    repair(&mut client, &target);
    assert_eq!(pipeline(&mut client), [("Ana".to_owned(), 1)]);
}

#[test]
fn a_view_that_lost_security_invoker_gets_it_back() {
    let (_db, mut client, target) = synced("public");
    client
        .batch_execute("ALTER VIEW active_customers RESET (security_invoker)")
        .unwrap();
    assert_eq!(
        pending(&mut client, &target),
        [(
            ChangeKind::ViewDiffers,
            Safety::Safe,
            "public.active_customers".into()
        )]
    );
    repair(&mut client, &target);
}

#[test]
fn an_undeclared_view_is_reported_kept_and_blocks_replacing_what_it_reads() {
    let (_db, mut client, target) = synced("public");
    client
        .batch_execute(
            "CREATE VIEW leads AS SELECT id, name FROM active_customers WHERE stage = 'lead';
             CREATE OR REPLACE VIEW active_customers AS
             SELECT c.id, c.tenant_id, c.name, c.stage, u.display_name AS owner_name,
                    0::bigint AS notes
             FROM customers c LEFT JOIN users u ON u.id = c.owner_id",
        )
        .unwrap();
    assert_eq!(
        pending(&mut client, &target),
        [(
            ChangeKind::ViewDiffers,
            Safety::Review,
            "public.active_customers".into()
        )]
    );
    let options = SyncOptions::development().dry_run();
    let report = sync_schema(&mut client, &Crm::EXPECTED_SCHEMA, &target, &options).unwrap();
    let unmanaged: Vec<_> = report
        .unmanaged
        .iter()
        .map(|c| (c.kind, c.object.as_str()))
        .collect();
    assert_eq!(unmanaged, [(ChangeKind::UnmanagedView, "public.leads")]);
    assert!(
        report.pending[0].detail.contains("public.leads"),
        "{}",
        report.pending[0].detail
    );
    let report = sync_schema(
        &mut client,
        &Crm::EXPECTED_SCHEMA,
        &target,
        &SyncOptions {
            allow_review: true,
            ..SyncOptions::development()
        },
    )
    .unwrap();
    assert!(report.applied.is_empty(), "{report}");
    assert_eq!(
        count(&mut client, "leads"),
        1,
        "the undeclared view is kept"
    );
}

#[test]
fn views_live_in_the_schema_of_their_tables() {
    let (_db, mut client, target) = synced("acme");
    assert_eq!(pipeline(&mut client), [("Ana".to_owned(), 1)]);
    let in_public: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_views WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(in_public, 0);
    client.batch_execute("RESET search_path").unwrap();
    assert!(pending(&mut client, &target).is_empty());
    up_to_date(&mut client, &target);
    client
        .batch_execute("DROP VIEW acme.pipeline_by_owner; DROP VIEW acme.active_customers")
        .unwrap();
    let kinds: Vec<_> = pending(&mut client, &target)
        .into_iter()
        .map(|(k, _, o)| (k, o))
        .collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::MissingView, "acme.active_customers".into()),
            (ChangeKind::MissingView, "acme.pipeline_by_owner".into()),
        ]
    );
    repair(&mut client, &target);
}
