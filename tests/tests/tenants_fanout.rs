//! The fan-out over tenant schemas against a real PostgreSQL: drifted tenants fixed,
//! a locked one failing without stopping the others, the untouched ones sent no DDL
//! (an event trigger logs every DDL command the server runs), and two fan-outs at once.

mod common;

use std::time::Duration;

use postgres::Client;
use schema_core::connect::Settings;
use schema_core::tenant::{FanOut, TenantResult, TenantsReport, fan_out, provision};
use schema_core::{SchemaSet, SyncOptions, TenantSet};
use schema_defs::fuel::{self, FuelPlatform};

use common::fresh;

/// The platform synced, a plan to attach tenants to, `n` tenants provisioned
/// (`tenant_00`, …), and a DDL log: every DDL command the server runs from now on, with
/// its schema.
fn platform_with(n: usize) -> (schema_core::testing::TestDatabase, Client, TenantSet) {
    let (db, mut client) = fresh();
    let options = SyncOptions::development();
    schema_core::sync_with::<FuelPlatform>(&mut client, &options).expect("platform sync");
    client
        .batch_execute(
            "INSERT INTO public.plans (code, name, monthly_price, max_stations, max_users)
             VALUES ('basic', 'Basic', 10, 3, 10)",
        )
        .expect("a plan");
    let set = fuel::tenants();
    for i in 0..n {
        let done =
            provision(&mut client, &set, &format!("tenant_{i:02}"), &options).expect("provision");
        assert!(done.row_inserted && done.created_statements > 0, "{done:?}");
    }
    client
        .batch_execute(
            "CREATE TABLE public.ddl_log (id serial, schema_name text, command text, object text);
             CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
             BEGIN
               INSERT INTO public.ddl_log (schema_name, command, object)
               SELECT schema_name, command_tag, object_identity
               FROM pg_event_trigger_ddl_commands();
             END $$;
             CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION public.log_ddl();",
        )
        .expect("the DDL log");
    (db, client, set)
}

