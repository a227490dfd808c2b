//! Row-level security of the multi-tenant `crm` against a real PostgreSQL, seen by a
//! login role created here that owns nothing and is no superuser (superusers and table
//! owners bypass the policies, so the tests' own connection would prove nothing).

mod common;

use postgres::error::SqlState;
use postgres::{Client, NoTls};
use schema_core::diff::{ChangeKind, Safety};
use schema_core::tenant_session::{set_tenant, with_tenant};
use schema_core::testing::TestDatabase;
use schema_core::{Outcome, SyncOptions, sync_with};
use schema_defs::crm::Crm;

use common::fresh;

/// Two organizations, each with a user and a customer: tenant 1 has user 1 and customer
/// 10, tenant 2 has user 2 and customer 20.
const SEED: &str = "
    INSERT INTO organizations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'One'), (2, 'Two');
    INSERT INTO users (id, tenant_id, email, display_name) OVERRIDING SYSTEM VALUE
    VALUES (1, 1, 'ana@one.example', 'Ana'), (2, 2, 'ben@two.example', 'Ben');
    INSERT INTO customers (id, tenant_id, owner_id, name) OVERRIDING SYSTEM VALUE
    VALUES (10, 1, 1, 'Acme'), (20, 2, 2, 'Birch');";

/// A synced, seeded crm database and a connection as its owner.
fn seeded() -> (TestDatabase, Client) {
    let (db, mut owner) = fresh();
    sync_with::<Crm>(&mut owner, &SyncOptions::development()).expect("sync");
    owner.batch_execute(SEED).expect("seed");
    (db, owner)
}

/// A login role that may read and write every table and owns none, and a connection
/// as that role. Dropped with [`drop_role`].
fn app_role(db: &TestDatabase, owner: &mut Client) -> (String, Client) {
    let role = format!("{}_app", db.name());
    owner
        .batch_execute(&format!(
            "CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOBYPASSRLS;
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{role}\";
             GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \"{role}\";"
        ))
        .expect("create the app role");
    let mut config = db.config().clone();
    config.user(&role);
    let client = config.connect(NoTls).expect("connect as the app role");
    (role, client)
}

fn drop_role(owner: &mut Client, role: &str) {
    owner
        .batch_execute(&format!("DROP OWNED BY \"{role}\"; DROP ROLE \"{role}\";"))
        .expect("drop the app role");
}

