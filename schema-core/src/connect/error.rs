//! What can go wrong between connection settings and an open connection.

use crate::connect::sslmode::UnknownSslMode;
use crate::database::ACCEPTED_FORMS;
use crate::pg_error::describe;

/// Why connection settings are unusable, or a connection failed. No variant holds or
/// shows a password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("invalid PostgreSQL URL: {reason}; expected {ACCEPTED_FORMS}")]
    InvalidUrl { reason: String },
    #[error(transparent)]
    Scheme(crate::database::Error),
    #[error("{name}={value:?} is not usable: expected {expected}")]
    InvalidVariable {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("{0} (in {1})")]
    SslMode(UnknownSslMode, &'static str),
    #[error(
        "no user name to connect as: set PGUSER (or put the user in the URL, as in postgresql://app@host/db)"
    )]
    NoUser,
    #[error(
        "sslmode={mode} needs TLS, and this build has none: enable schema-core's `tls` feature, or use sslmode=prefer or disable"
    )]
    TlsUnavailable { mode: crate::connect::SslMode },
    #[error("sslmode={mode} needs a root certificate to verify the server with: {what}")]
    NoRootCert {
        mode: crate::connect::SslMode,
        what: &'static str,
    },
    #[error("could not use the root certificate {path}: {reason}")]
    RootCert { path: String, reason: String },
    #[error("could not connect to {target}: {}{}", describe(.source), hint.map(|h| format!("; {h}")).unwrap_or_default())]
    Connect {
        /// Where, without the password (see [`crate::connect::Settings`]'s `Display`).
        target: String,
        source: postgres::Error,
        /// What to do about a TLS failure.
        hint: Option<&'static str>,
    },
}
