//! Versioned migrations, end to end: embed the `migrations/` folder, look at its status,
//! apply it, seed it, revert the newest migration, and start the way a service does:
//! pending migrations first, then the declarative sync.
//!
//! `cargo run -p examples --bin migrations` uses the database `DATABASE_URL` names (and
//! creates tables in it), or without it starts a throwaway PostgreSQL.
//!
//! The folder and the tables it leads to are declared in `examples/src/boards.rs`.

use examples::boards::{Boards, MIGRATIONS};
use schema_core::migrate;
use schema_core::{Outcome, SyncOptions, Target};

fn main() -> anyhow::Result<()> {
    // A real service reads DATABASE_URL; the example brings its own server without it.
    let (_server, url) = examples::database_url("migrations_example")?;
    schema_core::database::ensure_database(&url)?;
    let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
    // The sync's options also drive migrations: schema, timeouts, lock wait, history.
    let options = SyncOptions::from_env()?;

    println!("== status before anything ran");
    print!(
        "{}",
        migrate::status(&mut client, &MIGRATIONS, &Target::default())?
    );

    println!("\n== up: every pending migration, oldest first");
    print!(
        "{}",
        migrate::up(&mut client, &MIGRATIONS, &Target::default(), &options)?
    );
    print!(
        "{}",
        migrate::seed(&mut client, &MIGRATIONS, &Target::default(), &options)?
    );

    println!("\n== status");
    print!(
        "{}",
        migrate::status(&mut client, &MIGRATIONS, &Target::default())?
    );

    println!("\n== down: revert the newest migration with its down file");
    print!(
        "{}",
        migrate::down(&mut client, &MIGRATIONS, &Target::default(), &options)?
    );

    println!("\n== status");
    print!(
        "{}",
        migrate::status(&mut client, &MIGRATIONS, &Target::default())?
    );

    // What a service runs at every start: the pending migrations (here 003 again), then
    // the sync, which in production only verifies.
    println!("\n== start-up: migrations, then sync");
    let startup = migrate::migrate_and_sync::<Boards>(&mut client, &MIGRATIONS, &options)?;
    print!("{startup}");
    assert_eq!(startup.sync.outcome, Outcome::UpToDate);
    let cards: i64 = client.query_one("SELECT count(*) FROM cards", &[])?.get(0);
    println!("\n{cards} card(s) on the seeded board");
    Ok(())
}
