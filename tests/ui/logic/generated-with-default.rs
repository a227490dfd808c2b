use schema_core::Table;

#[derive(Table)]
#[table(name = "order_lines")]
pub struct OrderLine {
    #[column(primary_key, identity)]
    pub id: i64,
    pub quantity: i32,
    #[column(generated = "quantity * 2", default = "0")]
    pub doubled: i32,
}

fn main() {}
