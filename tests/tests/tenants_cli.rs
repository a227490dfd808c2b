//! `tenants list | verify | sync | create NAME | retire NAME` against a real
//! PostgreSQL: a line per tenant, JSON Lines, exit code 1 when a tenant drifted.

mod common;

use std::process::ExitCode;

use schema_core::SchemaSet;
use schema_core::cli::{Cli, SchemaSetEntry, execute};
use schema_defs::fuel;

use common::fresh;

fn sets() -> [SchemaSetEntry; 2] {
    [
        SchemaSetEntry::new("fuel", fuel::FuelPlatform::EXPECTED_SCHEMA)
            .with_tenants(fuel::tenants),
        SchemaSetEntry::new("fuel-tenant", fuel::FuelTenant::EXPECTED_SCHEMA),
    ]
}

fn run(url: &str, args: &[&str]) -> (ExitCode, String) {
    let argv: Vec<String> = ["app"]
        .iter()
        .chain(args)
        .chain(&["--database-url", url])
        .map(|s| s.to_string())
        .collect();
    let cli = Cli::parse_from(&sets(), argv).expect("valid arguments");
    let mut out = Vec::new();
    let code = execute(&cli, &mut out).expect("the command runs");
    (code, String::from_utf8(out).expect("UTF-8 output"))
}

#[test]
fn create_list_verify_sync_and_retire() {
    let (db, mut client) = fresh();
    let url = db.url();
    let (code, out) = run(url, &["fuel", "sync"]);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    client
        .batch_execute(
            "INSERT INTO public.plans (code, name, monthly_price, max_stations, max_users)
             VALUES ('basic', 'Basic', 10, 3, 10)",
        )
        .unwrap();
    for name in ["tenant_a", "tenant_b", "tenant_c"] {
        let (code, out) = run(url, &["fuel", "tenants", "create", name]);
        assert_eq!(code, ExitCode::SUCCESS, "{out}");
        assert!(
            out.starts_with(&format!("created tenant {name} and its platform row")),
            "{out}"
        );
    }
    let (_, again) = run(url, &["fuel", "tenants", "create", "tenant_a"]);
    assert!(again.contains("tenant tenant_a exists"), "{again}");
    let (code, out) = run(url, &["fuel", "tenants", "list"]);
    assert_eq!(
        (code, out.as_str()),
        (ExitCode::SUCCESS, "tenant_a\ntenant_b\ntenant_c\n")
    );

    let (code, out) = run(url, &["fuel", "tenants", "verify"]);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    assert!(out.contains("3 tenant(s): 3 up to date"), "{out}");

    client
        .batch_execute("DROP INDEX tenant_b.sales_sold_at_idx")
        .unwrap();
    let (code, out) = run(url, &["fuel", "tenants", "verify", "--parallel", "2"]);
    assert_eq!(code, ExitCode::FAILURE, "{out}");
    assert!(
        out.contains(
            "tenant_b: drifted, 1 change(s): missing-index tenant_b.sales.sales_sold_at_idx"
        ),
        "{out}"
    );
    let (code, out) = run(url, &["fuel", "tenants", "sync", "--dry-run", "--json"]);
    assert_eq!(code, ExitCode::FAILURE, "{out}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 4, "a line per tenant, then the totals: {out}");
    let b = lines.iter().find(|l| l["tenant"] == "tenant_b").unwrap();
    assert_eq!(b["outcome"], "planned", "{out}");
    assert_eq!(lines[3]["totals"]["planned"], 1, "{out}");
    assert_eq!(lines[3]["dry_run"], true, "{out}");

    let (code, out) = run(url, &["fuel", "tenants", "sync"]);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    assert!(out.contains("tenant_b: fixed"), "{out}");
    let (code, _) = run(url, &["fuel", "tenants", "verify"]);
    assert_eq!(code, ExitCode::SUCCESS);

    let (code, out) = run(url, &["fuel", "tenants", "retire", "tenant_c"]);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    assert!(out.contains("schema kept"), "{out}");
    let (_, out) = run(url, &["fuel", "tenants", "list"]);
    assert_eq!(out, "tenant_a\ntenant_b\n");
}

#[test]
fn a_set_without_tenants_says_how_to_declare_them() {
    let (db, _client) = fresh();
    let argv: Vec<String> = [
        "app",
        "fuel-tenant",
        "tenants",
        "list",
        "--database-url",
        db.url(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let cli = Cli::parse_from(&sets(), argv).unwrap();
    let err = execute(&cli, &mut Vec::new()).unwrap_err().to_string();
    assert!(err.contains("declares no tenants"), "{err}");
}
