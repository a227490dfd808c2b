//! DDL rendering: the only place that writes DDL text.
//!
//! Every identifier goes through [`ident`] and every literal (enum labels, comments)
//! through [`literal`]. Expressions (defaults, checks, index predicates) are SQL the
//! schema author wrote and are emitted as written.

mod logic;

use std::fmt::Write;

use schema_sql_types::{Kind, format_type};

use crate::model::sql_type::Spelling;
use crate::model::{
    CheckDef, ColumnDef, DEFAULT_SCHEMA, Deferrable, EnumDef, FkAction, ForeignKeyDef, Identity,
    IndexDef, KeyDef, PolicyDef, SqlType, TableDef, ViewDef,
};
use crate::plan::Plan;
use crate::step::{EnumPosition, Step};

/// A double-quoted identifier: `users` → `"users"`, `a"b` → `"a""b"`.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A schema-qualified name: `"public"."users"`.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", ident(schema), ident(name))
}

/// A string literal: `it's` → `'it''s'` (with `standard_conforming_strings`, the
/// default since PostgreSQL 9.1, backslashes are plain characters).
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// The whole plan as one SQL script, a statement per line group, ending in `;`.
pub fn render_plan(plan: &Plan) -> String {
    let mut out = String::new();
    for step in &plan.steps {
        for statement in render_step(step) {
            out.push_str(&statement);
            out.push_str(";\n");
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The statements of one step, without trailing semicolons.
pub fn render_step(step: &Step) -> Vec<String> {
    let alter = |schema: &str, table: &str| format!("ALTER TABLE {}", qualified(schema, table));
    let one = |s: String| vec![s];
    match step {
        Step::CreateSchema { schema } => {
            one(format!("CREATE SCHEMA IF NOT EXISTS {}", ident(schema)))
        }
        Step::CreateEnum { schema, def } => one(create_enum(schema, def)),
        Step::DropEnum { schema, name } => one(format!("DROP TYPE {}", qualified(schema, name))),
        Step::AddEnumValue {
            schema,
            name,
            value,
            position,
        } => {
            let at = match position {
                EnumPosition::After(label) => format!(" AFTER {}", literal(label)),
                EnumPosition::Before(label) => format!(" BEFORE {}", literal(label)),
                EnumPosition::End => String::new(),
            };
            one(format!(
                "ALTER TYPE {} ADD VALUE IF NOT EXISTS {}{at}",
                qualified(schema, name),
                literal(value)
            ))
        }
        Step::CreateTable { schema, table } => create_table(schema, table),
        Step::RenameTable { schema, from, to } => {
            one(format!("{} RENAME TO {}", alter(schema, from), ident(to)))
        }
        Step::RenameColumn {
            schema,
            table,
            from,
            to,
        } => one(format!(
            "{} RENAME COLUMN {} TO {}",
            alter(schema, table),
            ident(from),
            ident(to)
        )),
        Step::RenameConstraint {
            schema,
            table,
            from,
            to,
        } => one(format!(
            "{} RENAME CONSTRAINT {} TO {}",
            alter(schema, table),
            ident(from),
            ident(to)
        )),
        Step::RenameIndex { schema, from, to } => one(format!(
            "ALTER INDEX {} RENAME TO {}",
            qualified(schema, from),
            ident(to)
        )),
        Step::AddColumn {
            schema,
            table,
            column: c,
        } => one(format!(
            "{} ADD COLUMN {}",
            alter(schema, table),
            column(schema, c)
        )),
        Step::AlterColumnType {
            schema,
            table,
            column,
            sql_type,
            array,
        } => {
            let ty = column_type(schema, sql_type, *array);
            one(format!(
                "{} ALTER COLUMN {} TYPE {ty} USING {}::{ty}",
                alter(schema, table),
                ident(column),
                ident(column)
            ))
        }
        Step::SetNullable {
            schema,
            table,
            column,
            nullable,
        } => one(format!(
            "{} ALTER COLUMN {} {} NOT NULL",
            alter(schema, table),
            ident(column),
            if *nullable { "DROP" } else { "SET" }
        )),
        Step::SetDefault {
            schema,
            table,
            column,
            default,
        } => one(match default {
            Some(expr) => format!(
                "{} ALTER COLUMN {} SET DEFAULT {expr}",
                alter(schema, table),
                ident(column)
            ),
            None => format!(
                "{} ALTER COLUMN {} DROP DEFAULT",
                alter(schema, table),
                ident(column)
            ),
        }),
        Step::DropExpression {
            schema,
            table,
            column,
        } => one(format!(
            "{} ALTER COLUMN {} DROP EXPRESSION",
            alter(schema, table),
            ident(column)
        )),
        Step::AddPrimaryKey {
            schema,
            table,
            key: k,
        } => one(format!(
            "{} ADD {}",
            alter(schema, table),
            key("PRIMARY KEY", k)
        )),
        Step::AddUnique {
            schema,
            table,
            key: k,
        } => one(format!("{} ADD {}", alter(schema, table), key("UNIQUE", k))),
        Step::AddKeyUsingIndex {
            schema,
            table,
            key,
            primary_key,
        } => vec![
            key_index(schema, table, key),
            attach_key_index(schema, table, key, *primary_key),
        ],
        Step::AddCheck {
            schema,
            table,
            check: c,
            not_valid,
        } => one(format!(
            "{} ADD {}{}",
            alter(schema, table),
            check(c),
            if *not_valid { " NOT VALID" } else { "" }
        )),
        Step::AddForeignKey {
            schema,
            table,
            fk,
            not_valid,
        } => one(format!(
            "{} ADD {}{}",
            alter(schema, table),
            foreign_key(fk),
            if *not_valid { " NOT VALID" } else { "" }
        )),
        Step::ValidateConstraint {
            schema,
            table,
            name,
        } => one(format!(
            "{} VALIDATE CONSTRAINT {}",
            alter(schema, table),
            ident(name)
        )),
        Step::CreateIndex {
            schema,
            table,
            index,
            concurrently,
        } => one(create_index(schema, table, index, *concurrently)),
        Step::DropConstraint {
            schema,
            table,
            name,
        } => one(format!(
            "{} DROP CONSTRAINT {}",
            alter(schema, table),
            ident(name)
        )),
        Step::DropIndex {
            schema,
            name,
            concurrently,
        } => one(format!(
            "DROP INDEX {}{}",
            if *concurrently {
                "CONCURRENTLY IF EXISTS "
            } else {
                ""
            },
            qualified(schema, name)
        )),
        Step::DropColumn {
            schema,
            table,
            column,
        } => one(format!(
            "{} DROP COLUMN {}",
            alter(schema, table),
            ident(column)
        )),
        Step::DropTable { schema, table } => {
            one(format!("DROP TABLE {}", qualified(schema, table)))
        }
        Step::CommentOnTable {
            schema,
            table,
            comment,
        } => one(format!(
            "COMMENT ON TABLE {} IS {}",
            qualified(schema, table),
            comment.as_deref().map_or("NULL".into(), literal)
        )),
        Step::CommentOnColumn {
            schema,
            table,
            column,
            comment,
        } => one(format!(
            "COMMENT ON COLUMN {}.{} IS {}",
            qualified(schema, table),
            ident(column),
            comment.as_deref().map_or("NULL".into(), literal)
        )),
        Step::SetRowSecurity {
            schema,
            table,
            enabled,
        } => one(row_security(schema, table, *enabled)),
        Step::SetForceRowSecurity {
            schema,
            table,
            forced,
        } => one(force_row_security(schema, table, *forced)),
        Step::CreatePolicy {
            schema,
            table,
            policy,
        } => one(create_policy(schema, table, policy)),
        Step::DropPolicy {
            schema,
            table,
            name,
        } => one(format!(
            "DROP POLICY {} ON {}",
            ident(name),
            qualified(schema, table)
        )),
        Step::CreateFunction { schema, name, body } => {
            one(logic::create_function(schema, name, body))
        }
        Step::DropFunction { schema, name } => {
            one(format!("DROP FUNCTION {}()", qualified(schema, name)))
        }
        Step::CreateTrigger { trigger } => one(logic::create_trigger(trigger)),
        Step::CreateView { schema, view } => create_view(schema, view),
        Step::DropView { schema, name } => one(format!("DROP VIEW {}", qualified(schema, name))),
        Step::DropTrigger {
            schema,
            table,
            name,
        } => one(format!(
            "DROP TRIGGER {} ON {}",
            ident(name),
            qualified(schema, table)
        )),
    }
}

/// The body of a view names its neighbours without a schema: it is read with the view's
/// schema first on the search path (then `public`, where extensions put their
/// functions), set for the rest of the transaction and then put back to the
/// session's default. The server stores the body resolved, so the path is not kept.
fn create_view(schema: &str, view: &ViewDef) -> Vec<String> {
    let path = if schema == DEFAULT_SCHEMA {
        ident(schema)
    } else {
        format!("{}, {}", ident(schema), ident(DEFAULT_SCHEMA))
    };
    vec![
        format!("SET LOCAL search_path TO {path}"),
        create_view_statement(schema, view),
        "SET LOCAL search_path TO DEFAULT".to_owned(),
    ]
}

/// `CREATE VIEW` alone, read with whatever search path the session has.
pub(crate) fn create_view_statement(schema: &str, view: &ViewDef) -> String {
    let options = if view.security_invoker {
        " WITH (security_invoker = true)"
    } else {
        ""
    };
    format!(
        "CREATE VIEW {}{options} AS\n{}",
        qualified(schema, &view.name),
        view.body.trim().trim_end_matches(';')
    )
}

fn row_security(schema: &str, table: &str, enabled: bool) -> String {
    let verb = if enabled { "ENABLE" } else { "DISABLE" };
    format!(
        "ALTER TABLE {} {verb} ROW LEVEL SECURITY",
        qualified(schema, table)
    )
}

fn force_row_security(schema: &str, table: &str, forced: bool) -> String {
    let verb = if forced { "FORCE" } else { "NO FORCE" };
    format!(
        "ALTER TABLE {} {verb} ROW LEVEL SECURITY",
        qualified(schema, table)
    )
}

/// `CREATE POLICY "p" ON "s"."t" [AS RESTRICTIVE] FOR ALL TO PUBLIC USING (…) WITH CHECK (…)`.
pub fn create_policy(schema: &str, table: &str, policy: &PolicyDef) -> String {
    let mut out = format!(
        "CREATE POLICY {} ON {}",
        ident(&policy.name),
        qualified(schema, table)
    );
    if !policy.permissive {
        out.push_str(" AS RESTRICTIVE");
    }
    let _ = write!(out, " FOR {}", policy.command.sql());
    let roles: Vec<String> = policy.roles.iter().map(|r| ident(r)).collect();
    let roles = if roles.is_empty() {
        "PUBLIC".to_owned()
    } else {
        roles.join(", ")
    };
    let _ = write!(out, " TO {roles}");
    if let Some(using) = &policy.using {
        let _ = write!(out, " USING ({using})");
    }
    if let Some(check) = &policy.with_check {
        let _ = write!(out, " WITH CHECK ({check})");
    }
    out
}

fn create_enum(schema: &str, def: &EnumDef) -> String {
    let labels: Vec<String> = def.values.iter().map(|v| literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        qualified(schema, &def.name),
        labels.join(", ")
    )
}

fn create_table(schema: &str, table: &TableDef) -> Vec<String> {
    let mut lines: Vec<String> = table.columns.iter().map(|c| column(schema, c)).collect();
    if let Some(pk) = &table.primary_key {
        lines.push(key("PRIMARY KEY", pk));
    }
    lines.extend(table.uniques.iter().map(|u| key("UNIQUE", u)));
    lines.extend(table.checks.iter().map(check));
    lines.extend(table.foreign_keys.iter().map(foreign_key));

    let name = qualified(schema, &table.name);
    let mut statements = vec![format!(
        "CREATE TABLE {name} (\n    {}\n)",
        lines.join(",\n    ")
    )];
    if let Some(comment) = &table.comment {
        statements.push(format!("COMMENT ON TABLE {name} IS {}", literal(comment)));
    }
    for c in table.columns.iter() {
        if let Some(comment) = &c.comment {
            statements.push(format!(
                "COMMENT ON COLUMN {name}.{} IS {}",
                ident(&c.name),
                literal(comment)
            ));
        }
    }
    if table.row_security.enabled {
        statements.push(row_security(schema, &table.name, true));
    }
    if table.row_security.forced {
        statements.push(force_row_security(schema, &table.name, true));
    }
    for policy in table.policies.iter() {
        statements.push(create_policy(schema, &table.name, policy));
    }
    statements
}

/// A column definition line: name, type, identity, nullability, default or generation.
pub fn column(schema: &str, c: &ColumnDef) -> String {
    let mut out = ident(&c.name);
    out.push(' ');
    if c.identity == Some(Identity::Serial) && !c.array {
        out.push_str(serial_type(&c.sql_type));
    } else {
        out.push_str(&column_type(schema, &c.sql_type, c.array));
    }
    match c.identity {
        Some(Identity::Always) => out.push_str(" GENERATED ALWAYS AS IDENTITY"),
        Some(Identity::ByDefault) => out.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        _ => {}
    }
    if !c.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(default) = &c.default {
        let _ = write!(out, " DEFAULT {default}");
    }
    if let Some(expression) = &c.generated {
        let _ = write!(out, " GENERATED ALWAYS AS ({expression}) STORED");
    }
    out
}

fn serial_type(sql_type: &SqlType) -> &'static str {
    match sql_type.spelling() {
        Spelling::Builtin(kind, _) => kind.serial(),
        Spelling::Enum(_) | Spelling::Other(_) => Kind::Integer.serial(),
    }
}

/// A column type as PostgreSQL's `format_type` prints it (enums schema-qualified).
pub fn column_type(schema: &str, sql_type: &SqlType, array: bool) -> String {
    let mut out = scalar_type(schema, sql_type);
    if array {
        out.push_str("[]");
    }
    out
}

fn scalar_type(schema: &str, sql_type: &SqlType) -> String {
    match sql_type.spelling() {
        Spelling::Builtin(kind, modifier) => format_type(kind, modifier),
        Spelling::Enum(def) => qualified(def.schema.as_deref().unwrap_or(schema), &def.name),
        Spelling::Other(text) => text.to_owned(),
    }
}

fn key(kind: &str, k: &KeyDef) -> String {
    format!(
        "CONSTRAINT {} {kind} ({})",
        ident(&k.name),
        idents(&k.columns)
    )
}

fn check(c: &CheckDef) -> String {
    format!("CONSTRAINT {} CHECK ({})", ident(&c.name), c.expression)
}

/// `CONSTRAINT "t_c_fkey" FOREIGN KEY ("c") REFERENCES "s"."t" ("id") ON DELETE …`.
///
/// Steps carry the target's schema resolved against the sync's default schema
/// ([`ForeignKeyDef::resolved`]); one left unset means [`DEFAULT_SCHEMA`], as in
/// [`crate::ExpectedSchema::ddl`]. Never the referencing table's schema: a table in
/// `billing` that references a table naming no schema points into the default schema.
pub fn foreign_key(fk: &ForeignKeyDef) -> String {
    let mut out = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        ident(&fk.name),
        idents(&fk.columns),
        qualified(fk.ref_schema_or(DEFAULT_SCHEMA), &fk.ref_table),
        idents(&fk.ref_columns),
    );
    if fk.on_delete != FkAction::NoAction {
        let _ = write!(out, " ON DELETE {}", fk.on_delete.sql());
        if !fk.set_columns.is_empty() {
            let _ = write!(out, " ({})", idents(&fk.set_columns));
        }
    }
    if fk.on_update != FkAction::NoAction {
        let _ = write!(out, " ON UPDATE {}", fk.on_update.sql());
    }
    match fk.deferrable {
        Deferrable::NotDeferrable => {}
        Deferrable::InitiallyImmediate => out.push_str(" DEFERRABLE"),
        Deferrable::InitiallyDeferred => out.push_str(" DEFERRABLE INITIALLY DEFERRED"),
    }
    out
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY IF NOT EXISTS] "name" ON "s"."t" [USING m] (cols) [WHERE p]`.
///
/// A concurrent build runs outside a transaction and may be retried after a failure,
/// hence `IF NOT EXISTS`.
pub fn create_index(schema: &str, table: &str, index: &IndexDef, concurrently: bool) -> String {
    let keys: Vec<String> = index.columns.iter().map(|c| index_key(c)).collect();
    let mut out = format!(
        "CREATE {}INDEX {}{} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        if concurrently {
            "CONCURRENTLY IF NOT EXISTS "
        } else {
            ""
        },
        ident(&index.name),
        qualified(schema, table)
    );
    if let Some(method) = &index.method {
        let _ = write!(out, " USING {}", ident(method));
    }
    let _ = write!(out, " ({})", keys.join(", "));
    if let Some(predicate) = &index.predicate {
        let _ = write!(out, " WHERE {predicate}");
    }
    out
}

/// `CREATE UNIQUE INDEX CONCURRENTLY "k" ON "s"."t" ("c", …)`: the index a key adopts
/// afterwards, under the key's name. No `IF NOT EXISTS`: an index of that name that is
/// already there is not known to be this key's.
pub(crate) fn key_index(schema: &str, table: &str, key: &KeyDef) -> String {
    format!(
        "CREATE UNIQUE INDEX CONCURRENTLY {} ON {} ({})",
        ident(&key.name),
        qualified(schema, table),
        idents(&key.columns)
    )
}

/// `ALTER TABLE "s"."t" ADD CONSTRAINT "k" UNIQUE USING INDEX "k"` (or `PRIMARY KEY`).
pub(crate) fn attach_key_index(
    schema: &str,
    table: &str,
    key: &KeyDef,
    primary_key: bool,
) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}",
        qualified(schema, table),
        ident(&key.name),
        if primary_key { "PRIMARY KEY" } else { "UNIQUE" },
        ident(&key.name)
    )
}

/// The query that tells whether the rows of `"s"."t"` allow a key on `columns`: the
/// number of key values held by more than one row, up to `$1` of them as text (most
/// repeated first), and, for a primary key, the number of rows with a NULL key column
/// (`NULL` for a unique constraint, where such rows never collide).
pub(crate) fn duplicate_keys_query(
    schema: &str,
    table: &str,
    columns: &[crate::model::Text],
    primary_key: bool,
) -> String {
    let cols = idents(columns);
    let key_text = match columns {
        [one] => format!("{}::text", ident(one)),
        _ => format!("ROW({cols})::text"),
    };
    let any_null = columns
        .iter()
        .map(|c| format!("{} IS NULL", ident(c)))
        .collect::<Vec<_>>()
        .join(" OR ");
    let from = qualified(schema, table);
    let nulls = if primary_key {
        format!("(SELECT count(*) FROM {from} WHERE {any_null})")
    } else {
        "NULL::bigint".to_owned()
    };
    format!(
        "WITH duplicates AS (\
           SELECT {key_text} AS key, count(*) AS copies FROM {from} \
           WHERE NOT ({any_null}) GROUP BY {cols} HAVING count(*) > 1) \
         SELECT (SELECT count(*) FROM duplicates), \
           ARRAY(SELECT key FROM duplicates ORDER BY copies DESC, key LIMIT $1), {nulls}"
    )
}

/// An index key: a column name is quoted, an expression (written in parentheses) is not.
fn index_key(key: &str) -> String {
    if key.starts_with('(') {
        key.to_owned()
    } else {
        ident(key)
    }
}

fn idents(names: &[crate::model::Text]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}
