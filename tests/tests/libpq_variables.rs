//! libpq's `PG*` variables reach a real server: the harness's, named only through them.

use postgres::config::Host;
use schema_core::connect::{Origin, Settings};
use schema_core::testing::TestDatabase;

#[test]
fn a_connection_made_from_pg_variables_alone() {
    let db = TestDatabase::create().unwrap();
    let config = db.config();
    let host = match &config.get_hosts()[0] {
        Host::Unix(path) => path.display().to_string(),
        Host::Tcp(name) => name.clone(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let mut vars = vec![
        ("PGHOST", host),
        ("PGPORT", port),
        ("PGUSER", config.get_user().unwrap().to_owned()),
        ("PGDATABASE", db.name().to_owned()),
        ("PGSSLMODE", "prefer".to_owned()),
    ];
    vars.extend(password.map(|p| ("PGPASSWORD", p)));
    let var = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    };

    let settings = Settings::resolve(None, var)
        .unwrap()
        .expect("PG* variables set");
    assert!(matches!(settings.origin(), Origin::Environment(names) if names.contains(&"PGHOST")));
    let mut client = settings.connect().unwrap();
    let row = client.query_one("SELECT current_database()", &[]).unwrap();
    assert_eq!(row.get::<_, String>(0), db.name());
}
