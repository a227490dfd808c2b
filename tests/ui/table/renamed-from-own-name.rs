use schema_core::Table;

#[derive(Table)]
#[table(name = "people", renamed_from = "people")]
pub struct Person {
    #[column(primary_key)]
    pub id: i32,
}

fn main() {}
