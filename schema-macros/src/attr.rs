//! `#[table(...)]`, `#[column(...)]` and `#[sql_enum(...)]` parsed into plain structs.
//!
//! Every value keeps its span so later stages can point at the exact token. Rules that
//! involve a single attribute (a value's format, a duplicate key, an index expression
//! without a name) are enforced here; rules that combine several live in `check.rs`.

use proc_macro2::{Group, Span};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, ExprLit, ExprPath, Ident, Lit, LitStr, Path, Token, token};

use crate::ctxt::{Ctxt, backticked, did_you_mean};
use crate::sql_type::{self, Override};
use crate::symbol::*;

/// A value and the span of the token it came from.
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl Spanned<String> {
    fn from_lit(lit: &LitStr) -> Self {
        Spanned {
            value: lit.value(),
            span: lit.span(),
        }
    }
}

/// `#[table(...)]` on the struct.
#[derive(Default)]
pub struct Table {
    pub name: Option<Spanned<String>>,
    pub schema: Option<Spanned<String>>,
    pub tenant: Option<Target>,
    pub soft_delete: Option<Span>,
    pub timestamps: Option<Span>,
    /// `timestamps = "trigger"`: the span of the value.
    pub timestamps_trigger: Option<Span>,
    pub audit: Option<Span>,
    /// `trigger = PATH`, each a `const` of type `TriggerDecl`.
    pub triggers: Vec<Path>,
    pub optional: Option<Span>,
    pub uniques: Vec<KeyList>,
    pub indexes: Vec<IndexList>,
    pub checks: Vec<CheckList>,
    pub primary_key: Option<KeyList>,
    pub comment: Option<Spanned<String>>,
    pub renamed_from: Option<Spanned<String>>,
    /// `row_security` / `row_security(force, setting = "...", name = "...")`.
    pub row_security: Option<crate::row_security::RowSecurity>,
    /// `tenant_keys`: derive `UNIQUE (tenant_id, <primary key>)` for tenant-safe references.
    pub tenant_keys: Option<Span>,
    /// `live_unique(a, b)`: unique among rows whose `deleted_at` is NULL.
    pub live_uniques: Vec<KeyList>,
}

/// `tenant = T` or `references = T`: the referenced table's type and the key's span.
pub struct Target {
    pub key: Span,
    pub path: Path,
}

/// `unique(a, b, name = "...")` or `primary_key(a, b)`.
pub struct KeyList {
    pub key: Span,
    pub columns: Vec<Spanned<String>>,
    pub name: Option<Spanned<String>>,
}

/// `index(a, "lower(b)", unique, method = "...", where = "...", name = "...")`.
pub struct IndexList {
    pub key: Span,
    pub columns: Vec<IndexColumn>,
    pub unique: bool,
    pub method: Option<Spanned<IndexMethod>>,
    pub predicate: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
}

