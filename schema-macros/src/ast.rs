//! The struct as a table: its parsed attributes next to the syn nodes they came
//! from, and the constraints and indexes they imply, with PostgreSQL's default names.
//!
//! Both `check.rs` and `expand.rs` read the derived objects from here, so the names
//! a check validates are exactly the names the expansion writes.

use heck::ToSnakeCase;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Field, Fields, GenericArgument, Ident, Path, PathArguments, Type};

use crate::attr::{self, Deferrable, FkAction, IndexColumn, Spanned, Target};
use crate::ctxt::Ctxt;

/// Field names the table-level options look for.
pub const TENANT_ID: &str = "tenant_id";
pub const DELETED_AT: &str = "deleted_at";
pub const CREATED_AT: &str = "created_at";
pub const UPDATED_AT: &str = "updated_at";

pub struct Table<'a> {
    pub ident: &'a Ident,
    pub original: &'a DeriveInput,
    pub attrs: attr::Table,
    /// The SQL name.
    pub name: SqlName,
    pub columns: Vec<Column<'a>>,
}

pub struct Column<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: attr::Column,
    /// The SQL name.
    pub name: SqlName,
}

/// A PostgreSQL identifier the macro writes, with where to point when it is wrong.
pub struct SqlName {
    pub text: String,
    pub span: Span,
    /// How to pick another name, for the 63-byte limit error.
    pub help: &'static str,
    /// Built from the table's and columns' names (`users_email_key`).
    pub derived: bool,
}

pub struct Key {
    pub name: SqlName,
    pub columns: Vec<String>,
}

pub struct Check {
    pub name: SqlName,
    pub expr: String,
}

pub struct ForeignKey<'t> {
    pub name: SqlName,
    pub column: &'t Column<'t>,
    /// The referenced table's type (the struct itself for `Self`).
    pub target: &'t Path,
    pub self_reference: bool,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub deferrable: Option<Deferrable>,
    /// `tenant_safe`: `(tenant_id, column)` references the target's `(tenant_id, key)`.
    pub tenant_safe: Option<&'t Column<'t>>,
}

pub struct Index {
    pub name: SqlName,
    /// Column names, or expressions in parentheses.
    pub columns: Vec<String>,
    pub unique: bool,
    /// `None` for `btree`, as in the model.
    pub method: Option<&'static str>,
    pub predicate: Option<String>,
}

/// Everything a table declares besides its columns, in the order the expansion emits
/// it: per kind, the tenant objects first, then column-level items in field order, then
/// table-level `unique(...)`, `index(...)` and `check(...)` in attribute order.
pub struct Objects<'t> {
    pub primary_key: Option<Key>,
    pub uniques: Vec<Key>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey<'t>>,
    pub indexes: Vec<Index>,
}

const EXPLICIT_NAME_HELP: &str = "choose a name of at most 63 bytes";
const TABLE_NAME_HELP: &str = "set a shorter SQL name with `#[table(name = \"...\")]`";
const COLUMN_NAME_HELP: &str = "set a shorter SQL name with `#[column(name = \"...\")]`";
const LIST_NAME_HELP: &str = "name it explicitly with `name = \"...\"` inside the list";
const DERIVED_NAME_HELP: &str =
    "shorten the table or column name with `name = \"...\"` on the struct or the field";

