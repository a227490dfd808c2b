use schema_core::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[column(renamed_from = "email")]
    pub work_email: String,
    #[column(renamed_from = "email")]
    pub home_email: String,
}

fn main() {}