/// `method = "..."` in `index(...)`: PostgreSQL's index access methods, and those of
/// widely used extensions (pgvector's `hnsw` and `ivfflat`, `bloom`, `rum`); anything
/// else is most likely a typo, which the server would only report at sync time.
#[derive(Clone, Copy)]
pub struct IndexMethod(&'static str);

impl IndexMethod {
    const CHOICES: [(&'static str, IndexMethod); 10] = [
        ("btree", IndexMethod("btree")),
        ("hash", IndexMethod("hash")),
        ("gist", IndexMethod("gist")),
        ("spgist", IndexMethod("spgist")),
        ("gin", IndexMethod("gin")),
        ("brin", IndexMethod("brin")),
        ("hnsw", IndexMethod("hnsw")),
        ("ivfflat", IndexMethod("ivfflat")),
        ("bloom", IndexMethod("bloom")),
        ("rum", IndexMethod("rum")),
    ];

    /// The method as the model stores it: lower case, and `None` for `btree`, the
    /// default (the server reports no method for it either).
    pub fn model_name(self) -> Option<&'static str> {
        (self.0 != "btree").then_some(self.0)
    }
}

pub enum IndexColumn {
    /// A column name, as the Rust field or the SQL column is called.
    Column(Spanned<String>),
    /// An SQL expression, written as a string.
    Expr(Spanned<String>),
}

/// `check(name = "...", expr = "...")`.
pub struct CheckList {
    pub name: Spanned<String>,
    pub expr: Spanned<String>,
}

/// `#[column(...)]` on a field (several `#[column]` attributes add up).
#[derive(Default)]
pub struct Column {
    pub name: Option<Spanned<String>>,
    pub primary_key: Option<Span>,
    pub serial: Option<Span>,
    pub identity: Option<Spanned<Identity>>,
    pub sql_type: Option<Spanned<Override>>,
    pub default: Option<Spanned<String>>,
    /// `generated = "price * quantity"`: a stored generated column.
    pub generated: Option<Spanned<String>>,
    pub unique: Option<OptionalName>,
    pub index: Option<OptionalName>,
    pub check: Option<Spanned<String>>,
    pub references: Option<Target>,
    pub on_delete: Option<Spanned<FkAction>>,
    pub on_update: Option<Spanned<FkAction>>,
    pub deferrable: Option<Spanned<Deferrable>>,
    pub comment: Option<Spanned<String>>,
    pub renamed_from: Option<Spanned<String>>,
    /// `tenant_safe`: the key includes `tenant_id` on both sides.
    pub tenant_safe: Option<Span>,
}

/// `unique` / `unique = "name"`, `index` / `index = "name"` on a column.
pub struct OptionalName {
    pub key: Span,
    pub name: Option<Spanned<String>>,
}

#[derive(Clone, Copy)]
pub enum Identity {
    Always,
    ByDefault,
}

#[derive(Clone, Copy, PartialEq)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

#[derive(Clone, Copy)]
pub enum Deferrable {
    InitiallyImmediate,
    InitiallyDeferred,
}

/// `#[sql_enum(name = "...", schema = "...")]` on the enum.
#[derive(Default)]
pub struct Enum {
    pub name: Option<Spanned<String>>,
    pub schema: Option<Spanned<String>>,
}

/// `#[sql_enum(rename = "...")]` on a variant.
#[derive(Default)]
pub struct Variant {
    pub rename: Option<Spanned<String>>,
}

impl Table {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut table = Table::default();
        let keys = Keys::new(cx, "table attribute", TABLE_KEYS).elsewhere(
            COLUMN_KEYS,
            "column attribute",
            "move it to `#[column(...)]` on the field",
        );
        for attr in attrs.iter().filter(|a| a.path() == &TABLE) {
            let parsed = attr.parse_nested_meta(|meta| {
                let path = &meta.path;
                if *path == NAME {
                    let value = keys.string(&meta, "name = \"users\"")?;
                    keys.set(&mut table.name, path, value);
                } else if *path == SCHEMA {
                    let value = keys.string(&meta, "schema = \"billing\"")?;
                    keys.set(&mut table.schema, path, value);
                } else if *path == TENANT {
                    let value = keys.target(&meta, "tenant = Tenant")?;
                    keys.set(&mut table.tenant, path, value);
                } else if *path == SOFT_DELETE {
                    let value = keys.flag(&meta)?;
                    keys.set(&mut table.soft_delete, path, value);
                } else if *path == TIMESTAMPS {
                    let (value, trigger) = keys.timestamps(&meta)?;
                    if trigger.is_some() && table.timestamps.is_none() {
                        table.timestamps_trigger = trigger;
                    }
                    keys.set(&mut table.timestamps, path, value);
                } else if *path == AUDIT {
                    let value = keys.flag(&meta)?;
                    keys.set(&mut table.audit, path, value);
                } else if *path == TRIGGER {
                    if let Some(path) = keys.const_path(&meta, "trigger = crate::POOL_FIGURES")? {
                        table.triggers.push(path);
                    }
                } else if *path == OPTIONAL {
                    let value = keys.flag(&meta)?;
                    keys.set(&mut table.optional, path, value);
                } else if *path == UNIQUE {
                    let example = "unique(tenant_id, email)";
                    if let Some(list) = keys.key_list(&meta, example)? {
                        table.uniques.push(list);
                    }
                } else if *path == PRIMARY_KEY {
                    let value = keys.key_list(&meta, "primary_key(user_id, role_id)")?;
                    keys.set(&mut table.primary_key, path, value);
                } else if *path == INDEX {
                    if let Some(index) = keys.index_list(&meta)? {
                        table.indexes.push(index);
                    }
                } else if *path == CHECK {
                    if let Some(check) = keys.check_list(&meta)? {
                        table.checks.push(check);
                    }
                } else if *path == COMMENT {
                    let value = keys.string(&meta, "comment = \"...\"")?;
                    keys.set(&mut table.comment, path, value);
                } else if *path == RENAMED_FROM {
                    let value = keys.string(&meta, "renamed_from = \"people\"")?;
                    keys.set(&mut table.renamed_from, path, value);
                } else if *path == ROW_SECURITY {
                    let value = crate::row_security::parse(cx, &meta)?;
                    keys.set(&mut table.row_security, path, value);
                } else if *path == TENANT_KEYS {
                    let value = keys.flag(&meta)?;
                    keys.set(&mut table.tenant_keys, path, value);
                } else if *path == LIVE_UNIQUE {
                    let example = "live_unique(tenant_id, email)";
                    if let Some(list) = keys.key_list(&meta, example)? {
                        table.live_uniques.push(list);
                    }
                } else {
                    keys.unknown(&meta)?;
                }
                Ok(())
            });
            if let Err(error) = parsed {
                cx.syn_error(error);
            }
        }
        table
    }
}

