//! The CLI's `migrate` commands, in the default schema and in another one.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use schema_core::SchemaSet;
use schema_core::cli::{self, Cli, CliError, SchemaSetEntry};
use schema_core::migrate::MigrateError;

use crate::common::{catalog_lines, fresh};
use crate::fixtures::{exists, folder, library, tracked, write};

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
