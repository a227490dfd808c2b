//! Reading a migrations folder: every file is checked and every problem reported at
//! once, so a malformed folder takes one fix-and-build round, not one per file.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::name::{Direction, EXAMPLE, FileName};

/// The subfolder holding seed files.
pub const SEEDS_DIR: &str = "seeds";

/// A file's SQL and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlFile {
    /// The path relative to the migrations folder, with `/` (`seeds/demo.sql`).
    pub file: String,
    pub sql: String,
}

/// The files of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFiles {
    pub version: i64,
    pub name: String,
    pub up: SqlFile,
    pub down: Option<SqlFile>,
    /// [`checksum`] of the up SQL.
    pub checksum: String,
}

/// A seed file: SQL applied on request, after the migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedFile {
    /// The file name without `.sql`.
    pub name: String,
    pub file: SqlFile,
}

/// A well-formed migrations folder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Folder {
    /// By version.
    pub migrations: Vec<MigrationFiles>,
    /// By file name.
    pub seeds: Vec<SeedFile>,
    /// The widest version prefix of an up file (`001` is 3), for numbering new files.
    pub digits: usize,
}

impl Folder {
    /// The newest version in the folder.
    pub fn newest(&self) -> Option<i64> {
        self.migrations.last().map(|m| m.version)
    }
}

/// One thing wrong with a file of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The path relative to the migrations folder.
    pub file: String,
    /// What is wrong, as a phrase that follows the file name.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl Problem {
    /// The problem with the file named by its path under `folder`.
    pub fn in_folder(&self, folder: &Path) -> String {
        let path = folder.join(&self.file);
        format!("`{}` {}\nhelp: {}", path.display(), self.message, self.help)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}\nhelp: {}", self.file, self.message, self.help)
    }
}

/// Why a folder could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// There is no folder at the path.
    Missing,
    /// Listing the folder failed.
    List(io::Error),
    /// Files are malformed: each problem names its file.
    Files(Vec<Problem>),
}

/// SHA-256 of the SQL, in hex: what tells that an applied migration's file changed.
pub fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Reads and checks the folder at `dir`.
///
/// Migration files are `NNN_name.up.sql`, `NNN_name.down.sql` and `NNN_name.sql` (an up
/// file); seed files are `seeds/*.sql`. Files not ending in `.sql` (notes, a README) and
/// hidden files are skipped. It is an error when a `.sql` file name does not parse, two
/// up (or two down) files share a version, a down file has no up file or another name,
/// a file cannot be read or is not UTF-8, or the folder holds a folder other than
/// `seeds`.
pub fn read_folder(dir: &Path) -> Result<Folder, ReadError> {
    if !dir.is_dir() {
        return Err(ReadError::Missing);
    }
    let mut problems = Vec::new();
    let mut versions: BTreeMap<i64, Version> = BTreeMap::new();
    let mut seeds = Vec::new();
    for (file, path, is_dir) in list(dir).map_err(ReadError::List)? {
        if is_dir {
            if file == SEEDS_DIR {
                seeds = read_seeds(&path, &mut problems).map_err(ReadError::List)?;
            } else {
                let help = if file.to_ascii_lowercase().starts_with("seed") {
                    format!("seed files go in `{SEEDS_DIR}/`: rename the folder")
                } else {
                    format!(
                        "move migration files up into the migrations folder, and seed files \
                         into `{SEEDS_DIR}/`"
                    )
                };
                problems.push(Problem {
                    file,
                    message: "is a folder, and a migrations folder holds only files and `seeds/`"
                        .into(),
                    help,
                });
            }
            continue;
        }
        if !file.ends_with(".sql") {
            continue;
        }
        let name = match FileName::parse(&file) {
            Ok(name) => name,
            Err(message) => {
                problems.push(Problem {
                    file,
                    message,
                    help: format!(
                        "name migrations `NNN_name.up.sql`, with an optional `NNN_name.down.sql`, \
                         or `NNN_name.sql` for an up file alone: for example `{EXAMPLE}`"
                    ),
                });
                continue;
            }
        };
        let Some(sql) = read_sql(&path, &file, &mut problems) else {
            continue;
        };
        let entry = versions.entry(name.version).or_default();
        let sql_file = SqlFile { file, sql };
        match name.direction {
            Direction::Up => entry.ups.push((name, sql_file)),
            Direction::Down => entry.downs.push((name, sql_file)),
        }
    }

    let mut migrations = Vec::new();
    let mut digits = 0;
    for (version, Version { ups, downs }) in versions {
        let mut ups = ups.into_iter();
        let up = ups.next();
        for (_, extra) in ups {
            problems.push(duplicate(version, &extra.file, up.as_ref(), "up"));
        }
        let mut downs = downs.into_iter();
        let down = downs.next();
        for (_, extra) in downs {
            problems.push(duplicate(version, &extra.file, down.as_ref(), "down"));
        }
        let Some((up_name, up)) = up else {
            if let Some((down_name, down)) = down {
                problems.push(Problem {
                    file: down.file,
                    message: "is a down migration without an up migration".into(),
                    help: format!(
                        "add `{}` with the change this file reverses, or delete this file",
                        down_name.sibling(Direction::Up)
                    ),
                });
            }
            continue;
        };
        if let Some((down_name, down)) = &down
            && down_name.name != up_name.name
        {
            problems.push(Problem {
                file: down.file.clone(),
                message: format!("does not have the name of its up file `{}`", up.file),
                help: format!("rename it to `{}`", up_name.sibling(Direction::Down)),
            });
        }
        digits = digits.max(up_name.digits);
        migrations.push(MigrationFiles {
            version,
            name: up_name.name,
            checksum: checksum(&up.sql),
            up,
            down: down.map(|(_, file)| file),
        });
    }
    if problems.is_empty() {
        Ok(Folder {
            migrations,
            seeds,
            digits,
        })
    } else {
        problems.sort_by(|a, b| a.file.cmp(&b.file));
        Err(ReadError::Files(problems))
    }
}

