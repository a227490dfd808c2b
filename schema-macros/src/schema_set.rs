//! `schema_set!(pub AllTables = [Tenant, User], views = [OpenUsers]);`: the set's type, its
//! `EXPECTED_SCHEMA`, and the compile-time checks that span tables (every foreign key
//! target is in the set, no two tables, indexes or key constraints share a name in one
//! schema, no table is renamed from a table of the set or from another's old name).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, Token, Type, Visibility, bracketed};

use crate::ctxt::Ctxt;

const EXAMPLE: &str = "schema_set!(pub AllTables = [Tenant, User]);";

pub struct Input {
    attrs: Vec<Attribute>,
    vis: Visibility,
    ident: Ident,
    bracket: proc_macro2::Span,
    tables: Vec<Type>,
    /// `citus = "row" | "schema"` after the list: the set targets a Citus cluster.
    citus: Option<syn::LitStr>,
    /// `views = [OpenOrders, ..]` after the list: the set's views.
    views: Vec<Type>,
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let with_help = |error: syn::Error| {
            syn::Error::new(
                error.span(),
                format!("{error}\nhelp: the correct format looks like `{EXAMPLE}`"),
            )
        };
        let attrs = input.call(Attribute::parse_outer).map_err(with_help)?;
        let vis = input.parse().map_err(with_help)?;
        let ident = input.parse().map_err(with_help)?;
        input.parse::<Token![=]>().map_err(with_help)?;
        let content;
        let bracket = bracketed!(content in input);
        let tables =
            Punctuated::<Type, Token![,]>::parse_terminated(&content).map_err(with_help)?;
        let mut citus = None;
        let mut views = Vec::new();
        while input.peek(Token![,]) && !input.peek2(syn::parse::End) {
            input.parse::<Token![,]>()?;
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            if key == "citus" {
                citus = Some(input.parse::<syn::LitStr>()?);
            } else if key == "views" {
                let list;
                bracketed!(list in input);
                views.extend(Punctuated::<Type, Token![,]>::parse_terminated(&list)?);
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown schema set option `{key}`\nhelp: the options are `views = [...]` and `citus = \"row\"` or `citus = \"schema\"`"
                    ),
                ));
            }
        }
        let _ = input.parse::<Option<Token![,]>>()?;
        if !input.is_empty() {
            return Err(with_help(
                input.error("unexpected tokens after the list of tables"),
            ));
        }
        Ok(Input {
            attrs,
            vis,
            ident,
            bracket: bracket.span.join(),
            tables: tables.into_iter().collect(),
            citus,
            views,
        })
    }
}

