//! Stored generated columns against a real PostgreSQL: the database computes them, a
//! sync of the result is a no-op, a changed, appearing or dropped expression is found
//! and resolved as its safety class allows with every row kept, and a data copy leaves
//! them for the target to compute.

use postgres::Client;
use schema_core::data::{CopyOptions, Side, copy};
use schema_core::diff::{ChangeKind, Safety};
use schema_core::introspect::introspect;
use schema_core::testing::TestDatabase;
use schema_core::{Outcome, SchemaSet, SyncOptions, Target, sync_with, verify};

/// Order lines whose total the database computes.
pub mod computed {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "order_lines")]
    pub struct OrderLine {
        #[column(primary_key, identity)]
        pub id: i64,
        pub quantity: i32,
        #[column(sql_type = "numeric(10, 2)")]
        pub unit_price: rust_decimal::Decimal,
        #[column(sql_type = "numeric(12, 2)", generated = "quantity * unit_price")]
        pub total: rust_decimal::Decimal,
        pub sku: String,
        #[column(generated = "upper(sku)")]
        pub sku_key: Option<String>,
    }

    schema_set!(pub Computed = [OrderLine]);
}

/// The same lines with tax in the total: a changed expression.
pub mod taxed {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "order_lines")]
    pub struct OrderLine {
        #[column(primary_key, identity)]
        pub id: i64,
        pub quantity: i32,
        #[column(sql_type = "numeric(10, 2)")]
        pub unit_price: rust_decimal::Decimal,
        #[column(
            sql_type = "numeric(12, 2)",
            generated = "round(quantity * unit_price * 1.25, 2)"
        )]
        pub total: rust_decimal::Decimal,
        pub sku: String,
        #[column(generated = "upper(sku)")]
        pub sku_key: Option<String>,
    }

    schema_set!(pub Taxed = [OrderLine]);
}

/// The total as a plain column the application writes.
pub mod written {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "order_lines")]
    pub struct OrderLine {
        #[column(primary_key, identity)]
        pub id: i64,
        pub quantity: i32,
        #[column(sql_type = "numeric(10, 2)")]
        pub unit_price: rust_decimal::Decimal,
        #[column(sql_type = "numeric(12, 2)")]
        pub total: rust_decimal::Decimal,
        pub sku: String,
        #[column(generated = "upper(sku)")]
        pub sku_key: Option<String>,
    }

    schema_set!(pub Written = [OrderLine]);
}

/// The lines before the total existed.
pub mod untotalled {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "order_lines")]
    pub struct OrderLine {
        #[column(primary_key, identity)]
        pub id: i64,
        pub quantity: i32,
        #[column(sql_type = "numeric(10, 2)")]
        pub unit_price: rust_decimal::Decimal,
        pub sku: String,
    }

    schema_set!(pub Untotalled = [OrderLine]);
}

const LINES: &str = "INSERT INTO order_lines (quantity, unit_price, sku)
    VALUES (2, 1.50, 'ab-1'), (3, 10.00, 'cd-2'), (1, 0.99, 'ef-3')";

fn synced<S: SchemaSet>() -> (TestDatabase, Client) {
    let db = TestDatabase::create().expect("a test database");
    let mut client = db.connect().expect("a connection");
    let report = sync_with::<S>(&mut client, &SyncOptions::development()).expect("sync");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    (db, client)
}

