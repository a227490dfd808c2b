use schema_core::Table;

#[derive(Table)]
#[table(name = "organizations")]
pub struct Organization {
    #[column(primary_key, identity)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "workspaces")]
pub struct Workspace {
    #[column(primary_key, identity)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "users", tenant = Organization, tenant_keys)]
pub struct User {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
}

#[derive(Table)]
#[table(name = "notes", tenant = Workspace)]
pub struct Note {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
    #[column(references = User, tenant_safe)]
    pub author_id: i64,
}

fn main() {}
