//! Declared expressions in the text PostgreSQL itself prints for them.
//!
//! The server keeps expressions as parse trees and prints them back in its own words:
//! `status IN ('a','b')` on a varchar column reads back as
//! `((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`.
//! A diff that compares declared text with introspected text never settles, so
//! [`canonicalize`] lets the server print the declared expressions: it creates the
//! declared tables as temporary tables (and the enum types they use as temporary types)
//! inside a transaction that is always rolled back, reads them back with
//! [`introspect`], and copies the server's text onto the declaration.
//!
//! Temporary objects need no privilege beyond `TEMPORARY` on the database, which every
//! role has by default: a role that may only create tables in its own schema can still
//! compare. Tables of different schemas that share a name are spelled in separate
//! rounds, each rolled back to a savepoint.
//!
//! The server's text depends on the session (`search_path` decides which names print
//! qualified; `DateStyle` and friends shape literals), so canonicalize and introspect on
//! the same connection, with the same settings.

pub(crate) mod retarget;

use std::borrow::Cow;
use std::collections::HashSet;

use postgres::{Client, Transaction};

use crate::catalog::Catalog;
use crate::ddl;
use crate::introspect::{IntrospectError, introspect};
use crate::model::{CheckDef, ColumnDef, EnumDef, IndexDef, PolicyDef, SqlType, TableDef, Text};
use crate::pg_error::PgError;
use crate::step::Step;

/// The schema the scratch objects go in: the session's own temporary schema.
const TEMP: &str = "pg_temp";

/// Why the declared expressions could not be canonicalized.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
        "the server rejected {object} (created as a temporary object for canonicalization): \
         {source}\n{statement}"
    )]
    Rejected {
        /// The declared object, as `table "s"."t"` or `index "i" on "s"."t"`.
        object: String,
        /// The statement that failed, naming the temporary schema.
        statement: String,
        source: PgError,
    },
    /// The role may not create temporary objects, or the server is a read-only standby.
    #[error(
        "comparing declared expressions with the live schema creates temporary tables in a \
         transaction that is rolled back, and the server refused: {source}; GRANT TEMPORARY \
         ON DATABASE to this role, or run one sync against the primary first: it stores the \
         server's spelling in the history table, and later comparisons (on a standby too) \
         read it from there"
    )]
    NotPermitted { source: PgError },
    /// Two enum types of the declaration share a name in different schemas, and the
    /// temporary schema can hold only one of them.
    #[error(
        "enum types {first} and {second} share a name; canonicalizing needs them in one \
         temporary schema: rename one of them"
    )]
    EnumNameClash { first: String, second: String },
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    /// A declared object was created but is not there when read back: PostgreSQL
    /// truncates names longer than 63 bytes, so shorten the declared name.
    #[error("{object} was not found after creating it; is its name longer than 63 bytes?")]
    Lost { object: String },
}

