use chrono::{DateTime, NaiveDateTime, Utc};
use schema_core::Table;

#[derive(Table)]
#[table(name = "users", timestamps)]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: DateTime<Utc>,
}

fn main() {}
