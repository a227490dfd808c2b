//! Rules that combine several attributes or look at the struct's shape. Each rule
//! reports into the `Ctxt` and never stops the others, so one build shows every
//! mistake. Rules about types that only the compiler can decide (foreign key types,
//! timestamp types) are trait assertions written by `expand.rs` instead.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::Type;
use syn::ext::IdentExt;

use crate::ast::{self, Objects, SqlName, Table};
use crate::attr::{FkAction, IndexColumn, Spanned};
use crate::ctxt::{Ctxt, did_you_mean};
use crate::sql_expr;

/// PostgreSQL truncates identifiers longer than this (`NAMEDATALEN - 1`).
pub const MAX_IDENTIFIER_BYTES: usize = 63;

pub fn check(cx: &Ctxt, table: &Table) {
    let objects = table.objects();
    check_not_generic(cx, table);
    check_identifier_lengths(cx, table, &objects);
    check_duplicate_columns(cx, table);
    check_renames(cx, table);
    check_list_columns_exist(cx, table);
    check_repeated_list_columns(cx, table);
    check_primary_key(cx, table);
    check_tenant(cx, table);
    check_soft_delete(cx, table);
    check_timestamps(cx, table);
    check_generated_values(cx, table);
    check_generated_columns(cx, table);
    check_foreign_key_options(cx, table);
    check_duplicate_object_names(cx, &objects);
    sql_expr::check_expressions(cx, table);
    crate::row_security::check(cx, table);
    crate::tenant_keys::check(cx, table);
}

/// A table is one concrete type: a generic struct would be many tables with one name.
fn check_not_generic(cx: &Ctxt, table: &Table) {
    let generics = &table.original.generics;
    if !generics.params.is_empty() {
        cx.error_spanned_by(
            generics,
            "a table cannot be generic\nhelp: declare one struct per table, with concrete field types",
        );
    }
}

/// PostgreSQL silently truncates longer names, so the declared and the live name would
/// differ and every sync would see a missing object.
/// Returns whether the name fits.
pub fn check_identifier_length(cx: &Ctxt, what: &str, name: &SqlName) -> bool {
    let bytes = name.text.len();
    let fits = bytes <= MAX_IDENTIFIER_BYTES;
    if !fits {
        cx.error(
            name.span,
            format!(
                "{what} name `{}` is {bytes} bytes long; PostgreSQL allows at most {MAX_IDENTIFIER_BYTES}\nhelp: {}",
                name.text, name.help
            ),
        );
    }
    fits
}

fn check_identifier_lengths(cx: &Ctxt, table: &Table, objects: &Objects) {
    let mut too_long = !check_identifier_length(cx, "table", &table.name);
    for column in &table.columns {
        too_long |= !check_identifier_length(cx, "column", &column.name);
    }
    let written = [
        ("schema", &table.attrs.schema),
        ("former table", &table.attrs.renamed_from),
    ]
    .into_iter()
    .chain(
        table
            .columns
            .iter()
            .map(|c| ("former column", &c.attrs.renamed_from)),
    );
    for (what, name) in written {
        if let Some(name) = name {
            check_identifier_length(cx, what, &SqlName::explicit(name));
        }
    }
    // Names derived from a name already reported would only repeat that error.
    let named = objects
        .primary_key
        .iter()
        .map(|k| ("primary key", &k.name))
        .chain(
            objects
                .uniques
                .iter()
                .map(|k| ("unique constraint", &k.name)),
        )
        .chain(objects.checks.iter().map(|c| ("check constraint", &c.name)))
        .chain(
            objects
                .foreign_keys
                .iter()
                .map(|f| ("foreign key", &f.name)),
        )
        .chain(objects.indexes.iter().map(|i| ("index", &i.name)));
    for (what, name) in named.filter(|(_, name)| !(too_long && name.derived)) {
        check_identifier_length(cx, what, name);
    }
}

/// Two fields mapped to one SQL column (through `name = "..."`) cannot both exist.
fn check_duplicate_columns(cx: &Ctxt, table: &Table) {
    let mut seen = BTreeSet::new();
    for column in &table.columns {
        if !seen.insert(column.name.text.as_str()) {
            cx.error(
                column.name.span,
                format!("duplicate column name `{}`", column.name.text),
            );
        }
    }
}

