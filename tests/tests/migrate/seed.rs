//! `seed`: seeds run on request and are recorded, a failing one names itself, and none run while a migration is dirty.

use schema_core::Target;
use schema_core::migrate::{self, MigrateError};

use crate::common::{count, fresh};
use crate::fixtures::{BASIC, folder, from_dir, history, options, write};

#[test]
fn seeds_run_on_request_and_are_recorded() {
    let (_db, mut client) = fresh();
    let o = options();
    migrate::up(&mut client, &BASIC, &Target::default(), &o).expect("up");
    for _ in 0..2 {
        let report = migrate::seed(&mut client, &BASIC, &Target::default(), &o).expect("seed");
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
    migrate::up(&mut client, &set, &Target::default(), &o).expect("up");
    let err = migrate::seed(&mut client, &set, &Target::default(), &o).unwrap_err();
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
    migrate::up(&mut client, &set, &Target::default(), &o).unwrap_err();
    client.batch_execute("DELETE FROM notes").expect("no notes");
    let err = migrate::seed(&mut client, &set, &Target::default(), &o).unwrap_err();
    assert!(
        matches!(err, MigrateError::Dirty { version: 2, .. }),
        "{err}"
    );
    assert_eq!(count(&mut client, "notes"), 0, "no seed ran");
}
