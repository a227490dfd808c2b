use chrono::{DateTime, Utc};
use schema_core::Table;

#[derive(Table)]
#[table(name = "users", timestamps = "triggered")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn main() {}
