//! Items the derives' generated code names through `::schema_core::__private`.
//! Not a public API: anything here may change in any release.

pub use crate::citus::{CitusSet, Distribution, citus_key_problem};
pub use crate::expected::ExpectedSchema;
pub use crate::migrate::{Migration, Migrations, Seed};
pub use crate::model::*;
pub use crate::table::{SchemaSet, SqlTyped, Table, View};
pub use crate::type_fit::{Fit, Unchecked, misfit};
pub use schema_sql_types::{Kind, Modifier};
pub use std::borrow::Cow;
pub use tenancy::{TenantKeyed, TenantSettingCast};

#[path = "private/tenancy.rs"]
mod tenancy;

/// `Some(Cow::Borrowed(s))` in `const` context, where `Option::map` is not allowed.
pub const fn opt_text(s: Option<&'static str>) -> Option<Text> {
    match s {
        Some(s) => Some(Cow::Borrowed(s)),
        None => None,
    }
}

/// The descriptor a failed `#[derive(Table)]` stands in with, so the compiler reports
/// the derive's errors and not a wall of follow-on ones.
pub const fn placeholder_table(name: &'static str) -> TableDef {
    TableDef {
        schema: None,
        name: Cow::Borrowed(name),
        columns: Cow::Borrowed(&[]),
        primary_key: None,
        uniques: Cow::Borrowed(&[]),
        checks: Cow::Borrowed(&[]),
        foreign_keys: Cow::Borrowed(&[]),
        indexes: Cow::Borrowed(&[]),
        comment: None,
        options: TableOptions::LIVE,
        row_security: RowSecurity::OFF,
        policies: Cow::Borrowed(&[]),
    }
}

// Type rules the derive cannot decide from syntax. The derive writes
// `const _: () = <FieldType as Rule<..>>::OK;` spanned on the field's type, so a
// violation is reported there with the message below.

/// A foreign key column has the referenced primary key's type `K`, or `Option<K>`.
#[diagnostic::on_unimplemented(
    message = "foreign key column type `{Self}` does not match the primary key type `{K}` of `{T}`",
    label = "expected `{K}` or `Option<{K}>`",
    note = "a foreign key column has the type of the primary key it references"
)]
pub trait SameKeyType<K: ?Sized, T: ?Sized> {
    const OK: () = ();
}

impl<K: ?Sized, T: ?Sized> SameKeyType<K, T> for K {}
#[diagnostic::do_not_recommend]
impl<K, T: ?Sized> SameKeyType<K, T> for Option<K> {}

/// Implemented by the derive for a table whose primary key is one column, with that
/// column's type: what a foreign key column (`references = T`, `tenant = T`) may
/// reference. A table with a composite key or none has no impl, so a foreign key to it
/// is reported by this message, not as a mismatch with a tuple or `()`.
#[diagnostic::on_unimplemented(
    message = "a foreign key column cannot reference `{Self}`: its primary key is not a single column",
    label = "`{Self}` has a composite primary key, or none",
    note = "a `references` or `tenant` column references the one primary key column of its table; composite foreign keys are not supported, and a table without a primary key cannot be referenced",
    note = "reference a table with a single-column primary key, or give `{Self}` one with `#[column(primary_key)]` on one field"
)]
pub trait ReferencedKey {
    type Key: ?Sized;
}

/// `tenant_id` has the tenant table's primary key type exactly (it is `NOT NULL`).
#[diagnostic::on_unimplemented(
    message = "tenant column type `{Self}` does not match the primary key type `{K}` of `{T}`",
    label = "expected `{K}`",
    note = "`tenant = {T}` makes `tenant_id` a `NOT NULL` foreign key to `{T}`"
)]
pub trait TenantKeyType<K: ?Sized, T: ?Sized> {
    const OK: () = ();
}

impl<K: ?Sized, T: ?Sized> TenantKeyType<K, T> for K {}

/// `created_at` and `updated_at` under `#[table(timestamps)]`.
#[diagnostic::on_unimplemented(
    message = "`timestamps` needs `created_at` and `updated_at` of type `DateTime<Utc>`, found `{Self}`",
    label = "expected `chrono::DateTime<chrono::Utc>`"
)]
pub trait UtcTimestamp {
    const OK: () = ();
}

#[cfg(feature = "chrono")]
impl UtcTimestamp for chrono::DateTime<chrono::Utc> {}

