//! The assertion that a column's `sql_type` fits its field's Rust type. The macro cannot
//! see what SQL types a Rust type accepts (its `SqlTyped` impl may be in any crate), so
//! it writes a constant the compiler evaluates: `schema_core::__private::misfit` compares
//! the override's base type with the type's `SQL_TYPE` and `ALSO_ACCEPTS`, and the
//! message it returns becomes the build error, spanned on the `sql_type` string.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote_spanned};

use crate::ast::Column;

/// The assertion for a column with an override; nothing for one without.
pub fn fit_assertion(column: &Column) -> Option<TokenStream> {
    let sql_type = column.attrs.sql_type.as_ref()?;
    let ty = column.ty;
    let base = sql_type.value.base();
    let array = sql_type.value.array;
    let rust = rust_name(ty);
    let written = &sql_type.value.written;
    Some(quote_spanned! {sql_type.span=>
        const _: () = {
            #[allow(unused_imports)]
            use ::schema_core::__private::Unchecked as _;
            if let ::core::option::Option::Some(__message) = ::schema_core::__private::misfit(
                ::schema_core::__private::Fit::<#ty>::ACCEPTED,
                #base,
                #array,
                #rust,
                #written,
            ) {
                ::core::panic!("{}", __message.as_str());
            }
        };
    })
}

/// The type as the user wrote it, without the spaces tokens print with (`Vec < u8 >`).
fn rust_name(ty: &syn::Type) -> String {
    let printed = ty.to_token_stream().to_string();
    let mut out = String::with_capacity(printed.len());
    let mut chars = printed.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let next = chars.peek().copied().unwrap_or(' ');
            let prev = out.chars().last().unwrap_or(' ');
            let tight = |c: char| matches!(c, '<' | '>' | ':' | '&' | '(' | ')' | '[' | ']' | ',');
            if (tight(prev) && prev != ',') || (tight(next) && next != '&') {
                continue;
            }
        }
        out.push(c);
    }
    out
}
