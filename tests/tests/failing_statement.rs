//! When the server rejects a sync's DDL, the error names the statement it rejected and,
//! for a missing privilege or a read-only transaction, says what to do about it.

mod common;

use postgres::Client;
use schema_core::sync::sync_schema;
use schema_core::testing::TestDatabase;
use schema_core::{SchemaSet, SyncOptions, Target, sync_with};

use common::accounts::Accounts;
use common::fresh;

/// A role with `USAGE` but no `CREATE` on schema `app`, which the session switches to.
/// Roles belong to the whole server: the name carries the test database's.
fn role_without_create(db: &TestDatabase, client: &mut Client) -> String {
    let role = format!("{}_app", db.name());
    client
        .batch_execute(&format!(
            "CREATE ROLE \"{role}\" NOLOGIN;
             CREATE SCHEMA app;
             GRANT USAGE ON SCHEMA app TO \"{role}\";"
        ))
        .unwrap();
    role
}

fn drop_role(client: &mut Client, role: &str) {
    client
        .batch_execute(&format!(
            "RESET ROLE; DROP OWNED BY \"{role}\"; DROP ROLE \"{role}\";"
        ))
        .unwrap();
}

#[test]
fn without_create_on_the_schema_the_history_table_is_named_with_the_grant() {
    let (db, mut client) = fresh();
    let role = role_without_create(&db, &mut client);
    client
        .batch_execute(&format!("SET ROLE \"{role}\""))
        .unwrap();

    let target = Target::new("app").unwrap();

    let options = SyncOptions::development();
    let err = sync_schema(&mut client, &Accounts::EXPECTED_SCHEMA, &target, &options)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("sync failed at `CREATE TABLE IF NOT EXISTS \"app\".\"schema_versions\""),
        "{err}"
    );
    assert!(err.contains("42501"), "{err}");
    assert!(
        err.contains(&format!("GRANT CREATE ON SCHEMA \"app\" TO \"{role}\"")),
        "{err}"
    );
    drop_role(&mut client, &role);
}

#[test]
fn without_create_on_the_schema_the_rejected_ddl_is_named_with_the_grant() {
    let (db, mut client) = fresh();
    let role = role_without_create(&db, &mut client);
    // The history table exists and the role may write it; the schema's tables are gone.
    let target = Target::new("app").unwrap();
    let options = SyncOptions::development();
    sync_schema(&mut client, &Accounts::EXPECTED_SCHEMA, &target, &options).unwrap();
    client
        .batch_execute(&format!(
            "DROP TABLE app.notes;
             GRANT SELECT, INSERT, UPDATE ON app.schema_versions TO \"{role}\";
             GRANT USAGE ON SEQUENCE app.schema_versions_id_seq TO \"{role}\";
             GRANT CREATE ON DATABASE \"{db}\" TO \"{role}\";
             SET ROLE \"{role}\";",
            db = db.name()
        ))
        .unwrap();

    let err = sync_schema(&mut client, &Accounts::EXPECTED_SCHEMA, &target, &options)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("sync failed at `CREATE TABLE \"app\".\"notes\""),
        "{err}"
    );
    assert!(
        err.contains(&format!("GRANT CREATE ON SCHEMA \"app\" TO \"{role}\"")),
        "{err}"
    );
    client
        .batch_execute(&format!(
            "RESET ROLE; REVOKE CREATE ON DATABASE \"{db}\" FROM \"{role}\"",
            db = db.name()
        ))
        .unwrap();
    drop_role(&mut client, &role);
}

#[test]
fn a_read_only_database_is_named_as_the_cause() {
    let (db, mut client) = fresh();
    client
        .batch_execute(&format!(
            "ALTER DATABASE \"{}\" SET default_transaction_read_only = on",
            db.name()
        ))
        .unwrap();
    let mut client = db.connect().unwrap();

    let err = sync_with::<Accounts>(&mut client, &SyncOptions::development())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "sync failed at `CREATE TABLE IF NOT EXISTS \"public\".\"schema_versions\""
        ),
        "{err}"
    );
    assert!(err.contains("25006"), "{err}");
    assert!(err.contains("transactions are read-only"), "{err}");
    assert!(err.contains("default_transaction_read_only"), "{err}");
}

#[test]
fn a_missing_schema_the_role_may_not_create_is_named_with_the_grant() {
    let (db, mut client) = fresh();
    let role = role_without_create(&db, &mut client);
    client
        .batch_execute(&format!("SET ROLE \"{role}\""))
        .unwrap();

    let target = Target::new("tenant_7").unwrap();

    let options = SyncOptions::development();
    let err = sync_schema(&mut client, &Accounts::EXPECTED_SCHEMA, &target, &options)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("sync failed at `CREATE SCHEMA IF NOT EXISTS \"tenant_7\"`"),
        "{err}"
    );
    for fix in [
        format!("GRANT CREATE ON DATABASE \"{}\" TO \"{role}\"", db.name()),
        format!("CREATE SCHEMA \"tenant_7\" AUTHORIZATION \"{role}\""),
    ] {
        assert!(err.contains(&fix), "{fix}: {err}");
    }
    drop_role(&mut client, &role);
}