/// The files of one version, in file name order.
#[derive(Default)]
struct Version {
    ups: Vec<(FileName, SqlFile)>,
    downs: Vec<(FileName, SqlFile)>,
}

fn duplicate(
    version: i64,
    file: &str,
    first: Option<&(FileName, SqlFile)>,
    direction: &str,
) -> Problem {
    let first = first.map_or("", |(_, f)| f.file.as_str());
    Problem {
        file: file.to_owned(),
        message: format!("has version {version}, like `{first}`"),
        help: format!(
            "each version has one {direction} file: give one of them the next free number"
        ),
    }
}

/// The folder's entries (hidden ones aside) as (name, path, is a folder), by name.
/// Names that are not UTF-8 are reported as problems by their lossy form.
fn list(dir: &Path) -> io::Result<Vec<(String, std::path::PathBuf, bool)>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // `is_dir` follows links; a dangling link is a file that cannot be read.
        let is_dir = path.is_dir();
        entries.push((file, path, is_dir));
    }
    entries.sort();
    Ok(entries)
}

fn read_seeds(dir: &Path, problems: &mut Vec<Problem>) -> io::Result<Vec<SeedFile>> {
    let mut seeds = Vec::new();
    for (file, path, is_dir) in list(dir)? {
        let file = format!("{SEEDS_DIR}/{file}");
        if is_dir {
            problems.push(Problem {
                file,
                message: "is a folder inside `seeds/`".into(),
                help: "put seed files directly in `seeds/`".into(),
            });
            continue;
        }
        let Some(name) = file
            .strip_prefix(SEEDS_DIR)
            .and_then(|f| f.strip_prefix('/'))
            .and_then(|f| f.strip_suffix(".sql"))
            .map(str::to_owned)
        else {
            continue;
        };
        if let Some(sql) = read_sql(&path, &file, problems) {
            seeds.push(SeedFile {
                name,
                file: SqlFile { file, sql },
            });
        }
    }
    Ok(seeds)
}