/// The declared catalog with every expression replaced by the server's text for it.
///
/// View bodies, column defaults and generation expressions, check expressions, index predicates and index expression columns
/// take the server's text; columns declared with [`SqlType::Other`] take the type the
/// server resolved (`int4` → [`SqlType::Integer`]); index methods take the server's
/// spelling (`btree` → `None`). Everything else — names, schemas (including `None`),
/// order, comments, declaration options — stays as declared.
///
/// Foreign keys, primary keys and unique constraints are not created (they hold no
/// expressions), so tables need not form a complete set.
///
/// Nothing persists: all work happens in one transaction that is rolled back, also on
/// error. The temporary schema goes first on the session's `search_path` for that
/// transaction, followed by the session's own path, so functions, sequences and types of
/// the real schemas stay reachable and print as they would for the real objects; the
/// declared enum types print as the real ones would (qualified when their schema is not
/// on the path).
pub fn canonicalize(
    client: &mut Client,
    declared: &Catalog,
    default_schema: &str,
) -> Result<Catalog, CanonicalizeError> {
    let mut tx = client
        .transaction()
        .map_err(session("open a transaction"))?;
    let scratch = Scratch::enter(&mut tx, declared, default_schema)?;
    let mut out = declared.clone();
    let rounds = rounds(declared);
    let view_rounds = view_rounds(declared, &rounds);
    for (r, round) in rounds.iter().enumerate() {
        let mut savepoint = tx.transaction().map_err(session("open a savepoint"))?;
        scratch.create(&mut savepoint, declared, default_schema, round)?;
        let views: Vec<usize> = (0..declared.views.len())
            .filter(|&v| view_rounds[v] == r)
            .collect();
        scratch.create_views(&mut savepoint, declared, default_schema, &views)?;
        let temp: String = savepoint
            .query_one(
                "SELECT pg_catalog.pg_my_temp_schema()::pg_catalog.regnamespace::text",
                &[],
            )
            .map_err(session("find the temporary schema"))?
            .get(0);
        let server = introspect(&mut savepoint, &[temp.as_str()])?;
        drop(savepoint);
        for &v in &views {
            let view = &mut out.views[v];
            let live = server
                .views
                .iter()
                .find(|l| l.name == view.name)
                .ok_or_else(|| CanonicalizeError::Lost {
                    object: format!(
                        "view {}",
                        ddl::qualified(view.schema_or(default_schema), &view.name)
                    ),
                })?;
            view.body = scratch.restore(&live.body);
        }
        for &i in round {
            let table = &mut out.tables[i];
            let what = format!(
                "table {}",
                ddl::qualified(table.schema_or(default_schema), &table.name)
            );
            let live = server
                .tables
                .iter()
                .find(|t| t.name == table.name)
                .ok_or_else(|| CanonicalizeError::Lost {
                    object: what.clone(),
                })?;
            copy_spelling(table, live, &what, &|text| scratch.restore(text), &|t| {
                scratch.restore_type(t)
            })
            .map_err(|object| CanonicalizeError::Lost { object })?;
        }
    }
    tx.rollback()
        .map_err(session("roll back the temporary objects"))?;
    Ok(out)
}

/// Copies the server's text from `live` (the same table as created by the server) onto
/// `table`: defaults, checks, index expressions, predicates and methods, and the types of
/// columns declared as [`SqlType::Other`]. `restore` and `restore_type` turn what the
/// server printed for the scratch objects into what it would print for the real ones.
/// On a missing object, returns its description.
pub(crate) fn copy_spelling(
    table: &mut TableDef,
    live: &TableDef,
    what: &str,
    restore: &dyn Fn(&str) -> Text,
    restore_type: &dyn Fn(&SqlType) -> SqlType,
) -> Result<(), String> {
    for c in table.columns.to_mut() {
        let l = live
            .column(&c.name)
            .ok_or_else(|| format!("column {} of {what}", ddl::ident(&c.name)))?;
        c.default = l.default.as_deref().map(restore);
        c.generated = l.generated.as_deref().map(restore);
        if matches!(c.sql_type, SqlType::Other(_)) {
            c.sql_type = restore_type(&l.sql_type);
            c.array = l.array;
        }
    }
    for check in table.checks.to_mut() {
        let l = find(&live.checks, &check.name, |k: &CheckDef| &k.name)
            .ok_or_else(|| format!("check {} on {what}", ddl::ident(&check.name)))?;
        check.expression = restore(&l.expression);
    }
    for index in table.indexes.to_mut() {
        if !holds_expressions(index) {
            index.method = canonical_method(index.method.as_deref());
            continue;
        }
        let l = find(&live.indexes, &index.name, |i: &IndexDef| &i.name)
            .ok_or_else(|| format!("index {} on {what}", ddl::ident(&index.name)))?;
        index.columns = Cow::Owned(l.columns.iter().map(|k| restore(k)).collect());
        index.predicate = l.predicate.as_deref().map(restore);
        index.method = l.method.clone();
    }
    for policy in table.policies.to_mut() {
        let l = find(&live.policies, &policy.name, |p: &PolicyDef| &p.name)
            .ok_or_else(|| format!("policy {} on {what}", ddl::ident(&policy.name)))?;
        policy.using = l.using.as_deref().map(restore);
        policy.with_check = l.with_check.as_deref().map(restore);
    }
    Ok(())
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
        for c in table.columns.iter() {
            if let SqlType::Enum(e) = &c.sql_type {
                enums.push((e.schema.as_deref().unwrap_or(default_schema), e));
            }
        }
    }
    let mut seen = HashSet::new();
    enums.retain(|(schema, e)| seen.insert((*schema, &*e.name)));
    enums
}

