//! Versioned migrations against a real PostgreSQL: up then down restores the catalog,
//! status follows every step, each refusal names its file and changes nothing, failures
//! leave the tracking table truthful, concurrent runs apply each migration once, and
//! generated migrations build a database that verifies clean.

mod common;

use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Barrier;
use std::time::Duration;

use postgres::Client;
use schema_core::cli::{self, Cli, CliError, SchemaSetEntry};
use schema_core::migrate::{self, MigrateError, Migrations, State, Status, embed_migrations};
use schema_core::{Outcome, SchemaSet, SyncOptions, verify};

use common::{assert_same_catalog, catalog_lines, count, fresh};

/// Four migrations (an enum and two tables, a backfilled column, an index built
/// outside a transaction), each with a down file, and a seed.
static BASIC: Migrations = embed_migrations!("tests/migrate/basic");

fn basic_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/migrate/basic"))
}

fn options() -> SyncOptions {
    SyncOptions::development()
}

/// A temporary folder holding `files`.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, sql) in files {
        write(dir.path(), name, sql);
    }
    dir
}

fn write(dir: &Path, name: &str, sql: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().expect("a parent")).expect("the folder");
    fs::write(path, sql).expect("the file");
}

/// A copy of the basic folder, without the files `leave_out` names.
fn basic_copy(leave_out: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for entry in fs::read_dir(basic_dir()).expect("the basic folder") {
        let entry = entry.expect("an entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !leave_out.contains(&name.as_str()) {
            fs::copy(entry.path(), dir.path().join(&name)).expect("a copy");
        }
    }
    dir
}

/// Applies the generated second migration, checks that the database then matches `S`
/// exactly, and reverts it again; returns the migration set for further steps.
fn up_verify_down<S: SchemaSet>(
    client: &mut Client,
    migrations: &Path,
    o: &SyncOptions,
) -> Migrations {
    let set = from_dir(migrations);
    assert_eq!(migrate::up(client, &set, o).expect("up").versions(), [2]);
    let verified = verify::<S>(client).expect("verify");
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    assert!(verified.unmanaged.is_empty(), "{verified}");
    assert_eq!(
        migrate::down(client, &set, o).expect("down").versions(),
        [2]
    );
    set
}

fn from_dir(dir: &Path) -> Migrations {
    Migrations::from_dir(dir).expect("a well-formed folder")
}

fn states(status: &Status) -> Vec<(i64, State)> {
    status
        .migrations
        .iter()
        .map(|m| (m.version, m.state))
        .collect()
}

fn status(client: &mut Client, migrations: &Migrations) -> Status {
    migrate::status(client, migrations, &options()).expect("status")
}

/// (version, state) of every row of the tracking table.
fn tracked(client: &mut Client) -> Vec<(i64, String)> {
    client
        .query(
            "SELECT version, state FROM schema_migrations ORDER BY version",
            &[],
        )
        .expect("the tracking table")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

/// (outcome, notes) of the history rows of `kind`, oldest first.
fn history(client: &mut Client, kind: &str) -> Vec<(String, String)> {
    client
        .query(
            "SELECT outcome, coalesce(notes, '') FROM schema_versions WHERE kind = $1 ORDER BY id",
            &[&kind],
        )
        .expect("the history")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

fn exists(client: &mut Client, relation: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&relation])
        .expect("to_regclass")
        .get(0)
}

#[test]
fn the_embedded_set_is_the_folder_read_at_run_time() {
    let runtime = from_dir(basic_dir());
    assert_eq!((BASIC.len(), runtime.len()), (4, 4));
    for (embedded, read) in BASIC.migrations().iter().zip(runtime.migrations()) {
        assert_eq!(
            (
                embedded.version,
                &embedded.name,
                &embedded.up,
                &embedded.down,
                &embedded.checksum
            ),
            (
                read.version,
                &read.name,
                &read.up,
                &read.down,
                &read.checksum
            )
        );
    }
    assert_eq!(
        BASIC.migrations()[1].file,
        "tests/migrate/basic/002_create_books.up.sql"
    );
    assert!(BASIC.migrations()[2].transactional());
    assert!(!BASIC.migrations()[3].transactional());
    assert_eq!((BASIC.seeds().len(), runtime.seeds().len()), (1, 1));
    assert_eq!(BASIC.seeds()[0].sql, runtime.seeds()[0].sql);
}

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
        let report = migrate::up_to(&mut client, &BASIC, &o, version).expect("up");
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
        migrate::up(&mut client, &BASIC, &o)
            .expect("up")
            .migrations
            .is_empty()
    );
    assert_eq!(count(&mut client, "authors"), 1);

    for version in (1..=4).rev() {
        let report = migrate::down(&mut client, &BASIC, &o).expect("down");
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
        migrate::down(&mut client, &BASIC, &o)
            .expect("down")
            .migrations
            .is_empty()
    );

    migrate::up(&mut client, &BASIC, &o).expect("up");
    let all = migrate::down_to(&mut client, &BASIC, &o, 0).expect("down to 0");
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
fn a_start_with_nothing_to_apply_creates_nothing() {
    let (_db, mut client) = fresh();
    let none = from_dir(folder(&[]).path());
    let report = migrate::up(&mut client, &none, &options()).expect("up");
    assert!(report.migrations.is_empty());
    assert!(!exists(&mut client, "schema_migrations"));
    assert!(!exists(&mut client, "schema_versions"));
}

