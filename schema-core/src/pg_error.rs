//! [`PgError`]: a `postgres::Error` that displays what the server said.
//!
//! `postgres::Error` displays only "db error"; [`describe`] renders the server's
//! severity, SQLSTATE, message, detail and hint, or else the chain of causes (such as
//! "No such file or directory" for a missing socket), so an error read in a log says
//! what to do.

use std::error::Error as _;
use std::fmt;

/// A database error with the server's full message in its `Display`.
#[derive(Debug)]
pub struct PgError(pub postgres::Error);

impl PgError {
    /// The SQLSTATE code, when the server sent one.
    pub fn code(&self) -> Option<&str> {
        Self::code_of(&self.0)
    }

    /// The SQLSTATE code of a `postgres::Error`, when the server sent one.
    pub fn code_of(error: &postgres::Error) -> Option<&str> {
        error.as_db_error().map(|e| e.code().code())
    }
}

/// A `postgres::Error` as a person needs it (see the module docs).
pub(crate) fn describe(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        let mut text = format!("{} {}: {}", db.severity(), db.code().code(), db.message());
        if let Some(detail) = db.detail() {
            text.push_str("\nDETAIL: ");
            text.push_str(detail);
        }
        if let Some(hint) = db.hint() {
            text.push_str("\nHINT: ");
            text.push_str(hint);
        }
        return text;
    }
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&describe(&self.0))
    }
}

impl std::error::Error for PgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<postgres::Error> for PgError {
    fn from(e: postgres::Error) -> Self {
        PgError(e)
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use postgres::{Config, NoTls};

    use super::describe;

    #[test]
    fn describes_connection_failures_with_their_cause() {
        let config =
            Config::from_str("host=/nonexistent/schema-core port=1 user=x dbname=x").unwrap();
        let Err(error) = config.connect(NoTls) else {
            panic!("connected to a socket that does not exist");
        };
        let text = describe(&error);
        assert!(text.starts_with("error connecting to server: "), "{text}");
        assert!(text.len() > "error connecting to server: ".len(), "{text}");
    }
}