impl Column {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut column = Column::default();
        let keys = Keys::new(cx, "column attribute", COLUMN_KEYS).elsewhere(
            TABLE_KEYS,
            "table attribute",
            "move it to `#[table(...)]` on the struct",
        );
        for attr in attrs.iter().filter(|a| a.path() == &COLUMN) {
            let parsed = attr.parse_nested_meta(|meta| {
                let path = &meta.path;
                if *path == NAME {
                    let value = keys.string(&meta, "name = \"type\"")?;
                    keys.set(&mut column.name, path, value);
                } else if *path == PRIMARY_KEY {
                    let value = keys.flag(&meta)?;
                    keys.set(&mut column.primary_key, path, value);
                } else if *path == SERIAL {
                    let value = keys.flag(&meta)?;
                    keys.set(&mut column.serial, path, value);
                } else if *path == IDENTITY {
                    let value = keys.identity(&meta)?;
                    keys.set(&mut column.identity, path, value);
                } else if *path == SQL_TYPE {
                    let value = keys.sql_type(&meta)?;
                    keys.set(&mut column.sql_type, path, value);
                } else if *path == DEFAULT {
                    let value = keys.string(&meta, "default = \"0\"")?;
                    keys.set(&mut column.default, path, value);
                } else if *path == GENERATED {
                    let value = keys.string(&meta, "generated = \"price * quantity\"")?;
                    keys.set(&mut column.generated, path, value);
                } else if *path == UNIQUE {
                    let value = keys.optional_name(&meta, "unique = \"users_email_key\"")?;
                    keys.set(&mut column.unique, path, value);
                } else if *path == INDEX {
                    let value = keys.optional_name(&meta, "index = \"users_email_idx\"")?;
                    keys.set(&mut column.index, path, value);
                } else if *path == CHECK {
                    let value = keys.string(&meta, "check = \"amount >= 0\"")?;
                    keys.set(&mut column.check, path, value);
                } else if *path == REFERENCES {
                    let value = keys.target(&meta, "references = User")?;
                    keys.set(&mut column.references, path, value);
                } else if *path == ON_DELETE {
                    let value = keys.fk_action(&meta, "on_delete = \"cascade\"")?;
                    keys.set(&mut column.on_delete, path, value);
                } else if *path == ON_UPDATE {
                    let value = keys.fk_action(&meta, "on_update = \"cascade\"")?;
                    keys.set(&mut column.on_update, path, value);
                } else if *path == DEFERRABLE {
                    let value = keys.deferrable(&meta)?;
                    keys.set(&mut column.deferrable, path, value);
                } else if *path == COMMENT {
                    let value = keys.string(&meta, "comment = \"...\"")?;
                    keys.set(&mut column.comment, path, value);
                } else if *path == RENAMED_FROM {
                    let value = keys.string(&meta, "renamed_from = \"old_name\"")?;
                    keys.set(&mut column.renamed_from, path, value);
                } else if *path == TENANT_SAFE {
                    let value = keys.flag(&meta)?;
                    keys.set(&mut column.tenant_safe, path, value);
                } else {
                    keys.unknown(&meta)?;
                }
                Ok(())
            });
            if let Err(error) = parsed {
                cx.syn_error(error);
            }
        }
        column
    }
}

