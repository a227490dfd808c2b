//! Declared expressions in the text PostgreSQL itself prints for them.
//!
//! The server keeps expressions as parse trees and prints them back in its own words:
//! `status IN ('a','b')` on a varchar column reads back as
//! `((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`.
//! A diff that compares declared text with introspected text never settles, so
//! [`canonicalize`] lets the server print the declared expressions: it creates the
//! declared tables in scratch schemas inside a transaction that is always rolled back,
//! reads them back with [`introspect`], and copies the server's text onto the
//! declaration.
//!
//! The server's text depends on the session (`search_path` decides which names print
//! qualified; `DateStyle` and friends shape literals), so canonicalize and introspect on
//! the same connection, with the same settings.

mod retarget;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use postgres::{Client, Transaction};

use crate::catalog::Catalog;
use crate::ddl;
use crate::introspect::{IntrospectError, introspect};
use crate::model::{CheckDef, ColumnDef, EnumDef, IndexDef, SqlType, TableDef, Text};
use crate::pg_error::PgError;

/// Why the declared expressions could not be canonicalized.
#[derive(Debug, thiserror::Error)]
pub enum CanonicalizeError {
    /// Talking to the server failed outside any declared object (opening the
    /// transaction, reading session settings, rolling back).
    #[error("could not {action} while canonicalizing declared expressions: {source}")]
    Session {
        action: &'static str,
        source: PgError,
    },
    /// The server rejected a declared object: its SQL (a default, check, index predicate
    /// or type) is invalid. Fix the declaration; applying it would fail the same way.
    #[error(
        "the server rejected {object} (created in a scratch schema for canonicalization): \
         {source}\n{statement}"
    )]
    Rejected {
        /// The declared object, as `table "s"."t"` or `index "i" on "s"."t"`.
        object: String,
        /// The statement that failed, naming the scratch schema.
        statement: String,
        source: PgError,
    },
    /// Reading the scratch schemas back failed.
    /// The role may not create the scratch schema, or the server is a read-only standby.
    #[error(
        "comparing declared expressions with the live schema creates a scratch schema in a \
         transaction that is rolled back, and the server refused: {source}; GRANT CREATE ON \
         DATABASE to this role (or sync with the role that owns the schema), or verify \
         against the primary rather than a read-only standby"
    )]
    NotPermitted { source: PgError },
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    /// A declared object was created but is not there when read back: PostgreSQL
    /// truncates names longer than 63 bytes, so shorten the declared name.
    #[error("{object} was not found after creating it; is its name longer than 63 bytes?")]
    Lost { object: String },
}

/// The declared catalog with every expression replaced by the server's text for it.
///
/// Column defaults, check expressions, index predicates and index expression columns
/// take the server's text; columns declared with [`SqlType::Other`] take the type the
/// server resolved (`int4` → [`SqlType::Integer`]); index methods take the server's
/// spelling (`btree` → `None`). Everything else — names, schemas (including `None`),
/// order, comments, declaration options — stays as declared.
///
/// Tables without a schema are created in `default_schema`'s scratch twin. Foreign keys,
/// primary keys and unique constraints are not created (they hold no expressions), so
/// tables need not form a complete set.
///
/// Nothing persists: all work happens in one transaction that is rolled back, also on
/// error. The scratch schemas take the place of the declared ones on the session's
/// `search_path`, followed by the real ones, so names print qualified or unqualified
/// exactly as [`introspect`] would print them for the real objects on this connection,
/// and functions or sequences of the real schemas stay reachable. Any remaining
/// mention of a scratch schema is rewritten to the declared schema.
pub fn canonicalize(
    client: &mut Client,
    declared: &Catalog,
    default_schema: &str,
) -> Result<Catalog, CanonicalizeError> {
    let mut tx = client
        .transaction()
        .map_err(session("open a transaction"))?;
    let scratch = Scratch::enter(&mut tx, declared, default_schema)?;
    scratch.create(&mut tx, declared, default_schema)?;
    let names: Vec<&str> = scratch.names.iter().map(String::as_str).collect();
    let server = introspect(&mut tx, &names)?;
    tx.rollback()
        .map_err(session("roll back the scratch schema"))?;
    scratch.apply(declared, default_schema, &server)
}

