//! The row hash of `data::compare` against a real PostgreSQL: rows are compared by the
//! text of their values, so values that a type's equality calls equal but that read
//! differently (`1.0` and `1.00`, `-0` and `0`, `1 day` and `24:00:00`) are changes,
//! and so are NULL against an empty string or array.

use postgres::Client;
use schema_core::data::{CompareOptions, Key, KeyValue, Side, compare};
use schema_core::testing::TestDatabase;
use schema_core::{SchemaSet, SqlEnum, SyncOptions, Table, Target, schema_set, sync_with};

/// An enum, whose type OID differs between the two databases.
#[derive(SqlEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[sql_enum(name = "tone")]
pub enum Tone {
    Warm,
    Cold,
}

/// Values whose equality is looser than their text.
#[derive(Table)]
#[table(name = "variants")]
pub struct Variant {
    #[column(primary_key)]
    pub id: i64,
    #[column(sql_type = "numeric")]
    pub amount: Option<tests::Untyped>,
    pub ratio: Option<f64>,
    #[column(sql_type = "interval")]
    pub span: Option<tests::Untyped>,
    #[column(sql_type = "jsonb")]
    pub doc: Option<serde_json::Value>,
    pub note: Option<String>,
    pub labels: Option<Vec<String>>,
    pub tones: Option<Vec<Tone>>,
}

/// A table that is all key: rows match or they don't.
#[derive(Table)]
#[table(name = "codes")]
pub struct Code {
    #[column(primary_key)]
    pub code: String,
}

schema_set!(pub Variants = [Variant, Code]);

/// A synced database; `shift` first creates a type, so that the schema's types get
/// other OIDs than in a database without it.
fn database(shift: bool) -> (TestDatabase, Client) {
    let db = TestDatabase::create().expect("a test database");
    let mut client = db.connect().expect("a connection");
    if shift {
        client
            .batch_execute("CREATE TYPE filler AS ENUM ('x')")
            .unwrap();
    }
    sync_with::<Variants>(&mut client, &SyncOptions::development()).expect("sync");
    (db, client)
}

#[test]
fn values_equal_by_type_but_not_by_text_are_changes() {
    let (_a, mut source, _b, mut target) = {
        let (a, ca) = database(true);
        let (b, cb) = database(false);
        (a, ca, b, cb)
    };
    let base = "(1.0, 'NaN', '1 day', '{\"a\": 1.0}', 'x', ARRAY['a'], '{warm,cold}')";
    // (column, source value, target value): equal by `=` or by hash opclass, not by text.
    let pairs = [
        ("amount", "1.0", "1.00"),
        ("ratio", "0", "'-0'"),
        ("ratio", "0.1", "0.1000000000000001"),
        ("span", "'1 day'", "'24:00:00'"),
        ("doc", "'{\"a\": 1.0}'", "'{\"a\": 1.00}'"),
        ("note", "''", "NULL"),
        ("labels", "'{}'", "NULL"),
        ("labels", "'{a}'", "'[2:2]={a}'"),
        ("labels", "'{a,b}'", "'{{a},{b}}'"),
        ("tones", "'{warm}'", "'{cold}'"),
        ("tones", "'{}'", "NULL"),
    ];
    for (i, (column, a, b)) in pairs.iter().enumerate() {
        let id = 10 + i;
        let row = format!("INSERT INTO variants VALUES ({id}, {}", &base[1..]);
        source
            .batch_execute(&format!(
                "{row}; UPDATE variants SET {column} = {a} WHERE id = {id}"
            ))
            .unwrap();
        target
            .batch_execute(&format!(
                "{row}; UPDATE variants SET {column} = {b} WHERE id = {id}"
            ))
            .unwrap();
    }
    // Identical rows, NULLs, NaN and enum arrays included, are not.
    for client in [&mut source, &mut target] {
        client
            .batch_execute(&format!(
                "INSERT INTO variants VALUES (1, {}, (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
                 INSERT INTO codes VALUES ('a'), ('b');",
                &base[1..]
            ))
            .unwrap();
    }
    source
        .batch_execute("INSERT INTO codes VALUES ('c')")
        .unwrap();
    target
        .batch_execute("INSERT INTO codes VALUES ('d')")
        .unwrap();

    let schema = Target::default();
    let report = compare(
        Side::new(&mut source, &schema),
        Side::new(&mut target, &schema),
        &Variants::EXPECTED_SCHEMA,
        &CompareOptions {
            column_details: true,
            ..Default::default()
        },
    )
    .expect("compare");
    let variants = report.table("variants").unwrap();
    let changed: Vec<(Key, Vec<String>)> = variants
        .changed
        .iter()
        .map(|c| (c.key.clone(), c.columns.clone().unwrap()))
        .collect();
    let expected: Vec<(Key, Vec<String>)> = pairs
        .iter()
        .enumerate()
        .map(|(i, (column, _, _))| {
            (
                Key(vec![KeyValue::Int(10 + i as i64)]),
                vec![column.to_string()],
            )
        })
        .collect();
    assert_eq!(changed, expected, "{report}");
    assert!(variants.only_in_source.is_empty() && variants.only_in_target.is_empty());
    let codes = report.table("codes").unwrap();
    let text = |s: &str| vec![Key(vec![KeyValue::Text(s.to_owned())])];
    assert_eq!(codes.only_in_source, text("c"));
    assert_eq!(codes.only_in_target, text("d"));
    assert!(codes.changed.is_empty());
}
