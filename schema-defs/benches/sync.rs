//! Sync benchmarks on the `municipal` schema, as whole processes against `psql` doing the
//! same work on the same throwaway server; prints medians and ratios.
//!
//! `cargo bench -p schema-defs --bench sync` (set `BENCH_RUNS` to change the run count).
//!
//! - cold sync: `schema-defs municipal sync` into an empty database, against
//!   `psql -1 -f` running the plan's DDL;
//! - no-op verify: `schema-defs municipal verify` on a synced database, against a psql
//!   process that connects and runs three catalog queries;
//! - drift fix: `schema-defs municipal sync` after dropping an index and a column and
//!   changing a default, against `psql -1 -f` of the fixing statements (the sync's own,
//!   with the index built in the transaction);
//! - health check: `health::check` in process on the synced database (healthy, the
//!   fast path) and on the drifted one (degraded, a full comparison), next to an
//!   in-process no-op verify on the same connection;
//! - 500+ tables: verify of a 512-table schema (16 renamed copies of municipal) in
//!   process, through the fast path and through full introspection and diff.

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::{median, ms, time};

use postgres::{Client, NoTls};
use schema_core::database::ensure_database;
use schema_core::ephemeral::Server;
use schema_core::health::{self, Status};
use schema_core::sync::{sync_schema, verify_schema};
use schema_core::{ExpectedSchema, Outcome, SchemaSet, SyncOptions, TableDef, Target};
use schema_defs::municipal::Municipal;

/// Drift of three kinds on a synced municipal database: an index, a column, a default.
const DRIFT: &str = "DROP INDEX users_status_idx;
                     ALTER TABLE users DROP COLUMN job_title;
                     ALTER TABLE properties ALTER COLUMN floors SET DEFAULT 2;";

const CATALOG_QUERIES: [&str; 3] = [
    "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND a.attnum > 0",
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
];

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let server = Server::start().expect("a throwaway PostgreSQL");
    let bin = env!("CARGO_BIN_EXE_schema-defs");
    let psql = find_psql();
    let expected = Municipal::EXPECTED_SCHEMA;
    let ddl_file = std::env::temp_dir().join(format!("municipal-plan-{}.sql", std::process::id()));
    std::fs::write(&ddl_file, expected.ddl()).expect("write the DDL");

    println!(
        "municipal: {} tables; {runs} runs each; medians",
        expected.tables.len()
    );
    println!("{:<44} {:>10} {:>10} {:>8}", "", "ours", "psql", "ratio");

    let mut n = 0;
    let mut fresh_db = |server: &Server| {
        n += 1;
        let url = server.url(&format!("bench_{n}"));
        ensure_database(&url).expect("create a database");
        url
    };

    let ours = median((0..runs).map(|_| {
        let url = fresh_db(&server);
        time(|| run(Command::new(bin).args(["municipal", "sync", "--database-url", &url])))
    }));
    let theirs = median((0..runs).map(|_| {
        let url = fresh_db(&server);
        time(|| {
            run(Command::new(&psql)
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f"])
                .arg(&ddl_file)
                .arg(&url))
        })
    }));
    row("cold sync (process) vs psql -1 -f", ours, theirs);

    let synced = fresh_db(&server);
    run(Command::new(bin).args(["municipal", "sync", "--database-url", &synced]));
    let ours = median((0..runs).map(|_| {
        time(|| run(Command::new(bin).args(["municipal", "verify", "--database-url", &synced])))
    }));
    let theirs = median((0..runs).map(|_| {
        let mut cmd = Command::new(&psql);
        cmd.args(["-X", "-q", "-o", "/dev/null"]);
        for q in CATALOG_QUERIES {
            cmd.args(["-c", q]);
        }
        time(|| run(cmd.arg(&synced)))
    }));
    row("no-op verify (process) vs psql 3 queries", ours, theirs);
    let ddl_sent = ddl_statements(&synced);
    println!(
        "  history rows after {runs} verifies: {ddl_sent} (one: the initial sync; no DDL sent)"
    );

    let target = Target::default();
    let options = SyncOptions::development();
    let mut client = Client::connect(&synced, NoTls).unwrap();
    let verify = median((0..runs).map(|_| {
        time(|| {
            let report = verify_schema(&mut client, &expected, &target, &options).unwrap();
            assert!(report.fast_path && report.outcome == Outcome::UpToDate);
        })
    }));
    println!("{:<44} {:>8.1}ms", "no-op verify (in process)", ms(verify));
    let healthy = median((0..runs).map(|_| {
        time(|| {
            let report = health::check(&mut client, &expected, &target, None, &options);
            assert_eq!(report.status, Status::Healthy, "{report}");
        })
    }));
    println!(
        "{:<44} {:>8.1}ms",
        "health check, healthy (in process)",
        ms(healthy)
    );

    let drifted = |server: &Server, fresh_db: &mut dyn FnMut(&Server) -> String| {
        let url = fresh_db(server);
        run(Command::new(bin).args(["municipal", "sync", "--database-url", &url]));
        let mut client = Client::connect(&url, NoTls).unwrap();
        client.batch_execute(DRIFT).unwrap();
        url
    };
    let fix_file = std::env::temp_dir().join(format!("municipal-fix-{}.sql", std::process::id()));
    {
        let url = drifted(&server, &mut fresh_db);
        let mut client = Client::connect(&url, NoTls).unwrap();
        let plan = sync_schema(
            &mut client,
            &expected,
            &Target::default(),
            &SyncOptions::development().dry_run(),
        )
        .expect("the fix's plan");
        let fix: String = plan
            .statements()
            .iter()
            .map(|sql| format!("{};\n", sql.replace(" CONCURRENTLY", "")))
            .collect();
        std::fs::write(&fix_file, fix).expect("write the fix");
    }
    let ours = median((0..runs).map(|_| {
        let url = drifted(&server, &mut fresh_db);
        time(|| run(Command::new(bin).args(["municipal", "sync", "--database-url", &url])))
    }));
    let theirs = median((0..runs).map(|_| {
        let url = drifted(&server, &mut fresh_db);
        time(|| {
            run(Command::new(&psql)
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f"])
                .arg(&fix_file)
                .arg(&url))
        })
    }));
    row("drift fix (process: 3 changes) vs psql -1 -f", ours, theirs);

    let mut client = Client::connect(&drifted(&server, &mut fresh_db), NoTls).unwrap();
    let degraded = median((0..runs).map(|_| {
        time(|| {
            let report = health::check(&mut client, &expected, &target, None, &options);
            assert_eq!(report.status, Status::Degraded, "{report}");
        })
    }));
    println!(
        "{:<44} {:>8.1}ms",
        "health check, with drift (in process)",
        ms(degraded)
    );

    let big = synthetic(&expected, 16);
    let url = fresh_db(&server);
    let mut client = Client::connect(&url, NoTls).unwrap();
    let cold = time(|| {
        assert_eq!(
            sync_schema(&mut client, &big, &Target::default(), &options)
                .unwrap()
                .outcome,
            Outcome::Applied
        )
    });
    println!(
        "{:<44} {:>8.1}ms",
        format!("cold sync, {} tables (in process)", big.tables.len()),
        ms(cold)
    );
    let fast = median((0..runs).map(|_| {
        time(|| {
            let mut client = Client::connect(&url, NoTls).unwrap();
            let report = verify_schema(&mut client, &big, &Target::default(), &options).unwrap();
            assert!(report.fast_path && report.outcome == Outcome::UpToDate);
        })
    }));
    println!(
        "{:<44} {:>8.1}ms",
        format!("verify {} tables, connect + fast path", big.tables.len()),
        ms(fast)
    );
    client
        .batch_execute("CREATE INDEX unmanaged_idx ON s0_users (email)")
        .unwrap();
    let full = median((0..runs.min(7)).map(|_| {
        time(|| {
            let mut client = Client::connect(&url, NoTls).unwrap();
            let report = verify_schema(&mut client, &big, &Target::default(), &options).unwrap();
            assert!(!report.fast_path && report.outcome == Outcome::UpToDate);
        })
    }));
    println!(
        "{:<44} {:>8.1}ms",
        format!("verify {} tables, connect + full diff", big.tables.len()),
        ms(full)
    );
    let _ = std::fs::remove_file(ddl_file);
    let _ = std::fs::remove_file(fix_file);
}

