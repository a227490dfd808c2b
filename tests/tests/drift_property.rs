//! Property: whatever drift is made behind the toolkit's back, the changes a
//! development sync applies on its own never destroy anything — no drop (of a table,
//! column, constraint, index, type, trigger or function, no generated column re-made), no type
//! change, no `SET NOT NULL` — and no row is lost; and what a verify answers afterwards
//! (through the fast path when the sync recorded the digest) is what a full comparison
//! finds.

mod common;

use postgres::Client;
use proptest::prelude::*;
use schema_core::canonical::canonicalize;
use schema_core::diff::{Change, ChangeKind, Safety, diff};
use schema_core::introspect::introspect;
use schema_core::{SchemaSet, SyncOptions, SyncReport, sync_with, verify};

use common::accounts::Accounts;
use common::{count, fresh};

/// Drift a person or another tool might cause; some combinations fail (dropping what is
/// already gone), which is fine: each runs on its own and failures are ignored.
const DRIFT: &[&str] = &[
    "DROP INDEX notes_account_id_idx",
    "ALTER TABLE accounts DROP COLUMN nickname",
    "ALTER TABLE accounts ALTER COLUMN email TYPE text",
    "ALTER TABLE accounts ALTER COLUMN email TYPE varchar(50)",
    "ALTER TABLE accounts DROP CONSTRAINT accounts_credits_check",
    "ALTER TABLE accounts ADD COLUMN extra int",
    "CREATE TABLE stray (id int PRIMARY KEY, note text)",
    "ALTER TABLE accounts ALTER COLUMN plan SET DEFAULT 'pro'",
    "ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL",
    "ALTER TABLE notes DROP CONSTRAINT notes_account_id_fkey",
    "ALTER TABLE accounts DROP CONSTRAINT accounts_email_key",
    "ALTER TABLE accounts ALTER COLUMN credits TYPE integer",
    "UPDATE accounts SET nickname = '-' WHERE nickname IS NULL; ALTER TABLE accounts ALTER COLUMN nickname SET NOT NULL",
    "DROP TABLE notes",
    "ALTER TABLE accounts RENAME COLUMN billing_name TO billing",
    "COMMENT ON TABLE notes IS 'changed'",
    "CREATE INDEX accounts_email_extra_idx ON accounts (email)",
    "ALTER TABLE accounts ADD CONSTRAINT accounts_extra_check CHECK (credits < 1000000)",
    "ALTER TABLE accounts DROP CONSTRAINT accounts_plan_check, ADD CONSTRAINT accounts_plan_check CHECK (plan <> '')",
    "ALTER TABLE accounts DROP COLUMN status",
    "DROP INDEX accounts_plan_created_at_idx; CREATE INDEX accounts_plan_created_at_idx ON accounts (plan)",
    "DROP TRIGGER touch_updated_at ON accounts",
    "CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    "ALTER TABLE accounts DISABLE TRIGGER touch_updated_at",
    "CREATE OR REPLACE TRIGGER touch_updated_at AFTER INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION touch_updated_at()",
    "DROP FUNCTION touch_updated_at() CASCADE",
    "ALTER TABLE notes ALTER COLUMN body_length DROP EXPRESSION",
    "ALTER TABLE notes DROP COLUMN body_length",
    "ALTER TABLE notes DROP COLUMN body_length; ALTER TABLE notes ADD COLUMN body_length int GENERATED ALWAYS AS (length(body) + 1) STORED",
    "CREATE FUNCTION stray_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; CREATE TRIGGER stray_trg BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION stray_fn()",
];

/// Statements a sync must never send without an explicit opt-in.
fn is_destructive(sql: &str) -> bool {
    let sql = sql.to_ascii_uppercase();
    let drops = [
        "DROP TABLE",
        "DROP COLUMN",
        "DROP CONSTRAINT",
        "DROP INDEX",
        "DROP TYPE",
        "DROP TRIGGER",
        "DROP FUNCTION",
    ];
    let rewrites = sql.contains("ALTER COLUMN") && sql.contains(" TYPE ");
    drops.iter().any(|d| sql.contains(d))
        || rewrites
        || sql.contains("SET NOT NULL")
        || sql.starts_with("TRUNCATE")
        || sql.starts_with("DELETE")
}

