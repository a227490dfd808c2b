//! `#[schema_core::test]`: a `#[test]` that receives a connection to a fresh database.
//!
//! ```ignore
//! #[schema_core::test]
//! fn creates_tables(client: &mut postgres::Client) {
//!     client.batch_execute("CREATE TABLE t (id int)").unwrap();
//! }
//! ```
//!
//! expands to a plain `#[test]` that creates a `schema_core::testing::TestDatabase`,
//! connects, and calls the original body (kept as an inner function, so its signature,
//! return type and `?` work as written). The database is dropped when the test ends,
//! whether it passed or not. Other attributes (`#[ignore]`, `#[should_panic]`) stay on
//! the test.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn};

/// Expands `#[schema_core::test]` on `item`; errors become `compile_error!`s.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    match expand_inner(args, item) {
        Ok(tokens) => tokens,
        Err(error) => error.into_compile_error(),
    }
}

fn expand_inner(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    if let Some(first) = args.into_iter().next() {
        return Err(syn::Error::new(
            first.span(),
            "`#[schema_core::test]` takes no arguments",
        ));
    }
    let function: ItemFn = syn::parse2(item)?;
    check_signature(&function)?;

    let ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = function;
    let name = &sig.ident;
    let output = &sig.output;
    let inputs = &sig.inputs;
    let span = sig.ident.span();
    // Panics carry the error's `Display`, which says how to get a server.
    let setup = quote_spanned! {span=>
        let __schema_core_db = match ::schema_core::testing::TestDatabase::create() {
            ::core::result::Result::Ok(db) => db,
            ::core::result::Result::Err(error) => ::core::panic!("{}", error),
        };
        let mut __schema_core_client = match __schema_core_db.connect() {
            ::core::result::Result::Ok(client) => client,
            ::core::result::Result::Err(error) => ::core::panic!("{}", error),
        };
    };
    Ok(quote! {
        #[::core::prelude::v1::test]
        #(#attrs)*
        #vis fn #name() #output {
            fn #name(#inputs) #output #block
            #setup
            // The client goes before the database it is connected to.
            #name(&mut __schema_core_client)
        }
    })
}

/// The test function must be a plain function of exactly one parameter (the client):
/// the test harness cannot call `async` or generic functions.
fn check_signature(function: &ItemFn) -> syn::Result<()> {
    let sig = &function.sig;
    let usage =
        "help: write `fn name(client: &mut postgres::Client)`, optionally returning a `Result`";
    if let Some(asyncness) = sig.asyncness {
        return Err(syn::Error::new(
            asyncness.span(),
            format!("`#[schema_core::test]` functions cannot be `async`\n{usage}"),
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(syn::Error::new(
            sig.generics.span(),
            format!("`#[schema_core::test]` functions cannot be generic\n{usage}"),
        ));
    }
    if let Some(variadic) = &sig.variadic {
        return Err(syn::Error::new(
            variadic.span(),
            format!("`#[schema_core::test]` functions cannot be variadic\n{usage}"),
        ));
    }
    let mut parameters = sig.inputs.iter();
    match (parameters.next(), parameters.next()) {
        (Some(FnArg::Typed(_)), None) => Ok(()),
        (Some(FnArg::Receiver(receiver)), _) => Err(syn::Error::new(
            receiver.span(),
            format!("`#[schema_core::test]` functions cannot take `self`\n{usage}"),
        )),
        (Some(_), Some(extra)) => Err(syn::Error::new(
            extra.span(),
            format!("`#[schema_core::test]` functions take one parameter, the client\n{usage}"),
        )),
        (None, _) => Err(syn::Error::new(
            sig.paren_token.span.join(),
            format!("`#[schema_core::test]` functions take the client as their parameter\n{usage}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(args: &str, item: &str) -> String {
        expand(args.parse().unwrap(), item.parse().unwrap()).to_string()
    }

    #[test]
    fn wraps_the_body_in_a_test_with_a_client() {
        let out = expand_str(
            "",
            "/// doc\n#[ignore] fn creates(client: &mut postgres::Client) -> Result<(), E> { body() }",
        );
        let file: syn::File = syn::parse_str(&out).unwrap();
        let syn::Item::Fn(test) = &file.items[0] else {
            panic!("not a function: {out}");
        };
        assert!(test.sig.inputs.is_empty(), "{out}");
        assert_eq!(test.attrs.len(), 3, "#[test], doc and #[ignore]: {out}");
        assert!(
            out.contains(":: schema_core :: testing :: TestDatabase :: create ()"),
            "{out}"
        );
        assert!(out.contains("-> Result < () , E >"), "{out}");
        assert!(
            out.contains("creates (& mut __schema_core_client)"),
            "{out}"
        );
    }

    #[test]
    fn reports_misuse_on_the_offending_tokens() {
        for (args, item, message) in [
            ("x", "fn t(c: &mut C) {}", "takes no arguments"),
            ("", "async fn t(c: &mut C) {}", "cannot be `async`"),
            ("", "fn t<T>(c: &mut C) {}", "cannot be generic"),
            ("", "fn t(c: &mut C, d: D) {}", "take one parameter"),
            ("", "fn t() {}", "take the client as their parameter"),
            ("", "struct S;", "expected `fn`"),
        ] {
            let out = expand_str(args, item);
            assert!(out.contains("compile_error"), "{item}: {out}");
            assert!(out.contains(message), "{item}: {out}");
        }
    }
}
