//! A service's start-up, end to end: declare tables, make sure the database exists, sync
//! the schema, and check it.
//!
//! `cargo run -p examples --bin quickstart` uses `DATABASE_URL`, or without it starts a
//! throwaway PostgreSQL. Set `APP_ENV=production` to see the verify-only policy refuse
//! an empty database.

use chrono::{DateTime, Utc};
use schema_core::{Outcome, SqlEnum, SyncError, Table, schema_set};

#[derive(Table)]
#[table(name = "tenants", timestamps)]
pub struct Tenant {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(63)", unique)]
    pub slug: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(SqlEnum)]
#[sql_enum(name = "project_state")]
pub enum ProjectState {
    Draft,
    Active,
    Archived,
}

#[derive(Table)]
#[table(name = "projects", tenant = Tenant, soft_delete, timestamps, unique(tenant_id, name))]
pub struct Project {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(120)")]
    pub name: String,
    #[column(default = "'draft'", index)]
    pub state: ProjectState,
    #[column(references = Project, on_delete = "set null")]
    pub parent_id: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

schema_set!(pub AppTables = [Tenant, Project]);

fn main() -> anyhow::Result<()> {
    // A real service reads DATABASE_URL; the example brings its own server without it.
    let (_server, url) = examples::database_url("quickstart")?;
    if schema_core::database::ensure_database(&url)? {
        println!("created the database");
    }
    let mut client = postgres::Client::connect(&url, postgres::NoTls)?;

    // Development creates what is missing; production verifies (APP_ENV, ENABLE_AUTO_SYNC).
    match schema_core::sync::<AppTables>(&mut client) {
        Ok(report) => print!("{report}"),
        Err(SyncError::Refused { problems, .. }) => {
            println!("refusing to start:");
            problems.iter().for_each(|p| println!("  - {p}"));
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    }

    client.execute(
        "INSERT INTO tenants (slug) VALUES ($1) ON CONFLICT (slug) DO NOTHING",
        &[&"acme"],
    )?;
    // A second start proves the schema current from the stored fingerprint.
    let again = schema_core::verify::<AppTables>(&mut client)?;
    assert_eq!(again.outcome, Outcome::UpToDate);
    println!("second start: up to date (fast path: {})", again.fast_path);
    Ok(())
}
