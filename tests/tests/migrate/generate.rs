//! `generate`: migrations written from a schema set build a database that verifies clean, and revert.

use std::fs;
use std::path::Path;

use postgres::Client;
use schema_core::migrate::{self, MigrateError, Migrations};
use schema_core::{Outcome, SchemaSet, SyncOptions, Target, verify};

use crate::common::{assert_same_catalog, catalog_lines, fresh};
use crate::fixtures::{basic_copy, from_dir, library, options};

/// Applies the generated second migration, checks that the database then matches `S`
/// exactly, and reverts it again; returns the migration set for further steps.
fn up_verify_down<S: SchemaSet>(
    client: &mut Client,
    migrations: &Path,
    o: &SyncOptions,
) -> Migrations {
    let set = from_dir(migrations);
    assert_eq!(
        migrate::up(client, &set, &Target::default(), o)
            .expect("up")
            .versions(),
        [2]
    );
    let verified = verify::<S>(client).expect("verify");
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    assert!(verified.unmanaged.is_empty(), "{verified}");
    assert_eq!(
        migrate::down(client, &set, &Target::default(), o)
            .expect("down")
            .versions(),
        [2]
    );
    set
}

/// The first version of a schema, and the second, which renames, widens, re-defaults,
/// adds, re-checks and extends it.
#[allow(dead_code)] // Declarations: only their descriptors are used.
mod shop_v1 {
    use schema_core::{SqlEnum, Table, schema_set};

    #[derive(SqlEnum)]
    #[sql_enum(name = "order_state")]
    pub enum OrderState {
        Open,
        Paid,
    }

    #[derive(Table)]
    #[table(name = "customers")]
    pub struct Customer {
        #[column(primary_key, serial)]
        pub id: i32,
        #[column(sql_type = "varchar(100)")]
        pub full_name: String,
        #[column(default = "0")]
        pub credit: i32,
    }

    #[derive(Table)]
    #[table(name = "orders", index(customer_id))]
    pub struct Order {
        #[column(primary_key, identity)]
        pub id: i64,
        #[column(references = Customer, on_delete = "cascade")]
        pub customer_id: i32,
        #[column(default = "'open'")]
        pub state: OrderState,
        #[column(check = "total >= 0")]
        pub total: i64,
    }

    /// No key, so no name derived from the table's: a rename is just a rename.
    #[derive(Table)]
    #[table(name = "audit_log")]
    pub struct AuditLog {
        pub event: String,
    }

    schema_set!(pub Shop = [Customer, Order, AuditLog]);
}

#[allow(dead_code)] // Declarations: only their descriptors are used.
mod shop_v2 {
    use schema_core::{SqlEnum, Table, schema_set};

    #[derive(SqlEnum)]
    #[sql_enum(name = "order_state")]
    pub enum OrderState {
        Open,
        Paid,
        Refunded,
    }

    #[derive(Table)]
    #[table(name = "customers", comment = "people who buy")]
    pub struct Customer {
        #[column(primary_key, serial)]
        pub id: i32,
        #[column(sql_type = "varchar(200)", renamed_from = "full_name")]
        pub name: String,
        #[column(default = "10")]
        pub credit: i32,
        pub email: Option<String>,
    }

    #[derive(Table)]
    #[table(name = "orders", index(customer_id), index(state))]
    pub struct Order {
        #[column(primary_key, identity)]
        pub id: i64,
        #[column(references = Customer, on_delete = "cascade")]
        pub customer_id: i32,
        #[column(default = "'open'")]
        pub state: OrderState,
        #[column(check = "total > 0")]
        pub total: i64,
        pub note: String,
    }

    #[derive(Table)]
    #[table(name = "audit_events", renamed_from = "audit_log")]
    pub struct AuditEvent {
        pub event: String,
    }

    #[derive(Table)]
    #[table(name = "refunds")]
    pub struct Refund {
        #[column(primary_key, serial)]
        pub id: i32,
        #[column(references = Order, index)]
        pub order_id: i64,
    }

    schema_set!(pub Shop = [Customer, Order, AuditEvent, Refund]);
}

