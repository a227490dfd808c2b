//! The licensing migrations in `schema-defs` build the schema it declares.

use std::path::Path;

use schema_core::migrate;
use schema_core::{Outcome, Target, verify};

use crate::common::{assert_same_catalog, catalog_lines, fresh};
use crate::fixtures::{from_dir, options};

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
    migrate::up_to(&mut client, &set, &Target::default(), &o, 1).expect("up to 1");
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
        migrate::up(&mut client, &set, &Target::default(), &o)
            .expect("up")
            .versions(),
        [2, 3]
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
    migrate::down_to(&mut client, &set, &Target::default(), &o, 0).expect("down");
    assert_same_catalog(
        "after reverting",
        &catalog_lines(&mut client, "public"),
        "empty",
        &empty,
    );
}
