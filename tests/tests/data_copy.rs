//! `data::copy` against a real PostgreSQL: parents first, existing keys skipped,
//! sequences moved on, an audit row, one transaction, and the refusals.

use postgres::Client;
use schema_core::data::{
    CopyOptions, CopyReport, DataError, Key, KeyValue, ParentPolicy, RowSelection, Side, copy,
};
use schema_core::testing::TestDatabase;
use schema_core::{SchemaSet, SyncOptions, Target, sync_with};
use schema_defs::crm::Crm;

fn synced() -> (TestDatabase, Client) {
    let db = TestDatabase::create().expect("a test database");
    let mut client = db.connect().expect("a connection");
    sync_with::<Crm>(&mut client, &SyncOptions::development()).expect("sync");
    (db, client)
}

const T: &str = "'2026-01-01'";

fn users(ids: &[i64]) -> String {
    let rows: Vec<String> = ids
        .iter()
        .map(|i| format!("({i}, 1, 'u{i}@example.com', 'User {i}', {T}, {T})"))
        .collect();
    format!(
        "INSERT INTO organizations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Sales');
         INSERT INTO users (id, tenant_id, email, display_name, created_at, updated_at)
         OVERRIDING SYSTEM VALUE VALUES {};",
        rows.join(", ")
    )
}

fn customers(rows: &[(i64, i64)]) -> String {
    let rows: Vec<String> = rows
        .iter()
        .map(|(id, owner)| format!("({id}, 1, {owner}, 'Customer {id}', {T}, {T})"))
        .collect();
    format!(
        "INSERT INTO customers (id, tenant_id, owner_id, name, created_at, updated_at)
         OVERRIDING SYSTEM VALUE VALUES {};",
        rows.join(", ")
    )
}

/// Source: users 1–3, customers 1, 2, 5 and 6 (owned by user 3), notes 10 and 11 on
/// customer 6 by user 3. Target: users 1–2, customers 1, 2 and 5.
fn seeded() -> (TestDatabase, Client, TestDatabase, Client) {
    let (a, mut source) = synced();
    let (b, mut target) = synced();
    source
        .batch_execute(&format!(
            "{}{}
             INSERT INTO customer_notes (id, tenant_id, customer_id, author_id, body, created_at, updated_at)
             OVERRIDING SYSTEM VALUE VALUES (10, 1, 6, 3, 'call back', {T}, {T}),
                                            (11, 1, 6, NULL, 'sent offer', {T}, {T});",
            users(&[1, 2, 3]),
            customers(&[(1, 1), (2, 1), (5, 2), (6, 3)])
        ))
        .expect("source rows");
    target
        .batch_execute(&format!(
            "{}{}",
            users(&[1, 2]),
            customers(&[(1, 1), (2, 1), (5, 2)])
        ))
        .expect("target rows");
    (a, source, b, target)
}

fn run(
    source: &mut Client,
    target: &mut Client,
    options: &CopyOptions,
) -> Result<CopyReport, DataError> {
    let schema = Target::default();
    copy(
        Side::new(source, &schema),
        Side::new(target, &schema),
        &Crm::EXPECTED_SCHEMA,
        options,
    )
}

fn keys(ids: &[i64]) -> Vec<Key> {
    ids.iter().map(|&i| Key(vec![KeyValue::Int(i)])).collect()
}