#[test]
fn a_file_saved_with_a_byte_order_mark_runs() {
    let (_db, mut client) = fresh();
    let dir = folder(&[("001_a.sql", "\u{feff}CREATE TABLE a (id int);")]);
    let set = from_dir(dir.path());
    assert_eq!(set.migrations()[0].up, "CREATE TABLE a (id int);");
    migrate::up(&mut client, &set, &options()).expect("up");
    assert!(exists(&mut client, "a"));
}

#[test]
fn up_to_and_down_to_name_versions_that_exist() {
    let (_db, mut client) = fresh();
    let o = options();
    let err = migrate::up_to(&mut client, &BASIC, &o, 30).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no migration has version 30 (the newest is 4)"
    );
    migrate::up_to(&mut client, &BASIC, &o, 3).expect("up to 3");
    let err = migrate::down_to(&mut client, &BASIC, &o, 7).unwrap_err();
    assert!(matches!(
        err,
        MigrateError::UnknownVersion { version: 7, .. }
    ));
    let report = migrate::down_to(&mut client, &BASIC, &o, 1).expect("down to 1");
    assert_eq!(report.versions(), [3, 2]);
    assert_eq!(report.version, Some(1));
}

#[test]
fn a_modified_applied_file_is_refused_until_repaired() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = basic_copy(&[]);
    migrate::up_to(&mut client, &from_dir(dir.path()), &o, 2).expect("up to 2");
    let catalog = catalog_lines(&mut client, "public");
    let rows = tracked(&mut client);

    let file = dir.path().join("002_create_books.up.sql");
    let sql = fs::read_to_string(&file).expect("the file") + "\n-- Reviewed.\n";
    fs::write(&file, sql).expect("the change");
    let changed = from_dir(dir.path());

    let err = migrate::up(&mut client, &changed, &o).unwrap_err();
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
    let err = migrate::down(&mut client, &changed, &o).unwrap_err();
    assert!(matches!(err, MigrateError::Modified { .. }), "{err}");
    assert_eq!(catalog_lines(&mut client, "public"), catalog);
    assert_eq!(tracked(&mut client), rows);
    assert_eq!(status(&mut client, &changed).in_state(State::Modified), [2]);

    let repaired = migrate::repair(&mut client, &changed, &o).expect("repair");
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
        migrate::up(&mut client, &changed, &o)
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
fn a_missing_applied_file_is_refused_and_down_uses_the_recorded_sql() {
    let (_db, mut client) = fresh();
    let o = options();
    migrate::up(&mut client, &BASIC, &o).expect("up");
    let catalog = catalog_lines(&mut client, "public");
    // An older build: it does not have migration 4.
    let dir = basic_copy(&["004_index_titles.up.sql", "004_index_titles.down.sql"]);
    let older = from_dir(dir.path());

    let err = migrate::up(&mut client, &older, &o).unwrap_err();
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

    let reverted = migrate::down(&mut client, &older, &o).expect("down");
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
fn an_out_of_order_file_is_refused() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = folder(&[
        ("001_a.sql", "CREATE TABLE a (id int);"),
        ("003_c.sql", "CREATE TABLE c (id int);"),
    ]);
    migrate::up(&mut client, &from_dir(dir.path()), &o).expect("up");
    // A branch merged late adds a migration numbered below the newest applied one.
    write(dir.path(), "002_b.sql", "CREATE TABLE b (id int);");
    let merged = from_dir(dir.path());

    let err = migrate::up(&mut client, &merged, &o).unwrap_err();
    assert!(
        matches!(&err, MigrateError::OutOfOrder { pending, newest_applied }
        if pending[0].version == 2 && newest_applied.version == 3)
    );
    assert_eq!(
        err.to_string(),
        format!(
            "`{}` is pending but older than the newest applied migration 3 (c); renumber it \
             above 3 (`migrate create` picks the next free number) so that it runs after it. \
             Nothing was changed",
            dir.path().join("002_b.sql").display()
        )
    );
    assert!(!exists(&mut client, "b"));
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (3, "applied".into())]
    );
    assert_eq!(
        status(&mut client, &merged).in_state(State::OutOfOrder),
        [2]
    );

    fs::rename(dir.path().join("002_b.sql"), dir.path().join("004_b.sql")).expect("renumber");
    let renumbered = from_dir(dir.path());
    assert_eq!(
        migrate::up(&mut client, &renumbered, &o)
            .expect("up")
            .versions(),
        [4]
    );
}

