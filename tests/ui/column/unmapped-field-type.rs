use schema_core::Table;

pub struct Money(i64);

#[derive(Table)]
#[table(name = "invoices")]
pub struct Invoice {
    #[column(primary_key, serial)]
    pub id: i32,
    pub total: Money,
}

fn main() {}
