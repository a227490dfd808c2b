use schema_core::Table;

#[derive(Table)]
#[table(name = "customers")]
pub struct Customer {
    #[column(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = Customer, on_delete = "casade")]
    pub customer_id: i32,
}

fn main() {}
