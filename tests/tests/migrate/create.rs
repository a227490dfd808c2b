//! `create`: the next numbered pair of empty files.

use std::fs;

use schema_core::migrate::{self, MigrateError};

use crate::fixtures::{from_dir, write};

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
