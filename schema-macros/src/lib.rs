//! Derive macros for `schema-core`. Depend on `schema-core`, which re-exports them
//! and documents the attributes in its README.
//!
//! Each DSL macro reads its input into `attr`/`ast` structures, runs the `check` rules
//! and only then expands; on any error it emits every error plus a `fallback` stand-in.
//! `#[test]` for database tests lives apart, in `db_test`.

mod ast;
mod attr;
mod check;
mod ctxt;
mod db_test;
mod embed_migrations;
mod expand;
mod fallback;
mod row_security;
mod schema_set;
mod sql_enum;
mod sql_expr;
mod sql_type;
mod symbol;
mod tenant_keys;
mod type_fit;
mod view;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use syn::DeriveInput;

use crate::ctxt::Ctxt;

/// Declares a table: `impl schema_core::Table` from the struct and its attributes.
///
/// Struct attributes, `#[table(...)]`: `name = "..."`, `schema = "..."`, `tenant = T`,
/// `soft_delete`, `timestamps`, `optional`, `unique(col, ..)`, `index(col | "expr", ..)`,
/// `check(name = "...", expr = "...")`, `primary_key(col, ..)`, `comment = "..."`,
/// `renamed_from = "..."`, `row_security` / `row_security(force, setting = "...",
/// name = "...")`, `tenant_keys`, `live_unique(col, ..)`.
///
/// Field attributes, `#[column(...)]`: `name = "..."`, `primary_key`, `serial`,
/// `identity` / `identity = "always"`, `sql_type = "..."`, `default = "..."`,
/// `unique` / `unique = "name"`, `index` / `index = "name"`, `check = "..."`,
/// `references = T`, `on_delete = "..."`, `on_update = "..."`, `deferrable`,
/// `comment = "..."`, `renamed_from = "..."`, `tenant_safe`.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    derive_table_inner(input.into()).into()
}

/// Maps a fieldless Rust enum to a PostgreSQL enum type: `impl schema_core::SqlTyped`.
///
/// Enum attributes, `#[sql_enum(...)]`: `name = "..."` (default: the enum name in
/// snake_case), `schema = "..."`. Variant attributes: `rename = "..."` (default: the
/// variant name in snake_case).
#[proc_macro_derive(SqlEnum, attributes(sql_enum))]
pub fn derive_sql_enum(input: TokenStream) -> TokenStream {
    derive_sql_enum_inner(input.into()).into()
}

/// Declares a view: `impl schema_core::View` for a marker type.
///
/// Attributes, `#[view(...)]`: `sql = "SELECT ..."` (required, parsed at compile time),
/// `name = "..."` (default: the type name in snake_case), `schema = "..."`,
/// `security_invoker`. List the type in `schema_set!(… , views = [...])`.
#[proc_macro_derive(View, attributes(view))]
pub fn derive_view(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input.into()) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error().into(),
    };
    let cx = Ctxt::new();
    let expanded = view::expand(&cx, &input);
    match cx.check() {
        Ok(()) => expanded.into(),
        Err(errors) => {
            let errors = errors.into_compile_error();
            quote::quote!(#errors #expanded).into()
        }
    }
}

/// Declares a schema set: `schema_set!(pub AllTables = [Tenant, User]);` declares
/// `pub struct AllTables` implementing `schema_core::SchemaSet`.
#[proc_macro]
pub fn schema_set(input: TokenStream) -> TokenStream {
    schema_set_inner(input.into()).into()
}

/// The migrations folder at a path relative to the crate root, read and checked at
/// compile time: `static MIGRATIONS: Migrations = embed_migrations!("migrations");`
/// (see `schema_core::migrate`). A malformed folder is a compile error naming the file.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    embed_migrations::expand(input.into()).into()
}

/// A `#[test]` that receives a `&mut postgres::Client` connected to a fresh database
/// (`schema_core::testing::TestDatabase`), dropped when the test ends.
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    db_test::expand(args.into(), item.into()).into()
}

fn derive_table_inner(input: TokenStream2) -> TokenStream2 {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error(),
    };
    let cx = Ctxt::new();
    let table = ast::Table::from_ast(&cx, &input);
    if let Some(table) = &table {
        check::check(&cx, table);
    }
    let expanded = match &table {
        Some(table) if !cx.has_errors() => expand::expand(table),
        _ => TokenStream2::new(),
    };
    match cx.check() {
        Ok(()) => expanded,
        Err(errors) => fallback::table(&input, table.as_ref(), errors),
    }
}

fn derive_sql_enum_inner(input: TokenStream2) -> TokenStream2 {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error(),
    };
    let cx = Ctxt::new();
    let expanded = sql_enum::expand(&cx, &input);
    match cx.check() {
        Ok(()) => expanded,
        Err(errors) => fallback::sql_enum(&input, errors),
    }
}

fn schema_set_inner(input: TokenStream2) -> TokenStream2 {
    let input: schema_set::Input = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error(),
    };
    let cx = Ctxt::new();
    let expanded = schema_set::expand(&cx, input);
    // The expansion is still sound after an error (duplicates are dropped), and it
    // declares the set's type, which the rest of the crate names.
    match cx.check() {
        Ok(()) => expanded,
        Err(errors) => {
            let errors = errors.into_compile_error();
            quote::quote!(#errors #expanded)
        }
    }
}
