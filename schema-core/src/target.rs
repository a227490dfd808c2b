//! [`Target`]: where a sync, a verification or a migration acts.
//!
//! One value answers every "which schema?" a run has: where tables that name no schema
//! go, where the history (`schema_versions`) and the migration tracking
//! (`schema_migrations`) are kept, and which advisory lock keeps two runs on it apart.
//! It is made once (validated) and passed through; the policy — mode, opt-ins,
//! timeouts, dry run — travels beside it in [`SyncOptions`](crate::SyncOptions), so one
//! policy can run over many targets (one per tenant schema).

use std::fmt;

use sha2::{Digest, Sha256};

use crate::database::MAX_NAME_BYTES;
use crate::model::DEFAULT_SCHEMA;

/// The schema a run acts on. [`Target::default`] is `public`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    schema: String,
}

impl Target {
    /// The target whose tables that name no schema, history and tracking live in
    /// `schema`. Any name PostgreSQL can hold as given is accepted (every identifier is
    /// quoted): not empty, at most 63 bytes, no NUL character.
    pub fn new(schema: impl Into<String>) -> Result<Target, InvalidTarget> {
        let schema = schema.into();
        let problem = if schema.is_empty() {
            Some("it is empty".to_owned())
        } else if schema.len() > MAX_NAME_BYTES {
            Some(format!(
                "it is {} bytes long, more than PostgreSQL's limit of {MAX_NAME_BYTES} bytes",
                schema.len()
            ))
        } else if schema.contains('\0') {
            Some("it holds a NUL character".to_owned())
        } else {
            None
        };
        match problem {
            Some(problem) => Err(InvalidTarget { schema, problem }),
            None => Ok(Target { schema }),
        }
    }

    /// The schema: where tables that name none go, and where history and tracking live.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The advisory lock key for schema changes to this target: syncs and migrations
    /// of the same schema exclude each other; different schemas (tenants) proceed in
    /// parallel.
    pub fn lock_key(&self) -> i64 {
        let digest = Sha256::digest(format!("schema-core:{}", self.schema).as_bytes());
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(bytes)
    }
}

impl Default for Target {
    fn default() -> Self {
        Target {
            schema: DEFAULT_SCHEMA.to_owned(),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.schema)
    }
}

/// A schema name a [`Target`] cannot take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{schema}` cannot be a target schema: {problem}")]
pub struct InvalidTarget {
    pub schema: String,
    /// What is wrong with it.
    pub problem: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_postgresql_cannot_hold_as_given_are_refused() {
        assert_eq!(Target::new("tenant_7").unwrap().schema(), "tenant_7");
        assert_eq!(Target::new("Fuel Tenant").unwrap().schema(), "Fuel Tenant");
        assert!(Target::new("").is_err());
        assert!(Target::new("x".repeat(63)).is_ok());
        let long = Target::new("x".repeat(64)).unwrap_err();
        assert!(long.to_string().contains("64 bytes long"), "{long}");
        assert!(Target::new("a\0b").is_err());
    }

    #[test]
    fn each_schema_has_its_own_lock() {
        assert_eq!(Target::default().schema(), "public");
        assert_ne!(
            Target::default().lock_key(),
            Target::new("tenant_7").unwrap().lock_key()
        );
    }
}