impl<'a> Table<'a> {
    /// `None` (after reporting) when the input is not a struct with named fields.
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(fields) => &fields.named,
                Fields::Unnamed(_) | Fields::Unit => {
                    cx.error(
                        input.ident.span(),
                        "`#[derive(Table)]` needs a struct with named fields, one per column",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                let message = "`#[derive(Table)]` needs a struct with named fields, not an enum\n\
                     help: to map an enum to a PostgreSQL enum type, use `#[derive(SqlEnum)]`";
                cx.error(data.enum_token.span, message);
                return None;
            }
            Data::Union(data) => {
                let message = "`#[derive(Table)]` needs a struct with named fields, not a union";
                cx.error(data.union_token.span, message);
                return None;
            }
        };
        let attrs = attr::Table::from_attrs(cx, &input.attrs);
        let name = match &attrs.name {
            Some(name) => SqlName::explicit(name),
            None => SqlName {
                text: input.ident.unraw().to_string().to_snake_case(),
                span: input.ident.span(),
                help: TABLE_NAME_HELP,
                derived: false,
            },
        };
        let columns = fields
            .iter()
            .filter_map(|f| Column::from_field(cx, f))
            .collect();
        Some(Table {
            ident: &input.ident,
            original: input,
            attrs,
            name,
            columns,
        })
    }

    /// The column a list entry names: by SQL name first, then by Rust field name.
    pub fn resolve(&self, written: &str) -> Option<&Column<'a>> {
        self.columns
            .iter()
            .find(|c| c.name.text == written)
            .or_else(|| self.field(written))
    }

    /// The column declared by the field called `name`.
    pub fn field(&self, name: &str) -> Option<&Column<'a>> {
        self.columns.iter().find(|c| c.ident.unraw() == name)
    }

    /// The tenant column (`tenant_id`) when `tenant = T` is set and the field exists.
    pub fn tenant_column(&self) -> Option<(&Target, &Column<'a>)> {
        let tenant = self.attrs.tenant.as_ref()?;
        Some((tenant, self.field(TENANT_ID)?))
    }

    /// The soft-delete column when `soft_delete` is set and the field exists.
    pub fn soft_delete_column(&self) -> Option<&Column<'a>> {
        self.attrs.soft_delete?;
        self.field(DELETED_AT)
    }

    /// The columns `timestamps` applies to, among those that exist.
    pub fn timestamp_columns(&self) -> impl Iterator<Item = &Column<'a>> {
        let enabled = self.attrs.timestamps.is_some();
        [CREATED_AT, UPDATED_AT]
            .into_iter()
            .filter(move |_| enabled)
            .filter_map(|name| self.field(name))
    }

    /// The primary key columns in key order, from `primary_key(...)` or else from the
    /// fields marked `primary_key` (check.rs rejects declaring both).
    pub fn primary_key_columns(&self) -> Vec<&Column<'a>> {
        match &self.attrs.primary_key {
            Some(list) => list
                .columns
                .iter()
                .filter_map(|c| self.resolve(&c.value))
                .collect(),
            None => self
                .columns
                .iter()
                .filter(|c| c.attrs.primary_key.is_some())
                .collect(),
        }
    }

    pub fn objects(&self) -> Objects<'_> {
        Objects {
            primary_key: self.primary_key(),
            uniques: self.uniques(),
            checks: self.checks(),
            foreign_keys: self.foreign_keys(),
            indexes: self.indexes(),
        }
    }

    fn primary_key(&self) -> Option<Key> {
        let columns: Vec<String> = self
            .primary_key_columns()
            .iter()
            .map(|c| c.name.text.clone())
            .collect();
        if columns.is_empty() {
            return None;
        }
        let name = match &self.attrs.primary_key {
            Some(attr::KeyList {
                name: Some(name), ..
            }) => SqlName::explicit(name),
            Some(list) => self.derived(&["pkey"], list.key, LIST_NAME_HELP),
            None => {
                let key = self.columns.iter().find_map(|c| c.attrs.primary_key);
                self.derived(&["pkey"], key.unwrap_or(self.name.span), DERIVED_NAME_HELP)
            }
        };
        Some(Key { name, columns })
    }

    fn uniques(&self) -> Vec<Key> {
        let from_columns = self.columns.iter().filter_map(|c| {
            let unique = c.attrs.unique.as_ref()?;
            let name = match &unique.name {
                Some(name) => SqlName::explicit(name),
                None => self.derived(
                    &[&c.name.text, "key"],
                    unique.key,
                    "name it explicitly with `unique = \"...\"`",
                ),
            };
            Some(Key {
                name,
                columns: vec![c.name.text.clone()],
            })
        });
        let from_table = self.attrs.uniques.iter().map(|list| {
            let columns: Vec<String> = list
                .columns
                .iter()
                .map(|c| self.column_text(&c.value))
                .collect();
            let name = match &list.name {
                Some(name) => SqlName::explicit(name),
                None => {
                    let parts: Vec<&str> = columns.iter().map(String::as_str).collect();
                    self.derived(&[&parts.join("_"), "key"], list.key, LIST_NAME_HELP)
                }
            };
            Key { name, columns }
        });
        self.tenant_key()
            .into_iter()
            .chain(from_columns)
            .chain(from_table)
            .collect()
    }

    /// `UNIQUE (tenant_id, <primary key>)` under `tenant_keys`: what tenant-safe
    /// references to this table point at.
    fn tenant_key(&self) -> Option<Key> {
        let span = self.attrs.tenant_keys?;
        let (_, tenant) = self.tenant_column()?;
        let mut columns = vec![tenant.name.text.clone()];
        columns.extend(
            self.primary_key_columns()
                .iter()
                .map(|c| c.name.text.clone()),
        );
        let parts: Vec<&str> = columns.iter().map(String::as_str).collect();
        let name = self.derived(&[&parts.join("_"), "key"], span, DERIVED_NAME_HELP);
        Some(Key { name, columns })
    }

    /// The columns of [`Self::tenant_key`], when the table declares one.
    pub fn tenant_key_columns(&self) -> Option<Vec<String>> {
        self.tenant_key().map(|k| k.columns)
    }

    fn checks(&self) -> Vec<Check> {
        let from_columns = self.columns.iter().filter_map(|c| {
            let check = c.attrs.check.as_ref()?;
            Some(Check {
                name: self.derived(&[&c.name.text, "check"], check.span, DERIVED_NAME_HELP),
                expr: check.value.clone(),
            })
        });
        let from_table = self.attrs.checks.iter().map(|check| Check {
            name: SqlName::explicit(&check.name),
            expr: check.expr.value.clone(),
        });
        from_columns.chain(from_table).collect()
    }

    fn foreign_keys(&self) -> Vec<ForeignKey<'_>> {
        let tenant = self.tenant_column().map(|(tenant, column)| ForeignKey {
            name: self.derived(&[&column.name.text, "fkey"], tenant.key, DERIVED_NAME_HELP),
            column,
            target: &tenant.path,
            self_reference: self.is_self(&tenant.path),
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            deferrable: None,
            tenant_safe: None,
        });
        let from_columns = self.columns.iter().filter_map(|column| {
            let target = column.attrs.references.as_ref()?;
            let action =
                |a: &Option<Spanned<FkAction>>| a.as_ref().map_or(FkAction::NoAction, |a| a.value);
            Some(ForeignKey {
                name: self.derived(&[&column.name.text, "fkey"], target.key, DERIVED_NAME_HELP),
                column,
                target: &target.path,
                self_reference: self.is_self(&target.path),
                on_delete: action(&column.attrs.on_delete),
                on_update: action(&column.attrs.on_update),
                deferrable: column.attrs.deferrable.as_ref().map(|d| d.value),
                tenant_safe: column
                    .attrs
                    .tenant_safe
                    .and_then(|_| self.tenant_column())
                    .map(|(_, tenant)| tenant),
            })
        });
        tenant.into_iter().chain(from_columns).collect()
    }

    fn indexes(&self) -> Vec<Index> {
        let tenant = self.tenant_column().map(|(tenant, column)| {
            let name = self.derived(&[&column.name.text, "idx"], tenant.key, DERIVED_NAME_HELP);
            Index::plain(name, column.name.text.clone())
        });
        let from_columns = self.columns.iter().filter_map(|c| {
            let index = c.attrs.index.as_ref()?;
            let name = match &index.name {
                Some(name) => SqlName::explicit(name),
                None => self.derived(
                    &[&c.name.text, "idx"],
                    index.key,
                    "name it explicitly with `index = \"...\"`",
                ),
            };
            Some(Index::plain(name, c.name.text.clone()))
        });
        let from_table = self.attrs.indexes.iter().map(|list| {
            let columns: Vec<String> = list
                .columns
                .iter()
                .map(|c| match c {
                    IndexColumn::Column(c) => self.column_text(&c.value),
                    IndexColumn::Expr(e) => parenthesized(&e.value),
                })
                .collect();
            let name = match &list.name {
                Some(name) => SqlName::explicit(name),
                // attr.rs requires a name when a column is an expression.
                None => self.derived(&[&columns.join("_"), "idx"], list.key, LIST_NAME_HELP),
            };
            Index {
                name,
                columns,
                unique: list.unique,
                method: list.method.as_ref().and_then(|m| m.value.model_name()),
                predicate: list.predicate.as_ref().map(|p| p.value.clone()),
            }
        });
        // `live_unique(...)`: a partial unique index, so a soft-deleted row no longer
        // holds its values (deleting a user frees the e-mail address).
        let live = self.attrs.live_uniques.iter().map(|list| {
            let columns: Vec<String> = list
                .columns
                .iter()
                .map(|c| self.column_text(&c.value))
                .collect();
            let name = match &list.name {
                Some(name) => SqlName::explicit(name),
                None => self.derived(&[&columns.join("_"), "key"], list.key, LIST_NAME_HELP),
            };
            let deleted_at = self
                .soft_delete_column()
                .map_or(DELETED_AT, |c| c.name.text.as_str());
            Index {
                name,
                columns,
                unique: true,
                method: None,
                predicate: Some(format!("{deleted_at} IS NULL")),
            }
        });
        tenant
            .into_iter()
            .chain(from_columns)
            .chain(from_table)
            .chain(live)
            .collect()
    }

    /// `<table>_<parts...>`, PostgreSQL's naming for implicit constraints and indexes.
    fn derived(&self, parts: &[&str], span: Span, help: &'static str) -> SqlName {
        let mut text = self.name.text.clone();
        for part in parts {
            text.push('_');
            text.push_str(part);
        }
        SqlName {
            text,
            span,
            help,
            derived: true,
        }
    }

    /// The SQL name of a list entry (as written when unknown; check.rs reports it).
    fn column_text(&self, written: &str) -> String {
        self.resolve(written)
            .map_or_else(|| written.to_owned(), |c| c.name.text.clone())
    }

    fn is_self(&self, path: &Path) -> bool {
        path.is_ident("Self") || path.is_ident(self.ident)
    }
}

