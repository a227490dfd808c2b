//! [`SyncOptions`]: what a sync may do, and the environment variables that set it.

use std::time::Duration;

/// Development fixes the schema; production verifies it and refuses to start on drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Development,
    Production,
}

/// The policy of a run: what a sync may do, how long it may wait, what it records.
/// Where it acts is its [`Target`](crate::Target). Start from [`SyncOptions::from_env`],
/// [`SyncOptions::development`] or [`SyncOptions::production`].
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub mode: Mode,
    /// Apply safe changes. Defaults to `true` in development and `false` in production;
    /// `ENABLE_AUTO_SYNC=true|false` overrides it.
    pub auto_sync: bool,
    /// Plan only: introspect and diff, take no lock and change nothing.
    pub dry_run: bool,
    /// Also apply changes classified [`Safety::Review`](crate::diff::Safety::Review).
    pub allow_review: bool,
    /// Also apply changes classified [`Safety::Destructive`](crate::diff::Safety::Destructive)
    /// (implies `allow_review`). Unmanaged objects are never dropped.
    pub allow_destructive: bool,
    /// `lock_timeout` for every statement of the apply: a DDL statement waiting longer
    /// than this for a table lock fails instead of queueing every query behind it. The
    /// catalog read before the apply, and the duplicate-key checks of missing keys, wait
    /// no longer than this either.
    pub lock_timeout: Duration,
    /// `statement_timeout` for every statement of the apply.
    pub statement_timeout: Duration,
    /// How long to wait for another process's sync to finish.
    pub lock_wait: Duration,
    /// Recorded in the history (`APP_VERSION`, else this crate's version).
    pub app_version: String,
    /// Recorded in the history (`APP_ENV`, else the mode).
    pub environment: String,
}

impl SyncOptions {
    /// Apply safe changes automatically.
    pub fn development() -> Self {
        SyncOptions {
            mode: Mode::Development,
            auto_sync: true,
            dry_run: false,
            allow_review: false,
            allow_destructive: false,
            lock_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(300),
            lock_wait: Duration::from_secs(120),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            environment: "development".to_owned(),
        }
    }

    /// Verify only: fail on missing required tables and on drift that needs a person.
    pub fn production() -> Self {
        SyncOptions {
            mode: Mode::Production,
            auto_sync: false,
            environment: "production".to_owned(),
            ..Self::development()
        }
    }

    /// Reads `APP_ENV` (`production`/`prod` selects production; anything else, or
    /// nothing, development), `ENABLE_AUTO_SYNC` (`true`/`1`/`yes` or `false`/`0`/`no`)
    /// and `APP_VERSION`.
    pub fn from_env() -> Result<Self, InvalidSetting> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Self::from_env`] over any source of variables (for tests and config files).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, InvalidSetting> {
        let env = var("APP_ENV").unwrap_or_default();
        let mut options = match env.to_ascii_lowercase().as_str() {
            "production" | "prod" => Self::production(),
            _ => Self::development(),
        };
        if !env.is_empty() {
            options.environment = env;
        }
        if let Some(value) = var("ENABLE_AUTO_SYNC") {
            options.auto_sync = parse_flag(&value).ok_or(InvalidSetting {
                name: "ENABLE_AUTO_SYNC",
                value,
                expected: "true or false (also 1/0, yes/no, on/off)",
            })?;
        }
        if let Some(version) = var("APP_VERSION") {
            options.app_version = version;
        }
        Ok(options)
    }

    /// The same options with a dry run.
    pub fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }
}

/// An environment variable with a value the options cannot use.
#[derive(Debug, thiserror::Error)]
#[error("{name} is set to `{value}`; expected {expected}")]
pub struct InvalidSetting {
    pub name: &'static str,
    pub value: String,
    pub expected: &'static str,
}

fn parse_flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn production_verifies_unless_auto_sync_is_enabled() {
        let prod = SyncOptions::from_vars(vars(&[("APP_ENV", "production")])).unwrap();
        assert_eq!((prod.mode, prod.auto_sync), (Mode::Production, false));
        let forced =
            SyncOptions::from_vars(vars(&[("APP_ENV", "prod"), ("ENABLE_AUTO_SYNC", "true")]))
                .unwrap();
        assert_eq!((forced.mode, forced.auto_sync), (Mode::Production, true));
    }

    #[test]
    fn development_fixes_unless_auto_sync_is_disabled() {
        let dev = SyncOptions::from_vars(vars(&[])).unwrap();
        assert_eq!((dev.mode, dev.auto_sync), (Mode::Development, true));
        let off = SyncOptions::from_vars(vars(&[("ENABLE_AUTO_SYNC", "0")])).unwrap();
        assert!(!off.auto_sync);
    }

    #[test]
    fn an_unreadable_flag_is_an_error_that_names_it() {
        let err = SyncOptions::from_vars(vars(&[("ENABLE_AUTO_SYNC", "maybe")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "ENABLE_AUTO_SYNC is set to `maybe`; expected true or false (also 1/0, yes/no, on/off)"
        );
    }
}
