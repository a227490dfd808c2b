//! Runs the CLI over the reference schemas:
//! `cargo run -p schema-defs -- <municipal|fuel|fuel-tenant|licensing|crm> <command>`,
//! where a command is `plan`, `sync`, `diff`, `verify`, `data compare|copy`, for `fuel`
//! `tenants list|verify|sync|create NAME|retire NAME`, or, for `licensing`, which has
//! versioned migrations in `migrations/licensing/`, `migrate up|down|status|…`.

use std::process::ExitCode;

use schema_core::SchemaSet;
use schema_core::cli::SchemaSetEntry;
use schema_core::migrate::{Migrations, embed_migrations};
use schema_defs::{crm, fuel, licensing, municipal};

/// The licensing schema's migrations, checked and embedded at compile time.
static LICENSING_MIGRATIONS: Migrations = embed_migrations!("migrations/licensing");

fn main() -> ExitCode {
    schema_core::cli::run(&[
        SchemaSetEntry::new("municipal", municipal::Municipal::EXPECTED_SCHEMA),
        SchemaSetEntry::new("fuel", fuel::FuelPlatform::EXPECTED_SCHEMA)
            .with_tenants(fuel::tenants),
        SchemaSetEntry::new("fuel-tenant", fuel::FuelTenant::EXPECTED_SCHEMA),
        SchemaSetEntry::new("licensing", licensing::Licensing::EXPECTED_SCHEMA)
            .with_migrations(&LICENSING_MIGRATIONS)
            // Where `migrate create|generate` write: the source folder, from any directory.
            .with_migrations_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/licensing")),
        SchemaSetEntry::new("crm", crm::Crm::EXPECTED_SCHEMA)
            .with_demo_data(crm::DEMO_SOURCE, crm::DEMO_TARGET),
    ])
}