impl Enum {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut sql_enum = Enum::default();
        let keys = Keys::new(cx, "sql_enum attribute", ENUM_KEYS);
        for attr in attrs.iter().filter(|a| a.path() == &SQL_ENUM) {
            let parsed = attr.parse_nested_meta(|meta| {
                let path = &meta.path;
                if *path == NAME {
                    let value = keys.string(&meta, "name = \"ticket_status\"")?;
                    keys.set(&mut sql_enum.name, path, value);
                } else if *path == SCHEMA {
                    let value = keys.string(&meta, "schema = \"billing\"")?;
                    keys.set(&mut sql_enum.schema, path, value);
                } else {
                    keys.unknown(&meta)?;
                }
                Ok(())
            });
            if let Err(error) = parsed {
                cx.syn_error(error);
            }
        }
        sql_enum
    }
}

impl Variant {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut variant = Variant::default();
        let keys = Keys::new(cx, "sql_enum variant attribute", VARIANT_KEYS);
        for attr in attrs.iter().filter(|a| a.path() == &SQL_ENUM) {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path == RENAME {
                    let value = keys.string(&meta, "rename = \"in-progress\"")?;
                    keys.set(&mut variant.rename, &meta.path, value);
                } else {
                    keys.unknown(&meta)?;
                }
                Ok(())
            });
            if let Err(error) = parsed {
                cx.syn_error(error);
            }
        }
        variant
    }
}

/// Value parsers for one attribute position.
///
/// A parser returns `Ok(None)` after reporting a malformed value (the rest of the
/// attribute is still read, so every mistake shows up in one build) and `Err` only
/// when the tokens cannot be read past.
struct Keys<'c> {
    cx: &'c Ctxt,
    /// "table attribute", "column attribute", ...: how messages name a key.
    position: &'static str,
    valid: &'static [Symbol],
    /// The keys of the other position (column keys for the table, and the reverse),
    /// how messages name them and where they go: a key in the wrong place is not a typo
    /// of a nearby key (`soft_delete` on a field is no misspelled `on_delete`).
    elsewhere: Option<(&'static [Symbol], &'static str, &'static str)>,
}

impl<'c> Keys<'c> {
    fn new(cx: &'c Ctxt, position: &'static str, valid: &'static [Symbol]) -> Self {
        Keys {
            cx,
            position,
            valid,
            elsewhere: None,
        }
    }

    /// Keys that belong to the other position, what they are called and where they go.
    fn elsewhere(
        self,
        keys: &'static [Symbol],
        position: &'static str,
        help: &'static str,
    ) -> Self {
        Keys {
            elsewhere: Some((keys, position, help)),
            ..self
        }
    }

    /// Stores `value`, or reports the second occurrence of a key.
    fn set<T>(&self, slot: &mut Option<T>, path: &Path, value: Option<T>) {
        let Some(value) = value else { return };
        if slot.is_some() {
            let message = format!("duplicate {} `{}`", self.position, key_name(path));
            self.cx.error_spanned_by(path, message);
        } else {
            *slot = Some(value);
        }
    }

