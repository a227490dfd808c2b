use schema_core::Table;

#[derive(Table)]
#[table(name = "posts", serial)]
pub struct Post {
    #[column(primary_key)]
    pub id: i32,
}

fn main() {}
