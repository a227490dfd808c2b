use schema_core::Table;

#[derive(Table)]
#[table(name = "order_lines")]
pub struct OrderLine {
    #[column(primary_key, identity)]
    pub id: i64,
    pub quantity: i32,
    #[column(generated = "quantity * 2")]
    pub doubled: i32,
    #[column(generated = "doubled + 1")]
    pub doubled_plus_one: i32,
}

fn main() {}