pub fn expand(cx: &Ctxt, input: Input) -> TokenStream {
    let Input {
        attrs,
        vis,
        ident,
        bracket,
        tables,
        citus,
        views,
    } = input;
    let set_name = ident.to_string();
    if tables.is_empty() {
        cx.error(
            bracket,
            format!("schema set `{set_name}` has no tables\nhelp: the correct format looks like `{EXAMPLE}`"),
        );
    }
    // The same type twice would be the same table twice: report it and keep the first.
    let mut seen = BTreeSet::new();
    let tables: Vec<Type> = tables
        .into_iter()
        .filter(|table| {
            let written = rust_name(table);
            let first = seen.insert(same_type_key(&written));
            if !first {
                cx.error_spanned_by(
                    table,
                    format!("`{written}` is listed twice in schema set `{set_name}`\nhelp: remove this entry"),
                );
            }
            first
        })
        .collect();

    let membership = tables.iter().map(|table| {
        quote_spanned! {table.span()=>
            const _: () = <#table as ::schema_core::__private::RefsIn<#ident>>::OK;
        }
    });
    let entry = |table: &Type| {
        let rust = rust_name(table);
        quote! {
            ::schema_core::__private::TableEntry {
                rust: #rust,
                schema: <#table as ::schema_core::__private::Table>::SCHEMA,
                name: <#table as ::schema_core::__private::Table>::NAME,
                def: &<#table as ::schema_core::__private::Table>::DEF,
            }
        }
    };
    let entries = tables.iter().map(entry);
    let entries_again: Vec<TokenStream> = tables.iter().map(entry).collect();
    // One check per table, spanned on it, so the error points at the second of two
    // tables with the same SQL name, or at the table whose index, key or own name
    // repeats a relation name of an earlier table (or of itself) in the same schema.
    let unique_names = tables.iter().enumerate().map(|(index, table)| {
        quote_spanned! {table.span()=>
            if let ::core::option::Option::Some(__message) =
                ::schema_core::__private::duplicate_table(#set_name, __TABLES, #index)
            {
                ::core::panic!("{}", __message.as_str());
            }
            if let ::core::option::Option::Some(__message) =
                ::schema_core::__private::duplicate_relation(#set_name, __TABLES, #index)
            {
                ::core::panic!("{}", __message.as_str());
            }
            if let ::core::option::Option::Some(__message) =
                ::schema_core::__private::renamed_table(#set_name, __TABLES, #index)
            {
                ::core::panic!("{}", __message.as_str());
            }
            if let ::core::option::Option::Some(__message) =
                ::schema_core::__private::missing_audit_log(#set_name, __TABLES, #index)
            {
                ::core::panic!("{}", __message.as_str());
            }
        }
    });

    // One check per view, spanned on it: what it reads is in the set, its name is free.
    let view_entries = views.iter().map(|view| {
        let rust = rust_name(view);
        quote_spanned! {view.span()=>
            ::schema_core::__private::ViewEntry {
                rust: #rust,
                def: &<#view as ::schema_core::__private::View>::DEF,
            }
        }
    });
    let view_checks = views.iter().enumerate().map(|(index, view)| {
        quote_spanned! {view.span()=>
            if let ::core::option::Option::Some(__message) =
                ::schema_core::__private::view_problem(#set_name, __TABLES, __VIEWS, #index)
            {
                ::core::panic!("{}", __message.as_str());
            }
        }
    });

    let citus = citus.and_then(|lit| match lit.value().as_str() {
        "row" => Some(quote! { RowBased }),
        "schema" => Some(quote! { SchemaBased }),
        other => {
            cx.error(
                lit.span(),
                format!("unknown Citus distribution `{other}`\nhelp: use `citus = \"row\"` (rows sharded by the tenant column) or `citus = \"schema\"` (one tenant schema per shard)"),
            );
            None
        }
    });
    // Row-based sharding: one check per table, spanned on it, for keys that leave out
    // the distribution column.
    let citus_checks = tables.iter().enumerate().map(|(index, table)| {
        quote_spanned! {table.span()=>
            if let ::core::option::Option::Some(__message) =
                ::schema_core::__private::citus_key_problem(#set_name, __TABLES, #index)
            {
                ::core::panic!("{}", __message.as_str());
            }
        }
    });
    let citus = citus.map(|distribution| {
        let checks = matches!(distribution.to_string().as_str(), "RowBased")
            .then(|| quote! { #(#citus_checks)* });
        quote! {
            #[automatically_derived]
            impl ::schema_core::__private::CitusSet for #ident {
                const DISTRIBUTION: ::schema_core::__private::Distribution =
                    ::schema_core::__private::Distribution::#distribution;
            }
            const _: () = {
                const __TABLES: &[::schema_core::__private::TableEntry] = &[#(#entries_again),*];
                #checks
            };
        }
    });

    quote! {
        #(#attrs)*
        #vis struct #ident;
        #citus

        const _: () = {
            #[automatically_derived]
            impl ::schema_core::__private::SchemaSet for #ident {
                const EXPECTED_SCHEMA: ::schema_core::__private::ExpectedSchema =
                    ::schema_core::__private::ExpectedSchema {
                        name: #set_name,
                        tables: &[#(&<#tables as ::schema_core::__private::Table>::DEF),*],
                        enum_uses: &[#(<#tables as ::schema_core::__private::Table>::ENUMS),*],
                        views: &[#(&<#views as ::schema_core::__private::View>::DEF),*],
                    };
            }

            // Not offered as examples in the "not in schema set" error.
            #(
                #[diagnostic::do_not_recommend]
                impl ::schema_core::__private::InSet<#ident> for #tables {}
            )*

            #(#membership)*

            const __TABLES: &[::schema_core::__private::TableEntry] = &[#(#entries),*];
            #(#unique_names)*

            const __VIEWS: &[::schema_core::__private::ViewEntry] = &[#(#view_entries),*];
            #(#view_checks)*
        };
    }
}

/// The type as written, without token spacing: `crate::billing::Invoice`.
/// Spellings that name one type in any module: `self::User` is `User` (a `use` makes a
/// name of the module, so both resolve alike). `crate::User` may be another `User`
/// than the one in scope, and is left to the compiler.
fn same_type_key(written: &str) -> String {
    written.strip_prefix("self::").unwrap_or(written).to_owned()
}

fn rust_name(ty: &Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}
