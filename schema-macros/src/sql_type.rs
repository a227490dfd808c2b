//! `#[column(sql_type = "...")]`: the override string parsed into the model's `SqlType`
//! at compile time, so a typo such as `varchar(abc)` fails the build instead of the sync.

/// PostgreSQL's limit for `varchar(n)` and `char(n)`.
const MAX_LENGTH: u32 = 10_485_760;
/// PostgreSQL's limit for `numeric(p, s)` precision and scale.
const MAX_PRECISION: u16 = 1000;

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
    let scalar = match text.split_once('(') {
        Some((name, rest)) => {
            let Some(args) = rest.strip_suffix(')') else {
                return Err(invalid(written, "unbalanced parentheses", "numeric(12, 2)"));
            };
            parameterized(written, name, args)?
        }
        None => plain(&text),
    };
    Ok(Override { scalar, array })
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
/// (`timestamp(3)`, `vector(3)`) is passed through as written.
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
        _ => Ok(Scalar::Other(format!("{name}({args})"))),
    }
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
/// spaces around punctuation: `Numeric( 12 , 2 )` reads as `numeric(12,2)`.
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
        let after_punctuation = out.ends_with(['(', ')', ',', '[', ']']);
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
        assert_eq!(scalar("timestamp(3)"), Scalar::Other("timestamp(3)".into()));
        assert_eq!(
            scalar("public.\"MyType\""),
            Scalar::Other("public.\"MyType\"".into())
        );
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
