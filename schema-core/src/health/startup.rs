//! [`Startup`]: the start-up sync on a background thread, observable as [`Readiness`].

use std::fmt::Display;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use postgres::Client;

use crate::expected::ExpectedSchema;
use crate::health::readiness::Readiness;
use crate::health::retry::RetryPolicy;
use crate::migrate::{self, Action, MigrateReport, Migrations, StartupReport};
use crate::sync::{SyncOptions, sync_schema};
use crate::target::Target;

/// A start-up running in the background. A service spawns it first thing, serves its
/// liveness probe at once and its readiness probe from [`Startup::state`]; handlers
/// on any thread read the same state (the handle is cheap to clone).
///
/// The thread connects (retrying as `retry` says while the database is not up), then
/// does what [`migrate_and_sync_schema`](crate::migrate::migrate_and_sync_schema) does,
/// in its two steps — the pending migrations (`migrating`), then the sync (`syncing`;
/// a verify in production) — and ends `ready`, or `failed` with the reason.
#[derive(Debug, Clone)]
pub struct Startup {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    progress: Mutex<Progress>,
    changed: Condvar,
}

#[derive(Debug)]
struct Progress {
    state: Readiness,
    report: Option<StartupReport>,
}

impl Startup {
    /// Starts the thread. `connect` is called once per attempt; `migrations` may be
    /// `None` for a schema without versioned migrations.
    pub fn spawn<C, E>(
        connect: C,
        expected: ExpectedSchema,
        target: Target,
        migrations: Option<Migrations>,
        options: SyncOptions,
        retry: RetryPolicy,
    ) -> Startup
    where
        C: FnMut() -> Result<Client, E> + Send + 'static,
        E: Display,
    {
        let startup = Startup {
            shared: Arc::new(Shared {
                progress: Mutex::new(Progress {
                    state: Readiness::Starting,
                    report: None,
                }),
                changed: Condvar::new(),
            }),
        };
        let handle = startup.clone();
        thread::Builder::new()
            .name("schema-startup".to_owned())
            .spawn(move || {
                let run = Run {
                    expected: &expected,
                    target: &target,
                    migrations: migrations.as_ref(),
                    options: &options,
                };
                let end = match run.start(connect, retry, &handle) {
                    Ok(report) => {
                        tracing::info!(schema = target.schema(), "schema ready");
                        handle.lock().report = Some(report);
                        Readiness::Ready
                    }
                    Err(reason) => {
                        tracing::error!(schema = target.schema(), %reason, "schema start-up failed");
                        Readiness::Failed { reason }
                    }
                };
                handle.set(end);
            })
            .expect("spawning the start-up thread");
        startup
    }

    /// The state now.
    pub fn state(&self) -> Readiness {
        self.lock().state.clone()
    }

    /// Waits until the start-up is ready or failed, or `timeout` has passed; returns
    /// the state then.
    pub fn wait(&self, timeout: Duration) -> Readiness {
        let deadline = Instant::now() + timeout;
        let mut progress = self.lock();
        while !progress.state.is_settled() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            progress = self
                .shared
                .changed
                .wait_timeout(progress, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        progress.state.clone()
    }

    /// What the start-up did (the migrations applied, then the sync), once ready.
    pub fn report(&self) -> Option<StartupReport> {
        self.lock().report.clone()
    }

    fn set(&self, state: Readiness) {
        self.lock().state = state;
        self.shared.changed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, Progress> {
        // Nothing panics while holding the lock; a poisoned one still holds a state.
        self.shared
            .progress
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What the start-up thread works on.
struct Run<'a> {
    expected: &'a ExpectedSchema,
    target: &'a Target,
    migrations: Option<&'a Migrations>,
    options: &'a SyncOptions,
}

impl Run<'_> {
    /// Connect, migrate, sync; the error is the reason the start-up failed.
    fn start<C, E>(
        &self,
        mut connect: C,
        retry: RetryPolicy,
        startup: &Startup,
    ) -> Result<StartupReport, String>
    where
        C: FnMut() -> Result<Client, E>,
        E: Display,
    {
        let mut client = connect_with_retry(&mut connect, retry)?;
        let migrated = match self.migrations {
            Some(migrations) => {
                startup.set(Readiness::Migrating);
                migrate::up(&mut client, migrations, self.target, self.options)
                    .map_err(|e| e.to_string())?
            }
            None => MigrateReport::new(self.target.schema(), Action::Up),
        };
        startup.set(Readiness::Syncing);
        let sync = sync_schema(&mut client, self.expected, self.target, self.options)
            .map_err(|e| e.to_string())?;
        Ok(StartupReport {
            migrations: migrated,
            sync,
        })
    }
}

/// Calls `connect` until it succeeds or the attempts run out, waiting between tries.
fn connect_with_retry<C, E>(connect: &mut C, retry: RetryPolicy) -> Result<Client, String>
where
    C: FnMut() -> Result<Client, E>,
    E: Display,
{
    let attempts = retry.attempts.max(1);
    let mut attempt = 1;
    loop {
        match connect() {
            Ok(client) => return Ok(client),
            Err(e) if attempt >= attempts => {
                return Err(format!(
                    "could not connect to the database in {attempts} attempt(s): {e}"
                ));
            }
            Err(e) => {
                let delay = retry.delay(attempt);
                tracing::warn!(
                    attempt,
                    attempts,
                    retry_in_ms = delay.as_millis() as u64,
                    error = %e,
                    "the database is not reachable yet"
                );
                thread::sleep(delay);
                attempt += 1;
            }
        }
    }
}
