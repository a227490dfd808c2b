use schema_core::Table;

#[derive(Table)]
#[table(name = "user_roles", primary_key(user_id, role_id))]
pub struct UserRole {
    pub user_id: i32,
    pub role_id: i32,
}

#[derive(Table)]
#[table(name = "grants")]
pub struct Grant {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = UserRole)]
    pub user_role_id: i32,
}

fn main() {}
