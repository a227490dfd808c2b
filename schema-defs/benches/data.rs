//! Data compare and copy benchmarks on the `crm` schema: two databases on one throwaway
//! server, compared by `data::compare`, by the physical floor (a binary `COPY` of both
//! sides, read concurrently and discarded) and by pg_comparator when it is installed;
//! then the copy of the customers missing in the target with their notes. Prints medians.
//!
//! `cargo bench -p schema-defs --bench data`. `BENCH_ROWS` sets N, the customers per
//! side (1,000,000 by default; a 100,000 run comes first to show how the cost grows),
//! `BENCH_RUNS` the runs per measurement (3). Each side has N customers and 2N notes;
//! 0.1 % of the customer keys are only in each side (with their notes) and 0.1 % of the
//! customers changed.
//!
//! pg_comparator (Debian package `postgresql-comparator`) runs when `pg_comparator` is
//! on the `PATH` and the server has its `pgcmp` extension. When it is missing and the
//! bench runs as root where `apt-get` is, the bench installs the package first; if that
//! fails, pg_comparator's line says "skipped".

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{median, ms, time};

use postgres::{Client, NoTls};
use schema_core::data::{
    self, CompareOptions, CompareReport, CopyOptions, Key, KeyValue, RowSelection, Side,
};
use schema_core::database::ensure_database;
use schema_core::ephemeral::Server;
use schema_core::{SyncOptions, Target, sync_with};
use schema_defs::crm::Crm;

/// The tables with rows, parents first, and their keys.
const TABLES: [&str; 3] = ["users", "customers", "customer_notes"];

fn main() {
    let runs: usize = env_number("BENCH_RUNS").unwrap_or(3).max(1);
    // A multiple of 1,000, so that 0.1 % is a whole number of rows.
    let big = env_number("BENCH_ROWS").unwrap_or(1_000_000).max(1000) / 1000 * 1000;
    let server = Server::start().expect("a throwaway PostgreSQL");
    let comparator = find_comparator().or_else(install_comparator);
    let sizes: Vec<usize> = if big > 100_000 {
        vec![100_000, big]
    } else {
        vec![big]
    };
    println!("crm: customers per side and their notes (2 per customer); {runs} runs each; medians");
    let mut results = Vec::new();
    for n in sizes {
        results.push(bench(&server, n, runs, comparator.as_ref()));
    }
    println!();
    println!(
        "{:>10} {:>10} {:>10} {:>8} {:>12} {:>9} {:>10}",
        "N", "compare", "COPY floor", "ratio", "pg_comparator", "speedup", "copy"
    );
    for r in &results {
        let (cmp, speedup) = match r.comparator {
            Some(c) => (
                format!("{:.0}ms", ms(c)),
                format!("{:.2}x", ms(c) / ms(r.ours)),
            ),
            None => ("skipped".to_owned(), "-".to_owned()),
        };
        println!(
            "{:>10} {:>8.0}ms {:>8.0}ms {:>7.2}x {:>13} {:>9} {:>8.0}ms",
            r.n,
            ms(r.ours),
            ms(r.floor),
            ms(r.ours) / ms(r.floor),
            cmp,
            speedup,
            ms(r.copy)
        );
    }
    if let [small, large] = results.as_slice() {
        let rows = large.n as f64 / small.n as f64;
        println!(
            "growth from {} to {} rows ({rows:.0}x): compare {:.1}x, floor {:.1}x, copy {:.1}x",
            small.n,
            large.n,
            ms(large.ours) / ms(small.ours),
            ms(large.floor) / ms(small.floor),
            ms(large.copy) / ms(small.copy)
        );
    }
    println!("targets: compare <= 1.5x the floor; >= 2x faster than pg_comparator; copy < 500ms");
    println!("peak memory of this process (VmHWM): {}", peak_memory());
}

struct Figures {
    n: usize,
    ours: Duration,
    floor: Duration,
    comparator: Option<Duration>,
    copy: Duration,
}

