//! The migrations folder of `schema-core`: what its files are called, what makes it
//! malformed, and the checksum of a migration. Depend on `schema-core`, not on this crate.
//!
//! The rules live here, outside both `schema-core` and `schema-macros`, because both read
//! folders: `embed_migrations!` at compile time and `Migrations::from_dir` at run time. A
//! proc-macro crate cannot depend on `schema-core` (which depends on it), so the shared
//! rules sit in this small crate that both depend on, and a folder the macro accepts is
//! exactly a folder `from_dir` accepts.
//!
//! ```text
//! migrations/
//!   001_initial_schema.up.sql
//!   001_initial_schema.down.sql     optional: reverses the up file
//!   002_add_notes.sql               an up file without a down
//!   seeds/
//!     demo_data.sql                 applied on request, in file name order
//! ```

mod folder;
mod name;

pub use folder::{Folder, MigrationFiles, Problem, ReadError, SEEDS_DIR, SeedFile, SqlFile};
pub use folder::{checksum, read_folder};
pub use name::{Direction, EXAMPLE, FileName, MIN_DIGITS, check_name, next_file_names};

/// The first line that makes a migration file run outside a transaction, one statement
/// at a time (for `CREATE INDEX CONCURRENTLY`, `VACUUM` and the like).
pub const NO_TRANSACTION: &str = "-- schema-core: no-transaction";

/// `false` when the file's first line is [`NO_TRANSACTION`] (leading blank lines and a
/// byte-order mark aside; text after the marker, separated by a space, is a comment).
pub fn is_transactional(sql: &str) -> bool {
    let first = sql
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("");
    match first.strip_prefix(NO_TRANSACTION) {
        Some(rest) => !(rest.is_empty() || rest.starts_with(char::is_whitespace)),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_is_the_first_line_only() {
        assert!(!is_transactional(
            "-- schema-core: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);"
        ));
        assert!(!is_transactional(
            "\n\n  -- schema-core: no-transaction   (concurrent build)\nVACUUM t;"
        ));
        assert!(is_transactional(
            "-- add an index\n-- schema-core: no-transaction\nCREATE INDEX i ON t (c);"
        ));
        assert!(is_transactional("-- schema-core: no-transactions\n"));
        assert!(is_transactional(""));
    }
}