#[test]
fn a_failing_migration_rolls_back_and_the_tracking_table_stays_truthful() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = folder(&[
        ("001_a.sql", "CREATE TABLE a (id int);"),
        (
            "002_b.sql",
            "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nSELECT missing FROM b;\n",
        ),
        ("003_c.sql", "CREATE TABLE c (id int);"),
    ]);
    let set = from_dir(dir.path());
    let err = migrate::up(&mut client, &set, &o).unwrap_err();
    let MigrateError::Failed {
        migration,
        location,
        dirty,
        report,
        ..
    } = &err
    else {
        panic!("expected Failed, got {err}");
    };
    assert_eq!(
        (migration.version, location.as_deref(), *dirty),
        (2, Some("line 3"), false)
    );
    assert_eq!(report.versions(), [1]);
    assert_eq!(err.report().map(|r| r.versions()), Some(vec![1]));
    let text = err.to_string();
    assert!(
        text.starts_with("up migration 2 (b) failed at line 3: ERROR 42703: column \"missing\""),
        "{text}"
    );
    assert!(
        text.ends_with(
            "it was rolled back; fix it and run the command again (this run already applied 1)"
        ),
        "{text}"
    );

    assert!(exists(&mut client, "a"));
    assert!(!exists(&mut client, "b") && !exists(&mut client, "c"));
    assert_eq!(tracked(&mut client), [(1, "applied".into())]);
    assert_eq!(
        states(&status(&mut client, &set)),
        [
            (1, State::Applied),
            (2, State::Pending),
            (3, State::Pending)
        ]
    );
    let (outcome, notes) = history(&mut client, "migration").pop().expect("a row");
    assert_eq!(outcome, "failed");
    assert!(
        notes.starts_with("up 2 (b) failed at line 3: ERROR 42703"),
        "{notes}"
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
    let err = migrate::up(&mut client, &from_dir(dir.path()), &o).unwrap_err();
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
        migrate::up(&mut client, &from_dir(dir.path()), &o),
        migrate::down(&mut client, &from_dir(dir.path()), &o),
    ] {
        let err = refused.unwrap_err();
        assert!(
            matches!(
                err,
                MigrateError::Dirty {
                    version: 2,
                    direction: "up",
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
    let repaired = migrate::repair(&mut client, &fixed, &o).expect("repair");
    assert_eq!(repaired.versions(), [2]);
    assert_eq!(
        repaired.migrations[0].note.as_deref(),
        Some("cleared the dirty state: the migration is pending again")
    );
    assert_eq!(status(&mut client, &fixed).in_state(State::Pending), [2]);
    assert_eq!(
        migrate::up(&mut client, &fixed, &o).expect("up").versions(),
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
    migrate::up(&mut client, &set, &o).expect("up");
    let err = migrate::down(&mut client, &set, &o).unwrap_err();
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
        ("down", Some("statement 2 of 2 (line 3)"), true, false)
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
        migrate::up(&mut client, &set, &o),
        migrate::down(&mut client, &set, &o),
    ] {
        let err = refused.unwrap_err();
        assert!(
            matches!(
                err,
                MigrateError::Dirty {
                    version: 2,
                    direction: "down",
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
    let repaired = migrate::repair(&mut client, &set, &o).expect("repair");
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
        migrate::up(&mut client, &set, &o).expect("up").versions(),
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
    let err = migrate::up(&mut client, &set, &o).unwrap_err();
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
    migrate::repair(&mut client, &set, &o).expect("repair");
    migrate::baseline(&mut client, &set, &o, 2).expect("baseline");
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (2, "baselined".into())]
    );
}

#[test]
fn a_no_transaction_file_keeps_lock_timeout_and_has_no_statement_timeout() {
    let (_db, mut client) = fresh();
    let o = SyncOptions {
        lock_timeout: Duration::from_millis(1234),
        statement_timeout: Duration::from_millis(200),
        ..options()
    };
    let settings = "SELECT current_setting('lock_timeout') AS lock_timeout, \
                    current_setting('statement_timeout') AS statement_timeout, \
                    current_setting('search_path') AS search_path";
    let dir = folder(&[
        (
            "001_in_a_transaction.sql",
            &format!("CREATE TABLE in_tx AS {settings};"),
        ),
        (
            "002_outside.sql",
            &format!(
                "-- schema-core: no-transaction\n\
                 CREATE TABLE outside AS {settings};\n\
                 -- Longer than the statement_timeout of the options.\n\
                 SELECT pg_sleep(0.4);\n"
            ),
        ),
        ("003_slow.sql", "SELECT pg_sleep(0.4);"),
    ]);
    client
        .batch_execute("SET statement_timeout = '42s'; SET lock_timeout = '7s'")
        .expect("session settings");
    let set = from_dir(dir.path());
    let err = migrate::up(&mut client, &set, &o).unwrap_err();
    let read = |client: &mut Client, table: &str| -> (String, String, String) {
        let row = client
            .query_one(
                &format!("SELECT lock_timeout, statement_timeout, search_path FROM {table}"),
                &[],
            )
            .expect("the recorded settings");
        (row.get(0), row.get(1), row.get(2))
    };
    assert_eq!(
        read(&mut client, "in_tx"),
        ("1234ms".into(), "200ms".into(), "\"public\"".into())
    );
    assert_eq!(
        read(&mut client, "outside"),
        ("1234ms".into(), "0".into(), "\"public\"".into())
    );
    // In a transaction, the statement_timeout still applies.
    let MigrateError::Failed {
        migration, source, ..
    } = &err
    else {
        panic!("expected Failed, got {err}");
    };
    assert_eq!(
        (migration.version, source.code()),
        (3, Some("57014")),
        "{err}"
    );
    // The session's own settings are back.
    let session: (String, String) = client
        .query_one(
            "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')",
            &[],
        )
        .map(|row| (row.get(0), row.get(1)))
        .expect("the session settings");
    assert_eq!(session, ("42s".into(), "7s".into()));
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (2, "applied".into())]
    );
}

#[test]
fn concurrent_ups_apply_each_migration_exactly_once() {
    const THREADS: usize = 8;
    let (db, mut client) = fresh();
    let barrier = Barrier::new(THREADS);
    let applied: Vec<i64> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    let mut client = db.connect().expect("a connection");
                    barrier.wait();
                    migrate::up(&mut client, &BASIC, &options()).expect("up")
                })
            })
            .collect();
        runs.into_iter()
            .flat_map(|run| run.join().expect("a thread").versions())
            .collect()
    });
    let mut applied = applied;
    applied.sort();
    assert_eq!(applied, [1, 2, 3, 4]);
    let per_migration: Vec<(String, i64)> = client
        .query(
            "SELECT notes, count(*) FROM schema_versions
             WHERE kind = 'migration' AND outcome = 'applied' GROUP BY notes ORDER BY notes",
            &[],
        )
        .expect("the history")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert!(
        per_migration.iter().all(|(_, n)| *n == 1),
        "{per_migration:?}"
    );
    assert_eq!(per_migration.len(), 4);
    // Migration 2 inserts a row: once.
    assert_eq!(count(&mut client, "authors"), 1);
}

