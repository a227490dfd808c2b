//! Migration file names: `NNN_name.up.sql`, `NNN_name.down.sql` and `NNN_name.sql`.

/// A well-formed up file name, for messages.
pub const EXAMPLE: &str = "001_initial_schema.up.sql";

/// New files are numbered with at least this many digits (`001`), so that they sort by
/// version in a file listing.
pub const MIN_DIGITS: usize = 3;

/// Which way a migration file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `NNN_name.up.sql`, or `NNN_name.sql`.
    Up,
    /// `NNN_name.down.sql`: reverses the up file of the same version.
    Down,
}

impl Direction {
    /// `up` or `down`, as file names, commands and records spell it.
    pub fn word(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// A parsed migration file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    pub version: i64,
    /// How many digits the version was written with (`002` has 3).
    pub digits: usize,
    pub name: String,
    pub direction: Direction,
}

impl FileName {
    /// Parses a file name ending in `.sql`; the error says what is wrong with it.
    pub fn parse(file: &str) -> Result<FileName, String> {
        let Some(stem) = file.strip_suffix(".sql") else {
            return Err("is not a `.sql` file".into());
        };
        let (stem, direction) = if let Some(stem) = stem.strip_suffix(".up") {
            (stem, Direction::Up)
        } else if let Some(stem) = stem.strip_suffix(".down") {
            (stem, Direction::Down)
        } else {
            (stem, Direction::Up)
        };
        let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err("does not start with a version number".into());
        }
        let (number, rest) = stem.split_at(digits);
        let Some(name) = rest.strip_prefix('_') else {
            return Err(format!(
                "has no `_` between the version `{number}` and the name"
            ));
        };
        check_name(name)?;
        let version: i64 = number
            .parse()
            .map_err(|_| format!("has a version `{number}` too large for a bigint"))?;
        if version == 0 {
            return Err("has version 0, which means \"no migration\"; start at 1".into());
        }
        Ok(FileName {
            version,
            digits,
            name: name.to_owned(),
            direction,
        })
    }

    /// The name of the file for the other direction of the same migration.
    pub fn sibling(&self, direction: Direction) -> String {
        file_name(self.version, self.digits, &self.name, direction)
    }
}

/// Checks a migration name (the part after `NNN_`): letters, digits, `_` and `-`, so
/// that it is a file name on every system and needs no quoting in a shell.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("has an empty name after the version".into());
    }
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        Some(c) => Err(format!(
            "has `{c}` in its name `{name}`; use letters, digits, `_` and `-`"
        )),
        None => Ok(()),
    }
}

/// The version and the up and down file names of a new migration called `name`, after
/// `newest` (the newest existing version), numbered as wide as `digits`.
pub fn next_file_names(
    newest: Option<i64>,
    digits: usize,
    name: &str,
) -> Result<(i64, String, String), String> {
    check_name(name)?;
    let version = newest
        .unwrap_or(0)
        .checked_add(1)
        .ok_or("the newest version is the largest bigint")?;
    let digits = digits.max(MIN_DIGITS);
    Ok((
        version,
        file_name(version, digits, name, Direction::Up),
        file_name(version, digits, name, Direction::Down),
    ))
}

fn file_name(version: i64, digits: usize, name: &str, direction: Direction) -> String {
    let suffix = match direction {
        Direction::Up => "up",
        Direction::Down => "down",
    };
    format!("{version:0digits$}_{name}.{suffix}.sql")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        let up = FileName::parse("002_add_notes.up.sql").unwrap();
        assert_eq!(
            (up.version, up.digits, &*up.name, up.direction),
            (2, 3, "add_notes", Direction::Up)
        );
        let down = FileName::parse("002_add_notes.down.sql").unwrap();
        assert_eq!(down.direction, Direction::Down);
        let plain = FileName::parse("20260101120000_add-index.sql").unwrap();
        assert_eq!(
            (plain.version, &*plain.name, plain.direction),
            (20260101120000, "add-index", Direction::Up)
        );
        assert_eq!(up.sibling(Direction::Down), "002_add_notes.down.sql");
    }

    #[test]
    fn says_what_is_wrong_with_a_name() {
        let err = |f| FileName::parse(f).unwrap_err();
        assert_eq!(err("add_users.sql"), "does not start with a version number");
        assert_eq!(
            err("001-add_users.sql"),
            "has no `_` between the version `001` and the name"
        );
        assert_eq!(err("001_.up.sql"), "has an empty name after the version");
        assert_eq!(
            err("001_add users.sql"),
            "has ` ` in its name `add users`; use letters, digits, `_` and `-`"
        );
        assert!(err("000_zero.sql").contains("version 0"));
        assert!(err("99999999999999999999_big.sql").contains("too large"));
    }

    #[test]
    fn next_names_keep_the_width() {
        assert_eq!(
            next_file_names(None, 0, "initial_schema").unwrap(),
            (
                1,
                "001_initial_schema.up.sql".into(),
                "001_initial_schema.down.sql".into()
            )
        );
        assert_eq!(
            next_file_names(Some(41), 4, "x").unwrap().1,
            "0042_x.up.sql"
        );
        assert!(next_file_names(Some(1), 3, "no spaces").is_err());
    }
}
