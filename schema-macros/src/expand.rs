//! Code generation for `#[derive(Table)]`. Runs only after `check.rs` passed, so it
//! never reports user errors; type rules only the compiler can decide are emitted as
//! trait assertions spanned on the user's tokens.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use schema_sql_types::Modifier;
use syn::Type;
use syn::spanned::Spanned as _;

use crate::ast::{Check, Column, ForeignKey, Index, Key, Table};
use crate::attr::{Deferrable, FkAction, Identity};
use crate::sql_type::Override;
use crate::type_fit;

pub fn expand(table: &Table) -> TokenStream {
    let ident = table.ident;
    let objects = table.objects();
    let name = &table.name.text;
    let schema = opt_str(table.attrs.schema.as_ref().map(|s| s.value.as_str()));
    let schema_text = opt_text(table.attrs.schema.as_ref().map(|s| s.value.as_str()));

    let pk_columns = table.primary_key_columns();
    let pk_names = pk_columns.iter().map(|c| text(&c.name.text));
    let pk_type = match pk_columns.as_slice() {
        [single] => single.ty.to_token_stream(),
        several => {
            let types = several.iter().map(|c| c.ty);
            quote!((#(#types),*))
        }
    };

    let referenced_key = referenced_key(ident, &pk_columns);
    let enums = table.columns.iter().map(|c| match &c.attrs.sql_type {
        // An override names the type itself: no enum needs creating for it.
        Some(_) => quote!(::core::option::Option::None),
        None => {
            let ty = c.ty;
            quote!(<#ty as ::schema_core::__private::SqlTyped>::ENUM)
        }
    });
    let columns = table.columns.iter().map(|c| column_def(table, c));
    let primary_key = match &objects.primary_key {
        Some(key) => {
            let key = key_def(key);
            quote!(::core::option::Option::Some(#key))
        }
        None => quote!(::core::option::Option::None),
    };
    let uniques = objects.uniques.iter().map(key_def);
    let checks = objects.checks.iter().map(check_def);
    let tenant_path = table.attrs.tenant.as_ref().map(|t| &t.path);
    let foreign_keys = objects
        .foreign_keys
        .iter()
        .map(|fk| foreign_key_def(fk, tenant_path));
    let (row_security, policies) = crate::row_security::expand(table);
    let tenant_keyed = tenant_keyed(table);
    let indexes = objects.indexes.iter().map(index_def);
    let comment = opt_text(table.attrs.comment.as_ref().map(|c| c.value.as_str()));
    let renamed_from = texts(table.attrs.renamed_from.iter().map(|r| r.value.as_str()));
    let required = table.attrs.optional.is_none();
    let tenant_column = opt_text(table.tenant_column().map(|(_, c)| c.name.text.as_str()));
    let soft_delete_column = opt_text(table.soft_delete_column().map(|c| c.name.text.as_str()));
    let triggers = triggers(table);

    // Membership of every referenced table in the schema set, checked by `schema_set!`;
    // each bound keeps the span of its `references = T` / `tenant = T` path.
    let memberships = objects
        .foreign_keys
        .iter()
        .filter(|fk| !fk.self_reference)
        .map(|fk| {
            let target = fk.target;
            quote_spanned!(target.span()=> #target: ::schema_core::__private::InSet<__S>)
        });
    let assertions = type_assertions(table, &objects.foreign_keys);

    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::schema_core::__private::Table for #ident {
                const NAME: &'static str = #name;
                const SCHEMA: ::core::option::Option<&'static str> = #schema;
                const PRIMARY_KEY: &'static [::schema_core::__private::Text] = &[#(#pk_names),*];
                const ENUMS: &'static [::core::option::Option<::schema_core::__private::EnumDef>] =
                    &[#(#enums),*];
                const DEF: ::schema_core::__private::TableDef = ::schema_core::__private::TableDef {
                    schema: #schema_text,
                    name: ::schema_core::__private::Cow::Borrowed(#name),
                    columns: ::schema_core::__private::Cow::Borrowed(&[#(#columns),*]),
                    primary_key: #primary_key,
                    uniques: ::schema_core::__private::Cow::Borrowed(&[#(#uniques),*]),
                    checks: ::schema_core::__private::Cow::Borrowed(&[#(#checks),*]),
                    foreign_keys: ::schema_core::__private::Cow::Borrowed(&[#(#foreign_keys),*]),
                    indexes: ::schema_core::__private::Cow::Borrowed(&[#(#indexes),*]),
                    comment: #comment,
                    options: ::schema_core::__private::TableOptions {
                        required: #required,
                        renamed_from: #renamed_from,
                        tenant_column: #tenant_column,
                        soft_delete_column: #soft_delete_column,
                        triggers: ::schema_core::__private::Cow::Borrowed(&[#(#triggers),*]),
                    },
                    row_security: #row_security,
                    policies: #policies,
                };
                type PrimaryKey = #pk_type;
            }

            #referenced_key

            #tenant_keyed

            #[automatically_derived]
            impl<__S> ::schema_core::__private::RefsIn<__S> for #ident
            where
                #(#memberships,)*
            {
            }

            #(#assertions)*
        };
    }
}

/// The table's triggers: the built-in ones its flags ask for, then its own, in order.
fn triggers(table: &Table) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if table.attrs.timestamps_trigger.is_some() {
        out.push(quote!(::schema_core::__private::TOUCH_UPDATED_AT));
    }
    if table.attrs.audit.is_some() {
        out.push(quote!(::schema_core::__private::AUDIT));
    }
    out.extend(table.attrs.triggers.iter().map(|path| {
        quote_spanned!(path.span()=> {
            const __TRIGGER: ::schema_core::__private::TriggerDecl = #path;
            __TRIGGER
        })
    }));
    out
}

fn column_def(table: &Table, column: &Column) -> TokenStream {
    let ty = column.ty;
    let name = &column.name.text;
    let (sql_type, array, nullable) = match &column.attrs.sql_type {
        Some(sql_type) => {
            let Override { scalar, array, .. } = &sql_type.value;
            let nullable = column.is_option();
            (scalar_tokens(scalar), quote!(#array), quote!(#nullable))
        }
        None => (
            quote!(<#ty as ::schema_core::__private::SqlTyped>::SQL_TYPE),
            quote!(<#ty as ::schema_core::__private::SqlTyped>::ARRAY),
            quote!(<#ty as ::schema_core::__private::SqlTyped>::NULLABLE),
        ),
    };
    let is_timestamp = table.timestamp_columns().any(|c| c.ident == column.ident);
    let default = match &column.attrs.default {
        Some(default) => Some(default.value.as_str()),
        // `timestamps` fills both columns on insert; an explicit `default` wins.
        None if is_timestamp => Some("now()"),
        None => None,
    };
    let default = opt_text(default);
    let identity = match (&column.attrs.serial, &column.attrs.identity) {
        (Some(_), _) => quote!(::core::option::Option::Some(
            ::schema_core::__private::Identity::Serial
        )),
        (None, Some(identity)) => {
            let variant = match identity.value {
                Identity::Always => quote!(Always),
                Identity::ByDefault => quote!(ByDefault),
            };
            quote!(::core::option::Option::Some(::schema_core::__private::Identity::#variant))
        }
        (None, None) => quote!(::core::option::Option::None),
    };
    let generated = opt_text(column.attrs.generated.as_ref().map(|g| g.value.as_str()));
    let comment = opt_text(column.attrs.comment.as_ref().map(|c| c.value.as_str()));
    let renamed_from = texts(column.attrs.renamed_from.iter().map(|r| r.value.as_str()));
    quote! {
        ::schema_core::__private::ColumnDef {
            name: ::schema_core::__private::Cow::Borrowed(#name),
            sql_type: #sql_type,
            array: #array,
            nullable: #nullable,
            default: #default,
            identity: #identity,
            generated: #generated,
            comment: #comment,
            renamed_from: #renamed_from,
        }
    }
}

fn key_def(key: &Key) -> TokenStream {
    let name = &key.name.text;
    let columns = texts(key.columns.iter().map(String::as_str));
    quote! {
        ::schema_core::__private::KeyDef {
            name: ::schema_core::__private::Cow::Borrowed(#name),
            columns: #columns,
        }
    }
}

fn check_def(check: &Check) -> TokenStream {
    let name = &check.name.text;
    let expr = &check.expr;
    quote! {
        ::schema_core::__private::CheckDef {
            name: ::schema_core::__private::Cow::Borrowed(#name),
            expression: ::schema_core::__private::Cow::Borrowed(#expr),
        }
    }
}

fn foreign_key_def(fk: &ForeignKey, tenant: Option<&syn::Path>) -> TokenStream {
    let name = &fk.name.text;
    let target = fk.target;
    let column = fk.column.name.text.as_str();
    let (columns, ref_columns, set_columns) = match (fk.tenant_safe, tenant) {
        (Some(tenant_column), Some(tenant)) => {
            // Setting the whole key to NULL would clear `tenant_id` too (NOT NULL).
            let sets = matches!(fk.on_delete, FkAction::SetNull | FkAction::SetDefault);
            let set_columns = texts(sets.then_some(column));
            // Spanned on the target: a table without the same tenant's key fails here.
            let ref_columns = quote_spanned! {target.span()=>
                ::schema_core::__private::Cow::Borrowed(
                    <#target as ::schema_core::__private::TenantKeyed<#tenant>>::KEY,
                )
            };
            (
                texts([tenant_column.name.text.as_str(), column]),
                ref_columns,
                set_columns,
            )
        }
        _ => (
            texts([column]),
            quote!(::schema_core::__private::Cow::Borrowed(
                <#target as ::schema_core::__private::Table>::PRIMARY_KEY,
            )),
            texts([]),
        ),
    };
    let on_delete = fk_action(fk.on_delete);
    let on_update = fk_action(fk.on_update);
    let deferrable = match fk.deferrable {
        None => quote!(NotDeferrable),
        Some(Deferrable::InitiallyImmediate) => quote!(InitiallyImmediate),
        Some(Deferrable::InitiallyDeferred) => quote!(InitiallyDeferred),
    };
    quote! {
        ::schema_core::__private::ForeignKeyDef {
            name: ::schema_core::__private::Cow::Borrowed(#name),
            columns: #columns,
            ref_schema: ::schema_core::__private::opt_text(
                <#target as ::schema_core::__private::Table>::SCHEMA,
            ),
            ref_table: ::schema_core::__private::Cow::Borrowed(
                <#target as ::schema_core::__private::Table>::NAME,
            ),
            ref_columns: #ref_columns,
            on_delete: #on_delete,
            on_update: #on_update,
            deferrable: ::schema_core::__private::Deferrable::#deferrable,
            set_columns: #set_columns,
        }
    }
}

fn index_def(index: &Index) -> TokenStream {
    let name = &index.name.text;
    let columns = texts(index.columns.iter().map(String::as_str));
    let unique = index.unique;
    let method = opt_text(index.method);
    let predicate = opt_text(index.predicate.as_deref());
    quote! {
        ::schema_core::__private::IndexDef {
            name: ::schema_core::__private::Cow::Borrowed(#name),
            columns: #columns,
            unique: #unique,
            method: #method,
            predicate: #predicate,
        }
    }
}

/// `impl TenantKeyed<Tenant>` under `tenant_keys`: the key tenant-safe references to
/// this table point at.
fn tenant_keyed(table: &Table) -> TokenStream {
    let (Some(columns), Some(tenant)) = (table.tenant_key_columns(), &table.attrs.tenant) else {
        return TokenStream::new();
    };
    let ident = table.ident;
    let tenant = &tenant.path;
    let key = columns.iter().map(|c| text(c));
    quote! {
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl ::schema_core::__private::TenantKeyed<#tenant> for #ident {
            const KEY: &'static [::schema_core::__private::Text] = &[#(#key),*];
        }
    }
}

/// `impl ReferencedKey` when the primary key is one column: what foreign keys to this
/// table reference (see `schema_core::__private::ReferencedKey`).
pub fn referenced_key(ident: &syn::Ident, pk_columns: &[&Column]) -> TokenStream {
    match pk_columns {
        [single] => {
            let ty = single.ty;
            quote! {
                // Not offered as examples in the "cannot reference" error.
                #[automatically_derived]
                #[diagnostic::do_not_recommend]
                impl ::schema_core::__private::ReferencedKey for #ident {
                    type Key = #ty;
                }
            }
        }
        _ => TokenStream::new(),
    }
}

/// Compile-time checks on field types, each spanned on the field's type so the
/// compiler's message (see the `on_unimplemented` texts in `schema_core::__private`)
/// points at what to change.
fn type_assertions(table: &Table, foreign_keys: &[ForeignKey]) -> Vec<TokenStream> {
    let mut assertions = Vec::new();
    let tenant = table.tenant_column().map(|(_, column)| column.ident);
    for fk in foreign_keys {
        let ty = fk.column.ty;
        let target = fk.target;
        let target = if fk.self_reference {
            table.ident.to_token_stream()
        } else {
            target.to_token_stream()
        };
        let check = if Some(fk.column.ident) == tenant {
            quote!(TenantKeyType)
        } else {
            quote!(SameKeyType)
        };
        assertions.push(assert_on(
            ty,
            quote!(::schema_core::__private::#check<
                <#target as ::schema_core::__private::ReferencedKey>::Key,
                #target,
            >),
        ));
    }
    for column in table.timestamp_columns() {
        assertions.push(assert_on(
            column.ty,
            quote!(::schema_core::__private::UtcTimestamp),
        ));
    }
    if let Some(column) = table.soft_delete_column() {
        assertions.push(assert_on(
            column.ty,
            quote!(::schema_core::__private::SoftDeleteTimestamp),
        ));
    }
    assertions.extend(table.columns.iter().filter_map(type_fit::fit_assertion));
    assertions
}

/// `const _: () = <Ty as Trait>::OK;`: fails to compile, at `Ty`, unless `Ty: Trait`.
fn assert_on(ty: &Type, bound: TokenStream) -> TokenStream {
    quote_spanned! {ty.span()=>
        const _: () = <#ty as #bound>::OK;
    }
}

fn fk_action(action: FkAction) -> TokenStream {
    let variant = match action {
        FkAction::NoAction => quote!(NoAction),
        FkAction::Restrict => quote!(Restrict),
        FkAction::Cascade => quote!(Cascade),
        FkAction::SetNull => quote!(SetNull),
        FkAction::SetDefault => quote!(SetDefault),
    };
    quote!(::schema_core::__private::FkAction::#variant)
}

/// The `SqlType` of an override, built by `SqlType::builtin` so the variants are named
/// in one place.
fn scalar_tokens(scalar: &schema_sql_types::Type) -> TokenStream {
    match scalar {
        schema_sql_types::Type::Builtin(kind, modifier) => {
            // `Kind`'s variants print as their identifiers.
            let kind = format_ident!("{kind:?}");
            let modifier = match modifier {
                Modifier::None => quote!(None),
                Modifier::Length(n) => quote!(Length(#n)),
                Modifier::Precision(p, s) => quote!(Precision(#p, #s)),
            };
            quote!(::schema_core::__private::SqlType::builtin(
                ::schema_core::__private::Kind::#kind,
                ::schema_core::__private::Modifier::#modifier,
            ))
        }
        schema_sql_types::Type::Other(name) => {
            quote!(::schema_core::__private::SqlType::Other(::schema_core::__private::Cow::Borrowed(#name)))
        }
    }
}

/// `Cow::Borrowed("text")`.
pub fn text(value: &str) -> TokenStream {
    quote!(::schema_core::__private::Cow::Borrowed(#value))
}

/// `Cow::Borrowed(&[Cow::Borrowed("a"), ...])`.
pub fn texts<'a>(values: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let values = values.into_iter().map(text);
    quote!(::schema_core::__private::Cow::Borrowed(&[#(#values),*]))
}

/// `Some(Cow::Borrowed("text"))` or `None`.
pub fn opt_text(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => {
            let value = text(value);
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// `Some("text")` or `None`.
pub fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}
