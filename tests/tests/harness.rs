//! The real-PostgreSQL harness itself: test databases, database creation, and the
//! throwaway server's lifecycle.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use schema_core::database::{drop_database, ensure_database, url_with_database};
use schema_core::ephemeral::Server;
use schema_core::testing::TestDatabase;

/// A database name no other test uses, short enough for PostgreSQL's 63-byte limit.
fn fresh_name(label: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{label}_{}_{nanos}", std::process::id())
}

fn current_database(client: &mut postgres::Client) -> String {
    client
        .query_one("SELECT current_database()", &[])
        .unwrap()
        .get(0)
}

#[test]
fn test_database_accepts_a_query() {
    let db = TestDatabase::create().unwrap();
    let mut client = db.connect().unwrap();
    let row = client.query_one("SELECT 1 + $1::int", &[&41i32]).unwrap();
    assert_eq!(row.get::<_, i32>(0), 42);
    assert_eq!(current_database(&mut client), db.name());
}

#[test]
fn test_databases_are_distinct() {
    let first = TestDatabase::create().unwrap();
    let second = TestDatabase::create().unwrap();
    assert_ne!(first.name(), second.name());
    let mut a = first.connect().unwrap();
    let mut b = second.connect().unwrap();
    a.batch_execute("CREATE TABLE only_in_first (id int)")
        .unwrap();
    let visible = |client: &mut postgres::Client| -> bool {
        client
            .query_one(
                "SELECT to_regclass('public.only_in_first') IS NOT NULL",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert!(visible(&mut a));
    assert!(!visible(&mut b));
}

#[test]
fn test_database_is_dropped_with_its_open_connections() {
    let db = TestDatabase::create().unwrap();
    let url = db.url().to_owned();
    let _open = db.connect().unwrap();
    drop(db);
    // It is gone: ensuring it creates it again.
    assert!(ensure_database(&url).unwrap());
    assert!(drop_database(&url).unwrap());
}

#[test]
fn ensure_database_creates_a_missing_database_and_is_idempotent() {
    let db = TestDatabase::create().unwrap();
    let url = url_with_database(db.url(), &fresh_name("ensure")).unwrap();
    assert!(ensure_database(&url).unwrap(), "first call creates it");
    let mut client = connect_url(&url);
    client.batch_execute("CREATE TABLE kept (id int)").unwrap();
    drop(client);
    assert!(!ensure_database(&url).unwrap(), "second call finds it");
    let mut client = connect_url(&url);
    let kept: bool = client
        .query_one("SELECT to_regclass('public.kept') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(kept, "an existing database is left as it is");
    drop(client);
    assert!(drop_database(&url).unwrap());
    assert!(!drop_database(&url).unwrap());
}

#[test]
fn racing_ensure_database_calls_all_succeed_and_one_creates() {
    let db = TestDatabase::create().unwrap();
    let url = url_with_database(db.url(), &fresh_name("race")).unwrap();
    let start = Arc::new(Barrier::new(8));
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let (url, start) = (url.clone(), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                ensure_database(&url)
            })
        })
        .collect();
    let created: Vec<bool> = racers
        .into_iter()
        .map(|racer| racer.join().unwrap().unwrap())
        .collect();
    assert_eq!(created.iter().filter(|&&c| c).count(), 1, "{created:?}");
    assert!(drop_database(&url).unwrap());
}

#[test]
fn database_names_are_quoted_not_spliced() {
    let db = TestDatabase::create().unwrap();
    let canary = fresh_name("canary");
    let canary_url = url_with_database(db.url(), &canary).unwrap();
    assert!(ensure_database(&canary_url).unwrap());
    for name in [
        format!("a \"quoted\" name {}", std::process::id()),
        format!("x\"; DROP DATABASE \"{canary}\"; --"),
        fresh_name("Mixed Case é"),
    ] {
        let url = url_with_database(db.url(), &name).unwrap();
        assert!(ensure_database(&url).unwrap(), "{name}");
        let mut client = connect_url(&url);
        assert_eq!(current_database(&mut client), name);
        drop(client);
        assert!(drop_database(&url).unwrap(), "{name}");
    }
    // The would-be injection dropped nothing.
    assert!(drop_database(&canary_url).unwrap());
}

