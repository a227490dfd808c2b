use schema_core::Table;

#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[column(primary_key)]
    pub id: i32,
    #[column(on_delete = "cascade")]
    pub customer_id: i32,
}

fn main() {}