#[test]
fn the_destructive_statement_check_itself() {
    assert!(is_destructive("ALTER TABLE \"a\" DROP COLUMN \"b\""));
    assert!(is_destructive(
        "ALTER TABLE \"a\" ALTER COLUMN \"b\" TYPE text USING \"b\"::text"
    ));
    assert!(is_destructive(
        "ALTER TABLE \"a\" ALTER COLUMN \"b\" SET NOT NULL"
    ));
    assert!(!is_destructive(
        "ALTER TABLE \"a\" ALTER COLUMN \"b\" DROP NOT NULL"
    ));
    assert!(!is_destructive(
        "CREATE TABLE \"n\" (\"a\" integer REFERENCES \"t\" ON DELETE CASCADE)"
    ));
}

fn tables(client: &mut Client) -> Vec<String> {
    client
        .query(
            "SELECT tablename::text FROM pg_tables
             WHERE schemaname = 'public' AND tablename <> 'schema_versions' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// (kind, safety, object) of every change, sorted.
fn kinds<'a>(changes: impl IntoIterator<Item = &'a Change>) -> Vec<(ChangeKind, Safety, String)> {
    let mut all: Vec<_> = changes
        .into_iter()
        .map(|c| (c.kind, c.safety, c.object.clone()))
        .collect();
    all.sort_by(|a, b| (&a.2, a.0 as u8).cmp(&(&b.2, b.0 as u8)));
    all
}

/// A full comparison, made without the history: spell, introspect, diff.
fn full_comparison(client: &mut Client) -> Vec<(ChangeKind, Safety, String)> {
    let declared = canonicalize(client, &Accounts::EXPECTED_SCHEMA.catalog(), "public").unwrap();
    let live = introspect(client, &["public"]).unwrap();
    kinds(&diff(&declared, &live, "public"))
}

fn answered(report: &SyncReport) -> Vec<(ChangeKind, Safety, String)> {
    kinds(report.pending.iter().chain(&report.unmanaged))
}

/// After the sync, no safe fix is left over (what remains needs a person, or is not
/// declared), and a verify answers, twice, what a full comparison finds.
fn settled_as_compared<S: SchemaSet>(
    client: &mut Client,
    drift: &[usize],
) -> Result<(), TestCaseError> {
    let declared = canonicalize(client, &S::EXPECTED_SCHEMA.catalog(), "public").unwrap();
    let live = introspect(client, &["public"]).unwrap();
    let full = kinds(&diff(&declared, &live, "public"));
    prop_assert!(
        full.iter()
            .all(|(kind, safety, _)| kind.is_unmanaged() || *safety != Safety::Safe),
        "{:?} after drift {:?}",
        full,
        drift
    );
    for _ in 0..2 {
        let verified = verify::<S>(client).unwrap();
        prop_assert_eq!(
            answered(&verified),
            full.clone(),
            "fast path {} after drift {:?}",
            verified.fast_path,
            drift
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn automatic_fixes_never_destroy(drift in proptest::collection::vec(0..DRIFT.len(), 1..6)) {
        let (_db, mut client) = fresh();
        sync_with::<Accounts>(&mut client, &SyncOptions::development()).unwrap();
        client.batch_execute(
            "INSERT INTO accounts (email, nickname) VALUES ('a@x', 'a'), ('b@x', NULL);
             INSERT INTO notes (account_id, body) VALUES (1, 'one'), (2, 'two');",
        ).unwrap();
        for &i in &drift {
            let _ = client.batch_execute(DRIFT[i]);
        }
        let before: Vec<(String, i64)> =
            tables(&mut client).into_iter().map(|t| { let n = count(&mut client, &t); (t, n) }).collect();

        let plan = sync_with::<Accounts>(&mut client, &SyncOptions::development().dry_run()).unwrap();
        for change in plan.pending.iter().filter(|c| c.safety == Safety::Safe) {
            for sql in change.sql() {
                prop_assert!(!is_destructive(&sql), "safe change {:?} sends `{}`", change.kind, sql);
            }
        }

        let report = sync_with::<Accounts>(&mut client, &SyncOptions::development()).unwrap();
        for sql in report.statements() {
            prop_assert!(!is_destructive(&sql), "applied `{}` for drift {:?}", sql, drift);
        }
        for (table, rows) in before {
            prop_assert_eq!(count(&mut client, &table), rows, "rows of {} after drift {:?}", table, drift);
        }

        let full = full_comparison(&mut client);
        for _ in 0..2 {
            let verified = verify::<Accounts>(&mut client).unwrap();
            prop_assert_eq!(answered(&verified), full.clone(), "fast path {} after drift {:?}", verified.fast_path, drift);
        }
    }
}

/// A small tenant schema for the drift of row-level security, tenant-safe keys and
/// live-only uniques.
// The fields are the declaration: nothing reads them.
#[allow(dead_code)]
mod tenancy {
    use chrono::{DateTime, Utc};
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "orgs")]
    pub struct Org {
        #[column(primary_key, identity)]
        pub id: i64,
        pub name: String,
    }

    #[derive(Table)]
    #[table(
        name = "members",
        tenant = Org,
        row_security(force),
        tenant_keys,
        soft_delete,
        live_unique(tenant_id, email)
    )]
    pub struct Member {
        #[column(primary_key, identity)]
        pub id: i64,
        pub tenant_id: i64,
        pub email: String,
        pub deleted_at: Option<DateTime<Utc>>,
    }

    #[derive(Table)]
    #[table(name = "tasks", tenant = Org, row_security(setting = "app.org"))]
    pub struct Task {
        #[column(primary_key, identity)]
        pub id: i64,
        pub tenant_id: i64,
        #[column(references = Member, tenant_safe, on_delete = "set null")]
        pub member_id: Option<i64>,
        pub title: String,
    }

    schema_set!(pub Tenancy = [Org, Member, Task]);
}

