//! Where the CLI's database comes from: `--database-url`/`DATABASE_URL`, else libpq's
//! `PG*` variables, else a throwaway server (see [`crate::connect`]).

use std::io::Write;

use postgres::Client;

use crate::connect::{Origin, Settings};
use crate::database::ensure_database_for;
use crate::ephemeral::Server;

/// Database name used on a throwaway server.
const THROWAWAY_DATABASE: &str = "schema_core";

/// An open connection, and the throwaway server behind it if there is one (dropping it
/// stops the server).
pub struct Connection {
    pub client: Client,
    /// Where `client` is connected: for commands that open more connections.
    pub settings: Settings,
    _server: Option<Server>,
}

impl Connection {
    /// Whether the database is on a throwaway server started for this command.
    pub fn is_throwaway(&self) -> bool {
        self._server.is_some()
    }

    /// Closes the connection and keeps the settings and the server (if any) alive.
    pub fn into_settings(self) -> (Settings, Option<Server>) {
        (self.settings, self._server)
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    #[error("{0}")]
    Database(#[from] crate::database::Error),
    #[error("could not start a throwaway PostgreSQL: {0}")]
    Server(#[from] crate::ephemeral::Error),
    #[error(transparent)]
    Connect(#[from] crate::connect::Error),
    #[error("could not write the output: {0}")]
    Output(#[from] std::io::Error),
}

/// Connects as [`Settings::resolve`] says over the process's environment (creating the
/// database if missing, as `admin_url`'s role when given), or starts a throwaway
/// server (where `admin_url` has no use). Says what it did on `notices` (standard
/// error in the CLI, so that standard output stays the command's report, JSON
/// included), never with a password.
pub fn open(
    url: Option<&str>,
    admin_url: Option<&str>,
    notices: &mut impl Write,
) -> Result<Connection, ConnectError> {
    open_with(url, admin_url, |name| std::env::var(name).ok(), notices)
}

/// [`open`] over any source of variables.
pub fn open_with(
    url: Option<&str>,
    admin_url: Option<&str>,
    var: impl Fn(&str) -> Option<String>,
    notices: &mut impl Write,
) -> Result<Connection, ConnectError> {
    let (settings, server) = match Settings::resolve(url, var)? {
        Some(settings) => {
            for warning in settings.warnings() {
                writeln!(notices, "warning: {warning}")?;
            }
            let from = match settings.origin() {
                Origin::Url => "the database URL".to_owned(),
                Origin::Environment(names) => names.join(", "),
            };
            writeln!(notices, "connecting to {settings} (from {from})")?;
            (settings, None)
        }
        None => {
            let server = Server::start()?;
            writeln!(
                notices,
                "no DATABASE_URL or PGHOST/PGDATABASE/…: started a throwaway PostgreSQL in {} (removed on exit)",
                server.socket_dir().display()
            )?;
            let settings = Settings::from_url(&server.url(THROWAWAY_DATABASE))?;
            (settings, Some(server))
        }
    };
    // Connecting first saves a round trip to the maintenance database when the
    // database exists, which is every run but the first.
    let client = match settings.connect_raw() {
        Ok(client) => client,
        Err(e) if crate::PgError::code_of(&e) == Some("3D000") => {
            let admin = admin_url.map(Settings::from_url).transpose()?;
            if ensure_database_for(&settings, admin.as_ref())? {
                writeln!(
                    notices,
                    "created database {}",
                    settings.database().unwrap_or_default()
                )?;
            }
            settings.connect()?
        }
        Err(source) => return Err(settings.connect_error(source).into()),
    };
    Ok(Connection {
        client,
        settings,
        _server: server,
    })
}

#[cfg(test)]
mod tests {
    use super::open_with;

    /// A URL, or none, and the variables beside it.
    type Configuration<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)]);

    /// Port 1 on the loopback: nothing listens, so the connection fails for real.
    #[test]
    fn neither_the_connecting_line_nor_the_error_shows_a_password() {
        let configurations: [Configuration; 2] = [
            (Some("postgresql://app:s3cret@127.0.0.1:1/orders"), &[]),
            (
                None,
                &[
                    ("PGHOST", "127.0.0.1"),
                    ("PGPORT", "1"),
                    ("PGUSER", "app"),
                    ("PGPASSWORD", "s3cret"),
                    ("PGDATABASE", "orders"),
                ],
            ),
        ];
        for (url, vars) in configurations {
            let mut notices = Vec::new();
            let var = |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            };
            let error = match open_with(url, None, var, &mut notices) {
                Ok(_) => panic!("nothing listens on port 1"),
                Err(error) => error.to_string(),
            };
            let notices = String::from_utf8(notices).unwrap();
            assert!(
                notices.contains("connecting to app@127.0.0.1:1/orders"),
                "{notices}"
            );
            assert!(
                error.contains("could not connect to app@127.0.0.1:1/orders"),
                "{error}"
            );
            assert!(
                !notices.contains("s3cret") && !error.contains("s3cret"),
                "{notices}{error}"
            );
        }
    }
}
