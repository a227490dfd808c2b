//! Versioned migrations against a real PostgreSQL: up then down restores the catalog,
//! status follows every step, each refusal names its file and changes nothing, failures
//! leave the tracking table truthful, concurrent runs apply each migration once, and
//! generated migrations build a database that verifies clean.
//!
//! One test binary, so that the throwaway server starts once: a file per command in
//! `migrate/`, and what they share in `migrate/fixtures.rs`.

mod common;

#[path = "migrate/baseline.rs"]
mod baseline;
#[path = "migrate/cli.rs"]
mod cli;
#[path = "migrate/concurrency.rs"]
mod concurrency;
#[path = "migrate/create.rs"]
mod create;
#[path = "migrate/down.rs"]
mod down;
#[path = "migrate/fixtures.rs"]
mod fixtures;
#[path = "migrate/folder.rs"]
mod folder;
#[path = "migrate/generate.rs"]
mod generate;
#[path = "migrate/generate_tenancy.rs"]
mod generate_tenancy;
#[path = "migrate/licensing.rs"]
mod licensing;
#[path = "migrate/logic.rs"]
mod logic;
#[path = "migrate/migrate_and_sync.rs"]
mod migrate_and_sync;
#[path = "migrate/repair.rs"]
mod repair;
#[path = "migrate/seed.rs"]
mod seed;
#[path = "migrate/up.rs"]
mod up;
