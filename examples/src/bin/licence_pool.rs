//! A licence pool that counts itself: order, assign, unassign and re-order, with the
//! pool's figures printed after each step. The application only writes the order and
//! the assignments; `total_licenses` and `available_licenses` are kept by the triggers
//! the reference `licensing` schema declares, and an assignment beyond the pool is
//! refused by the database.
//!
//! `cargo run -p examples --bin licence_pool` uses `DATABASE_URL`, or without it starts
//! a throwaway PostgreSQL.

use postgres::Client;
use schema_core::{SyncOptions, sync_with};
use schema_defs::licensing::Licensing;

fn main() -> anyhow::Result<()> {
    let (_server, url) = examples::database_url("licence_pool")?;
    schema_core::database::ensure_database(&url)?;
    let mut client = Client::connect(&url, postgres::NoTls)?;
    let report = sync_with::<Licensing>(&mut client, &SyncOptions::development())?;
    println!("sync: {:?}", report.outcome);

    let pool: i64 = client
        .query_one(
            "WITH client AS (INSERT INTO clients (name) VALUES ('Acme') RETURNING id)
             INSERT INTO license_pools
                 (client_id, product, ordered_licenses, total_licenses, available_licenses, valid_from)
             SELECT id, 'studio-pro', 2, 0, 0, current_date FROM client
             RETURNING id",
            &[],
        )?
        .get(0);
    show(&mut client, pool, "ordered 2 licences")?;

    for who in ["ann@example.com", "bob@example.com"] {
        assign(&mut client, pool, who)?;
        show(&mut client, pool, &format!("assigned {who}"))?;
    }
    match assign(&mut client, pool, "cy@example.com") {
        Ok(()) => anyhow::bail!("the pool handed out a third seat"),
        Err(e) => println!(
            "{:<28} refused by the database: {}",
            "assign cy@example.com",
            schema_core::PgError(e)
        ),
    }

    client.execute(
        "UPDATE license_assignments SET revoked_at = now()
         WHERE pool_id = $1 AND assignee = 'bob@example.com'",
        &[&pool],
    )?;
    show(&mut client, pool, "unassigned bob@example.com")?;

    client.execute(
        "UPDATE license_pools SET ordered_licenses = 5 WHERE id = $1",
        &[&pool],
    )?;
    show(&mut client, pool, "re-ordered 5 licences")?;

    assign(&mut client, pool, "cy@example.com")?;
    show(&mut client, pool, "assigned cy@example.com")?;
    Ok(())
}

fn assign(client: &mut Client, pool: i64, who: &str) -> Result<(), postgres::Error> {
    client.execute(
        "INSERT INTO license_assignments (pool_id, assignee) VALUES ($1, $2)",
        &[&pool, &who],
    )?;
    Ok(())
}

/// Prints the pool's figures as the database keeps them.
fn show(client: &mut Client, pool: i64, step: &str) -> anyhow::Result<()> {
    let row = client.query_one(
        "SELECT ordered_licenses, total_licenses, available_licenses,
                (SELECT count(*) FROM license_assignments
                 WHERE pool_id = p.id AND revoked_at IS NULL)
         FROM license_pools p WHERE id = $1",
        &[&pool],
    )?;
    let (ordered, total, available, active): (i32, i32, i32, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    println!(
        "{step:<28} ordered {ordered}, total {total}, available {available}, assigned {active}"
    );
    Ok(())
}
