//! Where quoted text and comments start and end in SQL, read as PostgreSQL reads it.
//!
//! Rewriting names in declared SQL (`canonical::retarget`) and splitting a migration file
//! at its `;` (`migrate::statements`) must both skip string literals, quoted identifiers,
//! dollar-quoted bodies and comments, and agree with the server on where those end; one
//! lexer keeps them from drifting apart. The rules are those of PostgreSQL's `scan.l`:
//! `''` inside quotes, `\'` too in `E'…'`, `$tag$` but not `$1` or `a$b`, nested block
//! comments, and any non-ASCII character counting as a letter. Input that ends inside a
//! quote or comment ends that token, so nothing the server would take as quoted is read
//! as code.

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// `'…'`. The `E` of `E'…'` stays an identifier before it, and lets `\'` quote.
    Literal,
    /// `"…"`.
    QuotedIdentifier,
    /// `$$…$$` or `$tag$…$tag$`.
    DollarQuoted,
    /// `--` up to the end of the line, the newline excluded.
    LineComment,
    /// `/* … */`, with the comments nested in it.
    BlockComment,
    /// An unquoted name or keyword.
    Identifier,
    /// A run of blanks.
    Whitespace,
    /// One character of anything else: `;`, `.`, an operator, a digit, a `$` that opens
    /// no quote.
    Other,
}

impl TokenKind {
    /// Blanks and comments: what the server skips between the tokens that count.
    pub(crate) fn is_blank(self) -> bool {
        matches!(
            self,
            Self::Whitespace | Self::LineComment | Self::BlockComment
        )
    }
}

/// A piece of the input; the tokens of an input, in order, spell it exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub kind: TokenKind,
    pub text: &'a str,
    /// Byte offset of `text` in the input.
    pub offset: usize,
}

impl Token<'_> {
    /// The name an identifier stands for, as PostgreSQL resolves it: unquoted ones fold to
    /// lower case, quoted ones are taken as written. `None` for other tokens and for a
    /// quoted identifier left open, which names nothing.
    pub(crate) fn name(&self) -> Option<String> {
        match self.kind {
            TokenKind::Identifier => Some(self.text.to_ascii_lowercase()),
            TokenKind::QuotedIdentifier => {
                let inner = self.text.strip_prefix('"')?.strip_suffix('"')?;
                // Left open, the last quote is the first half of a doubled one.
                let open = inner.replace("\"\"", "").contains('"');
                (!open).then(|| inner.replace("\"\"", "\""))
            }
            _ => None,
        }
    }
}

/// The tokens of `sql`.
pub(crate) fn tokens(sql: &str) -> Tokens<'_> {
    Tokens { sql, at: 0 }
}

/// The iterator [`tokens`] returns.
#[derive(Debug, Clone)]
pub(crate) struct Tokens<'a> {
    sql: &'a str,
    at: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let rest = &self.sql[self.at..];
        let c = rest.chars().next()?;
        let before = &self.sql[..self.at];
        let (kind, len) = match c {
            '\'' => {
                let backslash_escapes = before
                    .strip_suffix(['e', 'E'])
                    .is_some_and(|b| !ends_in_word(b));
                (TokenKind::Literal, quoted_len(rest, backslash_escapes))
            }
            '"' => (TokenKind::QuotedIdentifier, quoted_len(rest, false)),
            '$' if !ends_in_word(before) => match dollar_quoted_len(rest) {
                Some(len) => (TokenKind::DollarQuoted, len),
                None => (TokenKind::Other, 1),
            },
            '-' if rest.starts_with("--") => (
                TokenKind::LineComment,
                rest.find('\n').unwrap_or(rest.len()),
            ),
            '/' if rest.starts_with("/*") => (TokenKind::BlockComment, block_comment_len(rest)),
            c if is_identifier_start(c) => (
                TokenKind::Identifier,
                rest.find(|c| !is_identifier_char(c)).unwrap_or(rest.len()),
            ),
            c if c.is_ascii_whitespace() => (
                TokenKind::Whitespace,
                rest.find(|c: char| !c.is_ascii_whitespace())
                    .unwrap_or(rest.len()),
            ),
            c => (TokenKind::Other, c.len_utf8()),
        };
        let token = Token {
            kind,
            text: &rest[..len],
            offset: self.at,
        };
        self.at += len;
        Some(token)
    }
}

/// Whether `s` ends in a character a name can hold: a `$` after one is part of the name,
/// and an `E` after one is no `E'…'` prefix.
fn ends_in_word(s: &str) -> bool {
    s.chars().next_back().is_some_and(is_identifier_char)
}

fn is_identifier_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || !c.is_ascii()
}

fn is_identifier_char(c: char) -> bool {
    is_identifier_start(c) || c.is_ascii_digit() || c == '$'
}

