//! Where the CLI's database comes from: `DATABASE_URL`, or a throwaway server.

use std::io::Write;

use postgres::{Client, NoTls};

use crate::database::{ensure_database, ensure_database_with_admin};
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
#[non_exhaustive]
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

/// Connects to `url` (creating its database if missing, as `admin_url`'s role when
/// given), or starts a throwaway server (where `admin_url` has no use). Says what it did
/// on `notices` (standard error in the CLI, so that standard output stays the command's
/// report, JSON included).
pub fn open(
    url: Option<&str>,
    admin_url: Option<&str>,
    notices: &mut impl Write,
) -> Result<Connection, ConnectError> {
    let (url, server) = match url {
        Some(url) => {
            crate::database::check_scheme(url)?;
            (url.to_owned(), None)
        }
        None => {
            let server = Server::start()?;
            writeln!(
                notices,
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
            let created = match admin_url {
                Some(admin_url) => ensure_database_with_admin(admin_url, &url)?,
                None => ensure_database(&url)?,
            };
            if created {
                writeln!(notices, "created database {}", database_name(&url))?;
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

/// Where `url` points, for messages: user, host, port and database, never the password
/// (whatever the form: URL, `key=value` pairs, query parameters).
fn redact(url: &str) -> String {
    let Ok(config) = url.parse::<postgres::Config>() else {
        return "the configured database (the URL does not parse)".to_owned();
    };
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{}@{}:{port}/{}",
        config.get_user().unwrap_or("(default user)"),
        hosts.join(","),
        config.get_dbname().unwrap_or("(default database)")
    )
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn messages_never_show_a_password() {
        for url in [
            "postgresql://app:s3cret@db.internal:6432/orders",
            "host=db.internal port=6432 user=app password=s3cret dbname=orders",
            "postgresql://app@db.internal:6432/orders?password=s3cret",
        ] {
            let shown = redact(url);
            assert_eq!(shown, "app@db.internal:6432/orders", "{url}");
            assert!(!shown.contains("s3cret"));
        }
    }
}
