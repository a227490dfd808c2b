//! Attribute keywords, one constant each, so parsing, "expected one of" lists and
//! error messages always agree.

use std::fmt::{self, Display};

use syn::{Ident, Path};

#[derive(Copy, Clone, PartialEq, Eq)]
pub struct Symbol(&'static str);

impl Symbol {
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

// Attribute namespaces.
pub const TABLE: Symbol = Symbol("table");
pub const COLUMN: Symbol = Symbol("column");
pub const SQL_ENUM: Symbol = Symbol("sql_enum");

// Keys shared by several positions.
pub const NAME: Symbol = Symbol("name");
pub const SCHEMA: Symbol = Symbol("schema");
pub const COMMENT: Symbol = Symbol("comment");
pub const RENAMED_FROM: Symbol = Symbol("renamed_from");
pub const UNIQUE: Symbol = Symbol("unique");
pub const INDEX: Symbol = Symbol("index");
pub const CHECK: Symbol = Symbol("check");
pub const PRIMARY_KEY: Symbol = Symbol("primary_key");

// `#[table(...)]` only.
pub const TENANT: Symbol = Symbol("tenant");
pub const SOFT_DELETE: Symbol = Symbol("soft_delete");
pub const TIMESTAMPS: Symbol = Symbol("timestamps");
pub const AUDIT: Symbol = Symbol("audit");
pub const TRIGGER: Symbol = Symbol("trigger");
pub const OPTIONAL: Symbol = Symbol("optional");
pub const ROW_SECURITY: Symbol = Symbol("row_security");
pub const TENANT_KEYS: Symbol = Symbol("tenant_keys");
pub const LIVE_UNIQUE: Symbol = Symbol("live_unique");

// Inside `row_security(...)`.
pub const FORCE: Symbol = Symbol("force");
pub const SETTING: Symbol = Symbol("setting");

// Inside `index(...)` and `check(...)`.
pub const METHOD: Symbol = Symbol("method");
pub const WHERE: Symbol = Symbol("where");
pub const EXPR: Symbol = Symbol("expr");

// `#[column(...)]` only.
pub const SERIAL: Symbol = Symbol("serial");
pub const IDENTITY: Symbol = Symbol("identity");
pub const SQL_TYPE: Symbol = Symbol("sql_type");
pub const DEFAULT: Symbol = Symbol("default");
pub const GENERATED: Symbol = Symbol("generated");
pub const REFERENCES: Symbol = Symbol("references");
pub const ON_DELETE: Symbol = Symbol("on_delete");
pub const ON_UPDATE: Symbol = Symbol("on_update");
pub const DEFERRABLE: Symbol = Symbol("deferrable");
pub const TENANT_SAFE: Symbol = Symbol("tenant_safe");

// `#[sql_enum(...)]` on a variant.
pub const RENAME: Symbol = Symbol("rename");

pub const TABLE_KEYS: &[Symbol] = &[
    NAME,
    SCHEMA,
    TENANT,
    SOFT_DELETE,
    TIMESTAMPS,
    OPTIONAL,
    UNIQUE,
    INDEX,
    CHECK,
    PRIMARY_KEY,
    COMMENT,
    RENAMED_FROM,
    ROW_SECURITY,
    TENANT_KEYS,
    LIVE_UNIQUE,
    AUDIT,
    TRIGGER,
];

pub const COLUMN_KEYS: &[Symbol] = &[
    NAME,
    PRIMARY_KEY,
    SERIAL,
    IDENTITY,
    SQL_TYPE,
    DEFAULT,
    GENERATED,
    UNIQUE,
    INDEX,
    CHECK,
    REFERENCES,
    ON_DELETE,
    ON_UPDATE,
    DEFERRABLE,
    COMMENT,
    RENAMED_FROM,
    TENANT_SAFE,
];

pub const KEY_LIST_KEYS: &[Symbol] = &[NAME];
pub const INDEX_LIST_KEYS: &[Symbol] = &[UNIQUE, METHOD, WHERE, NAME];
pub const CHECK_LIST_KEYS: &[Symbol] = &[NAME, EXPR];
pub const ROW_SECURITY_KEYS: &[Symbol] = &[FORCE, SETTING, NAME];
pub const ENUM_KEYS: &[Symbol] = &[NAME, SCHEMA];
pub const VARIANT_KEYS: &[Symbol] = &[RENAME];

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
