use schema_core::Table;

#[derive(Table)]
#[table(
    name = "users",
    unique(tenant_id, email, email),
    unique(type, account_type),
    index(email, last_name, email),
    index("lower(email)", email, email, name = "users_email_lower_idx")
)]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub email: String,
    pub last_name: String,
    #[column(name = "type")]
    pub account_type: String,
}

#[derive(Table)]
#[table(name = "user_roles", primary_key(user_id, role_id, user_id))]
pub struct UserRole {
    pub user_id: i32,
    pub role_id: i32,
}

fn main() {}
