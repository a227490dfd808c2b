//! `data::compare` against a real PostgreSQL: two fresh databases with the same schema
//! and planted differences; the compare must name exactly those keys.

use std::collections::BTreeMap;

use postgres::Client;
use schema_core::data::{CompareOptions, Key, KeyValue};
use schema_core::testing::TestDatabase;
use schema_core::{SchemaSet, SqlEnum, SyncOptions, Table, schema_set, sync_with};
use schema_defs::crm::Crm;

mod common;
use common::compare;

/// A level, to have an enum column.
#[derive(SqlEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[sql_enum(name = "sample_level")]
pub enum Level {
    Low,
    High,
}

/// Every column type of the DSL, under a composite key with a text part.
#[derive(Table)]
#[table(name = "samples", primary_key(region, seq))]
pub struct Sample {
    pub region: String,
    pub seq: i32,
    pub flag: Option<bool>,
    pub small: Option<i16>,
    pub big: Option<i64>,
    pub ratio: Option<f32>,
    pub precise: Option<f64>,
    #[column(sql_type = "numeric(12, 2)")]
    pub amount: Option<rust_decimal::Decimal>,
    #[column(sql_type = "varchar(20)")]
    pub code: Option<String>,
    #[column(sql_type = "char(3)")]
    pub grade: Option<String>,
    pub payload: Option<Vec<u8>>,
    pub day: Option<chrono::NaiveDate>,
    pub at: Option<chrono::NaiveTime>,
    #[column(sql_type = "timetz")]
    pub at_tz: Option<tests::Untyped>,
    pub local: Option<chrono::NaiveDateTime>,
    pub stamp: Option<chrono::DateTime<chrono::Utc>>,
    #[column(sql_type = "interval")]
    pub span: Option<tests::Untyped>,
    pub ident: Option<uuid::Uuid>,
    #[column(sql_type = "json")]
    pub doc: Option<serde_json::Value>,
    #[column(sql_type = "jsonb")]
    pub docb: Option<serde_json::Value>,
    pub addr: Option<std::net::IpAddr>,
    #[column(sql_type = "cidr")]
    pub net: Option<tests::Untyped>,
    #[column(sql_type = "macaddr")]
    pub mac: Option<tests::Untyped>,
    pub level: Option<Level>,
    pub labels: Option<Vec<String>>,
}

schema_set!(pub Samples = [Sample]);

/// Two fresh databases with `S` synced into both.
fn pair<S: SchemaSet>() -> (TestDatabase, Client, TestDatabase, Client) {
    let open = || {
        let db = TestDatabase::create().expect("a test database");
        let mut client = db.connect().expect("a connection");
        sync_with::<S>(&mut client, &SyncOptions::development()).expect("sync");
        (db, client)
    };
    let (a, ca) = open();
    let (b, cb) = open();
    (a, ca, b, cb)
}

fn ids(keys: &[Key]) -> Vec<i64> {
    keys.iter()
        .map(|k| match k.0.as_slice() {
            [KeyValue::Int(n)] => *n,
            other => panic!("not a single integer key: {other:?}"),
        })
        .collect()
}

const USERS: &str =
    "INSERT INTO organizations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Sales');
    INSERT INTO users (id, tenant_id, email, display_name, created_at, updated_at)
    OVERRIDING SYSTEM VALUE VALUES
    (1, 1, 'ana@example.com', 'Ana', '2026-01-01', '2026-01-01'),
    (2, 1, 'ben@example.com', 'Ben', '2026-01-01', '2026-01-01');";

/// Customers 1–5 on both sides (owner 1 or 2), with room for planted differences.
fn customers(client: &mut Client, extra: &str) {
    client
        .batch_execute(&format!(
            "{USERS}
             INSERT INTO customers (id, tenant_id, owner_id, name, phone, created_at, updated_at)
             OVERRIDING SYSTEM VALUE VALUES
               (1, 1, 1, 'Acme', '555-1', '2026-01-01', '2026-01-01'),
               (2, 1, 1, 'Birch', NULL, '2026-01-01', '2026-01-01'),
               (5, 1, 2, 'Elm', '555-5', '2026-01-01', '2026-01-01');
             {extra}"
        ))
        .expect("seed");
}

