//! `down` and `down_to`: reverting restores the exact catalog, status follows each step, and what down refuses.

use schema_core::Target;
use schema_core::migrate::{self, MigrateError, State};

use crate::common::{assert_same_catalog, catalog_lines, count, fresh};
use crate::fixtures::{
    BASIC, basic_copy, exists, folder, from_dir, history, options, states, status, tracked,
};

#[test]
fn up_then_down_restores_the_exact_catalog_and_status_follows_each_step() {
    use State::{Applied, Pending};
    let (_db, mut client) = fresh();
    let o = options();
    let initial = status(&mut client, &BASIC);
    assert_eq!(
        states(&initial),
        [(1, Pending), (2, Pending), (3, Pending), (4, Pending)]
    );
    assert_eq!(initial.version, None);

    let mut catalogs = vec![catalog_lines(&mut client, "public")];
    for version in 1..=4 {
        let report =
            migrate::up_to(&mut client, &BASIC, &Target::default(), &o, version).expect("up");
        assert_eq!(report.versions(), [version]);
        assert_eq!(report.migrations[0].transactional, version != 4);
        catalogs.push(catalog_lines(&mut client, "public"));
        let now = status(&mut client, &BASIC);
        assert_eq!(now.version, Some(version));
        let expected: Vec<(i64, State)> = (1..=4)
            .map(|v| (v, if v <= version { Applied } else { Pending }))
            .collect();
        assert_eq!(states(&now), expected);
    }
    assert!(catalogs[4].iter().any(|l| l.contains("books_title_idx")));
    assert!(
        migrate::up(&mut client, &BASIC, &Target::default(), &o)
            .expect("up")
            .migrations
            .is_empty()
    );
    assert_eq!(count(&mut client, "authors"), 1);

    for version in (1..=4).rev() {
        let report = migrate::down(&mut client, &BASIC, &Target::default(), &o).expect("down");
        assert_eq!(report.versions(), [version]);
        let previous = (version - 1) as usize;
        assert_same_catalog(
            &format!("after reverting {version}"),
            &catalog_lines(&mut client, "public"),
            &format!("after applying up to {previous}"),
            &catalogs[previous],
        );
        let now = status(&mut client, &BASIC);
        assert_eq!(now.version, (previous > 0).then_some(previous as i64));
        assert_eq!(now.pending().count(), 5 - version as usize);
    }
    assert!(
        migrate::down(&mut client, &BASIC, &Target::default(), &o)
            .expect("down")
            .migrations
            .is_empty()
    );

    migrate::up(&mut client, &BASIC, &Target::default(), &o).expect("up");
    let all = migrate::down_to(&mut client, &BASIC, &Target::default(), &o, 0).expect("down to 0");
    assert_eq!(all.versions(), [4, 3, 2, 1]);
    assert_eq!(all.version, None);
    assert_same_catalog(
        "after reverting everything",
        &catalog_lines(&mut client, "public"),
        "before any migration",
        &catalogs[0],
    );
    assert!(tracked(&mut client).is_empty());

    let runs = history(&mut client, "migration");
    let applied = runs.iter().filter(|(o, _)| o == "applied").count();
    let reverted = runs.iter().filter(|(o, _)| o == "reverted").count();
    assert_eq!((applied, reverted, runs.len()), (8, 8, 16));
    assert_eq!(runs[0].1, "up 1 (create_authors)");
    assert_eq!(runs[3].1, "up 4 (index_titles) (no transaction)");
}

#[test]
fn a_missing_applied_file_is_refused_and_down_uses_the_recorded_sql() {
    let (_db, mut client) = fresh();
    let o = options();
    migrate::up(&mut client, &BASIC, &Target::default(), &o).expect("up");
    let catalog = catalog_lines(&mut client, "public");
    // An older build: it does not have migration 4.
    let dir = basic_copy(&["004_index_titles.up.sql", "004_index_titles.down.sql"]);
    let older = from_dir(dir.path());

    let err = migrate::up(&mut client, &older, &Target::default(), &o).unwrap_err();
    assert!(matches!(&err, MigrateError::Missing { migrations } if migrations[0].version == 4));
    assert_eq!(
        err.to_string(),
        "migration 4 (index_titles) is applied in the database but has no file; restore the \
         file (from version control, or deploy a build that has it); to revert instead, run \
         `migrate down`, which uses the down SQL recorded when it ran. Nothing was changed"
    );
    assert_eq!(catalog_lines(&mut client, "public"), catalog);
    let now = status(&mut client, &older);
    assert_eq!(now.in_state(State::Missing), [4]);
    assert!(now.migrations[3].has_down);

    let reverted = migrate::down(&mut client, &older, &Target::default(), &o).expect("down");
    assert_eq!(reverted.versions(), [4]);
    assert!(!reverted.migrations[0].transactional);
    assert!(!exists(&mut client, "books_title_idx"));
    assert_eq!(
        states(&status(&mut client, &older)),
        [
            (1, State::Applied),
            (2, State::Applied),
            (3, State::Applied)
        ]
    );
}

#[test]
fn down_refuses_a_migration_without_down_sql_and_changes_nothing() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = folder(&[
        ("001_a.up.sql", "CREATE TABLE a (id int);"),
        ("001_a.down.sql", "DROP TABLE a;"),
        ("002_b.sql", "CREATE TABLE b (id int);"),
    ]);
    let set = from_dir(dir.path());
    migrate::up(&mut client, &set, &Target::default(), &o).expect("up");
    for result in [
        migrate::down(&mut client, &set, &Target::default(), &o),
        migrate::down_to(&mut client, &set, &Target::default(), &o, 0),
    ] {
        let err = result.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "`{}` has no down SQL (no down file, and none was recorded when it ran); write \
                 its down file, or undo the change with a new migration. Nothing was changed",
                dir.path().join("002_b.sql").display()
            )
        );
    }
    assert!(exists(&mut client, "a") && exists(&mut client, "b"));
    assert_eq!(tracked(&mut client).len(), 2);
}
