//! `#[column(sql_type = "...")]`: the override string parsed into the model's `SqlType`
//! at compile time, so a typo such as `varchar(abc)` fails the build instead of the sync.
//! The names come from the `schema_sql_types` table; the limits and messages are the
//! attribute's.

use schema_sql_types::{Kind, Modifier, OTHER_TYPE_NAMES, Takes, Type};

use crate::ctxt::edit_distance;

/// PostgreSQL's limit for `varchar(n)` and `char(n)`.
const MAX_LENGTH: u32 = 10_485_760;
/// PostgreSQL's limit for `numeric(p, s)` precision, and (since PostgreSQL 15) for the
/// scale either way: from -1000 to 1000.
const MAX_PRECISION: u16 = 1000;
/// PostgreSQL's limit for the fractional seconds of `time(p)` and `timestamp(p)`.
const MAX_TIME_PRECISION: u8 = 6;

/// A parsed override: the scalar type and whether a trailing `[]` made it an array.
#[derive(Debug, PartialEq)]
pub struct Override {
    pub scalar: Type,
    pub array: bool,
    /// As written in the attribute, for messages.
    pub written: String,
}

impl Override {
    /// The types `serial` and identity columns accept.
    pub fn is_integer(&self) -> bool {
        !self.array && matches!(self.scalar, Type::Builtin(kind, _) if kind.is_integer())
    }

