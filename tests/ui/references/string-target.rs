use schema_core::Table;

#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = "customers")]
    pub customer_id: i32,
}

fn main() {}
