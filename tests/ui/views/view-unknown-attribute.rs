use schema_core::View;

#[derive(View)]
#[view(name = "open_orders", query = "SELECT 1")]
pub struct OpenOrders;

fn main() {}
