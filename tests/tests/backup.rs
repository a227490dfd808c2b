//! Backups before a destructive sync, and restoring them, against a real PostgreSQL.

use postgres::Client;
use schema_core::backup::{self, BackupError};
use schema_core::testing::TestDatabase;
use schema_core::{SchemaSet, SyncOptions, Target, sync_with};

/// The schema before the change: prices with two decimals, and notes about them.
pub mod before {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "prices")]
    pub struct Price {
        #[column(primary_key, identity)]
        pub id: i64,
        #[column(sql_type = "numeric(12, 2)")]
        pub amount: rust_decimal::Decimal,
        pub label: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "price_notes")]
    pub struct PriceNote {
        #[column(primary_key, identity)]
        pub id: i64,
        #[column(references = Price)]
        pub price_id: i64,
        pub body: String,
    }

    schema_set!(pub Before = [Price, PriceNote]);
}

/// The schema after it: whole amounts, which rounds every stored price.
pub mod after {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "prices")]
    pub struct Price {
        #[column(primary_key, identity)]
        pub id: i64,
        #[column(sql_type = "numeric(12, 0)")]
        pub amount: rust_decimal::Decimal,
        pub label: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "price_notes")]
    pub struct PriceNote {
        #[column(primary_key, identity)]
        pub id: i64,
        #[column(references = Price)]
        pub price_id: i64,
        pub body: String,
    }

    schema_set!(pub After = [Price, PriceNote]);
}

/// Values `COPY` has to escape: tab, newline, backslash, NULL, and text that reads `\N`.
const ROWS: &str = "INSERT INTO prices (amount, label) VALUES
    (1.25, 'plain'), (2.50, E'tab\\there'), (3.75, E'two\\nlines'), (4.49, NULL),
    (5.01, E'back\\\\slash'), (6.66, '\\N');
    INSERT INTO price_notes (price_id, body) VALUES (1, 'first'), (3, 'third');";

fn database() -> (TestDatabase, Client) {
    let db = TestDatabase::create().expect("a test database");
    let mut client = db.connect().expect("a connection");
    sync_with::<before::Before>(&mut client, &SyncOptions::development()).expect("sync");
    (db, client)
}

