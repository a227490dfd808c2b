use schema_core::Table;

#[derive(Table)]
#[table(name = "readings")]
pub struct Reading {
    #[column(primary_key)]
    pub id: i32,
    #[column(sql_type = "numeric(1001, 2)")]
    pub precise: rust_decimal::Decimal,
    #[column(sql_type = "numeric(5, -1001)")]
    pub rounded: rust_decimal::Decimal,
}

fn main() {}
