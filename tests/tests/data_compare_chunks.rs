//! `data::compare` on tables of thousands of rows against a real PostgreSQL, checked
//! against a full outer join done here: every key and row text of both sides read and
//! compared in memory. Integer keys are read in chunks of rows through their index, so
//! the planted differences sit on chunk boundaries, at the ends of the key range and
//! in gaps; a side whose key index is gone reads row by row and must agree.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use postgres::Client;
use schema_core::data::{CompareOptions, CompareReport, Key};
use schema_core::testing::TestDatabase;
use schema_core::{SyncOptions, Table, schema_set, sync_with};

mod common;
use common::{compare, fresh};

/// A single 64-bit key with gaps, negative values and the largest `int8`.
#[derive(Table)]
#[table(name = "events")]
pub struct Event {
    #[column(primary_key)]
    pub id: i64,
    pub kind: i32,
    pub label: String,
    pub amount: Option<i64>,
    pub at: Option<DateTime<Utc>>,
}

/// A composite integer key.
#[derive(Table)]
#[table(name = "readings", primary_key(station, seq))]
pub struct Reading {
    pub station: i32,
    pub seq: i64,
    pub value: Option<String>,
}

/// A 16-bit key, in a table whose one-letter name the chunked query must not shadow.
#[derive(Table)]
#[table(name = "c")]
pub struct Flag {
    #[column(primary_key)]
    pub id: i16,
    pub enabled: bool,
}

schema_set!(pub Chunked = [Event, Reading, Flag]);

const SEED: &str = "
    INSERT INTO events (id, kind, label, amount, at)
    SELECT i, i % 3, 'event ' || i, i % 5, timestamptz '2026-01-01' + i * interval '1 minute'
    FROM generate_series(-3, 5000) i WHERE i % 7 <> 0;
    INSERT INTO events VALUES (9000000000000000000, 1, 'far', NULL, NULL);
    UPDATE events SET amount = 1 WHERE id = 2;
    UPDATE events SET at = '2000-01-01 00:00:00.000001+00' WHERE id = 3;
    INSERT INTO readings SELECT s, q, 'r' || s || '.' || q
    FROM generate_series(1, 3) s, generate_series(1, 1500) q;
    INSERT INTO c SELECT i, i % 2 = 0 FROM generate_series(1, 3000) i;";

/// What the target has that the source does not, and the reverse.
const DIFFERENCES: &str = "
    DELETE FROM events WHERE id IN (-3, 1, 1024, 1025, 2048, 4999);
    INSERT INTO events VALUES (7, 1, 'seven', NULL, NULL), (1029, 0, 'gap', 1, NULL),
        (6000, 0, 'after', NULL, NULL), (9223372036854775807, 1, 'last', NULL, NULL);
    -- Equal under the 64-bit integers' own hash, which folds them into 32 bits.
    UPDATE events SET amount = 4294967296 WHERE id = 2;
    UPDATE events SET at = '2000-01-01 01:11:34.967296+00' WHERE id = 3;
    UPDATE events SET label = 'renamed' WHERE id IN (1026, 2047, 4998);
    UPDATE events SET amount = NULL WHERE id = 3000;
    DELETE FROM readings WHERE (station, seq) IN ((2, 1), (3, 1024));
    INSERT INTO readings VALUES (2, 2000, 'new'), (4, 1, NULL);
    UPDATE readings SET value = NULL WHERE (station, seq) IN ((1, 1024), (3, 1500));
    DELETE FROM c WHERE id = 2000;
    UPDATE c SET enabled = NOT enabled WHERE id IN (1, 1500, 3000);";

fn pair() -> (TestDatabase, Client, TestDatabase, Client) {
    let open = |extra: &str| {
        let (db, mut client) = fresh();
        sync_with::<Chunked>(&mut client, &SyncOptions::development()).expect("sync");
        client.batch_execute(SEED).expect("seed");
        client.batch_execute(extra).expect("differences");
        (db, client)
    };
    let (a, ca) = open("");
    let (b, cb) = open(DIFFERENCES);
    (a, ca, b, cb)
}

/// A table's rows as the oracle holds them: each key's parts as text, and the row.
type Rows = BTreeMap<Vec<String>, String>;

