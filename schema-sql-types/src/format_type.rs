//! The text of PostgreSQL's `format_type`: what DDL writes for a built-in type and how
//! the server's text reads back.
//!
//! `format_type` prints built-in types by their SQL-standard names and qualifies a
//! user-defined type whenever it is not visible on the search path, so a user type
//! called `uuid` in some schema never reads as the built-in one. Anything with a
//! modifier the model cannot hold (`timestamp(3) with time zone`, `interval day`,
//! unbounded `bpchar`) stays [`Type::Other`] with the server's text.

use crate::{Kind, Modifier, Takes, Type};

/// A built-in type as `format_type` prints it.
pub fn format_type(kind: Kind, modifier: Modifier) -> String {
    let name = kind.name();
    match modifier {
        Modifier::None => name.to_owned(),
        Modifier::Length(n) => format!("{name}({n})"),
        Modifier::Precision(p, s) => format!("{name}({p},{s})"),
    }
}

/// The type `format_type` printed `text` for (not an enum, not an array).
pub fn read_format_type(text: &str) -> Type {
    builtin(text).unwrap_or_else(|| Type::Other(text.to_owned()))
}

fn builtin(text: &str) -> Option<Type> {
    let Some((name, args)) = text.strip_suffix(')').and_then(|t| t.split_once('(')) else {
        let kind = Kind::from_name(text)?;
        return (kind.takes() != Takes::FixedLength).then_some(Type::Builtin(kind, Modifier::None));
    };
    let kind = Kind::from_name(name)?;
    let modifier = match kind.takes() {
        Takes::Length | Takes::FixedLength => Modifier::Length(args.parse().ok()?),
        Takes::Precision => {
            let (precision, scale) = args.split_once(',')?;
            Modifier::Precision(precision.trim().parse().ok()?, scale.trim().parse().ok()?)
        }
        Takes::Nothing | Takes::Seconds => return None,
    };
    Some(Type::Builtin(kind, modifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(kind: Kind, modifier: Modifier) -> Type {
        Type::Builtin(kind, modifier)
    }

    #[test]
    fn built_in_names() {
        assert_eq!(
            read_format_type("integer"),
            builtin(Kind::Integer, Modifier::None)
        );
        assert_eq!(
            read_format_type("time with time zone"),
            builtin(Kind::TimeTz, Modifier::None)
        );
        assert_eq!(
            read_format_type("timestamp without time zone"),
            builtin(Kind::Timestamp, Modifier::None)
        );
        assert_eq!(
            read_format_type("character varying"),
            builtin(Kind::Varchar, Modifier::None)
        );
    }

    #[test]
    fn modifiers() {
        assert_eq!(
            read_format_type("numeric(10,2)"),
            builtin(Kind::Numeric, Modifier::Precision(10, 2))
        );
        assert_eq!(
            read_format_type("character varying(255)"),
            builtin(Kind::Varchar, Modifier::Length(255))
        );
        assert_eq!(
            read_format_type("character(3)"),
            builtin(Kind::Char, Modifier::Length(3))
        );
    }

    #[test]
    fn everything_else_keeps_the_server_text() {
        for text in [
            "timestamp(3) with time zone",
            "bpchar",
            "character",
            "tsvector",
            "app.uuid",
            "numeric(10)",
            "integer(3)",
            "bit(3)",
        ] {
            assert_eq!(read_format_type(text), Type::Other(text.to_owned()));
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        for (kind, modifier) in [
            (Kind::DoublePrecision, Modifier::None),
            (Kind::Numeric, Modifier::None),
            (Kind::Numeric, Modifier::Precision(12, 2)),
            (Kind::Varchar, Modifier::Length(63)),
            (Kind::Char, Modifier::Length(1)),
            (Kind::TimestampTz, Modifier::None),
        ] {
            let text = format_type(kind, modifier);
            assert_eq!(read_format_type(&text), builtin(kind, modifier), "{text}");
        }
    }
}