const TENANCY_DRIFT: &[&str] = &[
    "DROP POLICY members_tenant_isolation ON members",
    "DROP POLICY members_tenant_isolation ON members; CREATE POLICY members_tenant_isolation ON members USING (true)",
    "ALTER POLICY tasks_tenant_isolation ON tasks WITH CHECK (true)",
    "DROP POLICY tasks_tenant_isolation ON tasks",
    "ALTER TABLE members DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE members NO FORCE ROW LEVEL SECURITY",
    "ALTER TABLE tasks FORCE ROW LEVEL SECURITY",
    "ALTER TABLE orgs ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY stray ON tasks USING (true)",
    "CREATE POLICY members_read ON members FOR SELECT TO PUBLIC USING (deleted_at IS NULL)",
    "ALTER TABLE tasks DROP CONSTRAINT tasks_member_id_fkey",
    "ALTER TABLE members DROP CONSTRAINT members_tenant_id_id_key CASCADE",
    "DROP INDEX members_tenant_id_email_key",
    "ALTER TABLE tasks DROP COLUMN member_id",
    "ALTER TABLE tasks DROP CONSTRAINT tasks_member_id_fkey, ADD CONSTRAINT tasks_member_id_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE SET NULL",
];

/// Statements that would widen what a role sees or lose rows: never sent unless the
/// same change creates the policy again (a replaced policy).
fn weakens_isolation(sql: &[String]) -> Option<String> {
    sql.iter().enumerate().find_map(|(i, s)| {
        let upper = s.to_ascii_uppercase();
        let replaced = upper.starts_with("DROP POLICY")
            && sql.get(i + 1).is_some_and(|next| {
                next.to_ascii_uppercase().starts_with("CREATE POLICY")
                    && next.split_whitespace().nth(2) == s.split_whitespace().nth(2)
            });
        let weakens = (upper.starts_with("DROP POLICY") && !replaced)
            || upper.contains("DISABLE ROW LEVEL SECURITY")
            || upper.contains("NO FORCE ROW LEVEL SECURITY");
        (weakens || (is_destructive(s) && !upper.starts_with("DROP POLICY"))).then(|| s.clone())
    })
}

