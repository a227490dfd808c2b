use chrono::NaiveDateTime;
use schema_core::Table;

#[derive(Table)]
#[table(name = "users", soft_delete)]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub deleted_at: Option<NaiveDateTime>,
}

fn main() {}
