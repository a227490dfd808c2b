//! A service that keeps its schema in shape and says so over HTTP: liveness, readiness
//! that follows the start-up sync, the health report, a dry-run plan, an on-demand sync
//! and Prometheus metrics (the endpoints are listed in `examples/src/service/mod.rs`).
//!
//! `cargo run -p examples --bin service [-- --listen 127.0.0.1:8080]` connects to
//! `DATABASE_URL` or, without it, to what the `PG*` variables say; with neither it
//! starts a throwaway PostgreSQL. `APP_ENV=production` verifies instead of fixing, and
//! allows `POST /schema/sync` only with `Authorization: Bearer $SCHEMA_SYNC_TOKEN`.

use anyhow::Context;
use examples::service::{Config, listen_address, serve};
use schema_core::connect::Settings;
use schema_core::ephemeral::Server;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let address = listen_address(std::env::args().skip(1))?;
    // Starting a server and creating its database block: not on a runtime thread.
    let (settings, _server) = tokio::task::spawn_blocking(database).await??;
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("could not listen on {address}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    serve(listener, Config::from_env(settings)?, shutdown()).await?;
    Ok(())
}

/// `DATABASE_URL`, else the `PG*` variables, else a throwaway server (kept alive by
/// the returned handle, removed when it drops).
fn database() -> anyhow::Result<(Settings, Option<Server>)> {
    if let Some(settings) = Settings::from_env()? {
        for warning in settings.warnings() {
            tracing::warn!("{warning}");
        }
        return Ok((settings, None));
    }
    let server = Server::start().context("starting a throwaway PostgreSQL")?;
    tracing::info!(
        "no DATABASE_URL or PGHOST/PGDATABASE/…: started a throwaway PostgreSQL in {} (removed on exit)",
        server.socket_dir().display()
    );
    let settings = Settings::from_url(&server.url("service"))?;
    schema_core::database::ensure_database_for(&settings, None)?;
    Ok((settings, Some(server)))
}

/// Ctrl-C, or SIGTERM (what Kubernetes sends), ends the service after the requests in
/// flight.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
