use schema_core::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Item {
    #[column(primary_key)]
    pub id: i32,
    pub kind: String,
    #[column(name = "kind")]
    pub category: String,
}

fn main() {}
