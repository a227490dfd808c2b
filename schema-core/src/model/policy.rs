//! Row-level security: the table's enabled/forced flags and its policies.
//!
//! A tenant table declared with `row_security` gets one policy that compares its tenant
//! column with a session setting; introspection reads every policy of a table
//! (`pg_policy`) into the same type, so the diff compares like with like.

use super::{List, Text};

/// `ALTER TABLE … ENABLE / FORCE ROW LEVEL SECURITY`, as `pg_class` records them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct RowSecurity {
    /// `relrowsecurity`: policies apply to every role but the owner and superusers.
    pub enabled: bool,
    /// `relforcerowsecurity`: policies apply to the table's owner too.
    pub forced: bool,
}

impl RowSecurity {
    /// Neither enabled nor forced: what tables without `row_security` declare.
    pub const OFF: RowSecurity = RowSecurity {
        enabled: false,
        forced: false,
    };
}

/// A row-level security policy (`CREATE POLICY`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyDef {
    pub name: Text,
    pub command: PolicyCommand,
    /// `false` for `AS RESTRICTIVE`.
    pub permissive: bool,
    /// Role names the policy applies to; empty means `PUBLIC`.
    pub roles: List<Text>,
    /// The `USING` expression: which existing rows are visible.
    pub using: Option<Text>,
    /// The `WITH CHECK` expression: which new rows may be written.
    pub with_check: Option<Text>,
}

/// Which commands a policy applies to (`FOR …`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum PolicyCommand {
    #[default]
    All,
    Select,
    Insert,
    Update,
    Delete,
}

impl PolicyCommand {
    /// The SQL word (`FOR <word>`).
    pub fn sql(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }
}
