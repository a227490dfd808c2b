//! Pointing schema-qualified names in declared SQL at the scratch twins.
//!
//! A declaration may name its own objects with their schema (`'new'::app.status`, the
//! way the server prints them when `app` is not on the search path). In the scratch
//! schemas those names must reach the scratch copies, or a default would cast to the
//! live type and fail against a column of the scratch type. Only `schema.name` pairs
//! that name an object created in the scratch schemas are rewritten; functions,
//! sequences and domains of the real schemas stay where they are, and string literals,
//! quoted text and comments are left alone.

use crate::sql_lexer::{Token, tokens};

/// `sql` with every `schema.name` for which `twin(schema, name)` answers a scratch
/// schema rewritten to `"scratch".name`. Names compare the way PostgreSQL resolves
/// them: unquoted identifiers fold to lower case, quoted ones are taken as written.
pub(super) fn retarget(sql: &str, twin: impl Fn(&str, &str) -> Option<String>) -> String {
    let tokens: Vec<Token> = tokens(sql).collect();
    let mut out = String::with_capacity(sql.len());
    for (i, token) in tokens.iter().enumerate() {
        let scratch = match tokens[i..] {
            [schema, dot, name, ..] if dot.text == "." => schema.name().zip(name.name()),
            _ => None,
        }
        .and_then(|(schema, name)| twin(&schema, &name));
        match scratch {
            Some(scratch) => out.push_str(&crate::ddl::ident(&scratch)),
            None => out.push_str(token.text),
        }
    }
    out
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
