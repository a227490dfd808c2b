//! `data compare` connects as every other command does (`connect::Settings`): libpq's
//! `sslmode`s in `--from`/`--to`, and a failed connection never shows the password.

use schema_core::cli::{Cli, SchemaSetEntry, execute};
use schema_core::testing::TestDatabase;
use schema_core::{SchemaSet, SyncOptions, sync_with};
use schema_defs::crm::Crm;

fn run(from: &str, to: &str) -> Result<String, String> {
    let sets = [SchemaSetEntry::new("crm", Crm::EXPECTED_SCHEMA)];
    let argv = [
        "schema-defs",
        "crm",
        "data",
        "compare",
        "--from",
        from,
        "--to",
        to,
    ];
    let cli = Cli::parse_from(&sets, argv.iter().map(|s| s.to_string()).collect())
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    execute(&cli, &mut out).map_err(|e| e.to_string())?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn urls_take_libpq_sslmodes_and_errors_hide_the_password() {
    let open = || {
        let db = TestDatabase::create().expect("a test database");
        let mut client = db.connect().expect("a connection");
        sync_with::<Crm>(&mut client, &SyncOptions::development()).expect("sync");
        db
    };
    let (a, b) = (open(), open());
    // `allow` is libpq's (plain first); the `postgres` crate alone does not know it.
    let with_mode = |db: &TestDatabase| {
        let separator = if db.url().contains('?') { '&' } else { '?' };
        format!("{}{separator}sslmode=allow", db.url())
    };
    let report = run(&with_mode(&a), &with_mode(&b)).expect("compare");
    assert!(report.contains("public.customers"), "{report}");

    let refused = "postgresql://app:s3cret-pw@127.0.0.1:1/crm";
    let error = run(refused, &with_mode(&b)).expect_err("nothing listens on port 1");
    assert!(error.contains("source"), "{error}");
    assert!(error.contains("app@127.0.0.1:1/crm"), "{error}");
    assert!(!error.contains("s3cret-pw"), "{error}");
}
