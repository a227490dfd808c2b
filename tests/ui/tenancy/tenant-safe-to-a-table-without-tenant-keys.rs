use schema_core::Table;

#[derive(Table)]
#[table(name = "tenants")]
pub struct Tenant {
    #[column(primary_key, identity)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "users", tenant = Tenant)]
pub struct User {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
}

#[derive(Table)]
#[table(name = "notes", tenant = Tenant)]
pub struct Note {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
    #[column(references = User, tenant_safe)]
    pub author_id: i64,
}

fn main() {}
