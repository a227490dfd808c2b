//! [`Settings`]: where and how to connect, resolved once, shown without the password.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use postgres::config::Host;
use postgres::{Client, Config};

use crate::connect::{Error, SslMode, conninfo, environment, pgpass};
use crate::pg_error::describe;

/// Where connection settings came from, for the "connecting to …" line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A URL or `key=value` string (`DATABASE_URL`, `--database-url`, an argument).
    Url,
    /// libpq's variables; the ones that were set.
    Environment(Vec<&'static str>),
}

/// Resolved connection settings: the `postgres` crate's [`Config`] plus what it does
/// not know (libpq's six `sslmode`s, `sslrootcert`).
///
/// `Display` and `Debug` never show the password.
#[derive(Clone)]
pub struct Settings {
    config: Config,
    ssl_mode: SslMode,
    root_cert: Option<PathBuf>,
    origin: Origin,
    /// Problems that did not stop resolution (an ignored password file), to show once.
    warnings: Vec<String>,
    /// Built once from `ssl_mode` and `root_cert`; `None` for `disable`.
    #[cfg(feature = "tls")]
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
}

impl Settings {
    /// `DATABASE_URL`, else libpq's variables; `None` when neither is set (the CLI then
    /// starts a throwaway server).
    pub fn from_env() -> Result<Option<Settings>, Error> {
        let var = |name: &str| std::env::var(name).ok();
        Self::resolve(environment::get(&var, "DATABASE_URL").as_deref(), var)
    }

