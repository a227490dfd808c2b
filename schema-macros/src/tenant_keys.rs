//! Tenant-safe references and live-only uniques: the rules that combine them with the
//! table's `tenant` and `soft_delete`.
//!
//! Whether both ends of a `tenant_safe` reference have the same tenant is a type
//! question (`TenantKeyed<Tenant>` in `schema_core::__private`), asserted by the
//! expansion; what the struct alone shows is checked here.

use crate::ast::Table;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, table: &Table) {
    check_tenant_keys(cx, table);
    check_tenant_safe(cx, table);
    check_live_uniques(cx, table);
}

/// `tenant_keys` derives `UNIQUE (tenant_id, <key>)`: it needs the tenant column and a
/// primary key of one column, which is what references point at.
fn check_tenant_keys(cx: &Ctxt, table: &Table) {
    let Some(span) = table.attrs.tenant_keys else {
        return;
    };
    if table.attrs.tenant.is_none() {
        cx.error(
            span,
            "`tenant_keys` needs a tenant\nhelp: add `tenant = Tenant` to `#[table(...)]` and a \
             `tenant_id` field",
        );
    } else if table.primary_key_columns().len() != 1 {
        cx.error(
            span,
            "`tenant_keys` needs a primary key of one column\nhelp: mark one field \
             `#[column(primary_key)]`",
        );
    }
}

/// `tenant_safe` makes `(tenant_id, column)` the key: the column must reference a table,
/// and this table must have a tenant column to put first.
fn check_tenant_safe(cx: &Ctxt, table: &Table) {
    for column in &table.columns {
        let Some(span) = column.attrs.tenant_safe else {
            continue;
        };
        if column.attrs.references.is_none() {
            cx.error(
                span,
                "`tenant_safe` needs a foreign key\nhelp: add `references = <table type>` to \
                 this column",
            );
        } else if table.attrs.tenant.is_none() {
            cx.error(
                span,
                "`tenant_safe` needs a tenant on this table\nhelp: add `tenant = Tenant` to \
                 `#[table(...)]` and a `tenant_id` field",
            );
        }
    }
}

/// `live_unique(...)` holds among rows whose `deleted_at` is NULL: the table must be
/// soft-deleted, or the predicate names a column that does not exist.
fn check_live_uniques(cx: &Ctxt, table: &Table) {
    for list in &table.attrs.live_uniques {
        if table.soft_delete_column().is_none() {
            cx.error(
                list.key,
                "`live_unique(...)` holds among rows that are not soft-deleted\nhelp: add \
                 `soft_delete` to `#[table(...)]` and a `deleted_at: Option<DateTime<Utc>>` \
                 field, or use `unique(...)`",
            );
        }
    }
}
