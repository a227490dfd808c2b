use chrono::{DateTime, Utc};
use schema_core::Table;

#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[column(primary_key)]
    pub id: i64,
    #[column(sql_type = "varchar(20)")]
    pub number: i64,
    #[column(sql_type = "integer")]
    pub code: String,
    #[column(sql_type = "double precision")]
    pub total: Option<rust_decimal::Decimal>,
    #[column(sql_type = "timestamp(3)")]
    pub placed_at: DateTime<Utc>,
}

fn main() {}
