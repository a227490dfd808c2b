//! Tenant-safe foreign keys and live-only uniques of the multi-tenant `crm`, enforced
//! by a real PostgreSQL: the database itself refuses a reference across tenants, even
//! from a superuser that row-level security does not stop.

mod common;

use postgres::Client;
use postgres::error::SqlState;
use schema_core::testing::TestDatabase;
use schema_core::{SchemaSet, SyncOptions, sync_with};
use schema_defs::crm::Crm;

use common::fresh;

/// Tenant 1 has user 1 and customer 10, tenant 2 has user 2 and customer 20.
fn seeded() -> (TestDatabase, Client) {
    let (db, mut client) = fresh();
    sync_with::<Crm>(&mut client, &SyncOptions::development()).expect("sync");
    client
        .batch_execute(
            "INSERT INTO organizations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'One'), (2, 'Two');
             INSERT INTO users (id, tenant_id, email, display_name) OVERRIDING SYSTEM VALUE
             VALUES (1, 1, 'ana@one.example', 'Ana'), (2, 2, 'ben@two.example', 'Ben');
             INSERT INTO customers (id, tenant_id, owner_id, name) OVERRIDING SYSTEM VALUE
             VALUES (10, 1, 1, 'Acme'), (20, 2, 2, 'Birch');",
        )
        .expect("seed");
    (db, client)
}

fn refused(client: &mut Client, sql: &str) -> SqlState {
    let error = client.batch_execute(sql).unwrap_err();
    error.code().cloned().unwrap_or_else(|| panic!("{error:?}"))
}

#[test]
fn a_reference_across_tenants_is_refused_by_the_database() {
    let (_db, mut client) = seeded();
    // A note of tenant 1 about tenant 2's customer, a customer of tenant 1 owned by
    // tenant 2's user, a file of tenant 2 uploaded by tenant 1's user.
    for sql in [
        "INSERT INTO customer_notes (tenant_id, customer_id, body) VALUES (1, 20, 'x')",
        "INSERT INTO customers (tenant_id, owner_id, name) VALUES (1, 2, 'Cedar')",
        "INSERT INTO customer_files (tenant_id, customer_id, uploaded_by, file_name,
                                     content_type, size_bytes, content)
         VALUES (2, 20, 1, 'a.txt', 'text/plain', 1, 'x')",
        "UPDATE customers SET owner_id = 2 WHERE id = 10",
    ] {
        assert_eq!(
            refused(&mut client, sql),
            SqlState::FOREIGN_KEY_VIOLATION,
            "{sql}"
        );
    }
    // The same rows within one tenant are accepted.
    client
        .batch_execute(
            "INSERT INTO customer_notes (tenant_id, customer_id, author_id, body)
             VALUES (2, 20, 2, 'fine');
             INSERT INTO customers (tenant_id, owner_id, name) VALUES (1, 1, 'Cedar');",
        )
        .expect("same-tenant references");
}

#[test]
fn deleting_a_referenced_user_clears_only_the_reference() {
    let (_db, mut client) = seeded();
    client
        .batch_execute("DELETE FROM users WHERE id = 1")
        .expect("delete a user");
    let row = client
        .query_one(
            "SELECT tenant_id, owner_id FROM customers WHERE id = 10",
            &[],
        )
        .unwrap();
    let (tenant, owner): (i64, Option<i64>) = (row.get(0), row.get(1));
    assert_eq!((tenant, owner), (1, None));
}

#[test]
fn the_parents_key_is_derived_and_reads_back_as_declared() {
    let users = Crm::EXPECTED_SCHEMA.table("users").unwrap();
    let keys: Vec<(&str, Vec<&str>)> = users
        .uniques
        .iter()
        .map(|k| (&*k.name, k.columns.iter().map(|c| &**c).collect()))
        .collect();
    assert_eq!(keys, [("users_tenant_id_id_key", vec!["tenant_id", "id"])]);
    let notes = Crm::EXPECTED_SCHEMA.table("customer_notes").unwrap();
    let author = notes
        .foreign_keys
        .iter()
        .find(|fk| fk.name == "customer_notes_author_id_fkey")
        .unwrap();
    assert_eq!(&*author.columns, ["tenant_id", "author_id"]);
    assert_eq!(&*author.ref_columns, ["tenant_id", "id"]);
    assert_eq!(&*author.set_columns, ["author_id"]);
}

#[test]
fn a_deleted_user_frees_the_email_address() {
    let (_db, mut client) = seeded();
    let duplicate = "INSERT INTO users (id, tenant_id, email, display_name) OVERRIDING SYSTEM VALUE
                     VALUES (3, 1, 'ana@one.example', 'Ana again')";
    assert_eq!(
        refused(&mut client, duplicate),
        SqlState::UNIQUE_VIOLATION,
        "two live users of one tenant share an address"
    );
    // Another tenant may use the same address.
    client
        .batch_execute(
            "INSERT INTO users (id, tenant_id, email, display_name) OVERRIDING SYSTEM VALUE
             VALUES (4, 2, 'ana@one.example', 'Ana')",
        )
        .expect("the same address in another tenant");
    client
        .batch_execute("UPDATE users SET deleted_at = now() WHERE id = 1")
        .expect("soft-delete");
    client
        .batch_execute(duplicate)
        .expect("the address is free once its user is deleted");
}

#[test]
fn a_dropped_parent_key_and_its_references_are_restored_on_a_table_with_rows() {
    let (_db, mut client) = seeded();
    client
        .batch_execute(
            "INSERT INTO customer_notes (tenant_id, customer_id, author_id, body)
             VALUES (1, 10, 1, 'kept');
             ALTER TABLE users DROP CONSTRAINT users_tenant_id_id_key CASCADE;",
        )
        .unwrap();
    let report = sync_with::<Crm>(&mut client, &SyncOptions::development()).expect("repair");
    assert!(report.pending.is_empty(), "{report}");
    assert!(report.warnings.is_empty(), "{report}");
    let again = sync_with::<Crm>(&mut client, &SyncOptions::development()).expect("verify");
    assert!(
        again.applied.is_empty() && again.pending.is_empty(),
        "{again}"
    );
    assert_eq!(
        refused(
            &mut client,
            "INSERT INTO customer_notes (tenant_id, customer_id, author_id, body) VALUES (1, 10, 2, 'x')"
        ),
        SqlState::FOREIGN_KEY_VIOLATION
    );
}

#[test]
fn a_key_that_clears_the_tenant_on_delete_differs() {
    let (_db, mut client) = seeded();
    client
        .batch_execute(
            "ALTER TABLE customers DROP CONSTRAINT customers_owner_id_fkey,
               ADD CONSTRAINT customers_owner_id_fkey FOREIGN KEY (tenant_id, owner_id)
               REFERENCES users (tenant_id, id) ON DELETE SET NULL",
        )
        .unwrap();
    let report =
        sync_with::<Crm>(&mut client, &SyncOptions::development().dry_run()).expect("plan");
    let changes: Vec<(&str, &str)> = report
        .pending
        .iter()
        .map(|c| (c.kind.code(), c.detail.as_str()))
        .collect();
    assert_eq!(
        changes,
        [(
            "foreign-key-differs",
            "columns set on delete: expected (owner_id), found all"
        )],
        "{report}"
    );
}