/// A `renamed_from` the sync could not follow sensibly. Equal to the current name it
/// is a rename already applied, left behind. Naming a column the table still declares
/// it would move that column's data into this one and then add the old column again,
/// empty. Two columns renamed from one old name would both claim its data.
/// (Tables renamed from a table of the set are checked by `schema_set!`.)
fn check_renames(cx: &Ctxt, table: &Table) {
    if let Some(old) = &table.attrs.renamed_from
        && old.value == table.name.text
    {
        cx.error(
            old.span,
            format!(
                "table `{}` is `renamed_from` its own name\nhelp: the rename is done; remove `renamed_from`",
                old.value
            ),
        );
    }
    let mut claimed: Vec<(&str, &ast::Column)> = Vec::new();
    for column in &table.columns {
        let Some(old) = &column.attrs.renamed_from else {
            continue;
        };
        if old.value == column.name.text {
            cx.error(
                old.span,
                format!(
                    "column `{}` is `renamed_from` its own name\nhelp: the rename is done; remove `renamed_from`",
                    old.value
                ),
            );
            continue;
        }
        if let Some(live) = table.columns.iter().find(|c| c.name.text == old.value) {
            cx.error(
                old.span,
                format!(
                    "column `{}` is renamed from `{}`, which this table still declares (field `{}`)\n\
                     note: the sync would move the data of `{}` into `{}` and add `{}` again, empty\n\
                     help: remove `renamed_from`, or remove the field `{}` if the column was renamed",
                    column.name.text,
                    old.value,
                    live.ident.unraw(),
                    old.value,
                    column.name.text,
                    old.value,
                    live.ident.unraw(),
                ),
            );
            continue;
        }
        match claimed.iter().find(|(name, _)| *name == old.value) {
            Some((_, first)) => cx.error(
                old.span,
                format!(
                    "columns `{}` and `{}` are both renamed from `{}`\n\
                     help: one column takes over the old column; remove one of the two `renamed_from`",
                    first.name.text, column.name.text, old.value
                ),
            ),
            None => claimed.push((&old.value, column)),
        }
    }
}

/// Names in `unique(...)`, `index(...)` and `primary_key(...)` must be columns of this
/// table; a typo would otherwise reach PostgreSQL as a failing `CREATE`.
fn check_list_columns_exist(cx: &Ctxt, table: &Table) {
    let attrs = &table.attrs;
    let lists = attrs
        .uniques
        .iter()
        .map(|list| ("unique(...)", &list.columns))
        .chain(
            attrs
                .primary_key
                .iter()
                .map(|list| ("primary_key(...)", &list.columns)),
        )
        .chain(
            attrs
                .live_uniques
                .iter()
                .map(|list| ("live_unique(...)", &list.columns)),
        );
    for (list, columns) in lists {
        for column in columns {
            check_column_exists(cx, table, list, column);
        }
    }
    for index in &attrs.indexes {
        for column in &index.columns {
            if let IndexColumn::Column(column) = column {
                check_column_exists(cx, table, "index(...)", column);
            }
        }
    }
}

fn check_column_exists(cx: &Ctxt, table: &Table, list: &str, written: &Spanned<String>) {
    if table.resolve(&written.value).is_some() {
        return;
    }
    let fields: Vec<String> = table
        .columns
        .iter()
        .map(|c| c.ident.unraw().to_string())
        .collect();
    let known = table
        .columns
        .iter()
        .map(|c| c.name.text.as_str())
        .chain(fields.iter().map(String::as_str));
    cx.error(
        written.span,
        format!(
            "unknown column `{}` in `{list}`{}",
            written.value,
            did_you_mean(&written.value, known)
        ),
    );
}

/// A column named twice in one `unique(...)`, `index(...)` or `primary_key(...)`:
/// PostgreSQL rejects it in a key ("column appears twice") only when the sync runs,
/// and in an index it is redundant. Entries are compared by the SQL column they
/// resolve to, so a field name and its column's SQL name count as the same column;
/// unknown names are reported by `check_list_columns_exist` instead.
fn check_repeated_list_columns(cx: &Ctxt, table: &Table) {
    for list in &table.attrs.uniques {
        check_no_repeated_columns(cx, table, "unique(...)", list.columns.iter());
    }
    for index in &table.attrs.indexes {
        let columns = index.columns.iter().filter_map(|c| match c {
            IndexColumn::Column(column) => Some(column),
            IndexColumn::Expr(_) => None,
        });
        check_no_repeated_columns(cx, table, "index(...)", columns);
    }
}

