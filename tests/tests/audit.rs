//! `#[table(audit)]` against a real PostgreSQL: every insert, update and delete of `crm`
//! customers lands in `audit_log` with the key, the old and new rows and the acting user.

mod common;

use schema_core::{Outcome, SyncOptions, sync_with};
use schema_defs::crm::Crm;
use serde_json::{Value, json};

use common::fresh;

#[test]
fn inserts_updates_and_deletes_are_recorded_with_the_acting_user() {
    let (_db, mut client) = fresh();
    let report = sync_with::<Crm>(&mut client, &SyncOptions::development()).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");

    let mut tx = client.transaction().unwrap();
    tx.batch_execute(
        "SET LOCAL schema_core.acting_user = 'alice';
         INSERT INTO organizations (name) VALUES ('Org');
         INSERT INTO customers (tenant_id, name) SELECT id, 'Acme' FROM organizations;
         UPDATE customers SET phone = '555-0100' WHERE name = 'Acme';",
    )
    .unwrap();
    tx.commit().unwrap();
    // Without the setting, the session's role acts.
    client
        .batch_execute("DELETE FROM customers WHERE name = 'Acme'")
        .unwrap();
    // Other tables are not audited.
    client
        .batch_execute(
            "INSERT INTO users (tenant_id, email, display_name)
             SELECT id, 'b@example.com', 'B' FROM organizations",
        )
        .unwrap();

    let role: String = client
        .query_one("SELECT session_user::text", &[])
        .unwrap()
        .get(0);
    let rows = client
        .query(
            "SELECT table_schema, table_name, operation, row_key, old_row, new_row, acting_user
             FROM audit_log ORDER BY id",
            &[],
        )
        .unwrap();
    let ops: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(6)))
        .collect();
    let entry = |op: &str, user: &str| {
        (
            "public".to_owned(),
            "customers".to_owned(),
            op.to_owned(),
            user.to_owned(),
        )
    };
    assert_eq!(
        ops,
        [
            entry("INSERT", "alice"),
            entry("UPDATE", "alice"),
            entry("DELETE", &role)
        ]
    );

    let id: Value = rows[0].get::<_, Value>(5)["id"].clone();
    for row in &rows {
        assert_eq!(
            row.get::<_, Value>(3),
            json!({ "id": id }),
            "key of every entry"
        );
    }
    let (old, new): (Option<Value>, Option<Value>) = (rows[0].get(4), rows[0].get(5));
    assert_eq!(old, None, "an insert has no old row");
    assert_eq!(new.unwrap()["name"], "Acme");

    let (old, new): (Option<Value>, Option<Value>) = (rows[1].get(4), rows[1].get(5));
    assert_eq!(old.unwrap()["phone"], Value::Null);
    assert_eq!(new.unwrap()["phone"], "555-0100");

    let (old, new): (Option<Value>, Option<Value>) = (rows[2].get(4), rows[2].get(5));
    assert_eq!(old.unwrap()["phone"], "555-0100");
    assert_eq!(new, None, "a delete has no new row");
}