/// Every enum type the declaration needs, with the schema it goes in, each once.
fn declared_enums<'a>(
    declared: &'a Catalog,
    default_schema: &'a str,
) -> Vec<(&'a str, &'a EnumDef)> {
    let mut enums: Vec<(&str, &EnumDef)> = Vec::new();
    for e in &declared.enums {
        enums.push((e.schema.as_deref().unwrap_or(default_schema), e));
    }
    for table in &declared.tables {
        let schema = table.schema_or(default_schema);
        for c in table.columns.iter() {
            if let SqlType::Enum(e) = &c.sql_type {
                enums.push((e.schema.as_deref().unwrap_or(schema), e));
            }
        }
    }
    let mut seen = HashSet::new();
    enums.retain(|(schema, e)| seen.insert((*schema, &*e.name)));
    enums
}

/// The scratch schemas standing in for the declared ones during one canonicalization.
struct Scratch {
    /// Declared schema name → its scratch twin.
    twins: HashMap<String, String>,
    /// The scratch schema names, in the order of the declared schemas.
    names: Vec<String>,
    /// `scratch.` → `"Declared".`, as the server would print the prefix.
    prefixes: Vec<(String, String)>,
    /// (declared schema, name) of every table and enum type created in a twin: the
    /// names that declared SQL must reach in the twin rather than the real schema.
    objects: HashSet<(String, String)>,
}