/// `deleted_at` under `#[table(soft_delete)]`.
#[diagnostic::on_unimplemented(
    message = "`soft_delete` needs `deleted_at` of type `Option<DateTime<Utc>>`, found `{Self}`",
    label = "expected `Option<chrono::DateTime<chrono::Utc>>`"
)]
pub trait SoftDeleteTimestamp {
    const OK: () = ();
}

#[cfg(feature = "chrono")]
impl SoftDeleteTimestamp for Option<chrono::DateTime<chrono::Utc>> {}

// Schema-set membership. The derive writes `impl<S> RefsIn<S> for User where Tenant:
// InSet<S>` (one bound per referenced table), `schema_set!` implements `InSet<Set>` for
// each member and asserts `Member: RefsIn<Set>`: a reference to a table outside the set
// fails that assertion with `InSet`'s message.

/// Implemented by `schema_set!` for each table of the set `S`.
#[diagnostic::on_unimplemented(
    message = "table `{Self}` is not in schema set `{S}`",
    label = "this table has a foreign key to `{Self}`",
    note = "add `{Self}` to the tables of `schema_set!({S} = [...])`"
)]
pub trait InSet<S> {}

/// Implemented by the derive: every table `Self` references is in the set `S`.
#[diagnostic::on_unimplemented(
    message = "a foreign key of `{Self}` points at a table outside schema set `{S}`"
)]
pub trait RefsIn<S> {
    const OK: () = ();
}

/// One table of a schema set, for [`duplicate_table`] and [`duplicate_relation`].
pub struct TableEntry {
    /// The Rust type as written in `schema_set!`.
    pub rust: &'static str,
    pub schema: Option<&'static str>,
    pub name: &'static str,
    /// The table's descriptor: the names of its indexes and key constraints.
    pub def: &'static TableDef,
}

/// The error message when `tables[index]` has the SQL name (and schema) of an earlier
/// table, evaluated at compile time by `schema_set!`.
pub const fn duplicate_table(set: &str, tables: &[TableEntry], index: usize) -> Option<Message> {
    let this = &tables[index];
    let mut earlier = 0;
    while earlier < index {
        let other = &tables[earlier];
        if str_eq(other.name, this.name) && opt_str_eq(other.schema, this.schema) {
            let mut message = Message::new()
                .push("schema set `")
                .push(set)
                .push("` has two tables named `");
            if let Some(schema) = this.schema {
                message = message.push(schema).push(".");
            }
            let message = message
                .push(this.name)
                .push("`: `")
                .push(other.rust)
                .push("` and `")
                .push(this.rust)
                .push("`\nhelp: give one of them another name with `#[table(name = \"...\")]`, or another schema with `#[table(schema = \"...\")]`");
            return Some(message);
        }
        earlier += 1;
    }
    None
}

/// The error message when `tables[index]` is audited (`#[table(audit)]`) and the set has
/// no `audit_log` table in its schema for the trigger to write to; evaluated at compile
/// time by `schema_set!`.
pub const fn missing_audit_log(set: &str, tables: &[TableEntry], index: usize) -> Option<Message> {
    let this = &tables[index];
    let triggers = slice(&this.def.options.triggers);
    let mut audited = false;
    let mut i = 0;
    while i < triggers.len() {
        audited |= str_eq(text(&triggers[i].name), text(&AUDIT.name));
        i += 1;
    }
    if !audited {
        return None;
    }
    let mut other = 0;
    while other < tables.len() {
        if str_eq(tables[other].name, "audit_log") && opt_str_eq(tables[other].schema, this.schema)
        {
            return None;
        }
        other += 1;
    }
    Some(
        Message::new()
            .push("`")
            .push(this.rust)
            .push("` is audited but schema set `")
            .push(set)
            .push("` has no `audit_log` table in its schema for the trigger to write to\nhelp: add `schema_core::AuditLog` to the set"),
    )
}

