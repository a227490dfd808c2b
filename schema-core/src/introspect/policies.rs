//! Row-level security policies: the query, its rows and their descriptors.

use std::borrow::Cow;

use postgres::Row;
use postgres::types::Oid;

use super::IntrospectError;
use super::query::Query;
use crate::model::{PolicyCommand, PolicyDef};

pub(crate) const POLICIES: Query = Query {
    what: "row-level security policies",
    sql: include_str!("policies.sql"),
};

/// A row of `policies.sql`.
pub(crate) struct PolicyRow {
    pub table_oid: Oid,
    pub name: String,
    pub command: String,
    pub permissive: bool,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
}

impl PolicyRow {
    pub fn decode(row: &Row) -> Result<Self, postgres::Error> {
        Ok(PolicyRow {
            table_oid: row.try_get("table_oid")?,
            name: row.try_get("name")?,
            command: row.try_get("command")?,
            permissive: row.try_get("permissive")?,
            roles: row.try_get("roles")?,
            using: row.try_get("using_expr")?,
            with_check: row.try_get("with_check")?,
        })
    }
}

/// The descriptor of a policy row.
pub(crate) fn policy(row: PolicyRow) -> Result<PolicyDef, IntrospectError> {
    let command = match row.command.as_str() {
        "*" => PolicyCommand::All,
        "r" => PolicyCommand::Select,
        "a" => PolicyCommand::Insert,
        "w" => PolicyCommand::Update,
        "d" => PolicyCommand::Delete,
        other => {
            return Err(IntrospectError::Unexpected {
                what: "polcmd",
                value: other.to_owned(),
            });
        }
    };
    Ok(PolicyDef {
        name: Cow::Owned(row.name),
        command,
        permissive: row.permissive,
        roles: Cow::Owned(row.roles.into_iter().map(Cow::Owned).collect()),
        using: row.using.map(Cow::Owned),
        with_check: row.with_check.map(Cow::Owned),
    })
}
