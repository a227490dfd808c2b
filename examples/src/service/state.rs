//! [`State`]: what every handler shares — the start-up, the connection settings, the
//! last sync — and the one way handlers reach the database, off the async runtime.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use schema_core::connect::Settings;
use schema_core::health::{self, HealthReport, Readiness, Startup};
use schema_core::sync::{SyncReport, sync_schema};
use schema_core::{SchemaSet, SyncOptions, Target};

use crate::boards::{Boards, MIGRATIONS};
use crate::service::config::Config;

/// How long a connection attempt may take before it counts as failed.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a handler waits for its database work: a probe must answer, not hang.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(30);

pub struct State {
    pub settings: Settings,
    pub options: SyncOptions,
    pub sync_token: Option<String>,
    pub startup: Startup,
    /// The last `POST /schema/sync`, which replaces the start-up's sync in `/metrics`.
    last_sync: Mutex<Option<LastSync>>,
}

/// How the last sync ended, for `/metrics`.
#[derive(Debug, Clone)]
pub struct LastSync {
    /// `up-to-date`, `applied`, `drifted` (the sync's outcomes), or `failed`.
    pub outcome: String,
    /// `None` when the start-up failed before its sync finished.
    pub duration_seconds: Option<f64>,
}

impl State {
    /// Starts the start-up sync in the background and returns at once.
    pub fn start(config: Config) -> Arc<State> {
        let settings = config
            .settings
            .with_default_connect_timeout(CONNECT_TIMEOUT);
        tracing::info!(mode = ?config.options.mode, "connecting to {settings}");
        let connect = settings.clone();
        let startup = Startup::spawn(
            move || connect.connect(),
            Boards::EXPECTED_SCHEMA,
            Target::default(),
            Some(MIGRATIONS.clone()),
            config.options.clone(),
            config.retry,
        );
        Arc::new(State {
            settings,
            options: config.options,
            sync_token: config.sync_token,
            startup,
            last_sync: Mutex::new(None),
        })
    }

    /// What `POST /schema/sync` applies and `GET /schema/plan` shows: the safe fixes,
    /// in either mode; review and destructive changes stay for a person.
    pub fn safe_fixes(&self) -> SyncOptions {
        SyncOptions {
            auto_sync: true,
            dry_run: false,
            allow_review: false,
            allow_destructive: false,
            ..self.options.clone()
        }
    }

    /// The health report (blocking: call it through [`blocking`]).
    pub fn check(&self) -> HealthReport {
        health::check_with(
            &self.settings,
            &Boards::EXPECTED_SCHEMA,
            &Target::default(),
            Some(&MIGRATIONS),
            &self.options,
        )
    }

    /// A sync with `options` over a connection of its own (blocking).
    pub fn sync(&self, options: &SyncOptions) -> Result<SyncReport, DatabaseError> {
        let mut client = self
            .settings
            .connect()
            .map_err(|e| DatabaseError::Unavailable(e.to_string()))?;
        sync_schema(
            &mut client,
            &Boards::EXPECTED_SCHEMA,
            &Target::default(),
            options,
        )
        .map_err(|e| DatabaseError::Failed(e.to_string()))
    }

    pub fn record_sync(&self, last: LastSync) {
        *self.last_sync.lock().unwrap_or_else(|p| p.into_inner()) = Some(last);
    }

    /// The last sync: the last `POST /schema/sync`, else the start-up's once settled.
    pub fn last_sync(&self) -> Option<LastSync> {
        if let Some(last) = self
            .last_sync
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Some(last);
        }
        match self.startup.state() {
            Readiness::Ready => self.startup.report().map(|report| LastSync {
                outcome: outcome_name(&report.sync),
                duration_seconds: Some(report.sync.duration_ms as f64 / 1000.0),
            }),
            Readiness::Failed { .. } => Some(LastSync {
                outcome: "failed".to_owned(),
                duration_seconds: None,
            }),
            _ => None,
        }
    }
}

/// The sync's outcome as its JSON spells it (`up-to-date`, `applied`, …).
pub fn outcome_name(report: &SyncReport) -> String {
    serde_json::to_value(report.outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Why a handler's database work gave no result.
#[derive(Debug)]
pub enum DatabaseError {
    /// No connection, or no answer in time: 503.
    Unavailable(String),
    /// The work ran and failed: 500.
    Failed(String),
}

/// Runs `work` on tokio's blocking pool (the `postgres` crate blocks its thread for
/// every round trip) and waits at most 30 s for it.
pub async fn blocking<T, F>(state: &Arc<State>, work: F) -> Result<T, DatabaseError>
where
    F: FnOnce(&State) -> T + Send + 'static,
    T: Send + 'static,
{
    let state = state.clone();
    let task = tokio::task::spawn_blocking(move || work(&state));
    match tokio::time::timeout(DATABASE_TIMEOUT, task).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(join)) => Err(DatabaseError::Failed(format!(
            "the database task did not finish: {join}"
        ))),
        Err(_) => Err(DatabaseError::Unavailable(format!(
            "the database did not answer within {} s",
            DATABASE_TIMEOUT.as_secs()
        ))),
    }
}
