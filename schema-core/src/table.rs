//! The traits the derives implement: [`Table`] for a struct, [`View`] for a view's
//! marker type, [`SqlTyped`] for a field type, [`SchemaSet`] for a list of tables.

use crate::model::{EnumDef, SqlType, TableDef, Text, ViewDef};

/// A table declared with `#[derive(Table)]`.
///
/// Implemented by the derive; the associated items are what other tables' foreign keys
/// and the schema set read at compile time.
pub trait Table {
    /// The table's SQL name.
    const NAME: &'static str;
    /// The table's PostgreSQL schema, if the declaration names one.
    const SCHEMA: Option<&'static str>;
    /// The primary key's columns, in key order (empty when the table has none).
    const PRIMARY_KEY: &'static [Text];
    /// Enum types used by the columns (each column's [`SqlTyped::ENUM`]).
    const ENUMS: &'static [Option<EnumDef>];
    /// The full descriptor.
    const DEF: TableDef;
    /// The Rust type of the primary key (a tuple for composite keys, `()` for none):
    /// a foreign key column must have the same type, which the compiler checks.
    type PrimaryKey;
}

/// A view declared with `#[derive(View)]`, listed in a schema set with `views = [...]`.
pub trait View {
    /// The full descriptor.
    const DEF: ViewDef;
}

/// A Rust type that maps to a PostgreSQL column type.
///
/// Implement it for your own types to use them as fields; `#[derive(SqlEnum)]`
/// implements it for Rust enums.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no PostgreSQL column type",
    label = "no SQL type is known for this field",
    note = "implement `schema_core::SqlTyped` for `{Self}`, derive `SqlEnum` if it is a fieldless enum, or name the type with `#[column(sql_type = \"...\")]`"
)]
pub trait SqlTyped {
    /// The column's scalar type.
    const SQL_TYPE: SqlType;
    /// `true` when the column is an array of [`Self::SQL_TYPE`].
    const ARRAY: bool = false;
    /// `true` when the column accepts `NULL` (only `Option<T>` says so).
    const NULLABLE: bool = false;
    /// The enum type the column needs created first, if any.
    const ENUM: Option<EnumDef> = None;
    /// The other SQL types, besides [`Self::SQL_TYPE`], that the type can be read from
    /// and written to, named as `format_type` prints them without modifiers
    /// (`"character varying"`, `"citext"`): what `#[column(sql_type = "...")]` may
    /// name on a field of this type. Any other override fails the build.
    const ALSO_ACCEPTS: &'static [&'static str] = &[];
    /// The type with `Option` removed. `Vec<T>` requires `T::Base = T`, which keeps
    /// `Vec<Option<T>>` (an array with NULL elements) out. Write `type Base = Self;` for
    /// your own types.
    type Base: ?Sized;
}

/// A set of tables managed together (`schema_set!(pub AllTables = [Tenant, User])`).
pub trait SchemaSet {
    /// The descriptor of every table in the set, checked at compile time.
    const EXPECTED_SCHEMA: crate::ExpectedSchema;
}

macro_rules! sql_typed {
    ($($ty:ty => $sql:expr $(, also $also:expr)?);* $(;)?) => {$(
        impl SqlTyped for $ty {
            const SQL_TYPE: SqlType = $sql;
            $(const ALSO_ACCEPTS: &'static [&'static str] = $also;)?
            type Base = $ty;
        }
    )*};
}

// The lists follow the `FromSql`/`ToSql` pairs of `postgres-types`.

sql_typed! {
    bool => SqlType::Boolean;
    i16 => SqlType::SmallInt;
    i32 => SqlType::Integer;
    i64 => SqlType::BigInt;
    f32 => SqlType::Real;
    f64 => SqlType::DoublePrecision;
    String => SqlType::Text, also &[
        "character varying",
        "character",
        "name",
        "citext",
        "ltree",
        "lquery",
        "ltxtquery",
    ];
    char => SqlType::Char(1);
    Vec<u8> => SqlType::Bytea;
    std::net::IpAddr => SqlType::Inet;
}

#[cfg(feature = "chrono")]
sql_typed! {
    chrono::NaiveDate => SqlType::Date;
    chrono::NaiveTime => SqlType::Time;
    chrono::NaiveDateTime => SqlType::Timestamp;
    chrono::DateTime<chrono::Utc> => SqlType::TimestampTz;
    chrono::DateTime<chrono::FixedOffset> => SqlType::TimestampTz;
    chrono::DateTime<chrono::Local> => SqlType::TimestampTz;
}

#[cfg(feature = "uuid")]
sql_typed! { uuid::Uuid => SqlType::Uuid }

#[cfg(feature = "json")]
sql_typed! { serde_json::Value => SqlType::Jsonb, also &["json"] }

#[cfg(feature = "decimal")]
sql_typed! { rust_decimal::Decimal => SqlType::Numeric(None) }

impl<T: SqlTyped> SqlTyped for Option<T> {
    const SQL_TYPE: SqlType = T::SQL_TYPE;
    const ARRAY: bool = T::ARRAY;
    const NULLABLE: bool = true;
    const ENUM: Option<EnumDef> = T::ENUM;
    const ALSO_ACCEPTS: &'static [&'static str] = T::ALSO_ACCEPTS;
    type Base = T::Base;
}

/// `Vec<T>` is a PostgreSQL array of `T` (except `Vec<u8>`, which is `bytea`).
impl<T: SqlTyped<Base = T>> SqlTyped for Vec<T> {
    const SQL_TYPE: SqlType = T::SQL_TYPE;
    const ARRAY: bool = true;
    const ENUM: Option<EnumDef> = T::ENUM;
    const ALSO_ACCEPTS: &'static [&'static str] = T::ALSO_ACCEPTS;
    type Base = Vec<T>;
}
