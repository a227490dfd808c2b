use schema_core::Table;

#[derive(Table)]
#[table(name = "users", name = "people")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
}

fn main() {}
