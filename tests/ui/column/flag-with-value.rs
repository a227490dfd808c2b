use schema_core::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key = true)]
    pub id: i32,
}

fn main() {}
