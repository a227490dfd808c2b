//! The replica-safe lock: a session-level advisory lock, polled with jitter.
//!
//! `pg_advisory_lock` would block, and a process blocked on it while holding a snapshot
//! deadlocks with a peer running `CREATE INDEX CONCURRENTLY` (which waits for every older
//! snapshot to finish). Polling `pg_try_advisory_lock` holds nothing while it waits.

use std::time::{Duration, Instant};

use crate::pg_error::PgError;
use postgres::Client;

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    #[error(
        "another process has held the schema lock for {waited:?}; if no sync or migration \
         is running, find the holder in pg_locks (locktype = 'advisory'); to wait longer, raise \
         SyncOptions::lock_wait (--lock-wait in the CLI)"
    )]
    Timeout { waited: Duration },
    #[error("could not take the schema lock: {0}")]
    Database(#[from] PgError),
    /// The work under the lock finished, and giving the lock back failed.
    #[error("could not release the schema lock: {0}")]
    Release(PgError),
}

/// Takes the lock for `key`, polling every 25–100 ms (growing, with jitter so replicas
/// do not retry in step) for at most `wait`. Returns how long it waited.
pub fn acquire(client: &mut Client, key: i64, wait: Duration) -> Result<Duration, LockError> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(25);
    loop {
        let row = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .map_err(PgError)?;
        if row.get::<_, bool>(0) {
            return Ok(start.elapsed());
        }
        let waited = start.elapsed();
        if waited >= wait {
            return Err(LockError::Timeout { waited });
        }
        let jitter = Duration::from_millis(fastrand::u64(0..=pause.as_millis() as u64 / 2));
        std::thread::sleep((pause + jitter).min(wait - waited));
        pause = (pause * 2).min(Duration::from_millis(100));
    }
}

/// Takes the lock for `key` (waiting at most `wait`), runs `f`, and releases the lock
/// whatever `f` returned. Returns `f`'s value and how long it waited for the lock.
///
/// When `f` fails, its error is returned and a failure to release is not reported over
/// it (the lock goes with the session in any case).
pub(crate) fn with_lock<T, E: From<LockError>>(
    client: &mut Client,
    key: i64,
    wait: Duration,
    f: impl FnOnce(&mut Client) -> Result<T, E>,
) -> Result<(T, Duration), E> {
    let waited = acquire(client, key, wait)?;
    let result = f(client);
    let released = release(client, key);
    let value = result?;
    released.map_err(LockError::Release)?;
    Ok((value, waited))
}

/// Releases the lock taken by [`acquire`] on the same connection.
pub fn release(client: &mut Client, key: i64) -> Result<(), PgError> {
    client.execute("SELECT pg_advisory_unlock($1)", &[&key])?;
    Ok(())
}
