//! Generated migrations carry trigger functions and triggers: the up SQL creates or
//! replaces them, the down SQL drops what the up SQL created and puts back what it
//! replaced.

use std::fs;

use postgres::Client;
use schema_core::migrate;
use schema_core::{Outcome, Target, verify};
use schema_defs::crm::Crm;

use crate::common::fresh;
use crate::fixtures::{from_dir, options};

fn body(client: &mut Client) -> Option<String> {
    client
        .query_opt(
            "SELECT prosrc FROM pg_proc WHERE proname = 'touch_updated_at'",
            &[],
        )
        .unwrap()
        .map(|r| r.get(0))
}

fn triggers(client: &mut Client) -> i64 {
    client
        .query_one(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn a_generated_migration_creates_replaces_and_reverts_functions_and_triggers() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = tempfile::tempdir().expect("a folder");
    let migrations = dir.path().join("migrations");

    let first = migrate::generate::<Crm>(&mut client, &migrations, "initial_schema", &o)
        .expect("generate")
        .expect("a migration");
    let up = fs::read_to_string(&first.files.up).unwrap();
    assert!(
        up.contains("CREATE OR REPLACE FUNCTION \"public\".\"touch_updated_at\"()"),
        "{up}"
    );
    assert!(up.contains("CREATE OR REPLACE TRIGGER \"audit_row_change\" AFTER INSERT OR UPDATE OR DELETE ON \"public\".\"customers\""), "{up}");
    let down = fs::read_to_string(first.files.down.as_ref().unwrap()).unwrap();
    assert!(
        down.contains("DROP FUNCTION \"public\".\"audit_row_change\"()"),
        "{down}"
    );
    migrate::up(&mut client, &from_dir(&migrations), &Target::default(), &o).expect("up");
    let verified = verify::<Crm>(&mut client).expect("verify");
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    assert_eq!(
        triggers(&mut client),
        6,
        "five tables keep updated_at, customers are audited"
    );
    let declared = body(&mut client).expect("the function");

    // Drift the function, then generate the migration that repairs it.
    let drifted = " BEGIN RETURN NEW; END ";
    client
        .batch_execute(&format!(
            "CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $${drifted}$$"
        ))
        .unwrap();
    migrate::generate::<Crm>(&mut client, &migrations, "repair_touch", &o)
        .expect("generate")
        .expect("a migration");
    let set = from_dir(&migrations);
    assert_eq!(
        migrate::up(&mut client, &set, &Target::default(), &o)
            .expect("up")
            .versions(),
        [2]
    );
    assert_eq!(body(&mut client).as_deref(), Some(&*declared));
    migrate::down(&mut client, &set, &Target::default(), &o).expect("down");
    assert_eq!(
        body(&mut client).as_deref(),
        Some(drifted),
        "the down SQL puts the old body back"
    );

    migrate::down_to(&mut client, &set, &Target::default(), &o, 0).expect("down to 0");
    assert_eq!(body(&mut client), None);
    assert_eq!(triggers(&mut client), 0);
}
