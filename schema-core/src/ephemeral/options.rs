//! [`ServerOptions`]: a throwaway server that also listens on TCP, with TLS.
//!
//! The default server is reachable only through its unix socket, where PostgreSQL never
//! speaks TLS. Tests of TLS connections (users' own included) need it on a TCP port with
//! a certificate they made, and sometimes a server that refuses plain connections.
//!
//! ```no_run
//! use schema_core::ephemeral::{Server, ServerOptions, ServerTls};
//!
//! # let (cert_pem, key_pem) = (String::new(), String::new());
//! let server = Server::start_with(ServerOptions {
//!     tcp: true,
//!     tls: Some(ServerTls { cert_pem, key_pem, required: true }),
//! })?;
//! let url = format!("postgresql://postgres@localhost:{}/postgres?sslmode=require", server.port());
//! # Ok::<(), schema_core::ephemeral::Error>(())
//! ```

use std::fs;
use std::io;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::account::Account;
use super::{Error, io_error};

/// How a throwaway server listens; the default is the unix socket alone.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// Also listen on 127.0.0.1, on a free port ([`super::Server::port`]).
    pub tcp: bool,
    /// Serve TLS with this certificate.
    pub tls: Option<ServerTls>,
}

/// The server's certificate and key, PEM-encoded (a test makes them, with rcgen say).
#[derive(Clone)]
pub struct ServerTls {
    /// The server's certificate, followed by any intermediates.
    pub cert_pem: String,
    pub key_pem: String,
    /// Refuse plain TCP connections (`hostssl` lines only in `pg_hba.conf`); the unix
    /// socket stays open without TLS.
    pub required: bool,
}

/// Never prints the key.
impl std::fmt::Debug for ServerTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerTls")
            .field("required", &self.required)
            .finish_non_exhaustive()
    }
}

impl ServerOptions {
    /// Writes the files these options need into the data directory `data`, owned by
    /// the server's `account`, and returns the settings that use them.
    pub(super) fn apply(
        &self,
        data: &Path,
        account: Account,
    ) -> Result<Vec<(&'static str, String)>, Error> {
        let mut settings = Vec::new();
        if self.tcp {
            settings.push(("listen_addresses", "127.0.0.1".to_owned()));
        }
        let Some(tls) = &self.tls else {
            return Ok(settings);
        };
        // The server refuses a key that others may read.
        for (name, text) in [("server.crt", &tls.cert_pem), ("server.key", &tls.key_pem)] {
            let path = data.join(name);
            write_private(&path, text, account)
                .map_err(io_error("write the server's TLS certificate and key"))?;
        }
        settings.push(("ssl", "on".to_owned()));
        settings.push(("ssl_cert_file", "server.crt".to_owned()));
        settings.push(("ssl_key_file", "server.key".to_owned()));
        if tls.required {
            let hba = "local all all trust\nhostssl all all 127.0.0.1/32 trust\n";
            write_private(&data.join("pg_hba.conf"), hba, account)
                .map_err(io_error("write pg_hba.conf"))?;
        }
        Ok(settings)
    }
}

fn write_private(path: &Path, text: &str, account: Account) -> io::Result<()> {
    fs::write(path, text)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    account.give(path)
}

/// A TCP port nothing listens on now. Another process could take it before the server
/// does; that is rare enough for tests on one machine.
pub(super) fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
