use schema_core::Table;

#[derive(Table)]
#[table(name = "users", unique(tenant_id, emial))]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub email: String,
}

fn main() {}
