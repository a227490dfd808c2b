//! Finding the installed `initdb` and `postgres` programs.
//!
//! Debian keeps them off `PATH` (in `/usr/lib/postgresql/<major>/bin`), so `PATH` alone
//! is not enough. Both programs must come from the same directory: a data directory
//! made by one major version cannot be served by another.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::Error;

/// `initdb` and `postgres` from one installation.
#[derive(Debug, Clone)]
pub(super) struct Binaries {
    pub(super) initdb: PathBuf,
    pub(super) postgres: PathBuf,
}

/// Looks in `PATH`, then in `pg_config --bindir`, then in the newest
/// `/usr/lib/postgresql/*/bin`.
pub(super) fn locate() -> Result<Binaries, Error> {
    path_dirs()
        .chain(pg_config_bindir())
        .chain(debian_bindirs())
        .find_map(|dir| in_dir(&dir))
        .ok_or(Error::BinariesNotFound)
}

fn in_dir(dir: &Path) -> Option<Binaries> {
    let initdb = dir.join("initdb");
    let postgres = dir.join("postgres");
    (is_executable(&initdb) && is_executable(&postgres)).then_some(Binaries { initdb, postgres })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

fn path_dirs() -> impl Iterator<Item = PathBuf> {
    env::var_os("PATH")
        .map(|path| env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
}

/// `pg_config` ships with the client development files, so it may be there even when
/// the server binaries it points at are not; [`in_dir`] checks.
fn pg_config_bindir() -> Option<PathBuf> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let dir = String::from_utf8(output.stdout).ok()?;
    let dir = dir.trim();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

/// `/usr/lib/postgresql/<major>/bin`, highest major version first.
fn debian_bindirs() -> impl Iterator<Item = PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((major, entry.path().join("bin")))
        })
        .collect();
    versions.sort_by_key(|(major, _)| std::cmp::Reverse(*major));
    versions.into_iter().map(|(_, dir)| dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_both_programs_in_one_directory() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let install = |name: &str, mode: u32| {
            let path = dir.path().join(name);
            std::fs::write(&path, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        install("initdb", 0o755);
        assert!(in_dir(dir.path()).is_none());
        install("postgres", 0o644);
        assert!(in_dir(dir.path()).is_none());
        install("postgres", 0o755);
        let found = in_dir(dir.path()).unwrap();
        assert_eq!(found.initdb, dir.path().join("initdb"));
        assert_eq!(found.postgres, dir.path().join("postgres"));
    }
}