/// The error message when a relation of `tables[index]` (the table itself, its primary
/// key, unique constraints or indexes) has the name of a relation of an earlier table,
/// or of another relation of the same table, that may end up in the same schema;
/// evaluated at compile time by `schema_set!`.
///
/// PostgreSQL keeps tables and indexes, including the indexes behind primary keys and
/// unique constraints, in one namespace per schema: `a` with an index on `b_c` and
/// `a_b` with an index on `c` both want `a_b_c_idx`, and the second `CREATE` fails.
/// Two tables are taken to share a schema when they declare the same one or when
/// either declares none, since that one is placed at sync time and may land anywhere.
/// Tables that repeat another's name and schema are left to [`duplicate_table`], so a
/// repeated table does not also report each of its derived names.
///
/// Quadratic in the number of relations, which is cheap at the size of a schema set
/// (a few hundred names); each comparison stops at the first differing byte.
pub const fn duplicate_relation(set: &str, tables: &[TableEntry], index: usize) -> Option<Message> {
    let this = &tables[index];
    let count = relation_count(this.def);
    let mut position = 0;
    while position < count {
        let relation = relation(this.def, position);
        let mut earlier = 0;
        while earlier <= index {
            let other = &tables[earlier];
            let repeated_table = earlier < index
                && str_eq(other.name, this.name)
                && opt_str_eq(other.schema, this.schema);
            let may_share = match (other.schema, this.schema) {
                (Some(a), Some(b)) => str_eq(a, b),
                _ => true,
            };
            if may_share && !repeated_table {
                // Within the table itself, only the relations before this one.
                let limit = if earlier == index {
                    position
                } else {
                    usize::MAX
                };
                if let Some(found) = find_relation(other.def, limit, relation.name) {
                    return Some(relation_message(set, other, found, this, relation));
                }
            }
            earlier += 1;
        }
        position += 1;
    }
    None
}

/// The error message when `tables[index]` is `renamed_from` a table the set still
/// declares, or from the same old name as an earlier table; evaluated at compile time
/// by `schema_set!`.
///
/// A rename from a live, still declared table would move that table away and create
/// it again, empty; two tables renamed from one name would both claim its rows. Both
/// compare within one schema: the same declared schema, or none for both (a rename
/// happens inside the renamed table's schema).
pub const fn renamed_table(set: &str, tables: &[TableEntry], index: usize) -> Option<Message> {
    let this = &tables[index];
    let olds = slice(&this.def.options.renamed_from);
    let mut o = 0;
    while o < olds.len() {
        let old = text(&olds[o]);
        let mut other = 0;
        while other < tables.len() {
            let that = &tables[other];
            if other != index && opt_str_eq(that.schema, this.schema) {
                if str_eq(that.name, old) {
                    let message = Message::new().push("schema set `").push(set).push("`: ");
                    let message = describe(message, this, RelationKind::Table)
                        .push(" is renamed from `")
                        .push(old)
                        .push("`, which is still declared as ");
                    let message = describe(message, that, RelationKind::Table)
                        .push(
                            "\nnote: the sync would rename the live table away and then create it again, empty",
                        )
                        .push("\nhelp: remove `renamed_from` from `")
                        .push(this.rust)
                        .push("`, or remove `")
                        .push(that.rust)
                        .push("` from the set if its table was renamed");
                    return Some(message);
                }
                if other < index && contains(&that.def.options.renamed_from, old) {
                    let message = Message::new().push("schema set `").push(set).push("`: ");
                    let message = describe(message, that, RelationKind::Table).push(" and ");
                    let message = describe(message, this, RelationKind::Table)
                        .push(" are both renamed from `")
                        .push(old)
                        .push(
                            "`\nhelp: one table takes over the old table; remove one of the two `renamed_from`",
                        );
                    return Some(message);
                }
            }
            other += 1;
        }
        o += 1;
    }
    None
}

/// Whether a list of names declared in code holds `name`.
const fn contains(names: &'static List<Text>, name: &str) -> bool {
    let names = slice(names);
    let mut i = 0;
    while i < names.len() {
        if str_eq(text(&names[i]), name) {
            return true;
        }
        i += 1;
    }
    false
}

/// What a relation of a table is.
#[derive(Clone, Copy)]
enum RelationKind {
    Table,
    PrimaryKey,
    Unique,
    Index,
}

/// A name a table puts in its schema's relation namespace.
#[derive(Clone, Copy)]
struct Relation {
    kind: RelationKind,
    name: &'static str,
}

/// How many relations a table has: itself, its primary key, its unique constraints
/// and its indexes.
const fn relation_count(def: &'static TableDef) -> usize {
    1 + def.primary_key.is_some() as usize + slice(&def.uniques).len() + slice(&def.indexes).len()
}

/// The relation at `position` in [`relation_count`]'s order.
const fn relation(def: &'static TableDef, position: usize) -> Relation {
    let mut rest = position;
    if rest == 0 {
        return Relation {
            kind: RelationKind::Table,
            name: text(&def.name),
        };
    }
    rest -= 1;
    if let Some(key) = &def.primary_key {
        if rest == 0 {
            return Relation {
                kind: RelationKind::PrimaryKey,
                name: text(&key.name),
            };
        }
        rest -= 1;
    }
    let uniques = slice(&def.uniques);
    if rest < uniques.len() {
        return Relation {
            kind: RelationKind::Unique,
            name: text(&uniques[rest].name),
        };
    }
    rest -= uniques.len();
    Relation {
        kind: RelationKind::Index,
        name: text(&slice(&def.indexes)[rest].name),
    }
}