/// `copies` renamed copies of `expected` (`s0_users`, `s1_users`, …) as one schema.
fn synthetic(expected: &ExpectedSchema, copies: usize) -> ExpectedSchema {
    let mut tables: Vec<&'static TableDef> = Vec::new();
    for k in 0..copies {
        let p = |name: &str| format!("s{k}_{name}").into();
        for t in expected.tables {
            let mut t = (*t).clone();
            t.name = p(&t.name);
            if let Some(pk) = &mut t.primary_key {
                pk.name = p(&pk.name);
            }
            t.uniques
                .to_mut()
                .iter_mut()
                .for_each(|u| u.name = p(&u.name));
            t.checks
                .to_mut()
                .iter_mut()
                .for_each(|c| c.name = p(&c.name));
            t.indexes
                .to_mut()
                .iter_mut()
                .for_each(|i| i.name = p(&i.name));
            t.foreign_keys.to_mut().iter_mut().for_each(|f| {
                f.name = p(&f.name);
                f.ref_table = p(&f.ref_table);
            });
            tables.push(Box::leak(Box::new(t)));
        }
    }
    ExpectedSchema {
        name: "Synthetic",
        tables: Box::leak(tables.into_boxed_slice()),
        enum_uses: &[],
        views: &[],
    }
}

fn ddl_statements(url: &str) -> i64 {
    let mut client = Client::connect(url, NoTls).unwrap();
    client
        .query_one("SELECT count(*) FROM schema_versions", &[])
        .unwrap()
        .get(0)
}

fn run(cmd: &mut Command) {
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn row(name: &str, ours: Duration, theirs: Duration) {
    println!(
        "{name:<44} {:>8.1}ms {:>8.1}ms {:>7.2}x",
        ms(ours),
        ms(theirs),
        ms(ours) / ms(theirs)
    );
}

fn find_psql() -> PathBuf {
    let candidates = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("psql"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    candidates
        .into_iter()
        .chain(
            std::fs::read_dir("/usr/lib/postgresql")
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path().join("bin/psql")),
        )
        .find(|p| p.is_file())
        .expect("psql is needed to compare against; install postgresql-client")
}
