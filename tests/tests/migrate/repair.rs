//! `repair`: accepting a changed file, and clearing the dirty state a migration outside a transaction leaves.

use std::fs;

use schema_core::Target;
use schema_core::migrate::{self, Direction, MigrateError, State};

use crate::common::{catalog_lines, fresh};
use crate::fixtures::{
    basic_copy, exists, folder, from_dir, history, options, states, status, tracked, write,
};

#[test]
fn a_modified_applied_file_is_refused_until_repaired() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = basic_copy(&[]);
    migrate::up_to(
        &mut client,
        &from_dir(dir.path()),
        &Target::default(),
        &o,
        2,
    )
    .expect("up to 2");
    let catalog = catalog_lines(&mut client, "public");
    let rows = tracked(&mut client);

    let file = dir.path().join("002_create_books.up.sql");
    let sql = fs::read_to_string(&file).expect("the file") + "\n-- Reviewed.\n";
    fs::write(&file, sql).expect("the change");
    let changed = from_dir(dir.path());

    let err = migrate::up(&mut client, &changed, &Target::default(), &o).unwrap_err();
    let MigrateError::Modified { migrations } = &err else {
        panic!("expected Modified, got {err}");
    };
    assert_eq!(
        migrations.iter().map(|m| m.version).collect::<Vec<_>>(),
        [2]
    );
    assert_eq!(
        err.to_string(),
        format!(
            "`{}` changed since it was applied (the checksum differs); if the change is \
             intended (a comment, formatting, an equivalent fix), run `migrate repair` to \
             accept it, otherwise restore the file as it was applied. Nothing was changed",
            file.display()
        )
    );
    let err = migrate::down(&mut client, &changed, &Target::default(), &o).unwrap_err();
    assert!(matches!(err, MigrateError::Modified { .. }), "{err}");
    assert_eq!(catalog_lines(&mut client, "public"), catalog);
    assert_eq!(tracked(&mut client), rows);
    assert_eq!(status(&mut client, &changed).in_state(State::Modified), [2]);

    let repaired = migrate::repair(&mut client, &changed, &Target::default(), &o).expect("repair");
    assert_eq!(repaired.versions(), [2]);
    assert!(
        repaired.migrations[0]
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("accepted"))
    );
    assert!(
        status(&mut client, &changed)
            .in_state(State::Modified)
            .is_empty()
    );
    assert_eq!(
        migrate::up(&mut client, &changed, &Target::default(), &o)
            .expect("up")
            .versions(),
        [3, 4]
    );
    assert_eq!(
        history(&mut client, "migration").last().unwrap().0,
        "applied"
    );
    assert!(
        history(&mut client, "migration")
            .iter()
            .any(|(outcome, notes)| outcome == "repaired" && notes.starts_with("repair: 2: "))
    );
}

#[test]
fn a_failing_no_transaction_migration_is_dirty_until_repaired() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = folder(&[
        ("001_a.sql", "CREATE TABLE a (id int);"),
        (
            "002_index.sql",
            "-- schema-core: no-transaction\n\
             CREATE TABLE made (id int);\n\
             CREATE INDEX CONCURRENTLY made_idx ON missing (id);\n",
        ),
    ]);
    let err = migrate::up(&mut client, &from_dir(dir.path()), &Target::default(), &o).unwrap_err();
    let MigrateError::Failed {
        location, dirty, ..
    } = &err
    else {
        panic!("expected Failed, got {err}");
    };
    assert_eq!(
        (location.as_deref(), *dirty),
        (Some("statement 2 of 2 (line 3)"), true)
    );
    assert!(err.to_string().contains("the database is marked dirty"));
    // What ran before the failure stays: that is what "dirty" means.
    assert!(exists(&mut client, "made"));
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (2, "dirty".into())]
    );
    let now = status(&mut client, &from_dir(dir.path()));
    assert_eq!(now.in_state(State::Dirty), [2]);
    assert!(
        now.migrations[1]
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("up failed at statement 2 of 2 (line 3): ERROR 42P01")),
        "{:?}",
        now.migrations[1].error
    );

    for refused in [
        migrate::up(&mut client, &from_dir(dir.path()), &Target::default(), &o),
        migrate::down(&mut client, &from_dir(dir.path()), &Target::default(), &o),
    ] {
        let err = refused.unwrap_err();
        assert!(
            matches!(
                err,
                MigrateError::Dirty {
                    version: 2,
                    direction: Direction::Up,
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string().contains(
                "the statements before the failing one stay applied: undo them by hand, then \
                 run `migrate repair`, and the next `migrate up` runs the migration again"
            ),
            "{err}"
        );
    }

    // A person undoes what ran, fixes the file, and repairs.
    client.batch_execute("DROP TABLE made").expect("undo");
    write(
        dir.path(),
        "002_index.sql",
        "-- schema-core: no-transaction\n\
         CREATE TABLE made (id int);\n\
         CREATE INDEX CONCURRENTLY made_idx ON made (id);\n",
    );
    let fixed = from_dir(dir.path());
    let repaired = migrate::repair(&mut client, &fixed, &Target::default(), &o).expect("repair");
    assert_eq!(repaired.versions(), [2]);
    assert_eq!(
        repaired.migrations[0].note.as_deref(),
        Some("cleared the dirty state: the migration is pending again")
    );
    assert_eq!(status(&mut client, &fixed).in_state(State::Pending), [2]);
    assert_eq!(
        migrate::up(&mut client, &fixed, &Target::default(), &o)
            .expect("up")
            .versions(),
        [2]
    );
    assert!(exists(&mut client, "made_idx"));
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (2, "applied".into())]
    );
}

