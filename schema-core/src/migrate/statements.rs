//! Splitting a file into statements, for migrations that run outside a transaction.
//!
//! PostgreSQL runs a multi-statement query string as one implicit transaction, in which
//! `CREATE INDEX CONCURRENTLY` and the like refuse to run, so such files are sent one
//! statement at a time. A `;` ends a statement except inside quotes ('…', "…",
//! `$tag$…$tag$`) and comments (`--`, nested `/* */`).

/// One statement of a file, with the byte offset where its text starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement<'a> {
    /// From just after the previous `;` to this one's `;` (excluded).
    pub text: &'a str,
    pub offset: usize,
}

/// The statements of `sql`; pieces holding only blanks and comments are left out.
pub(crate) fn split(sql: &str) -> Vec<Statement<'_>> {
    let bytes = sql.as_bytes();
    let mut statements = Vec::new();
    let mut start = 0;
    let mut significant = false;
    let mut i = 0;
    let mut push = |from: usize, to: usize, significant: bool| {
        if significant {
            statements.push(Statement {
                text: &sql[from..to],
                offset: from,
            });
        }
    };
    while i < bytes.len() {
        let rest = &bytes[i..];
        match bytes[i] {
            b'-' if rest.starts_with(b"--") => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'/' if rest.starts_with(b"/*") => {
                i = block_comment_end(bytes, i);
                continue;
            }
            b';' => {
                push(start, i, significant);
                start = i + 1;
                significant = false;
                i += 1;
                continue;
            }
            b'\'' => {
                let escapes = i > 0
                    && matches!(bytes[i - 1], b'E' | b'e')
                    && (i < 2 || !is_ident_byte(bytes[i - 2]));
                i = quoted_end(bytes, i, b'\'', escapes);
            }
            b'"' => i = quoted_end(bytes, i, b'"', false),
            b'$' if i == 0 || !is_ident_byte(bytes[i - 1]) => {
                i = match dollar_tag(&sql[i..]) {
                    Some(tag) => sql[i + tag.len()..]
                        .find(tag)
                        .map_or(bytes.len(), |n| i + tag.len() + n + tag.len()),
                    None => i + 1,
                };
            }
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => i += 1,
        }
        significant = true;
    }
    push(start, bytes.len(), significant);
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
    let lead = statement.text.len() - skip_blanks_and_comments(statement.text).len();
    line_at(sql, statement.offset + lead)
}

fn skip_blanks_and_comments(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start();
        if trimmed.starts_with("--") {
            text = trimmed.find('\n').map_or("", |n| &trimmed[n..]);
        } else if trimmed.starts_with("/*") {
            let end = block_comment_end(trimmed.as_bytes(), 0);
            text = &trimmed[end..];
        } else {
            return trimmed;
        }
    }
}

/// The index after the `*/` closing the (possibly nested) comment opening at `i`.
fn block_comment_end(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The index after the quote closing the one at `i` (a doubled quote is part of the
/// text; with `escapes`, so is a backslash-escaped one).
fn quoted_end(bytes: &[u8], mut i: usize, quote: u8, escapes: bool) -> usize {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if escapes => i += 2,
            b if b == quote => {
                if bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `$tag$` or `$$` at the start of `text` (a `$1` parameter is not a tag).
fn dollar_tag(text: &str) -> Option<&str> {
    let body = &text[1..];
    let end = body.find('$')?;
    let tag = &body[..end];
    let valid = tag.is_empty()
        || (tag
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b >= 0x80)
            && tag.bytes().all(is_ident_byte));
    valid.then(|| &text[..end + 2])
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
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
