//! [`SqlType`] in the terms of `schema_sql_types`, where the names of the built-in types
//! are spelled once for the derives and for run time.

use std::borrow::Cow;

use schema_sql_types::{Kind, Modifier, Type, read_format_type};

use super::{EnumDef, SqlType};

/// How a type is named: a built-in kind, an enum (named by its schema), or other text.
pub(crate) enum Spelling<'a> {
    Builtin(Kind, Modifier),
    Enum(&'a EnumDef),
    Other(&'a str),
}

impl SqlType {
    /// The model's value for a built-in type. The derives' generated code calls it in
    /// `const` context, so the macro crate never spells `SqlType`'s variants.
    #[doc(hidden)]
    pub const fn builtin(kind: Kind, modifier: Modifier) -> SqlType {
        let length = match modifier {
            Modifier::Length(n) => Some(n),
            Modifier::None | Modifier::Precision(..) => None,
        };
        match kind {
            Kind::Boolean => SqlType::Boolean,
            Kind::SmallInt => SqlType::SmallInt,
            Kind::Integer => SqlType::Integer,
            Kind::BigInt => SqlType::BigInt,
            Kind::Real => SqlType::Real,
            Kind::DoublePrecision => SqlType::DoublePrecision,
            Kind::Numeric => SqlType::Numeric(match modifier {
                Modifier::Precision(p, s) => Some((p, s)),
                Modifier::None | Modifier::Length(_) => None,
            }),
            Kind::Text => SqlType::Text,
            Kind::Varchar => SqlType::Varchar(length),
            // PostgreSQL reads a bare `char` as `character(1)`.
            Kind::Char => SqlType::Char(match length {
                Some(n) => n,
                None => 1,
            }),
            Kind::Bytea => SqlType::Bytea,
            Kind::Date => SqlType::Date,
            Kind::Time => SqlType::Time,
            Kind::TimeTz => SqlType::TimeTz,
            Kind::Timestamp => SqlType::Timestamp,
            Kind::TimestampTz => SqlType::TimestampTz,
            Kind::Interval => SqlType::Interval,
            Kind::Uuid => SqlType::Uuid,
            Kind::Json => SqlType::Json,
            Kind::Jsonb => SqlType::Jsonb,
            Kind::Inet => SqlType::Inet,
            Kind::Cidr => SqlType::Cidr,
            Kind::MacAddr => SqlType::MacAddr,
        }
    }

    /// The type `format_type` printed `text` for (not an enum, not an array).
    pub(crate) fn from_format_type(text: &str) -> SqlType {
        match read_format_type(text) {
            Type::Builtin(kind, modifier) => SqlType::builtin(kind, modifier),
            Type::Other(text) => SqlType::Other(Cow::Owned(text)),
        }
    }

    pub(crate) fn spelling(&self) -> Spelling<'_> {
        let builtin = |kind| Spelling::Builtin(kind, Modifier::None);
        match self {
            SqlType::Boolean => builtin(Kind::Boolean),
            SqlType::SmallInt => builtin(Kind::SmallInt),
            SqlType::Integer => builtin(Kind::Integer),
            SqlType::BigInt => builtin(Kind::BigInt),
            SqlType::Real => builtin(Kind::Real),
            SqlType::DoublePrecision => builtin(Kind::DoublePrecision),
            SqlType::Numeric(None) => builtin(Kind::Numeric),
            SqlType::Numeric(Some((p, s))) => {
                Spelling::Builtin(Kind::Numeric, Modifier::Precision(*p, *s))
            }
            SqlType::Text => builtin(Kind::Text),
            SqlType::Varchar(None) => builtin(Kind::Varchar),
            SqlType::Varchar(Some(n)) => Spelling::Builtin(Kind::Varchar, Modifier::Length(*n)),
            SqlType::Char(n) => Spelling::Builtin(Kind::Char, Modifier::Length(*n)),
            SqlType::Bytea => builtin(Kind::Bytea),
            SqlType::Date => builtin(Kind::Date),
            SqlType::Time => builtin(Kind::Time),
            SqlType::TimeTz => builtin(Kind::TimeTz),
            SqlType::Timestamp => builtin(Kind::Timestamp),
            SqlType::TimestampTz => builtin(Kind::TimestampTz),
            SqlType::Interval => builtin(Kind::Interval),
            SqlType::Uuid => builtin(Kind::Uuid),
            SqlType::Json => builtin(Kind::Json),
            SqlType::Jsonb => builtin(Kind::Jsonb),
            SqlType::Inet => builtin(Kind::Inet),
            SqlType::Cidr => builtin(Kind::Cidr),
            SqlType::MacAddr => builtin(Kind::MacAddr),
            SqlType::Enum(def) => Spelling::Enum(def),
            SqlType::Other(text) => Spelling::Other(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_reads_as_the_model_type() {
        assert_eq!(SqlType::from_format_type("integer"), SqlType::Integer);
        assert_eq!(
            SqlType::from_format_type("numeric(10,2)"),
            SqlType::Numeric(Some((10, 2)))
        );
        assert_eq!(SqlType::from_format_type("character(3)"), SqlType::Char(3));
        assert_eq!(
            SqlType::from_format_type("app.uuid"),
            SqlType::Other(Cow::Borrowed("app.uuid"))
        );
    }

    #[test]
    fn a_built_in_type_is_the_value_its_spelling_builds() {
        for ty in [
            SqlType::Boolean,
            SqlType::Numeric(None),
            SqlType::Numeric(Some((12, 2))),
            SqlType::Varchar(None),
            SqlType::Varchar(Some(63)),
            SqlType::Char(1),
            SqlType::MacAddr,
        ] {
            let Spelling::Builtin(kind, modifier) = ty.spelling() else {
                panic!("{ty:?} is built in");
            };
            assert_eq!(SqlType::builtin(kind, modifier), ty);
        }
    }
}
