//! The password file (`PGPASSFILE`, else `~/.pgpass`), read as libpq reads it.
//!
//! Each line is `host:port:database:user:password`; `*` matches anything, `\` escapes
//! `:` and `\`, and the first matching line wins. A unix-socket connection matches the
//! host `localhost`. A file that others may read is ignored with a warning, as libpq
//! does, since it may hold every password of its owner.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// What to look a password up for.
#[derive(Debug)]
pub(super) struct Lookup<'a> {
    pub host: &'a str,
    pub port: u16,
    pub database: &'a str,
    pub user: &'a str,
}

/// The password for `lookup` in the file at `path`; `Err` holds a warning for a file
/// that exists but is ignored. A missing file is no password and no warning.
pub(super) fn find(path: &Path, lookup: &Lookup<'_>) -> Result<Option<String>, String> {
    let Ok(metadata) = fs::metadata(path) else {
        return Ok(None);
    };
    if !metadata.is_file() {
        return Err(format!(
            "password file {} is not a plain file: ignored",
            path.display()
        ));
    }
    if metadata.permissions().mode() & 0o077 != 0 {
        return Err(format!(
            "password file {} has group or world access: ignored; \
             permissions should be u=rw (chmod 0600 {})",
            path.display(),
            path.display()
        ));
    }
    let text = fs::read_to_string(path)
        .map_err(|e| format!("could not read password file {}: {e}", path.display()))?;
    Ok(find_in(&text, lookup))
}

/// The first line of `text` matching `lookup`.
fn find_in(text: &str, lookup: &Lookup<'_>) -> Option<String> {
    let port = lookup.port.to_string();
    let wanted = [lookup.host, &port, lookup.database, lookup.user];
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .find_map(|line| {
            let fields = fields(line);
            let [host, port, database, user, password] = fields.as_slice() else {
                return None;
            };
            let matches = [host, port, database, user]
                .iter()
                .zip(wanted)
                .all(|(field, wanted)| field.as_str() == "*" || field.as_str() == wanted);
            matches.then(|| password.clone())
        })
}

/// A line's `:`-separated fields, unescaped; the last takes the rest of the line.
fn fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().expect("never empty").extend(chars.next()),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("never empty").push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const FILE: &str = "# comment\n\
        db.internal:5432:orders:app:first\n\
        db.internal:*:*:app:second\n\
        localhost:5432:*:postgres:socket\n\
        *:*:*:odd:a\\:colon:and\\\\backslash\n";

    fn lookup<'a>(host: &'a str, database: &'a str, user: &'a str) -> Lookup<'a> {
        Lookup {
            host,
            port: 5432,
            database,
            user,
        }
    }

    #[test]
    fn the_first_matching_line_wins() {
        let find = |l| find_in(FILE, &l);
        assert_eq!(
            find(lookup("db.internal", "orders", "app")).as_deref(),
            Some("first")
        );
        assert_eq!(
            find(lookup("db.internal", "other", "app")).as_deref(),
            Some("second")
        );
        assert_eq!(
            find(lookup("localhost", "x", "postgres")).as_deref(),
            Some("socket")
        );
        assert_eq!(
            find(lookup("h", "d", "odd")).as_deref(),
            Some("a:colon:and\\backslash")
        );
        assert_eq!(find(lookup("elsewhere", "orders", "app")), None);
    }

    #[test]
    fn a_file_others_can_read_is_ignored_with_a_warning() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(FILE.as_bytes()).unwrap();
        let l = lookup("db.internal", "orders", "app");
        fs::set_permissions(file.path(), fs::Permissions::from_mode(0o644)).unwrap();
        let warning = find(file.path(), &l).unwrap_err();
        assert!(warning.contains("chmod 0600"), "{warning}");
        assert!(!warning.contains("first"), "{warning}");
        fs::set_permissions(file.path(), fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(find(file.path(), &l).unwrap().as_deref(), Some("first"));
        assert_eq!(find(Path::new("/nonexistent/.pgpass"), &l), Ok(None));
    }
}
