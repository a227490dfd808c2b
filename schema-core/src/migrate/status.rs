//! [`status`]: each migration's state, from the files and the tracking table; and the
//! checks that stop `up` and `down` before they change anything.

use std::collections::BTreeMap;
use std::fmt;

use postgres::Client;
use serde::Serialize;

use crate::migrate::error::{MigrateError, MigrationId};
use crate::migrate::source::{Migration, Migrations};
use crate::migrate::tracking::{self, BASELINED, DIRTY, Row};
use crate::target::Target;
use schema_migration_files::Direction;

/// Where one migration stands in a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum State {
    /// Applied, and its file is unchanged.
    Applied,
    /// Recorded by `baseline` as applied without running; its file is unchanged.
    Baselined,
    /// Not applied yet.
    Pending,
    /// Not applied, and older than the newest applied migration: `up` refuses to run it.
    OutOfOrder,
    /// Applied, but its file changed since (the checksum differs).
    Modified,
    /// Applied, and no file has its version.
    Missing,
    /// Ran outside a transaction and failed or stopped halfway.
    Dirty,
}

impl State {
    /// `true` for the states that stop `up`: dirty, modified, missing and out of order.
    pub fn is_problem(self) -> bool {
        matches!(
            self,
            State::Dirty | State::Modified | State::Missing | State::OutOfOrder
        )
    }

    /// `true` when the database has the migration (or part of it, when dirty).
    pub fn is_applied(self) -> bool {
        !matches!(self, State::Pending | State::OutOfOrder)
    }

    fn word(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Baselined => "baselined",
            State::Pending => "pending",
            State::OutOfOrder => "out-of-order",
            State::Modified => "modified",
            State::Missing => "missing",
            State::Dirty => "dirty",
        }
    }
}

/// One migration in a [`Status`].
#[derive(Debug, Clone, Serialize)]
pub struct MigrationStatus {
    pub version: i64,
    pub name: String,
    pub state: State,
    /// The up file; `None` for a missing migration.
    pub file: Option<String>,
    /// When it was applied (UTC), if it was.
    pub executed_at: Option<String>,
    pub execution_time_ms: Option<i64>,
    /// Whether `down` can revert it: its file has down SQL, or down SQL was recorded when
    /// it ran.
    pub has_down: bool,
    /// Why a dirty migration stopped.
    pub error: Option<String>,
}

impl MigrationStatus {
    pub(crate) fn id(&self) -> MigrationId {
        MigrationId {
            version: self.version,
            name: self.name.clone(),
            file: self.file.clone(),
        }
    }
}

/// Every migration the files or the database know, by version.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Where the tracking table is.
    pub schema: String,
    /// The newest applied version.
    pub version: Option<i64>,
    pub migrations: Vec<MigrationStatus>,
}

impl Status {
    /// Migrations that `up` would apply, oldest first.
    pub fn pending(&self) -> impl Iterator<Item = &MigrationStatus> {
        self.migrations
            .iter()
            .filter(|m| matches!(m.state, State::Pending | State::OutOfOrder))
    }

    /// Migrations in a state that stops `up` (see [`State::is_problem`]).
    pub fn problems(&self) -> impl Iterator<Item = &MigrationStatus> {
        self.migrations.iter().filter(|m| m.state.is_problem())
    }