/// Every schema the DDL log names, with how many commands ran in it.
fn ddl_by_schema(client: &mut Client) -> Vec<(String, i64)> {
    client
        .query(
            "SELECT schema_name, count(*) FROM public.ddl_log GROUP BY 1 ORDER BY 1",
            &[],
        )
        .expect("the DDL log")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn settings(db: &schema_core::testing::TestDatabase) -> Settings {
    Settings::from_url(db.url()).expect("settings")
}

fn words(report: &TenantsReport) -> Vec<(String, &'static str)> {
    report
        .tenants
        .iter()
        .map(|t| (t.tenant.clone(), t.result.word()))
        .collect()
}

#[test]
fn fifty_tenants_four_fixed_one_failing_on_a_lock_forty_five_untouched() {
    let (db, mut client, set) = platform_with(50);
    client
        .batch_execute(
            "DROP INDEX tenant_01.sales_sold_at_idx;
             DROP TABLE tenant_02.alerts;
             ALTER TABLE tenant_03.users DROP COLUMN phone;
             ALTER TABLE tenant_04.pumps DROP CONSTRAINT pumps_pump_number_check;
             DROP INDEX tenant_05.credit_payments_paid_at_idx;
             TRUNCATE public.ddl_log;",
        )
        .expect("drift");
    // Another session holds tenant_05's table: its fix must wait, and gives up after
    // the short lock_timeout.
    let mut holder = db.connect().expect("a second session");
    let mut lock = holder.transaction().expect("begin");
    lock.batch_execute("LOCK TABLE tenant_05.credit_payments IN ACCESS EXCLUSIVE MODE")
        .expect("lock");

    let mut options = SyncOptions::development();
    options.lock_timeout = Duration::from_millis(200);
    let fan = FanOut {
        parallel: 3,
        ..FanOut::sync(options.clone())
    };
    let report = fan_out(&settings(&db), &set, &fan).expect("fan-out");
    let problems: Vec<_> = words(&report)
        .into_iter()
        .filter(|(_, w)| *w != "up-to-date")
        .collect();
    assert_eq!(
        problems,
        [
            ("tenant_01".to_owned(), "fixed"),
            ("tenant_02".to_owned(), "fixed"),
            ("tenant_03".to_owned(), "fixed"),
            ("tenant_04".to_owned(), "fixed"),
            ("tenant_05".to_owned(), "failed"),
        ],
        "{report}"
    );
    let TenantResult::Failed { error } = &report.tenant("tenant_05").unwrap().result else {
        unreachable!()
    };
    assert!(error.contains("lock"), "{error}");
    assert_eq!(report.totals.up_to_date, 45, "{report}");
    assert!(report.peak_connections <= 4, "{report}");
    assert!(report.has_problems());
    // Every up-to-date tenant was settled by the two batched queries.
    assert!(report.tenants.iter().all(|t| match t.result {
        TenantResult::UpToDate { fast_path } => fast_path,
        _ => true,
    }));
    // DDL reached the four fixed tenants and nothing else (tenant_05's rolled back).
    let schemas: Vec<String> = ddl_by_schema(&mut client)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(
        schemas,
        ["tenant_01", "tenant_02", "tenant_03", "tenant_04"],
        "{report}"
    );

    lock.rollback().expect("release the lock");
    client.batch_execute("TRUNCATE public.ddl_log").unwrap();
    let again = fan_out(&settings(&db), &set, &fan).expect("second fan-out");
    let problems: Vec<_> = words(&again)
        .into_iter()
        .filter(|(_, w)| *w != "up-to-date")
        .collect();
    assert_eq!(problems, [("tenant_05".to_owned(), "fixed")], "{again}");
    assert!(!again.has_problems());
    let schemas: Vec<String> = ddl_by_schema(&mut client)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(schemas, ["tenant_05"]);

    // A third run: nothing left, every tenant on the fast path.
    let third = fan_out(&settings(&db), &set, &FanOut::verify(options)).expect("verify");
    assert_eq!(third.totals.up_to_date, 50, "{third}");
}

#[test]
fn verify_and_dry_run_change_nothing_and_production_refuses() {
    let (db, mut client, set) = platform_with(3);
    client
        .batch_execute(
            "DROP INDEX tenant_01.sales_sold_at_idx;
             ALTER TABLE tenant_02.users ALTER COLUMN full_name TYPE text;
             TRUNCATE public.ddl_log;",
        )
        .expect("drift");
    let verify = fan_out(
        &settings(&db),
        &set,
        &FanOut::verify(SyncOptions::development()),
    )
    .expect("verify");
    assert_eq!(
        words(&verify),
        [
            ("tenant_00".to_owned(), "up-to-date"),
            ("tenant_01".to_owned(), "drifted"),
            ("tenant_02".to_owned(), "drifted"),
        ],
        "{verify}"
    );
    let dry = fan_out(
        &settings(&db),
        &set,
        &FanOut::sync(SyncOptions::development().dry_run()),
    )
    .expect("dry run");
    assert_eq!(dry.tenant("tenant_01").unwrap().result.word(), "planned");
    let production = fan_out(
        &settings(&db),
        &set,
        &FanOut::sync(SyncOptions::production()),
    )
    .expect("production");
    assert_eq!(
        production.tenant("tenant_02").unwrap().result.word(),
        "refused",
        "{production}"
    );
    assert!(ddl_by_schema(&mut client).is_empty());

    // Development fixes the safe index and leaves the type change for a person.
    let dev = fan_out(
        &settings(&db),
        &set,
        &FanOut::sync(SyncOptions::development()),
    )
    .expect("sync");
    assert_eq!(dev.tenant("tenant_01").unwrap().result.word(), "fixed");
    assert_eq!(dev.tenant("tenant_02").unwrap().result.word(), "drifted");
    let json: serde_json::Value = serde_json::from_str(&dev.to_json()).unwrap();
    assert_eq!(json["totals"]["fixed"], 1, "{json}");
    assert_eq!(json["tenants"][1]["outcome"], "fixed", "{json}");
}

#[test]
fn two_fan_outs_at_once_both_succeed_and_apply_each_change_once() {
    let (db, mut client, set) = platform_with(8);
    client
        .batch_execute(
            "DROP INDEX tenant_01.sales_sold_at_idx;
             DROP INDEX tenant_03.sales_sold_at_idx;
             DROP TABLE tenant_06.alerts;
             TRUNCATE public.ddl_log;",
        )
        .expect("drift");
    let platform = settings(&db);
    let (a, b) = std::thread::scope(|s| {
        let run = || {
            fan_out(
                &platform,
                &set,
                &FanOut {
                    parallel: 2,
                    ..FanOut::sync(SyncOptions::development())
                },
            )
        };
        let a = s.spawn(run);
        let b = s.spawn(run);
        (a.join().unwrap(), b.join().unwrap())
    });
    let (a, b) = (a.expect("first"), b.expect("second"));
    for tenant in ["tenant_01", "tenant_03", "tenant_06"] {
        let fixed = [&a, &b]
            .iter()
            .filter(|r| r.tenant(tenant).unwrap().result.word() == "fixed")
            .count();
        assert_eq!(fixed, 1, "{tenant}\n{a}\n{b}");
    }
    assert!(!a.has_problems() && !b.has_problems(), "{a}\n{b}");
    // Each object was created once, by whichever fan-out got the tenant's lock first.
    let twice: Vec<String> = client
        .query(
            "SELECT object FROM public.ddl_log WHERE command LIKE 'CREATE %'
             GROUP BY 1 HAVING count(*) > 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(twice.is_empty(), "{twice:?}");
    let created: Vec<String> = client
        .query(
            "SELECT object FROM public.ddl_log WHERE command LIKE 'CREATE %' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for object in [
        "tenant_01.sales_sold_at_idx",
        "tenant_03.sales_sold_at_idx",
        "tenant_06.alerts",
    ] {
        assert!(created.iter().any(|c| c == object), "{object}: {created:?}");
    }
}

#[test]
fn tenants_on_other_databases_are_handled_by_the_same_call() {
    let (db, _client, _) = platform_with(0);
    let (other, mut other_client) = fresh();
    let options = SyncOptions::development();
    let urls = vec![
        ("tenant_far".to_owned(), other.url().to_owned()),
        ("tenant_near".to_owned(), db.url().to_owned()),
    ];
    let set = TenantSet::new(
        FuelPlatform::EXPECTED_SCHEMA,
        fuel::FuelTenant::EXPECTED_SCHEMA,
        schema_core::TenantSource::Urls(urls),
    );
    provision(&mut other_client, &set, "tenant_far", &options).expect("far");
    other_client
        .batch_execute("DROP INDEX tenant_far.sales_sold_at_idx")
        .unwrap();
    let report = fan_out(&settings(&db), &set, &FanOut::sync(options)).expect("fan-out");
    // tenant_near was never provisioned: the sync creates it.
    let mut found = words(&report);
    found.sort();
    assert_eq!(
        found,
        [
            ("tenant_far".to_owned(), "fixed"),
            ("tenant_near".to_owned(), "fixed")
        ],
        "{report}"
    );
    assert!(report.tenants.iter().all(|t| t.server.is_some()));
    assert!(!report.to_string().contains("password"));
}

#[test]
fn settled_tenants_are_recorded_and_a_drift_behind_the_record_is_still_found() {
    let (db, mut client, set) = platform_with(3);
    let verify = FanOut::verify(SyncOptions::development());
    let first = fan_out(&settings(&db), &set, &verify).expect("fan-out");
    assert_eq!(first.totals.up_to_date, 3, "{first}");
    let recorded: i64 = client
        .query_one("SELECT count(*) FROM public.schema_tenant_settled", &[])
        .expect("the record of settled tenants")
        .get(0);
    assert_eq!(recorded, 3);

    client
        .batch_execute("DROP INDEX tenant_01.nozzle_readings_recorded_at_idx")
        .unwrap();
    let second = fan_out(&settings(&db), &set, &verify).expect("fan-out");
    assert_eq!(
        words(&second),
        [
            ("tenant_00".to_owned(), "up-to-date"),
            ("tenant_01".to_owned(), "drifted"),
            ("tenant_02".to_owned(), "up-to-date"),
        ]
    );

    // A sync fixes it and records the tenant at its new digest.
    let recorded_digest = |client: &mut Client| -> String {
        client
            .query_one(
                "SELECT live_digest FROM public.schema_tenant_settled WHERE schema_name = 'tenant_01'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let before = recorded_digest(&mut client);
    let sync = fan_out(
        &settings(&db),
        &set,
        &FanOut::sync(SyncOptions::development()),
    )
    .expect("fan-out");
    assert_eq!(sync.totals.fixed, 1, "{sync}");
    assert_ne!(recorded_digest(&mut client), before);
    let third = fan_out(&settings(&db), &set, &verify).expect("fan-out");
    assert_eq!(third.totals.up_to_date, 3, "{third}");

    // The record is the toolkit's own table: the platform's sync does not report it.
    let options = SyncOptions::development().dry_run();
    let platform = schema_core::sync_with::<FuelPlatform>(&mut client, &options).unwrap();
    assert!(
        !platform
            .unmanaged
            .iter()
            .any(|c| c.object == "public.schema_tenant_settled"),
        "{platform}"
    );
}
