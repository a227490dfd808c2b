use schema_core::Table;

#[derive(Table)]
#[table(name = "tenants")]
pub struct Tenant {
    #[column(primary_key, identity)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "users", tenant = Tenant, row_security(setting = "tenant id"))]
pub struct User {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
}

fn main() {}
