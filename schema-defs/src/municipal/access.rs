//! Tenancy, users and role-based access control.

use chrono::{DateTime, Utc};
use schema_core::Table;

/// A municipality using the system. Every other table is scoped to one tenant and its
/// rows go away with it.
#[derive(Table)]
#[table(name = "tenants", timestamps)]
pub struct Tenant {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(200)")]
    pub name: String,
    /// Short name used in URLs.
    #[column(sql_type = "varchar(63)", unique)]
    pub slug: String,
    /// Official code of the municipality.
    #[column(sql_type = "varchar(20)", unique)]
    pub municipality_code: String,
    #[column(sql_type = "varchar(255)")]
    pub contact_email: Option<String>,
    #[column(sql_type = "varchar(32)")]
    pub phone: Option<String>,
    /// IANA time zone name.
    #[column(sql_type = "varchar(64)", default = "'UTC'")]
    pub timezone: String,
    #[column(sql_type = "varchar(16)", default = "'en'")]
    pub locale: String,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A person who signs in. E-mail addresses and usernames are unique within a tenant.
#[derive(Table)]
#[table(
    name = "users",
    tenant = Tenant,
    timestamps,
    soft_delete,
    unique(tenant_id, email),
    unique(tenant_id, username)
)]
pub struct User {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(255)")]
    pub email: String,
    #[column(sql_type = "varchar(64)")]
    pub username: String,
    #[column(sql_type = "varchar(255)")]
    pub password_hash: String,
    #[column(sql_type = "varchar(100)")]
    pub first_name: String,
    #[column(sql_type = "varchar(100)")]
    pub last_name: String,
    #[column(sql_type = "varchar(32)")]
    pub phone: Option<String>,
    #[column(sql_type = "varchar(120)")]
    pub job_title: Option<String>,
    #[column(
        sql_type = "varchar(20)",
        default = "'active'",
        check = "status IN ('active', 'invited', 'suspended')",
        index
    )]
    pub status: String,
    #[column(default = "false")]
    pub is_superuser: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    #[column(default = "0")]
    pub failed_login_count: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A named set of permissions, defined per tenant.
#[derive(Table)]
#[table(name = "roles", tenant = Tenant, timestamps, unique(tenant_id, name))]
pub struct Role {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(100)")]
    pub name: String,
    pub description: Option<String>,
    /// Built-in roles cannot be edited or removed by tenant administrators.
    #[column(default = "false")]
    pub is_system: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Grants a role to a user.
#[derive(Table)]
#[table(name = "user_roles", tenant = Tenant, timestamps, unique(user_id, role_id))]
pub struct UserRole {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = User, on_delete = "cascade")]
    pub user_id: i32,
    #[column(references = Role, on_delete = "cascade", index)]
    pub role_id: i32,
    #[column(references = User, on_delete = "set null")]
    pub assigned_by: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Something a role may allow, identified by a code such as `tax.payments.create`.
#[derive(Table)]
#[table(name = "permissions", tenant = Tenant, timestamps, unique(tenant_id, code))]
pub struct Permission {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(100)")]
    pub code: String,
    #[column(sql_type = "varchar(150)")]
    pub name: String,
    /// The application module the permission belongs to.
    #[column(sql_type = "varchar(50)", index)]
    pub module: String,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Grants a permission to a role.
#[derive(Table)]
#[table(
    name = "role_permissions",
    tenant = Tenant,
    timestamps,
    unique(role_id, permission_id)
)]
pub struct RolePermission {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = Role, on_delete = "cascade")]
    pub role_id: i32,
    #[column(references = Permission, on_delete = "cascade", index)]
    pub permission_id: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
