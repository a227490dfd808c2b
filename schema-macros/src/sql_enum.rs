//! `#[derive(SqlEnum)]`: a fieldless Rust enum as a PostgreSQL enum type. Small
//! enough to read, check and expand in one file; attributes are parsed by `attr.rs`.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields};

use crate::ast::SqlName;
use crate::attr;
use crate::check::check_identifier_length;
use crate::ctxt::Ctxt;
use crate::expand::{opt_text, texts};

pub fn expand(cx: &Ctxt, input: &DeriveInput) -> TokenStream {
    let Data::Enum(data) = &input.data else {
        let keyword = match &input.data {
            Data::Struct(data) => data.struct_token.span,
            Data::Union(data) => data.union_token.span,
            Data::Enum(data) => data.enum_token.span,
        };
        cx.error(
            keyword,
            "`#[derive(SqlEnum)]` needs an enum whose variants have no fields\n\
             help: to declare a table, use `#[derive(Table)]`",
        );
        return TokenStream::new();
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(&input.generics, "an SQL enum cannot be generic");
    }
    let attrs = attr::Enum::from_attrs(cx, &input.attrs);
    let name = match &attrs.name {
        Some(name) => SqlName {
            text: name.value.clone(),
            span: name.span,
            help: "choose a name of at most 63 bytes",
            derived: false,
        },
        None => SqlName {
            text: input.ident.unraw().to_string().to_snake_case(),
            span: input.ident.span(),
            help: "set a shorter SQL name with `#[sql_enum(name = \"...\")]`",
            derived: false,
        },
    };
    check_identifier_length(cx, "enum type", &name);
    if let Some(schema) = &attrs.schema {
        check_identifier_length(cx, "schema", &SqlName::explicit(schema));
    }

    let mut labels = Vec::new();
    let mut seen = BTreeSet::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                format!(
                    "variant `{}` of an SQL enum cannot carry data\nhelp: remove the fields; an SQL enum value is only a label",
                    variant.ident
                ),
            );
        }
        let rename = attr::Variant::from_attrs(cx, &variant.attrs).rename;
        // PostgreSQL limits labels to 63 bytes, like identifiers.
        let label = match rename {
            Some(rename) => SqlName {
                text: rename.value,
                span: rename.span,
                help: "choose a label of at most 63 bytes",
                derived: false,
            },
            None => SqlName {
                text: variant.ident.unraw().to_string().to_snake_case(),
                span: variant.ident.span(),
                help: "set a shorter label with `#[sql_enum(rename = \"...\")]`",
                derived: false,
            },
        };
        check_identifier_length(cx, "enum label", &label);
        if !seen.insert(label.text.clone()) {
            cx.error(label.span, format!("duplicate enum label `{}`", label.text));
        }
        labels.push(label.text);
    }

    let ident = &input.ident;
    let def = {
        let schema = opt_text(attrs.schema.as_ref().map(|s| s.value.as_str()));
        let name = &name.text;
        let values = texts(labels.iter().map(String::as_str));
        quote! {
            ::schema_core::__private::EnumDef {
                schema: #schema,
                name: ::schema_core::__private::Cow::Borrowed(#name),
                values: #values,
            }
        }
    };
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::schema_core::__private::SqlTyped for #ident {
                const SQL_TYPE: ::schema_core::__private::SqlType =
                    ::schema_core::__private::SqlType::Enum(#def);
                const ENUM: ::core::option::Option<::schema_core::__private::EnumDef> =
                    ::core::option::Option::Some(#def);
                type Base = Self;
            }
        };
    }
}
