//! Pointing schema-qualified names in declared SQL at the scratch twins.
//!
//! A declaration may name its own objects with their schema (`'new'::app.status`, the
//! way the server prints them when `app` is not on the search path). In the scratch
//! schemas those names must reach the scratch copies, or a default would cast to the
//! live type and fail against a column of the scratch type. Only `schema.name` pairs
//! that name an object created in the scratch schemas are rewritten; functions,
//! sequences and domains of the real schemas stay where they are, and string literals,
//! quoted text and comments are left alone.

/// `sql` with every `schema.name` for which `twin(schema, name)` answers a scratch
/// schema rewritten to `"scratch".name`. Names compare the way PostgreSQL resolves
/// them: unquoted identifiers fold to lower case, quoted ones are taken as written.
pub(super) fn retarget(sql: &str, twin: impl Fn(&str, &str) -> Option<String>) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        let skipped = match c {
            '\'' => literal_len(rest, out.ends_with(['e', 'E']) && !ends_in_word(&out, 1)),
            '$' if !ends_in_word(&out, 0) => dollar_quoted_len(rest),
            '-' if rest.starts_with("--") => rest.find('\n').unwrap_or(rest.len()),
            '/' if rest.starts_with("/*") => block_comment_len(rest),
            _ => 0,
        };
        if skipped > 0 {
            out.push_str(&rest[..skipped]);
            rest = &rest[skipped..];
            continue;
        }
        if let Some((schema, schema_len)) = identifier(rest) {
            let after = &rest[schema_len..];
            if let Some(name_part) = after.strip_prefix('.')
                && let Some((name, _)) = identifier(name_part)
                && let Some(scratch) = twin(&schema, &name)
            {
                out.push_str(&crate::ddl::ident(&scratch));
                rest = after;
                continue;
            }
            out.push_str(&rest[..schema_len]);
            rest = after;
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether `out` ends in an identifier character `skip` characters from its end
/// (so that `E'…'` is told from `note'…'` and `$1` from `a$b`).
fn ends_in_word(out: &str, skip: usize) -> bool {
    out.chars()
        .rev()
        .nth(skip)
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// An identifier at the start of `s`: its name as PostgreSQL resolves it and its length.
fn identifier(s: &str) -> Option<(String, usize)> {
    let mut chars = s.char_indices();
    match chars.next()? {
        (_, '"') => {
            let mut name = String::new();
            let mut iter = s[1..].char_indices().peekable();
            while let Some((i, c)) = iter.next() {
                if c == '"' {
                    if iter.peek().is_some_and(|(_, n)| *n == '"') {
                        iter.next();
                    } else {
                        return Some((name, i + 2));
                    }
                }
                name.push(c);
            }
            None
        }
        (_, c) if c.is_alphabetic() || c == '_' => {
            let len = s
                .char_indices()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
                .map_or(s.len(), |(i, _)| i);
            Some((s[..len].to_ascii_lowercase(), len))
        }
        _ => None,
    }
}

/// Length of the string literal at the start of `s` (`''` inside; `\'` too in `E''`).
fn literal_len(s: &str, backslash_escapes: bool) -> usize {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if backslash_escapes => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    s.len()
}

/// Length of the dollar-quoted string at the start of `s`, or 0 if there is none.
fn dollar_quoted_len(s: &str) -> usize {
    let Some(tag_len) = s[1..].find('$').map(|i| i + 2) else {
        return 0;
    };
    let tag = &s[..tag_len];
    let valid = tag[1..tag_len - 1]
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_alphabetic() || (i > 0 && c.is_ascii_digit()));
    if !valid {
        return 0;
    }
    s[tag_len..]
        .find(tag)
        .map_or(s.len(), |end| tag_len + end + tag_len)
}

/// Length of the (possibly nested) block comment at the start of `s`.
fn block_comment_len(s: &str) -> usize {
    let mut depth = 0;
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with("/*") {
            depth += 1;
            i += 2;
        } else if s[i..].starts_with("*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn twin(schema: &str, name: &str) -> Option<String> {
        match (schema, name) {
            ("app", "status") | ("My App", "level") => Some(format!("tw_{}", schema.len())),
            _ => None,
        }
    }

    #[test]
    fn rewrites_qualified_names_of_scratch_objects() {
        assert_eq!(
            retarget("'new'::app.status", twin),
            r#"'new'::"tw_3".status"#
        );
        assert_eq!(retarget("x::APP.status", twin), r#"x::"tw_3".status"#);
        assert_eq!(
            retarget(r#"'a'::"My App"."level""#, twin),
            r#"'a'::"tw_6"."level""#
        );
        assert_eq!(
            retarget("(st = ANY (ARRAY['a'::app.status, 'b'::app.status]))", twin),
            r#"(st = ANY (ARRAY['a'::"tw_3".status, 'b'::"tw_3".status]))"#
        );
    }

    #[test]
    fn leaves_everything_else_alone() {
        for sql in [
            "app.next_id()",
            "'app.status'",
            "E'it\\'s app.status'",
            "$$app.status$$",
            "$t$ app.status $t$",
            "-- app.status\n1",
            "/* app.status /* nested */ app.status */ 1",
            r#""My App".status"#,
            "myapp.status",
            "app_status",
            "lower(email)",
        ] {
            assert_eq!(retarget(sql, twin), sql);
        }
    }
}