#[test]
fn generated_migrations_build_a_database_that_verifies_clean_and_revert() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = tempfile::tempdir().expect("a folder");
    let migrations = dir.path().join("migrations");
    let empty = catalog_lines(&mut client, "public");

    let first = migrate::generate::<shop_v1::Shop>(&mut client, &migrations, "initial_schema", &o)
        .expect("generate")
        .expect("a migration");
    assert_eq!(first.files.up, migrations.join("001_initial_schema.up.sql"));
    let up = fs::read_to_string(&first.files.up).expect("the up file");
    assert!(up.contains("CREATE TYPE \"public\".\"order_state\" AS ENUM ('open', 'paid');"));
    assert!(up.contains("CREATE TABLE \"public\".\"customers\" ("));
    assert!(
        !up.contains("CONCURRENTLY") && !up.contains("NOT VALID"),
        "{up}"
    );
    let down = fs::read_to_string(first.files.down.as_ref().expect("a down file")).expect("down");
    assert!(
        down.ends_with("DROP TYPE \"public\".\"order_state\";\n"),
        "{down}"
    );
    assert!(
        !down.contains("DROP INDEX"),
        "indexes go with their tables:\n{down}"
    );

    let set = from_dir(&migrations);
    assert_eq!(
        migrate::up(&mut client, &set, &Target::default(), &o)
            .expect("up")
            .versions(),
        [1]
    );
    let verified = verify::<shop_v1::Shop>(&mut client).expect("verify");
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    assert!(verified.unmanaged.is_empty(), "{verified}");
    let v1 = catalog_lines(&mut client, "public");
    assert!(
        migrate::generate::<shop_v1::Shop>(&mut client, &migrations, "again", &o)
            .expect("generate")
            .is_none()
    );
    assert_eq!(
        from_dir(&migrations).len(),
        1,
        "nothing to generate, no file"
    );

    let second =
        migrate::generate::<shop_v2::Shop>(&mut client, &migrations, "extend_the_shop", &o)
            .expect("generate")
            .expect("a migration");
    let up = fs::read_to_string(&second.files.up).expect("the up file");
    for expected in [
        "ALTER TABLE \"public\".\"audit_log\" RENAME TO \"audit_events\";",
        "ALTER TABLE \"public\".\"customers\" RENAME COLUMN \"full_name\" TO \"name\";",
        "-- review: column-type public.customers.name: expected character varying(200), found \
         character varying(100)",
        "-- review: missing-column public.orders.note:",
        "-- review: check-differs public.orders.orders_total_check:",
        "ALTER TYPE \"public\".\"order_state\" ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';",
        "CREATE INDEX \"orders_state_idx\" ON \"public\".\"orders\" (\"state\");",
    ] {
        assert!(up.contains(expected), "missing {expected:?} in:\n{up}");
    }
    assert!(!up.contains("DROP COLUMN") && !up.contains("ADD COLUMN \"name\""));
    let down = fs::read_to_string(second.files.down.as_ref().expect("a down file")).expect("down");
    for expected in [
        "ALTER TABLE \"public\".\"customers\" RENAME COLUMN \"name\" TO \"full_name\";",
        "ALTER TABLE \"public\".\"customers\" ALTER COLUMN \"name\" TYPE character varying(100)",
        "ALTER TABLE \"public\".\"customers\" ALTER COLUMN \"credit\" SET DEFAULT 0;",
        "ALTER TABLE \"public\".\"audit_events\" RENAME TO \"audit_log\";",
        "DROP TABLE \"public\".\"refunds\";",
        "-- not reversible: PostgreSQL cannot drop an enum label: 'refunded' stays in \
         public.order_state",
    ] {
        assert!(down.contains(expected), "missing {expected:?} in:\n{down}");
    }
    assert_eq!(second.not_reversible.len(), 1);

    let set = up_verify_down::<shop_v2::Shop>(&mut client, &migrations, &o);
    // Everything is back but the enum label, which PostgreSQL cannot drop.
    let reverted = catalog_lines(&mut client, "public");
    let only_reverted: Vec<&String> = reverted.iter().filter(|l| !v1.contains(l)).collect();
    let only_v1: Vec<&String> = v1.iter().filter(|l| !reverted.contains(l)).collect();
    assert_eq!(only_reverted, ["enum order_state open,paid,refunded"]);
    assert_eq!(only_v1, ["enum order_state open,paid"]);

    migrate::down(&mut client, &set, &Target::default(), &o).expect("down");
    assert_same_catalog(
        "after reverting both",
        &catalog_lines(&mut client, "public"),
        "empty",
        &empty,
    );
}

