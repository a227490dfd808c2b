//! Review every change to the generated DDL in `cargo test`, as an insta snapshot diff.
//!
//! Enable the `snapshot` feature in your dev-dependencies and add one line to a test:
//!
//! ```ignore
//! #[test]
//! fn schema_ddl() {
//!     schema_core::assert_schema_snapshot!(AllTables);
//! }
//! ```
//!
//! The first run writes `snapshots/<test file>__<set>.snap.new` next to the test and fails
//! until it is accepted (`INSTA_UPDATE=always cargo test`, or `cargo insta review`); later
//! runs fail the same way when the DDL changes, with the diff to accept or reject.

#[doc(hidden)]
pub use insta as __insta;

/// Snapshots the creation DDL of a schema set (named after the set), or of the set
/// placed in a given default schema: `assert_schema_snapshot!(TenantTables, "tenant_x")`.
#[macro_export]
macro_rules! assert_schema_snapshot {
    ($set:ty) => {
        $crate::assert_schema_snapshot!($set, $crate::DEFAULT_SCHEMA)
    };
    ($set:ty, $schema:expr) => {{
        let __schema = <$set as $crate::SchemaSet>::EXPECTED_SCHEMA;
        $crate::snapshot::__insta::assert_snapshot!(
            __schema.name,
            __schema.ddl_in($schema),
            concat!("creation DDL of ", stringify!($set))
        );
    }};
}
