//! `migrate_and_sync`: the migrations, then the sync, and a dry run of both that touches nothing.

use schema_core::migrate::{self, MigrateError};
use schema_core::{Outcome, verify};

use crate::common::{catalog_lines, fresh};
use crate::fixtures::{exists, folder, from_dir, library, options, tracked, write};

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
