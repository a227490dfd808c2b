//! Where the CLI's database comes from: `DATABASE_URL`, or a throwaway server.

use std::io::Write;

use postgres::{Client, NoTls};

use crate::database::ensure_database;
use crate::ephemeral::Server;

/// Database name used on a throwaway server.
const THROWAWAY_DATABASE: &str = "schema_core";

/// An open connection, and the throwaway server behind it if there is one (dropping it
/// stops the server).
pub struct Connection {
    pub client: Client,
    _server: Option<Server>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("{0}")]
    Database(#[from] crate::database::Error),
    #[error("could not start a throwaway PostgreSQL: {0}")]
    Server(#[from] crate::ephemeral::Error),
    #[error("could not connect to {url}: {source}")]
    Connect { url: String, source: crate::PgError },
    #[error("could not write the output: {0}")]
    Output(#[from] std::io::Error),
}

/// Connects to `url` (creating its database if missing), or starts a throwaway server.
pub fn open(url: Option<&str>, out: &mut impl Write) -> Result<Connection, ConnectError> {
    let (url, server) = match url {
        Some(url) => (url.to_owned(), None),
        None => {
            let server = Server::start()?;
            writeln!(
                out,
                "no DATABASE_URL: started a throwaway PostgreSQL in {} (removed on exit)",
                server.socket_dir().display()
            )?;
            (server.url(THROWAWAY_DATABASE), Some(server))
        }
    };
    // Connecting first saves a round trip to the maintenance database when the
    // database exists, which is every run but the first.
    let client = match Client::connect(&url, NoTls) {
        Ok(client) => client,
        Err(e) if crate::PgError::code_of(&e) == Some("3D000") => {
            if ensure_database(&url)? {
                writeln!(out, "created database {}", database_name(&url))?;
            }
            Client::connect(&url, NoTls).map_err(|e| connect_error(&url, e))?
        }
        Err(e) => return Err(connect_error(&url, e)),
    };
    Ok(Connection {
        client,
        _server: server,
    })
}

fn connect_error(url: &str, e: postgres::Error) -> ConnectError {
    ConnectError::Connect {
        url: redact(url),
        source: crate::PgError(e),
    }
}

fn database_name(url: &str) -> String {
    url.parse::<postgres::Config>()
        .ok()
        .and_then(|c| c.get_dbname().map(str::to_owned))
        .unwrap_or_default()
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
