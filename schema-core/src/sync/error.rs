//! [`SyncError`]: why a sync stopped. Nothing was changed unless the variant says so.

use crate::canonical::CanonicalizeError;
use crate::introspect::IntrospectError;
use crate::pg_error::PgError;
use crate::sync::lock::LockError;
use crate::sync::options::InvalidSetting;
use crate::sync::report::SyncReport;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    #[error(transparent)]
    Setting(#[from] InvalidSetting),

    #[error("could not read the live schema: {0}")]
    Introspect(#[from] IntrospectError),

    #[error("could not compare the declared expressions with the live schema: {0}")]
    Canonicalize(#[from] CanonicalizeError),

    #[error(transparent)]
    Lock(#[from] LockError),

    #[error("database error while {doing}: {source}")]
    Database {
        doing: &'static str,
        source: PgError,
    },

    /// Production verification found what it may not fix; the report lists everything.
    #[error("{}", refusal(problems))]
    Refused {
        problems: Vec<String>,
        report: Box<SyncReport>,
    },

    /// A statement failed; the transaction was rolled back and the failure recorded.
    /// `help` says what to do when the role lacks a privilege or the transaction is
    /// read-only.
    #[error(
        "sync failed at `{statement}`: {source}; the transaction was rolled back and nothing \
         was changed{}",
        help.as_deref().map(|h| format!("\nhelp: {h}")).unwrap_or_default()
    )]
    Apply {
        statement: String,
        source: PgError,
        help: Option<String>,
    },
}

fn refusal(problems: &[String]) -> String {
    let mut text = format!(
        "the database does not match the schema and this run may not fix it ({} problem(s)); \
         run the sync in development mode, set ENABLE_AUTO_SYNC=true, or apply a migration:",
        problems.len()
    );
    for p in problems {
        text.push_str("\n  - ");
        text.push_str(p);
    }
    text
}

impl SyncError {
    pub(crate) fn db(doing: &'static str) -> impl FnOnce(PgError) -> SyncError {
        move |source| SyncError::Database { doing, source }
    }
}