/// The declared tables split into rounds in which no two relations (tables, and the
/// indexes created for their expressions) share a name: the temporary schema is one
/// namespace for all of them. Usually one round.
fn rounds(declared: &Catalog) -> Vec<Vec<usize>> {
    let mut rounds: Vec<(Vec<usize>, HashSet<&str>)> = Vec::new();
    for (i, table) in declared.tables.iter().enumerate() {
        let names: Vec<&str> = std::iter::once(&*table.name)
            .chain(
                table
                    .indexes
                    .iter()
                    .filter(|x| holds_expressions(x))
                    .map(|x| &*x.name),
            )
            .collect();
        let free = |taken: &HashSet<&str>| names.iter().all(|n| !taken.contains(n));
        match rounds.iter_mut().find(|(_, taken)| free(taken)) {
            Some((members, taken)) => {
                members.push(i);
                taken.extend(&names);
            }
            None => rounds.push((vec![i], names.iter().copied().collect())),
        }
    }
    rounds.into_iter().map(|(members, _)| members).collect()
}

/// For each declared view, the round whose tables it reads (the first table it names
/// that a round holds): the view is created in the temporary schema beside them.
fn view_rounds(declared: &Catalog, rounds: &[Vec<usize>]) -> Vec<usize> {
    declared
        .views
        .iter()
        .map(|view| {
            rounds
                .iter()
                .position(|round| {
                    round.iter().any(|&i| {
                        let table = &declared.tables[i];
                        view.reads.iter().any(|r| {
                            r == &table.name
                                || r.rsplit_once('.').is_some_and(|(_, n)| n == table.name)
                        })
                    })
                })
                .unwrap_or(0)
        })
        .collect()
}

/// The declared enum types as the temporary schema holds them, and how to print their
/// names as the server prints the real ones.
struct Scratch {
    /// (declared schema, name) of every table and enum type: the names that declared
    /// SQL must reach in the temporary schema rather than the real one.
    objects: HashSet<(String, String)>,
    /// `::name` as printed for the temporary type → `::schema.name` as printed for the
    /// real one, for enum types whose schema is not the first on the path to hold them.
    casts: Vec<(String, String)>,
    /// Enum name → its declared (resolved) schema.
    enum_schemas: Vec<(String, String)>,
}

impl Scratch {
    /// Puts the temporary schema first on the search path (`SET LOCAL`, so the rollback
    /// restores the path) and works out how enum names print.
    fn enter(
        tx: &mut Transaction<'_>,
        declared: &Catalog,
        default_schema: &str,
    ) -> Result<Scratch, CanonicalizeError> {
        let mut objects = HashSet::new();
        for t in &declared.tables {
            objects.insert((t.schema_or(default_schema).to_owned(), t.name.to_string()));
        }
        for v in &declared.views {
            objects.insert((v.schema_or(default_schema).to_owned(), v.name.to_string()));
        }
        let enums = declared_enums(declared, default_schema);
        let mut enum_schemas: Vec<(String, String)> = Vec::new();
        for (schema, e) in &enums {
            objects.insert(((*schema).to_owned(), e.name.to_string()));
            if let Some((_, other)) = enum_schemas.iter().find(|(n, _)| *n == *e.name) {
                return Err(CanonicalizeError::EnumNameClash {
                    first: ddl::qualified(other, &e.name),
                    second: ddl::qualified(schema, &e.name),
                });
            }
            enum_schemas.push((e.name.to_string(), (*schema).to_owned()));
        }
        let (schemas, names): (Vec<&str>, Vec<&str>) =
            enums.iter().map(|(s, e)| (*s, &*e.name)).unzip();
        let row = tx
            .query_one(
                "SELECT pg_catalog.current_setting('search_path') AS path, \
                        current_user::text AS who, \
                        ARRAY(SELECT pg_catalog.format('%I', n) \
                              FROM pg_catalog.unnest($2::text[]) WITH ORDINALITY AS u(n, i) \
                              ORDER BY i) AS names, \
                        ARRAY(SELECT pg_catalog.format('%I.%I', s, n) \
                              FROM ROWS FROM (pg_catalog.unnest($1::text[]), \
                                   pg_catalog.unnest($2::text[])) WITH ORDINALITY AS u(s, n, i) \
                              ORDER BY i) AS qualified",
                &[&schemas, &names],
            )
            .map_err(session("read the session settings"))?;
        let read = session("read the session settings");
        let path: String = row.try_get("path").map_err(&read)?;
        let who: String = row.try_get("who").map_err(&read)?;
        let quoted: Vec<String> = row.try_get("names").map_err(&read)?;
        let qualified: Vec<String> = row.try_get("qualified").map_err(&read)?;

        // A real enum type prints unqualified when its schema is the first on the path
        // that holds a type of that name; the temporary one always does.
        let entries: Vec<String> = search_path_entries(&path)
            .into_iter()
            .map(|e| if e == "$user" { who.clone() } else { e })
            .collect();
        let first_holder = |name: &str| {
            entries.iter().find(|entry| {
                enums
                    .iter()
                    .any(|(s, e)| *s == entry.as_str() && e.name == name)
            })
        };
        let casts = enums
            .iter()
            .zip(quoted.iter().zip(&qualified))
            .filter(|((schema, e), _)| first_holder(&e.name).is_none_or(|s| s != schema))
            .map(|(_, (quoted, qualified))| (format!("::{quoted}"), format!("::{qualified}")))
            .collect();

        let rest: Vec<String> = entries
            .iter()
            .filter(|e| *e != TEMP && !e.starts_with("pg_temp_"))
            .map(|e| ddl::ident(e))
            .collect();
        let path = std::iter::once(TEMP.to_owned())
            .chain(rest)
            .collect::<Vec<_>>();
        tx.query_one(
            "SELECT pg_catalog.set_config('search_path', $1, true)",
            &[&path.join(", ")],
        )
        .map_err(session("set the search path"))?;
        Ok(Scratch {
            objects,
            casts,
            enum_schemas,
        })
    }

