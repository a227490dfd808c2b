//! The example service: the health and readiness of its schema over HTTP (axum on
//! tokio). `src/bin/service.rs` is the binary; [`serve`] is all of it but the choice of
//! database and address, so tests start it on a port of their own.
//!
//! | endpoint | answers |
//! |---|---|
//! | `GET /healthz` | 200 while the process is up (liveness) |
//! | `GET /readyz` | 200 once the start-up sync is done; 503 while it runs or when it failed |
//! | `GET /schema` | the health report as JSON: 200 healthy or degraded, 503 unhealthy |
//! | `GET /schema/plan` | what a sync of the safe fixes would do (dry run), JSON |
//! | `POST /schema/sync` | applies the safe fixes; in production only with the bearer token, else 403 |
//! | `GET /metrics` | Prometheus text: drift by class, last sync, migrations pending |

mod config;
mod metrics;
mod routes;
mod state;
mod token;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use config::{Config, DEFAULT_LISTEN, SYNC_TOKEN_VAR, listen_address};
use state::State;

/// Starts the start-up sync in the background and serves the endpoints on `listener`
/// until `shutdown` completes. Readiness is 503 until the start-up is done.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = State::start(config);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/healthz", get(routes::healthz))
        .route("/readyz", get(routes::readyz))
        .route("/schema", get(routes::schema))
        .route("/schema/plan", get(routes::plan))
        .route("/schema/sync", post(routes::sync))
        .route("/metrics", get(routes::metrics))
        .with_state(state)
}
