//! `embed_migrations!("migrations")`: the migrations folder, read and checked at compile
//! time, as a `schema_core::migrate::Migrations` value of `'static` data.
//!
//! The folder rules (file names, duplicates, a down without an up, UTF-8) are those of
//! `schema-migration-files`, which `Migrations::from_dir` applies at run time too. Each
//! file is pulled in with `include_str!`, so cargo rebuilds the crate when a file
//! changes; a new file in the folder is only seen after something else triggers a
//! rebuild (a `build.rs` with `cargo:rerun-if-changed=migrations` does).

use std::path::Path;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use schema_migration_files::{Folder, ReadError, read_folder};
use syn::LitStr;

const EXAMPLE: &str = "embed_migrations!(\"migrations\")";

pub fn expand(input: TokenStream) -> TokenStream {
    let folder: LitStr = match syn::parse2(input) {
        Ok(folder) => folder,
        Err(error) => {
            return fallback(syn::Error::new(
                error.span(),
                format!(
                    "expected the migrations folder as a string literal, relative to the crate \
                     root\nhelp: the correct format looks like `{EXAMPLE}`"
                ),
            ));
        }
    };
    match read(&folder) {
        Ok(tokens) => tokens,
        Err(error) => fallback(error),
    }
}

fn read(literal: &LitStr) -> syn::Result<TokenStream> {
    let span = literal.span();
    let written = literal.value();
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return Err(syn::Error::new(
            span,
            "CARGO_MANIFEST_DIR is not set, so the folder cannot be found\nhelp: build with cargo",
        ));
    };
    let dir = Path::new(&manifest_dir).join(&written);
    let shown = Path::new(&written);
    match read_folder(&dir) {
        Ok(folder) => expand_folder(&dir, shown, &folder, span),
        Err(ReadError::Missing) => Err(syn::Error::new(
            span,
            format!(
                "migrations folder `{written}` not found\nhelp: the path is relative to the crate \
                 root (the folder holding Cargo.toml): create the folder there, or fix the path"
            ),
        )),
        Err(ReadError::List(error)) => Err(syn::Error::new(
            span,
            format!("could not list migrations folder `{written}`: {error}"),
        )),
        Err(ReadError::Files(problems)) => {
            let mut errors = problems
                .iter()
                .map(|problem| syn::Error::new(span, problem.in_folder(shown)));
            let mut combined = errors.next().unwrap_or_else(|| {
                syn::Error::new(span, format!("migrations folder `{written}` is malformed"))
            });
            combined.extend(errors);
            Err(combined)
        }
    }
}

/// The `Migrations` value: one `include_str!` per file, so cargo tracks each of them.
fn expand_folder(
    dir: &Path,
    shown: &Path,
    folder: &Folder,
    span: Span,
) -> syn::Result<TokenStream> {
    let include = |file: &str| -> syn::Result<TokenStream> {
        let path = dir.join(file);
        let Some(path) = path.to_str() else {
            return Err(syn::Error::new(
                span,
                format!(
                    "the path of `{}` is not UTF-8, which `include_str!` needs\nhelp: move the \
                     migrations to a folder whose path is UTF-8",
                    shown.join(file).display()
                ),
            ));
        };
        Ok(quote!(::core::include_str!(#path)))
    };
    let shown_file = |file: &str| shown.join(file).display().to_string();

    let mut migrations = Vec::new();
    for m in &folder.migrations {
        let version = m.version;
        let name = &m.name;
        let file = shown_file(&m.up.file);
        let up = include(&m.up.file)?;
        let down = match &m.down {
            Some(down) => {
                let down = include(&down.file)?;
                quote!(::core::option::Option::Some(#down))
            }
            None => quote!(::core::option::Option::None),
        };
        let checksum = &m.checksum;
        migrations.push(quote! {
            ::schema_core::__private::Migration::embedded(
                #version, #name, #file, #up, #down, #checksum,
            )
        });
    }
    let mut seeds = Vec::new();
    for s in &folder.seeds {
        let name = &s.name;
        let file = shown_file(&s.file.file);
        let sql = include(&s.file.file)?;
        seeds.push(quote! {
            ::schema_core::__private::Seed::embedded(#name, #file, #sql)
        });
    }
    Ok(quote! {{
        const __MIGRATIONS: &[::schema_core::__private::Migration] = &[#(#migrations),*];
        const __SEEDS: &[::schema_core::__private::Seed] = &[#(#seeds),*];
        ::schema_core::__private::Migrations::embedded(__MIGRATIONS, __SEEDS)
    }})
}

/// The errors, and an empty set standing in for the folder so the caller's code
/// type-checks and the user sees only these errors.
fn fallback(error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    quote! {{
        #error
        ::schema_core::__private::Migrations::embedded(&[], &[])
    }}
}
