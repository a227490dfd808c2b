//! Runs the CLI over the reference schemas:
//! `cargo run -p schema-defs -- <municipal|fuel|fuel-tenant|licensing|crm> <plan|sync|diff|verify>`.

use std::process::ExitCode;

use schema_core::SchemaSet;
use schema_defs::{crm, fuel, licensing, municipal};

fn main() -> ExitCode {
    schema_core::cli::run(&[
        ("municipal", municipal::Municipal::EXPECTED_SCHEMA),
        ("fuel", fuel::FuelPlatform::EXPECTED_SCHEMA),
        ("fuel-tenant", fuel::FuelTenant::EXPECTED_SCHEMA),
        ("licensing", licensing::Licensing::EXPECTED_SCHEMA),
        ("crm", crm::Crm::EXPECTED_SCHEMA),
    ])
}
