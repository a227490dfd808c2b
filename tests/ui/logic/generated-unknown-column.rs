use schema_core::Table;

#[derive(Table)]
#[table(name = "order_lines")]
pub struct OrderLine {
    #[column(primary_key, identity)]
    pub id: i64,
    pub quantity: i32,
    #[column(generated = "quantty * 2")]
    pub doubled: i32,
}

fn main() {}
