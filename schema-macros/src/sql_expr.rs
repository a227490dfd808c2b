//! The SQL expressions of a table (`default`, `generated`, `check`, an index's `where`
//! and its expressions) parsed at compile time, with the PostgreSQL dialect of `sqlparser`.
//! They are pasted into DDL as written, so an empty check, an unclosed quote or a stray
//! word would otherwise surface as a syntax error at sync, and a misspelt column in a
//! check only when the server reads it.
//!
//! `sqlparser` was chosen over `pg_query` (PostgreSQL's own parser): `pg_query` needs
//! a C build of the server's parser and `libclang` for its bindings, which a proc-macro
//! crate would impose on every build (see the README's figures). The price is that
//! `sqlparser` is not the server's grammar; an expression it cannot parse but the
//! server can would be refused here, so every reference schema is compiled in CI.

use proc_macro2::Span;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer, Word};

use crate::ast::Table;
use crate::attr::{IndexColumn, Spanned};
use crate::ctxt::{Ctxt, did_you_mean};

/// Which attribute an expression came from, for messages.
#[derive(Clone, Copy)]
enum Place {
    Default,
    Generated,
    Check,
    Where,
    IndexExpression,
}

impl Place {
    fn key(self) -> &'static str {
        match self {
            Place::Default => "default",
            Place::Generated => "generated",
            Place::Check => "check",
            Place::Where => "where",
            Place::IndexExpression => "index expression",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Place::Default => "default = \"0\"",
            Place::Generated => "generated = \"price * quantity\"",
            Place::Check => "check = \"amount >= 0\"",
            Place::Where => "where = \"deleted_at IS NULL\"",
            Place::IndexExpression => "index(\"lower(email)\")",
        }
    }

    /// A default cannot name columns (PostgreSQL refuses it on its own terms).
    fn names_columns(self) -> bool {
        !matches!(self, Place::Default)
    }
}

/// Every expression of the table parses, and names only the table's columns.
pub fn check_expressions(cx: &Ctxt, table: &Table) {
    let columns: Vec<&str> = table.columns.iter().map(|c| c.name.text.as_str()).collect();
    let check = |expr: &Spanned<String>, place: Place| {
        check_expression(cx, &columns, &expr.value, expr.span, place);
    };
    for column in &table.columns {
        if let Some(default) = &column.attrs.default {
            check(default, Place::Default);
        }
        if let Some(expr) = &column.attrs.generated {
            check(expr, Place::Generated);
            check_generation_inputs(cx, table, expr);
        }
        if let Some(expr) = &column.attrs.check {
            check(expr, Place::Check);
        }
    }
    for list in &table.attrs.checks {
        check(&list.expr, Place::Check);
    }
    for index in &table.attrs.indexes {
        for column in &index.columns {
            if let IndexColumn::Expr(expr) = column {
                check(expr, Place::IndexExpression);
            }
        }
        if let Some(predicate) = &index.predicate {
            check(predicate, Place::Where);
        }
    }
}

fn check_expression(cx: &Ctxt, columns: &[&str], text: &str, span: Span, place: Place) {
    let key = place.key();
    if text.trim().is_empty() {
        let message = format!(
            "empty `{key}`: expected an SQL expression\nhelp: the correct format looks like `{}`",
            place.example()
        );
        cx.error(span, message);
        return;
    }
    if let Err(error) = parse(text) {
        cx.error(span, format!("invalid SQL in `{key}`: {error}"));
        return;
    }
    if place.names_columns() {
        for name in unknown_columns(text, columns) {
            let message = format!(
                "unknown column `{name}` in `{key}`{}",
                did_you_mean(&name, columns.iter().copied())
            );
            cx.error(span, message);
        }
    }
}

/// A generation expression reads the row's stored columns only: PostgreSQL refuses one
/// that names another generated column (their order of computation is unspecified).
fn check_generation_inputs(cx: &Ctxt, table: &Table, expr: &Spanned<String>) {
    let generated: Vec<&str> = table
        .columns
        .iter()
        .filter(|c| c.attrs.generated.is_some())
        .map(|c| c.name.text.as_str())
        .collect();
    for name in column_words(&expr.value) {
        if generated.contains(&name.as_str()) {
            cx.error(
                expr.span,
                format!(
                    "`generated` names `{name}`, which is itself a generated column\n\
                     help: write `{name}`'s expression out, or store it in a plain column"
                ),
            );
        }
    }
}