/// Reports each entry after the first that names an already listed column.
fn check_no_repeated_columns<'c>(
    cx: &Ctxt,
    table: &Table,
    list: &str,
    columns: impl Iterator<Item = &'c Spanned<String>>,
) {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for written in columns {
        let Some(column) = table.resolve(&written.value) else {
            continue;
        };
        let sql = column.name.text.as_str();
        match seen.iter().find(|(name, _)| *name == sql) {
            None => seen.push((sql, &written.value)),
            Some((_, first)) => {
                let alias = if *first == written.value {
                    String::new()
                } else {
                    format!(" (`{first}` and `{}` are the same column)", written.value)
                };
                cx.error(
                    written.span,
                    format!(
                        "column `{sql}` is listed twice in `{list}`{alias}\nhelp: remove this entry"
                    ),
                );
            }
        }
    }
}

/// One way to declare the key, and key columns that cannot be `NULL`.
fn check_primary_key(cx: &Ctxt, table: &Table) {
    if let Some(list) = &table.attrs.primary_key {
        for column in table
            .columns
            .iter()
            .filter(|c| c.attrs.primary_key.is_some())
        {
            if let Some(key) = column.attrs.primary_key {
                cx.error(
                    key,
                    format!(
                        "the primary key is declared twice: by `primary_key(...)` on the table and on field `{}`\nhelp: keep one of the two",
                        column.ident.unraw()
                    ),
                );
            }
        }
        check_no_repeated_columns(cx, table, "primary_key(...)", list.columns.iter());
    }
    for column in table.primary_key_columns() {
        if column.is_option() {
            cx.error_spanned_by(
                column.ty,
                "a primary key column cannot be `Option`: PostgreSQL makes key columns `NOT NULL`",
            );
        }
    }
}

/// `tenant = T` builds its foreign key and index on the `tenant_id` field.
fn check_tenant(cx: &Ctxt, table: &Table) {
    let Some(tenant) = &table.attrs.tenant else {
        return;
    };
    match table.field(ast::TENANT_ID) {
        None => cx.error(
            tenant.key,
            format!(
                "`tenant = {}` needs a field `{}`\nhelp: add `pub {}: <the primary key type of {0}>`",
                tenant.path.to_token_stream().to_string().replace(' ', ""),
                ast::TENANT_ID,
                ast::TENANT_ID,
            ),
        ),
        Some(column) => {
            if let Some(references) = &column.attrs.references {
                cx.error(
                    references.key,
                    "`tenant_id` already references the tenant through `tenant = ...`\nhelp: remove `references`",
                );
            }
        }
    }
}

/// `soft_delete` marks rows through the `deleted_at` field (its type is a trait
/// assertion in the expansion).
fn check_soft_delete(cx: &Ctxt, table: &Table) {
    let Some(key) = table.attrs.soft_delete else {
        return;
    };
    if table.field(ast::DELETED_AT).is_none() {
        cx.error(
            key,
            format!(
                "`soft_delete` needs a field `{}`\nhelp: add `pub {}: Option<DateTime<Utc>>`",
                ast::DELETED_AT,
                ast::DELETED_AT
            ),
        );
    }
}

/// `timestamps` fills `created_at` and `updated_at`: both must exist.
fn check_timestamps(cx: &Ctxt, table: &Table) {
    let Some(key) = table.attrs.timestamps else {
        return;
    };
    for name in [ast::CREATED_AT, ast::UPDATED_AT] {
        if table.field(name).is_none() {
            cx.error(
                key,
                format!(
                    "`timestamps` needs a field `{name}`\nhelp: add `pub {name}: DateTime<Utc>`"
                ),
            );
        }
    }
}

/// `serial` and `identity` generate values: one of them, no `default` beside it (the
/// server rejects both), and an integer type.
fn check_generated_values(cx: &Ctxt, table: &Table) {
    for column in &table.columns {
        let attrs = &column.attrs;
        let generated = match (attrs.serial, &attrs.identity) {
            (Some(_), Some(identity)) => {
                cx.error(
                    identity.span,
                    "a column cannot be both `serial` and `identity`",
                );
                continue;
            }
            (Some(serial), None) => ("serial", serial),
            (None, Some(identity)) => ("identity", identity.span),
            (None, None) => continue,
        };
        let (key, span) = generated;
        if let Some(default) = &attrs.default {
            cx.error(
                default.span,
                format!(
                    "a `{key}` column generates its own default\nhelp: remove `default` or `{key}`"
                ),
            );
        }
        let integer = match &attrs.sql_type {
            Some(sql_type) => Some(sql_type.value.is_integer()),
            None => is_integer_type(column.ty),
        };
        if integer == Some(false) {
            cx.error_spanned_by(
                column.ty,
                format!(
                    "`{key}` needs an integer column: `i16`, `i32` or `i64`, found `{}`",
                    column.ty.to_token_stream().to_string().replace(' ', "")
                ),
            );
        } else if column.is_option() {
            cx.error(
                span,
                format!(
                    "a `{key}` column is never `NULL`\nhelp: use the integer type without `Option`"
                ),
            );
        }
    }
}

