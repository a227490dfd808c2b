use schema_core::Table;

#[derive(Table)]
#[table(name = "users", index(last_name, frist_name))]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub first_name: String,
    pub last_name: String,
}

fn main() {}
