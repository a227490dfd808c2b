//! Reading migrations: the set embedded at build time is the folder read at run time.

use schema_core::Target;
use schema_core::migrate;

use crate::common::fresh;
use crate::fixtures::{BASIC, basic_dir, exists, folder, from_dir, options};

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
fn a_file_saved_with_a_byte_order_mark_runs() {
    let (_db, mut client) = fresh();
    let dir = folder(&[("001_a.sql", "\u{feff}CREATE TABLE a (id int);")]);
    let set = from_dir(dir.path());
    assert_eq!(set.migrations()[0].up, "CREATE TABLE a (id int);");
    migrate::up(&mut client, &set, &Target::default(), &options()).expect("up");
    assert!(exists(&mut client, "a"));
}
