//! What a comparison hashes for each row: every compared column gathered in a record
//! that `hash_record_extended` (PostgreSQL 14+) hashes to 64 bits.
//!
//! Each field is chosen so that two values hash alike only when their text is the
//! same, the form rows are compared in:
//!
//! - Booleans, 16- and 32-bit integers, dates, UUIDs, `bytea` and strings (under
//!   `COLLATE "C"`, so bytes and never a collation's equality) are hashed as they are:
//!   their own hash functions read the whole value, and cost least.
//! - Other types go in their binary `send` form, as bytes. The send form is a function
//!   of the value, as the text is, and tells the same values apart: `1 day` and
//!   `24:00:00` (days and time are sent apart), `{a}` and `[2:2]={a}` (bounds are
//!   sent), and every bit of a 64-bit integer or timestamp, whose own hash folds 64
//!   bits into 32 (`1` and `4294967296` would hash alike).
//! - Floats, numerics, enum arrays and types the model does not know go through their
//!   text: NaN has many bit patterns and one text, `1.0` and `1.00` are equal numerics
//!   with different texts, and an array's binary form names an enum element type by
//!   OID, which differs between databases.
//!
//! The record combines the field hashes by position, a NULL field counting as 0, so a
//! changed row hashes alike only by chance.

use crate::ddl::ident;
use crate::model::{ColumnDef, SqlType};

/// The 64-bit hash of `columns` for each row, as an `int8` expression.
pub(crate) fn row_hash(columns: &[&ColumnDef]) -> String {
    if columns.is_empty() {
        return "0::int8".to_owned();
    }
    let fields: Vec<String> = columns.iter().map(|c| field(c)).collect();
    format!(
        "pg_catalog.hash_record_extended(row({}), 0)",
        fields.join(", ")
    )
}

/// One column as the record holds it.
fn field(c: &ColumnDef) -> String {
    let name = ident(&c.name);
    let text = || format!("pg_catalog.textsend({name}::text)");
    if c.array {
        return match c.sql_type {
            SqlType::Enum(_)
            | SqlType::Real
            | SqlType::DoublePrecision
            | SqlType::Numeric(_)
            | SqlType::Other(_) => format!("pg_catalog.array_send({name}::text[])"),
            _ => format!("pg_catalog.array_send({name})"),
        };
    }
    let send = match c.sql_type {
        SqlType::Boolean
        | SqlType::SmallInt
        | SqlType::Integer
        | SqlType::Bytea
        | SqlType::Date
        | SqlType::Uuid => return name,
        SqlType::Text | SqlType::Varchar(_) => return format!("({name} COLLATE \"C\")"),
        SqlType::BigInt => "int8send",
        SqlType::Char(_) => "bpcharsend",
        SqlType::Time => "time_send",
        SqlType::TimeTz => "timetz_send",
        SqlType::Timestamp => "timestamp_send",
        SqlType::TimestampTz => "timestamptz_send",
        SqlType::Interval => "interval_send",
        SqlType::Json => "json_send",
        SqlType::Jsonb => "jsonb_send",
        SqlType::Inet => "inet_send",
        SqlType::Cidr => "cidr_send",
        SqlType::MacAddr => "macaddr_send",
        SqlType::Enum(_) => "enum_send",
        SqlType::Real | SqlType::DoublePrecision | SqlType::Numeric(_) | SqlType::Other(_) => {
            return text();
        }
    };
    format!("pg_catalog.{send}({name})")
}
