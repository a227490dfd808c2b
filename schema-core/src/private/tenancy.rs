//! Type rules of the tenancy attributes, asserted by the derive's generated code.

use crate::model::Text;

/// The Rust types of a tenant key that `row_security` can compare with the tenant
/// setting; `INDEX` picks the cast among the predicates the derive writes (`smallint`,
/// `integer`, `bigint`, `text`, `uuid`, in that order).
#[diagnostic::on_unimplemented(
    message = "`row_security` cannot compare a tenant key of type `{Self}` with the tenant setting",
    label = "expected `i16`, `i32`, `i64`, `String` or `uuid::Uuid`",
    note = "or name the column's type with `#[column(sql_type = \"...\")]`: the setting is cast to it"
)]
pub trait TenantSettingCast {
    const INDEX: usize;
}

impl TenantSettingCast for i16 {
    const INDEX: usize = 0;
}
impl TenantSettingCast for i32 {
    const INDEX: usize = 1;
}
impl TenantSettingCast for i64 {
    const INDEX: usize = 2;
}
impl TenantSettingCast for String {
    const INDEX: usize = 3;
}
#[cfg(feature = "uuid")]
impl TenantSettingCast for uuid::Uuid {
    const INDEX: usize = 4;
}

/// Implemented by the derive for a table declared with `tenant = T, tenant_keys`:
/// `KEY` is its `UNIQUE (tenant_id, <primary key>)`, what a `tenant_safe` reference of
/// a table of the same tenant `T` points at.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no tenant-safe key for tenant `{T}`",
    label = "a `tenant_safe` reference needs a table of the same tenant with `tenant_keys`",
    note = "declare `{Self}` with `#[table(tenant = {T}, tenant_keys)]`; a table of another tenant cannot be referenced tenant-safely"
)]
pub trait TenantKeyed<T: ?Sized> {
    const KEY: &'static [Text];
}
