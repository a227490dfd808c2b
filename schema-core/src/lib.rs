#![doc = include_str!("../../README.md")]

extern crate self as schema_core;

pub mod catalog;
pub mod ddl;
pub mod expected;
pub mod model;
pub mod plan;
pub mod table;

pub use catalog::Catalog;
pub use expected::ExpectedSchema;
pub use model::*;
pub use schema_macros::{SqlEnum, Table, schema_set};
pub use table::{SchemaSet, SqlTyped, Table};

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