fn bench(server: &Server, n: usize, runs: usize, comparator: Option<&PathBuf>) -> Figures {
    let (source, target) = (format!("bench_src_{n}"), format!("bench_tgt_{n}"));
    let started = Instant::now();
    let comparator = comparator.filter(|_| seed(server, &source, &target, n));
    println!(
        "N = {n}: seeded {} customers and {} notes per side in {:.1}s",
        n,
        2 * n,
        started.elapsed().as_secs_f64()
    );
    let connect = |db: &str| Client::connect(&server.url(db), NoTls).expect("connect");
    let (mut a, mut b) = (connect(&source), connect(&target));
    let schema = Target::default();
    let expected = &<Crm as schema_core::SchemaSet>::EXPECTED_SCHEMA;

    let mut report = None;
    let ours = median((0..runs).map(|_| {
        time(|| {
            report = Some(
                data::compare(
                    Side::new(&mut a, &schema),
                    Side::new(&mut b, &schema),
                    expected,
                    &CompareOptions::default(),
                )
                .expect("compare"),
            )
        })
    }));
    let report = report.unwrap();
    check(&report, n);
    println!(
        "  compare (data::compare, every table)         {:>8.0}ms",
        ms(ours)
    );

    let floor = median((0..runs).map(|_| {
        time(|| {
            std::thread::scope(|scope| {
                for db in [&source, &target] {
                    let url = server.url(db);
                    scope.spawn(move || {
                        let mut client = Client::connect(&url, NoTls).expect("connect");
                        for table in TABLES {
                            let sql = format!(
                                "COPY (SELECT * FROM {table} ORDER BY id) TO STDOUT (FORMAT binary)"
                            );
                            let mut reader = client.copy_out(&sql).expect("copy out");
                            std::io::copy(&mut reader, &mut std::io::sink()).expect("read");
                        }
                    });
                }
            })
        })
    }));
    println!(
        "  floor (binary COPY of both sides, 2 threads) {:>8.0}ms",
        ms(floor)
    );

    let comparator = comparator.map(|bin| {
        let d = median((0..runs).map(|_| {
            time(|| {
                for table in TABLES {
                    run_comparator(bin, server, &source, &target, table);
                }
            })
        }));
        println!(
            "  pg_comparator (3 tables)                     {:>8.0}ms",
            ms(d)
        );
        d
    });
    if comparator.is_none() {
        println!("  pg_comparator                                 skipped");
    }

    let missing = |table: &str| -> Vec<Key> {
        report
            .tables
            .iter()
            .find(|t| t.table == table)
            .map(|t| t.only_in_source.clone())
            .unwrap_or_default()
    };
    let (customers, notes) = (missing("customers"), missing("customer_notes"));
    let copy = median((0..runs).map(|_| {
        let d = time(|| {
            let copied = data::copy(
                Side::new(&mut a, &schema),
                Side::new(&mut b, &schema),
                expected,
                &CopyOptions {
                    selection: vec![
                        ("customers".into(), RowSelection::Keys(customers.clone())),
                        ("customer_notes".into(), RowSelection::Keys(notes.clone())),
                    ],
                    apply: true,
                    ..Default::default()
                },
            )
            .expect("copy");
            assert_eq!(copied.plan.rows(), 3 * n / 1000);
        });
        // Undo the copy for the next run (the notes go with their customers).
        let ids: Vec<i64> = customers
            .iter()
            .map(|k| match k.0[0] {
                KeyValue::Int(i) => i,
                _ => unreachable!("integer keys"),
            })
            .collect();
        b.execute("DELETE FROM customers WHERE id = ANY($1)", &[&ids])
            .expect("undo the copy");
        d
    }));
    println!(
        "  copy ({} customers, {} notes, by key)       {:>8.0}ms",
        customers.len(),
        notes.len(),
        ms(copy)
    );
    drop((a, b));
    let mut admin = connect("postgres");
    for db in [&source, &target] {
        admin
            .batch_execute(&format!("DROP DATABASE {db}"))
            .expect("drop a bench database");
    }
    Figures {
        n,
        ours,
        floor,
        comparator,
        copy,
    }
}