fn prices(client: &mut Client, table: &str) -> Vec<(i64, String, Option<String>)> {
    client
        .query(
            &format!("SELECT id, amount::text, label FROM {table} ORDER BY id"),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

fn backup_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

#[test]
fn a_destructive_sync_backs_up_first_and_the_backup_restores_the_rows() {
    let (_db, mut client) = database();
    client.batch_execute(ROWS).unwrap();
    let original = prices(&mut client, "prices");
    let folder = backup_dir();
    let dir = folder.path().join("before-whole-amounts");

    // Without the opt-in nothing destructive runs, so nothing is written.
    let options = SyncOptions::development();
    let (_, manifest) = backup::sync_with_backup(
        &mut client,
        &after::After::EXPECTED_SCHEMA,
        &Target::default(),
        &options,
        &dir,
    )
    .expect("sync");
    assert!(manifest.is_none() && !dir.exists());

    let options = SyncOptions {
        allow_destructive: true,
        ..SyncOptions::development()
    };
    let (report, manifest) = backup::sync_with_backup(
        &mut client,
        &after::After::EXPECTED_SCHEMA,
        &Target::default(),
        &options,
        &dir,
    )
    .expect("sync with a backup");
    assert!(!report.applied.is_empty(), "{report}");
    let manifest = manifest.expect("a backup of the changed table");
    // Only the table the change touches.
    let tables: Vec<(&str, u64)> = manifest
        .tables
        .iter()
        .map(|t| (t.name.as_str(), t.rows))
        .collect();
    assert_eq!(tables, [("prices", 6)]);
    let rounded = prices(&mut client, "prices");
    assert_ne!(rounded, original, "the change rounds the amounts");

    // A backup is loaded into a table created from its DDL: move the changed one aside.
    client
        .batch_execute(
            "ALTER TABLE price_notes DROP CONSTRAINT price_notes_price_id_fkey;
             ALTER TABLE prices RENAME TO prices_rounded;
             ALTER TABLE prices_rounded RENAME CONSTRAINT prices_pkey TO prices_rounded_pkey",
        )
        .unwrap();
    let restored = backup::restore(&mut client, &dir).expect("restore");
    assert_eq!(restored.tables.len(), 1);
    assert!(restored.tables[0].created);
    assert_eq!(restored.tables[0].rows, 6);
    assert_eq!(prices(&mut client, "prices"), original);
    // The identity moved past the restored keys: an insert without a key succeeds.
    client
        .batch_execute("INSERT INTO prices (amount) VALUES (7.77)")
        .expect("an insert after the restore");

    // Restoring again would overwrite rows: refused, and nothing is written.
    match backup::restore(&mut client, &dir) {
        Err(BackupError::RowsExist { table, detail }) => {
            assert_eq!(table, "\"public\".\"prices\"");
            assert!(detail.contains("(id)=(1)"), "{detail}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(prices(&mut client, "prices").len(), 7);
}

#[test]
fn a_backup_restores_parents_first_and_refuses_a_damaged_file() {
    let (_source_db, mut source) = database();
    source.batch_execute(ROWS).unwrap();
    let folder = backup_dir();
    let dir = folder.path();
    // Named children first: the manifest still lists the parent first.
    let tables = [
        ("public".to_owned(), "price_notes".to_owned()),
        ("public".to_owned(), "prices".to_owned()),
        ("public".to_owned(), "no_such_table".to_owned()),
    ];
    let manifest = backup::write(&mut source, &tables, dir, "test").expect("backup");
    let order: Vec<&str> = manifest.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(order, ["prices", "price_notes"]);
    assert!(matches!(
        backup::write(&mut source, &tables, dir, "test"),
        Err(BackupError::AlreadyExists(_))
    ));

    // Into an empty database of the same schema: every row, notes after their prices.
    let (_target_db, mut target) = database();
    let report = backup::restore(&mut target, dir).expect("restore");
    assert!(report.tables.iter().all(|t| !t.created));
    assert_eq!(prices(&mut target, "prices"), prices(&mut source, "prices"));
    let notes: i64 = target
        .query_one("SELECT count(*) FROM price_notes", &[])
        .unwrap()
        .get(0);
    assert_eq!(notes, 2);

    // A changed data file is refused before anything is committed.
    let (_third_db, mut third) = database();
    let data = dir.join(&manifest.tables[0].data);
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&data, text.replace("plain", "plane")).unwrap();
    assert!(matches!(
        backup::restore(&mut third, dir),
        Err(BackupError::Damaged { .. })
    ));
    let count: i64 = third
        .query_one("SELECT count(*) FROM prices", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 0);
}

#[test]
fn migrations_back_up_every_table_first_but_not_the_bookkeeping() {
    let (_db, mut client) = database();
    client.batch_execute(ROWS).unwrap();
    let original = prices(&mut client, "prices");
    let folder = backup_dir();
    let migrations_dir = folder.path().join("migrations");
    std::fs::create_dir(&migrations_dir).unwrap();
    std::fs::write(
        migrations_dir.join("001_whole_amounts.up.sql"),
        "ALTER TABLE prices ALTER COLUMN amount TYPE numeric(12, 0);",
    )
    .unwrap();
    let migrations = schema_core::migrate::Migrations::from_dir(&migrations_dir).unwrap();
    let dir = folder.path().join("before-001");
    let (report, manifest) = backup::migrate_up_with_backup(
        &mut client,
        &migrations,
        &before::Before::EXPECTED_SCHEMA,
        &Target::default(),
        &SyncOptions::development(),
        &dir,
    )
    .expect("migrate up with a backup");
    assert_eq!(report.migrations.len(), 1);
    let names: Vec<&str> = manifest
        .as_ref()
        .expect("a backup")
        .tables
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["prices", "price_notes"]);
    assert_ne!(prices(&mut client, "prices"), original);

    // Nothing pending: no second backup.
    let again = folder.path().join("again");
    let (_, manifest) = backup::migrate_up_with_backup(
        &mut client,
        &migrations,
        &before::Before::EXPECTED_SCHEMA,
        &Target::default(),
        &SyncOptions::development(),
        &again,
    )
    .unwrap();
    assert!(manifest.is_none() && !again.exists());

    // Into a fresh database of the old schema: the rows as they were.
    let (_fresh_db, mut fresh) = database();
    backup::restore(&mut fresh, &dir).expect("restore");
    assert_eq!(prices(&mut fresh, "prices"), original);
}
