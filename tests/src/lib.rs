//! Integration tests live in tests/. This library holds what several of them share.

use schema_core::{SqlType, SqlTyped};

/// A column value the tests only store and compare, never decode in Rust: one field
/// type for the column types `chrono` and `std` have none for (`time with time zone`,
/// `interval`, `cidr`, `macaddr`, and `numeric` kept as text), which each field names with `sql_type`. It lists
/// them in `ALSO_ACCEPTS`, as any type of one's own can.
pub struct Untyped;

impl SqlTyped for Untyped {
    const SQL_TYPE: SqlType = SqlType::Text;
    const ALSO_ACCEPTS: &'static [&'static str] = &[
        "time with time zone",
        "interval",
        "cidr",
        "macaddr",
        "numeric",
    ];
    type Base = Self;
}
