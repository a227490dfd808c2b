//! Whole databases on a server: create one if it is missing, drop one.
//!
//! A service that starts against an empty server, a CLI run and the test harness all
//! need "make sure this database exists" before anything can connect to it, and many
//! replicas may ask at the same moment: [`ensure_database`] treats losing that race as
//! success. Creating a database is an admin's job: an app whose role has no `CREATEDB`
//! passes an admin's URL to [`ensure_database_with_admin`].

mod url;

use std::thread;
use std::time::Duration;

use postgres::Client;
use postgres::error::SqlState;

use crate::connect::Settings;
use crate::pg_error::describe;

pub use url::url_with_database;
pub(crate) use url::{ACCEPTED_FORMS, check_scheme, percent_encode, split_url};

/// The database every server has, used to create and drop the others.
const MAINTENANCE_DATABASE: &str = "postgres";
/// The fallback when `postgres` was dropped (it is only a convention).
const FALLBACK_MAINTENANCE_DATABASE: &str = "template1";
/// PostgreSQL truncates longer identifiers, so a longer name would create a
/// differently named database (or schema) than the one asked for.
pub(crate) const MAX_NAME_BYTES: usize = 63;

/// What went wrong while creating or dropping a database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("invalid PostgreSQL URL: {reason}; expected {ACCEPTED_FORMS}")]
    InvalidUrl { reason: String },
    #[error("`{scheme}://` URLs are not PostgreSQL's; expected {ACCEPTED_FORMS}")]
    UnsupportedScheme { scheme: String },
    #[error("the URL names no database: add it as the path, as in postgresql://user@host/mydb")]
    NoDatabaseName,
    #[error(
        "database name `{name}` is longer than PostgreSQL's limit of 63 bytes: use a shorter one"
    )]
    NameTooLong { name: String },
    #[error("could not connect to database `{database}`: {}", describe(.source))]
    Connect {
        database: String,
        source: postgres::Error,
    },
    #[error(
        "could not create database `{database}`: {}; this role may not create databases: \
         pass an admin's URL (`ensure_database_with_admin`; in the CLI `--admin-url` or \
         ADMIN_DATABASE_URL), or have an admin create it",
        describe(.source)
    )]
    CreateNotPermitted {
        database: String,
        source: postgres::Error,
    },
    #[error("could not create database `{database}`: {}", describe(.source))]
    Create {
        database: String,
        source: postgres::Error,
    },
    #[error("could not drop database `{database}`: {}", describe(.source))]
    Drop {
        database: String,
        source: postgres::Error,
    },
}

/// Creates the database named in `url` unless it exists; `Ok(true)` when this call
/// created it.
///
/// Connects with `url`'s role to the server's `postgres` database (or `template1`) to do
/// so, so that role needs `CREATEDB` when the database is missing; see
/// [`ensure_database_with_admin`] for an app role without it. Concurrent callers all
/// succeed, and exactly one of them gets `true`. When the maintenance database is out of
/// reach (no permission, say) but the target database already exists, that is a success
/// too.
pub fn ensure_database(url: &str) -> Result<bool, Error> {
    ensure_database_copying(url, url, TemplateCopy::ServerDefault)
}

/// [`ensure_database`], creating the database as the role of `admin_url` (one with
/// `CREATEDB`) rather than as the app's, which then needs no privilege on the server.
///
/// `admin_url` gives the server and the admin's credentials; the database it names is
/// not used (creation runs from `postgres`, or `template1`). The new database belongs to
/// the admin, so the app's role still needs `USAGE, CREATE` on the schema it syncs
/// (`GRANT USAGE, CREATE ON SCHEMA public TO app`, as the admin). When the admin cannot
/// connect but the database exists and `url` connects, that is a success.
pub fn ensure_database_with_admin(admin_url: &str, url: &str) -> Result<bool, Error> {
    ensure_database_copying(admin_url, url, TemplateCopy::ServerDefault)
}

/// How `CREATE DATABASE` copies its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TemplateCopy {
    /// The server's choice (`WAL_LOG` since PostgreSQL 15): cheap for a busy server.
    ServerDefault,
    /// `STRATEGY = FILE_COPY` where supported: copies files and checkpoints, several
    /// times faster on an idle, non-durable test server.
    Files,
}

/// [`ensure_database_with_admin`] for resolved [`Settings`] (such as those from libpq's
/// variables), as `admin`'s role when given, else as `target`'s.
pub fn ensure_database_for(target: &Settings, admin: Option<&Settings>) -> Result<bool, Error> {
    let name = checked_name(target)?;
    ensure_database_in(
        admin.unwrap_or(target),
        target,
        &name,
        TemplateCopy::ServerDefault,
    )
}

/// [`ensure_database_with_admin`] with a choice of copy strategy.
pub(crate) fn ensure_database_copying(
    admin_url: &str,
    url: &str,
    copy: TemplateCopy,
) -> Result<bool, Error> {
    let (target, name) = target(url)?;
    ensure_database_in(&parse(admin_url)?, &target, &name, copy)
}

