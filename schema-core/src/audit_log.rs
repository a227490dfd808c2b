//! [`AuditLog`]: the table `#[table(audit)]` writes to.

use crate::Table;

/// One insert, update or delete of an audited table. List it in the schema set beside
/// the audited tables (one per schema; `schema_set!` refuses a set that audits a table
/// without it): `schema_set!(pub Crm = [User, Customer, schema_core::AuditLog]);`.
///
/// The rows are written by the `audit_row_change` trigger function in the same
/// transaction as the change: `row_key` holds the primary key columns, `old_row` and
/// `new_row` the row before and after (`NULL` for an insert's old and a delete's new
/// row), `acting_user` the setting `schema_core.acting_user`
/// (`SET LOCAL schema_core.acting_user = 'alice'`) or else the session's role.
/// Needs the `chrono` and `json` features (both on by default).
#[derive(Table)]
#[table(
    name = "audit_log",
    index(table_schema, table_name, changed_at),
    comment = "Every insert, update and delete of the audited tables"
)]
pub struct AuditLog {
    #[column(primary_key, identity = "always")]
    pub id: i64,
    #[column(sql_type = "text")]
    pub table_schema: String,
    #[column(sql_type = "text")]
    pub table_name: String,
    #[column(
        sql_type = "text",
        check = "operation IN ('INSERT', 'UPDATE', 'DELETE')"
    )]
    pub operation: String,
    pub row_key: serde_json::Value,
    pub old_row: Option<serde_json::Value>,
    pub new_row: Option<serde_json::Value>,
    #[column(sql_type = "text")]
    pub acting_user: String,
    #[column(default = "now()")]
    pub changed_at: chrono::DateTime<chrono::Utc>,
}