impl<'a> Column<'a> {
    fn from_field(cx: &Ctxt, field: &'a Field) -> Option<Self> {
        // Named fields always have an identifier.
        let ident = field.ident.as_ref()?;
        let attrs = attr::Column::from_attrs(cx, &field.attrs);
        let name = match &attrs.name {
            Some(name) => SqlName::explicit(name),
            None => SqlName {
                text: ident.unraw().to_string(),
                span: ident.span(),
                help: COLUMN_NAME_HELP,
                derived: false,
            },
        };
        Some(Column {
            ident,
            ty: &field.ty,
            attrs,
            name,
        })
    }

    /// Whether the field is written as `Option<T>`: nullability for `sql_type`
    /// overrides and the syntactic checks (`set null`, primary keys).
    pub fn is_option(&self) -> bool {
        option_inner(self.ty).is_some()
    }
}

impl SqlName {
    pub fn explicit(name: &Spanned<String>) -> Self {
        SqlName {
            text: name.value.clone(),
            span: name.span,
            help: EXPLICIT_NAME_HELP,
            derived: false,
        }
    }
}

impl Index {
    fn plain(name: SqlName, column: String) -> Self {
        Index {
            name,
            columns: vec![column],
            unique: false,
            method: None,
            predicate: None,
        }
    }
}