    fn unknown(&self, meta: &ParseNestedMeta) -> syn::Result<()> {
        let name = key_name(&meta.path);
        if let Some((keys, position, help)) = self.elsewhere
            && keys.iter().any(|key| meta.path == *key)
        {
            let message = format!(
                "`{name}` is a {position}, not a {}\nhelp: {help}",
                self.position
            );
            self.cx.error_spanned_by(&meta.path, message);
            return skip_value(meta);
        }
        let valid = self.valid.iter().map(|s| s.as_str());
        let message = format!(
            "unknown {} `{name}`{}\nnote: expected one of {}",
            self.position,
            did_you_mean(&name, valid.clone()),
            backticked(valid),
        );
        self.cx.error_spanned_by(&meta.path, message);
        skip_value(meta)
    }

    /// `key` with no value.
    fn flag(&self, meta: &ParseNestedMeta) -> syn::Result<Option<Span>> {
        if has_value(meta) {
            let name = key_name(&meta.path);
            let message = format!("`{name}` takes no value\nhelp: write just `{name}`");
            self.cx.error_spanned_by(&meta.path, message);
            skip_value(meta)?;
        }
        Ok(Some(meta.path.span()))
    }

    /// `timestamps` or `timestamps = "trigger"`: the key's span, and the value's when the
    /// columns are kept by a trigger.
    fn timestamps(&self, meta: &ParseNestedMeta) -> syn::Result<(Option<Span>, Option<Span>)> {
        let key = Some(meta.path.span());
        if !has_value(meta) {
            return Ok((key, None));
        }
        let example = "timestamps = \"trigger\"";
        let Some(value) = self.string(meta, example)? else {
            return Ok((key, None));
        };
        if value.value != "trigger" {
            let message = format!(
                "unknown `timestamps` mode `{}`\nhelp: write `timestamps` to fill both columns \
                 on insert, or `{example}` to also keep `updated_at` current on update",
                value.value
            );
            self.cx.error(value.span, message);
            return Ok((key, None));
        }
        Ok((key, Some(value.span)))
    }

    /// `key = path::TO::CONST`.
    fn const_path(&self, meta: &ParseNestedMeta, example: &str) -> syn::Result<Option<Path>> {
        let Some(expr) = self.value(meta, example)? else {
            return Ok(None);
        };
        match expr {
            Expr::Path(ExprPath {
                qself: None, path, ..
            }) => Ok(Some(path)),
            other => {
                let message = format!(
                    "expected the path of a `TriggerDecl` constant\nhelp: the correct format looks like `{example}`"
                );
                self.cx.error_spanned_by(other, message);
                Ok(None)
            }
        }
    }

    /// `key = <expr>`; reports a missing value.
    fn value(&self, meta: &ParseNestedMeta, example: &str) -> syn::Result<Option<Expr>> {
        if !meta.input.peek(Token![=]) {
            let message = format!(
                "`{}` needs a value\nhelp: the correct format looks like `{example}`",
                key_name(&meta.path)
            );
            self.cx.error_spanned_by(&meta.path, message);
            skip_value(meta)?;
            return Ok(None);
        }
        Ok(Some(meta.value()?.parse()?))
    }

    /// `key = "text"`.
    fn string(
        &self,
        meta: &ParseNestedMeta,
        example: &str,
    ) -> syn::Result<Option<Spanned<String>>> {
        Ok(self
            .value(meta, example)?
            .and_then(|expr| self.expect_string(&expr, example)))
    }

    fn expect_string(&self, expr: &Expr, example: &str) -> Option<Spanned<String>> {
        match expr {
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => Some(Spanned::from_lit(lit)),
            other => {
                let message = format!(
                    "expected a string literal\nhelp: the correct format looks like `{example}`"
                );
                self.cx.error_spanned_by(other, message);
                None
            }
        }
    }