/// One whole expression, or the parser's message.
fn parse(text: &str) -> Result<(), String> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).try_with_sql(text).map_err(message)?;
    parser.parse_expr().map_err(message)?;
    match parser.next_token().token {
        Token::EOF => Ok(()),
        // `1 2`, `'a' 'b'`: a second expression the DDL would paste after the first.
        extra => Err(format!(
            "expected the end of the expression, found `{extra}`"
        )),
    }
}

fn message(error: ParserError) -> String {
    match error {
        ParserError::TokenizerError(text) | ParserError::ParserError(text) => text,
        ParserError::RecursionLimitExceeded => "the expression is nested too deeply".into(),
    }
}

/// The names in `text` that stand where a column can, and are not one of `columns`.
///
/// Read from the tokens, not the syntax tree, which keeps this to the cases that are
/// certain: a word that is not a keyword, not a function (before `(`), not part of a
/// qualified name (next to `.`), not a type (after `::` or `AS`, or before a string in
/// `point '(1,2)'`). Columns named like keywords are not checked.
fn unknown_columns(text: &str, columns: &[&str]) -> Vec<String> {
    column_words(text)
        .into_iter()
        .filter(|name| !columns.contains(&name.as_str()))
        .collect()
}

/// The names in `text` that stand where a column can, each once, in order (see
/// [`unknown_columns`] for what counts).
fn column_words(text: &str) -> Vec<String> {
    let dialect = PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, text).tokenize() else {
        return Vec::new();
    };
    let tokens: Vec<Token> = tokens
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut words = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Token::Word(word) = token else { continue };
        let before = i.checked_sub(1).map(|j| &tokens[j]);
        let after = tokens.get(i + 1);
        if word.quote_style.is_none() && word.keyword != Keyword::NoKeyword {
            continue;
        }
        let not_a_column = matches!(after, Some(Token::LParen | Token::Period))
            || matches!(after, Some(Token::SingleQuotedString(_)))
            || matches!(before, Some(Token::Period | Token::DoubleColon))
            || matches!(before, Some(Token::Word(w)) if w.keyword == Keyword::AS);
        if not_a_column {
            continue;
        }
        let name = column_name(word);
        if !words.contains(&name) {
            words.push(name);
        }
    }
    words
}

/// PostgreSQL folds unquoted names to lower case.
fn column_name(word: &Word) -> String {
    match word.quote_style {
        Some(_) => word.value.clone(),
        None => word.value.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_reference_schemas_expressions() {
        for text in [
            "0",
            "now()",
            "'{}'::jsonb",
            "gen_random_uuid()",
            "status IN ('trial', 'active')",
            "shift_number BETWEEN 1 AND 4",
            "schema_name ~ '^tenant_[a-z0-9_]+$'",
            "deleted_at IS NULL",
            "lower(email)",
            "(lower(email))",
            "interval '1 day'",
            "CURRENT_TIMESTAMP",
        ] {
            assert_eq!(parse(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn rejects_broken_expressions() {
        for text in ["'unclosed", "amount >=", "1 2", "()", "a IN ("] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn finds_unknown_columns_only_where_certain() {
        let columns = ["amount", "email", "status", "kind"];
        let unknown = |text| unknown_columns(text, &columns);
        assert_eq!(unknown("amout >= 0"), ["amout"]);
        assert_eq!(unknown("amount >= 0 AND totl < amount"), ["totl"]);
        assert_eq!(unknown("\"Amount\" > 0"), ["Amount"]);
        assert!(unknown("AMOUNT >= 0").is_empty());
        assert!(unknown("lower(email) <> ''").is_empty());
        assert!(unknown("kind::text = 'a' AND public.f(amount) > 0").is_empty());
        assert!(unknown("CAST(kind AS mood) IS NOT NULL").is_empty());
        assert!(unknown("point '(1,2)' IS NOT NULL").is_empty());
        assert!(unknown("status IN ('a', 'b') AND created_at IS NULL") == ["created_at"]);
    }
}
