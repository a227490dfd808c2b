use schema_core::Table;

#[derive(Table)]
#[table(
    name = "documents",
    index(tags, method = "GIN"),
    index(title, method = "gni"),
    index(body, method = "fulltext")
)]
pub struct Document {
    #[column(primary_key)]
    pub id: i32,
    pub tags: Vec<String>,
    pub title: String,
    pub body: String,
}

fn main() {}
