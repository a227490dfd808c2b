//! Items the derives' generated code names through `::schema_core::__private`.
//! Not a public API: anything here may change in any release.

pub use crate::expected::ExpectedSchema;
pub use crate::model::*;
pub use crate::table::{SchemaSet, SqlTyped, Table};
pub use std::borrow::Cow;

/// `Some(Cow::Borrowed(s))` in `const` context, where `Option::map` is not allowed.
pub const fn opt_text(s: Option<&'static str>) -> Option<Text> {
    match s {
        Some(s) => Some(Cow::Borrowed(s)),
        None => None,
    }
}
