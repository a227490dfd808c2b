use schema_core::Table;

#[derive(Table)]
#[table(name = "tenants")]
pub struct Tenant {
    #[column(primary_key)]
    pub id: bool,
}

#[derive(Table)]
#[table(name = "users", tenant = Tenant, row_security)]
pub struct User {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: bool,
}

fn main() {}
