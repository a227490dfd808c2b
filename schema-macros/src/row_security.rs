//! `#[table(row_security)]`: row-level security for a tenant table.
//!
//! The table gets `ENABLE ROW LEVEL SECURITY` (and `FORCE` with `force`) and one
//! policy, `<table>_tenant_isolation`, whose `USING` and `WITH CHECK` compare the
//! tenant column with a session setting (`app.tenant_id` unless `setting = "..."`),
//! cast to the column's type. The cast is only known once the compiler has resolved
//! the field's type, so the expansion writes the predicate for each supported key type
//! and lets `TenantSettingCast` pick one (see `schema_core::__private`).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Expr, ExprLit, Lit, Token};

use crate::ast::{Column, Table};
use crate::attr::Spanned;
use crate::ctxt::{Ctxt, backticked, did_you_mean};
use crate::expand::text;
use crate::symbol::{FORCE, NAME, ROW_SECURITY_KEYS, SETTING};

/// The setting the policy reads when none is named.
pub const DEFAULT_SETTING: &str = "app.tenant_id";

/// The key types `TenantSettingCast` knows, in its index order.
const CASTS: [&str; 5] = ["smallint", "integer", "bigint", "text", "uuid"];

pub struct RowSecurity {
    pub key: Span,
    pub force: bool,
    pub setting: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
}

/// `row_security` or `row_security(force, setting = "app.org_id", name = "...")`.
pub fn parse(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<RowSecurity>> {
    let mut out = RowSecurity {
        key: meta.path.span(),
        force: false,
        setting: None,
        name: None,
    };
    if meta.input.peek(Token![=]) {
        cx.error_spanned_by(
            &meta.path,
            "`row_security` takes no value\nhelp: the correct format looks like \
             `row_security` or `row_security(force, setting = \"app.tenant_id\")`",
        );
        meta.value()?.parse::<Expr>()?;
        return Ok(None);
    }
    if !meta.input.peek(syn::token::Paren) {
        return Ok(Some(out));
    }
    meta.parse_nested_meta(|inner| {
        let key = inner
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        if inner.path == FORCE {
            if out.force {
                cx.error_spanned_by(&inner.path, "duplicate `force` in `row_security(...)`");
            }
            out.force = true;
        } else if inner.path == SETTING || inner.path == NAME {
            let value: Expr = inner.value()?.parse()?;
            let Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) = &value
            else {
                cx.error_spanned_by(
                    &value,
                    format!(
                        "expected a string literal\nhelp: the correct format looks like \
                         `row_security({key} = \"...\")`"
                    ),
                );
                return Ok(());
            };
            let slot = if inner.path == SETTING {
                &mut out.setting
            } else {
                &mut out.name
            };
            if slot.is_some() {
                cx.error_spanned_by(
                    &inner.path,
                    format!("duplicate `{key}` in `row_security(...)`"),
                );
            }
            *slot = Some(Spanned {
                value: lit.value(),
                span: lit.span(),
            });
        } else {
            let valid = ROW_SECURITY_KEYS.iter().map(|s| s.as_str());
            cx.error_spanned_by(
                &inner.path,
                format!(
                    "unknown `row_security(...)` option `{key}`{}\nnote: expected one of {}",
                    did_you_mean(&key, valid.clone()),
                    backticked(valid),
                ),
            );
            if inner.input.peek(Token![=]) {
                inner.value()?.parse::<Expr>()?;
            }
        }
        Ok(())
    })?;
    Ok(Some(out))
}

/// The rules that need the whole table: a tenant to isolate by, and a setting name
/// PostgreSQL accepts for a custom setting (two dotted parts, `app.tenant_id`).
pub fn check(cx: &Ctxt, table: &Table) {
    let Some(rls) = &table.attrs.row_security else {
        return;
    };
    if table.attrs.tenant.is_none() {
        cx.error(
            rls.key,
            "`row_security` needs a tenant to isolate rows by\nhelp: add `tenant = Tenant` \
             to `#[table(...)]` and a `tenant_id` field",
        );
    }
    if let Some(setting) = &rls.setting {
        let parts: Vec<&str> = setting.value.split('.').collect();
        let valid = parts.len() == 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if !valid {
            cx.error(
                setting.span,
                format!(
                    "invalid setting name \"{}\"\nhelp: PostgreSQL reads custom settings \
                     named `prefix.name`, for example `setting = \"app.tenant_id\"`",
                    setting.value
                ),
            );
        }
    }
}

/// `(row_security, policies)` field values of the table's `TableDef`.
pub fn expand(table: &Table) -> (TokenStream, TokenStream) {
    let off = (
        quote!(::schema_core::__private::RowSecurity::OFF),
        quote!(::schema_core::__private::Cow::Borrowed(&[])),
    );
    let (Some(rls), Some((_, column))) = (&table.attrs.row_security, table.tenant_column()) else {
        return off;
    };
    let force = rls.force;
    let name = match &rls.name {
        Some(name) => name.value.clone(),
        None => format!("{}_tenant_isolation", table.name.text),
    };
    let setting = rls
        .setting
        .as_ref()
        .map_or(DEFAULT_SETTING, |s| s.value.as_str());
    let predicate = predicate(column, setting);
    let predicate = quote!(::core::option::Option::Some(
        ::schema_core::__private::Cow::Borrowed(#predicate)
    ));
    let name = text(&name);
    (
        quote!(::schema_core::__private::RowSecurity {
            enabled: true,
            forced: #force,
        }),
        quote!(::schema_core::__private::Cow::Borrowed(&[
            ::schema_core::__private::PolicyDef {
                name: #name,
                command: ::schema_core::__private::PolicyCommand::All,
                permissive: true,
                roles: ::schema_core::__private::Cow::Borrowed(&[]),
                using: #predicate,
                with_check: #predicate,
            }
        ])),
    )
}

/// The predicate as a `&'static str` expression: written out when `sql_type` names the
/// column's type, else chosen among the supported key types by the field's Rust type
/// (an unsupported type fails to compile at the field, with `TenantSettingCast`'s
/// message).
fn predicate(column: &Column, setting: &str) -> TokenStream {
    let sql = |cast: &str| {
        format!(
            "{} = NULLIF(current_setting('{}', true), '')::{cast}",
            quote_ident(&column.name.text),
            setting.replace('\'', "''"),
        )
    };
    if let Some(sql_type) = &column.attrs.sql_type {
        let cast = match &sql_type.value.scalar {
            schema_sql_types::Type::Builtin(kind, modifier) => {
                schema_sql_types::format_type(*kind, *modifier)
            }
            schema_sql_types::Type::Other(name) => name.clone(),
        };
        let text = sql(&cast);
        return quote!(#text);
    }
    let ty = column.ty;
    let choices = CASTS.iter().map(|cast| sql(cast));
    quote_spanned! {ty.span()=>
        [#(#choices),*][<#ty as ::schema_core::__private::TenantSettingCast>::INDEX]
    }
}

/// A double-quoted identifier, as `ddl::ident` writes it.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