fn ensure_database_in(
    admin: &Settings,
    target: &Settings,
    name: &str,
    copy: TemplateCopy,
) -> Result<bool, Error> {
    let name = name.to_owned();
    let mut admin = match connect_maintenance(admin) {
        Ok(client) => client,
        Err(error) => {
            // The database may exist and be usable even if we may not administer
            // the server: a service with a narrow role should still start.
            return match target.connect_raw() {
                Ok(_) => Ok(false),
                Err(_) => Err(error),
            };
        }
    };
    let create_error = |source| Error::Create {
        database: name.clone(),
        source,
    };
    let exists = admin
        .query_opt(
            "SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1",
            &[&name],
        )
        .map_err(create_error)?
        .is_some();
    if exists {
        return Ok(false);
    }
    let mut statement = format!("CREATE DATABASE {}", crate::ddl::ident(&name));
    if copy == TemplateCopy::Files && supports_strategy(&mut admin).map_err(create_error)? {
        statement.push_str(" STRATEGY = FILE_COPY");
    }
    let mut attempts = 0;
    loop {
        attempts += 1;
        let Err(source) = admin.batch_execute(&statement) else {
            return Ok(true);
        };
        match source.code() {
            // Another session created it between our check and our CREATE: on
            // PostgreSQL the loser sees either code, depending on timing.
            Some(&SqlState::DUPLICATE_DATABASE) | Some(&SqlState::UNIQUE_VIOLATION) => {
                return Ok(false);
            }
            // CREATE DATABASE copies template1 and refuses while anyone is connected
            // to it (such as a peer whose maintenance connection fell back to it);
            // such connections are short, so wait a little.
            Some(&SqlState::OBJECT_IN_USE) if attempts < 20 => {
                thread::sleep(Duration::from_millis(50 + fastrand::u64(0..50)));
            }
            Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                return Err(Error::CreateNotPermitted {
                    database: name,
                    source,
                });
            }
            _ => return Err(create_error(source)),
        }
    }
}

/// Drops the database named in `url`, closing its open connections first
/// (`WITH (FORCE)`, PostgreSQL 13 and later); `Ok(true)` when it existed.
pub fn drop_database(url: &str) -> Result<bool, Error> {
    let (settings, name) = target(url)?;
    let mut admin = connect_maintenance(&settings)?;
    let drop_error = |source| Error::Drop {
        database: name.clone(),
        source,
    };
    let existed = admin
        .query_opt(
            "SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1",
            &[&name],
        )
        .map_err(drop_error)?
        .is_some();
    let statement = format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        crate::ddl::ident(&name)
    );
    admin.batch_execute(&statement).map_err(drop_error)?;
    Ok(existed)
}

/// Whether `CREATE DATABASE` takes `STRATEGY` (PostgreSQL 15 and later).
fn supports_strategy(admin: &mut Client) -> Result<bool, postgres::Error> {
    let row = admin.query_one("SELECT current_setting('server_version_num')::int", &[])?;
    Ok(row.get::<_, i32>(0) >= 150_000)
}

/// Parses `url`, refusing another scheme with the forms it accepts.
fn parse(url: &str) -> Result<Settings, Error> {
    Settings::from_url(url).map_err(|error| match error {
        crate::connect::Error::Scheme(error) => error,
        crate::connect::Error::InvalidUrl { reason } => Error::InvalidUrl { reason },
        other => Error::InvalidUrl {
            reason: other.to_string(),
        },
    })
}

/// Parses `url` and returns it with the database name it must carry.
fn target(url: &str) -> Result<(Settings, String), Error> {
    let settings = parse(url)?;
    let name = checked_name(&settings)?;
    Ok((settings, name))
}

/// The database name `settings` must carry, at most 63 bytes.
fn checked_name(settings: &Settings) -> Result<String, Error> {
    let name = settings.database().ok_or(Error::NoDatabaseName)?.to_owned();
    if name.len() > MAX_NAME_BYTES {
        return Err(Error::NameTooLong { name });
    }
    Ok(name)
}

/// A connection to the same server as `settings`, to `postgres` or else `template1`.
fn connect_maintenance(settings: &Settings) -> Result<Client, Error> {
    let connect = |database: &str| {
        settings
            .with_database(database)
            .connect_raw()
            .map_err(|source| Error::Connect {
                database: database.to_owned(),
                source,
            })
    };
    match connect(MAINTENANCE_DATABASE) {
        Err(Error::Connect { source, .. })
            if source.code() == Some(&SqlState::INVALID_CATALOG_NAME) =>
        {
            connect(FALLBACK_MAINTENANCE_DATABASE)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_urls_without_a_usable_name() {
        assert!(matches!(
            target("postgresql://localhost"),
            Err(Error::NoDatabaseName)
        ));
        let long = format!("postgresql://localhost/{}", "x".repeat(64));
        assert!(matches!(target(&long), Err(Error::NameTooLong { .. })));
        assert!(matches!(
            target("host='oops"),
            Err(Error::InvalidUrl { .. })
        ));
    }
}
