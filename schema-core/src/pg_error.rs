//! [`PgError`]: a `postgres::Error` that displays what the server said.
//!
//! `postgres::Error` displays only "db error"; this wrapper renders the SQLSTATE code,
//! message, detail and hint so that an error read in a log says what to do.

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

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(db) = self.0.as_db_error() else {
            return write!(f, "{}", self.0);
        };
        write!(
            f,
            "{} ({}): {}",
            db.severity(),
            db.code().code(),
            db.message()
        )?;
        if let Some(detail) = db.detail() {
            write!(f, "; detail: {detail}")?;
        }
        if let Some(hint) = db.hint() {
            write!(f, "; hint: {hint}")?;
        }
        Ok(())
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