    /// `key = Type`: a table type, never a string (the compiler checks it is a table).
    fn target(&self, meta: &ParseNestedMeta, example: &str) -> syn::Result<Option<Target>> {
        let Some(expr) = self.value(meta, example)? else {
            return Ok(None);
        };
        match expr {
            Expr::Path(ExprPath {
                qself: None, path, ..
            }) => Ok(Some(Target {
                key: meta.path.span(),
                path,
            })),
            other => {
                let found = if matches!(other, Expr::Lit(_)) {
                    "found a literal"
                } else {
                    "found an expression"
                };
                let message = format!(
                    "expected a table type, {found}\nhelp: the correct format looks like `{example}`"
                );
                self.cx.error_spanned_by(other, message);
                Ok(None)
            }
        }
    }

    /// `unique` or `unique = "name"`.
    fn optional_name(
        &self,
        meta: &ParseNestedMeta,
        example: &str,
    ) -> syn::Result<Option<OptionalName>> {
        let key = meta.path.span();
        if !has_value(meta) {
            return Ok(Some(OptionalName { key, name: None }));
        }
        let name = self.string(meta, example)?;
        Ok(name.map(|name| OptionalName {
            key,
            name: Some(name),
        }))
    }

    fn identity(&self, meta: &ParseNestedMeta) -> syn::Result<Option<Spanned<Identity>>> {
        let span = meta.path.span();
        if !has_value(meta) {
            return Ok(Some(Spanned {
                value: Identity::ByDefault,
                span,
            }));
        }
        let choices = [
            ("always", Identity::Always),
            ("by default", Identity::ByDefault),
        ];
        Ok(self
            .string(meta, "identity = \"always\"")?
            .and_then(|lit| self.choice(&lit, "identity", &choices))
            .map(|value| Spanned { value, span }))
    }

    fn deferrable(&self, meta: &ParseNestedMeta) -> syn::Result<Option<Spanned<Deferrable>>> {
        let span = meta.path.span();
        if !has_value(meta) {
            return Ok(Some(Spanned {
                value: Deferrable::InitiallyImmediate,
                span,
            }));
        }
        let choices = [
            ("initially immediate", Deferrable::InitiallyImmediate),
            ("initially deferred", Deferrable::InitiallyDeferred),
        ];
        Ok(self
            .string(meta, "deferrable = \"initially deferred\"")?
            .and_then(|lit| self.choice(&lit, "deferrable", &choices))
            .map(|value| Spanned { value, span }))
    }

    fn fk_action(
        &self,
        meta: &ParseNestedMeta,
        example: &str,
    ) -> syn::Result<Option<Spanned<FkAction>>> {
        let choices = [
            ("no action", FkAction::NoAction),
            ("restrict", FkAction::Restrict),
            ("cascade", FkAction::Cascade),
            ("set null", FkAction::SetNull),
            ("set default", FkAction::SetDefault),
        ];
        let key = key_name(&meta.path);
        Ok(self.string(meta, example)?.and_then(|lit| {
            let span = lit.span;
            self.choice(&lit, &key, &choices)
                .map(|value| Spanned { value, span })
        }))
    }

    /// One of a few SQL phrases, matched without regard to case or spacing.
    fn choice<T: Copy>(
        &self,
        lit: &Spanned<String>,
        key: &str,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let written = lit.value.split_whitespace().collect::<Vec<_>>().join(" ");
        let written = written.to_lowercase();
        if let Some((_, value)) = choices.iter().find(|(word, _)| *word == written) {
            return Some(*value);
        }
        let words = choices.iter().map(|(word, _)| *word);
        let message = format!(
            "invalid `{key}` value \"{}\"{}\nnote: expected one of {}",
            lit.value,
            did_you_mean(&written, words.clone()),
            backticked(words),
        );
        self.cx.error(lit.span, message);
        None
    }

    fn sql_type(&self, meta: &ParseNestedMeta) -> syn::Result<Option<Spanned<Override>>> {
        let Some(lit) = self.string(meta, "sql_type = \"varchar(255)\"")? else {
            return Ok(None);
        };
        match sql_type::parse(&lit.value) {
            Ok(value) => Ok(Some(Spanned {
                value,
                span: lit.span,
            })),
            Err(message) => {
                self.cx.error(lit.span, message);
                Ok(None)
            }
        }
    }

