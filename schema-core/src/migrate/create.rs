//! [`create`]: write the next numbered pair of empty migration files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use schema_migration_files::{NO_TRANSACTION, next_file_names, read_folder};

use crate::migrate::error::MigrateError;
use crate::migrate::source::folder_error;

/// The files [`create`] (or [`generate`](crate::migrate::generate)) wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Created {
    pub version: i64,
    pub up: PathBuf,
    /// `None` when nothing of the change can be reversed, so `down` refuses to revert it.
    pub down: Option<PathBuf>,
}

/// Writes `NNN_<name>.up.sql` and `NNN_<name>.down.sql` into `dir` (created if
/// missing), numbered one above the newest migration there and as wide as its number.
/// Refuses when the folder is malformed or the name has characters other than letters,
/// digits, `_` and `-`; never overwrites a file.
pub fn create(dir: impl AsRef<Path>, name: &str) -> Result<Created, MigrateError> {
    let dir = dir.as_ref();
    let version = next_version(dir, name)?;
    let up = format!(
        "-- {} {name}: the change, run in one transaction. A first line\n\
         -- `{NO_TRANSACTION}` runs it outside one, statement by statement.\n\n",
        version.version
    );
    let down = format!(
        "-- {} {name}: reverses the up file. Delete this file if the change cannot be\n\
         -- reversed: `migrate down` then refuses to revert it.\n\n",
        version.version
    );
    write_pair(dir, &version, &up, Some(&down))
}

/// The version and file names of the next migration in `dir`.
pub(crate) struct NextVersion {
    pub version: i64,
    pub up: String,
    pub down: String,
}

pub(crate) fn next_version(dir: &Path, name: &str) -> Result<NextVersion, MigrateError> {
    fs::create_dir_all(dir).map_err(|source| MigrateError::Io {
        action: "create the migrations folder",
        path: dir.to_owned(),
        source,
    })?;
    let folder = read_folder(dir).map_err(|error| folder_error(dir, error))?;
    let (version, up, down) =
        next_file_names(folder.newest(), folder.digits, name).map_err(|reason| {
            MigrateError::InvalidName {
                name: name.to_owned(),
                reason,
            }
        })?;
    Ok(NextVersion { version, up, down })
}

/// Writes the up file and, when given, the down file; neither may exist yet.
pub(crate) fn write_pair(
    dir: &Path,
    next: &NextVersion,
    up: &str,
    down: Option<&str>,
) -> Result<Created, MigrateError> {
    let up_path = dir.join(&next.up);
    write_new(&up_path, up)?;
    let down_path = match down {
        Some(down) => {
            let path = dir.join(&next.down);
            write_new(&path, down)?;
            Some(path)
        }
        None => None,
    };
    Ok(Created {
        version: next.version,
        up: up_path,
        down: down_path,
    })
}

fn write_new(path: &Path, content: &str) -> Result<(), MigrateError> {
    let io = |source| MigrateError::Io {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io)?;
    file.write_all(content.as_bytes()).map_err(io)
}
