//! `sslmode`: whether and how a connection uses TLS, with libpq's six values.

use std::fmt;
use std::str::FromStr;

/// libpq's `sslmode` (and `PGSSLMODE`), with libpq's meanings.
///
/// Only `verify-ca` and `verify-full` protect against a server that impersonates
/// another: `require` encrypts, but accepts any certificate unless a root certificate
/// is configured (then it checks the chain, as libpq does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Plain first; TLS only if the server refuses a plain connection.
    Allow,
    /// TLS if the server offers it, plain otherwise (libpq's default).
    #[default]
    Prefer,
    /// TLS or nothing.
    Require,
    /// TLS, with a certificate signed by the root certificate (`sslrootcert`).
    VerifyCa,
    /// `VerifyCa`, and the certificate names the host connected to.
    VerifyFull,
}

impl SslMode {
    const NAMES: [(&'static str, SslMode); 6] = [
        ("disable", SslMode::Disable),
        ("allow", SslMode::Allow),
        ("prefer", SslMode::Prefer),
        ("require", SslMode::Require),
        ("verify-ca", SslMode::VerifyCa),
        ("verify-full", SslMode::VerifyFull),
    ];

    /// Whether a connection without TLS is refused.
    pub fn requires_tls(self) -> bool {
        matches!(
            self,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull
        )
    }
}

/// An `sslmode` value libpq does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an sslmode: use disable, allow, prefer, require, verify-ca or verify-full")]
pub struct UnknownSslMode(pub String);

impl FromStr for SslMode {
    type Err = UnknownSslMode;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::NAMES
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(_, mode)| *mode)
            .ok_or_else(|| UnknownSslMode(value.to_owned()))
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = Self::NAMES
            .iter()
            .find(|(_, mode)| mode == self)
            .map_or("prefer", |(name, _)| name);
        f.write_str(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_libpq_names_and_prints_them_back() {
        for (name, _) in SslMode::NAMES {
            assert_eq!(name.parse::<SslMode>().unwrap().to_string(), name);
        }
        let error = "verify_full".parse::<SslMode>().unwrap_err().to_string();
        assert!(error.contains("verify-full"), "{error}");
    }
}
