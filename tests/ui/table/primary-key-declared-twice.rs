use schema_core::Table;

#[derive(Table)]
#[table(name = "user_roles", primary_key(user_id, role_id))]
pub struct UserRole {
    #[column(primary_key)]
    pub user_id: i32,
    pub role_id: i32,
}

fn main() {}