/// The first of the first `limit` relations of `def` called `name`.
const fn find_relation(def: &'static TableDef, limit: usize, name: &str) -> Option<Relation> {
    let count = relation_count(def);
    let end = if limit < count { limit } else { count };
    let mut position = 0;
    while position < end {
        let relation = relation(def, position);
        if str_eq(relation.name, name) {
            return Some(relation);
        }
        position += 1;
    }
    None
}

/// Names both relations and their tables, says why they clash and how to rename one.
const fn relation_message(
    set: &str,
    first_table: &TableEntry,
    first: Relation,
    second_table: &TableEntry,
    second: Relation,
) -> Message {
    // A table that declares no schema meets one that does only if a sync places it
    // there: say so, and how to keep them apart.
    let unplaced = match (first_table.schema, second_table.schema) {
        (Some(schema), None) => Some((second_table, schema)),
        (None, Some(schema)) => Some((first_table, schema)),
        _ => None,
    };
    let message = Message::new()
        .push("schema set `")
        .push(set)
        .push("` has two relations named `")
        .push(second.name)
        .push(if unplaced.is_some() {
            "` that may share a schema: "
        } else {
            "` in one schema: "
        });
    let message = describe(message, first_table, first.kind).push(" and ");
    let mut message = describe(message, second_table, second.kind).push(
        "\nnote: PostgreSQL keeps tables, indexes and the indexes of primary keys and \
         unique constraints in one namespace per schema",
    );
    if let Some((table, schema)) = unplaced {
        message = message
            .push("\nnote: `")
            .push(table.rust)
            .push("` declares no schema, so a sync may place it in `")
            .push(schema)
            .push("`; `schema = \"...\"` on it keeps the two apart");
    }
    message = rename_help(message.push("\nhelp: rename one of them: "), first.kind);
    if second.kind as u8 != first.kind as u8 {
        message = rename_help(message.push(", or "), second.kind);
    }
    message
}

/// The relation's kind and its table: "an index of table `billing.a` (`A`)".
const fn describe(message: Message, table: &TableEntry, kind: RelationKind) -> Message {
    let what = match kind {
        RelationKind::Table => "table `",
        RelationKind::PrimaryKey => "the primary key of table `",
        RelationKind::Unique => "a unique constraint of table `",
        RelationKind::Index => "an index of table `",
    };
    let mut message = message.push(what);
    if let Some(schema) = table.schema {
        message = message.push(schema).push(".");
    }
    message
        .push(table.name)
        .push("` (`")
        .push(table.rust)
        .push("`)")
}

/// How to rename a relation of this kind.
const fn rename_help(message: Message, kind: RelationKind) -> Message {
    message.push(match kind {
        RelationKind::Table => "the table with `#[table(name = \"...\")]`",
        RelationKind::PrimaryKey => {
            "the primary key with `#[table(primary_key(..., name = \"...\"))]`"
        }
        RelationKind::Unique => {
            "the unique constraint with `unique(..., name = \"...\")` or `#[column(unique = \"...\")]`"
        }
        RelationKind::Index => {
            "the index with `index(..., name = \"...\")` or `#[column(index = \"...\")]`"
        }
    })
}

/// One view of a schema set, for [`view_problem`].
pub struct ViewEntry {
    /// The Rust type as written in `schema_set!`.
    pub rust: &'static str,
    pub def: &'static ViewDef,
}

