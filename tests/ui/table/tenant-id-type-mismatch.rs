use schema_core::Table;

#[derive(Table)]
#[table(name = "tenants")]
pub struct Tenant {
    #[column(primary_key, serial)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "users", tenant = Tenant)]
pub struct User {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i64,
}

fn main() {}