/// Length of the text quoted by the `'` or `"` that `s` starts with: a doubled quote is
/// part of the text, and with `backslash_escapes` so is a backslash-escaped one.
fn quoted_len(s: &str, backslash_escapes: bool) -> usize {
    let bytes = s.as_bytes();
    let quote = bytes[0];
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if backslash_escapes => i += 2,
            b if b == quote && bytes.get(i + 1) == Some(&quote) => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Length of the dollar-quoted string `s` starts with, or `None` when its `$` opens no
/// tag (as in `$1`).
fn dollar_quoted_len(s: &str) -> Option<usize> {
    let tag_len = s[1..].find('$')? + 2;
    let tag = &s[..tag_len];
    let mut name = tag[1..tag_len - 1].chars();
    let valid = name.next().is_none_or(is_identifier_start) && name.all(is_identifier_char);
    valid.then(|| {
        s[tag_len..]
            .find(tag)
            .map_or(s.len(), |end| tag_len + end + tag_len)
    })
}

/// Length of the block comment `s` starts with, the comments nested in it included.
fn block_comment_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut depth = 0;
    let mut i = 0;
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

#[cfg(test)]
mod tests {
    use super::TokenKind::*;
    use super::*;

    fn lex(sql: &str) -> Vec<(TokenKind, &str)> {
        tokens(sql).map(|t| (t.kind, t.text)).collect()
    }

    #[test]
    fn string_literals_double_their_quotes() {
        assert_eq!(
            lex("'it''s' 'a\\'"),
            [(Literal, "'it''s'"), (Whitespace, " "), (Literal, "'a\\'")]
        );
    }

    #[test]
    fn an_e_literal_also_escapes_with_a_backslash() {
        assert_eq!(lex(r"E'it\'s'"), [(Identifier, "E"), (Literal, r"'it\'s'")]);
        assert_eq!(
            lex(r"e'\\' x"),
            [
                (Identifier, "e"),
                (Literal, r"'\\'"),
                (Whitespace, " "),
                (Identifier, "x")
            ]
        );
        // `note'…'` is a name and a plain literal, not an `E` string.
        assert_eq!(
            lex(r"note'a\' b"),
            [
                (Identifier, "note"),
                (Literal, r"'a\'"),
                (Whitespace, " "),
                (Identifier, "b")
            ]
        );
        assert_eq!(
            lex(r"1e'\'"),
            [(Other, "1"), (Identifier, "e"), (Literal, r"'\'")]
        );
    }

    #[test]
    fn quoted_identifiers_double_their_quotes() {
        assert_eq!(
            lex(r#""My ""App""".x"#),
            [
                (QuotedIdentifier, r#""My ""App""""#),
                (Other, "."),
                (Identifier, "x")
            ]
        );
    }

    #[test]
    fn dollar_quotes_need_a_tag_that_could_be_a_name() {
        assert_eq!(lex("$$a;'b$$"), [(DollarQuoted, "$$a;'b$$")]);
        assert_eq!(
            lex("$t_1$ $$ $x$ $t_1$;"),
            [(DollarQuoted, "$t_1$ $$ $x$ $t_1$"), (Other, ";")]
        );
        assert_eq!(lex("$é$ x $é$"), [(DollarQuoted, "$é$ x $é$")]);
        assert_eq!(
            lex("$1, $2$"),
            [
                (Other, "$"),
                (Other, "1"),
                (Other, ","),
                (Whitespace, " "),
                (Other, "$"),
                (Other, "2"),
                (Other, "$"),
            ]
        );
    }

    #[test]
    fn a_dollar_after_a_word_character_is_part_of_it() {
        assert_eq!(
            lex("a$b$ c"),
            [(Identifier, "a$b$"), (Whitespace, " "), (Identifier, "c")]
        );
        assert_eq!(
            lex("1$$x$$"),
            [
                (Other, "1"),
                (Other, "$"),
                (Other, "$"),
                (Identifier, "x$$")
            ]
        );
    }

    #[test]
    fn line_comments_stop_before_the_newline() {
        assert_eq!(
            lex("-- a; 'b\nc - -d"),
            [
                (LineComment, "-- a; 'b"),
                (Whitespace, "\n"),
                (Identifier, "c"),
                (Whitespace, " "),
                (Other, "-"),
                (Whitespace, " "),
                (Other, "-"),
                (Identifier, "d"),
            ]
        );
    }

    #[test]
    fn block_comments_nest() {
        assert_eq!(
            lex("/* a /* b */ 'c */ d / e"),
            [
                (BlockComment, "/* a /* b */ 'c */"),
                (Whitespace, " "),
                (Identifier, "d"),
                (Whitespace, " "),
                (Other, "/"),
                (Whitespace, " "),
                (Identifier, "e"),
            ]
        );
    }

    #[test]
    fn names_take_letters_digits_underscores_and_dollars() {
        assert_eq!(
            lex("_x1 café 2b"),
            [
                (Identifier, "_x1"),
                (Whitespace, " "),
                (Identifier, "café"),
                (Whitespace, " "),
                (Other, "2"),
                (Identifier, "b"),
            ]
        );
    }

    #[test]
    fn unterminated_input_ends_the_token() {
        for sql in ["'a''", r#""a"""#, "$t$ a $t", "/* a /* b */", "-- a"] {
            assert_eq!(lex(sql).len(), 1, "{sql}");
            assert_eq!(lex(sql)[0].1, sql);
        }
        assert_eq!(lex(r"E'a\'"), [(Identifier, "E"), (Literal, r"'a\'")]);
    }

    #[test]
    fn tokens_spell_the_input_at_their_offsets() {
        let sql = "SELECT E'x\\'', \"é\" -- c\n/* d */ $$e$$;";
        let mut at = 0;
        for token in tokens(sql) {
            assert_eq!(token.offset, at);
            assert_eq!(&sql[at..at + token.text.len()], token.text);
            at += token.text.len();
        }
        assert_eq!(at, sql.len());
    }

    #[test]
    fn names_resolve_as_the_server_resolves_them() {
        let name = |sql| tokens(sql).next().unwrap().name();
        assert_eq!(name("App_1"), Some("app_1".to_owned()));
        assert_eq!(name(r#""My ""App""""#), Some(r#"My "App""#.to_owned()));
        assert_eq!(name(r#""""#), Some(String::new()));
        assert_eq!(name(r#""open"#), None);
        assert_eq!(name(r#""open"""#), None);
        assert_eq!(name("'app'"), None);
    }

    #[test]
    fn blanks_are_whitespace_and_comments() {
        let blank: Vec<bool> = tokens(" -- a\n/* b */x")
            .map(|t| t.kind.is_blank())
            .collect();
        assert_eq!(blank, [true, true, true, true, false]);
    }
}
