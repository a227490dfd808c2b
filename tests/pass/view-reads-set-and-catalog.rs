use schema_core::{Table, View, schema_set};

#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[column(primary_key, identity)]
    pub id: i64,
    pub closed: bool,
}

#[derive(View)]
#[view(
    sql = "WITH open AS (SELECT id FROM orders WHERE NOT closed)
           SELECT open.id, (SELECT count(*) FROM pg_catalog.pg_class) AS relations FROM open"
)]
pub struct OpenOrders;

#[derive(View)]
#[view(sql = "SELECT id FROM open_orders")]
pub struct OpenOrderIds;

schema_set!(pub Shop = [Order], views = [OpenOrderIds, OpenOrders]);

fn main() {
    use schema_core::SchemaSet;
    let catalog = Shop::EXPECTED_SCHEMA.catalog();
    let names: Vec<_> = catalog.views.iter().map(|v| v.name.to_string()).collect();
    assert_eq!(names, ["open_orders", "open_order_ids"]);
}
