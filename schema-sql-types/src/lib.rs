//! The names of the PostgreSQL types `schema-core` models: how `format_type` prints
//! them, what else DDL accepts, and what their parentheses hold. Depend on
//! `schema-core`, not on this crate.
//!
//! Both sides spell types: `#[column(sql_type = "...")]` is read at compile time, DDL is
//! written and `format_type` text read back at run time. A proc-macro crate cannot
//! depend on `schema-core` (which depends on it), so the one table of names sits in this
//! small crate that both depend on, and a type the macro accepts renders and reads back
//! as itself.

mod format_type;
mod kind;
mod modifier;
mod other_names;

pub use format_type::{format_type, read_format_type};
pub use kind::Kind;
pub use modifier::{Modifier, Takes};
pub use other_names::OTHER_TYPE_NAMES;

/// A type in the terms both sides share: a built-in [`Kind`] with its [`Modifier`], or
/// any other type as `format_type` prints it. Enums are not here: their names come from
/// `#[derive(SqlEnum)]` and the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    Builtin(Kind, Modifier),
    Other(String),
}