impl Scratch {
    /// Names the scratch schemas and puts them on the search path in place of the
    /// declared ones (`SET LOCAL`, so the rollback restores the path).
    fn enter(
        tx: &mut Transaction<'_>,
        declared: &Catalog,
        default_schema: &str,
    ) -> Result<Scratch, CanonicalizeError> {
        let mut objects = HashSet::new();
        for t in &declared.tables {
            objects.insert((t.schema_or(default_schema).to_owned(), t.name.to_string()));
        }
        for (schema, e) in declared_enums(declared, default_schema) {
            objects.insert((schema.to_owned(), e.name.to_string()));
        }
        let schemas: Vec<String> = objects
            .iter()
            .map(|(schema, _)| schema.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let row = tx
            .query_one(
                "SELECT pg_catalog.current_setting('search_path') AS path, \
                        current_user::text AS who, \
                        pg_catalog.pg_backend_pid() AS pid, \
                        ARRAY(SELECT pg_catalog.format('%I', s) \
                              FROM pg_catalog.unnest($1::text[]) WITH ORDINALITY AS u(s, i) \
                              ORDER BY i) AS quoted",
                &[&schemas],
            )
            .map_err(session("read the session settings"))?;
        let read = session("read the session settings");
        let path: String = row.try_get("path").map_err(&read)?;
        let who: String = row.try_get("who").map_err(&read)?;
        let pid: i32 = row.try_get("pid").map_err(&read)?;
        let quoted: Vec<String> = row.try_get("quoted").map_err(&read)?;

        // The backend pid keeps concurrent canonicalizations on one database apart; the
        // name needs no quoting, so the server prints it exactly like this.
        let names: Vec<String> = (0..schemas.len())
            .map(|i| format!("schema_core_scratch_{pid}_{i}"))
            .collect();
        let twins: HashMap<String, String> =
            schemas.iter().cloned().zip(names.iter().cloned()).collect();
        let prefixes = names
            .iter()
            .zip(&quoted)
            .map(|(scratch, declared)| (format!("{scratch}."), format!("{declared}.")))
            .collect();

        let path = scratch_search_path(&path, &who, &twins);
        tx.query_one(
            "SELECT pg_catalog.set_config('search_path', $1, true)",
            &[&path],
        )
        .map_err(session("set the search path"))?;
        Ok(Scratch {
            twins,
            names,
            prefixes,
            objects,
        })
    }

    fn twin<'a>(&'a self, schema: &'a str) -> &'a str {
        // Every declared schema got a twin in `enter`; fall back to the schema itself
        // rather than panic should a caller ever pass a catalog that changed.
        self.twins.get(schema).map_or(schema, String::as_str)
    }

    /// Creates the schemas, enum types, tables (columns, defaults, checks) and the
    /// indexes that hold expressions, in one round trip.
    fn create(
        &self,
        tx: &mut Transaction<'_>,
        declared: &Catalog,
        default_schema: &str,
    ) -> Result<(), CanonicalizeError> {
        let mut statements: Vec<(String, String)> = Vec::new();
        for name in &self.names {
            let sql = format!("CREATE SCHEMA {}", ddl::ident(name));
            statements.push((format!("scratch schema {}", ddl::ident(name)), sql));
        }

        for (schema, e) in declared_enums(declared, default_schema) {
            let labels: Vec<String> = e.values.iter().map(|v| ddl::literal(v)).collect();
            let sql = format!(
                "CREATE TYPE {} AS ENUM ({})",
                ddl::qualified(self.twin(schema), &e.name),
                labels.join(", ")
            );
            statements.push((
                format!("enum type {}", ddl::qualified(schema, &e.name)),
                sql,
            ));
        }

        for table in &declared.tables {
            let schema = table.schema_or(default_schema);
            let scratch = self.twin(schema);
            let object = format!("table {}", ddl::qualified(schema, &table.name));
            statements.push((object, self.create_table(scratch, schema, table)));
            for index in table.indexes.iter().filter(|i| holds_expressions(i)) {
                let object = format!(
                    "index {} on {}",
                    ddl::ident(&index.name),
                    ddl::qualified(schema, &table.name)
                );
                let sql =
                    ddl::create_index(scratch, &table.name, &self.scratch_index(index), false);
                statements.push((object, sql));
            }
        }
        execute_all(tx, &statements)
    }

    /// `CREATE TABLE` with what holds expressions: columns (types, identity, defaults)
    /// and checks. Columns render exactly as a sync would render them.
    fn create_table(&self, scratch: &str, schema: &str, table: &TableDef) -> String {
        let mut lines: Vec<String> = table
            .columns
            .iter()
            .map(|c| ddl::column(scratch, &self.scratch_column(schema, c)))
            .collect();
        lines.extend(table.checks.iter().map(|c| {
            format!(
                "CONSTRAINT {} CHECK ({})",
                ddl::ident(&c.name),
                self.retarget(&c.expression)
            )
        }));
        format!(
            "CREATE TABLE {} (\n    {}\n)",
            ddl::qualified(scratch, &table.name),
            lines.join(",\n    ")
        )
    }

    /// The column with its type and default pointed at the scratch twins.
    fn scratch_column(&self, schema: &str, c: &ColumnDef) -> ColumnDef {
        let mut c = c.clone();
        match &mut c.sql_type {
            SqlType::Enum(e) => {
                let twin = self.twin(e.schema.as_deref().unwrap_or(schema)).to_owned();
                e.schema = Some(Cow::Owned(twin));
            }
            SqlType::Other(text) => *text = Cow::Owned(self.retarget(text)),
            _ => {}
        }
        c.default = c.default.map(|d| Cow::Owned(self.retarget(&d)));
        // Serial and identity columns hold no declared expression; leaving them out
        // spares the server a sequence per table.
        c.identity = None;
        c
    }

    /// The index with its expressions pointed at the scratch twins.
    fn scratch_index(&self, index: &IndexDef) -> IndexDef {
        let mut index = index.clone();
        index.columns = index
            .columns
            .iter()
            .map(|k| Cow::Owned(self.retarget(k)))
            .collect();
        index.predicate = index.predicate.map(|p| Cow::Owned(self.retarget(&p)));
        index
    }

    /// Declared SQL with qualified names of scratch objects pointed at the twins.
    fn retarget(&self, sql: &str) -> String {
        retarget::retarget(sql, |schema, name| {
            self.objects
                .contains(&(schema.to_owned(), name.to_owned()))
                .then(|| self.twin(schema).to_owned())
        })
    }

    /// Copies the server's text from the scratch tables onto the declaration.
    fn apply(
        &self,
        declared: &Catalog,
        default_schema: &str,
        server: &Catalog,
    ) -> Result<Catalog, CanonicalizeError> {
        let mut out = declared.clone();
        for table in &mut out.tables {
            let schema = table.schema_or(default_schema).to_owned();
            let scratch = self.twin(&schema);
            let what = format!("table {}", ddl::qualified(&schema, &table.name));
            let lost = |object: String| CanonicalizeError::Lost { object };
            let live = server
                .tables
                .iter()
                .find(|t| t.schema.as_deref() == Some(scratch) && t.name == table.name)
                .ok_or_else(|| lost(what.clone()))?;

            for c in table.columns.to_mut() {
                let l = live
                    .column(&c.name)
                    .ok_or_else(|| lost(format!("column {} of {what}", ddl::ident(&c.name))))?;
                c.default = l.default.as_deref().map(|d| self.restore(d));
                if matches!(c.sql_type, SqlType::Other(_)) {
                    c.sql_type = self.restore_type(&l.sql_type);
                    c.array = l.array;
                }
            }
            for check in table.checks.to_mut() {
                let l = find(&live.checks, &check.name, |k: &CheckDef| &k.name)
                    .ok_or_else(|| lost(format!("check {} on {what}", ddl::ident(&check.name))))?;
                check.expression = self.restore(&l.expression);
            }
            for index in table.indexes.to_mut() {
                if !holds_expressions(index) {
                    index.method = canonical_method(index.method.as_deref());
                    continue;
                }
                let l = find(&live.indexes, &index.name, |i: &IndexDef| &i.name)
                    .ok_or_else(|| lost(format!("index {} on {what}", ddl::ident(&index.name))))?;
                index.columns = Cow::Owned(l.columns.iter().map(|k| self.restore(k)).collect());
                index.predicate = l.predicate.as_deref().map(|p| self.restore(p));
                index.method = l.method.clone();
            }
        }
        Ok(out)
    }

    /// The server's text with scratch schema names turned back into declared ones.
    fn restore(&self, text: &str) -> Text {
        let mut text = text.to_owned();
        for (scratch, declared) in &self.prefixes {
            if text.contains(scratch.as_str()) {
                text = text.replace(scratch.as_str(), declared);
            }
        }
        Cow::Owned(text)
    }

    /// A type read from a scratch schema, named as in the declared schema.
    fn restore_type(&self, sql_type: &SqlType) -> SqlType {
        match sql_type {
            SqlType::Other(text) => SqlType::Other(self.restore(text)),
            SqlType::Enum(e) => {
                let mut e = e.clone();
                if let Some(s) = &e.schema
                    && let Some((declared, _)) = self.twins.iter().find(|(_, t)| *t == s)
                {
                    e.schema = Some(Cow::Owned(declared.clone()));
                }
                SqlType::Enum(e)
            }
            other => other.clone(),
        }
    }
}

fn find<'a, T>(items: &'a [T], name: &str, name_of: impl Fn(&T) -> &Text) -> Option<&'a T> {
    items.iter().find(|item| name_of(item) == name)
}

