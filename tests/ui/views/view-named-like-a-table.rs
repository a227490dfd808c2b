use schema_core::{Table, View, schema_set};

#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[column(primary_key, identity)]
    pub id: i64,
}

#[derive(View)]
#[view(name = "orders", sql = "SELECT id FROM orders")]
pub struct Orders;

schema_set!(pub Shop = [Order], views = [Orders]);

fn main() {}
