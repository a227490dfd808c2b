//! Tests against a real PostgreSQL: a fresh database per test.
//!
//! The server is chosen once per test process:
//!
//! 1. `TEST_DATABASE_URL`, if set: test databases are created on that server (the
//!    database the URL names is only used to connect; it is never changed);
//! 2. otherwise `DATABASE_URL`, the same way;
//! 3. otherwise a throwaway server ([`crate::ephemeral::Server`]) started on first use
//!    and shared by every test in the process, stopped when the process exits.
//!
//! Runners that start one process per test (nextest) should point
//! `TEST_DATABASE_URL` at one server rather than start a server per test.
//!
//! ```no_run
//! use schema_core::testing::TestDatabase;
//!
//! let db = TestDatabase::create()?;
//! let mut client = db.connect()?;
//! client.batch_execute("CREATE TABLE t (id int)")?;
//! // Dropping `db` drops the database.
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::{env, fmt, process, thread};

use postgres::{Client, Config, NoTls};

use crate::database;
use crate::ephemeral;
use crate::pg_error::describe;

/// Variables naming a server to use instead of starting one, in order of preference.
const URL_VARIABLES: [&str; 2] = ["TEST_DATABASE_URL", "DATABASE_URL"];

/// Why a test database could not be provided.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{variable} is not a usable PostgreSQL URL: {source}")]
    BadUrl {
        variable: &'static str,
        source: database::Error,
    },
    #[error("could not start a throwaway PostgreSQL server for the tests: {0}")]
    Server(Arc<ephemeral::Error>),
    #[error("could not create a test database on {server}: {source}")]
    Create {
        server: &'static str,
        source: database::Error,
    },
    #[error("could not connect to test database `{database}`: {}", describe(.source))]
    Connect {
        database: String,
        source: postgres::Error,
    },
}

/// Tests mostly `unwrap()` or `expect()` these, which prints `Debug`: print the message
/// that says what to do instead of the variant structure.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The server the test databases of this process live on.
#[derive(Debug)]
struct TestServer {
    /// A URL to any database of the server; test URLs are derived from it.
    url: String,
    /// Whose name the URL came from, for error messages.
    variable: Option<&'static str>,
    /// Kept alive for the whole process: statics are never dropped, so the server's
    /// watchdog stops it when the process exits.
    _ephemeral: Option<ephemeral::Server>,
}

impl TestServer {
    fn describe(&self) -> &'static str {
        match self.variable {
            Some("TEST_DATABASE_URL") => "the server named by TEST_DATABASE_URL",
            Some(_) => "the server named by DATABASE_URL",
            None => "the throwaway server",
        }
    }
}

static SERVER: OnceLock<Result<TestServer, Arc<ephemeral::Error>>> = OnceLock::new();

fn server() -> Result<&'static TestServer, Error> {
    let server = SERVER.get_or_init(|| {
        for variable in URL_VARIABLES {
            if let Some(url) = env::var(variable).ok().filter(|url| !url.trim().is_empty()) {
                return Ok(TestServer {
                    url,
                    variable: Some(variable),
                    _ephemeral: None,
                });
            }
        }
        let server = ephemeral::Server::start().map_err(Arc::new)?;
        Ok(TestServer {
            url: server.url("postgres"),
            variable: None,
            _ephemeral: Some(server),
        })
    });
    server
        .as_ref()
        .map_err(|error| Error::Server(Arc::clone(error)))
}

/// A database created for one test and dropped (with its connections) when this value
/// is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    url: String,
    config: Config,
}

impl TestDatabase {
    /// Creates a uniquely named, empty database on the test server.
    ///
    /// The name carries the test's name (the test harness names each test's thread
    /// after it), so a database left behind on a shared server says where it came from.
    pub fn create() -> Result<TestDatabase, Error> {
        let server = server()?;
        let bad_url = |source| match server.variable {
            Some(variable) => Error::BadUrl { variable, source },
            None => Error::Create {
                server: server.describe(),
                source,
            },
        };
        loop {
            let name = unique_name();
            let url = database::url_with_database(&server.url, &name).map_err(bad_url)?;
            let config = Config::from_str(&url).map_err(|source| {
                bad_url(database::Error::InvalidUrl {
                    reason: describe(&source),
                })
            })?;
            // `false` means a leftover database already had this name: pick another
            // rather than hand a test someone else's data.
            // A file copy checkpoints: fast on the throwaway server, which has no other
            // work, but not something to do to a server someone else uses.
            let copy = match server.variable {
                None => database::TemplateCopy::Files,
                Some(_) => database::TemplateCopy::ServerDefault,
            };
            let created =
                database::ensure_database_copying(&url, &url, copy).map_err(|source| {
                    Error::Create {
                        server: server.describe(),
                        source,
                    }
                })?;
            if created {
                return Ok(TestDatabase { name, url, config });
            }
        }
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A URL for this database, for subprocesses (`DATABASE_URL=...`) and `psql`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Connection settings for this database.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A new connection to this database.
    pub fn connect(&self) -> Result<Client, Error> {
        self.config.connect(NoTls).map_err(|source| Error::Connect {
            database: self.name.clone(),
            source,
        })
    }
}

impl Drop for TestDatabase {
    /// Best effort: a throwaway server disappears anyway, and a failure here must not
    /// turn a passing test into a panic during unwinding.
    fn drop(&mut self) {
        let _ = database::drop_database(&self.url);
    }
}

/// `t_<test name>_<pid>_<counter>_<random>`: the pid and counter keep names unique
/// within a machine, the random part between machines sharing one server.
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let current = thread::current();
    let test: String = current
        .name()
        .unwrap_or("test")
        .rsplit("::")
        .next()
        .unwrap_or("test")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    format!(
        "t_{test}_{}_{count}_{:04x}",
        process::id(),
        fastrand::u16(..)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_unique_identifiers() {
        let a = unique_name();
        let b = unique_name();
        assert_ne!(a, b);
        // The test's name when the harness runs it on a thread named after it.
        assert!(a.starts_with("t_"), "{a}");
        assert!(a.len() <= 63, "{a}");
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        );
    }
}
