//! The table: one row per built-in type the model names.

use crate::Takes;

/// A built-in type the model names: one per `schema_core::SqlType` variant that is not
/// an enum or other text, with the same identifier (the derives' generated code names
/// the variant by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Boolean,
    SmallInt,
    Integer,
    BigInt,
    Real,
    DoublePrecision,
    Numeric,
    Text,
    Varchar,
    Char,
    Bytea,
    Date,
    Time,
    TimeTz,
    Timestamp,
    TimestampTz,
    Interval,
    Uuid,
    Json,
    Jsonb,
    Inet,
    Cidr,
    MacAddr,
}

struct Row {
    kind: Kind,
    /// As `format_type` prints it, and as DDL writes it.
    name: &'static str,
    /// The other spellings PostgreSQL accepts, in lower case.
    aliases: &'static [&'static str],
    takes: Takes,
    /// The `serial` shorthands of an integer type, the one DDL writes first. They are
    /// not types: PostgreSQL makes an integer column with a sequence of them.
    serials: &'static [&'static str],
}

const fn row(
    kind: Kind,
    name: &'static str,
    aliases: &'static [&'static str],
    takes: Takes,
) -> Row {
    Row {
        kind,
        name,
        aliases,
        takes,
        serials: &[],
    }
}

const fn integer(
    kind: Kind,
    name: &'static str,
    aliases: &'static [&'static str],
    serials: &'static [&'static str],
) -> Row {
    Row {
        serials,
        ..row(kind, name, aliases, Takes::Nothing)
    }
}

/// In the order of [`Kind`], so a kind finds its row by index.
const TABLE: [Row; 23] = [
    row(Kind::Boolean, "boolean", &["bool"], Takes::Nothing),
    integer(
        Kind::SmallInt,
        "smallint",
        &["int2"],
        &["smallserial", "serial2"],
    ),
    integer(
        Kind::Integer,
        "integer",
        &["int", "int4"],
        &["serial", "serial4"],
    ),
    integer(Kind::BigInt, "bigint", &["int8"], &["bigserial", "serial8"]),
    row(Kind::Real, "real", &["float4"], Takes::Nothing),
    row(
        Kind::DoublePrecision,
        "double precision",
        &["float8"],
        Takes::Nothing,
    ),
    row(Kind::Numeric, "numeric", &["decimal"], Takes::Precision),
    row(Kind::Text, "text", &[], Takes::Nothing),
    row(
        Kind::Varchar,
        "character varying",
        &["varchar"],
        Takes::Length,
    ),
    row(Kind::Char, "character", &["char"], Takes::FixedLength),
    row(Kind::Bytea, "bytea", &[], Takes::Nothing),
    row(Kind::Date, "date", &[], Takes::Nothing),
    row(
        Kind::Time,
        "time without time zone",
        &["time"],
        Takes::Seconds,
    ),
    row(
        Kind::TimeTz,
        "time with time zone",
        &["timetz"],
        Takes::Seconds,
    ),
    row(
        Kind::Timestamp,
        "timestamp without time zone",
        &["timestamp"],
        Takes::Seconds,
    ),
    row(
        Kind::TimestampTz,
        "timestamp with time zone",
        &["timestamptz"],
        Takes::Seconds,
    ),
    row(Kind::Interval, "interval", &[], Takes::Nothing),
    row(Kind::Uuid, "uuid", &[], Takes::Nothing),
    row(Kind::Json, "json", &[], Takes::Nothing),
    row(Kind::Jsonb, "jsonb", &[], Takes::Nothing),
    row(Kind::Inet, "inet", &[], Takes::Nothing),
    row(Kind::Cidr, "cidr", &[], Takes::Nothing),
    row(Kind::MacAddr, "macaddr", &[], Takes::Nothing),
];

// A table out of order, or a kind added without its row, fails the build here.
const _: () = {
    let mut i = 0;
    while i < TABLE.len() {
        assert!(TABLE[i].kind as usize == i);
        i += 1;
    }
    assert!(TABLE.len() == Kind::MacAddr as usize + 1);
};

impl Kind {
    /// The name `format_type` prints and DDL writes.
    pub const fn name(self) -> &'static str {
        TABLE[self as usize].name
    }

    /// What the type's parentheses hold.
    pub fn takes(self) -> Takes {
        self.row().takes
    }

    /// The types `serial` and identity columns accept.
    pub fn is_integer(self) -> bool {
        !self.row().serials.is_empty()
    }

    /// The shorthand DDL writes for a `serial` column of this type; `integer`'s for a
    /// type without one of its own.
    pub fn serial(self) -> &'static str {
        match self.row().serials {
            [shorthand, ..] => shorthand,
            [] => Kind::Integer.serial(),
        }
    }

    /// The kind named exactly as `format_type` prints it.
    pub fn from_name(name: &str) -> Option<Kind> {
        TABLE
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.kind)
    }

    /// The kind named by any spelling PostgreSQL accepts (lower case, single spaces).
    pub fn from_spelling(spelling: &str) -> Option<Kind> {
        TABLE
            .iter()
            .find(|row| row.name == spelling || row.aliases.contains(&spelling))
            .map(|row| row.kind)
    }

    /// Every name and alias of every kind, for did-you-mean suggestions.
    pub fn spellings() -> impl Iterator<Item = &'static str> {
        TABLE
            .iter()
            .flat_map(|row| std::iter::once(row.name).chain(row.aliases.iter().copied()))
    }

    /// `true` for `serial`, `bigserial` and the like (lower case).
    pub fn is_serial(spelling: &str) -> bool {
        TABLE.iter().any(|row| row.serials.contains(&spelling))
    }

    fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_names_one_kind() {
        let mut seen = Vec::new();
        for row in &TABLE {
            for spelling in [row.name].iter().chain(row.aliases).chain(row.serials) {
                assert!(!seen.contains(spelling), "{spelling}");
                seen.push(spelling);
            }
            assert_eq!(Kind::from_name(row.name), Some(row.kind));
        }
    }

    #[test]
    fn serial_shorthands() {
        assert_eq!(Kind::SmallInt.serial(), "smallserial");
        assert_eq!(Kind::Integer.serial(), "serial");
        assert_eq!(Kind::BigInt.serial(), "bigserial");
        assert_eq!(Kind::Text.serial(), "serial");
        assert!(Kind::is_serial("serial8"));
        assert!(!Kind::is_serial("int8"));
        assert!(Kind::BigInt.is_integer());
        assert!(!Kind::Numeric.is_integer());
    }

    #[test]
    fn aliases_are_not_names() {
        assert_eq!(Kind::from_spelling("int4"), Some(Kind::Integer));
        assert_eq!(Kind::from_name("int4"), None);
        assert_eq!(Kind::from_spelling("citext"), None);
    }
}
