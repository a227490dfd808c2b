//! What to do about a failed connection, when the failure is about TLS.

use crate::connect::SslMode;

/// A next step for `error`, met while connecting with `mode`.
pub(super) fn hint(mode: SslMode, error: &postgres::Error) -> Option<&'static str> {
    // The server's pg_hba.conf has only `hostssl` lines for this client.
    if let Some(db) = error.as_db_error()
        && db.code().code() == "28000"
        && db.message().contains("no encryption")
    {
        return Some(if mode == SslMode::Disable {
            "the server accepts only TLS connections from here: use sslmode=require or stronger"
        } else {
            "the server accepts only TLS connections from here: build with schema-core's `tls` feature and use sslmode=require or stronger"
        });
    }
    if mode.requires_tls() && error.to_string().contains("server does not support TLS") {
        return Some(
            "the server does not offer TLS (ssl = off): enable it on the server, or use sslmode=prefer",
        );
    }
    #[cfg(feature = "tls")]
    if let Some(hint) = crate::connect::tls::hint(error) {
        return Some(hint);
    }
    None
}
