//! PostgreSQL 15 accepts a negative scale and a scale above the precision.
use schema_core::Table;

#[derive(Table)]
#[table(name = "readings")]
pub struct Reading {
    #[column(primary_key)]
    pub id: i32,
    #[column(sql_type = "numeric(5, -2)")]
    pub hundreds: rust_decimal::Decimal,
    #[column(sql_type = "numeric(3, 5)")]
    pub tiny: rust_decimal::Decimal,
    #[column(sql_type = "numeric(1000, -1000)")]
    pub widest: Option<rust_decimal::Decimal>,
}

fn main() {}
