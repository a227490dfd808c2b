//! What a failed derive emits besides its errors: a stand-in impl, so that code using
//! the type (other tables' foreign keys, `schema_set!`) does not add a wall of
//! follow-on errors to the real ones.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::DeriveInput;
use syn::ext::IdentExt;

use crate::ast;

/// `impl Table` with an empty descriptor; the key type is the declared one when the
/// struct could be read, so foreign keys to it are still checked sensibly.
pub fn table(input: &DeriveInput, table: Option<&ast::Table>, errors: syn::Error) -> TokenStream {
    let errors = errors.into_compile_error();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let name = match table {
        Some(table) => table.name.text.clone(),
        None => ident.unraw().to_string().to_snake_case(),
    };
    let pk_type = match table.map(|t| t.primary_key_columns()).as_deref() {
        Some([single]) => single.ty.to_token_stream(),
        Some(several) => {
            let types = several.iter().map(|c| c.ty);
            quote!((#(#types),*))
        }
        None => quote!(()),
    };
    // Foreign keys to a broken table are still checked against its declared key.
    let referenced_key = match table {
        Some(table) if input.generics.params.is_empty() => {
            crate::expand::referenced_key(ident, &table.primary_key_columns())
        }
        _ => TokenStream::new(),
    };
    // A generic struct is already an error; its stand-in needs no membership impl.
    let refs_in = input.generics.params.is_empty().then(|| {
        quote! {
            #[automatically_derived]
            impl<__S> ::schema_core::__private::RefsIn<__S> for #ident {}
        }
    });
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::schema_core::__private::Table for #ident #ty_generics #where_clause {
                const NAME: &'static str = #name;
                const SCHEMA: ::core::option::Option<&'static str> = ::core::option::Option::None;
                const PRIMARY_KEY: &'static [::schema_core::__private::Text] = &[];
                const ENUMS: &'static [::core::option::Option<::schema_core::__private::EnumDef>] = &[];
                const DEF: ::schema_core::__private::TableDef =
                    ::schema_core::__private::placeholder_table(#name);
                type PrimaryKey = #pk_type;
            }

            #refs_in
            #referenced_key
        };
    }
}

/// `impl SqlTyped` as an enum type without labels.
pub fn sql_enum(input: &DeriveInput, errors: syn::Error) -> TokenStream {
    let errors = errors.into_compile_error();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let name = ident.unraw().to_string().to_snake_case();
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::schema_core::__private::SqlTyped for #ident #ty_generics #where_clause {
                const SQL_TYPE: ::schema_core::__private::SqlType =
                    ::schema_core::__private::SqlType::Enum(::schema_core::__private::EnumDef {
                        schema: ::core::option::Option::None,
                        name: ::schema_core::__private::Cow::Borrowed(#name),
                        values: ::schema_core::__private::Cow::Borrowed(&[]),
                    });
                type Base = Self;
            }
        };
    }
}
