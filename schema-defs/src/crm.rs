//! A small multi-tenant CRM: organizations, their sales users, the customers they own,
//! files attached to customers and notes about them.
//!
//! Every table but `organizations` is scoped to an organization with row-level
//! security (a role other than the owner sees only the rows of the tenant set with
//! `schema_core::tenant_session::set_tenant`), and every reference between them is
//! tenant-safe: `(tenant_id, x) REFERENCES t (tenant_id, id)`, so the database itself
//! refuses a note of one organization about another's customer. Users and customers
//! are soft-deleted; their e-mail addresses are unique among live rows only.
//!
//! The database keeps every `updated_at` current (`timestamps = "trigger"`) and
//! writes each change of a customer to `audit_log` (`audit`).

use chrono::{DateTime, Utc};
use schema_core::{SqlEnum, Table, View, schema_set};

/// Where a customer stands in the sales funnel.
#[derive(SqlEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[sql_enum(name = "customer_stage")]
pub enum CustomerStage {
    Lead,
    Prospect,
    Customer,
    Churned,
}

/// A company using the CRM: the tenant every other table is scoped to.
#[derive(Table)]
#[table(name = "organizations", timestamps = "trigger")]
pub struct Organization {
    #[column(primary_key, identity)]
    pub id: i64,
    #[column(sql_type = "varchar(200)")]
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A member of an organization's sales team. A removed user is soft-deleted, which
/// frees the e-mail address for a new account.
#[derive(Table)]
#[table(
    name = "users",
    tenant = Organization,
    row_security,
    tenant_keys,
    timestamps = "trigger",
    soft_delete,
    live_unique(tenant_id, email)
)]
pub struct User {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
    #[column(sql_type = "varchar(255)")]
    pub email: String,
    #[column(sql_type = "varchar(150)")]
    pub display_name: String,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A person or company the team sells to. Deleted customers are kept (soft delete) so
/// that notes and files stay readable; lookups by owner skip them.
#[derive(Table)]
#[table(
    name = "customers",
    tenant = Organization,
    row_security,
    tenant_keys,
    timestamps = "trigger",
    audit,
    soft_delete,
    live_unique(tenant_id, email),
    index(owner_id, where = "deleted_at IS NULL"),
    index(tags, method = "gin"),
    index("lower(name)", name = "customers_name_lower_idx"),
    comment = "People and companies the sales team works with"
)]
pub struct Customer {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
    /// The salesperson responsible; the customer stays when they leave.
    #[column(references = User, tenant_safe, on_delete = "set null")]
    pub owner_id: Option<i64>,
    #[column(sql_type = "varchar(200)")]
    pub name: String,
    #[column(sql_type = "varchar(255)")]
    pub email: Option<String>,
    #[column(sql_type = "varchar(32)")]
    pub phone: Option<String>,
    #[column(sql_type = "varchar(200)")]
    pub company: Option<String>,
    #[column(default = "'lead'")]
    pub stage: CustomerStage,
    /// Free-form labels; the GIN index serves `tags @> ARRAY['vip']`.
    #[column(default = "'{}'")]
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A file attached to a customer. Small files are stored inline in `content`; larger
/// ones in object storage under `storage_key`. Exactly one of the two is set.
#[derive(Table)]
#[table(
    name = "customer_files",
    tenant = Organization,
    row_security,
    timestamps = "trigger",
    check(
        name = "customer_files_content_or_storage_key_check",
        expr = "(content IS NULL) <> (storage_key IS NULL)"
    )
)]
pub struct CustomerFile {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
    #[column(references = Customer, tenant_safe, on_delete = "cascade", index)]
    pub customer_id: i64,
    #[column(references = User, tenant_safe, on_delete = "set null")]
    pub uploaded_by: Option<i64>,
    #[column(sql_type = "varchar(255)")]
    pub file_name: String,
    #[column(sql_type = "varchar(100)")]
    pub content_type: String,
    #[column(check = "size_bytes >= 0")]
    pub size_bytes: i64,
    pub content: Option<Vec<u8>>,
    #[column(sql_type = "varchar(500)", unique)]
    pub storage_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A note about a customer, listed newest first; pinned notes are shown on top.
#[derive(Table)]
#[table(
    name = "customer_notes",
    tenant = Organization,
    row_security,
    timestamps = "trigger",
    index(customer_id, created_at)
)]
pub struct CustomerNote {
    #[column(primary_key, identity)]
    pub id: i64,
    pub tenant_id: i64,
    #[column(references = Customer, tenant_safe, on_delete = "cascade")]
    pub customer_id: i64,
    /// The note stays when its author's account is removed.
    #[column(references = User, tenant_safe, on_delete = "set null")]
    pub author_id: Option<i64>,
    pub body: String,
    #[column(default = "false")]
    pub pinned: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The customers still on the books, with their owner's name and how many notes they
/// have. `security_invoker`: the view reads with the querying role's row-level
/// security, so a tenant sees its own customers through it and nobody else's.
#[derive(View)]
#[view(
    name = "active_customers",
    security_invoker,
    sql = "SELECT c.id, c.tenant_id, c.name, c.stage, u.display_name AS owner_name,
                  (SELECT count(*) FROM customer_notes n WHERE n.customer_id = c.id) AS notes
           FROM customers c
           LEFT JOIN users u ON u.id = c.owner_id
           WHERE c.deleted_at IS NULL"
)]
pub struct ActiveCustomers;

/// Each user's open pipeline, built on [`ActiveCustomers`]: a view that reads a view is
/// created after it and rebuilt with it.
#[derive(View)]
#[view(
    name = "pipeline_by_owner",
    security_invoker,
    sql = "SELECT tenant_id, owner_name, count(*) AS customers
           FROM active_customers
           WHERE stage <> 'churned'
           GROUP BY tenant_id, owner_name"
)]
pub struct PipelineByOwner;

schema_set!(
    pub Crm = [Organization, User, Customer, CustomerFile, CustomerNote, schema_core::AuditLog],
    views = [PipelineByOwner, ActiveCustomers]
);

/// Rows for the `data compare` demo: the source (development) and the target
/// (production) differ in a few planted rows.
pub const DEMO_SOURCE: &str = include_str!("crm_demo_source.sql");
pub const DEMO_TARGET: &str = include_str!("crm_demo_target.sql");
