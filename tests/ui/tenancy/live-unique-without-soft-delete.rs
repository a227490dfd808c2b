use schema_core::Table;

#[derive(Table)]
#[table(name = "users", live_unique(email), live_unique(emial))]
pub struct User {
    #[column(primary_key, identity)]
    pub id: i64,
    pub email: String,
}

fn main() {}
