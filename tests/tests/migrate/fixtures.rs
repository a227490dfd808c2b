//! The migrations, folders and queries the tests share, and a schema set to sync.

use std::fs;
use std::path::Path;

use postgres::Client;
use schema_core::SyncOptions;
use schema_core::Target;
use schema_core::migrate::{self, Migrations, State, Status, embed_migrations};

/// Four migrations (an enum and two tables, a backfilled column, an index built
/// outside a transaction), each with a down file, and a seed.
pub static BASIC: Migrations = embed_migrations!("tests/migrate/basic");

pub fn basic_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/migrate/basic"))
}

pub fn options() -> SyncOptions {
    SyncOptions::development()
}

/// A temporary folder holding `files`.
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, sql) in files {
        write(dir.path(), name, sql);
    }
    dir
}

pub fn write(dir: &Path, name: &str, sql: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().expect("a parent")).expect("the folder");
    fs::write(path, sql).expect("the file");
}

/// A copy of the basic folder, without the files `leave_out` names.
pub fn basic_copy(leave_out: &[&str]) -> tempfile::TempDir {
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

pub fn from_dir(dir: &Path) -> Migrations {
    Migrations::from_dir(dir).expect("a well-formed folder")
}

pub fn states(status: &Status) -> Vec<(i64, State)> {
    status
        .migrations
        .iter()
        .map(|m| (m.version, m.state))
        .collect()
}

pub fn status(client: &mut Client, migrations: &Migrations) -> Status {
    migrate::status(client, migrations, &Target::default()).expect("status")
}

/// (version, state) of every row of the tracking table.
pub fn tracked(client: &mut Client) -> Vec<(i64, String)> {
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
pub fn history(client: &mut Client, kind: &str) -> Vec<(String, String)> {
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

pub fn exists(client: &mut Client, relation: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&relation])
        .expect("to_regclass")
        .get(0)
}

/// A schema set whose database needs a backfill (which sync cannot infer) and then a
/// safe change (which sync makes).
#[allow(dead_code)] // Declarations: only their descriptors are used.
pub mod library {
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