    /// The precedence of [`Self::from_env`] over any source of variables: `url` when
    /// given (used as written), else the `PG*` variables `var` has (with libpq's
    /// defaults for the rest, and the password file), else `None`.
    pub fn resolve(
        url: Option<&str>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Settings>, Error> {
        if let Some(url) = url.filter(|url| !url.trim().is_empty()) {
            return Self::from_url(url).map(Some);
        }
        let present = environment::present(&var);
        if present.is_empty() {
            return Ok(None);
        }
        let mut config = Config::new();
        environment::fill(&mut config, &var)?;
        let ssl_mode = match environment::get(&var, "PGSSLMODE") {
            Some(mode) => mode.parse().map_err(|e| Error::SslMode(e, "PGSSLMODE"))?,
            None => SslMode::default(),
        };
        let mut settings = Settings::new(
            config,
            ssl_mode,
            environment::get(&var, "PGSSLROOTCERT").map(PathBuf::from),
            Origin::Environment(present),
            &var,
        )?;
        settings.read_password_file(&var);
        Ok(Some(settings))
    }

    /// A URL (`postgresql://…`) or `key=value` string, used as written, with `sslmode`
    /// and `sslrootcert` understood as libpq does.
    pub fn from_url(url: &str) -> Result<Settings, Error> {
        crate::database::check_scheme(url).map_err(Error::Scheme)?;
        let info = conninfo::split(url).map_err(|reason| Error::InvalidUrl { reason })?;
        let config = Config::from_str(&info.rest).map_err(|source| Error::InvalidUrl {
            reason: describe(&source),
        })?;
        let ssl_mode = match info.sslmode {
            Some(mode) => mode.parse().map_err(|e| Error::SslMode(e, "the URL"))?,
            None => SslMode::default(),
        };
        Settings::new(
            config,
            ssl_mode,
            info.sslrootcert.map(PathBuf::from),
            Origin::Url,
            &|name: &str| std::env::var(name).ok(),
        )
    }

    /// Settles the root certificate (libpq's default is `~/.postgresql/root.crt`, when
    /// it exists) and builds the TLS connector, so that a bad `sslmode` or an unreadable
    /// certificate is reported before anything connects.
    fn new(
        config: Config,
        ssl_mode: SslMode,
        root_cert: Option<PathBuf>,
        origin: Origin,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, Error> {
        let root_cert = root_cert.or_else(|| {
            let home = environment::get(var, "HOME")?;
            Some(PathBuf::from(home).join(".postgresql/root.crt")).filter(|path| path.is_file())
        });
        #[cfg(feature = "tls")]
        let tls = match ssl_mode {
            SslMode::Disable => None,
            mode => Some(crate::connect::tls::connector(mode, root_cert.as_deref())?),
        };
        #[cfg(not(feature = "tls"))]
        if ssl_mode.requires_tls() {
            return Err(Error::TlsUnavailable { mode: ssl_mode });
        }
        Ok(Settings {
            config,
            ssl_mode,
            root_cert,
            origin,
            warnings: Vec::new(),
            #[cfg(feature = "tls")]
            tls,
        })
    }

    /// Looks the password up in the password file when none is set yet.
    fn read_password_file(&mut self, var: &dyn Fn(&str) -> Option<String>) {
        if self.config.get_password().is_some() {
            return;
        }
        let Some(path) = environment::password_file(var) else {
            return;
        };
        let host = match (
            self.config.get_hosts().first(),
            self.config.get_hostaddrs().first(),
        ) {
            (Some(Host::Tcp(name)), _) => name.clone(),
            (None, Some(addr)) => addr.to_string(),
            // libpq matches socket connections against `localhost`.
            _ => "localhost".to_owned(),
        };
        let lookup = pgpass::Lookup {
            host: &host,
            port: self.config.get_ports().first().copied().unwrap_or(5432),
            database: self.config.get_dbname().unwrap_or_default(),
            user: self.config.get_user().unwrap_or_default(),
        };
        match pgpass::find(&path, &lookup) {
            Ok(Some(password)) => {
                self.config.password(password);
            }
            Ok(None) => {}
            Err(warning) => self.warnings.push(warning),
        }
    }

    /// The same server and credentials, database `name`.
    pub fn with_database(&self, name: &str) -> Settings {
        let mut settings = self.clone();
        settings.config.dbname(name);
        settings
    }

    /// The same settings, waiting at most `timeout` for a connection unless they name
    /// a `connect_timeout` already: a probe must answer, not hang.
    pub fn with_default_connect_timeout(&self, timeout: std::time::Duration) -> Settings {
        let mut settings = self.clone();
        if settings.config.get_connect_timeout().is_none() {
            settings.config.connect_timeout(timeout);
        }
        settings
    }

    /// The database name, if any.
    pub fn database(&self) -> Option<&str> {
        self.config.get_dbname()
    }

    pub fn ssl_mode(&self) -> SslMode {
        self.ssl_mode
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Problems met while resolving that did not stop it, such as an ignored password
    /// file; worth showing the user once.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Opens a connection.
    pub fn connect(&self) -> Result<Client, Error> {
        self.connect_raw()
            .map_err(|source| self.connect_error(source))
    }

    /// The error for a failed connection: where to, never the password.
    pub(crate) fn connect_error(&self, source: postgres::Error) -> Error {
        Error::Connect {
            target: self.to_string(),
            hint: crate::connect::hint::hint(self.ssl_mode, &source),
            source,
        }
    }

    /// [`Self::connect`] with the `postgres` crate's error, for callers that inspect
    /// its SQLSTATE.
    pub(crate) fn connect_raw(&self) -> Result<Client, postgres::Error> {
        use postgres::config::SslMode as Wire;
        let mut config = self.config.clone();
        #[cfg(feature = "tls")]
        if let Some(tls) = &self.tls {
            let wire = match self.ssl_mode {
                SslMode::Disable => Wire::Disable,
                // Plain first; TLS only when the server turns the plain attempt away.
                SslMode::Allow => match config.ssl_mode(Wire::Disable).connect(postgres::NoTls) {
                    Err(error) if error.as_db_error().is_some() => Wire::Require,
                    plain => return plain,
                },
                SslMode::Prefer => Wire::Prefer,
                SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => Wire::Require,
            };
            return config.ssl_mode(wire).connect(tls.clone());
        }
        // Without TLS support only the modes that allow plain connections get here.
        config.ssl_mode(Wire::Disable);
        config.connect(postgres::NoTls)
    }
}

/// `user@host:port/database`: enough to tell which server, never the password.
impl fmt::Display for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut hosts: Vec<String> = self
            .config
            .get_hosts()
            .iter()
            .map(|host| match host {
                Host::Tcp(name) => name.clone(),
                Host::Unix(path) => path.display().to_string(),
            })
            .collect();
        if hosts.is_empty() {
            hosts = self
                .config
                .get_hostaddrs()
                .iter()
                .map(|a| a.to_string())
                .collect();
        }
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        write!(
            f,
            "{}@{}:{port}/{}",
            self.config.get_user().unwrap_or("(default user)"),
            hosts.join(","),
            self.config.get_dbname().unwrap_or("(default database)")
        )
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("target", &self.to_string())
            .field(
                "password",
                &self.config.get_password().map(|_| "(redacted)"),
            )
            .field("ssl_mode", &self.ssl_mode)
            .field("root_cert", &self.root_cert)
            .field("origin", &self.origin)
            .field("warnings", &self.warnings)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    fn resolve(url: Option<&str>, pairs: &[(&str, &str)]) -> Option<Settings> {
        Settings::resolve(url, vars(pairs)).unwrap()
    }

    #[test]
    fn nothing_configured_means_no_settings() {
        assert!(resolve(None, &[("HOME", "/root"), ("USER", "me")]).is_none());
        assert!(resolve(Some(" "), &[("PGHOST", "")]).is_none());
    }

    #[test]
    fn a_url_wins_over_the_variables() {
        let settings = resolve(
            Some("postgresql://app@db.internal:6432/orders?sslmode=disable"),
            &[
                ("PGHOST", "elsewhere"),
                ("PGUSER", "other"),
                ("PGSSLMODE", "require"),
            ],
        )
        .unwrap();
        assert_eq!(settings.to_string(), "app@db.internal:6432/orders");
        assert_eq!(settings.ssl_mode(), SslMode::Disable);
        assert_eq!(settings.origin(), &Origin::Url);
    }

    #[test]
    fn the_variables_take_libpq_defaults_for_the_rest() {
        let settings = resolve(
            None,
            &[
                ("PGHOST", "db.internal"),
                ("USER", "me"),
                ("PGSSLMODE", "disable"),
            ],
        )
        .unwrap();
        assert_eq!(settings.to_string(), "me@db.internal:5432/me");
        assert_eq!(settings.ssl_mode(), SslMode::Disable);
        assert_eq!(
            settings.origin(),
            &Origin::Environment(vec!["PGHOST", "PGSSLMODE"])
        );

        let settings = resolve(
            None,
            &[
                ("PGHOST", "/run/pg,backup.internal"),
                ("PGPORT", "5433,5434"),
                ("PGUSER", "app"),
                ("PGDATABASE", "orders"),
            ],
        )
        .unwrap();
        assert_eq!(
            settings.to_string(),
            "app@/run/pg,backup.internal:5433/orders"
        );
    }

    #[test]
    fn bad_variables_say_which_and_what_is_expected() {
        let error = Settings::resolve(None, vars(&[("PGPORT", "fifty"), ("USER", "me")]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("PGPORT") && error.contains("port number"),
            "{error}"
        );
        let error = Settings::resolve(None, vars(&[("PGSSLMODE", "on"), ("USER", "me")]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("PGSSLMODE") && error.contains("verify-full"),
            "{error}"
        );
        let error = Settings::resolve(None, vars(&[("PGHOST", "db")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("PGUSER"), "{error}");
    }

    #[cfg(not(feature = "tls"))]
    #[test]
    fn without_the_tls_feature_modes_that_need_tls_say_how_to_get_it() {
        let error = Settings::from_url("postgresql://app@db/app?sslmode=require")
            .unwrap_err()
            .to_string();
        assert!(error.contains("`tls` feature"), "{error}");
    }

    #[test]
    fn the_password_file_fills_a_missing_password_only() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "db.internal:5432:orders:app:from-file").unwrap();
        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        let passfile = file.path().to_str().unwrap();
        let base = [
            ("PGHOST", "db.internal"),
            ("PGUSER", "app"),
            ("PGDATABASE", "orders"),
            ("PGPASSFILE", passfile),
        ];
        let settings = resolve(None, &base).unwrap();
        assert_eq!(settings.config.get_password(), Some(&b"from-file"[..]));
        let with_password = [&base[..], &[("PGPASSWORD", "from-env")]].concat();
        let settings = resolve(None, &with_password).unwrap();
        assert_eq!(settings.config.get_password(), Some(&b"from-env"[..]));

        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o640)).unwrap();
        let settings = resolve(None, &base).unwrap();
        assert_eq!(settings.config.get_password(), None);
        assert!(
            settings.warnings()[0].contains("group or world"),
            "{:?}",
            settings.warnings()
        );
    }

    #[test]
    fn neither_display_nor_debug_shows_a_password() {
        for url in [
            "postgresql://app:s3cret@db.internal:6432/orders",
            "host=db.internal port=6432 user=app password=s3cret dbname=orders",
            "postgresql://app@db.internal:6432/orders?password=s3cret",
        ] {
            let settings = Settings::from_url(url).unwrap();
            assert_eq!(settings.to_string(), "app@db.internal:6432/orders", "{url}");
            let debug = format!("{settings:?}");
            assert!(
                !debug.contains("s3cret") && debug.contains("redacted"),
                "{debug}"
            );
        }
        let settings = resolve(
            None,
            &[
                ("PGHOST", "db.internal"),
                ("PGUSER", "app"),
                ("PGPASSWORD", "s3cret"),
            ],
        )
        .unwrap();
        assert!(!format!("{settings} {settings:?}").contains("s3cret"));
    }
}