fn policies(client: &mut Client) -> Vec<String> {
    client
        .query("SELECT polname::text FROM pg_policy ORDER BY 1", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn automatic_fixes_never_weaken_isolation(drift in proptest::collection::vec(0..TENANCY_DRIFT.len(), 1..5)) {
        use tenancy::Tenancy;
        let (_db, mut client) = fresh();
        sync_with::<Tenancy>(&mut client, &SyncOptions::development()).unwrap();
        client.batch_execute(
            "INSERT INTO orgs (name) VALUES ('one'), ('two');
             INSERT INTO members (tenant_id, email) VALUES (1, 'a@x'), (2, 'a@x');
             INSERT INTO tasks (tenant_id, member_id, title) VALUES (1, 1, 'one'), (2, 2, 'two');",
        ).unwrap();
        for &i in &drift {
            let _ = client.batch_execute(TENANCY_DRIFT[i]);
        }
        let before: Vec<(String, i64)> = ["orgs", "members", "tasks"]
            .iter()
            .map(|t| (t.to_string(), count(&mut client, t)))
            .collect();
        let policies_before = policies(&mut client);

        let report = sync_with::<Tenancy>(&mut client, &SyncOptions::development()).unwrap();
        for change in &report.applied {
            let sql = change.sql();
            prop_assert!(weakens_isolation(&sql).is_none(), "{:?} sends {:?} for drift {:?}", change.kind, sql, drift);
        }
        for (table, rows) in before {
            prop_assert_eq!(count(&mut client, &table), rows, "rows of {} after drift {:?}", table, drift);
        }
        // Every policy that was there is still there (replaced ones under their name).
        let after = policies(&mut client);
        for name in &policies_before {
            prop_assert!(after.contains(name), "policy {} lost after drift {:?}", name, drift);
        }

        settled_as_compared::<Tenancy>(&mut client, &drift)?;
    }
}

/// A table and two views, the second reading the first, for the drift of views.
// The fields are the declaration: nothing reads them.
#[allow(dead_code)]
mod viewed {
    use schema_core::{Table, View, schema_set};

    #[derive(Table)]
    #[table(name = "orders")]
    pub struct Order {
        #[column(primary_key, identity)]
        pub id: i64,
        pub amount: i32,
    }

    #[derive(View)]
    #[view(sql = "SELECT id, amount, amount * 2 AS doubled FROM orders")]
    pub struct OrderTotals;

    #[derive(View)]
    #[view(sql = "SELECT id FROM order_totals WHERE doubled > 10")]
    pub struct BigOrders;

    schema_set!(pub Viewed = [Order], views = [BigOrders, OrderTotals]);
}

const VIEW_DRIFT: &[&str] = &[
    "DROP VIEW big_orders",
    "DROP VIEW order_totals CASCADE",
    "CREATE OR REPLACE VIEW order_totals AS SELECT id, amount, amount * 3 AS doubled FROM orders",
    "ALTER VIEW order_totals SET (security_invoker = true)",
    "CREATE VIEW stray_view AS SELECT id FROM orders",
    "CREATE VIEW reader AS SELECT * FROM big_orders",
    "DROP VIEW big_orders; CREATE VIEW big_orders AS SELECT id FROM orders",
];

fn views(client: &mut Client) -> Vec<String> {
    client
        .query(
            "SELECT viewname::text FROM pg_views WHERE schemaname = 'public' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn automatic_fixes_keep_undeclared_views_and_settle(drift in proptest::collection::vec(0..VIEW_DRIFT.len(), 1..5)) {
        use viewed::Viewed;
        let (_db, mut client) = fresh();
        sync_with::<Viewed>(&mut client, &SyncOptions::development()).unwrap();
        client.batch_execute("INSERT INTO orders (amount) VALUES (1), (7), (20)").unwrap();
        for &i in &drift {
            let _ = client.batch_execute(VIEW_DRIFT[i]);
        }
        let undeclared: Vec<String> = views(&mut client)
            .into_iter()
            .filter(|v| v != "order_totals" && v != "big_orders")
            .collect();

        sync_with::<Viewed>(&mut client, &SyncOptions::development()).unwrap();
        prop_assert_eq!(count(&mut client, "orders"), 3);
        let after = views(&mut client);
        for name in &undeclared {
            prop_assert!(after.contains(name), "view {} lost after drift {:?}", name, drift);
        }

        settled_as_compared::<Viewed>(&mut client, &drift)?;
    }
}
