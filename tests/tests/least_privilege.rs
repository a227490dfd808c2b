//! The least-privileged role the seed applications run as — it may create tables in its
//! schema and nothing more (no `CREATE` on the database) — can cold-sync, repair drift
//! and take a new version of the schema, against a real PostgreSQL.

mod common;

use postgres::{Client, NoTls};
use schema_core::diff::ChangeKind;
use schema_core::{Outcome, SyncOptions, Table, schema_set, sync_with};

use common::accounts::Accounts;
use common::fresh;

/// A login role with `USAGE, CREATE` on `public` and nothing else, created by the
/// database owner, and a connection as that role. Dropped with [`drop_role`].
fn app_role(db: &schema_core::testing::TestDatabase, owner: &mut Client) -> (String, Client) {
    let role = format!("{}_app", db.name());
    owner
        .batch_execute(&format!(
            "CREATE ROLE \"{role}\" LOGIN;
             GRANT USAGE, CREATE ON SCHEMA public TO \"{role}\";"
        ))
        .expect("create the app role");
    let mut config = db.config().clone();
    config.user(&role);
    let client = config.connect(NoTls).expect("connect as the app role");
    (role, client)
}

fn drop_role(owner: &mut Client, role: &str) {
    owner
        .batch_execute(&format!("DROP OWNED BY \"{role}\"; DROP ROLE \"{role}\";"))
        .expect("drop the app role");
}

#[test]
fn the_app_role_cold_syncs_and_repairs_drift() {
    let (db, mut owner) = fresh();
    let (role, mut app) = app_role(&db, &mut owner);
    let can_create_on_database: bool = app
        .query_one(
            "SELECT has_database_privilege(current_database(), 'CREATE')",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!can_create_on_database, "the role must not have CREATE");

    let cold = sync_with::<Accounts>(&mut app, &SyncOptions::development()).expect("cold sync");
    assert_eq!(cold.outcome, Outcome::Applied, "{cold}");

    app.batch_execute("ALTER TABLE accounts ALTER COLUMN plan DROP DEFAULT")
        .unwrap();
    let repaired = sync_with::<Accounts>(&mut app, &SyncOptions::development()).expect("repair");
    assert_eq!(repaired.outcome, Outcome::Applied, "{repaired}");
    let kinds: Vec<ChangeKind> = repaired.applied.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::ColumnDefault], "{repaired}");

    let after = sync_with::<Accounts>(&mut app, &SyncOptions::development()).expect("verify");
    assert!(
        after.fast_path && after.outcome == Outcome::UpToDate,
        "{after}"
    );
    drop(app);
    drop_role(&mut owner, &role);
}

/// The next version of `accounts`: the same table with a check and a default that the
/// database has not seen, so nothing cached can spell them.
pub mod next_version {
    use schema_core::Table;

    #[derive(Table)]
    #[table(name = "tickets")]
    pub struct Ticket {
        #[column(primary_key, identity)]
        pub id: i64,
        #[column(check = "length(title) > 0")]
        pub title: String,
        #[column(default = "'open'")]
        pub state: String,
    }
}

#[derive(Table)]
#[table(name = "tickets")]
pub struct Ticket {
    #[column(primary_key, identity)]
    pub id: i64,
    pub title: String,
    pub state: String,
}

schema_set!(pub TicketsV1 = [Ticket]);
schema_set!(pub TicketsV2 = [next_version::Ticket]);

#[test]
fn the_app_role_takes_a_new_version_with_new_expressions() {
    let (db, mut owner) = fresh();
    let (role, mut app) = app_role(&db, &mut owner);
    sync_with::<TicketsV1>(&mut app, &SyncOptions::development()).expect("version 1");
    app.batch_execute("INSERT INTO tickets (title, state) VALUES ('first', 'open')")
        .unwrap();

    // A new fingerprint: the declared expressions are spelled anew, in temporary tables.
    let report = sync_with::<TicketsV2>(&mut app, &SyncOptions::development()).expect("v2");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    let kinds: Vec<ChangeKind> = report.applied.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [ChangeKind::ColumnDefault, ChangeKind::MissingCheck],
        "{report}"
    );
    let again = sync_with::<TicketsV2>(&mut app, &SyncOptions::development()).expect("again");
    assert!(
        again.fast_path && again.outcome == Outcome::UpToDate,
        "{again}"
    );
    drop(app);
    drop_role(&mut owner, &role);
}