/// The error message when `views[index]` reads a relation that is neither a table nor a
/// view of the set, or has the name of a table or an earlier view in its schema;
/// evaluated at compile time by `schema_set!`. Qualified names of `pg_catalog` and
/// `information_schema` are the server's own and always there.
pub const fn view_problem(
    set: &str,
    tables: &[TableEntry],
    views: &[ViewEntry],
    index: usize,
) -> Option<Message> {
    let this = &views[index];
    let own = match &this.def.schema {
        Some(schema) => Some(text(schema)),
        None => None,
    };
    let name = text(&this.def.name);
    let mut i = 0;
    while i < tables.len() {
        if str_eq(tables[i].name, name) && opt_str_eq(tables[i].schema, own) {
            return Some(
                Message::new()
                    .push("view `")
                    .push(name)
                    .push("` (`")
                    .push(this.rust)
                    .push("`) has the name of table `")
                    .push(tables[i].rust)
                    .push("` in schema set `")
                    .push(set)
                    .push(
                        "`: tables and views share one namespace per schema
help: rename the view with `#[view(name = \"...\")]`",
                    ),
            );
        }
        i += 1;
    }
    let mut i = 0;
    while i < index {
        if str_eq(text(&views[i].def.name), name) && opt_schema_eq(&views[i].def.schema, own) {
            return Some(
                Message::new()
                    .push("schema set `")
                    .push(set)
                    .push("` has two views named `")
                    .push(name)
                    .push("`: `")
                    .push(views[i].rust)
                    .push("` and `")
                    .push(this.rust)
                    .push(
                        "`
help: rename one with `#[view(name = \"...\")]`",
                    ),
            );
        }
        i += 1;
    }
    let reads = slice(&this.def.reads);
    let mut r = 0;
    while r < reads.len() {
        let read = text(&reads[r]);
        let (schema, relation) = split_qualified(read);
        let builtin = match schema {
            Some(s) => str_eq(s, "pg_catalog") || str_eq(s, "information_schema"),
            None => false,
        };
        if !builtin && !relation_in_set(tables, views, schema, own, relation) {
            return Some(
                Message::new()
                    .push("view `")
                    .push(name)
                    .push("` (`")
                    .push(this.rust)
                    .push("`) reads `")
                    .push(read)
                    .push("`, which is not a table or view of schema set `")
                    .push(set)
                    .push("`
help: add its table to the set, or the view to `views = [...]`; a relation of another schema is named with it (`public.tenants`)"),
            );
        }
        r += 1;
    }
    None
}

/// Whether `schema.relation` (the view's own schema `own` when unqualified) is a table
/// or view of the set. A table that names no schema may be in any.
const fn relation_in_set(
    tables: &[TableEntry],
    views: &[ViewEntry],
    schema: Option<&str>,
    own: Option<&str>,
    relation: &str,
) -> bool {
    let wanted = match schema {
        Some(s) => Some(s),
        None => own,
    };
    let mut i = 0;
    while i < tables.len() {
        let placed = match (tables[i].schema, wanted) {
            (Some(a), Some(b)) => str_eq(a, b),
            (None, None) => true,
            (None, Some(_)) => schema.is_some(),
            (Some(_), None) => false,
        };
        if str_eq(tables[i].name, relation) && placed {
            return true;
        }
        i += 1;
    }
    let mut i = 0;
    while i < views.len() {
        if str_eq(text(&views[i].def.name), relation) && opt_schema_eq(&views[i].def.schema, wanted)
        {
            return true;
        }
        i += 1;
    }
    false
}

const fn opt_schema_eq(schema: &'static Option<Text>, other: Option<&str>) -> bool {
    match schema {
        Some(s) => opt_str_eq(Some(text(s)), other),
        None => other.is_none(),
    }
}

/// `schema.name` split at its dot; a name without one has no schema.
const fn split_qualified(name: &str) -> (Option<&str>, &str) {
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' {
            let (schema, rest) = name.split_at(i);
            let (_, relation) = rest.split_at(1);
            return (Some(schema), relation);
        }
        i += 1;
    }
    (None, name)
}

/// The items of a list declared in code (an owned list, read from a database, is
/// never part of a schema set, but has a slice all the same).
pub(crate) const fn slice<T: Clone>(list: &'static List<T>) -> &'static [T] {
    match list {
        Cow::Borrowed(items) => items,
        Cow::Owned(items) => items.as_slice(),
    }
}

/// The text of a name declared in code.
pub(crate) const fn text(name: &'static Text) -> &'static str {
    match name {
        Cow::Borrowed(name) => name,
        Cow::Owned(name) => name.as_str(),
    }
}

/// A compile-time error message in a fixed buffer (`format!` is not `const`).
pub struct Message {
    bytes: [u8; 1024],
    len: usize,
}

impl Message {
    pub(crate) const fn new() -> Self {
        Message {
            bytes: [0; 1024],
            len: 0,
        }
    }

    /// Appends `text`, cutting what does not fit.
    pub(crate) const fn push(mut self, text: &str) -> Self {
        let text = text.as_bytes();
        let mut i = 0;
        while i < text.len() && self.len < self.bytes.len() {
            self.bytes[self.len] = text[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    pub const fn as_str(&self) -> &str {
        let (written, _) = self.bytes.split_at(self.len);
        match core::str::from_utf8(written) {
            Ok(text) => text,
            // Only a cut inside a multi-byte character gets here.
            Err(_) => "schema set has two tables, indexes or keys with the same name",
        }
    }
}

pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn opt_str_eq(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => str_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}