#[test]
fn baseline_records_an_existing_database_without_running_anything() {
    let (_db, mut client) = fresh();
    let o = options();
    // A database built before the migrations existed, by hand.
    for version in [1, 2] {
        let sql = &BASIC.get(version).expect("a migration").up;
        client.batch_execute(sql).expect("the schema by hand");
    }
    let report = migrate::baseline(&mut client, &BASIC, &o, 2).expect("baseline");
    assert_eq!((report.versions(), report.version), (vec![1, 2], Some(2)));
    assert_eq!(
        states(&status(&mut client, &BASIC)),
        [
            (1, State::Baselined),
            (2, State::Baselined),
            (3, State::Pending),
            (4, State::Pending)
        ]
    );
    assert_eq!(count(&mut client, "authors"), 1, "nothing ran again");
    assert_eq!(
        migrate::up(&mut client, &BASIC, &o).expect("up").versions(),
        [3, 4]
    );
    let err = migrate::baseline(&mut client, &BASIC, &o, 1).unwrap_err();
    assert!(
        matches!(&err, MigrateError::BaselineBelowApplied { newest_applied, .. } if newest_applied.version == 4),
        "{err}"
    );
    let err = migrate::baseline(&mut client, &BASIC, &o, 99).unwrap_err();
    assert!(matches!(err, MigrateError::UnknownVersion { .. }));
    // A refusal creates nothing, not even a missing history table.
    client
        .batch_execute("ALTER TABLE schema_versions RENAME TO kept_history")
        .expect("the history set aside");
    let err = migrate::baseline(&mut client, &BASIC, &o, 1).unwrap_err();
    assert!(err.to_string().ends_with("Nothing was changed"), "{err}");
    assert!(!exists(&mut client, "schema_versions"));
    client
        .batch_execute("ALTER TABLE kept_history RENAME TO schema_versions")
        .expect("the history back");
    // Baselined migrations revert like applied ones.
    let all = migrate::down_to(&mut client, &BASIC, &o, 0).expect("down");
    assert_eq!(all.versions(), [4, 3, 2, 1]);
    assert!(!exists(&mut client, "authors"));
    assert_eq!(
        history(&mut client, "migration")[0],
        (
            "baselined".to_owned(),
            "baseline at version 2: recorded 1, 2 without running".to_owned()
        )
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
    migrate::up(&mut client, &set, &o).expect("up");
    for result in [
        migrate::down(&mut client, &set, &o),
        migrate::down_to(&mut client, &set, &o, 0),
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

#[test]
fn create_writes_the_next_numbered_pair() {
    let dir = tempfile::tempdir().expect("a folder");
    let migrations = dir.path().join("migrations");
    let first = migrate::create(&migrations, "initial_schema").expect("create");
    assert_eq!(first.version, 1);
    assert_eq!(first.up, migrations.join("001_initial_schema.up.sql"));
    assert_eq!(
        first.down.as_deref(),
        Some(migrations.join("001_initial_schema.down.sql").as_path())
    );
    let up = fs::read_to_string(&first.up).expect("the up file");
    assert!(up.starts_with("-- 1 initial_schema: the change"), "{up}");
    let second = migrate::create(&migrations, "add-notes").expect("create");
    assert_eq!(second.up, migrations.join("002_add-notes.up.sql"));
    // The folder the two files make is one the runner accepts.
    assert_eq!(from_dir(&migrations).len(), 2);

    // Numbering keeps the widest existing width.
    write(&migrations, "0041_wide.sql", "SELECT 1;");
    let third = migrate::create(&migrations, "next").expect("create");
    assert_eq!(third.up, migrations.join("0042_next.up.sql"));

    let err = migrate::create(&migrations, "no spaces").unwrap_err();
    assert_eq!(
        err.to_string(),
        "`no spaces` cannot name a migration: it has ` ` in its name `no spaces`; use \
         letters, digits, `_` and `-`"
    );
    write(&migrations, "0050_other.down.sql", "SELECT 1;");
    write(&migrations, "0050_else.up.sql", "SELECT 1;");
    let err = migrate::create(&migrations, "later").unwrap_err();
    assert!(matches!(err, MigrateError::Folder { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("0050_other.down.sql` does not have the name of its up file"),
        "{err}"
    );
}

#[test]
fn seeds_run_on_request_and_are_recorded() {
    let (_db, mut client) = fresh();
    let o = options();
    migrate::up(&mut client, &BASIC, &o).expect("up");
    for _ in 0..2 {
        let report = migrate::seed(&mut client, &BASIC, &o).expect("seed");
        assert_eq!(report.seeds.len(), 1);
        assert_eq!(report.seeds[0].0, "authors");
    }
    assert_eq!(count(&mut client, "authors"), 2);
    assert_eq!(
        history(&mut client, "seed"),
        [
            ("applied".to_owned(), "seed authors".to_owned()),
            ("applied".to_owned(), "seed authors".to_owned())
        ]
    );
}

#[test]
fn a_failing_seed_names_itself_and_the_seeds_before_it_and_seeds_wait_for_a_dirty_migration() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = folder(&[
        ("001_notes.sql", "CREATE TABLE notes (body text UNIQUE);"),
        (
            "seeds/a_first.sql",
            "INSERT INTO notes VALUES ('a') ON CONFLICT DO NOTHING;",
        ),
        (
            "seeds/b_broken.sql",
            "INSERT INTO notes VALUES ('b') ON CONFLICT DO NOTHING;\nINSERT INTO nowhere VALUES (1);\n",
        ),
        (
            "seeds/c_last.sql",
            "INSERT INTO notes VALUES ('c') ON CONFLICT DO NOTHING;",
        ),
    ]);
    let set = from_dir(dir.path());
    migrate::up(&mut client, &set, &o).expect("up");
    let err = migrate::seed(&mut client, &set, &o).unwrap_err();
    let MigrateError::SeedFailed {
        seed,
        location,
        partial,
        done,
        ..
    } = &err
    else {
        panic!("expected SeedFailed, got {err}");
    };
    assert_eq!(
        (
            seed.as_str(),
            location.as_deref(),
            *partial,
            done.as_slice()
        ),
        (
            "b_broken",
            Some("line 2"),
            false,
            ["a_first".to_owned()].as_slice()
        )
    );
    let text = err.to_string();
    let file = dir.path().join("seeds/b_broken.sql");
    assert!(
        text.starts_with(&format!(
            "seed file `{}` failed at line 2: ERROR 42P01",
            file.display()
        )),
        "{text}"
    );
    assert!(
        text.ends_with(
            "it was rolled back; fix it and run the seeds again (this run already ran \
             a_first, which stay applied)"
        ),
        "{text}"
    );
    assert_eq!(count(&mut client, "notes"), 1, "only the first seed stays");
    assert_eq!(
        history(&mut client, "seed")
            .iter()
            .map(|(outcome, _)| outcome.as_str())
            .collect::<Vec<_>>(),
        ["applied", "failed"]
    );

    // While a migration is dirty, seeds do not run.
    write(dir.path(), "seeds/b_broken.sql", "SELECT 1;");
    write(
        dir.path(),
        "002_dirty.sql",
        "-- schema-core: no-transaction\nCREATE INDEX CONCURRENTLY notes_idx ON nowhere (id);",
    );
    let set = from_dir(dir.path());
    migrate::up(&mut client, &set, &o).unwrap_err();
    client.batch_execute("DELETE FROM notes").expect("no notes");
    let err = migrate::seed(&mut client, &set, &o).unwrap_err();
    assert!(
        matches!(err, MigrateError::Dirty { version: 2, .. }),
        "{err}"
    );
    assert_eq!(count(&mut client, "notes"), 0, "no seed ran");
}

/// A schema set whose database needs a backfill (which sync cannot infer) and then a
/// safe change (which sync makes).
#[allow(dead_code)] // Declarations: only their descriptors are used.
mod library {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "shelves")]
    pub struct Shelf {
        #[column(primary_key, serial)]
        pub id: i32,
        pub label: String,
        #[column(default = "0")]
        pub capacity: i32,
    }

    schema_set!(pub Library = [Shelf]);
}

#[test]
fn migrate_and_sync_runs_the_migrations_then_the_sync() {
    let (_db, mut client) = fresh();
    let dir = folder(&[
        (
            "001_create_shelves.sql",
            "CREATE TABLE shelves (id serial PRIMARY KEY, label text);\n\
             INSERT INTO shelves (label) VALUES ('A'), (NULL);",
        ),
        (
            "002_require_labels.sql",
            "UPDATE shelves SET label = 'unnamed' WHERE label IS NULL;\n\
             ALTER TABLE shelves ALTER COLUMN label SET NOT NULL;",
        ),
    ]);
    let set = from_dir(dir.path());
    let startup = migrate::migrate_and_sync::<library::Library>(&mut client, &set, &options())
        .expect("startup");
    assert_eq!(startup.migrations.versions(), [1, 2]);
    assert_eq!(startup.sync.outcome, Outcome::Applied);
    let applied: Vec<&str> = startup
        .sync
        .applied
        .iter()
        .map(|c| c.object.as_str())
        .collect();
    assert_eq!(applied, ["public.shelves.capacity"]);
    assert_eq!(
        verify::<library::Library>(&mut client)
            .expect("verify")
            .outcome,
        Outcome::UpToDate
    );

    let again = migrate::migrate_and_sync::<library::Library>(&mut client, &set, &options())
        .expect("second start");
    assert!(again.migrations.migrations.is_empty());
    assert_eq!(again.sync.outcome, Outcome::UpToDate);
}

#[test]
fn a_dry_run_of_migrate_and_sync_touches_nothing() {
    let (_db, mut client) = fresh();
    let dir = folder(&[
        (
            "001_create_shelves.sql",
            "CREATE TABLE shelves (id serial PRIMARY KEY, label text NOT NULL);",
        ),
        (
            "002_index.sql",
            "-- schema-core: no-transaction\n\
             CREATE INDEX CONCURRENTLY shelves_label_idx ON shelves (label);",
        ),
    ]);
    let set = from_dir(dir.path());
    let dry = options().dry_run();
    let plan =
        migrate::migrate_and_sync::<library::Library>(&mut client, &set, &dry).expect("a dry run");
    assert!(plan.migrations.dry_run);
    assert_eq!(
        (plan.migrations.versions(), plan.migrations.version),
        (vec![1, 2], None)
    );
    assert_eq!(
        plan.migrations.to_string(),
        "would apply 2 migration(s) in schema public (dry run, nothing changed); now no \
         migration applied:\n  1 create_shelves\n  2 index (no transaction)\n"
    );
    // The sync's plan is made against the database as it is: without the migrations.
    assert_eq!(plan.sync.outcome, Outcome::Planned);
    assert!(plan.sync.dry_run);
    assert!(
        plan.sync
            .pending
            .iter()
            .any(|c| c.object == "public.shelves"),
        "{}",
        plan.sync
    );
    assert!(catalog_lines(&mut client, "public").is_empty());
    assert!(!exists(&mut client, "schema_migrations"));
    assert!(!exists(&mut client, "schema_versions"));

    migrate::migrate_and_sync::<library::Library>(&mut client, &set, &options()).expect("start");
    let catalog = catalog_lines(&mut client, "public");
    let rows = tracked(&mut client);
    let again =
        migrate::migrate_and_sync::<library::Library>(&mut client, &set, &dry).expect("a dry run");
    assert!(again.migrations.migrations.is_empty());
    assert_eq!(again.migrations.version, Some(2));
    assert_eq!(again.sync.outcome, Outcome::UpToDate);

    // A dry run refuses what `up` refuses, and still changes nothing.
    write(
        dir.path(),
        "001_create_shelves.sql",
        "CREATE TABLE shelves (id serial PRIMARY KEY, label text);",
    );
    let err =
        migrate::migrate_and_sync::<library::Library>(&mut client, &from_dir(dir.path()), &dry)
            .unwrap_err();
    assert!(matches!(err, MigrateError::Modified { .. }), "{err}");
    assert_eq!(catalog_lines(&mut client, "public"), catalog);
    assert_eq!(tracked(&mut client), rows);
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
        migrate::up(&mut client, &set, &o).expect("up").versions(),
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

    migrate::down(&mut client, &set, &o).expect("down");
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
    migrate::up(&mut client, &from_dir(&migrations), &o).expect("up");
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

fn library_sets() -> [SchemaSetEntry; 1] {
    [SchemaSetEntry::new(
        "library",
        library::Library::EXPECTED_SCHEMA,
    )]
}

/// Runs the CLI with `args` (after the program name) against `url`, with `--dir dir`
/// for `migrate` commands; returns the exit code and what it printed, or the error it
/// stopped with (which `cli::run` prints, exiting with 2).
fn run_cli(url: &str, dir: &Path, args: &[&str]) -> Result<(ExitCode, String), CliError> {
    let mut argv: Vec<String> = std::iter::once("app")
        .chain(args.iter().copied())
        .map(String::from)
        .collect();
    argv.extend(["--database-url".to_owned(), url.to_owned()]);
    if args[0] == "migrate" {
        argv.extend(["--dir".to_owned(), dir.display().to_string()]);
    }
    let parsed = Cli::parse_from(&library_sets(), argv).expect("valid arguments");
    let mut out = Vec::new();
    let code = cli::execute(&parsed, &mut out)?;
    Ok((code, String::from_utf8(out).expect("UTF-8 output")))
}

#[test]
fn the_cli_runs_every_migrate_command() {
    let (db, mut client) = fresh();
    let dir = tempfile::tempdir().expect("a folder");
    let folder = dir.path().join("migrations");
    let run = |args: &[&str]| run_cli(db.url(), &folder, args).expect("the command runs");
    let ok = ExitCode::SUCCESS;
    let first_up = folder.join("001_initial_schema.up.sql");
    let first_down = folder.join("001_initial_schema.down.sql");

    let (code, out) = run(&["migrate", "generate", "--name", "initial_schema"]);
    assert_eq!(code, ok);
    assert!(
        out.starts_with(&format!(
            "created {}\ncreated {}\nsafe: 1\n",
            first_up.display(),
            first_down.display()
        )),
        "{out}"
    );
    assert!(
        out.ends_with("review both files before applying them\n"),
        "{out}"
    );
    let (code, out) = run(&["migrate", "status"]);
    assert_eq!(code, ok, "pending is not a problem");
    assert_eq!(
        out,
        "schema public: no migration applied; 0 applied, 1 pending\n      1  initial_schema  pending\n"
    );
    let (code, out) = run(&["migrate", "up"]);
    assert_eq!(code, ok);
    assert!(
        out.starts_with(
            "applied 1 migration(s) in schema public; now at version 1:\n  1 initial_schema ("
        ),
        "{out}"
    );
    assert!(out.ends_with(" ms)\n") && out.lines().count() == 2, "{out}");
    let (code, out) = run(&["verify"]);
    assert_eq!(code, ok);
    assert!(out.contains("up to date"), "{out}");

    let (code, out) = run(&["migrate", "create", "--name", "add_notes"]);
    assert_eq!(code, ok);
    assert_eq!(
        out,
        format!(
            "created {}\ncreated {}\n",
            folder.join("002_add_notes.up.sql").display(),
            folder.join("002_add_notes.down.sql").display()
        )
    );
    write(
        &folder,
        "002_add_notes.up.sql",
        "ALTER TABLE shelves ADD COLUMN notes text;",
    );
    write(
        &folder,
        "002_add_notes.down.sql",
        "ALTER TABLE shelves DROP COLUMN notes;",
    );
    let (code, out) = run(&["migrate", "up", "--to", "2"]);
    assert_eq!(code, ok);
    assert!(
        out.starts_with(
            "applied 1 migration(s) in schema public; now at version 2:\n  2 add_notes ("
        ),
        "{out}"
    );
    assert!(exists(&mut client, "shelves"));

    // A changed file: status says so and exits 1; up refuses, naming the file.
    let edited = fs::read_to_string(&first_up).expect("the file") + "-- Reviewed.\n";
    fs::write(&first_up, edited).expect("an edit");
    let (code, out) = run(&["migrate", "status"]);
    assert_eq!(code, ExitCode::FAILURE);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "schema public: at version 2; 1 applied, 0 pending, 1 problem(s)",
            "      1  initial_schema  modified      the file changed since it was applied: \
             restore it, or review and `migrate repair`",
        ]
    );
    assert!(
        lines[2].starts_with("      2  add_notes       applied       "),
        "{out}"
    );
    let err = run_cli(db.url(), &folder, &["migrate", "up"]).unwrap_err();
    assert!(
        matches!(&err, CliError::Migrate(MigrateError::Modified { .. })),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "`{}` changed since it was applied (the checksum differs); if the change is \
             intended (a comment, formatting, an equivalent fix), run `migrate repair` to \
             accept it, otherwise restore the file as it was applied. Nothing was changed",
            first_up.display()
        )
    );
    // `cli::run` prints that error and exits with 2.
    let argv = ["app", "migrate", "up", "--database-url", db.url(), "--dir"]
        .iter()
        .map(|a| a.to_string())
        .chain([folder.display().to_string()])
        .collect();
    assert_eq!(cli::run_from(&library_sets(), argv), ExitCode::from(2));
    assert_eq!(
        tracked(&mut client),
        [(1, "applied".into()), (2, "applied".into())]
    );

    let (code, out) = run(&["migrate", "repair"]);
    assert_eq!(code, ok);
    assert_eq!(
        out,
        "repaired 1 migration(s) in schema public:\n  1 initial_schema: accepted the changed \
         file (new checksum recorded)\n"
    );
    assert_eq!(run(&["migrate", "status"]).0, ok);

    let (code, out) = run(&["migrate", "down", "--to", "0"]);
    assert_eq!(code, ok);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "reverted 2 migration(s) in schema public; now no migration applied:"
    );
    assert!(
        lines[1].starts_with("  2 add_notes (") && lines[2].starts_with("  1 initial_schema ("),
        "{out}"
    );
    assert!(!exists(&mut client, "shelves"));
    let (code, out) = run(&["migrate", "baseline", "2"]);
    assert_eq!(code, ok);
    assert_eq!(
        out,
        "baselined schema public at version 2: 2 migration(s) recorded as applied, none \
         run:\n  1 initial_schema\n  2 add_notes\n"
    );
    assert_eq!(
        tracked(&mut client),
        [(1, "baselined".into()), (2, "baselined".into())]
    );
    assert_eq!(
        run(&["migrate", "seed"]),
        (ok, "no seed files\n".to_owned())
    );
}