    /// Creates the enum types, and the tables of one round (columns, defaults, checks)
    /// with the indexes that hold expressions, in one round trip.
    fn create(
        &self,
        tx: &mut Transaction<'_>,
        declared: &Catalog,
        default_schema: &str,
        round: &[usize],
    ) -> Result<(), CanonicalizeError> {
        let mut statements: Vec<(String, String)> = Vec::new();
        for (schema, e) in declared_enums(declared, default_schema) {
            let step = Step::CreateEnum {
                schema: TEMP.to_owned(),
                def: e.clone(),
            };
            let object = format!("enum type {}", ddl::qualified(schema, &e.name));
            for sql in ddl::render_step(&step) {
                statements.push((object.clone(), sql));
            }
        }
        for &i in round {
            let table = &declared.tables[i];
            let schema = table.schema_or(default_schema);
            let object = format!("table {}", ddl::qualified(schema, &table.name));
            let step = Step::CreateTable {
                schema: TEMP.to_owned(),
                table: self.scratch_table(table),
            };
            for sql in ddl::render_step(&step) {
                statements.push((object.clone(), sql));
            }
            for index in table.indexes.iter().filter(|i| holds_expressions(i)) {
                let object = format!(
                    "index {} on {}",
                    ddl::ident(&index.name),
                    ddl::qualified(schema, &table.name)
                );
                let step = Step::CreateIndex {
                    schema: TEMP.to_owned(),
                    table: table.name.clone(),
                    index: self.scratch_index(index),
                    concurrently: false,
                };
                for sql in ddl::render_step(&step) {
                    statements.push((object.clone(), sql));
                }
            }
        }
        execute_all(tx, &statements)
    }

    /// Creates `views` (positions in the declared views, in creation order) in the
    /// temporary schema, reading the temporary tables.
    fn create_views(
        &self,
        tx: &mut Transaction<'_>,
        declared: &Catalog,
        default_schema: &str,
        views: &[usize],
    ) -> Result<(), CanonicalizeError> {
        let statements: Vec<(String, String)> = views
            .iter()
            .map(|&v| {
                let view = &declared.views[v];
                let object = format!(
                    "view {}",
                    ddl::qualified(view.schema_or(default_schema), &view.name)
                );
                let scratch = crate::model::ViewDef {
                    body: Cow::Owned(self.retarget(&view.body)),
                    ..view.clone()
                };
                (object, ddl::create_view_statement(TEMP, &scratch))
            })
            .collect();
        if statements.is_empty() {
            return Ok(());
        }
        execute_all(tx, &statements)
    }

