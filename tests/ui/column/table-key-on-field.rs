use schema_core::Table;
use chrono::{DateTime, Utc};

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn main() {}
