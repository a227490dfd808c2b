//! [`Migrations`]: the versioned migrations of a schema, embedded at compile time by
//! `embed_migrations!` or read from a folder at run time by [`Migrations::from_dir`].
//! Both read the folder with the same rules (`schema-migration-files`).

use std::borrow::Cow;
use std::path::Path;

use schema_migration_files::{ReadError, is_transactional, read_folder};

use crate::migrate::error::MigrateError;
use crate::model::{List, Text};

/// One versioned migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    /// The name after the version (`add_notes` in `002_add_notes.up.sql`).
    pub name: Text,
    /// The up file: relative to the crate for an embedded set, under the folder given to
    /// [`Migrations::from_dir`] otherwise. Messages name it.
    pub file: Text,
    pub up: Text,
    /// The SQL that reverses `up`, when the migration has a down file.
    pub down: Option<Text>,
    /// SHA-256 (hex) of `up`, recorded when the migration is applied: a file that no
    /// longer matches it was changed after it ran.
    pub checksum: Text,
}

impl Migration {
    /// Used by `embed_migrations!`.
    #[doc(hidden)]
    pub const fn embedded(
        version: i64,
        name: &'static str,
        file: &'static str,
        up: &'static str,
        down: Option<&'static str>,
        checksum: &'static str,
    ) -> Migration {
        Migration {
            version,
            name: Cow::Borrowed(name),
            file: Cow::Borrowed(file),
            up: Cow::Borrowed(up),
            down: match down {
                Some(down) => Some(Cow::Borrowed(down)),
                None => None,
            },
            checksum: Cow::Borrowed(checksum),
        }
    }

    /// `false` when the up file starts with `-- schema-core: no-transaction`.
    pub fn transactional(&self) -> bool {
        is_transactional(&self.up)
    }

    /// `2 (add_notes)`, for messages.
    pub fn label(&self) -> String {
        label(self.version, &self.name)
    }
}

/// Why the migrations folder at `dir` could not be read, as a [`MigrateError`].
pub(crate) fn folder_error(dir: &Path, error: ReadError) -> MigrateError {
    match error {
        ReadError::Missing => MigrateError::NoFolder {
            path: dir.to_owned(),
        },
        ReadError::List(source) => MigrateError::Io {
            action: "list the migrations folder",
            path: dir.to_owned(),
            source,
        },
        ReadError::Files(problems) => MigrateError::Folder {
            path: dir.to_owned(),
            problems: problems.iter().map(|p| p.in_folder(dir)).collect(),
        },
    }
}

/// `2 (add_notes)`.
pub(crate) fn label(version: i64, name: &str) -> String {
    format!("{version} ({name})")
}

/// A seed file: SQL applied on request with [`crate::migrate::seed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// The file name without `.sql`.
    pub name: Text,
    pub file: Text,
    pub sql: Text,
}

impl Seed {
    /// Used by `embed_migrations!`.
    #[doc(hidden)]
    pub const fn embedded(name: &'static str, file: &'static str, sql: &'static str) -> Seed {
        Seed {
            name: Cow::Borrowed(name),
            file: Cow::Borrowed(file),
            sql: Cow::Borrowed(sql),
        }
    }
}

/// The migrations of a schema, by version, and its seed files, by name.
///
/// ```ignore
/// static MIGRATIONS: Migrations = schema_core::migrate::embed_migrations!("migrations");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrations {
    migrations: List<Migration>,
    seeds: List<Seed>,
}

impl Migrations {
    /// Used by `embed_migrations!`, which has checked the folder: versions are unique and
    /// sorted.
    #[doc(hidden)]
    pub const fn embedded(migrations: &'static [Migration], seeds: &'static [Seed]) -> Self {
        Migrations {
            migrations: Cow::Borrowed(migrations),
            seeds: Cow::Borrowed(seeds),
        }
    }

    /// Reads the folder at `dir` now, with the rules `embed_migrations!` applies at
    /// compile time. Useful for tools and tests; a service embeds its migrations.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self, MigrateError> {
        let dir = dir.as_ref();
        let folder = read_folder(dir).map_err(|error| folder_error(dir, error))?;
        let shown = |file: &str| Cow::Owned(dir.join(file).display().to_string());
        let migrations: Vec<Migration> = folder
            .migrations
            .into_iter()
            .map(|m| Migration {
                version: m.version,
                name: m.name.into(),
                file: shown(&m.up.file),
                up: m.up.sql.into(),
                down: m.down.map(|d| d.sql.into()),
                checksum: m.checksum.into(),
            })
            .collect();
        let seeds: Vec<Seed> = folder
            .seeds
            .into_iter()
            .map(|s| Seed {
                name: s.name.into(),
                file: shown(&s.file.file),
                sql: s.file.sql.into(),
            })
            .collect();
        Ok(Migrations {
            migrations: migrations.into(),
            seeds: seeds.into(),
        })
    }

    /// Every migration, oldest first.
    pub fn migrations(&self) -> &[Migration] {
        &self.migrations
    }

    /// The seed files, by name.
    pub fn seeds(&self) -> &[Seed] {
        &self.seeds
    }

    /// The migration with this version.
    pub fn get(&self, version: i64) -> Option<&Migration> {
        self.migrations
            .binary_search_by_key(&version, |m| m.version)
            .ok()
            .map(|i| &self.migrations[i])
    }

    /// The newest version, if there are migrations.
    pub fn latest_version(&self) -> Option<i64> {
        self.migrations.last().map(|m| m.version)
    }

    pub fn len(&self) -> usize {
        self.migrations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.migrations.is_empty()
    }
}
