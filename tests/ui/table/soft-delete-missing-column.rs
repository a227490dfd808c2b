use schema_core::Table;

#[derive(Table)]
#[table(name = "users", soft_delete)]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub removed_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn main() {}