#[test]
fn names_longer_than_postgres_allows_are_refused() {
    let db = TestDatabase::create().unwrap();
    let url = url_with_database(db.url(), &"n".repeat(64)).unwrap();
    let error = ensure_database(&url).unwrap_err();
    assert!(error.to_string().contains("63 bytes"), "{error}");
}

#[test]
fn server_errors_show_code_and_message() {
    let db = TestDatabase::create().unwrap();
    let url = url_with_database(db.url(), "template0").unwrap();
    // template0 refuses connections; dropping it is refused with a clear reason.
    let error = drop_database(&url).unwrap_err().to_string();
    assert!(
        error.starts_with("could not drop database `template0`: ERROR "),
        "{error}"
    );
    assert!(!error.contains("db error"), "{error}");
}

#[test]
fn ephemeral_server_starts_serves_and_cleans_up() {
    let started = Instant::now();
    let server = Server::start().unwrap();
    eprintln!("throwaway server started in {:?}", started.elapsed());
    let dir = server.socket_dir().to_owned();
    let mut client = server.config("postgres").connect(postgres::NoTls).unwrap();
    let settings: Vec<(String, String)> = client
        .query(
            "SELECT name, setting FROM pg_settings \
             WHERE name IN ('fsync', 'listen_addresses', 'max_connections') ORDER BY name",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let expected = [
        ("fsync", "off"),
        ("listen_addresses", ""),
        ("max_connections", "200"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    assert_eq!(settings, expected);
    // The URL form works for other programs too.
    let mut by_url = connect_url(&server.url("postgres"));
    assert_eq!(current_database(&mut by_url), "postgres");
    drop((client, by_url));
    let stopped = Instant::now();
    drop(server);
    eprintln!("throwaway server stopped in {:?}", stopped.elapsed());
    assert!(!dir.exists(), "{} was not removed", dir.display());
}

/// Run by [`watchdog_cleans_up_after_a_killed_process`] in a child process: starts a
/// server, reports where it lives, and waits to be killed.
#[test]
#[ignore = "helper process for watchdog_cleans_up_after_a_killed_process"]
fn watchdog_helper_start_server_and_wait_to_be_killed() {
    let server = Server::start().unwrap();
    println!("SERVER_DIR={}", server.socket_dir().display());
    thread::sleep(Duration::from_secs(120));
}

#[test]
fn watchdog_cleans_up_after_a_killed_process() {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "watchdog_helper_start_server_and_wait_to_be_killed",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let dir = stdout
        .lines()
        .map(|line| line.unwrap())
        // libtest prints "test <name> ... " first, on the same line.
        .find_map(|line| {
            line.split_once("SERVER_DIR=")
                .map(|(_, dir)| PathBuf::from(dir))
        })
        .expect("the helper reports its server");
    let postmaster = postmaster_pid(&dir);
    assert!(process_alive(postmaster));

    // SIGKILL: no destructor runs in the helper.
    child.kill().unwrap();
    child.wait().unwrap();

    let deadline = Instant::now() + Duration::from_secs(30);
    while (dir.exists() || process_alive(postmaster)) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !process_alive(postmaster),
        "postgres {postmaster} outlived its owner"
    );
    assert!(!dir.exists(), "{} was left behind", dir.display());
}

fn postmaster_pid(dir: &Path) -> u32 {
    let text = std::fs::read_to_string(dir.join("data/postmaster.pid")).unwrap();
    text.lines().next().unwrap().trim().parse().unwrap()
}

/// Alive and not a zombie waiting to be reaped by whoever adopted it.
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z"),
        Err(_) => false,
    }
}

fn connect_url(url: &str) -> postgres::Client {
    let config: postgres::Config = url.parse().unwrap();
    config.connect(postgres::NoTls).unwrap()
}

#[schema_core::test]
fn the_test_attribute_hands_out_a_fresh_database(client: &mut postgres::Client) {
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
    client.batch_execute("CREATE TABLE t (id int)").unwrap();
}
