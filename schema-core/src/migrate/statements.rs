//! Splitting a file into statements, for migrations that run outside a transaction.
//!
//! PostgreSQL runs a multi-statement query string as one implicit transaction, in which
//! `CREATE INDEX CONCURRENTLY` and the like refuse to run, so such files are sent one
//! statement at a time. A `;` ends a statement except inside quotes ('…', "…",
//! `$tag$…$tag$`) and comments (`--`, nested `/* */`).

use crate::sql_lexer::{TokenKind, tokens};

/// One statement of a file, with the byte offset where its text starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement<'a> {
    /// From just after the previous `;` to this one's `;` (excluded).
    pub text: &'a str,
    pub offset: usize,
}

/// The statements of `sql`; pieces holding only blanks and comments are left out.
pub(crate) fn split(sql: &str) -> Vec<Statement<'_>> {
    let mut statements = Vec::new();
    let mut start = 0;
    let mut significant = false;
    let mut push = |from: usize, to: usize, significant: bool| {
        if significant {
            statements.push(Statement {
                text: &sql[from..to],
                offset: from,
            });
        }
    };
    for token in tokens(sql) {
        if token.kind == TokenKind::Other && token.text == ";" {
            push(start, token.offset, significant);
            start = token.offset + 1;
            significant = false;
        } else if !token.kind.is_blank() {
            significant = true;
        }
    }
    push(start, sql.len(), significant);
    statements
}

/// The 1-based line of byte `offset` in `sql`.
pub(crate) fn line_at(sql: &str, offset: usize) -> usize {
    sql.as_bytes()[..offset.min(sql.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The 1-based line of the first thing a statement holds besides blanks and comments.
pub(crate) fn first_line(sql: &str, statement: &Statement) -> usize {
    let lead = tokens(statement.text)
        .find(|token| !token.kind.is_blank())
        .map_or(statement.text.len(), |token| token.offset);
    line_at(sql, statement.offset + lead)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql).iter().map(|s| s.text.trim()).collect()
    }

    #[test]
    fn splits_at_semicolons_outside_quotes_and_comments() {
        let sql = "-- header; not a statement\n\
                   CREATE INDEX CONCURRENTLY a ON t (c);\n\
                   /* a; /* nested; */ comment */\n\
                   INSERT INTO t VALUES ('x;y', E'it\\'s;', \"odd;name\");\n\
                   CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n\
                   SELECT $$a;b$$, $1;\n\
                   -- trailing comment only";
        assert_eq!(
            texts(sql),
            [
                "-- header; not a statement\nCREATE INDEX CONCURRENTLY a ON t (c)",
                "/* a; /* nested; */ comment */\nINSERT INTO t VALUES ('x;y', E'it\\'s;', \"odd;name\")",
                "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
                "SELECT $$a;b$$, $1",
            ]
        );
    }

    #[test]
    fn a_last_statement_needs_no_semicolon() {
        assert_eq!(texts("SELECT 1;\nSELECT 2\n"), ["SELECT 1", "SELECT 2"]);
        assert!(split("  \n-- nothing\n/* at all */\n").is_empty());
    }

    #[test]
    fn finds_the_line_where_a_statement_starts() {
        let sql = "-- schema-core: no-transaction\nSELECT 1;\n\n-- next\nSELECT 2;";
        let lines: Vec<usize> = split(sql).iter().map(|s| first_line(sql, s)).collect();
        assert_eq!(lines, [2, 5]);
    }
}