    /// The migrations in `state`.
    pub fn in_state(&self, state: State) -> Vec<i64> {
        self.migrations
            .iter()
            .filter(|m| m.state == state)
            .map(|m| m.version)
            .collect()
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Fails on the first kind of problem found, in the order they must be fixed: a
    /// dirty migration, applied migrations without files, changed files, out-of-order
    /// files. Each error names every file of its kind.
    pub(crate) fn refuse_problems(&self) -> Result<(), MigrateError> {
        self.refuse_dirty()?;
        let of = |state| -> Vec<MigrationId> {
            self.migrations
                .iter()
                .filter(|m| m.state == state)
                .map(MigrationStatus::id)
                .collect()
        };
        let missing = of(State::Missing);
        if !missing.is_empty() {
            return Err(MigrateError::Missing {
                migrations: missing,
            });
        }
        let modified = of(State::Modified);
        if !modified.is_empty() {
            return Err(MigrateError::Modified {
                migrations: modified,
            });
        }
        let out_of_order = of(State::OutOfOrder);
        if !out_of_order.is_empty() {
            let newest = self
                .migrations
                .iter()
                .rfind(|m| m.state.is_applied())
                .map(MigrationStatus::id);
            if let Some(newest_applied) = newest {
                return Err(MigrateError::OutOfOrder {
                    pending: out_of_order,
                    newest_applied,
                });
            }
        }
        Ok(())
    }

    /// Fails when a migration is dirty: no command that writes runs until a person has
    /// looked at it and run `repair`.
    pub(crate) fn refuse_dirty(&self) -> Result<(), MigrateError> {
        match self.migrations.iter().find(|m| m.state == State::Dirty) {
            Some(dirty) => Err(dirty_error(dirty)),
            None => Ok(()),
        }
    }
}

fn dirty_error(m: &MigrationStatus) -> MigrateError {
    MigrateError::Dirty {
        version: m.version,
        name: m.name.clone(),
        direction: tracking::dirty_direction(m.error.as_deref()),
        error: m
            .error
            .clone()
            .unwrap_or_else(|| "no error was recorded".into()),
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |wanted: &[State]| {
            self.migrations
                .iter()
                .filter(|m| wanted.contains(&m.state))
                .count()
        };
        let at = match self.version {
            Some(v) => format!("at version {v}"),
            None => "no migration applied".into(),
        };
        writeln!(
            f,
            "schema {}: {at}; {} applied, {} pending{}",
            self.schema,
            count(&[State::Applied, State::Baselined]),
            count(&[State::Pending, State::OutOfOrder]),
            match self.problems().count() {
                0 => String::new(),
                n => format!(", {n} problem(s)"),
            }
        )?;
        let width = self
            .migrations
            .iter()
            .map(|m| m.name.len())
            .max()
            .unwrap_or(0);
        for m in &self.migrations {
            let detail = match m.state {
                State::Applied | State::Baselined => format!(
                    "{} ({} ms)",
                    m.executed_at.as_deref().unwrap_or(""),
                    m.execution_time_ms.unwrap_or(0)
                ),
                State::Pending => String::new(),
                State::OutOfOrder => "older than the newest applied migration: renumber it".into(),
                State::Modified => {
                    "the file changed since it was applied: restore it, or review and \
                     `migrate repair`"
                        .into()
                }
                State::Missing => {
                    "applied, but no file has this version: restore it, or `migrate down`".into()
                }
                State::Dirty => format!(
                    "{}: {}, then `migrate repair`",
                    m.error.as_deref().unwrap_or("did not finish"),
                    match tracking::dirty_direction(m.error.as_deref()) {
                        Direction::Down => "finish the revert by hand",
                        _ => "undo it by hand",
                    }
                ),
            };
            let line = format!(
                "  {:>5}  {:<width$}  {:<12}  {detail}",
                m.version,
                m.name,
                m.state.word()
            );
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// Reads the tracking table (without taking the lock: it only reads) and compares it
/// with `migrations`.
pub fn status(
    client: &mut Client,
    migrations: &Migrations,
    target: &Target,
) -> Result<Status, MigrateError> {
    let schema = target.schema();
    let rows =
        tracking::read(client, schema).map_err(MigrateError::db("reading the tracking table"))?;
    Ok(compare(schema, migrations, &rows))
}

/// The status of every version the files or the rows know.
pub(crate) fn compare(schema: &str, migrations: &Migrations, rows: &[Row]) -> Status {
    let newest_row = rows.iter().map(|r| r.version).max();
    let mut by_version: BTreeMap<i64, (Option<&Migration>, Option<&Row>)> = BTreeMap::new();
    for m in migrations.migrations() {
        by_version.entry(m.version).or_default().0 = Some(m);
    }
    for r in rows {
        by_version.entry(r.version).or_default().1 = Some(r);
    }
    let migrations = by_version
        .into_iter()
        .map(|(version, (file, row))| {
            let state = match (file, row) {
                (_, Some(row)) if row.state == DIRTY => State::Dirty,
                (Some(file), Some(row)) if file.checksum != row.checksum => State::Modified,
                (Some(_), Some(row)) if row.state == BASELINED => State::Baselined,
                (Some(_), Some(_)) => State::Applied,
                (None, Some(_)) => State::Missing,
                (Some(_), None) if newest_row.is_some_and(|n| version < n) => State::OutOfOrder,
                (_, None) => State::Pending,
            };
            MigrationStatus {
                version,
                name: file
                    .map(|f| f.name.to_string())
                    .or_else(|| row.map(|r| r.description.clone()))
                    .unwrap_or_default(),
                state,
                file: file.map(|f| f.file.to_string()),
                executed_at: row.map(|r| r.executed_at.clone()),
                execution_time_ms: row.map(|r| r.execution_time_ms),
                has_down: file.is_some_and(|f| f.down.is_some())
                    || row.is_some_and(|r| r.down_sql.is_some()),
                error: row.and_then(|r| r.error.clone()),
            }
        })
        .collect::<Vec<_>>();
    let version = migrations
        .iter()
        .filter(|m| m.state.is_applied() && m.state != State::Dirty)
        .map(|m| m.version)
        .max();
    Status {
        schema: schema.to_owned(),
        version,
        migrations,
    }
}
