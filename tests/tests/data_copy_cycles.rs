//! `data::copy` across a reference cycle between two tables (a team's captain is one
//! of its players), against a real PostgreSQL: a nullable key is set by a second pass,
//! a deferrable one is checked at commit, and a cycle neither can satisfy is refused
//! before anything is written.

use postgres::Client;
use schema_core::data::{CopyOptions, DataError, RowSelection, Side, copy};
use schema_core::sync::sync_schema;
use schema_core::testing::TestDatabase;
use schema_core::{SchemaSet, SyncOptions, Target};

/// The captain may be unset: the cycle has a nullable side.
pub mod nullable {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "teams")]
    pub struct Team {
        #[column(primary_key)]
        pub id: i64,
        pub name: String,
        #[column(references = Player)]
        pub captain_id: Option<i64>,
    }

    #[derive(Table)]
    #[table(name = "players")]
    pub struct Player {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Team)]
        pub team_id: i64,
        pub name: String,
    }

    schema_set!(pub League = [Team, Player]);
}

/// Every team has a captain, checked at commit.
pub mod deferrable {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "teams")]
    pub struct Team {
        #[column(primary_key)]
        pub id: i64,
        pub name: String,
        #[column(references = Player, deferrable)]
        pub captain_id: i64,
    }

    #[derive(Table)]
    #[table(name = "players")]
    pub struct Player {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Team, deferrable)]
        pub team_id: i64,
        pub name: String,
    }

    schema_set!(pub League = [Team, Player]);
}

/// Every team has a captain, checked at once: no insert order works.
pub mod strict {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "teams")]
    pub struct Team {
        #[column(primary_key)]
        pub id: i64,
        pub name: String,
        #[column(references = Player)]
        pub captain_id: i64,
    }

    #[derive(Table)]
    #[table(name = "players")]
    pub struct Player {
        #[column(primary_key)]
        pub id: i64,
        #[column(references = Team)]
        pub team_id: i64,
        pub name: String,
    }

    schema_set!(pub League = [Team, Player]);
}

const ROWS: &str = "BEGIN;
    SET CONSTRAINTS ALL DEFERRED;
    INSERT INTO teams VALUES (1, 'Lions', 10), (2, 'Owls', 20);
    INSERT INTO players VALUES (10, 1, 'Ada'), (11, 1, 'Bo'), (20, 2, 'Cy');
    COMMIT;";

fn database(expected: &schema_core::ExpectedSchema) -> (TestDatabase, Client) {
    let db = TestDatabase::create().expect("a test database");
    let mut client = db.connect().expect("a connection");
    sync_schema(
        &mut client,
        expected,
        &Target::default(),
        &SyncOptions::development(),
    )
    .expect("sync");
    (db, client)
}

fn copy_all(
    expected: &schema_core::ExpectedSchema,
    source: &mut Client,
    target: &mut Client,
) -> Result<usize, DataError> {
    let schema = Target::default();
    copy(
        Side::new(source, &schema),
        Side::new(target, &schema),
        expected,
        &CopyOptions {
            selection: vec![
                ("teams".into(), RowSelection::Missing),
                ("players".into(), RowSelection::Missing),
            ],
            apply: true,
            ..Default::default()
        },
    )
    .map(|report| report.plan.rows())
}

fn rows(client: &mut Client) -> Vec<String> {
    client
        .query(
            "SELECT format('team %s %s %s', id, name, captain_id) FROM teams
             UNION ALL SELECT format('player %s %s %s', id, team_id, name) FROM players
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The source rows: with deferred keys, or captains set once the players exist.
fn seed(client: &mut Client, deferred: bool) {
    let sql = if deferred {
        ROWS
    } else {
        "INSERT INTO teams VALUES (1, 'Lions', NULL), (2, 'Owls', NULL);
         INSERT INTO players VALUES (10, 1, 'Ada'), (11, 1, 'Bo'), (20, 2, 'Cy');
         UPDATE teams SET captain_id = id * 10;"
    };
    client.batch_execute(sql).expect("seed");
}

#[test]
fn a_nullable_key_in_a_cycle_is_set_by_a_second_pass() {
    let expected = &nullable::League::EXPECTED_SCHEMA;
    let (_a, mut source) = database(expected);
    let (_b, mut target) = database(expected);
    seed(&mut source, false);
    assert_eq!(
        copy_all(expected, &mut source, &mut target).expect("copy"),
        5
    );
    assert_eq!(rows(&mut target), rows(&mut source));
}

#[test]
fn a_deferrable_key_in_a_cycle_is_checked_at_commit() {
    let expected = &deferrable::League::EXPECTED_SCHEMA;
    let (_a, mut source) = database(expected);
    let (_b, mut target) = database(expected);
    seed(&mut source, true);
    assert_eq!(
        copy_all(expected, &mut source, &mut target).expect("copy"),
        5
    );
    assert_eq!(rows(&mut target), rows(&mut source));
}

#[test]
fn a_cycle_no_order_satisfies_is_refused_before_writing() {
    let expected = &strict::League::EXPECTED_SCHEMA;
    let (_a, mut source) = database(expected);
    let (_b, mut target) = database(expected);
    // The source got its rows with the key dropped for a moment.
    source
        .batch_execute(
            "ALTER TABLE teams DROP CONSTRAINT teams_captain_id_fkey;
             INSERT INTO teams VALUES (1, 'Lions', 10);
             INSERT INTO players VALUES (10, 1, 'Ada');
             ALTER TABLE teams ADD CONSTRAINT teams_captain_id_fkey
                 FOREIGN KEY (captain_id) REFERENCES players (id);",
        )
        .unwrap();
    match copy_all(expected, &mut source, &mut target) {
        Err(DataError::Cycle { constraint, .. }) => {
            assert!(constraint.ends_with("_fkey"), "{constraint}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(rows(&mut target).is_empty());
}
