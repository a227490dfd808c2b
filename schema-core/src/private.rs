//! Items the derives' generated code names through `::schema_core::__private`.
//! Not a public API: anything here may change in any release.

pub use crate::expected::ExpectedSchema;
pub use crate::migrate::{Migration, Migrations, Seed};
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

/// The descriptor a failed `#[derive(Table)]` stands in with, so the compiler reports
/// the derive's errors and not a wall of follow-on ones.
pub const fn placeholder_table(name: &'static str) -> TableDef {
    TableDef {
        schema: None,
        name: Cow::Borrowed(name),
        columns: Cow::Borrowed(&[]),
        primary_key: None,
        uniques: Cow::Borrowed(&[]),
        checks: Cow::Borrowed(&[]),
        foreign_keys: Cow::Borrowed(&[]),
        indexes: Cow::Borrowed(&[]),
        comment: None,
        options: TableOptions::LIVE,
    }
}

// Type rules the derive cannot decide from syntax. The derive writes
// `const _: () = <FieldType as Rule<..>>::OK;` spanned on the field's type, so a
// violation is reported there with the message below.

/// A foreign key column has the referenced primary key's type `K`, or `Option<K>`.
#[diagnostic::on_unimplemented(
    message = "foreign key column type `{Self}` does not match the primary key type `{K}` of `{T}`",
    label = "expected `{K}` or `Option<{K}>`",
    note = "a foreign key column has the type of the primary key it references"
)]
pub trait SameKeyType<K: ?Sized, T: ?Sized> {
    const OK: () = ();
}

impl<K: ?Sized, T: ?Sized> SameKeyType<K, T> for K {}
#[diagnostic::do_not_recommend]
impl<K, T: ?Sized> SameKeyType<K, T> for Option<K> {}

/// `tenant_id` has the tenant table's primary key type exactly (it is `NOT NULL`).
#[diagnostic::on_unimplemented(
    message = "tenant column type `{Self}` does not match the primary key type `{K}` of `{T}`",
    label = "expected `{K}`",
    note = "`tenant = {T}` makes `tenant_id` a `NOT NULL` foreign key to `{T}`"
)]
pub trait TenantKeyType<K: ?Sized, T: ?Sized> {
    const OK: () = ();
}

impl<K: ?Sized, T: ?Sized> TenantKeyType<K, T> for K {}

/// `created_at` and `updated_at` under `#[table(timestamps)]`.
#[diagnostic::on_unimplemented(
    message = "`timestamps` needs `created_at` and `updated_at` of type `DateTime<Utc>`, found `{Self}`",
    label = "expected `chrono::DateTime<chrono::Utc>`"
)]
pub trait UtcTimestamp {
    const OK: () = ();
}

#[cfg(feature = "chrono")]
impl UtcTimestamp for chrono::DateTime<chrono::Utc> {}

/// `deleted_at` under `#[table(soft_delete)]`.
#[diagnostic::on_unimplemented(
    message = "`soft_delete` needs `deleted_at` of type `Option<DateTime<Utc>>`, found `{Self}`",
    label = "expected `Option<chrono::DateTime<chrono::Utc>>`"
)]
pub trait SoftDeleteTimestamp {
    const OK: () = ();
}

#[cfg(feature = "chrono")]
impl SoftDeleteTimestamp for Option<chrono::DateTime<chrono::Utc>> {}

// Schema-set membership. The derive writes `impl<S> RefsIn<S> for User where Tenant:
// InSet<S>` (one bound per referenced table), `schema_set!` implements `InSet<Set>` for
// each member and asserts `Member: RefsIn<Set>`: a reference to a table outside the set
// fails that assertion with `InSet`'s message.

/// Implemented by `schema_set!` for each table of the set `S`.
#[diagnostic::on_unimplemented(
    message = "table `{Self}` is not in schema set `{S}`",
    label = "this table has a foreign key to `{Self}`",
    note = "add `{Self}` to the tables of `schema_set!({S} = [...])`"
)]
pub trait InSet<S> {}

/// Implemented by the derive: every table `Self` references is in the set `S`.
#[diagnostic::on_unimplemented(
    message = "a foreign key of `{Self}` points at a table outside schema set `{S}`"
)]
pub trait RefsIn<S> {
    const OK: () = ();
}

/// One table of a schema set, for [`duplicate_table`].
pub struct TableEntry {
    /// The Rust type as written in `schema_set!`.
    pub rust: &'static str,
    pub schema: Option<&'static str>,
    pub name: &'static str,
}

/// The error message when `tables[index]` has the SQL name (and schema) of an earlier
/// table, evaluated at compile time by `schema_set!`.
pub const fn duplicate_table(set: &str, tables: &[TableEntry], index: usize) -> Option<Message> {
    let this = &tables[index];
    let mut earlier = 0;
    while earlier < index {
        let other = &tables[earlier];
        if str_eq(other.name, this.name) && opt_str_eq(other.schema, this.schema) {
            let mut message = Message::new()
                .push("schema set `")
                .push(set)
                .push("` has two tables named `");
            if let Some(schema) = this.schema {
                message = message.push(schema).push(".");
            }
            let message = message
                .push(this.name)
                .push("`: `")
                .push(other.rust)
                .push("` and `")
                .push(this.rust)
                .push("`");
            return Some(message);
        }
        earlier += 1;
    }
    None
}

/// A compile-time error message in a fixed buffer (`format!` is not `const`).
pub struct Message {
    bytes: [u8; 512],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Message {
            bytes: [0; 512],
            len: 0,
        }
    }

    /// Appends `text`, cutting what does not fit.
    const fn push(mut self, text: &str) -> Self {
        let text = text.as_bytes();
        let mut i = 0;
        while i < text.len() && self.len < self.bytes.len() {
            self.bytes[self.len] = text[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    pub const fn as_str(&self) -> &str {
        let (written, _) = self.bytes.split_at(self.len);
        match core::str::from_utf8(written) {
            Ok(text) => text,
            // Only a cut inside a multi-byte character gets here.
            Err(_) => "schema set has two tables with the same name",
        }
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn opt_str_eq(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => str_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}