    /// The parenthesized list after `unique`, `primary_key`, `index` or `check`.
    fn list(&self, meta: &ParseNestedMeta, example: &str) -> syn::Result<Option<Vec<ListItem>>> {
        if !meta.input.peek(token::Paren) {
            let message = format!(
                "`{}` needs a parenthesized list\nhelp: the correct format looks like `{example}`",
                key_name(&meta.path)
            );
            self.cx.error_spanned_by(&meta.path, message);
            skip_value(meta)?;
            return Ok(None);
        }
        let content;
        syn::parenthesized!(content in meta.input);
        let items = Punctuated::<ListItem, Token![,]>::parse_terminated(&content)?;
        Ok(Some(items.into_iter().collect()))
    }

    /// `unique(a, b, name = "...")` / `primary_key(a, b, name = "...")`.
    fn key_list(&self, meta: &ParseNestedMeta, example: &str) -> syn::Result<Option<KeyList>> {
        let Some(items) = self.list(meta, example)? else {
            return Ok(None);
        };
        let list_name = format!("{}(...)", key_name(&meta.path));
        let mut list = KeyList {
            key: meta.path.span(),
            columns: Vec::new(),
            name: None,
        };
        for item in items {
            match item {
                ListItem::Word(ident) => list.columns.push(column_name(&ident)),
                ListItem::Pair(key, value) if key == NAME => {
                    let example = format!("{}(..., name = \"...\")", key_name(&meta.path));
                    let value = self.expect_string(&value, &example);
                    self.set_in_list(&mut list.name, &key, &list_name, value);
                }
                ListItem::Pair(key, _) => self.unknown_in_list(&key, &list_name, KEY_LIST_KEYS),
                ListItem::Str(lit) => {
                    let message = format!(
                        "expected a column name, found a string\nhelp: the correct format looks like `{example}`"
                    );
                    self.cx.error(lit.span(), message);
                }
            }
        }
        if list.columns.is_empty() {
            self.empty_list(meta, example);
        }
        Ok(Some(list))
    }

    /// `index(a, "lower(b)", unique, method = "...", where = "...", name = "...")`.
    fn index_list(&self, meta: &ParseNestedMeta) -> syn::Result<Option<IndexList>> {
        let example = "index(tax_type_id, effective_from)";
        let Some(items) = self.list(meta, example)? else {
            return Ok(None);
        };
        let mut index = IndexList {
            key: meta.path.span(),
            columns: Vec::new(),
            unique: false,
            method: None,
            predicate: None,
            name: None,
        };
        for item in items {
            match item {
                ListItem::Word(word) if word == UNIQUE => {
                    if index.unique {
                        self.cx
                            .error(word.span(), "duplicate `unique` in `index(...)`");
                    }
                    index.unique = true;
                }
                ListItem::Word(ident) => {
                    index.columns.push(IndexColumn::Column(column_name(&ident)))
                }
                ListItem::Str(lit) => index
                    .columns
                    .push(IndexColumn::Expr(Spanned::from_lit(&lit))),
                ListItem::Pair(key, value) if key == METHOD => {
                    // Lower case: the renderer quotes the method, and `"GIN"` is no method.
                    let method = self
                        .expect_string(&value, "index(..., method = \"gin\")")
                        .and_then(|lit| {
                            let value = self.choice(&lit, "method", &IndexMethod::CHOICES)?;
                            Some(Spanned {
                                value,
                                span: lit.span,
                            })
                        });
                    self.set_in_list(&mut index.method, &key, "index(...)", method);
                }
                ListItem::Pair(key, value) => {
                    let slot = if key == WHERE {
                        &mut index.predicate
                    } else if key == NAME {
                        &mut index.name
                    } else {
                        self.unknown_in_list(&key, "index(...)", INDEX_LIST_KEYS);
                        continue;
                    };
                    let example = format!("index(..., {} = \"...\")", key.unraw());
                    let value = self.expect_string(&value, &example);
                    self.set_in_list(slot, &key, "index(...)", value);
                }
            }
        }
        if index.columns.is_empty() {
            self.empty_list(meta, example);
        }
        let has_expression = index
            .columns
            .iter()
            .any(|c| matches!(c, IndexColumn::Expr(_)));
        if has_expression && index.name.is_none() {
            self.cx.error(
                index.key,
                "an expression index needs a name\nhelp: the correct format looks like \
                 `index(\"lower(email)\", name = \"users_email_lower_idx\")`",
            );
        }
        Ok(Some(index))
    }