    /// The scalar type's name as `format_type` prints it, without modifiers
    /// (`timestamp(3) with time zone` → `timestamp with time zone`): what the field's
    /// Rust type must accept.
    pub fn base(&self) -> String {
        match &self.scalar {
            Type::Builtin(kind, _) => kind.name().to_owned(),
            Type::Other(text) => {
                let base = without_parentheses(text);
                match Kind::from_spelling(&base) {
                    Some(kind) => kind.name().to_owned(),
                    None => base,
                }
            }
        }
    }
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// `timestamp(3) with time zone` → `timestamp with time zone`, `vector(3)` → `vector`.
fn without_parentheses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses an override; the error is a complete message with a `help:` line.
pub fn parse(written: &str) -> Result<Override, String> {
    let mut text = normalize(written);
    let mut array = false;
    while let Some(stripped) = strip_array_suffix(&text) {
        text = stripped.to_owned();
        array = true;
    }
    if text.is_empty() {
        return Err(invalid(written, "expected a type name", "text"));
    }
    // `serial` and its kin are not types: PostgreSQL creates an integer column with a
    // sequence instead, and reads back `integer`, so the override would drift forever.
    if Kind::is_serial(&text) {
        return Err(serial(written));
    }
    if !balanced(&text) {
        return Err(invalid(written, "unbalanced parentheses", "numeric(12, 2)"));
    }
    // `name(args)` only when the parentheses end the type: in `timestamp(3) with time
    // zone` they are the precision of a type whose name goes on after them.
    let scalar = match text.strip_suffix(')').and_then(|t| t.split_once('(')) {
        Some((name, args)) => parameterized(written, name, args)?,
        None if text.contains('(') => with_precision(written, &text)?,
        None => plain(&text),
    };
    let parsed = Override {
        scalar,
        array,
        written: written.to_owned(),
    };
    if let Type::Other(_) = parsed.scalar {
        unknown_name(written, &parsed.base())?;
    }
    Ok(parsed)
}

/// A name the model does not know is passed through (a type of an extension or of the
/// user's own), unless it is one edit from a built-in name, or two from a longer one:
/// then it is a typo (`varchr(255)`) that would fail only at sync.
fn unknown_name(written: &str, base: &str) -> Result<(), String> {
    let known = Kind::from_name(base).is_some() || OTHER_TYPE_NAMES.contains(&base);
    if known || base.contains(['"', '.']) {
        return Ok(());
    }
    let closest = Kind::spellings()
        .chain(OTHER_TYPE_NAMES.iter().copied())
        .map(|known| (edit_distance(base, known), known))
        .filter(|&(distance, known)| distance <= if known.len() <= 5 { 1 } else { 2 })
        // Ties go to the name that ends alike: `timestampz` is `timestamptz`.
        .min_by_key(|&(distance, known)| (distance, std::cmp::Reverse(common_suffix(base, known))));
    match closest {
        Some((_, known)) => Err(format!(
            "invalid `sql_type` `{written}`: unknown type `{base}`\n\
             help: did you mean `{known}`?"
        )),
        None => Ok(()),
    }
}

fn serial(written: &str) -> String {
    format!(
        "invalid `sql_type` `{written}`: not a type but a shorthand for an integer column \
         with a sequence, which PostgreSQL reads back as an integer\n\
         help: write `#[column(serial)]` on an integer field"
    )
}

/// Every `)` closes an earlier `(`, and every `(` is closed (outside quoted names).
fn balanced(text: &str) -> bool {
    let mut depth = 0usize;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '(' => depth += 1,
            ')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

fn plain(name: &str) -> Type {
    match Kind::from_spelling(name) {
        // PostgreSQL reads a bare `char` as `character(1)`.
        Some(kind) if kind.takes() == Takes::FixedLength => {
            Type::Builtin(kind, Modifier::Length(1))
        }
        Some(kind) => Type::Builtin(kind, Modifier::None),
        None => Type::Other(name.to_owned()),
    }
}

/// `name(args)`: the length and precision forms are checked, anything else
/// (`vector(3)`) is passed through as written.
fn parameterized(written: &str, name: &str, args: &str) -> Result<Type, String> {
    let other = || Type::Other(format!("{name}({args})"));
    let Some(kind) = Kind::from_spelling(name) else {
        return Ok(other());
    };
    match kind.takes() {
        Takes::Length => {
            length(written, args, "varchar(255)").map(|n| Type::Builtin(kind, Modifier::Length(n)))
        }
        Takes::FixedLength => {
            length(written, args, "char(2)").map(|n| Type::Builtin(kind, Modifier::Length(n)))
        }
        Takes::Precision => numeric(written, kind, args),
        // The digits follow the short name (`timestamptz(3)`); after the zone words
        // (`timestamp with time zone(3)`) PostgreSQL rejects them.
        Takes::Seconds if name != kind.name() => {
            precision(written, args).map(|p| with_seconds(kind, p))
        }
        Takes::Seconds | Takes::Nothing => Ok(other()),
    }
}

/// `numeric(p)` or `numeric(p, s)`: a precision from 1 to 1000 and a scale from -1000
/// to 1000, as PostgreSQL 15 accepts (a scale above the precision or below zero rounds
/// to the left of the point: `numeric(5, -2)` holds 1234500). The model holds scales
/// from 0 up; a negative one is other text, spelled as `format_type` prints it.
fn numeric(written: &str, kind: Kind, args: &str) -> Result<Type, String> {
    let example = "numeric(12, 2)";
    let (precision, scale) = match args.split_once(',') {
        Some((p, s)) => (p, Some(s)),
        None => (args, None),
    };
    let Ok(precision) = precision.parse::<u16>() else {
        return Err(invalid(
            written,
            "expected a precision and an optional scale",
            example,
        ));
    };
    if !(1..=MAX_PRECISION).contains(&precision) {
        return Err(invalid(
            written,
            format_args!("the precision must be from 1 to {MAX_PRECISION}"),
            example,
        ));
    }
    let scale = match scale.map(str::parse::<i32>) {
        None => 0,
        Some(Ok(scale)) => scale,
        Some(Err(_)) => {
            return Err(invalid(
                written,
                "expected a precision and an optional scale",
                example,
            ));
        }
    };
    let max = i32::from(MAX_PRECISION);
    if !(-max..=max).contains(&scale) {
        return Err(invalid(
            written,
            format_args!("the scale must be from -{max} to {max}"),
            example,
        ));
    }
    Ok(match u16::try_from(scale) {
        Ok(scale) => Type::Builtin(kind, Modifier::Precision(precision, scale)),
        Err(_) => Type::Other(format!("{}({precision},{scale})", kind.name())),
    })
}

/// A type whose parentheses are not at the end: `timestamp(3) with time zone` and the
/// like are spelled as `format_type` prints them, anything else passes through.
fn with_precision(written: &str, text: &str) -> Result<Type, String> {
    let other = || Ok(Type::Other(text.to_owned()));
    let Some((name, rest)) = text.split_once('(') else {
        return other();
    };
    let Some((args, zone)) = rest.split_once(')') else {
        return other();
    };
    match Kind::from_name(&format!("{name} {}", zone.trim_start())) {
        Some(kind) if kind.takes() == Takes::Seconds => {
            precision(written, args).map(|p| with_seconds(kind, p))
        }
        _ => other(),
    }
}

/// `timestamp(3) with time zone`: how `format_type` prints a time type with a precision,
/// the digits after the first word of its name.
fn with_seconds(kind: Kind, precision: u8) -> Type {
    Type::Other(kind.name().replacen(' ', &format!("({precision}) "), 1))
}

/// The fractional-second digits of a time type.
fn precision(written: &str, args: &str) -> Result<u8, String> {
    args.parse::<u8>()
        .ok()
        .filter(|&p| p <= MAX_TIME_PRECISION)
        .ok_or_else(|| {
            invalid(
                written,
                format_args!("expected a precision from 0 to {MAX_TIME_PRECISION}"),
                "timestamp(3) with time zone",
            )
        })
}

fn length(written: &str, args: &str, example: &str) -> Result<u32, String> {
    args.parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_LENGTH).contains(n))
        .ok_or_else(|| {
            invalid(
                written,
                format_args!("expected a length from 1 to {MAX_LENGTH}"),
                example,
            )
        })
}

