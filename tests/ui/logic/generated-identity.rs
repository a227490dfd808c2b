use schema_core::Table;

#[derive(Table)]
#[table(name = "order_lines")]
pub struct OrderLine {
    #[column(primary_key, identity, generated = "1")]
    pub id: i64,
}

fn main() {}
