//! Declared column types against a real PostgreSQL: a type with a modifier, written in
//! any of the spellings the DSL accepts, is the type the server reads back, so a synced
//! schema verifies clean and a table made by hand with the same types does too.

use chrono::{DateTime, NaiveDateTime, NaiveTime, Utc};
use postgres::Client;
use schema_core::introspect::introspect;
use schema_core::testing::TestDatabase;
use schema_core::{Outcome, SqlType, SyncOptions, Table, TableDef, schema_set, sync_with, verify};

/// Time types with a precision, and an index method written in upper case.
#[derive(Table)]
#[table(name = "readings", index(tags, method = "GIN"))]
pub struct Reading {
    #[column(primary_key)]
    pub id: i64,
    #[column(sql_type = "timestamp(3) with time zone")]
    pub taken_at: DateTime<Utc>,
    #[column(sql_type = "TIMESTAMPTZ(3)")]
    pub stored_at: DateTime<Utc>,
    #[column(sql_type = "timestamp(0) without time zone")]
    pub local_at: NaiveDateTime,
    #[column(sql_type = "timestamp(6)")]
    pub precise_at: Option<NaiveDateTime>,
    #[column(sql_type = "time(3)")]
    pub alarm_at: Option<NaiveTime>,
    /// `chrono` has no type for `time with time zone`; the column is what matters here.
    #[column(sql_type = "time(3) with time zone")]
    pub alarm_tz: Option<tests::Untyped>,
    pub tags: Vec<String>,
}

schema_set!(pub Readings = [Reading]);

fn fresh() -> (TestDatabase, Client) {
    let db = TestDatabase::create().expect("a test database");
    let client = db.connect().expect("a connection");
    (db, client)
}

/// The `readings` table as the server describes it.
fn live_readings(client: &mut Client) -> TableDef {
    let catalog = introspect(client, &["public"]).expect("introspection");
    catalog
        .tables
        .into_iter()
        .find(|t| t.name == "readings")
        .expect("the readings table")
}

#[test]
fn time_precisions_read_back_as_declared() {
    let (_db, mut client) = fresh();
    let report = sync_with::<Readings>(&mut client, &SyncOptions::development()).expect("sync");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");

    let report = verify::<Readings>(&mut client).expect("verify");
    assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
    assert!(report.pending.is_empty(), "{report}");

    // Compared as read, without canonicalization: the declared spelling is the
    // server's own.
    let live = live_readings(&mut client);
    let types = |table: &TableDef| -> Vec<(String, SqlType, bool)> {
        table
            .columns
            .iter()
            .map(|c| (c.name.to_string(), c.sql_type.clone(), c.array))
            .collect()
    };
    assert_eq!(types(&live), types(&Reading::DEF));
    let other = |text: &str| SqlType::Other(text.to_owned().into());
    assert_eq!(
        live.columns[1].sql_type,
        other("timestamp(3) with time zone")
    );
    assert_eq!(live.columns[6].sql_type, other("time(3) with time zone"));
    assert_eq!(live.indexes[0].method.as_deref(), Some("gin"));
}

#[test]
fn a_table_made_by_hand_with_these_types_verifies_clean() {
    let (_db, mut client) = fresh();
    client
        .batch_execute(
            "CREATE TABLE readings (
                 id bigint PRIMARY KEY,
                 taken_at timestamptz(3) NOT NULL,
                 stored_at timestamp(3) with time zone NOT NULL,
                 local_at timestamp(0) NOT NULL,
                 precise_at timestamp(6) without time zone,
                 alarm_at time(3),
                 alarm_tz timetz(3),
                 tags text[] NOT NULL
             );
             CREATE INDEX readings_tags_idx ON readings USING gin (tags);",
        )
        .expect("the table");
    // No sync ran, so there is no fingerprint to take the fast path on: this compares
    // the whole table.
    let report = verify::<Readings>(&mut client).expect("verify");
    assert!(!report.fast_path, "{report}");
    assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
    assert!(report.pending.is_empty(), "{report}");
}