/// Creates both databases: the source generated server-side, the target a copy of it
/// with 0.1 % of the customers (and their notes) removed, 0.1 % added and 0.1 %
/// renamed. Whether pg_comparator's `pgcmp` extension could be created in both.
fn seed(server: &Server, source: &str, target: &str, n: usize) -> bool {
    let url = server.url(source);
    ensure_database(&url).expect("create the source");
    let mut a = Client::connect(&url, NoTls).expect("connect");
    sync_with::<Crm>(&mut a, &SyncOptions::development()).expect("sync");
    let with_comparator = a
        .batch_execute("CREATE EXTENSION IF NOT EXISTS pgcmp")
        .is_ok();
    // Triggers off while seeding: the rows are consistent by construction, and the
    // audit trigger would fill `audit_log` with a copy of every customer, a table the
    // floor and pg_comparator do not read.
    a.batch_execute(&format!(
        "SET session_replication_role = replica;
         INSERT INTO organizations (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Sales');
         INSERT INTO users (id, tenant_id, email, display_name, created_at, updated_at)
         OVERRIDING SYSTEM VALUE
         SELECT i, 1, 'u' || i || '@example.com', 'User ' || i, '2026-01-01', '2026-01-01'
         FROM generate_series(1, 100) i;
         INSERT INTO customers (id, tenant_id, owner_id, name, email, phone, company, stage,
                                tags, created_at, updated_at)
         OVERRIDING SYSTEM VALUE
         SELECT i, 1, 1 + i % 100, 'Customer ' || i, 'c' || i || '@example.com',
                '+33 1 ' || lpad((i % 100000000)::text, 8, '0'), 'Company ' || (i % 5000),
                (ARRAY['lead', 'prospect', 'customer', 'churned'])[1 + i % 4]::customer_stage,
                CASE WHEN i % 10 = 0 THEN ARRAY['vip'] ELSE '{{}}' END,
                timestamptz '2026-01-01' + i * interval '1 second',
                timestamptz '2026-01-01' + i * interval '1 second'
         FROM generate_series(1, {n}) i;
         INSERT INTO customer_notes (id, tenant_id, customer_id, author_id, body, pinned,
                                     created_at, updated_at)
         OVERRIDING SYSTEM VALUE
         SELECT i, 1, (i + 1) / 2, 1 + i % 100, 'Note ' || i || ' about the last call',
                i % 50 = 0, timestamptz '2026-01-01' + i * interval '1 second',
                timestamptz '2026-01-01' + i * interval '1 second'
         FROM generate_series(1, {notes}) i;
         SELECT setval(pg_get_serial_sequence('customers', 'id'), {n});
         SELECT setval(pg_get_serial_sequence('customer_notes', 'id'), {notes});",
        notes = 2 * n
    ))
    .expect("source rows");
    a.batch_execute("VACUUM (FREEZE, ANALYZE)").expect("vacuum");
    drop(a);
    let mut admin = Client::connect(&server.url("postgres"), NoTls).expect("connect");
    admin
        .batch_execute(&format!("CREATE DATABASE {target} TEMPLATE {source}"))
        .expect("copy the source");
    let k = n / 1000;
    let mut b = Client::connect(&server.url(target), NoTls).expect("connect");
    b.batch_execute(&format!(
        "SET session_replication_role = replica;
         DELETE FROM customer_notes WHERE customer_id <= {k};
         DELETE FROM customers WHERE id <= {k};
         INSERT INTO customers (id, tenant_id, owner_id, name, created_at, updated_at)
         OVERRIDING SYSTEM VALUE
         SELECT i, 1, 1 + i % 100, 'Customer ' || i, '2026-01-01', '2026-01-01'
         FROM generate_series({n} + 1, {n} + {k}) i;
         INSERT INTO customer_notes (id, tenant_id, customer_id, body, created_at, updated_at)
         OVERRIDING SYSTEM VALUE
         SELECT i, 1, (i + 1) / 2, 'Note ' || i, '2026-01-01', '2026-01-01'
         FROM generate_series(2 * {n} + 1, 2 * ({n} + {k})) i;
         UPDATE customers SET name = name || ' (renamed)' WHERE id > {k} AND (id - {k}) % 999 = 0;"
    ))
    .expect("target differences");
    b.batch_execute("VACUUM (FREEZE, ANALYZE)").expect("vacuum");
    with_comparator
}

/// The compare found exactly the planted differences.
fn check(report: &CompareReport, n: usize) {
    let k = n / 1000;
    let table = |name: &str| report.tables.iter().find(|t| t.table == name).unwrap();
    let customers = table("customers");
    assert_eq!(customers.source_rows, n as u64);
    assert_eq!(customers.target_rows, n as u64);
    assert_eq!(customers.only_in_source.len(), k);
    assert_eq!(customers.only_in_target.len(), k);
    assert_eq!(customers.changed.len(), k);
    let notes = table("customer_notes");
    assert_eq!(notes.only_in_source.len(), 2 * k);
    assert_eq!(notes.only_in_target.len(), 2 * k);
    assert_eq!(notes.changed.len(), 0);
    // The seed wrote no audit rows: every table with rows is one the floor reads too.
    let audit = table("audit_log");
    assert_eq!((audit.source_rows, audit.target_rows), (0, 0));
}

fn run_comparator(bin: &PathBuf, server: &Server, source: &str, target: &str, table: &str) {
    let out = Command::new(bin)
        .env("PGHOST", server.socket_dir())
        .args(["--no-lock", "--use-key", "--pg-text-cast"])
        .arg(format!(
            "pgsql://postgres@:{}/{source}/public.{table}?id",
            server.port()
        ))
        .arg(format!(
            "pgsql://postgres@:{}/{target}/public.{table}?id",
            server.port()
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run pg_comparator");
    // Exit status 1 means "differences found".
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "pg_comparator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Installs Debian's `postgresql-comparator` when this process may: as root, with
/// `apt-get`. Its `pgcmp` extension is built for Debian's PostgreSQL, the server here.
fn install_comparator() -> Option<PathBuf> {
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    if !root || !std::path::Path::new("/usr/bin/apt-get").exists() {
        return None;
    }
    println!("installing pg_comparator (apt-get install postgresql-comparator)");
    let installed = Command::new("apt-get")
        .args(["install", "-y", "-q", "postgresql-comparator"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if installed { find_comparator() } else { None }
}

fn find_comparator() -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("pg_comparator"))
        .find(|p| p.is_file())
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}
