//! Tenant schema names come from data (a platform table, a list, a URL): each one is
//! checked against PostgreSQL's rules for an unquoted identifier before anything is sent.
//!
//! Every identifier is quoted in generated SQL anyway; the stricter rule is for the
//! people and tools that read the names afterwards (`psql`, `search_path`, logs), and it
//! keeps a name of a tenant from ever parsing as more than one identifier.

use crate::database::MAX_NAME_BYTES;
use crate::target::Target;

/// A tenant name that cannot be a schema name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "tenant `{name}` cannot be a schema name: {problem}; use lower-case letters, digits and \
     `_`, starting with a letter or `_`, at most 63 bytes"
)]
pub struct InvalidTenantName {
    pub name: String,
    /// What is wrong with it.
    pub problem: String,
}

/// The [`Target`] of tenant `name`, when `name` is an unquoted PostgreSQL identifier in
/// lower case (what `CREATE SCHEMA name` would make) and not a name PostgreSQL reserves
/// for itself (`pg_*`, `information_schema`).
pub fn tenant_target(name: &str) -> Result<Target, InvalidTenantName> {
    let problem = problem(name);
    match problem {
        Some(problem) => Err(InvalidTenantName {
            name: name.to_owned(),
            problem,
        }),
        None => Target::new(name).map_err(|e| InvalidTenantName {
            name: name.to_owned(),
            problem: e.problem,
        }),
    }
}

fn problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let first = match chars.next() {
        None => return Some("it is empty".to_owned()),
        Some(c) => c,
    };
    if name.len() > MAX_NAME_BYTES {
        return Some(format!(
            "it is {} bytes long, more than PostgreSQL's limit of {MAX_NAME_BYTES}",
            name.len()
        ));
    }
    if !(first.is_ascii_lowercase() || first == '_') {
        return Some(format!("it starts with `{first}`"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '$'))
    {
        return Some(format!("it holds `{}`", bad.escape_default()));
    }
    if name.starts_with("pg_") || name == "information_schema" {
        return Some("PostgreSQL reserves it for its own schemas".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::tenant_target;

    #[test]
    fn identifiers_pass_and_anything_else_is_refused_with_the_reason() {
        assert_eq!(tenant_target("tenant_7").unwrap().schema(), "tenant_7");
        assert!(tenant_target("_t$1").is_ok());
        assert!(tenant_target(&"t".repeat(63)).is_ok());
        for (name, why) in [
            ("", "it is empty"),
            ("7up", "it starts with `7`"),
            ("Tenant", "it starts with `T`"),
            ("a b", "it holds ` `"),
            ("x\"; DROP SCHEMA public; --", "it holds `\\\"`"),
            ("pg_toast", "reserves"),
            ("information_schema", "reserves"),
        ] {
            let err = tenant_target(name).unwrap_err().to_string();
            assert!(err.contains(why), "{name}: {err}");
        }
        let long = tenant_target(&"t".repeat(64)).unwrap_err().to_string();
        assert!(long.contains("64 bytes long"), "{long}");
    }
}