/// `true` when the server has to spell something of the index: an expression column
/// or a predicate. Plain column indexes are left out of the scratch schema.
fn holds_expressions(index: &IndexDef) -> bool {
    index.predicate.is_some() || index.columns.iter().any(|c| c.starts_with('('))
}

/// An access method as the server reports it: lower case, and `None` for `btree`.
fn canonical_method(method: Option<&str>) -> Option<Text> {
    let method = method?.to_ascii_lowercase();
    (method != "btree").then_some(Cow::Owned(method))
}

/// Runs `statements` in one round trip inside a savepoint; if the server rejects the
/// batch, rolls back to the savepoint and runs them one at a time to name the object
/// whose SQL it rejects.
fn execute_all(
    tx: &mut Transaction<'_>,
    statements: &[(String, String)],
) -> Result<(), CanonicalizeError> {
    let script: Vec<&str> = statements.iter().map(|(_, sql)| sql.as_str()).collect();
    let mut savepoint = tx.transaction().map_err(session("open a savepoint"))?;
    match savepoint.batch_execute(&script.join(";\n")) {
        Ok(()) => savepoint.commit().map_err(session("release the savepoint")),
        Err(batch_error) => {
            drop(savepoint);
            for (object, sql) in statements {
                execute(tx, || object.clone(), sql.clone())?;
            }
            Err(session("create the scratch objects")(batch_error))
        }
    }
}

