//! Derive macros for `schema-core`. Depend on `schema-core`, which re-exports them.

use proc_macro::TokenStream;

/// Declares a table. See the `schema-core` README for the attributes.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Maps a Rust enum to a PostgreSQL enum type.
#[proc_macro_derive(SqlEnum, attributes(sql_enum))]
pub fn derive_sql_enum(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Declares a schema set: `schema_set!(pub AllTables = [Tenant, User]);`
#[proc_macro]
pub fn schema_set(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