#[test]
fn names_exactly_the_planted_keys_and_columns() {
    let (_a, mut source, _b, mut target) = pair::<Crm>();
    customers(
        &mut source,
        "INSERT INTO customers (id, tenant_id, owner_id, name, phone, created_at, updated_at)
         OVERRIDING SYSTEM VALUE VALUES
           (3, 1, 1, 'Cedar', '555-3', '2026-01-01', '2026-01-01'),
           (4, 1, 2, 'Dogwood', NULL, '2026-01-01', '2026-01-01'),
           (6, 1, 2, 'Fir', NULL, '2026-01-01', '2026-01-01'),
           (7, 1, NULL, 'Gum', NULL, '2026-01-01', '2026-01-01');",
    );
    customers(
        &mut target,
        "INSERT INTO customers (id, tenant_id, owner_id, name, phone, created_at, updated_at)
         OVERRIDING SYSTEM VALUE VALUES
           (3, 1, 1, 'Cedar Ltd', '555-3', '2026-01-01', '2026-01-01'),
           (4, 1, 2, 'Dogwood', '555-4', '2026-01-01', '2026-01-01'),
           (8, 1, 1, 'Hazel', NULL, '2026-01-01', '2026-01-01');",
    );
    let options = CompareOptions {
        column_details: true,
        ..Default::default()
    };
    let report = compare::<Crm>(&mut source, &mut target, &options).expect("compare");
    let customers = report.table("customers").expect("customers compared");
    assert_eq!((customers.source_rows, customers.target_rows), (7, 6));
    assert_eq!(ids(&customers.only_in_source), [6, 7]);
    assert_eq!(ids(&customers.only_in_target), [8]);
    let changed: Vec<(Vec<i64>, Vec<String>)> = customers
        .changed
        .iter()
        .map(|c| {
            (
                ids(std::slice::from_ref(&c.key)),
                c.columns.clone().unwrap(),
            )
        })
        .collect();
    // A changed name, and NULL in the source against a value in the target.
    assert_eq!(
        changed,
        [
            (vec![3], vec!["name".to_owned()]),
            (vec![4], vec!["phone".to_owned()])
        ]
    );
    let users = report.table("users").expect("users compared");
    assert!(users.is_identical(), "{report}");
    assert_eq!(users.source_rows, 2);
    // Parents come first in the report, as in the creation plan (the audit log and the
    // organizations reference nothing and sort first, by name).
    let order: Vec<&str> = report.tables.iter().map(|t| t.table.as_str()).collect();
    assert_eq!(
        order,
        [
            "audit_log",
            "organizations",
            "users",
            "customers",
            "customer_files",
            "customer_notes"
        ]
    );
    let text = report.to_string();
    assert!(text.contains("only in source: 6, 7"), "{text}");
    assert!(text.contains("changed: 3 [name], 4 [phone]"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let customers = json["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "customers")
        .expect("customers in the JSON");
    assert_eq!(customers["only_in_source"], serde_json::json!([[6], [7]]));
}

/// One row of `samples` with every column set, by region and sequence number.
fn sample(region: &str, seq: i32) -> String {
    format!(
        "('{region}', {seq}, true, 7, 9000000000, 1.5, 0.1, 12.34, 'code', 'ab', '\\x00ff',
          '2026-02-03', '04:05:06.789', '04:05:06+02', '2026-02-03 04:05:06.123456',
          '2026-02-03 04:05:06+01', '1 day 02:03:04', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
          '{{\"b\": 1, \"a\": [1, 2]}}', '{{\"b\": 1, \"a\": [1, 2]}}', '192.168.0.1',
          '10.0.0.0/8', '08:00:2b:01:02:03', 'high', ARRAY['x', 'y, z', NULL, ''])"
    )
}

#[test]
fn every_column_type_and_text_keys_in_byte_order() {
    let (_a, mut source, _b, mut target) = pair::<Samples>();
    // Keys whose order differs between collations: byte order is `B Z a b É é`.
    let both: Vec<String> = ["Z", "a", "b", "É", "é"]
        .iter()
        .flat_map(|r| [sample(r, 1), sample(r, 10), sample(r, 2)])
        .collect();
    let insert = |extra: &[String]| {
        let rows: Vec<String> = both.iter().chain(extra).cloned().collect();
        format!("INSERT INTO samples VALUES {}", rows.join(",\n"))
    };
    source
        .batch_execute(&insert(&[sample("B", 1), sample("é", 3)]))
        .expect("source rows");
    target
        .batch_execute(&insert(&[sample("a", 3)]))
        .expect("target rows");
    let report =
        compare::<Samples>(&mut source, &mut target, &CompareOptions::default()).expect("compare");
    let samples = report.table("samples").unwrap();
    // Identical rows of every type hash the same on both sides.
    assert!(samples.changed.is_empty(), "{report}");
    let key = |r: &str, s: i64| Key(vec![KeyValue::Text(r.to_owned()), KeyValue::Int(s)]);
    assert_eq!(samples.only_in_source, [key("B", 1), key("é", 3)]);
    assert_eq!(samples.only_in_target, [key("a", 3)]);

    // Change each column in its own row: every change is seen, in the column changed.
    let changes = [
        ("flag", "false"),
        ("small", "NULL"),
        ("big", "9000000001"),
        ("ratio", "1.5000001"),
        ("precise", "0.1000000000000001"),
        ("amount", "12.35"),
        ("code", "'Code'"),
        ("grade", "'ab1'"),
        ("payload", "'\\x00fe'"),
        ("day", "'2026-02-04'"),
        ("at", "'04:05:06.788'"),
        ("at_tz", "'04:05:06+03'"),
        ("local", "'2026-02-03 04:05:06.123457'"),
        ("stamp", "'2026-02-03 04:05:07+01'"),
        ("span", "'1 day 02:03:05'"),
        ("ident", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'"),
        ("doc", "'{\"a\": [1, 2], \"b\": 1}'"),
        ("docb", "'{\"a\": [1, 2], \"b\": 2}'"),
        ("addr", "'192.168.0.2'"),
        ("net", "'10.0.0.0/16'"),
        ("mac", "'08:00:2b:01:02:04'"),
        ("level", "'low'"),
        ("labels", "ARRAY['x', 'y, z', '', NULL]"),
    ];
    let mut expected = BTreeMap::new();
    for (i, (column, value)) in changes.iter().enumerate() {
        let seq = 100 + i as i32;
        let row = sample("m", seq);
        source
            .batch_execute(&format!("INSERT INTO samples VALUES {row}"))
            .unwrap();
        target
            .batch_execute(&format!(
                "INSERT INTO samples VALUES {row};
                 UPDATE samples SET {column} = {value} WHERE region = 'm' AND seq = {seq}"
            ))
            .unwrap();
        expected.insert(key("m", seq as i64), vec![column.to_string()]);
    }
    let options = CompareOptions {
        column_details: true,
        ..Default::default()
    };
    let report = compare::<Samples>(&mut source, &mut target, &options).expect("compare");
    let found: BTreeMap<Key, Vec<String>> = report
        .table("samples")
        .unwrap()
        .changed
        .iter()
        .map(|c| (c.key.clone(), c.columns.clone().unwrap()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_filter_and_an_ignored_column() {
    let (_a, mut source, _b, mut target) = pair::<Crm>();
    customers(
        &mut source,
        "INSERT INTO customers (id, tenant_id, owner_id, name, created_at, updated_at)
         OVERRIDING SYSTEM VALUE VALUES (6, 1, 2, 'Fir', '2026-01-01', '2026-01-01'),
                                        (7, 1, 1, 'Gum', '2026-01-01', '2026-01-01');",
    );
    customers(
        &mut target,
        "UPDATE customers SET updated_at = '2026-03-01' WHERE id = 1;
         UPDATE customers SET name = 'Elm Co' WHERE id = 5;",
    );
    let options = CompareOptions {
        tables: vec!["customers".into()],
        filters: BTreeMap::from([("customers".into(), "owner_id = 1".into())]),
        ignore_columns: vec!["customers.updated_at".into()],
        column_details: false,
        // Reads the row estimate for the bar; nothing is drawn, stderr is no terminal.
        progress: true,
    };
    let report = compare::<Crm>(&mut source, &mut target, &options).expect("compare");
    assert_eq!(report.tables.len(), 1);
    let customers = &report.tables[0];
    // Owner 2's rows (5 changed, 6 missing) are outside the filter; 1 differs only in
    // the ignored column.
    assert_eq!((customers.source_rows, customers.target_rows), (3, 2));
    assert_eq!(ids(&customers.only_in_source), [7]);
    assert!(customers.only_in_target.is_empty() && customers.changed.is_empty());

    // Without the options both show.
    let report = compare::<Crm>(&mut source, &mut target, &CompareOptions::default()).unwrap();
    let customers = report.table("customers").unwrap();
    assert_eq!(ids(&customers.only_in_source), [6, 7]);
    let changed: Vec<Key> = customers.changed.iter().map(|c| c.key.clone()).collect();
    assert_eq!(ids(&changed), [1, 5]);
}

#[test]
fn a_filter_cannot_write() {
    let (_a, mut source, _b, mut target) = pair::<Crm>();
    let options = CompareOptions {
        tables: vec!["users".into()],
        filters: BTreeMap::from([(
            "users".into(),
            "(SELECT count(*) FROM (SELECT setval('users_id_seq', 99)) s) > 0".into(),
        )]),
        ..Default::default()
    };
    let error = compare::<Crm>(&mut source, &mut target, &options).unwrap_err();
    // Read-only transaction: SQLSTATE 25006.
    assert!(error.to_string().contains("25006"), "{error}");
}

#[test]
fn unknown_names_are_errors() {
    let (_a, mut source, _b, mut target) = pair::<Crm>();
    let mut bad = |options: CompareOptions| {
        compare::<Crm>(&mut source, &mut target, &options)
            .unwrap_err()
            .to_string()
    };
    let message = bad(CompareOptions {
        tables: vec!["clients".into()],
        ..Default::default()
    });
    assert_eq!(message, "the schema set has no table `clients`");
    let message = bad(CompareOptions {
        ignore_columns: vec!["updatd_at".into()],
        ..Default::default()
    });
    assert!(message.contains("`--ignore-column updatd_at`"), "{message}");
    let message = bad(CompareOptions {
        ignore_columns: vec!["customers.nme".into()],
        ..Default::default()
    });
    assert_eq!(message, "table `customers` has no column `nme`");
}
