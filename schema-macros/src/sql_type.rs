//! `#[column(sql_type = "...")]`: the override string parsed into the model's `SqlType`
//! at compile time, so a typo such as `varchar(abc)` fails the build instead of the sync.

/// PostgreSQL's limit for `varchar(n)` and `char(n)`.
const MAX_LENGTH: u32 = 10_485_760;
/// PostgreSQL's limit for `numeric(p, s)` precision and scale.
const MAX_PRECISION: u16 = 1000;
/// PostgreSQL's limit for the fractional seconds of `time(p)` and `timestamp(p)`.
const MAX_TIME_PRECISION: u8 = 6;

/// A parsed override: the scalar type and whether a trailing `[]` made it an array.
#[derive(Debug, PartialEq)]
pub struct Override {
    pub scalar: Scalar,
    pub array: bool,
}

/// Mirrors `schema_core::SqlType` (minus enums, which come from `#[derive(SqlEnum)]`).
#[derive(Debug, PartialEq)]
pub enum Scalar {
    Boolean,
    SmallInt,
    Integer,
    BigInt,
    Real,
    DoublePrecision,
    Numeric(Option<(u16, u16)>),
    Text,
    Varchar(Option<u32>),
    Char(u32),
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
    Other(String),
}

impl Scalar {
    /// The types `serial` and identity columns accept.
    pub fn is_integer(&self) -> bool {
        matches!(self, Scalar::SmallInt | Scalar::Integer | Scalar::BigInt)
    }
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
    if is_serial(&text) {
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
    Ok(Override { scalar, array })
}

/// `serial` and its kin are not types: PostgreSQL creates an integer column with a
/// sequence instead, and reads back `integer`, so the override would drift forever.
fn is_serial(text: &str) -> bool {
    matches!(
        text,
        "serial" | "serial4" | "bigserial" | "serial8" | "smallserial" | "serial2"
    )
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

fn plain(name: &str) -> Scalar {
    match name {
        "boolean" | "bool" => Scalar::Boolean,
        "smallint" | "int2" => Scalar::SmallInt,
        "integer" | "int" | "int4" => Scalar::Integer,
        "bigint" | "int8" => Scalar::BigInt,
        "real" | "float4" => Scalar::Real,
        "double precision" | "float8" => Scalar::DoublePrecision,
        "numeric" | "decimal" => Scalar::Numeric(None),
        "text" => Scalar::Text,
        "varchar" | "character varying" => Scalar::Varchar(None),
        // PostgreSQL reads a bare `char` as `character(1)`.
        "char" | "character" => Scalar::Char(1),
        "bytea" => Scalar::Bytea,
        "date" => Scalar::Date,
        "time" | "time without time zone" => Scalar::Time,
        "timetz" | "time with time zone" => Scalar::TimeTz,
        "timestamp" | "timestamp without time zone" => Scalar::Timestamp,
        "timestamptz" | "timestamp with time zone" => Scalar::TimestampTz,
        "interval" => Scalar::Interval,
        "uuid" => Scalar::Uuid,
        "json" => Scalar::Json,
        "jsonb" => Scalar::Jsonb,
        "inet" => Scalar::Inet,
        "cidr" => Scalar::Cidr,
        "macaddr" => Scalar::MacAddr,
        other => Scalar::Other(other.to_owned()),
    }
}

/// `name(args)`: the length and precision forms are checked, anything else
/// (`vector(3)`) is passed through as written.
fn parameterized(written: &str, name: &str, args: &str) -> Result<Scalar, String> {
    match name {
        "varchar" | "character varying" => {
            length(written, args, "varchar(255)").map(|n| Scalar::Varchar(Some(n)))
        }
        "char" | "character" => length(written, args, "char(2)").map(Scalar::Char),
        "numeric" | "decimal" => {
            let (precision, scale) = match args.split_once(',') {
                Some((p, s)) => (p, Some(s)),
                None => (args, None),
            };
            let number = |text: &str| {
                text.parse::<u16>()
                    .ok()
                    .filter(|&n| n <= MAX_PRECISION)
                    .ok_or_else(|| {
                        invalid(
                            written,
                            "expected a precision and an optional scale, each at most 1000",
                            "numeric(12, 2)",
                        )
                    })
            };
            let precision = number(precision)?;
            let scale = scale.map(number).transpose()?.unwrap_or(0);
            if precision == 0 {
                return Err(invalid(
                    written,
                    "the precision must be at least 1",
                    "numeric(12, 2)",
                ));
            }
            Ok(Scalar::Numeric(Some((precision, scale))))
        }
        "timestamp" | "time" => {
            precision(written, args).map(|p| with_zone(name, p, "without time zone"))
        }
        "timestamptz" => {
            precision(written, args).map(|p| with_zone("timestamp", p, "with time zone"))
        }
        "timetz" => precision(written, args).map(|p| with_zone("time", p, "with time zone")),
        _ => Ok(Scalar::Other(format!("{name}({args})"))),
    }
}

/// A type whose parentheses are not at the end: `timestamp(3) with time zone` and the
/// like are spelled as `format_type` prints them, anything else passes through.
fn with_precision(written: &str, text: &str) -> Result<Scalar, String> {
    let Some((name, rest)) = text.split_once('(') else {
        return Ok(Scalar::Other(text.to_owned()));
    };
    let Some((args, zone)) = rest.split_once(')') else {
        return Ok(Scalar::Other(text.to_owned()));
    };
    let zone = zone.trim_start();
    match (name, zone) {
        ("timestamp" | "time", "with time zone" | "without time zone") => {
            precision(written, args).map(|p| with_zone(name, p, zone))
        }
        _ => Ok(Scalar::Other(text.to_owned())),
    }
}

/// `timestamp(3) with time zone`: how `format_type` prints a time type with a precision.
fn with_zone(name: &str, precision: u8, zone: &str) -> Scalar {
    Scalar::Other(format!("{name}({precision}) {zone}"))
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

    fn scalar(text: &str) -> Scalar {
        let parsed = parse(text).expect(text);
        assert!(!parsed.array, "{text}");
        parsed.scalar
    }

    #[test]
    fn parses_the_documented_spellings() {
        assert_eq!(scalar("varchar(63)"), Scalar::Varchar(Some(63)));
        assert_eq!(
            scalar("Character  Varying ( 10 )"),
            Scalar::Varchar(Some(10))
        );
        assert_eq!(scalar("char(2)"), Scalar::Char(2));
        assert_eq!(scalar("character"), Scalar::Char(1));
        assert_eq!(scalar("numeric(12, 2)"), Scalar::Numeric(Some((12, 2))));
        assert_eq!(scalar("decimal(5)"), Scalar::Numeric(Some((5, 0))));
        assert_eq!(scalar("numeric"), Scalar::Numeric(None));
        assert_eq!(scalar("int"), Scalar::Integer);
        assert_eq!(scalar("int8"), Scalar::BigInt);
        assert_eq!(scalar("double precision"), Scalar::DoublePrecision);
        assert_eq!(scalar("timestamp with time zone"), Scalar::TimestampTz);
        assert_eq!(scalar("timetz"), Scalar::TimeTz);
        assert_eq!(scalar("CITEXT"), Scalar::Other("citext".into()));
        assert_eq!(
            scalar("public.\"MyType\""),
            Scalar::Other("public.\"MyType\"".into())
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
            assert_eq!(scalar(written), Scalar::Other(printed.into()), "{written}");
        }
        let array = parse("timestamp(3) with time zone[]").unwrap();
        assert_eq!(
            array,
            Override {
                scalar: Scalar::Other("timestamp(3) with time zone".into()),
                array: true
            }
        );
        // Parentheses that do not end the type are passed through too.
        assert_eq!(scalar("foo(1) bar"), Scalar::Other("foo(1) bar".into()));
        assert_eq!(scalar("\"odd)name\""), Scalar::Other("\"odd)name\"".into()));
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
                scalar: Scalar::Text,
                array: true
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
