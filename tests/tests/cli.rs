//! The command line over a schema set, against a real PostgreSQL: what each command
//! prints, its exit code, and that a dry run or a production verify changes nothing.

mod common;

use std::process::ExitCode;

use schema_core::SchemaSet;
use schema_core::cli::{Cli, SchemaSetEntry, execute};

use common::accounts::Accounts;
use common::{catalog_lines, fresh};

fn sets() -> [SchemaSetEntry; 1] {
    [SchemaSetEntry::new("accounts", Accounts::EXPECTED_SCHEMA)]
}

/// Runs `args` (after the program name) against `url`; returns the exit code and output.
fn run(url: Option<&str>, args: &[&str]) -> (ExitCode, String) {
    let mut argv: Vec<String> = std::iter::once("app")
        .chain(args.iter().copied())
        .map(String::from)
        .collect();
    if let Some(url) = url {
        argv.extend(["--database-url".to_owned(), url.to_owned()]);
    }
    let cli = Cli::parse_from(&sets(), argv).expect("valid arguments");
    let mut out = Vec::new();
    let code = execute(&cli, &mut out).expect("the command runs");
    (code, String::from_utf8(out).expect("UTF-8 output"))
}

#[test]
fn plan_prints_the_ddl_without_a_database() {
    let (code, out) = run(None, &["plan"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(out, Accounts::EXPECTED_SCHEMA.ddl());
}

#[test]
fn sync_creates_then_finds_nothing_to_do() {
    let (db, _client) = fresh();
    let (code, out) = run(Some(db.url()), &["sync"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(out.contains("Accounts in schema public: applied"), "{out}");
    assert!(out.contains("safe: 5"), "counted by class: {out}");
    assert!(
        !out.contains("CREATE TABLE"),
        "no SQL without --verbose: {out}"
    );

    let (code, out) = run(Some(db.url()), &["sync"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(out.contains("up to date (fast path)"), "{out}");
    assert!(!out.contains("CREATE"), "{out}");
}

#[test]
fn verbose_and_show_sql_print_the_statements_run() {
    for flag in ["--verbose", "--show-sql"] {
        let (db, _client) = fresh();
        let (code, out) = run(Some(db.url()), &["sync", flag]);
        assert_eq!(code, ExitCode::SUCCESS);
        assert!(out.contains("statements run:"), "{flag}: {out}");
        assert!(
            out.contains("CREATE TABLE \"public\".\"accounts\""),
            "{flag}: {out}"
        );
    }
}

#[test]
fn a_dry_run_prints_the_plan_and_changes_nothing() {
    let (db, mut client) = fresh();
    let (code, out) = run(Some(db.url()), &["sync", "--dry-run"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(out.contains("planned (dry run, nothing changed)"), "{out}");
    assert!(out.contains("statements it would run:"), "{out}");
    assert!(catalog_lines(&mut client, "public").is_empty());
}

#[test]
fn verify_and_diff_exit_1_on_drift() {
    let (db, mut client) = fresh();
    run(Some(db.url()), &["sync"]);
    assert_eq!(run(Some(db.url()), &["verify"]).0, ExitCode::SUCCESS);

    client
        .batch_execute("DROP INDEX notes_account_id_idx")
        .unwrap();
    let (code, out) = run(Some(db.url()), &["verify"]);
    assert_eq!(code, ExitCode::FAILURE);
    assert!(out.contains("missing-index"), "{out}");

    let (code, out) = run(Some(db.url()), &["diff", "--json"]);
    assert_eq!(code, ExitCode::FAILURE);
    let changes: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(changes[0]["kind"], "missing-index");
    assert_eq!(changes[0]["safety"], "safe");
    assert_eq!(
        changes[0]["sql"][0],
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"notes_account_id_idx\" ON \"public\".\"notes\" (\"account_id\")"
    );
}

#[test]
fn production_refuses_an_empty_database_and_changes_nothing() {
    let (db, mut client) = fresh();
    let (code, out) = run(Some(db.url()), &["sync", "--production", "--json"]);
    assert_eq!(code, ExitCode::FAILURE);
    let report: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(report["outcome"], "drifted");
    assert_eq!(report["mode"], "production");
    assert!(catalog_lines(&mut client, "public").is_empty());
}

#[test]
fn tables_can_go_to_another_schema() {
    let (db, mut client) = fresh();
    let (code, _) = run(Some(db.url()), &["sync", "--schema", "tenant_7"]);
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(!catalog_lines(&mut client, "tenant_7").is_empty());
    assert!(catalog_lines(&mut client, "public").is_empty());
}

#[test]
fn an_unknown_set_lists_the_known_ones() {
    let two = [
        SchemaSetEntry::new("accounts", Accounts::EXPECTED_SCHEMA),
        SchemaSetEntry::new("other", Accounts::EXPECTED_SCHEMA),
    ];
    let argv = ["app", "acounts", "plan"].map(String::from).to_vec();
    let err = Cli::parse_from(&two, argv).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown schema set `acounts`; choose one of: accounts, other"),
        "{err}"
    );
}

#[test]
fn with_one_set_options_may_come_before_the_command() {
    let (db, _client) = fresh();
    let (code, out) = run(Some(db.url()), &["--json", "verify"]);
    assert_eq!(code, ExitCode::FAILURE, "an empty database drifted");
    let report: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(report["outcome"], "drifted");
}

#[test]
fn json_output_stays_json_when_a_throwaway_server_is_started() {
    if std::env::var_os("DATABASE_URL").is_some() {
        return; // the CLI would use that server instead
    }
    let (code, out) = run(None, &["verify", "--json"]);
    assert_eq!(code, ExitCode::FAILURE);
    let report: serde_json::Value = serde_json::from_str(&out).expect("only JSON on stdout");
    assert_eq!(report["outcome"], "drifted");
}

#[test]
fn a_schema_name_postgresql_cannot_hold_is_refused_naming_the_flag() {
    for (schema, why) in [("x".repeat(64), "63 bytes"), (String::new(), "empty")] {
        let argv = ["app", "sync", "--schema", &schema]
            .map(String::from)
            .to_vec();
        let err = Cli::parse_from(&sets(), argv).unwrap_err().to_string();
        assert!(err.contains("--schema"), "{err}");
        assert!(err.contains(why), "{err}");
    }
    let fits = ["app", "sync", "--schema", &"x".repeat(63)].map(String::from);
    assert!(Cli::parse_from(&sets(), fits.to_vec()).is_ok());
}

#[test]
fn a_url_of_another_scheme_lists_the_accepted_forms() {
    let argv = [
        "app",
        "verify",
        "--database-url",
        "mysql://app:s3cret@localhost/app",
    ];
    let cli = Cli::parse_from(&sets(), argv.map(String::from).to_vec()).unwrap();
    let err = execute(&cli, &mut Vec::new()).unwrap_err().to_string();
    for form in ["`mysql://`", "postgresql://", "postgres://", "host="] {
        assert!(err.contains(form), "{form}: {err}");
    }
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn health_exits_0_healthy_1_degraded_2_unhealthy() {
    let (db, mut client) = fresh();
    let (code, out) = run(Some(db.url()), &["health", "--json"]);
    assert_eq!(
        code,
        ExitCode::from(2),
        "empty: required tables missing: {out}"
    );
    let report: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(report["status"], "unhealthy");
    assert_eq!(report["tables"]["missing_required"][0], "public.accounts");
    assert_eq!(
        catalog_lines(&mut client, "public"),
        Vec::<String>::new(),
        "health changes nothing"
    );

    run(Some(db.url()), &["sync"]);
    let (code, out) = run(Some(db.url()), &["health"]);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    assert!(
        out.starts_with("healthy: Accounts in schema public"),
        "{out}"
    );

    client
        .batch_execute("DROP INDEX notes_account_id_idx")
        .unwrap();
    let (code, out) = run(Some(db.url()), &["health", "--json"]);
    assert_eq!(code, ExitCode::from(1), "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(report["status"], "degraded");
    assert_eq!(report["pending"]["safe"]["codes"]["missing-index"], 1);
}

#[test]
fn health_of_an_unreachable_database_is_a_json_report_with_exit_2() {
    let (db, _client) = fresh();
    let missing = format!("{}_missing", db.name());
    let url = db.url().replace(db.name(), &missing);
    let (code, out) = run(Some(&url), &["health", "--json"]);
    assert_eq!(code, ExitCode::from(2), "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(report["status"], "unhealthy");
    assert_eq!(report["database"]["reachable"], false);
    assert!(
        report["error"].as_str().unwrap().contains("does not exist"),
        "a missing database is not created: {out}"
    );

    let (code, out) = run(Some("mysql://app:s3cret@localhost/app"), &["health"]);
    assert_eq!(code, ExitCode::from(2), "{out}");
    assert!(out.starts_with("unhealthy: Accounts"), "{out}");
    assert!(!out.contains("s3cret"), "{out}");
}
