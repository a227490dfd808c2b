//! Cross-cutting records: documents, notifications, settings and the audit log.

use chrono::{DateTime, Utc};
use schema_core::Table;
use serde_json::Value;

use super::{Tenant, User};

/// A file attached to any record, named by `entity_type` and `entity_id`. The content
/// lives in object storage under `storage_key`.
#[derive(Table)]
#[table(
    name = "documents",
    tenant = Tenant,
    timestamps,
    soft_delete,
    unique(tenant_id, storage_key),
    index(entity_type, entity_id)
)]
pub struct Document {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = User, on_delete = "set null", index)]
    pub uploaded_by: Option<i32>,
    #[column(sql_type = "varchar(50)")]
    pub entity_type: String,
    pub entity_id: i64,
    #[column(sql_type = "varchar(255)")]
    pub file_name: String,
    #[column(sql_type = "varchar(100)")]
    pub mime_type: String,
    #[column(check = "file_size_bytes >= 0")]
    pub file_size_bytes: i64,
    #[column(sql_type = "varchar(500)")]
    pub storage_key: String,
    /// Hex-encoded SHA-256 of the content.
    #[column(sql_type = "varchar(64)")]
    pub checksum_sha256: Option<String>,
    pub description: Option<String>,
    #[column(default = "false")]
    pub is_confidential: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A message to a user, delivered in the application, by e-mail or by SMS.
#[derive(Table)]
#[table(name = "notifications", tenant = Tenant, timestamps, index(user_id, is_read))]
pub struct Notification {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = User, on_delete = "cascade")]
    pub user_id: i32,
    #[column(
        sql_type = "varchar(20)",
        default = "'in_app'",
        check = "channel IN ('in_app', 'email', 'sms')"
    )]
    pub channel: String,
    #[column(sql_type = "varchar(200)")]
    pub title: String,
    pub body: String,
    #[column(sql_type = "varchar(500)")]
    pub link: Option<String>,
    #[column(default = "false")]
    pub is_read: bool,
    pub read_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A tenant setting: a JSON value under a key. Public settings are readable without
/// signing in.
#[derive(Table)]
#[table(name = "settings", tenant = Tenant, timestamps, unique(tenant_id, key))]
pub struct Setting {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(100)")]
    pub key: String,
    pub value: Value,
    pub description: Option<String>,
    #[column(default = "false")]
    pub is_public: bool,
    #[column(references = User, on_delete = "set null")]
    pub updated_by: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who did what to which record, with the values before and after.
#[derive(Table)]
#[table(name = "audit_logs", tenant = Tenant, timestamps, index(entity_type, entity_id))]
pub struct AuditLog {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = User, on_delete = "set null", index)]
    pub user_id: Option<i32>,
    #[column(
        sql_type = "varchar(20)",
        check = "action IN ('create', 'update', 'delete', 'login', 'logout', 'export')"
    )]
    pub action: String,
    #[column(sql_type = "varchar(50)")]
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub old_values: Option<Value>,
    pub new_values: Option<Value>,
    /// Client address as text, long enough for IPv6.
    #[column(sql_type = "varchar(45)")]
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    #[column(sql_type = "varchar(64)")]
    pub request_id: Option<String>,
    #[column(index)]
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
