//! What a migration command did, readable and as JSON.

use std::fmt;

use serde::Serialize;

use crate::sync::SyncReport;

/// The command a [`MigrateReport`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Action {
    Up,
    Down,
    Baseline,
    Repair,
}

/// The result of [`up`](crate::migrate::up), [`down`](crate::migrate::down),
/// [`baseline`](crate::migrate::baseline) and [`repair`](crate::migrate::repair).
#[derive(Debug, Clone, Serialize)]
pub struct MigrateReport {
    /// Where the tracking table is (the options' default schema).
    pub schema: String,
    pub action: Action,
    /// The migrations applied, reverted, baselined or repaired, in the order handled; in
    /// a dry run, the migrations `up` would apply.
    pub migrations: Vec<Ran>,
    /// Nothing was changed: the report says what `up` would do
    /// ([`migrate_and_sync`](crate::migrate::migrate_and_sync) with
    /// [`SyncOptions::dry_run`](crate::sync::SyncOptions::dry_run)).
    pub dry_run: bool,
    /// The newest applied version after the command.
    pub version: Option<i64>,
    /// Milliseconds spent waiting for another process's sync or migration.
    pub lock_wait_ms: u64,
    pub duration_ms: u64,
}

/// One migration a command handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ran {
    pub version: i64,
    pub name: String,
    pub duration_ms: u64,
    /// `false` for a `-- schema-core: no-transaction` file.
    pub transactional: bool,
    /// What `repair` did to it.
    pub note: Option<String>,
}

impl MigrateReport {
    pub(crate) fn new(schema: &str, action: Action) -> Self {
        MigrateReport {
            schema: schema.to_owned(),
            action,
            migrations: Vec::new(),
            dry_run: false,
            version: None,
            lock_wait_ms: 0,
            duration_ms: 0,
        }
    }

    /// The versions handled, in order.
    pub fn versions(&self) -> Vec<i64> {
        self.migrations.iter().map(|m| m.version).collect()
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl fmt::Display for MigrateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = match self.version {
            Some(v) => format!("at version {v}"),
            None => "no migration applied".to_owned(),
        };
        let n = self.migrations.len();
        let schema = &self.schema;
        match (self.action, n) {
            (Action::Up, _) if self.dry_run && n > 0 => writeln!(
                f,
                "would apply {n} migration(s) in schema {schema} (dry run, nothing changed); \
                 now {at}:"
            )?,
            (Action::Up, 0) => writeln!(f, "nothing to apply in schema {schema}: {at}")?,
            (Action::Down, 0) => writeln!(f, "nothing to revert in schema {schema}: {at}")?,
            (Action::Repair, 0) => writeln!(f, "nothing to repair in schema {schema}: {at}")?,
            (Action::Up, _) => {
                writeln!(f, "applied {n} migration(s) in schema {schema}; now {at}:")?
            }
            (Action::Down, _) => {
                writeln!(f, "reverted {n} migration(s) in schema {schema}; now {at}:")?
            }
            (Action::Baseline, _) => writeln!(
                f,
                "baselined schema {schema} {at}: {n} migration(s) recorded as applied, none run:"
            )?,
            (Action::Repair, _) => writeln!(f, "repaired {n} migration(s) in schema {schema}:")?,
        }
        for m in &self.migrations {
            write!(f, "  {} {}", m.version, m.name)?;
            match (&m.note, self.action) {
                (Some(note), _) => writeln!(f, ": {note}")?,
                (None, Action::Up) if self.dry_run => writeln!(
                    f,
                    "{}",
                    if m.transactional {
                        ""
                    } else {
                        " (no transaction)"
                    }
                )?,
                (None, Action::Up | Action::Down) => writeln!(
                    f,
                    " ({} ms{})",
                    m.duration_ms,
                    if m.transactional {
                        ""
                    } else {
                        ", no transaction"
                    }
                )?,
                (None, _) => writeln!(f)?,
            }
        }
        Ok(())
    }
}

/// The result of [`seed`](crate::migrate::seed).
#[derive(Debug, Clone, Serialize)]
pub struct SeedReport {
    pub schema: String,
    /// The seed files run, by name, with their durations in milliseconds.
    pub seeds: Vec<(String, u64)>,
    pub duration_ms: u64,
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seeds.is_empty() {
            return writeln!(f, "no seed files");
        }
        writeln!(
            f,
            "ran {} seed file(s) in schema {}:",
            self.seeds.len(),
            self.schema
        )?;
        for (name, ms) in &self.seeds {
            writeln!(f, "  {name} ({ms} ms)")?;
        }
        Ok(())
    }
}

/// The result of [`migrate_and_sync`](crate::migrate::migrate_and_sync): the migrations
/// applied, then what the declarative sync (or verify) found and did.
#[derive(Debug, Clone, Serialize)]
pub struct StartupReport {
    pub migrations: MigrateReport,
    pub sync: SyncReport,
}

impl fmt::Display for StartupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.migrations, self.sync)
    }
}
