//! `#[derive(View)]` with `#[view(name = "...", schema = "...", sql = "...",
//! security_invoker)]`: the view's descriptor, with the relations its body reads taken
//! from the body parsed at compile time (the schema set checks that each is a table or
//! view of the set).

use std::ops::ControlFlow;

use heck::ToSnakeCase;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use sqlparser::ast::{ObjectName, ObjectNamePart, Query, TableFactor, Visit, Visitor};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;
use syn::ext::IdentExt;
use syn::{DeriveInput, LitStr};

use crate::check::MAX_IDENTIFIER_BYTES;
use crate::ctxt::{Ctxt, did_you_mean};

const KEYS: [&str; 4] = ["name", "schema", "sql", "security_invoker"];
const EXAMPLE: &str =
    "#[view(name = \"open_orders\", sql = \"SELECT id FROM orders WHERE closed_at IS NULL\")]";

#[derive(Default)]
struct Attrs {
    name: Option<LitStr>,
    schema: Option<LitStr>,
    sql: Option<LitStr>,
    security_invoker: bool,
}

pub fn expand(cx: &Ctxt, input: &DeriveInput) -> TokenStream {
    let attrs = parse(cx, input);
    let ident = &input.ident;
    let name = attrs
        .name
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| ident.unraw().to_string().to_snake_case());
    for (what, lit) in [("view name", &attrs.name), ("schema name", &attrs.schema)] {
        if let Some(lit) = lit {
            let value = lit.value();
            if value.is_empty() {
                cx.error(lit.span(), format!("empty {what}"));
            } else if value.len() > MAX_IDENTIFIER_BYTES {
                cx.error(
                    lit.span(),
                    format!(
                        "{what} `{value}` is {} bytes long; PostgreSQL keeps {MAX_IDENTIFIER_BYTES}",
                        value.len()
                    ),
                );
            }
        }
    }
    let (body, reads) = match &attrs.sql {
        Some(sql) => (sql.value(), reads(cx, &sql.value(), sql.span())),
        None => {
            cx.error(
                Span::call_site(),
                format!("a view needs its query: `sql = \"SELECT ...\"`\nhelp: the correct format looks like `{EXAMPLE}`"),
            );
            (String::new(), Vec::new())
        }
    };
    let schema = match &attrs.schema {
        Some(s) => {
            let s = s.value();
            quote!(::core::option::Option::Some(::schema_core::__private::Cow::Borrowed(#s)))
        }
        None => quote!(::core::option::Option::None),
    };
    let security_invoker = attrs.security_invoker;
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::schema_core::__private::View for #ident {
                const DEF: ::schema_core::__private::ViewDef = ::schema_core::__private::ViewDef {
                    schema: #schema,
                    name: ::schema_core::__private::Cow::Borrowed(#name),
                    body: ::schema_core::__private::Cow::Borrowed(#body),
                    security_invoker: #security_invoker,
                    reads: ::schema_core::__private::Cow::Borrowed(&[
                        #(::schema_core::__private::Cow::Borrowed(#reads)),*
                    ]),
                };
            }
        };
    }
}

fn parse(cx: &Ctxt, input: &DeriveInput) -> Attrs {
    let mut attrs = Attrs::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("view")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(|i| i.unraw().to_string())
                .unwrap_or_default();
            let slot = match key.as_str() {
                "name" => &mut attrs.name,
                "schema" => &mut attrs.schema,
                "sql" => &mut attrs.sql,
                "security_invoker" => {
                    attrs.security_invoker = true;
                    return Ok(());
                }
                _ => {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown view attribute `{key}`{}\nnote: expected one of {}",
                            did_you_mean(&key, KEYS),
                            crate::ctxt::backticked(KEYS)
                        ),
                    );
                    if meta.input.peek(syn::Token![=]) {
                        let _: syn::Expr = meta.value()?.parse()?;
                    }
                    return Ok(());
                }
            };
            let value: LitStr = meta.value()?.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    format!("`{key}` takes a string: `{key} = \"...\"`"),
                )
            })?;
            if slot.is_some() {
                cx.error(value.span(), format!("duplicate view attribute `{key}`"));
            }
            *slot = Some(value);
            Ok(())
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
    attrs
}

/// The relations `sql` reads, each once, as written (`customers`, `public.tenants`),
/// without the names its own `WITH` queries define; an error on `span` if `sql` is not
/// one whole query.
fn reads(cx: &Ctxt, sql: &str, span: Span) -> Vec<String> {
    let dialect = PostgreSqlDialect {};
    let query = Parser::new(&dialect)
        .try_with_sql(sql)
        .and_then(|mut parser| {
            let query = parser.parse_query()?;
            let _ = parser.consume_token(&Token::SemiColon);
            match parser.next_token().token {
                Token::EOF => Ok(query),
                extra => parser.expected(
                    "the end of the query",
                    sqlparser::tokenizer::TokenWithSpan::wrap(extra),
                ),
            }
        });
    let query = match query {
        Ok(query) => query,
        Err(error) => {
            cx.error(span, format!("invalid SQL in the view's `sql`: {error}"));
            return Vec::new();
        }
    };
    let mut relations = Relations::default();
    let _ = query.visit(&mut relations);
    relations
        .read
        .into_iter()
        .filter(|r| !relations.local.contains(r))
        .collect()
}

#[derive(Default)]
struct Relations {
    read: Vec<String>,
    /// Names of `WITH` queries.
    local: Vec<String>,
}

impl Visitor for Relations {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.local.push(fold(&cte.alias.name));
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table {
            name, args: None, ..
        } = factor
            && let Some(name) = relation_name(name)
            && !self.read.contains(&name)
        {
            self.read.push(name);
        }
        ControlFlow::Continue(())
    }
}

/// `schema.name` or `name`, folded as PostgreSQL folds unquoted names.
fn relation_name(name: &ObjectName) -> Option<String> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => Some(fold(ident)),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let start = parts.len().saturating_sub(2);
    Some(parts[start..].join("."))
}

fn fold(ident: &sqlparser::ast::Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    }
}
