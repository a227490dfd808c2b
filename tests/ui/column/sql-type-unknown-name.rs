use schema_core::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    #[column(sql_type = "varchr(255)")]
    pub email: String,
    #[column(sql_type = "timestampz")]
    pub seen_at: chrono::DateTime<chrono::Utc>,
    #[column(sql_type = "intger[]")]
    pub scores: Vec<i32>,
}

fn main() {}
