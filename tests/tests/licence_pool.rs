//! The reference `licensing` schema keeps its pool figures in the database: the totals
//! follow the order, the available seats follow the assignments, and twenty concurrent
//! assigners of one pool never hand out more seats than it has.

mod common;

use std::sync::Barrier;

use postgres::Client;
use schema_core::{Outcome, SyncOptions, sync_with};
use schema_defs::licensing::Licensing;

use common::fresh;

/// A synced database with one client and a pool of `ordered` licences; the pool's id.
fn pool(client: &mut Client, ordered: i32) -> i64 {
    let report = sync_with::<Licensing>(client, &SyncOptions::development()).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    client
        .batch_execute("INSERT INTO clients (name) VALUES ('Acme')")
        .unwrap();
    // The figures written here are overridden: the database derives them.
    client
        .query_one(
            "INSERT INTO license_pools
                 (client_id, product, ordered_licenses, total_licenses, available_licenses, valid_from)
             SELECT id, 'studio-pro', $1, 0, 0, current_date FROM clients
             RETURNING id",
            &[&ordered],
        )
        .unwrap()
        .get(0)
}

/// (ordered, total, available) of the pool.
fn figures(client: &mut Client, pool: i64) -> (i32, i32, i32) {
    let row = client
        .query_one(
            "SELECT ordered_licenses, total_licenses, available_licenses
             FROM license_pools WHERE id = $1",
            &[&pool],
        )
        .unwrap();
    (row.get(0), row.get(1), row.get(2))
}

fn assign(client: &mut Client, pool: i64, who: &str) -> Result<u64, postgres::Error> {
    client.execute(
        "INSERT INTO license_assignments (pool_id, assignee) VALUES ($1, $2)",
        &[&pool, &who],
    )
}

#[test]
fn the_database_keeps_the_figures_through_order_assign_revoke_delete_and_reorder() {
    let (_db, mut client) = fresh();
    let id = pool(&mut client, 3);
    assert_eq!(figures(&mut client, id), (3, 3, 3));

    assign(&mut client, id, "ann@example.com").unwrap();
    assign(&mut client, id, "bob@example.com").unwrap();
    assert_eq!(figures(&mut client, id), (3, 3, 1));

    client
        .execute(
            "UPDATE license_assignments SET revoked_at = now() WHERE assignee = 'ann@example.com'",
            &[],
        )
        .unwrap();
    assert_eq!(figures(&mut client, id), (3, 3, 2));

    // Assigning the same assignee again clears the revocation.
    client
        .execute(
            "UPDATE license_assignments SET revoked_at = NULL WHERE assignee = 'ann@example.com'",
            &[],
        )
        .unwrap();
    assert_eq!(figures(&mut client, id), (3, 3, 1));

    client
        .execute(
            "DELETE FROM license_assignments WHERE assignee = 'bob@example.com'",
            &[],
        )
        .unwrap();
    assert_eq!(figures(&mut client, id), (3, 3, 2));

    // A direct write of the figures does not stick.
    client
        .execute(
            "UPDATE license_pools SET available_licenses = 0, total_licenses = 100",
            &[],
        )
        .unwrap();
    assert_eq!(figures(&mut client, id), (3, 3, 2));

    client
        .execute("UPDATE license_pools SET ordered_licenses = 5", &[])
        .unwrap();
    assert_eq!(figures(&mut client, id), (5, 5, 4));

    // An order below the seats in use is refused.
    assign(&mut client, id, "cy@example.com").unwrap();
    let refused = client
        .execute("UPDATE license_pools SET ordered_licenses = 1", &[])
        .unwrap_err();
    assert_eq!(
        refused.code(),
        Some(&postgres::error::SqlState::CHECK_VIOLATION)
    );
    assert_eq!(figures(&mut client, id), (5, 5, 3));
}

#[test]
fn an_assignment_beyond_the_pool_is_refused() {
    let (_db, mut client) = fresh();
    let id = pool(&mut client, 1);
    assign(&mut client, id, "ann@example.com").unwrap();
    let refused = assign(&mut client, id, "bob@example.com").unwrap_err();
    assert_eq!(
        refused.code(),
        Some(&postgres::error::SqlState::CHECK_VIOLATION),
        "{refused:?}"
    );
    assert_eq!(figures(&mut client, id), (1, 1, 0));
}

#[test]
fn twenty_concurrent_assigners_never_over_assign() {
    const SEATS: i32 = 5;
    const ASSIGNERS: usize = 20;
    let (db, mut client) = fresh();
    let id = pool(&mut client, SEATS);

    let barrier = Barrier::new(ASSIGNERS);
    let outcomes: Vec<Result<(), postgres::error::SqlState>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..ASSIGNERS)
            .map(|n| {
                let (db, barrier) = (&db, &barrier);
                scope.spawn(move || {
                    let mut client = db.connect().unwrap();
                    let mut tx = client.transaction().unwrap();
                    // Every transaction starts before any assignment commits.
                    tx.query_one("SELECT count(*) FROM license_assignments", &[])
                        .unwrap();
                    barrier.wait();
                    let inserted = tx.execute(
                        "INSERT INTO license_assignments (pool_id, assignee) VALUES ($1, $2)",
                        &[&id, &format!("user{n}@example.com")],
                    );
                    match inserted {
                        Ok(_) => tx.commit().map_err(|e| e.code().unwrap().clone()),
                        Err(e) => Err(e.code().expect("a database error").clone()),
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });

    let granted = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(granted, SEATS as usize, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .filter_map(|o| o.as_ref().err())
            .all(|code| *code == postgres::error::SqlState::CHECK_VIOLATION),
        "{outcomes:?}"
    );
    let active: i64 = client
        .query_one(
            "SELECT count(*) FROM license_assignments WHERE revoked_at IS NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(active, SEATS as i64);
    assert_eq!(figures(&mut client, id), (SEATS, SEATS, 0));
}
