//! libpq's environment variables, read as `psql` reads them when no URL is given.
//!
//! `PGHOST` (host names and socket directories, comma-separated), `PGPORT`, `PGUSER`,
//! `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT` and `PGPASSFILE`. Unset
//! ones take libpq's defaults: the local socket directory, port 5432, the login user,
//! a database named after the user, the password from `~/.pgpass`.

use std::path::{Path, PathBuf};

use postgres::Config;

use crate::connect::Error;

/// The variables whose presence means "connect as libpq would", in the order they are
/// named in messages.
pub(super) const VARIABLES: [&str; 8] = [
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGPASSWORD",
    "PGDATABASE",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGPASSFILE",
];

/// Where libpq looks for the server's socket when no host is given: Debian's directory,
/// then upstream's.
const SOCKET_DIRS: [&str; 2] = ["/var/run/postgresql", "/tmp"];

/// The variables of [`VARIABLES`] that `var` has, non-empty.
pub(super) fn present(var: &dyn Fn(&str) -> Option<String>) -> Vec<&'static str> {
    VARIABLES
        .into_iter()
        .filter(|name| get(var, name).is_some())
        .collect()
}

/// `var(name)`, with an empty value counted as unset.
pub(super) fn get(var: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    var(name).filter(|value| !value.is_empty())
}

/// Fills what `config` leaves unset from the variables, then from libpq's defaults
/// (the password file is read later, once host, port, user and database are known).
pub(super) fn fill(config: &mut Config, var: &dyn Fn(&str) -> Option<String>) -> Result<(), Error> {
    if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
        match get(var, "PGHOST") {
            Some(hosts) => {
                for host in hosts.split(',') {
                    if host.starts_with('/') {
                        config.host_path(host);
                    } else {
                        config.host(host);
                    }
                }
            }
            None => {
                config.host_path(default_socket_dir(first_port(config, var)?));
            }
        }
    }
    if config.get_ports().is_empty()
        && let Some(ports) = get(var, "PGPORT")
    {
        for port in ports.split(',') {
            config.port(parse_port(port, &ports)?);
        }
    }
    if config.get_user().is_none() {
        let user = get(var, "PGUSER")
            .or_else(|| get(var, "USER"))
            .or_else(|| get(var, "LOGNAME"))
            .ok_or(Error::NoUser)?;
        config.user(&user);
    }
    if config.get_password().is_none()
        && let Some(password) = var("PGPASSWORD")
    {
        config.password(password);
    }
    if config.get_dbname().is_none() {
        let database = get(var, "PGDATABASE")
            .or_else(|| config.get_user().map(str::to_owned))
            .unwrap_or_default();
        config.dbname(&database);
    }
    Ok(())
}

/// The password file libpq would read: `PGPASSFILE`, else `~/.pgpass`.
pub(super) fn password_file(var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    get(var, "PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| get(var, "HOME").map(|home| Path::new(&home).join(".pgpass")))
}

fn first_port(config: &Config, var: &dyn Fn(&str) -> Option<String>) -> Result<u16, Error> {
    if let Some(port) = config.get_ports().first() {
        return Ok(*port);
    }
    match get(var, "PGPORT") {
        Some(ports) => parse_port(ports.split(',').next().unwrap_or_default(), &ports),
        None => Ok(5432),
    }
}

fn parse_port(port: &str, all: &str) -> Result<u16, Error> {
    port.trim().parse().map_err(|_| Error::InvalidVariable {
        name: "PGPORT",
        value: all.to_owned(),
        expected: "a port number, or several separated by commas",
    })
}

/// The first socket directory holding the server's socket for `port`, else the first
/// that exists (the connection error then names it).
fn default_socket_dir(port: u16) -> &'static str {
    let socket = format!(".s.PGSQL.{port}");
    SOCKET_DIRS
        .into_iter()
        .find(|dir| Path::new(dir).join(&socket).exists())
        .or_else(|| SOCKET_DIRS.into_iter().find(|dir| Path::new(dir).is_dir()))
        .unwrap_or(SOCKET_DIRS[0])
}
