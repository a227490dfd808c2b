//! Runnable examples live in examples/; the example service's parts are a library here
//! so that its tests can start it on a port of their own.

pub mod boards;
pub mod service;

/// `DATABASE_URL`, or without it a database named `name` on a throwaway PostgreSQL
/// started for the example. The server lives as long as the returned handle: keep it.
pub fn database_url(
    name: &str,
) -> anyhow::Result<(Option<schema_core::ephemeral::Server>, String)> {
    use anyhow::Context;
    match std::env::var("DATABASE_URL") {
        Ok(url) => Ok((None, url)),
        Err(_) => {
            let server = schema_core::ephemeral::Server::start()
                .context("starting a throwaway PostgreSQL")?;
            let url = server.url(name);
            Ok((Some(server), url))
        }
    }
}
