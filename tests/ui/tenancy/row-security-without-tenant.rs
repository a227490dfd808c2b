use schema_core::Table;

#[derive(Table)]
#[table(name = "users", row_security)]
pub struct User {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
}

fn main() {}