fn invalid(written: &str, expected: impl std::fmt::Display, example: &str) -> String {
    format!(
        "invalid `sql_type` `{written}`: {expected}\n\
         help: the correct format looks like `sql_type = \"{example}\"`"
    )
}

/// `integer[]` or `integer[3]` (PostgreSQL ignores the size) without its suffix.
fn strip_array_suffix(text: &str) -> Option<&str> {
    let inner = text.strip_suffix(']')?;
    let (base, size) = inner.rsplit_once('[')?;
    size.bytes().all(|b| b.is_ascii_digit()).then_some(base)
}

/// Lower case (except inside double-quoted identifiers) with single spaces, and no
/// spaces around punctuation but one before a word after `)`: `Numeric( 12 , 2 )`
/// reads as `numeric(12,2)`, `Timestamp (3)  With Time Zone` as
/// `timestamp(3) with time zone`.
fn normalize(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    let mut quoted = false;
    let mut pending_space = false;
    for c in written.trim().chars() {
        if quoted {
            out.push(c);
            quoted = c != '"';
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let punctuation = matches!(c, '(' | ')' | ',' | '[' | ']');
        let after_punctuation = out.ends_with(['(', ',', '[', ']']);
        if pending_space && !punctuation && !after_punctuation && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        quoted = c == '"';
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(kind: Kind, modifier: Modifier) -> Type {
        Type::Builtin(kind, modifier)
    }

    fn scalar(text: &str) -> Type {
        let parsed = parse(text).expect(text);
        assert!(!parsed.array, "{text}");
        parsed.scalar
    }

    #[test]
    fn parses_the_documented_spellings() {
        assert_eq!(
            scalar("varchar(63)"),
            builtin(Kind::Varchar, Modifier::Length(63))
        );
        assert_eq!(
            scalar("Character  Varying ( 10 )"),
            builtin(Kind::Varchar, Modifier::Length(10))
        );
        assert_eq!(scalar("char(2)"), builtin(Kind::Char, Modifier::Length(2)));
        assert_eq!(
            scalar("character"),
            builtin(Kind::Char, Modifier::Length(1))
        );
        assert_eq!(
            scalar("numeric(12, 2)"),
            builtin(Kind::Numeric, Modifier::Precision(12, 2))
        );
        assert_eq!(
            scalar("decimal(5)"),
            builtin(Kind::Numeric, Modifier::Precision(5, 0))
        );
        assert_eq!(scalar("numeric"), builtin(Kind::Numeric, Modifier::None));
        assert_eq!(
            scalar("numeric(3, 5)"),
            builtin(Kind::Numeric, Modifier::Precision(3, 5))
        );
        assert_eq!(
            scalar("numeric(5, -2)"),
            Type::Other("numeric(5,-2)".into())
        );
        assert_eq!(
            scalar("DECIMAL(1000, -1000)"),
            Type::Other("numeric(1000,-1000)".into())
        );
        assert_eq!(scalar("int"), builtin(Kind::Integer, Modifier::None));
        assert_eq!(scalar("int8"), builtin(Kind::BigInt, Modifier::None));
        assert_eq!(
            scalar("double precision"),
            builtin(Kind::DoublePrecision, Modifier::None)
        );
        assert_eq!(
            scalar("timestamp with time zone"),
            builtin(Kind::TimestampTz, Modifier::None)
        );
        assert_eq!(scalar("timetz"), builtin(Kind::TimeTz, Modifier::None));
        assert_eq!(scalar("CITEXT"), Type::Other("citext".into()));
        assert_eq!(
            scalar("public.\"MyType\""),
            Type::Other("public.\"MyType\"".into())
        );
    }

    #[test]
    fn time_precisions_are_spelled_as_format_type_prints_them() {
        for (written, printed) in [
            ("timestamp(3) with time zone", "timestamp(3) with time zone"),
            (
                "TIMESTAMP (3)  WITH TIME ZONE",
                "timestamp(3) with time zone",
            ),
            (
                "timestamp(3) without time zone",
                "timestamp(3) without time zone",
            ),
            ("time(3) with time zone", "time(3) with time zone"),
            ("time(0) without time zone", "time(0) without time zone"),
            ("timestamptz(3)", "timestamp(3) with time zone"),
            ("timestamp(6)", "timestamp(6) without time zone"),
            ("timetz(2)", "time(2) with time zone"),
            ("time(3)", "time(3) without time zone"),
        ] {
            assert_eq!(scalar(written), Type::Other(printed.into()), "{written}");
        }
        let array = parse("timestamp(3) with time zone[]").unwrap();
        assert_eq!(
            array,
            Override {
                scalar: Type::Other("timestamp(3) with time zone".into()),
                array: true,
                written: "timestamp(3) with time zone[]".into(),
            }
        );
        // Parentheses that do not end the type are passed through too.
        assert_eq!(scalar("foo(1) bar"), Type::Other("foo(1) bar".into()));
        assert_eq!(scalar("\"odd)name\""), Type::Other("\"odd)name\"".into()));
    }

    #[test]
    fn a_typo_of_a_type_name_gets_a_suggestion() {
        for (typo, meant) in [
            ("varchr(255)", "varchar"),
            ("timestampz", "timestamptz"),
            ("intger[]", "integer"),
            ("bolean", "boolean"),
        ] {
            let error = parse(typo).expect_err(typo);
            assert!(
                error.contains(&format!("did you mean `{meant}`?")),
                "{error}"
            );
        }
        for fine in [
            "citext",
            "hstore",
            "vector(3)",
            "mood",
            "public.test",
            "\"Test\"",
        ] {
            assert!(parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn rejects_serial_pseudo_types() {
        for bad in ["serial", "BigSerial", "smallserial", "serial8", "serial[]"] {
            let error = parse(bad).expect_err(bad);
            assert!(
                error.contains("help: write `#[column(serial)]` on an integer field"),
                "{error}"
            );
        }
    }

    #[test]
    fn trailing_brackets_make_an_array() {
        let parsed = parse("text []").unwrap();
        assert_eq!(
            parsed,
            Override {
                scalar: builtin(Kind::Text, Modifier::None),
                array: true,
                written: "text []".into(),
            }
        );
        assert!(parse("integer[3]").unwrap().array);
    }

    #[test]
    fn rejects_malformed_parameters() {
        for bad in [
            "varchar(abc)",
            "varchar(0)",
            "char()",
            "numeric(1,2,3)",
            "numeric(0)",
            "numeric(1001)",
            "numeric(5, 1001)",
            "numeric(5, -1001)",
            "numeric(5, x)",
            "numeric(12",
            "numeric)12(",
            "timestamp(7) with time zone",
            "timestamptz(x)",
            "",
            "[]",
        ] {
            let error = parse(bad).expect_err(bad);
            assert!(
                error.contains("help: the correct format looks like"),
                "{error}"
            );
        }
    }
}