/// A table with a key, a check and an index whose names derive from the table's; the
/// second version renames the table, tightens the check and makes the index unique.
#[allow(dead_code)] // Declarations: only their descriptors are used.
mod staff_v1 {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "people", index(name))]
    pub struct Person {
        #[column(primary_key)]
        pub id: i32,
        pub name: String,
        #[column(check = "age >= 0")]
        pub age: i32,
    }

    schema_set!(pub Staff = [Person]);
}

#[allow(dead_code)] // Declarations: only their descriptors are used.
mod staff_v2 {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "members", renamed_from = "people", index(name, unique))]
    pub struct Member {
        #[column(primary_key)]
        pub id: i32,
        pub name: String,
        #[column(check = "age >= 18")]
        pub age: i32,
    }

    schema_set!(pub Staff = [Member]);
}

#[test]
fn a_renamed_table_whose_derived_names_change_reverts_to_the_exact_catalog() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = tempfile::tempdir().expect("a folder");
    let migrations = dir.path().join("migrations");
    migrate::generate::<staff_v1::Staff>(&mut client, &migrations, "people", &o)
        .expect("generate")
        .expect("a migration");
    migrate::up(&mut client, &from_dir(&migrations), &Target::default(), &o).expect("up");
    let v1 = catalog_lines(&mut client, "public");
    assert!(
        v1.iter()
            .any(|l| l.starts_with("index CREATE INDEX people_name_idx"))
    );

    let second = migrate::generate::<staff_v2::Staff>(&mut client, &migrations, "members", &o)
        .expect("generate")
        .expect("a migration");
    let up = fs::read_to_string(&second.files.up).expect("the up file");
    for expected in [
        "ALTER TABLE \"public\".\"people\" RENAME TO \"members\";",
        "ALTER TABLE \"public\".\"members\" RENAME CONSTRAINT \"people_pkey\" TO \"members_pkey\";",
        "ALTER TABLE \"public\".\"members\" RENAME CONSTRAINT \"people_age_check\" TO \
         \"members_age_check\";",
        "ALTER INDEX \"public\".\"people_name_idx\" RENAME TO \"members_name_idx\";",
        "DROP INDEX \"public\".\"members_name_idx\";",
    ] {
        assert!(up.contains(expected), "missing {expected:?} in:\n{up}");
    }
    let down = fs::read_to_string(second.files.down.as_ref().expect("a down file")).expect("down");
    let statements: Vec<&str> = down
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("--"))
        .collect();
    assert_eq!(
        statements,
        [
            "DROP INDEX \"public\".\"members_name_idx\";",
            "CREATE INDEX \"members_name_idx\" ON \"public\".\"members\" (\"name\");",
            "ALTER TABLE \"public\".\"members\" DROP CONSTRAINT \"members_age_check\";",
            "ALTER TABLE \"public\".\"members\" ADD CONSTRAINT \"members_age_check\" CHECK \
             ((age >= 0));",
            "ALTER INDEX \"public\".\"members_name_idx\" RENAME TO \"people_name_idx\";",
            "ALTER TABLE \"public\".\"members\" RENAME CONSTRAINT \"members_age_check\" TO \
             \"people_age_check\";",
            "ALTER TABLE \"public\".\"members\" RENAME CONSTRAINT \"members_pkey\" TO \
             \"people_pkey\";",
            "ALTER TABLE \"public\".\"members\" RENAME TO \"people\";",
        ],
        "{down}"
    );
    assert!(second.not_reversible.is_empty());

    up_verify_down::<staff_v2::Staff>(&mut client, &migrations, &o);
    assert_same_catalog(
        "after reverting the rename",
        &catalog_lines(&mut client, "public"),
        "before it",
        &v1,
    );
}

#[test]
fn generate_refuses_while_migrations_are_pending() {
    let (_db, mut client) = fresh();
    let dir = basic_copy(&[]);
    let err = migrate::generate::<library::Library>(&mut client, dir.path(), "next", &options())
        .unwrap_err();
    assert!(
        matches!(&err, MigrateError::Pending { migrations } if migrations.len() == 4),
        "{err}"
    );
    assert_eq!(from_dir(dir.path()).len(), 4, "no file written");
}
