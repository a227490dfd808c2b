use schema_core::Table;

#[derive(Table)]
#[table(name = "invoices")]
pub struct Invoice {
    #[column(primary_key)]
    pub id: i32,
    #[column(sql_type = "varchar(abc)")]
    pub number: String,
    #[column(sql_type = "numeric(12, 2, 1)")]
    pub total: rust_decimal::Decimal,
}

fn main() {}