/// `T` for `Option<T>` (also `std::option::Option<T>` and `core::option::Option<T>`).
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let is_option = match segments.as_slice() {
        [option] => option == "Option",
        [krate, module, option] => {
            (krate == "std" || krate == "core") && module == "option" && option == "Option"
        }
        _ => false,
    };
    let last = path.path.segments.last()?;
    match &last.arguments {
        PathArguments::AngleBracketed(args) if is_option && args.args.len() == 1 => {
            match args.args.first() {
                Some(GenericArgument::Type(inner)) => Some(inner),
                _ => None,
            }
        }
        _ => None,
    }
}

/// An index expression in the parentheses PostgreSQL requires (`(lower(email))`),
/// unless the whole expression is already enclosed in a pair.
fn parenthesized(expr: &str) -> String {
    let expr = expr.trim();
    let mut depth = 0usize;
    let mut enclosed = expr.starts_with('(');
    for (i, c) in expr.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i + 1 < expr.len() {
                    enclosed = false;
                }
            }
            _ => {}
        }
    }
    if enclosed {
        expr.to_owned()
    } else {
        format!("({expr})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_get_one_pair_of_parentheses() {
        assert_eq!(parenthesized("lower(email)"), "(lower(email))");
        assert_eq!(parenthesized("(lower(email))"), "(lower(email))");
        assert_eq!(parenthesized("(a) + (b)"), "((a) + (b))");
    }

    #[test]
    fn recognizes_option_spellings() {
        for text in [
            "Option<i32>",
            "std::option::Option<i32>",
            "core::option::Option<i32>",
        ] {
            let ty: Type = syn::parse_str(text).unwrap();
            assert!(option_inner(&ty).is_some(), "{text}");
        }
        for text in ["i32", "Vec<i32>", "my::Option<i32>"] {
            let ty: Type = syn::parse_str(text).unwrap();
            assert!(option_inner(&ty).is_none(), "{text}");
        }
    }
}
