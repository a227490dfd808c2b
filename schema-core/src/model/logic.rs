//! Logic in the database: trigger functions and the triggers that call them.
//!
//! A table declares [`TriggerDecl`]s (`#[table(timestamps = "trigger")]`, `audit`,
//! `trigger = PATH`); the schema set turns them into one [`FunctionDef`] per function and
//! schema (tables of one schema share it) and one [`TriggerDef`] per table, the form the
//! live database is read into.

use super::{List, Text};

/// When a trigger fires relative to the row change.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum TriggerTiming {
    Before,
    After,
}

/// A row change a trigger fires on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum TriggerEvent {
    Insert,
    Update,
    Delete,
}

/// A PL/pgSQL trigger function (`RETURNS trigger`, no arguments).
///
/// The body is compared as PostgreSQL stores it (`pg_proc.prosrc` keeps the text between
/// the dollar quotes byte for byte), so a declared body never needs canonicalizing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FunctionDef {
    /// `None` places the function in the schema of the table whose trigger calls it.
    pub schema: Option<Text>,
    pub name: Text,
    /// The PL/pgSQL source between `AS $$` and `$$`.
    pub body: Text,
}

/// A row-level trigger as a table declares it: the function it calls comes with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TriggerDecl {
    pub name: Text,
    pub timing: TriggerTiming,
    /// In the order `INSERT`, `UPDATE`, `DELETE`.
    pub events: List<TriggerEvent>,
    pub function: FunctionDef,
}

/// A row-level trigger on a table, declared or read from a database.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TriggerDef {
    /// The table's schema; `None` is the sync's default schema, as for [`super::TableDef`].
    pub schema: Option<Text>,
    pub table: Text,
    pub name: Text,
    pub timing: TriggerTiming,
    pub events: List<TriggerEvent>,
    /// The function's schema; `None` is the sync's default schema.
    pub function_schema: Option<Text>,
    pub function: Text,
    /// `false` when the trigger is disabled (`ALTER TABLE … DISABLE TRIGGER`).
    pub enabled: bool,
}

/// A function placed in a schema, as catalogs hold it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SchemaFunction {
    /// `None` is the sync's default schema.
    pub schema: Option<Text>,
    pub name: Text,
    pub body: Text,
}

impl TriggerEvent {
    /// The SQL word (`INSERT`).
    pub fn sql(self) -> &'static str {
        match self {
            TriggerEvent::Insert => "INSERT",
            TriggerEvent::Update => "UPDATE",
            TriggerEvent::Delete => "DELETE",
        }
    }
}

impl TriggerTiming {
    /// The SQL word (`BEFORE`).
    pub fn sql(self) -> &'static str {
        match self {
            TriggerTiming::Before => "BEFORE",
            TriggerTiming::After => "AFTER",
        }
    }
}

/// The body of the shared `touch_updated_at` function: `updated_at` is the time of the
/// transaction that last changed the row, whatever the statement set it to.
const TOUCH_BODY: &str = "
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
";

/// `#[table(timestamps = "trigger")]`: before every update, `updated_at` becomes `now()`.
pub const TOUCH_UPDATED_AT: TriggerDecl = TriggerDecl {
    name: Text::Borrowed("touch_updated_at"),
    timing: TriggerTiming::Before,
    events: List::Borrowed(&[TriggerEvent::Update]),
    function: FunctionDef {
        schema: None,
        name: Text::Borrowed("touch_updated_at"),
        body: Text::Borrowed(TOUCH_BODY),
    },
};

/// The setting that names the acting user for the audit trail
/// (`SET LOCAL schema_core.acting_user = 'alice'`); the session's role when unset.
pub const ACTING_USER_SETTING: &str = "schema_core.acting_user";

/// The body of the shared `audit_row_change` function. The key is the row's primary key
/// columns (read from `pg_index`, so one function serves every table), the row images
/// are `to_jsonb` of `OLD` and `NEW`; the row goes to the `audit_log` of the table's own
/// schema, named through `format('%I')` since the caller's `search_path` is unknown.
const AUDIT_BODY: &str = "
DECLARE
    image jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    row_key jsonb;
BEGIN
    SELECT jsonb_object_agg(a.attname, image -> a.attname::text) INTO row_key
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
    WHERE i.indrelid = TG_RELID AND i.indisprimary;
    EXECUTE format(
        'INSERT INTO %I.audit_log '
        '(table_schema, table_name, operation, row_key, old_row, new_row, acting_user) '
        'VALUES ($1, $2, $3, $4, $5, $6, $7)',
        TG_TABLE_SCHEMA)
    USING
        TG_TABLE_SCHEMA::text,
        TG_TABLE_NAME::text,
        TG_OP,
        coalesce(row_key, '{}'::jsonb),
        CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
        CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
        coalesce(nullif(current_setting('schema_core.acting_user', true), ''), session_user::text);
    RETURN NULL;
END
";

/// `#[table(audit)]`: every insert, update and delete lands in the schema's `audit_log`.
pub const AUDIT: TriggerDecl = TriggerDecl {
    name: Text::Borrowed("audit_row_change"),
    timing: TriggerTiming::After,
    events: List::Borrowed(&[
        TriggerEvent::Insert,
        TriggerEvent::Update,
        TriggerEvent::Delete,
    ]),
    function: FunctionDef {
        schema: None,
        name: Text::Borrowed("audit_row_change"),
        body: Text::Borrowed(AUDIT_BODY),
    },
};
