//! Schema per tenant at scale: `fuel-tenant` (11 tables) in 10, 100 and 1,000 tenant
//! schemas on one throwaway server; prints medians.
//!
//! `cargo bench -p schema-defs --bench tenants` (`BENCH_RUNS` sets the run count,
//! `BENCH_TENANTS` the sizes, as `10,100,1000`).
//!
//! For each size:
//! - provisioning every tenant (`tenant::provision`, one transaction each, in process);
//! - no-op verify of all: the `schema-defs fuel tenants verify` process, start included
//!   (target at 1,000: under 1 s);
//! - 10 tenants drifted (an index dropped), found and fixed: the `schema-defs fuel
//!   tenants sync` process (target at 1,000: under 2 s);
//! - peak memory of those processes (the largest resident set);
//! - the naive way, in the same run: a loop of the single-schema `sync_schema` over every
//!   tenant on one connection, for the no-op and for the 10 drifted, and the ratio (one
//!   run at 1,000 tenants, where it takes minutes).

mod support;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use support::{median, ms, time};

use postgres::{Client, NoTls};
use schema_core::database::ensure_database;
use schema_core::ephemeral::Server;
use schema_core::sync::sync_schema;
use schema_core::tenant::provision;
use schema_core::{SchemaSet, SyncOptions, Target};
use schema_defs::fuel::{self, FuelPlatform, FuelTenant};

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let sizes: Vec<usize> = std::env::var("BENCH_TENANTS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 100, 1000]);
    let server = Server::start().expect("a throwaway PostgreSQL");
    let bin = env!("CARGO_BIN_EXE_schema-defs");
    let options = SyncOptions::development();
    println!(
        "fuel-tenant: {} tables per tenant; {runs} runs each; medians",
        FuelTenant::EXPECTED_SCHEMA.tables.len()
    );
    for &n in &sizes {
        let url = server.url(&format!("tenants_{n}"));
        ensure_database(&url).expect("create a database");
        let mut client = Client::connect(&url, NoTls).expect("connect");
        sync_schema(
            &mut client,
            &FuelPlatform::EXPECTED_SCHEMA,
            &Target::default(),
            &options,
        )
        .expect("platform sync");
        client
            .batch_execute(
                "INSERT INTO public.plans (code, name, monthly_price, max_stations, max_users)
                 VALUES ('basic', 'Basic', 10, 3, 10)",
            )
            .expect("a plan");
        let set = fuel::tenants();
        let names: Vec<String> = (0..n).map(|i| format!("tenant_{i:04}")).collect();
        let provisioning = time(|| {
            for name in &names {
                provision(&mut client, &set, name, &options).expect("provision");
            }
        });
        println!(
            "{n} tenants ({} tables): provisioning {:.0} ms ({:.1} ms per tenant)",
            n * FuelTenant::EXPECTED_SCHEMA.tables.len(),
            ms(provisioning),
            ms(provisioning) / n as f64
        );

        let cli = |command: &str| {
            let mut cmd = Command::new(bin);
            cmd.args(["fuel", "tenants", command, "--database-url", &url])
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            cmd
        };
        // The naive loop reads the whole catalog once per tenant: at 1,000 tenants one
        // run takes minutes, so big sizes get one.
        let naive_runs = if n >= 1000 { 1 } else { runs };
        let verify = median((0..runs).map(|_| time(|| run(cli("verify"), true))));
        println!("  no-op verify of all, process: {:.0} ms", ms(verify));
        let naive_verify = median(
            (0..naive_runs)
                .map(|_| time(|| naive_loop(&mut client, &names, &options.clone().dry_run()))),
        );
        println!(
            "  the same as a loop of single-schema syncs: {:.0} ms (fan-out {:.1}x faster)",
            ms(naive_verify),
            naive_verify.as_secs_f64() / verify.as_secs_f64()
        );

        let drifted: Vec<&String> = names.iter().step_by((n / 10).max(1)).take(10).collect();
        let drift = |client: &mut Client| {
            let sql: String = drifted
                .iter()
                .map(|t| format!("DROP INDEX \"{t}\".sales_sold_at_idx;"))
                .collect();
            client.batch_execute(&sql).expect("drift");
        };
        let fix = median((0..runs).map(|_| {
            drift(&mut client);
            time(|| run(cli("sync"), false))
        }));
        println!(
            "  {} drifted found and fixed, process: {:.0} ms",
            drifted.len(),
            ms(fix)
        );
        let naive_fix = median((0..naive_runs).map(|_| {
            drift(&mut client);
            time(|| naive_loop(&mut client, &names, &options))
        }));
        println!(
            "  the same as a loop of single-schema syncs: {:.0} ms (fan-out {:.1}x faster)",
            ms(naive_fix),
            naive_fix.as_secs_f64() / fix.as_secs_f64()
        );
        println!(
            "  peak memory of the CLI processes so far: {:.1} MiB",
            peak_child_rss_kib() as f64 / 1024.0
        );
    }
}

/// The naive way: one single-schema sync after another, on one connection.
fn naive_loop(client: &mut Client, names: &[String], options: &SyncOptions) {
    for name in names {
        let target = Target::new(name.as_str()).expect("target");
        sync_schema(client, &FuelTenant::EXPECTED_SCHEMA, &target, options).expect("sync");
    }
}

/// The largest resident set of the CLI processes so far, in KiB.
static PEAK_KIB: AtomicI64 = AtomicI64::new(0);

/// Runs `cmd` and records its peak memory; `success` says whether exit code 0 is
/// required (verify exits 0 when every tenant is current).
// The child is reaped by `wait4`, which also reports its resource usage.
#[allow(clippy::zombie_processes)]
fn run(mut cmd: Command, success: bool) {
    let child = cmd.spawn().expect("run the CLI");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `status` and `usage` are valid and writable; the pid is our own child,
    // waited for here only (`child` is never waited for through std).
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4");
    PEAK_KIB.fetch_max(usage.ru_maxrss, Ordering::SeqCst);
    let exited = libc::WIFEXITED(status);
    assert!(exited, "{cmd:?}: {status}");
    if success {
        assert_eq!(libc::WEXITSTATUS(status), 0, "{cmd:?}");
    }
}

fn peak_child_rss_kib() -> i64 {
    PEAK_KIB.load(Ordering::SeqCst)
}
