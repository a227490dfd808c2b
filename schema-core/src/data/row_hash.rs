//! What a comparison hashes for each row: every compared column in its binary `send`
//! form, the form binary `COPY` uses, gathered in a record that
//! `hash_record_extended` (PostgreSQL 14+) hashes, once per seed.
//!
//! The binary form is a function of the value, as the text form is, and the two tell
//! the same values apart: `1.0` and `1.00` (the scale is sent), `1 day` and `24:00:00`
//! (days and time are sent apart), `{a}` and `[2:2]={a}` (bounds are sent). It costs
//! the server far less than printing text, which was most of a comparison's time. The
//! exceptions go through text, so that rows still compare as their text does: floats
//! (NaN has many bit patterns and one text), numerics (their text is the reference),
//! enum arrays (an array's binary form names its element type by OID, and an enum's
//! OID differs between databases) and types the model does not know.
//!
//! Each field is hashed as bytes (`bytea`'s hash, 64 bits, seeded) and the record
//! combines the fields by position, a NULL field counting as 0: a changed row hashes
//! alike under both seeds only by chance.

use crate::ddl::ident;
use crate::model::{ColumnDef, SqlType};

/// The record of `columns` hashed for each row.
pub(crate) fn record(columns: &[&ColumnDef]) -> String {
    let fields: Vec<String> = columns.iter().map(|c| field(c)).collect();
    format!("row({})", fields.join(", "))
}

/// One column as `bytea`.
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
        SqlType::Boolean => "boolsend",
        SqlType::SmallInt => "int2send",
        SqlType::Integer => "int4send",
        SqlType::BigInt => "int8send",
        SqlType::Text => "textsend",
        SqlType::Varchar(_) => "varcharsend",
        SqlType::Char(_) => "bpcharsend",
        SqlType::Bytea => "byteasend",
        SqlType::Date => "date_send",
        SqlType::Time => "time_send",
        SqlType::TimeTz => "timetz_send",
        SqlType::Timestamp => "timestamp_send",
        SqlType::TimestampTz => "timestamptz_send",
        SqlType::Interval => "interval_send",
        SqlType::Uuid => "uuid_send",
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