#[test]
fn a_failing_no_transaction_down_is_finished_by_hand_then_repaired_as_reverted() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = folder(&[
        ("001_a.sql", "CREATE TABLE a (id int);"),
        (
            "002_made.up.sql",
            "-- schema-core: no-transaction\n\
             CREATE TABLE made (id int);\n\
             CREATE INDEX CONCURRENTLY made_idx ON made (id);\n",
        ),
        (
            "002_made.down.sql",
            "-- schema-core: no-transaction\n\
             DROP INDEX CONCURRENTLY made_idx;\n\
             DROP TABLE maid;\n",
        ),
    ]);
    let set = from_dir(dir.path());
    migrate::up(&mut client, &set, &Target::default(), &o).expect("up");
    let err = migrate::down(&mut client, &set, &Target::default(), &o).unwrap_err();
    let MigrateError::Failed {
        direction,
        location,
        dirty,
        unrecorded,
        ..
    } = &err
    else {
        panic!("expected Failed, got {err}");
    };
    assert_eq!(
        (*direction, location.as_deref(), *dirty, *unrecorded),
        (
            Direction::Down,
            Some("statement 2 of 2 (line 3)"),
            true,
            false
        )
    );
    assert!(
        err.to_string().ends_with(
            "it ran outside a transaction, so the statements before the failing one stay \
             applied and the database is marked dirty: finish the revert by hand (run the \
             rest of its down SQL), then run `migrate repair`, which records the migration \
             as reverted"
        ),
        "{err}"
    );
    // The index is gone, the table is not: the revert stopped halfway.
    assert!(!exists(&mut client, "made_idx") && exists(&mut client, "made"));
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (2, "dirty".into())]
    );
    let now = status(&mut client, &set);
    assert!(
        now.migrations[1]
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("down failed at statement 2 of 2 (line 3): ERROR 42P01")),
        "{:?}",
        now.migrations[1].error
    );
    assert!(
        now.to_string()
            .contains("finish the revert by hand, then `migrate repair`"),
        "{now}"
    );
    for refused in [
        migrate::up(&mut client, &set, &Target::default(), &o),
        migrate::down(&mut client, &set, &Target::default(), &o),
    ] {
        let err = refused.unwrap_err();
        assert!(
            matches!(
                err,
                MigrateError::Dirty {
                    version: 2,
                    direction: Direction::Down,
                    ..
                }
            ),
            "{err}"
        );
        let text = err.to_string();
        assert!(
            text.starts_with(
                "reverting migration 2 (made) did not finish and left the database dirty: down \
                 failed at statement 2 of 2 (line 3)"
            ),
            "{text}"
        );
        assert!(
            text.ends_with(
                "finish the revert by hand (run the rest of its down SQL), then run `migrate \
                 repair`, which records the migration as reverted. Nothing was changed by this \
                 run"
            ),
            "{text}"
        );
    }

    // A person finishes the revert by hand, and repairs.
    client
        .batch_execute("DROP TABLE made")
        .expect("the rest of the revert");
    let repaired = migrate::repair(&mut client, &set, &Target::default(), &o).expect("repair");
    assert_eq!(
        repaired.migrations[0].note.as_deref(),
        Some("cleared the dirty state of its revert: recorded as reverted (pending)")
    );
    assert_eq!(tracked(&mut client), [(1, "applied".into())]);
    assert_eq!(
        states(&status(&mut client, &set)),
        [(1, State::Applied), (2, State::Pending)]
    );
    // The database is where the migration found it: applying it again works.
    assert_eq!(
        migrate::up(&mut client, &set, &Target::default(), &o)
            .expect("up")
            .versions(),
        [2]
    );
    assert!(exists(&mut client, "made_idx"));
}

#[test]
fn a_no_transaction_migration_whose_recording_fails_stays_dirty_and_says_so() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = folder(&[
        ("001_a.sql", "CREATE TABLE a (id int);"),
        (
            "002_made.sql",
            "-- schema-core: no-transaction\n\
             CREATE TABLE made (id int);\n\
             -- The history takes no more rows: recording this migration fails.\n\
             ALTER TABLE schema_versions ADD CONSTRAINT no_more_rows CHECK (false) NOT VALID;\n",
        ),
    ]);
    let set = from_dir(dir.path());
    let err = migrate::up(&mut client, &set, &Target::default(), &o).unwrap_err();
    let MigrateError::Failed {
        migration,
        dirty,
        unrecorded,
        source,
        report,
        ..
    } = &err
    else {
        panic!("expected Failed, got {err}");
    };
    assert_eq!(
        (migration.version, *dirty, *unrecorded, source.code()),
        (2, true, true, Some("23514"))
    );
    assert_eq!(report.versions(), [1]);
    assert!(
        err.to_string().contains(
            "every statement ran, but recording the migration failed, so it stays marked \
             dirty: check the database, then run `migrate repair` and `migrate baseline 2`"
        ),
        "{err}"
    );
    // The tracking row and the history row commit together: neither says "applied".
    assert!(exists(&mut client, "made"));
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (2, "dirty".into())]
    );
    assert_eq!(
        history(&mut client, "migration"),
        [("applied".to_owned(), "up 1 (a)".to_owned())]
    );
    let now = status(&mut client, &set);
    assert!(
        now.migrations[1]
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("up ran every statement, but recording that failed")),
        "{:?}",
        now.migrations[1].error
    );

    client
        .batch_execute("ALTER TABLE schema_versions DROP CONSTRAINT no_more_rows")
        .expect("the history takes rows again");
    migrate::repair(&mut client, &set, &Target::default(), &o).expect("repair");
    migrate::baseline(&mut client, &set, &Target::default(), &o, 2).expect("baseline");
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (2, "baselined".into())]
    );
}
