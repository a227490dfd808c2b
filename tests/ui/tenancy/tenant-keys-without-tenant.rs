use schema_core::Table;

#[derive(Table)]
#[table(name = "users", tenant_keys)]
pub struct User {
    #[column(primary_key, identity)]
    pub id: i64,
}

fn main() {}
