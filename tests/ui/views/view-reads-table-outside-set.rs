use schema_core::{Table, View, schema_set};

#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[column(primary_key, identity)]
    pub id: i64,
    pub closed: bool,
}

#[derive(Table)]
#[table(name = "invoices")]
pub struct Invoice {
    #[column(primary_key, identity)]
    pub id: i64,
}

#[derive(View)]
#[view(
    name = "open_orders",
    sql = "SELECT o.id FROM orders o JOIN invoices i ON i.id = o.id WHERE NOT o.closed"
)]
pub struct OpenOrders;

schema_set!(pub Shop = [Order], views = [OpenOrders]);

fn main() {}