/// Runs one DDL statement, naming the declared object if the server rejects it.
fn execute(
    tx: &mut Transaction<'_>,
    object: impl FnOnce() -> String,
    sql: String,
) -> Result<(), CanonicalizeError> {
    tx.batch_execute(&sql).map_err(|source| {
        // Insufficient privilege, or a read-only transaction (a hot standby).
        if matches!(PgError::code_of(&source), Some("42501" | "25006")) {
            return CanonicalizeError::NotPermitted {
                source: PgError(source),
            };
        }
        CanonicalizeError::Rejected {
            object: object(),
            statement: sql,
            source: PgError(source),
        }
    })
}

fn session(action: &'static str) -> impl Fn(postgres::Error) -> CanonicalizeError {
    move |source| CanonicalizeError::Session {
        action,
        source: PgError(source),
    }
}

/// The session's search path with each declared schema preceded by its scratch twin.
///
/// `"$user"` counts as the schema named after the current user. The real schemas stay
/// on the path so that expressions calling their functions or sequences still resolve;
/// the twins come first, so the scratch objects are the visible ones.
fn scratch_search_path(path: &str, user: &str, twins: &HashMap<String, String>) -> String {
    let mut entries = Vec::new();
    for entry in search_path_entries(path) {
        let schema = if entry == "$user" { user } else { &entry };
        if let Some(twin) = twins.get(schema) {
            entries.push(ddl::ident(twin));
        }
        entries.push(ddl::ident(&entry));
    }
    entries.join(", ")
}

/// The schema names of a `search_path` setting: comma-separated, double quotes around
/// names that need them (`""` inside), unquoted names folded to lower case.
fn search_path_entries(path: &str) -> Vec<String> {
    let mut entries = Vec::new();
    let mut chars = path.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut name = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                if c == '"' && chars.next_if_eq(&'"').is_none() {
                    break;
                }
                name.push(c);
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                name.push(c);
            }
            name = name.trim_end().to_lowercase();
        }
        while chars.next_if(|c| *c != ',').is_some() {}
        if !name.is_empty() {
            entries.push(name);
        }
        if chars.next().is_none() {
            return entries;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_path_entries_unquote_and_fold() {
        assert_eq!(
            search_path_entries(r#""$user", public"#),
            ["$user", "public"]
        );
        assert_eq!(
            search_path_entries(r#"App ,"My ""x"" schema",b"#),
            ["app", r#"My "x" schema"#, "b"]
        );
        assert!(search_path_entries("").is_empty());
        assert!(search_path_entries(r#""""#).is_empty());
    }

    #[test]
    fn twins_go_before_the_schemas_they_stand_for() {
        let twins = HashMap::from([
            ("public".to_owned(), "scratch_0".to_owned()),
            ("alice".to_owned(), "scratch_1".to_owned()),
        ]);
        assert_eq!(
            scratch_search_path(r#""$user", public, other"#, "alice", &twins),
            r#""scratch_1", "$user", "scratch_0", "public", "other""#
        );
    }
}