    /// `check(name = "...", expr = "...")`: both are required.
    fn check_list(&self, meta: &ParseNestedMeta) -> syn::Result<Option<CheckList>> {
        let example = "check(name = \"tax_rates_rate_check\", expr = \"rate >= 0\")";
        let Some(items) = self.list(meta, example)? else {
            return Ok(None);
        };
        let (mut name, mut expr) = (None, None);
        for item in items {
            match item {
                ListItem::Pair(key, value) if key == NAME || key == EXPR => {
                    let slot = if key == NAME { &mut name } else { &mut expr };
                    let value = self.expect_string(&value, example);
                    self.set_in_list(slot, &key, "check(...)", value);
                }
                ListItem::Pair(key, _) | ListItem::Word(key) => {
                    self.unknown_in_list(&key, "check(...)", CHECK_LIST_KEYS)
                }
                ListItem::Str(lit) => {
                    let message = format!(
                        "expected `name = \"...\"` or `expr = \"...\"`\nhelp: the correct format looks like `{example}`"
                    );
                    self.cx.error(lit.span(), message);
                }
            }
        }
        for (value, key) in [(&name, NAME), (&expr, EXPR)] {
            if value.is_none() {
                let message = format!(
                    "a table check needs `{key} = \"...\"`\nhelp: the correct format looks like `{example}`"
                );
                self.cx.error(meta.path.span(), message);
            }
        }
        Ok(name.zip(expr).map(|(name, expr)| CheckList { name, expr }))
    }

    fn set_in_list<T>(&self, slot: &mut Option<T>, key: &Ident, list: &str, value: Option<T>) {
        let Some(value) = value else { return };
        if slot.is_some() {
            self.cx.error(
                key.span(),
                format!("duplicate `{}` in `{list}`", key.unraw()),
            );
        } else {
            *slot = Some(value);
        }
    }

    fn unknown_in_list(&self, key: &Ident, list: &str, valid: &[Symbol]) {
        let name = key.unraw().to_string();
        let valid = valid.iter().map(|s| s.as_str());
        let message = format!(
            "unknown `{list}` option `{name}`{}\nnote: expected one of {}",
            did_you_mean(&name, valid.clone()),
            backticked(valid),
        );
        self.cx.error(key.span(), message);
    }

    fn empty_list(&self, meta: &ParseNestedMeta, example: &str) {
        let message = format!(
            "`{}(...)` needs at least one column\nhelp: the correct format looks like `{example}`",
            key_name(&meta.path)
        );
        self.cx.error_spanned_by(&meta.path, message);
    }
}

/// One item of a parenthesized list: `email`, `"lower(email)"` or `name = "..."`.
enum ListItem {
    Word(Ident),
    Str(LitStr),
    Pair(Ident, Expr),
}

impl Parse for ListItem {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return input.parse().map(ListItem::Str);
        }
        // `parse_any` so that keywords such as `where` and `type` are accepted.
        let ident = Ident::parse_any(input)?;
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            return Ok(ListItem::Pair(ident, input.parse()?));
        }
        Ok(ListItem::Word(ident))
    }
}

fn column_name(ident: &Ident) -> Spanned<String> {
    Spanned {
        value: ident.unraw().to_string(),
        span: ident.span(),
    }
}

/// The key as written, for messages: `sql_typ`, `a::b`.
fn key_name(path: &Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

fn has_value(meta: &ParseNestedMeta) -> bool {
    meta.input.peek(Token![=]) || meta.input.peek(token::Paren)
}

/// Consumes `= <expr>` or `(...)` after a key that was already reported.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(token::Paren) {
        meta.input.parse::<Group>()?;
    }
    Ok(())
}
