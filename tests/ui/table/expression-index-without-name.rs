use schema_core::Table;

#[derive(Table)]
#[table(name = "users", index("lower(email)"))]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub email: String,
}

fn main() {}
