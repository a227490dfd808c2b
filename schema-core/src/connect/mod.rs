//! Connection settings as `psql` reads them, and opening a connection with them.
//!
//! The `postgres` crate ignores libpq's environment variables and knows only three
//! `sslmode`s. [`Settings`] closes that gap: a URL (`DATABASE_URL`) is used as
//! written; without one, `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`,
//! `PGSSLMODE`, `PGSSLROOTCERT` and `PGPASSFILE`/`~/.pgpass` are honoured with libpq's
//! rules; with neither, [`Settings::from_env`] says so (`None`), and the CLI starts a
//! throwaway server.
//!
//! TLS needs the `tls` feature (rustls): `sslmode` (in the URL, or `PGSSLMODE`) has
//! libpq's meanings, and `sslrootcert` (or `PGSSLROOTCERT`, default
//! `~/.postgresql/root.crt`) names the CA certificates to verify the server with.
//!
//! ```no_run
//! let settings = schema_core::connect::Settings::from_env()?.expect("DATABASE_URL or PGHOST");
//! println!("connecting to {settings}"); // app@db.internal:5432/app: never the password
//! let mut client = settings.connect()?;
//! # Ok::<(), schema_core::connect::Error>(())
//! ```

mod conninfo;
mod environment;
mod error;
mod hint;
mod pgpass;
mod settings;
mod sslmode;
#[cfg(feature = "tls")]
mod tls;

pub use error::Error;
pub use settings::{Origin, Settings};
pub use sslmode::{SslMode, UnknownSslMode};
