//! `format_type` text → [`SqlType`].
//!
//! `format_type` prints built-in types by their SQL-standard names and qualifies a
//! user-defined type whenever it is not visible on the search path, so a user type
//! called `uuid` in some schema never reads as the built-in one. Anything with a
//! modifier the model cannot hold (`timestamp(3) with time zone`, `interval day`,
//! unbounded `bpchar`) stays [`SqlType::Other`] with the server's text.

use std::borrow::Cow;

use crate::model::SqlType;

/// The model type for a non-enum, non-array type as `format_type` prints it.
pub(crate) fn sql_type(text: &str) -> SqlType {
    match text {
        "boolean" => SqlType::Boolean,
        "smallint" => SqlType::SmallInt,
        "integer" => SqlType::Integer,
        "bigint" => SqlType::BigInt,
        "real" => SqlType::Real,
        "double precision" => SqlType::DoublePrecision,
        "numeric" => SqlType::Numeric(None),
        "text" => SqlType::Text,
        "character varying" => SqlType::Varchar(None),
        "bytea" => SqlType::Bytea,
        "date" => SqlType::Date,
        "time without time zone" => SqlType::Time,
        "time with time zone" => SqlType::TimeTz,
        "timestamp without time zone" => SqlType::Timestamp,
        "timestamp with time zone" => SqlType::TimestampTz,
        "interval" => SqlType::Interval,
        "uuid" => SqlType::Uuid,
        "json" => SqlType::Json,
        "jsonb" => SqlType::Jsonb,
        "inet" => SqlType::Inet,
        "cidr" => SqlType::Cidr,
        "macaddr" => SqlType::MacAddr,
        _ => with_modifier(text).unwrap_or_else(|| SqlType::Other(Cow::Owned(text.to_owned()))),
    }
}

/// `numeric(p,s)`, `character varying(n)` and `character(n)`.
fn with_modifier(text: &str) -> Option<SqlType> {
    let (base, args) = text.strip_suffix(')')?.split_once('(')?;
    match base {
        "numeric" => {
            let (precision, scale) = args.split_once(',')?;
            Some(SqlType::Numeric(Some((
                precision.trim().parse().ok()?,
                scale.trim().parse().ok()?,
            ))))
        }
        "character varying" => Some(SqlType::Varchar(Some(args.parse().ok()?))),
        "character" => Some(SqlType::Char(args.parse().ok()?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_names() {
        assert_eq!(sql_type("integer"), SqlType::Integer);
        assert_eq!(sql_type("time with time zone"), SqlType::TimeTz);
        assert_eq!(sql_type("timestamp without time zone"), SqlType::Timestamp);
        assert_eq!(sql_type("character varying"), SqlType::Varchar(None));
    }

    #[test]
    fn modifiers() {
        assert_eq!(sql_type("numeric(10,2)"), SqlType::Numeric(Some((10, 2))));
        assert_eq!(
            sql_type("character varying(255)"),
            SqlType::Varchar(Some(255))
        );
        assert_eq!(sql_type("character(3)"), SqlType::Char(3));
    }

    #[test]
    fn everything_else_keeps_the_server_text() {
        for text in [
            "timestamp(3) with time zone",
            "bpchar",
            "tsvector",
            "app.uuid",
            "numeric(10)",
            "bit(3)",
        ] {
            assert_eq!(sql_type(text), SqlType::Other(Cow::Owned(text.to_owned())));
        }
    }
}
