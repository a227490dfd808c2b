use schema_core::Table;

#[derive(Table)]
#[table(
    name = "users",
    index(email, where = ""),
    index("lower(email", name = "users_lower_email_idx"),
    index(status, where = "deleted_at IS NULL status = 'a'")
)]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    pub email: String,
    pub status: String,
    pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn main() {}