/// The file's text, or `None` after reporting why it has none.
///
/// A leading UTF-8 byte-order mark, which some editors save, is dropped here, before the
/// checksum is computed and the SQL embedded: PostgreSQL rejects it as a syntax error.
fn read_sql(path: &Path, file: &str, problems: &mut Vec<Problem>) -> Option<String> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            problems.push(Problem {
                file: file.to_owned(),
                message: format!("could not be read: {error}"),
                help: "check that the file exists (a link may point nowhere) and is readable"
                    .into(),
            });
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(sql) => match sql.strip_prefix('\u{feff}') {
            Some(rest) => Some(rest.to_owned()),
            None => Some(sql),
        },
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            problems.push(Problem {
                file: file.to_owned(),
                message: format!("is not valid UTF-8 (byte {at})"),
                help: "save the file as UTF-8".into(),
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
        dir
    }

    fn problems(dir: &tempfile::TempDir) -> Vec<String> {
        match read_folder(dir.path()) {
            Err(ReadError::Files(problems)) => problems.iter().map(|p| p.to_string()).collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn reads_migrations_and_seeds_in_order() {
        let dir = folder(&[
            ("002_b.sql", b"SELECT 2"),
            ("001_a.up.sql", b"SELECT 1"),
            ("001_a.down.sql", b"SELECT -1"),
            ("README.md", b"notes"),
            (".hidden.sql", b"not read"),
            ("seeds/b.sql", b"SELECT 'b'"),
            ("seeds/a.sql", b"SELECT 'a'"),
        ]);
        let folder = read_folder(dir.path()).unwrap();
        let versions: Vec<(i64, &str)> = folder
            .migrations
            .iter()
            .map(|m| (m.version, &*m.name))
            .collect();
        assert_eq!(versions, [(1, "a"), (2, "b")]);
        assert_eq!(folder.migrations[0].down.as_ref().unwrap().sql, "SELECT -1");
        assert_eq!(folder.migrations[0].checksum, checksum("SELECT 1"));
        assert!(folder.migrations[1].down.is_none());
        let seeds: Vec<&str> = folder.seeds.iter().map(|s| &*s.name).collect();
        assert_eq!(seeds, ["a", "b"]);
        assert_eq!(folder.seeds[0].file.file, "seeds/a.sql");
        assert_eq!((folder.digits, folder.newest()), (3, Some(2)));
    }

    #[test]
    fn reports_every_problem_with_its_file() {
        let dir = folder(&[
            ("001_a.up.sql", b"SELECT 1"),
            ("01_other.sql", b"SELECT 1"),
            ("002_b.down.sql", b"SELECT 1"),
            ("003_c.up.sql", b"SELECT 1"),
            ("003_d.down.sql", b"SELECT 1"),
            ("add_users.sql", b"SELECT 1"),
            ("004_latin1.sql", b"SELECT '\xe9'"),
            ("seed/x.sql", b"SELECT 1"),
        ]);
        assert_eq!(
            problems(&dir),
            [
                "`002_b.down.sql` is a down migration without an up migration\nhelp: add \
                 `002_b.up.sql` with the change this file reverses, or delete this file",
                "`003_d.down.sql` does not have the name of its up file `003_c.up.sql`\nhelp: \
                 rename it to `003_c.down.sql`",
                "`004_latin1.sql` is not valid UTF-8 (byte 8)\nhelp: save the file as UTF-8",
                "`01_other.sql` has version 1, like `001_a.up.sql`\nhelp: each version has one \
                 up file: give one of them the next free number",
                "`add_users.sql` does not start with a version number\nhelp: name migrations \
                 `NNN_name.up.sql`, with an optional `NNN_name.down.sql`, or `NNN_name.sql` for \
                 an up file alone: for example `001_initial_schema.up.sql`",
                "`seed` is a folder, and a migrations folder holds only files and `seeds/`\n\
                 help: seed files go in `seeds/`: rename the folder",
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_dropped_before_the_checksum() {
        let dir = folder(&[
            ("001_a.up.sql", b"\xef\xbb\xbfSELECT 1"),
            ("001_a.down.sql", b"\xef\xbb\xbfSELECT -1"),
            ("seeds/s.sql", b"\xef\xbb\xbfSELECT 's'"),
        ]);
        let folder = read_folder(dir.path()).unwrap();
        let migration = &folder.migrations[0];
        assert_eq!(migration.up.sql, "SELECT 1");
        assert_eq!(migration.checksum, checksum("SELECT 1"));
        assert_eq!(migration.down.as_ref().unwrap().sql, "SELECT -1");
        assert_eq!(folder.seeds[0].file.sql, "SELECT 's'");
    }

    #[test]
    fn a_missing_folder_is_its_own_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_folder(&dir.path().join("nope")),
            Err(ReadError::Missing)
        ));
    }

    #[test]
    fn an_empty_folder_has_no_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let folder = read_folder(dir.path()).unwrap();
        assert!(folder.migrations.is_empty() && folder.seeds.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_cannot_be_read() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("gone.sql"),
            dir.path().join("001_gone.up.sql"),
        )
        .unwrap();
        let found = problems(&dir);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("`001_gone.up.sql` could not be read: "),
            "{found:?}"
        );
    }
}
