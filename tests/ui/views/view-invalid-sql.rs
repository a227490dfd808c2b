use schema_core::View;

#[derive(View)]
#[view(name = "open_orders", sql = "SELECT id FROM orders WHERE")]
pub struct OpenOrders;

fn main() {}
