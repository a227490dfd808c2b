//! [`Config`]: where the service connects, in which mode, and who may sync.

use std::net::SocketAddr;

use anyhow::Context;
use schema_core::SyncOptions;
use schema_core::connect::Settings;
use schema_core::health::RetryPolicy;

/// The bind address without `--listen` or `LISTEN_ADDR`.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The environment variable holding the bearer token that allows `POST /schema/sync`
/// in production.
pub const SYNC_TOKEN_VAR: &str = "SCHEMA_SYNC_TOKEN";

/// Everything the service needs besides its listener.
#[derive(Clone)]
pub struct Config {
    /// Where the database is; `Display` never shows the password.
    pub settings: Settings,
    /// The mode (`APP_ENV`): development fixes the schema, production verifies it.
    pub options: SyncOptions,
    /// The token `POST /schema/sync` must present in production; with none set, the
    /// endpoint is refused there.
    pub sync_token: Option<String>,
    /// How long the start-up waits for a database that is not up yet.
    pub retry: RetryPolicy,
}

impl Config {
    /// The mode, the sync token and the retry policy from the environment
    /// (`APP_ENV`, `ENABLE_AUTO_SYNC`, `APP_VERSION`, `SCHEMA_SYNC_TOKEN`), for a
    /// database found elsewhere.
    pub fn from_env(settings: Settings) -> anyhow::Result<Config> {
        Ok(Config {
            settings,
            options: SyncOptions::from_env()?,
            sync_token: std::env::var(SYNC_TOKEN_VAR)
                .ok()
                .filter(|token| !token.is_empty()),
            retry: RetryPolicy::default(),
        })
    }
}

/// `--listen <addr>` or `--listen=<addr>` among `args`, else `LISTEN_ADDR`, else
/// [`DEFAULT_LISTEN`].
pub fn listen_address(args: impl IntoIterator<Item = String>) -> anyhow::Result<SocketAddr> {
    let mut args = args.into_iter();
    let mut given = None;
    while let Some(arg) = args.next() {
        if arg == "--listen" {
            given = Some(
                args.next()
                    .context("--listen needs an address, e.g. 127.0.0.1:8080")?,
            );
        } else if let Some(value) = arg.strip_prefix("--listen=") {
            given = Some(value.to_owned());
        } else {
            anyhow::bail!("unknown argument `{arg}`; the only one is --listen <addr>");
        }
    }
    let address = given
        .or_else(|| std::env::var("LISTEN_ADDR").ok())
        .unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    address.parse().with_context(|| {
        format!("`{address}` is not an address to listen on, e.g. {DEFAULT_LISTEN}")
    })
}
