//! The HTTP endpoints. Every database call goes through [`blocking`], so the runtime
//! threads only ever wait on sockets.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::State as Shared;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use schema_core::health::{HealthReport, Status};
use schema_core::sync::Mode;
use serde_json::json;

use crate::service::config::SYNC_TOKEN_VAR;
use crate::service::metrics;
use crate::service::state::{DatabaseError, LastSync, State, blocking, outcome_name};
use crate::service::token::bearer_matches;

/// `GET /healthz`: liveness. Answers 200 while the process serves requests; it never
/// touches the database, so a database outage does not get the pod restarted.
pub async fn healthz() -> Response {
    Json(json!({ "status": "alive" })).into_response()
}

/// `GET /readyz`: 200 once the start-up migrated and synced the schema; 503 while it
/// runs (`starting`, `migrating`, `syncing`) and when it failed (with the reason).
pub async fn readyz(Shared(state): Shared<Arc<State>>) -> Response {
    let readiness = state.startup.state();
    let status = if readiness.is_ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(readiness)).into_response()
}

/// `GET /schema`: the health report; 200 healthy or degraded, 503 unhealthy.
pub async fn schema(Shared(state): Shared<Arc<State>>) -> Response {
    let report = check(&state).await;
    let status = match report.status {
        Status::Unhealthy => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::OK,
    };
    json_text(status, report.to_json())
}

/// `GET /schema/plan`: what `POST /schema/sync` would do now (a dry run: no lock, no
/// change), as the sync report's JSON with the changes under `pending`.
pub async fn plan(Shared(state): Shared<Arc<State>>) -> Response {
    let options = state.safe_fixes().dry_run();
    match blocking(&state, move |state| state.sync(&options)).await {
        Ok(Ok(report)) => json_text(StatusCode::OK, report.to_json()),
        Ok(Err(error)) | Err(error) => database_error(error),
    }
}

/// `POST /schema/sync`: applies the safe fixes now. Allowed in development; in
/// production only with `Authorization: Bearer <SCHEMA_SYNC_TOKEN>`, otherwise 403.
pub async fn sync(Shared(state): Shared<Arc<State>>, headers: HeaderMap) -> Response {
    if state.options.mode == Mode::Production {
        let refusal = match &state.sync_token {
            None => Some(format!(
                "POST /schema/sync is disabled in production: set {SYNC_TOKEN_VAR} and send it as a bearer token"
            )),
            Some(token) if !bearer_matches(&headers, token) => Some(format!(
                "in production POST /schema/sync needs `Authorization: Bearer <token>` with the token in {SYNC_TOKEN_VAR}"
            )),
            Some(_) => None,
        };
        if let Some(error) = refusal {
            tracing::warn!("refused POST /schema/sync without a valid token");
            return (StatusCode::FORBIDDEN, Json(json!({ "error": error }))).into_response();
        }
    }
    let options = state.safe_fixes();
    let start = Instant::now();
    let result = match blocking(&state, move |state| state.sync(&options)).await {
        Ok(result) => result,
        Err(error) => Err(error),
    };
    let (outcome, response) = match result {
        Ok(report) => {
            tracing::info!(outcome = %outcome_name(&report), applied = report.applied.len(), "sync on request");
            (
                outcome_name(&report),
                json_text(StatusCode::OK, report.to_json()),
            )
        }
        Err(error) => ("failed".to_owned(), database_error(error)),
    };
    state.record_sync(LastSync {
        outcome,
        duration_seconds: Some(start.elapsed().as_secs_f64()),
    });
    response
}

/// `GET /metrics`: Prometheus text format, from a fresh health check.
pub async fn metrics(Shared(state): Shared<Arc<State>>) -> Response {
    let report = check(&state).await;
    let text = metrics::render(&report, &state.startup.state(), state.last_sync().as_ref());
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
        .into_response()
}

/// The health check on the blocking pool; a task that does not finish is an
/// unreachable database too.
async fn check(state: &Arc<State>) -> HealthReport {
    match blocking(state, State::check).await {
        Ok(report) => report,
        Err(DatabaseError::Unavailable(e) | DatabaseError::Failed(e)) => {
            HealthReport::unreachable(e)
        }
    }
}

fn database_error(error: DatabaseError) -> Response {
    let (status, error) = match error {
        DatabaseError::Unavailable(e) => (StatusCode::SERVICE_UNAVAILABLE, e),
        DatabaseError::Failed(e) => (StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    (status, Json(json!({ "error": error }))).into_response()
}

/// A body that is JSON already.
fn json_text(status: StatusCode, body: String) -> Response {
    (status, [(CONTENT_TYPE, "application/json")], body).into_response()
}
