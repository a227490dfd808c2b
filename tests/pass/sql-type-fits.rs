//! Overrides the field types accept: the `postgres-types` pairs, a type of one's own
//! that widens its list, an enum under its own name, and a type without `SqlTyped`,
//! which takes its column type from the override alone.
use schema_core::{SqlEnum, SqlType, SqlTyped, Table};

/// Stored as text or as a PostgreSQL `money`.
pub struct Amount;

impl SqlTyped for Amount {
    const SQL_TYPE: SqlType = SqlType::Text;
    const ALSO_ACCEPTS: &'static [&'static str] = &["money"];
    type Base = Self;
}

/// A type the library has no mapping for.
pub struct Embedding;

#[derive(SqlEnum)]
pub enum Level {
    Low,
    High,
}

#[derive(Table)]
#[table(name = "accounts")]
pub struct Account {
    #[column(primary_key)]
    pub id: i64,
    #[column(sql_type = "varchar(20)")]
    pub code: String,
    #[column(sql_type = "char(2)")]
    pub country: Option<String>,
    #[column(sql_type = "citext")]
    pub email: String,
    #[column(sql_type = "name")]
    pub role: String,
    #[column(sql_type = "varchar(30)[]")]
    pub tags: Vec<String>,
    #[column(sql_type = "json")]
    pub raw: Option<serde_json::Value>,
    #[column(sql_type = "numeric(12, 2)")]
    pub balance: rust_decimal::Decimal,
    #[column(sql_type = "timestamp(3) with time zone")]
    pub opened_at: chrono::DateTime<chrono::Utc>,
    #[column(sql_type = "int8")]
    pub version: i64,
    #[column(sql_type = "money")]
    pub limit: Amount,
    #[column(sql_type = "level")]
    pub level: Level,
    #[column(sql_type = "vector(3)")]
    pub embedding: Embedding,
}

fn main() {}