#[test]
fn the_cli_migrates_another_schema_with_unqualified_names() {
    let (db, mut client) = fresh();
    let dir = folder(&[
        (
            "001_create_shelves.up.sql",
            "CREATE TABLE shelves (id serial PRIMARY KEY, label text NOT NULL, \
             capacity integer NOT NULL DEFAULT 0);",
        ),
        ("001_create_shelves.down.sql", "DROP TABLE shelves;"),
    ]);
    let run = |args: &[&str]| run_cli(db.url(), dir.path(), args).expect("the command runs");

    let (code, out) = run(&["migrate", "up", "--schema", "tenant_7"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(
        out.starts_with("applied 1 migration(s) in schema tenant_7; now at version 1:\n"),
        "{out}"
    );
    // The unqualified table went to the schema, next to its tracking and history tables.
    for relation in [
        "tenant_7.shelves",
        "tenant_7.schema_migrations",
        "tenant_7.schema_versions",
    ] {
        assert!(exists(&mut client, relation), "{relation}");
    }
    for relation in [
        "public.shelves",
        "public.schema_migrations",
        "public.schema_versions",
    ] {
        assert!(!exists(&mut client, relation), "{relation}");
    }
    let (code, out) = run(&["migrate", "status", "--schema", "tenant_7"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(
        out.starts_with("schema tenant_7: at version 1; 1 applied, 0 pending\n"),
        "{out}"
    );
    let (_, out) = run(&["migrate", "status"]);
    assert_eq!(
        out,
        "schema public: no migration applied; 0 applied, 1 pending\n      1  create_shelves  pending\n"
    );
    let (code, out) = run(&["verify", "--schema", "tenant_7"]);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    assert!(out.contains("up to date"), "{out}");

    let (code, out) = run(&["migrate", "down", "--schema", "tenant_7"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(
        out.starts_with("reverted 1 migration(s) in schema tenant_7; now no migration applied:\n"),
        "{out}"
    );
    assert!(!exists(&mut client, "tenant_7.shelves"));
    assert!(catalog_lines(&mut client, "public").is_empty());
}

#[test]
fn the_licensing_migrations_build_the_declared_schema() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema-defs/migrations/licensing"
    ));
    let set = from_dir(dir);
    let empty = catalog_lines(&mut client, "public");
    // Rows that exist before 002 runs, for its backfill.
    migrate::up_to(&mut client, &set, &o, 1).expect("up to 1");
    client
        .batch_execute(
            "INSERT INTO clients (name) VALUES ('Acme');
             INSERT INTO license_pools (client_id, product, ordered_licenses, total_licenses,
                                        available_licenses, valid_from)
             SELECT id, 'studio-pro', 2, 2, 0, current_date FROM clients;
             INSERT INTO license_assignments (pool_id, assignee)
             SELECT id, a FROM license_pools, unnest(ARRAY['ada@example.com', 'build-7']) a;",
        )
        .expect("rows");
    assert_eq!(
        migrate::up(&mut client, &set, &o).expect("up").versions(),
        [2]
    );
    let kinds: Vec<(String, String)> = client
        .query(
            "SELECT assignee, assignee_kind FROM license_assignments ORDER BY assignee",
            &[],
        )
        .expect("the backfill")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(
        kinds,
        [
            ("ada@example.com".into(), "user".into()),
            ("build-7".into(), "machine".into())
        ]
    );
    let verified = verify::<schema_defs::licensing::Licensing>(&mut client).expect("verify");
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    assert!(verified.unmanaged.is_empty(), "{verified}");

    client
        .batch_execute(
            "DELETE FROM license_assignments; DELETE FROM license_pools; DELETE FROM clients",
        )
        .expect("no rows");
    migrate::down_to(&mut client, &set, &o, 0).expect("down");
    assert_same_catalog(
        "after reverting",
        &catalog_lines(&mut client, "public"),
        "empty",
        &empty,
    );
}