fn ids(client: &mut Client, table: &str) -> Vec<i64> {
    client
        .query(&format!("SELECT id FROM {table} ORDER BY id"), &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn audit_rows(client: &mut Client) -> Vec<(String, String)> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_versions') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    if !exists {
        return Vec::new();
    }
    client
        .query(
            "SELECT outcome, notes FROM schema_versions WHERE kind = 'data-copy' ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn notes_and_a_known_customer() -> CopyOptions {
    CopyOptions {
        selection: vec![
            ("customer_notes".into(), RowSelection::Keys(keys(&[10, 11]))),
            ("customers".into(), RowSelection::Keys(keys(&[1]))),
        ],
        ..Default::default()
    }
}

#[test]
fn brings_parents_skips_existing_keys_moves_sequences_and_audits() {
    let (a, mut source, _b, mut target) = seeded();

    // The default is a dry run: the plan, and nothing written.
    let options = notes_and_a_known_customer();
    let report = run(&mut source, &mut target, &options).expect("dry run");
    assert!(!report.applied);
    let plan = &report.plan;
    assert_eq!(
        plan.table("customer_notes").unwrap().selected,
        keys(&[10, 11])
    );
    let customers = plan.table("customers").unwrap();
    assert_eq!(customers.skipped_existing, keys(&[1]));
    assert!(customers.selected.is_empty());
    assert_eq!(customers.parents_added, keys(&[6]));
    assert_eq!(plan.table("users").unwrap().parents_added, keys(&[3]));
    assert_eq!(plan.rows(), 4);
    assert_eq!(ids(&mut target, "customers"), [1, 2, 5]);
    assert!(audit_rows(&mut target).is_empty());

    let report = run(
        &mut source,
        &mut target,
        &CopyOptions {
            apply: true,
            actor: Some("ana".into()),
            ..options
        },
    )
    .expect("copy");
    assert!(report.applied);
    assert_eq!(ids(&mut target, "users"), [1, 2, 3]);
    assert_eq!(ids(&mut target, "customers"), [1, 2, 5, 6]);
    assert_eq!(ids(&mut target, "customer_notes"), [10, 11]);
    // Copied as they are in the source, NULLs included.
    let author: Option<i64> = target
        .query_one("SELECT author_id FROM customer_notes WHERE id = 11", &[])
        .unwrap()
        .get(0);
    assert_eq!(author, None);

    // The sequences are past the copied keys: inserts without a key succeed.
    let next: i64 = target
        .query_one(
            "INSERT INTO customers (tenant_id, name, created_at, updated_at) VALUES (1, 'New', now(), now())
             RETURNING id",
            &[],
        )
        .expect("an insert without a key")
        .get(0);
    assert_eq!(next, 7);
    target
        .batch_execute(
            "INSERT INTO customer_notes (tenant_id, customer_id, body, created_at, updated_at)
             VALUES (1, 6, 'next', now(), now())",
        )
        .expect("a note without a key");

    let audit = audit_rows(&mut target);
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].0, "applied");
    let notes: serde_json::Value = serde_json::from_str(&audit[0].1).unwrap();
    assert_eq!(notes["who"], "ana");
    assert_eq!(notes["from"]["database"], a.name());
    assert_eq!(
        notes["rows"],
        serde_json::json!({"users": 1, "customers": 1, "customer_notes": 2})
    );
    assert!(report.history_id.is_some());
}

#[test]
fn everything_missing_and_keys_the_source_lacks() {
    let (_a, mut source, _b, mut target) = seeded();
    let report = run(
        &mut source,
        &mut target,
        &CopyOptions {
            apply: true,
            ..Default::default()
        },
    )
    .expect("copy");
    // Three rows of the demo tables, and the source's audit entry the target lacks.
    assert_eq!(report.plan.rows(), 5);
    assert_eq!(ids(&mut target, "customer_notes"), [10, 11]);
    // Nothing is missing any more: a second run copies nothing.
    let again = run(&mut source, &mut target, &CopyOptions::default()).unwrap();
    assert_eq!(again.plan.rows(), 0);

    let asked = CopyOptions {
        selection: vec![("customers".into(), RowSelection::Keys(keys(&[6, 99])))],
        ..Default::default()
    };
    let report = run(&mut source, &mut target, &asked).unwrap();
    let customers = report.plan.table("customers").unwrap();
    assert_eq!(customers.skipped_existing, keys(&[6]));
    assert_eq!(customers.not_in_source, keys(&[99]));
}

#[test]
fn missing_parents_can_be_refused() {
    let (_a, mut source, _b, mut target) = seeded();
    let options = CopyOptions {
        selection: vec![("customer_notes".into(), RowSelection::Keys(keys(&[10])))],
        parents: ParentPolicy::Refuse,
        apply: true,
        ..Default::default()
    };
    let error = run(&mut source, &mut target, &options).unwrap_err();
    assert!(matches!(error, DataError::MissingParents { .. }), "{error}");
    assert!(error.to_string().contains("customers 6"), "{error}");
    assert!(ids(&mut target, "customer_notes").is_empty());
    assert!(audit_rows(&mut target).is_empty());
}