fn rows(client: &mut Client, table: &str, key: &[&str], filter: &str) -> Rows {
    let parts: Vec<String> = key.iter().map(|k| format!("{k}::text")).collect();
    let sql = format!(
        "SELECT ARRAY[{}], t::text FROM {table} t WHERE {filter}",
        parts.join(", ")
    );
    client
        .query(&sql, &[])
        .expect("read every row")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn texts(keys: &[Key]) -> BTreeSet<Vec<String>> {
    keys.iter()
        .map(|k| k.0.iter().map(|v| v.as_text()).collect())
        .collect()
}

/// The report names exactly what a full outer join of both sides' rows gives.
fn agrees(
    report: &CompareReport,
    source: &mut Client,
    target: &mut Client,
    table: &str,
    key: &[&str],
    filter: &str,
) {
    let (a, b) = (
        rows(source, table, key, filter),
        rows(target, table, key, filter),
    );
    let only = |x: &Rows, y: &Rows| -> BTreeSet<Vec<String>> {
        x.keys().filter(|k| !y.contains_key(*k)).cloned().collect()
    };
    let changed: BTreeSet<Vec<String>> = a
        .iter()
        .filter(|(k, row)| b.get(*k).is_some_and(|other| other != *row))
        .map(|(k, _)| k.clone())
        .collect();
    let t = report.table(table).expect("table compared");
    assert_eq!(
        (t.source_rows, t.target_rows),
        (a.len() as u64, b.len() as u64)
    );
    assert_eq!(
        texts(&t.only_in_source),
        only(&a, &b),
        "{table}: only in source"
    );
    assert_eq!(
        texts(&t.only_in_target),
        only(&b, &a),
        "{table}: only in target"
    );
    let reported: Vec<Key> = t.changed.iter().map(|c| c.key.clone()).collect();
    assert_eq!(texts(&reported), changed, "{table}: changed");
    // Reported in key order, as the merge meets them.
    assert!(t.only_in_source.windows(2).all(|w| w[0] < w[1]));
    assert!(reported.windows(2).all(|w| w[0] < w[1]));
}

const TABLES: [(&str, &[&str]); 3] = [
    ("events", &["id"]),
    ("readings", &["station", "seq"]),
    ("c", &["id"]),
];

#[test]
fn chunked_and_row_by_row_reads_agree_with_a_full_outer_join() {
    let (_a, mut source, _b, mut target) = pair();
    let report =
        compare::<Chunked>(&mut source, &mut target, &CompareOptions::default()).expect("compare");
    for (table, key) in TABLES {
        agrees(&report, &mut source, &mut target, table, key, "true");
    }
    let events = report.table("events").unwrap();
    let changed: Vec<String> = events.changed.iter().map(|c| c.key.to_string()).collect();
    assert_eq!(changed, ["2", "3", "1026", "2047", "3000"], "{report}");

    // Without their key index, the target's tables are read a row at a time.
    target
        .batch_execute(
            "ALTER TABLE events DROP CONSTRAINT events_pkey;
             ALTER TABLE readings DROP CONSTRAINT readings_pkey;
             ALTER TABLE c DROP CONSTRAINT c_pkey;",
        )
        .unwrap();
    let unindexed =
        compare::<Chunked>(&mut source, &mut target, &CompareOptions::default()).expect("compare");
    let json = |r: &CompareReport| serde_json::to_value(&r.tables).unwrap();
    assert_eq!(json(&unindexed), json(&report));
}

#[test]
fn a_filter_ending_in_a_comment_applies_to_every_chunk() {
    let (_a, mut source, _b, mut target) = pair();
    let options = CompareOptions {
        filters: [("events".to_owned(), "kind = 1 -- one kind".to_owned())].into(),
        ..Default::default()
    };
    let report = compare::<Chunked>(&mut source, &mut target, &options).expect("compare");
    agrees(
        &report,
        &mut source,
        &mut target,
        "events",
        &["id"],
        "kind = 1",
    );
    let events = report.table("events").unwrap();
    assert!(
        events.source_rows > 1024 && events.source_rows < 2000,
        "{report}"
    );
}
