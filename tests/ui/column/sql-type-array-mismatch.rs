use schema_core::Table;

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    #[column(sql_type = "varchar(30)")]
    pub tags: Vec<String>,
    #[column(sql_type = "text[]")]
    pub title: String,
}

fn main() {}