/// A `generated` column computes its value from the row: it takes no default, no
/// identity, and is not one of the columns `timestamps` fills.
fn check_generated_columns(cx: &Ctxt, table: &Table) {
    for column in &table.columns {
        let attrs = &column.attrs;
        let Some(generated) = &attrs.generated else {
            continue;
        };
        if let Some(default) = &attrs.default {
            cx.error(
                default.span,
                "a `generated` column cannot have a `default`: its expression gives the \
                 value\nhelp: remove `default`",
            );
        }
        for (key, span) in [
            ("serial", attrs.serial),
            ("identity", attrs.identity.as_ref().map(|i| i.span)),
        ] {
            if let Some(span) = span {
                cx.error(
                    span,
                    format!(
                        "a column cannot be both `{key}` and `generated`\nhelp: remove one of them"
                    ),
                );
            }
        }
        if table.timestamp_columns().any(|c| c.ident == column.ident) {
            cx.error(
                generated.span,
                "`timestamps` sets this column, so it cannot be `generated`\n\
                 help: rename the column, or remove `timestamps`",
            );
        }
    }
}

/// Foreign key options need a foreign key, and `set null` needs a nullable column.
fn check_foreign_key_options(cx: &Ctxt, table: &Table) {
    for column in &table.columns {
        let attrs = &column.attrs;
        let options = [
            ("on_delete", attrs.on_delete.as_ref().map(|a| a.span)),
            ("on_update", attrs.on_update.as_ref().map(|a| a.span)),
            ("deferrable", attrs.deferrable.as_ref().map(|d| d.span)),
        ];
        if attrs.references.is_none() {
            for (key, span) in options {
                if let Some(span) = span {
                    cx.error(
                        span,
                        format!("`{key}` needs a foreign key\nhelp: add `references = <table type>` to this column"),
                    );
                }
            }
            continue;
        }
        for action in [&attrs.on_delete, &attrs.on_update].into_iter().flatten() {
            if action.value == FkAction::SetNull && !column.is_option() {
                cx.error(
                    action.span,
                    format!(
                        "`set null` needs a nullable column\nhelp: make the field `Option<{}>`",
                        column.ty.to_token_stream().to_string().replace(' ', "")
                    ),
                );
            }
        }
    }
}

/// Constraints and indexes of one table must have distinct names (PostgreSQL keeps
/// constraint names per table and index names per schema).
fn check_duplicate_object_names(cx: &Ctxt, objects: &Objects) {
    let names = objects
        .primary_key
        .iter()
        .map(|k| &k.name)
        .chain(objects.uniques.iter().map(|k| &k.name))
        .chain(objects.checks.iter().map(|c| &c.name))
        .chain(objects.foreign_keys.iter().map(|f| &f.name))
        .chain(objects.indexes.iter().map(|i| &i.name));
    let mut seen = BTreeSet::new();
    for name in names {
        if !seen.insert(name.text.as_str()) {
            cx.error(
                name.span,
                format!(
                    "another constraint or index of this table is already named `{}`",
                    name.text
                ),
            );
        }
    }
}

/// `Some(true)` for `i16`/`i32`/`i64`, `Some(false)` for a type that is surely not
/// an integer column, `None` when only the compiler knows (an alias, a newtype).
fn is_integer_type(ty: &Type) -> Option<bool> {
    if let Some(inner) = ast::option_inner(ty) {
        return is_integer_type(inner);
    }
    let Type::Path(path) = ty else {
        return Some(false);
    };
    let last = path.path.segments.last()?.ident.to_string();
    match last.as_str() {
        "i16" | "i32" | "i64" => Some(true),
        "bool" | "char" | "str" | "String" | "f32" | "f64" | "i8" | "i128" | "isize" | "u8"
        | "u16" | "u32" | "u64" | "u128" | "usize" | "Vec" | "Uuid" | "Decimal" | "Value"
        | "NaiveDate" | "NaiveTime" | "NaiveDateTime" | "DateTime" | "IpAddr" => Some(false),
        _ => None,
    }
}
