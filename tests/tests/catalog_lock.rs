//! The catalog read before a sync's transaction waits for table locks no longer than
//! the sync's `lock_timeout`, and then says which table is locked and by whom.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use schema_core::{Outcome, SyncOptions, sync_with, verify};

use common::accounts::Accounts;
use common::fresh;

#[test]
fn a_sync_behind_a_locked_table_gives_up_after_the_lock_timeout_naming_table_and_pid() {
    let (db, mut client) = fresh();
    sync_with::<Accounts>(&mut client, &SyncOptions::development()).unwrap();
    client
        .batch_execute("DROP INDEX notes_account_id_idx")
        .unwrap();
    let history_before = history_rows(&mut client);

    // Another session holds the table until told to let go (or, should the sync wait
    // regardless, for long enough to show it).
    let mut holder = db.connect().unwrap();
    let pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let (release, released) = mpsc::channel::<()>();
    let (locked, is_locked) = mpsc::channel::<()>();
    let holding = std::thread::spawn(move || {
        let mut tx = holder.transaction().unwrap();
        tx.batch_execute("LOCK TABLE notes IN ACCESS EXCLUSIVE MODE")
            .unwrap();
        locked.send(()).unwrap();
        let _ = released.recv_timeout(Duration::from_secs(20));
        tx.rollback().unwrap();
    });
    is_locked.recv().unwrap();

    let mut options = SyncOptions::development();
    options.lock_timeout = Duration::from_millis(300);
    let start = Instant::now();
    let result = sync_with::<Accounts>(&mut client, &options);
    let waited = start.elapsed();
    let _ = release.send(());
    holding.join().unwrap();

    let err = result
        .expect_err("the sync cannot read a locked table")
        .to_string();
    assert!(
        waited < Duration::from_secs(10),
        "waited {waited:?} for a 300 ms lock timeout: {err}"
    );
    assert!(err.contains("public.notes"), "{err}");
    assert!(err.contains(&format!("pid {pid}")), "{err}");
    assert_eq!(
        history_rows(&mut client),
        history_before,
        "nothing was recorded"
    );
    let index: bool = client
        .query_one(
            "SELECT to_regclass('notes_account_id_idx') IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!index, "nothing was changed");

    // Once the lock is gone, the same sync goes through.
    let report = sync_with::<Accounts>(&mut client, &options).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    let after = verify::<Accounts>(&mut client).unwrap();
    assert_eq!(after.outcome, Outcome::UpToDate, "{after}");
}

fn history_rows(client: &mut postgres::Client) -> Vec<(i64, String)> {
    client
        .query("SELECT id, outcome FROM schema_versions ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}