fn ids(client: &mut impl postgres::GenericClient, table: &str) -> Vec<i64> {
    client
        .query(&format!("SELECT id FROM {table} ORDER BY id"), &[])
        .expect("select")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn code(error: &postgres::Error) -> Option<&SqlState> {
    error.code()
}

#[test]
fn a_tenant_sees_only_its_own_customers_through_the_views() {
    let (db, mut owner) = seeded();
    let (role, mut app) = app_role(&db, &mut owner);
    let seen = with_tenant(&mut app, 2, |tx| {
        let pipeline: Vec<(String, i64)> = tx
            .query("SELECT owner_name, customers FROM pipeline_by_owner", &[])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        Ok((ids(tx, "active_customers"), pipeline))
    })
    .expect("read as tenant 2");
    assert_eq!(seen, (vec![20], vec![("Ben".to_owned(), 1)]));
    drop_role(&mut owner, &role);
}

#[test]
fn a_tenant_reads_and_writes_only_its_own_rows() {
    let (db, mut owner) = seeded();
    let (role, mut app) = app_role(&db, &mut owner);

    let seen = with_tenant(&mut app, 1, |tx| {
        Ok((ids(tx, "users"), ids(tx, "customers")))
    })
    .expect("read as tenant 1");
    assert_eq!(seen, (vec![1], vec![10]));
    let seen = with_tenant(&mut app, 2, |tx| Ok(ids(tx, "customers"))).expect("tenant 2");
    assert_eq!(seen, [20]);

    // Inserting a row of another tenant is refused by the policy's WITH CHECK.
    let mut tx = app.transaction().unwrap();
    set_tenant(&mut tx, 1).unwrap();
    let error = tx
        .execute(
            "INSERT INTO customers (tenant_id, name) VALUES (2, 'Smuggled')",
            &[],
        )
        .unwrap_err();
    assert_eq!(
        code(&error),
        Some(&SqlState::INSUFFICIENT_PRIVILEGE),
        "{error:?}"
    );
    drop(tx);

    // Another tenant's row cannot be updated (it is not visible), nor can a row be moved
    // to another tenant.
    let mut tx = app.transaction().unwrap();
    set_tenant(&mut tx, 1).unwrap();
    let updated = tx
        .execute("UPDATE customers SET name = 'Taken' WHERE id = 20", &[])
        .unwrap();
    assert_eq!(updated, 0);
    let error = tx
        .execute("UPDATE customers SET tenant_id = 2 WHERE id = 10", &[])
        .unwrap_err();
    assert_eq!(
        code(&error),
        Some(&SqlState::INSUFFICIENT_PRIVILEGE),
        "{error:?}"
    );
    drop(tx);

    // Without a tenant (never set, or after a transaction that set one): no rows, and
    // no insert.
    assert!(ids(&mut app, "customers").is_empty());
    assert!(ids(&mut app, "users").is_empty());
    let error = app
        .execute(
            "INSERT INTO customers (tenant_id, name) VALUES (1, 'Nobody')",
            &[],
        )
        .unwrap_err();
    assert_eq!(
        code(&error),
        Some(&SqlState::INSUFFICIENT_PRIVILEGE),
        "{error:?}"
    );

    // The owner's rows are all still there, untouched.
    let names: Vec<String> = owner
        .query("SELECT name FROM customers ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["Acme", "Birch"]);
    drop(app);
    drop_role(&mut owner, &role);
}

#[test]
fn the_tenant_is_a_bound_parameter() {
    let (db, mut owner) = seeded();
    let (role, mut app) = app_role(&db, &mut owner);
    // A value that would be SQL if spliced in is only a tenant that matches nothing.
    let seen = with_tenant(&mut app, "1' OR true --", |tx| {
        let setting: String = tx
            .query_one("SELECT current_setting('app.tenant_id')", &[])?
            .get(0);
        assert_eq!(setting, "1' OR true --");
        Ok(tx.query("SELECT id FROM customers", &[])?.len())
    });
    // The cast to bigint rejects the text: nothing is read.
    let error = seen.unwrap_err();
    assert_eq!(
        code(&error),
        Some(&SqlState::INVALID_TEXT_REPRESENTATION),
        "{error:?}"
    );
    drop(app);
    drop_role(&mut owner, &role);
}

#[test]
fn a_drifted_policy_is_repaired_with_no_row_lost() {
    let (db, mut owner) = seeded();
    owner
        .batch_execute(
            "DROP POLICY customers_tenant_isolation ON customers;
             CREATE POLICY customers_tenant_isolation ON customers USING (true);
             DROP POLICY customer_notes_tenant_isolation ON customer_notes;
             ALTER TABLE users DISABLE ROW LEVEL SECURITY;
             CREATE POLICY audit_reads ON customers AS RESTRICTIVE FOR SELECT USING (true);",
        )
        .unwrap();

    let report = sync_with::<Crm>(&mut owner, &SyncOptions::development()).expect("repair");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    let mut applied: Vec<(ChangeKind, &str)> = report
        .applied
        .iter()
        .map(|c| (c.kind, c.object.as_str()))
        .collect();
    applied.sort_by_key(|(_, object)| object.to_owned());
    assert_eq!(
        applied,
        [
            (
                ChangeKind::MissingPolicy,
                "public.customer_notes.customer_notes_tenant_isolation"
            ),
            (
                ChangeKind::PolicyDiffers,
                "public.customers.customers_tenant_isolation"
            ),
            (ChangeKind::MissingRowSecurity, "public.users"),
        ],
        "{report}"
    );
    assert!(report.applied.iter().all(|c| c.safety == Safety::Safe));
    // The changed policy is dropped and created again by one change, in one transaction.
    let replaced = report
        .applied
        .iter()
        .find(|c| c.kind == ChangeKind::PolicyDiffers)
        .unwrap();
    let sql = replaced.sql();
    assert!(
        sql[0].starts_with("DROP POLICY \"customers_tenant_isolation\""),
        "{sql:?}"
    );
    assert!(
        sql[1].starts_with("CREATE POLICY \"customers_tenant_isolation\""),
        "{sql:?}"
    );
    let json = serde_json::to_value(replaced).unwrap();
    assert_eq!(json["kind"], "policy-differs");
    assert_eq!(json["safety"], "safe");

    // The undeclared policy is reported, never dropped.
    let unmanaged: Vec<(ChangeKind, &str)> = report
        .unmanaged
        .iter()
        .map(|c| (c.kind, c.object.as_str()))
        .collect();
    assert_eq!(
        unmanaged,
        [(ChangeKind::UnmanagedPolicy, "public.customers.audit_reads")]
    );
    let kept: i64 = owner
        .query_one(
            "SELECT count(*) FROM pg_policy WHERE polname = 'audit_reads'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(kept, 1);

    // Every row is still there, and the repaired policies isolate again.
    assert_eq!(ids(&mut owner, "customers"), [10, 20]);
    assert_eq!(ids(&mut owner, "users"), [1, 2]);
    let (role, mut app) = app_role(&db, &mut owner);
    let seen = with_tenant(&mut app, 2, |tx| {
        Ok((ids(tx, "users"), ids(tx, "customers")))
    })
    .expect("read as tenant 2");
    assert_eq!(seen, (vec![2], vec![20]));
    drop(app);
    drop_role(&mut owner, &role);

    let again = sync_with::<Crm>(&mut owner, &SyncOptions::development()).expect("verify");
    assert!(again.applied.is_empty(), "{again}");
    assert_eq!(again.unmanaged.len(), 1, "{again}");
}

#[test]
fn row_security_left_on_a_table_that_does_not_declare_it_is_unmanaged() {
    let (_db, mut owner) = seeded();
    owner
        .batch_execute("ALTER TABLE organizations ENABLE ROW LEVEL SECURITY")
        .unwrap();
    let report = sync_with::<Crm>(&mut owner, &SyncOptions::development()).expect("sync");
    let kinds: Vec<(ChangeKind, &str)> = report
        .unmanaged
        .iter()
        .map(|c| (c.kind, c.object.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [(ChangeKind::UnmanagedRowSecurity, "public.organizations")],
        "{report}"
    );
    let still: bool = owner
        .query_one(
            "SELECT relrowsecurity FROM pg_class WHERE oid = 'organizations'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(still, "an unmanaged flag is never cleared");
}

#[test]
fn a_changed_policy_names_the_part_that_differs() {
    let (_db, mut owner) = seeded();
    owner
        .batch_execute("ALTER POLICY customers_tenant_isolation ON customers WITH CHECK (true)")
        .unwrap();
    let report = sync_with::<Crm>(&mut owner, &SyncOptions::development().dry_run()).expect("plan");
    let changes: Vec<(ChangeKind, &str, &str)> = report
        .pending
        .iter()
        .map(|c| (c.kind, c.object.as_str(), c.detail.as_str()))
        .collect();
    assert_eq!(
        changes,
        [(
            ChangeKind::PolicyDiffers,
            "public.customers.customers_tenant_isolation",
            "with check: expected (tenant_id = (NULLIF(current_setting('app.tenant_id'::text, \
             true), ''::text))::bigint), found true"
        )],
        "{report}"
    );
}
