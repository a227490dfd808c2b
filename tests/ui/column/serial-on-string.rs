use schema_core::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, serial)]
    pub id: String,
}

fn main() {}
