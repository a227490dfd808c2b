//! Concurrent runs of `up` apply each migration exactly once.

use std::sync::Barrier;

use schema_core::Target;
use schema_core::migrate;

use crate::common::{count, fresh};
use crate::fixtures::{BASIC, options};

#[test]
fn concurrent_ups_apply_each_migration_exactly_once() {
    const THREADS: usize = 8;
    let (db, mut client) = fresh();
    let barrier = Barrier::new(THREADS);
    let applied: Vec<i64> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    let mut client = db.connect().expect("a connection");
                    barrier.wait();
                    migrate::up(&mut client, &BASIC, &Target::default(), &options()).expect("up")
                })
            })
            .collect();
        runs.into_iter()
            .flat_map(|run| run.join().expect("a thread").versions())
            .collect()
    });
    let mut applied = applied;
    applied.sort();
    assert_eq!(applied, [1, 2, 3, 4]);
    let per_migration: Vec<(String, i64)> = client
        .query(
            "SELECT notes, count(*) FROM schema_versions
             WHERE kind = 'migration' AND outcome = 'applied' GROUP BY notes ORDER BY notes",
            &[],
        )
        .expect("the history")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert!(
        per_migration.iter().all(|(_, n)| *n == 1),
        "{per_migration:?}"
    );
    assert_eq!(per_migration.len(), 4);
    // Migration 2 inserts a row: once.
    assert_eq!(count(&mut client, "authors"), 1);
}
