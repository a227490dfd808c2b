//! Provisioning and retiring tenants, and tenant names from data, against a real
//! PostgreSQL.

mod common;

use postgres::Client;
use schema_core::connect::Settings;
use schema_core::sync::verify_schema;
use schema_core::tenant::{FanOut, TenantError, fan_out, provision, retire};
use schema_core::{Outcome, SchemaSet, SyncOptions, TenantSet, TenantSource};
use schema_defs::fuel::{self, FuelPlatform, FuelTenant};

use common::fresh;

fn platform() -> (schema_core::testing::TestDatabase, Client, TenantSet) {
    let (db, mut client) = fresh();
    schema_core::sync_with::<FuelPlatform>(&mut client, &SyncOptions::development())
        .expect("platform sync");
    client
        .batch_execute(
            "INSERT INTO public.plans (code, name, monthly_price, max_stations, max_users)
             VALUES ('basic', 'Basic', 10, 3, 10)",
        )
        .expect("a plan");
    (db, client, fuel::tenants())
}

fn count(client: &mut Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).expect(sql).get(0)
}

#[test]
fn provisioning_twice_creates_once_and_the_result_matches_the_declaration() {
    let (_db, mut client, set) = platform();
    let options = SyncOptions::development();
    let first = provision(&mut client, &set, "tenant_acme", &options).expect("first");
    assert!(
        first.row_inserted && first.created_statements > 11,
        "{first:?}"
    );
    let second = provision(&mut client, &set, "tenant_acme", &options).expect("second");
    assert!(!second.row_inserted && second.created_statements == 0);
    assert_eq!(second.sync.unwrap().outcome, Outcome::UpToDate);
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM public.tenants WHERE schema_name = 'tenant_acme'"
        ),
        1
    );
    // Without the history the comparison is made in full, and finds nothing either.
    client
        .batch_execute("DELETE FROM tenant_acme.schema_versions")
        .unwrap();
    let target = schema_core::Target::new("tenant_acme").unwrap();
    let report = verify_schema(&mut client, &FuelTenant::EXPECTED_SCHEMA, &target, &options)
        .expect("verify");
    assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
    assert!(!report.fast_path);
}

#[test]
fn a_half_made_tenant_is_completed_by_provisioning() {
    let (_db, mut client, set) = platform();
    let options = SyncOptions::development();
    provision(&mut client, &set, "tenant_half", &options).expect("provision");
    client
        .batch_execute("DROP TABLE tenant_half.alerts; DELETE FROM public.tenants")
        .unwrap();
    let again = provision(&mut client, &set, "tenant_half", &options).expect("again");
    assert!(again.row_inserted);
    assert_eq!(again.sync.unwrap().outcome, Outcome::Applied);
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'tenant_half' AND tablename = 'alerts'"
        ),
        1
    );
}

#[test]
fn an_invalid_tenant_name_is_refused_and_nothing_changes() {
    let (db, mut client, set) = platform();
    let options = SyncOptions::development();
    let err = provision(&mut client, &set, "Robert'); DROP TABLE x; --", &options).unwrap_err();
    assert!(matches!(err, TenantError::InvalidName(_)), "{err}");
    assert!(err.to_string().contains("cannot be a schema name"), "{err}");
    assert_eq!(count(&mut client, "SELECT count(*) FROM public.tenants"), 0);

    // A bad name in the platform table (its check removed by hand) stops the whole
    // fan-out before it changes anything, drifted tenants included.
    provision(&mut client, &set, "tenant_ok", &options).expect("provision");
    client
        .batch_execute(
            "DROP INDEX tenant_ok.sales_sold_at_idx;
             ALTER TABLE public.tenants DROP CONSTRAINT tenants_schema_name_check;
             INSERT INTO public.tenants (plan_id, name, schema_name)
             SELECT id, 'bad', 'Tenant X' FROM public.plans",
        )
        .unwrap();
    let settings = Settings::from_url(db.url()).unwrap();
    let err = fan_out(&settings, &set, &FanOut::sync(options.clone())).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("`Tenant X` cannot be a schema name: it starts with `T`")
            && message.contains("nothing was changed"),
        "{message}"
    );
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'tenant_ok' AND indexname = 'sales_sold_at_idx'"
        ),
        0
    );

    // The same from an explicit list.
    let listed = TenantSet::new(
        FuelPlatform::EXPECTED_SCHEMA,
        FuelTenant::EXPECTED_SCHEMA,
        TenantSource::Explicit(vec!["tenant_new".into(), "pg_catalog".into()]),
    );
    let err = fan_out(&settings, &listed, &FanOut::sync(options)).unwrap_err();
    assert!(err.to_string().contains("reserves"), "{err}");
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_new'"
        ),
        0
    );
}

#[test]
fn retiring_keeps_the_schema_unless_asked_and_then_writes_the_rows_out_first() {
    let (db, mut client, set) = platform();
    let options = SyncOptions::development();
    for name in ["tenant_a", "tenant_b"] {
        provision(&mut client, &set, name, &options).expect("provision");
    }
    client
        .batch_execute(
            "INSERT INTO tenant_b.users (email, full_name, password_hash)
             VALUES ('a@b.c', 'Ann', 'x'), ('d@e.f', 'Dan', 'y')",
        )
        .unwrap();

    let kept = retire(&mut client, &set, "tenant_a", None, &options).expect("retire");
    assert!(kept.row_soft_deleted && !kept.schema_dropped && kept.exported.is_empty());
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_a'"
        ),
        1
    );
    let settings = Settings::from_url(db.url()).unwrap();
    let report = fan_out(&settings, &set, &FanOut::verify(options.clone())).unwrap();
    let listed: Vec<&str> = report.tenants.iter().map(|t| t.tenant.as_str()).collect();
    assert_eq!(listed, ["tenant_b"]);

    let dir = tempfile::tempdir().unwrap();
    let dropped = retire(&mut client, &set, "tenant_b", Some(dir.path()), &options).expect("drop");
    assert!(dropped.schema_dropped, "{dropped:?}");
    let users = std::fs::read_to_string(dir.path().join("tenant_b/users.copy")).unwrap();
    assert_eq!(users.lines().count(), 2, "{users}");
    assert!(
        users.contains("a@b.c") && users.contains("d@e.f"),
        "{users}"
    );
    assert!(dir.path().join("tenant_b/sales.copy").exists());
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_b'"
        ),
        0
    );
}