    /// The table as created in the temporary schema: what holds expressions (columns with
    /// their types, identity and defaults, and checks), pointed at the temporary objects.
    fn scratch_table(&self, table: &TableDef) -> TableDef {
        let columns: Vec<ColumnDef> = table
            .columns
            .iter()
            .map(|c| self.scratch_column(c))
            .collect();
        let checks: Vec<CheckDef> = table
            .checks
            .iter()
            .map(|c| CheckDef {
                name: c.name.clone(),
                expression: Cow::Owned(self.retarget(&c.expression)),
            })
            .collect();
        TableDef {
            schema: Some(Cow::Borrowed(TEMP)),
            name: table.name.clone(),
            columns: Cow::Owned(columns),
            primary_key: None,
            uniques: Cow::Borrowed(&[]),
            checks: Cow::Owned(checks),
            foreign_keys: Cow::Borrowed(&[]),
            indexes: Cow::Borrowed(&[]),
            comment: None,
            options: table.options.clone(),
            row_security: table.row_security,
            policies: table
                .policies
                .iter()
                .map(|p| PolicyDef {
                    using: p.using.as_deref().map(|e| Cow::Owned(self.retarget(e))),
                    with_check: p
                        .with_check
                        .as_deref()
                        .map(|e| Cow::Owned(self.retarget(e))),
                    ..p.clone()
                })
                .collect(),
        }
    }

    /// The column with its type and default pointed at the temporary objects.
    fn scratch_column(&self, c: &ColumnDef) -> ColumnDef {
        let mut c = c.clone();
        match &mut c.sql_type {
            SqlType::Enum(e) => e.schema = Some(Cow::Borrowed(TEMP)),
            SqlType::Other(text) => *text = Cow::Owned(self.retarget(text)),
            _ => {}
        }
        c.default = c.default.map(|d| Cow::Owned(self.retarget(&d)));
        c.generated = c.generated.map(|g| Cow::Owned(self.retarget(&g)));
        c.comment = None;
        // Serial and identity columns hold no declared expression; leaving them out
        // spares the server a sequence per table.
        c.identity = None;
        c
    }

    /// The index with its expressions pointed at the temporary objects.
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

    /// Declared SQL with qualified names of declared objects pointed at the temporary
    /// schema.
    fn retarget(&self, sql: &str) -> String {
        retarget::retarget(sql, |schema, name| {
            self.objects
                .contains(&(schema.to_owned(), name.to_owned()))
                .then(|| TEMP.to_owned())
        })
    }

    /// The server's text for a temporary object as it prints for the real one.
    fn restore(&self, text: &str) -> Text {
        let mut text = text.to_owned();
        for (temp, real) in &self.casts {
            text = replace_cast(&text, temp, real);
        }
        Cow::Owned(text)
    }

    /// A type read from the temporary schema, named as in the declared schema.
    fn restore_type(&self, sql_type: &SqlType) -> SqlType {
        match sql_type {
            SqlType::Other(text) => SqlType::Other(self.restore(text)),
            SqlType::Enum(e) => {
                let mut e = e.clone();
                if let Some((_, schema)) = self.enum_schemas.iter().find(|(n, _)| *n == *e.name) {
                    e.schema = Some(Cow::Owned(schema.clone()));
                }
                SqlType::Enum(e)
            }
            other => other.clone(),
        }
    }
}

/// `text` with every cast to `temp` (`::name`, ended by anything that cannot continue
/// an identifier) written as a cast to `real`. Casts inside string literals are not
/// special: the server never prints `::` inside one it wrote itself for a type name.
fn replace_cast(text: &str, temp: &str, real: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(temp) {
        let after = &rest[at + temp.len()..];
        let ends = after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '"'));
        out.push_str(&rest[..at]);
        out.push_str(if ends { real } else { temp });
        rest = after;
    }
    out.push_str(rest);
    out
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
    fn casts_to_a_temporary_type_become_casts_to_the_real_one() {
        let text =
            "((state)::text = 'a'::status) AND s = ANY ('{}'::status[]) AND x::status_2 IS NULL";
        assert_eq!(
            replace_cast(text, "::status", "::app.status"),
            "((state)::text = 'a'::app.status) AND s = ANY ('{}'::app.status[]) AND x::status_2 IS NULL"
        );
    }
}