#[test]
fn a_failure_midway_leaves_the_target_unchanged() {
    let (_a, mut source, _b, mut target) = seeded();
    // Notes are inserted last, after their user and customer.
    target
        .batch_execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN RAISE EXCEPTION 'notes are closed'; END $$;
             CREATE TRIGGER refuse BEFORE INSERT ON customer_notes
               FOR EACH ROW EXECUTE FUNCTION refuse();",
        )
        .unwrap();
    let options = CopyOptions {
        apply: true,
        ..notes_and_a_known_customer()
    };
    let error = run(&mut source, &mut target, &options).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("rolled back"), "{message}");
    assert!(message.contains("notes are closed"), "{message}");
    assert_eq!(ids(&mut target, "users"), [1, 2]);
    assert_eq!(ids(&mut target, "customers"), [1, 2, 5]);
    let audit = audit_rows(&mut target);
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].0, "failed");
}

#[test]
fn the_same_database_is_refused() {
    let (db, mut source) = seeded_one();
    let mut again = db.connect().unwrap();
    let options = CopyOptions {
        apply: true,
        ..Default::default()
    };
    let error = run(&mut source, &mut again, &options).unwrap_err();
    assert!(matches!(error, DataError::SameDatabase { .. }), "{error}");
    assert!(error.to_string().contains("same database"), "{error}");
    assert!(audit_rows(&mut source).is_empty());
}

fn seeded_one() -> (TestDatabase, Client) {
    let (db, mut client) = synced();
    client.batch_execute(&users(&[1])).unwrap();
    (db, client)
}

#[test]
fn a_production_target_needs_a_second_confirmation() {
    let (_a, mut source, _b, mut target) = seeded();
    let options = CopyOptions {
        apply: true,
        target_is_production: true,
        ..Default::default()
    };
    let error = run(&mut source, &mut target, &options).unwrap_err();
    assert!(
        matches!(error, DataError::ProductionNotConfirmed { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("--yes-production"), "{error}");
    assert_eq!(ids(&mut target, "users"), [1, 2]);
    assert!(audit_rows(&mut target).is_empty());

    // A dry run needs no confirmation; a confirmed copy goes ahead.
    run(
        &mut source,
        &mut target,
        &CopyOptions {
            apply: false,
            ..options.clone()
        },
    )
    .expect("a dry run");
    let report = run(
        &mut source,
        &mut target,
        &CopyOptions {
            production_confirmed: true,
            ..options
        },
    )
    .expect("a confirmed copy");
    assert!(report.applied);
    assert_eq!(ids(&mut target, "users"), [1, 2, 3]);
}

/// A table that references itself: each category's parent has a larger key, so in key
/// order every child comes before its parent.
#[allow(dead_code)] // Declarations: only their descriptors are used.
mod tree {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "categories")]
    pub struct Category {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Self)]
        pub parent_id: Option<i64>,
        pub name: String,
    }

    schema_set!(pub Tree = [Category]);
}

#[test]
fn a_self_referencing_table_is_copied_parents_first() {
    use tree::Tree;
    let setup = || {
        let db = TestDatabase::create().expect("a test database");
        let mut client = db.connect().expect("a connection");
        sync_with::<Tree>(&mut client, &SyncOptions::development()).expect("sync");
        (db, client)
    };
    let (_a, mut source) = setup();
    let (_b, mut target) = setup();
    // A chain 1 → 2 → … → 2500 (more rows than one insert statement takes), a row that
    // references itself, and two rows that reference each other (possible in the
    // source only by inserting them together).
    source
        .batch_execute(
            "INSERT INTO categories (id, parent_id, name)
             SELECT i, CASE WHEN i < 2500 THEN i + 1 END, 'c' || i
             FROM generate_series(1, 2500) i;
             INSERT INTO categories VALUES (3000, 3000, 'self'),
                                           (3001, 3002, 'a'), (3002, 3001, 'b');",
        )
        .expect("source rows");
    // The target already has the chain's root.
    target
        .batch_execute("INSERT INTO categories VALUES (2500, NULL, 'c2500')")
        .expect("target row");
    let schema = Target::default();
    let report = copy(
        Side::new(&mut source, &schema),
        Side::new(&mut target, &schema),
        &Tree::EXPECTED_SCHEMA,
        &CopyOptions {
            apply: true,
            ..Default::default()
        },
    )
    .expect("the copy succeeds");
    assert_eq!(report.plan.rows(), 2499 + 3);
    let rows = |client: &mut Client| -> Vec<(i64, Option<i64>, String)> {
        client
            .query(
                "SELECT id, parent_id, name FROM categories ORDER BY id",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    };
    assert_eq!(rows(&mut target), rows(&mut source));
}