/// `(id, total, sku_key)` of every line, by id.
fn lines(client: &mut Client) -> Vec<(i64, String, Option<String>)> {
    client
        .query(
            "SELECT id, total::text, sku_key FROM order_lines ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

fn pending<S: SchemaSet>(client: &mut Client) -> Vec<(ChangeKind, Safety, String)> {
    let report = sync_with::<S>(client, &SyncOptions::development().dry_run()).unwrap();
    report
        .pending
        .iter()
        .map(|c| (c.kind, c.safety, c.object.clone()))
        .collect()
}

fn up_to_date<S: SchemaSet>(client: &mut Client) {
    let report = verify::<S>(client).expect("verify");
    assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
}

fn reviewed() -> SyncOptions {
    SyncOptions {
        allow_review: true,
        ..SyncOptions::development()
    }
}

#[test]
fn the_database_computes_the_column_and_a_second_sync_finds_nothing() {
    let (_db, mut client) = synced::<computed::Computed>();
    client.batch_execute(LINES).unwrap();
    client
        .batch_execute("UPDATE order_lines SET quantity = 4 WHERE sku = 'ab-1'")
        .unwrap();
    assert_eq!(
        lines(&mut client),
        [
            (1, "6.00".into(), Some("AB-1".into())),
            (2, "30.00".into(), Some("CD-2".into())),
            (3, "0.99".into(), Some("EF-3".into())),
        ]
    );
    let refused = client
        .execute(
            "INSERT INTO order_lines (quantity, unit_price, sku, total) VALUES (1, 1, 'x', 5)",
            &[],
        )
        .unwrap_err();
    assert_eq!(refused.code().map(|c| c.code()), Some("428C9"), "{refused}");

    assert!(pending::<computed::Computed>(&mut client).is_empty());
    up_to_date::<computed::Computed>(&mut client);
    let live = introspect(&mut client, &["public"]).unwrap();
    let table = live
        .tables
        .iter()
        .find(|t| t.name == "order_lines")
        .unwrap();
    let total = table.column("total").unwrap();
    assert_eq!(
        total.generated.as_deref(),
        Some("((quantity)::numeric * unit_price)")
    );
    assert_eq!(total.default, None);
    assert!(!total.nullable);
}

#[test]
fn a_changed_expression_waits_for_review_then_recomputes_every_row() {
    let (_db, mut client) = synced::<computed::Computed>();
    client.batch_execute(LINES).unwrap();
    assert_eq!(
        pending::<taxed::Taxed>(&mut client),
        [(
            ChangeKind::ColumnGenerated,
            Safety::Review,
            "public.order_lines.total".into()
        )]
    );
    let report = sync_with::<taxed::Taxed>(&mut client, &SyncOptions::development()).unwrap();
    assert_eq!(report.pending.len(), 1, "{report}");
    assert_eq!(
        lines(&mut client)[1].1,
        "30.00",
        "nothing applied without the opt-in"
    );

    let report = sync_with::<taxed::Taxed>(&mut client, &reviewed()).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_eq!(
        lines(&mut client),
        [
            (1, "3.75".into(), Some("AB-1".into())),
            (2, "37.50".into(), Some("CD-2".into())),
            (3, "1.24".into(), Some("EF-3".into())),
        ]
    );
    up_to_date::<taxed::Taxed>(&mut client);
}

#[test]
fn a_generated_column_declared_plain_keeps_its_values_and_takes_writes() {
    let (_db, mut client) = synced::<computed::Computed>();
    client.batch_execute(LINES).unwrap();
    let before = lines(&mut client);
    assert_eq!(
        pending::<written::Written>(&mut client),
        [(
            ChangeKind::ColumnGenerated,
            Safety::Review,
            "public.order_lines.total".into()
        )]
    );
    let report = sync_with::<written::Written>(&mut client, &reviewed()).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_eq!(lines(&mut client), before);
    client
        .batch_execute("UPDATE order_lines SET total = 99 WHERE id = 1")
        .expect("a plain column takes writes");
    up_to_date::<written::Written>(&mut client);
}

#[test]
fn a_plain_column_declared_generated_is_destructive() {
    let (_db, mut client) = synced::<written::Written>();
    client
        .batch_execute(
            "INSERT INTO order_lines (quantity, unit_price, sku, total) VALUES (2, 1.50, 'a', 7)",
        )
        .unwrap();
    assert_eq!(
        pending::<computed::Computed>(&mut client),
        [(
            ChangeKind::ColumnGenerated,
            Safety::Destructive,
            "public.order_lines.total".into()
        )]
    );
    let report = sync_with::<computed::Computed>(&mut client, &reviewed()).unwrap();
    assert_eq!(report.pending.len(), 1, "{report}");
    assert_eq!(lines(&mut client)[0].1, "7.00", "the written value is kept");
}

#[test]
fn a_missing_generated_column_is_added_safely_and_filled_for_existing_rows() {
    let (_db, mut client) = synced::<untotalled::Untotalled>();
    client.batch_execute(LINES).unwrap();
    let kinds: Vec<_> = pending::<computed::Computed>(&mut client)
        .into_iter()
        .map(|(kind, safety, _)| (kind, safety))
        .collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::MissingColumn, Safety::Safe),
            (ChangeKind::MissingColumn, Safety::Safe)
        ]
    );
    let report = sync_with::<computed::Computed>(&mut client, &SyncOptions::development()).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_eq!(
        lines(&mut client)[1],
        (2, "30.00".into(), Some("CD-2".into()))
    );
    up_to_date::<computed::Computed>(&mut client);
}

#[test]
fn the_fast_path_sees_an_expression_dropped_by_hand() {
    let (_db, mut client) = synced::<computed::Computed>();
    up_to_date::<computed::Computed>(&mut client);
    client
        .batch_execute("ALTER TABLE order_lines ALTER COLUMN sku_key DROP EXPRESSION")
        .unwrap();
    assert_eq!(
        pending::<computed::Computed>(&mut client),
        [(
            ChangeKind::ColumnGenerated,
            Safety::Destructive,
            "public.order_lines.sku_key".into()
        )]
    );
    let report = verify::<computed::Computed>(&mut client).expect("verify");
    assert!(!report.fast_path, "{report}");
    assert_eq!(report.outcome, Outcome::Drifted, "{report}");
    assert_eq!(report.pending[0].kind, ChangeKind::ColumnGenerated);
}

#[test]
fn a_data_copy_leaves_generated_columns_to_the_target() {
    let (_a, mut source) = synced::<computed::Computed>();
    let (_b, mut target) = synced::<computed::Computed>();
    source.batch_execute(LINES).unwrap();
    let schema = Target::default();
    let options = CopyOptions {
        apply: true,
        ..Default::default()
    };
    let report = copy(
        Side::new(&mut source, &schema),
        Side::new(&mut target, &schema),
        &computed::Computed::EXPECTED_SCHEMA,
        &options,
    )
    .expect("copy");
    assert_eq!(report.plan.rows(), 3, "{report:?}");
    assert_eq!(lines(&mut target), lines(&mut source));
}
