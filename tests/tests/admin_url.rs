//! Creating the app's database with an admin's URL: the app's role needs no CREATEDB,
//! since creating databases is an admin's job.

mod common;

use std::process::ExitCode;

use schema_core::SchemaSet;
use schema_core::cli::{Cli, SchemaSetEntry, execute};
use schema_core::database::{
    drop_database, ensure_database, ensure_database_with_admin, url_with_database,
};
use schema_core::testing::TestDatabase;

use common::accounts::Accounts;

/// A login role without CREATEDB, and URLs to a database that does not exist yet: as the
/// admin, and as that role. Roles belong to the whole server: the names carry the test
/// database's.
struct App {
    role: String,
    /// The server as the admin (the harness's superuser).
    admin_url: String,
    /// The app's database as the admin, to drop it.
    admin_app_url: String,
    /// The app's database as the role.
    app_url: String,
}

impl App {
    fn new(db: &TestDatabase) -> App {
        let role = format!("{}_app", db.name());
        db.connect()
            .unwrap()
            .batch_execute(&format!("CREATE ROLE \"{role}\" LOGIN NOCREATEDB"))
            .unwrap();
        let admin_app_url = url_with_database(db.url(), &format!("{}_new", db.name())).unwrap();
        App {
            app_url: with_user(&admin_app_url, &role),
            role,
            admin_url: db.url().to_owned(),
            admin_app_url,
        }
    }

    /// The role connected to its database, if it can.
    fn current_user(&self) -> String {
        let mut client = postgres::Client::connect(&self.app_url, postgres::NoTls).unwrap();
        client
            .query_one("SELECT current_user::text", &[])
            .unwrap()
            .get(0)
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = drop_database(&self.admin_app_url);
        let mut admin = postgres::Client::connect(&self.admin_url, postgres::NoTls).unwrap();
        let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS \"{}\"", self.role));
    }
}

/// `url` connecting as `role`, in either connection-string form.
fn with_user(url: &str, role: &str) -> String {
    if url.contains("://") {
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}user={role}")
    } else {
        format!("{url} user={role}")
    }
}

#[test]
fn an_admin_url_creates_the_database_an_app_role_may_not() {
    let db = TestDatabase::create().unwrap();
    let app = App::new(&db);

    let err = ensure_database(&app.app_url).unwrap_err().to_string();
    assert!(err.contains("42501"), "{err}");
    assert!(err.contains("ensure_database_with_admin"), "{err}");
    assert!(err.contains("ADMIN_DATABASE_URL"), "{err}");

    assert!(ensure_database_with_admin(&app.admin_url, &app.app_url).unwrap());
    assert_eq!(app.current_user(), app.role);
    assert!(!ensure_database_with_admin(&app.admin_url, &app.app_url).unwrap());
    assert!(
        !ensure_database(&app.app_url).unwrap(),
        "once it exists, the app's own URL is enough"
    );
}

#[test]
fn the_cli_creates_the_database_with_admin_url() {
    let db = TestDatabase::create().unwrap();
    let app = App::new(&db);
    let sets = [SchemaSetEntry::new("accounts", Accounts::EXPECTED_SCHEMA)];
    let run = |extra: &[&str]| {
        let mut argv: Vec<String> = ["app", "verify", "--database-url", &app.app_url]
            .map(String::from)
            .to_vec();
        argv.extend(extra.iter().map(|s| s.to_string()));
        let cli = Cli::parse_from(&sets, argv).unwrap();
        execute(&cli, &mut Vec::new()).map_err(|e| e.to_string())
    };

    let err = run(&[]).unwrap_err();
    assert!(err.contains("--admin-url"), "{err}");

    let code = run(&["--admin-url", &app.admin_url]).unwrap();
    assert_eq!(
        code,
        ExitCode::FAILURE,
        "created, then an empty database drifted"
    );
    assert_eq!(app.current_user(), app.role);
}
