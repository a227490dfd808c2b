//! Catalog rows → model descriptors, following the conventions the derive uses for
//! declared tables so that both sides of a diff look alike.

use std::borrow::Cow;
use std::collections::HashMap;

use postgres::types::Oid;

use super::IntrospectError;
use super::rows::{ColumnRow, ConstraintRow, EnumRow, IndexRow, TableRow};
use crate::catalog::{Catalog, Unfinished, UnfinishedKind, Unmodeled, UnmodeledKind};
use crate::model::{
    CheckDef, ColumnDef, Deferrable, EnumDef, FkAction, ForeignKeyDef, Identity, IndexDef, KeyDef,
    PolicyDef, RowSecurity, SqlType, TableDef, TableOptions, Text,
};

/// Everything the catalog queries returned.
pub(crate) struct Rows {
    pub tables: Vec<TableRow>,
    pub columns: Vec<ColumnRow>,
    pub constraints: Vec<ConstraintRow>,
    pub indexes: Vec<IndexRow>,
    pub enums: Vec<EnumRow>,
    pub policies: Vec<super::policies::PolicyRow>,
}

/// A table while its parts are collected (the model keeps them in `Cow` lists).
struct Draft {
    schema: String,
    name: String,
    comment: Option<String>,
    columns: Vec<ColumnDef>,
    primary_key: Option<KeyDef>,
    uniques: Vec<KeyDef>,
    checks: Vec<CheckDef>,
    foreign_keys: Vec<ForeignKeyDef>,
    indexes: Vec<IndexDef>,
    row_security: RowSecurity,
    policies: Vec<PolicyDef>,
}

/// Assembles the catalog. Rows of tables outside the table list (none, unless the
/// catalog changed between two queries) are ignored.
pub(crate) fn catalog(rows: Rows) -> Result<Catalog, IntrospectError> {
    let enums: HashMap<Oid, EnumDef> = rows.enums.iter().map(|e| (e.oid, enum_def(e))).collect();

    let mut drafts: Vec<Draft> = Vec::with_capacity(rows.tables.len());
    let mut by_oid: HashMap<Oid, usize> = HashMap::with_capacity(rows.tables.len());
    for t in rows.tables {
        by_oid.insert(t.oid, drafts.len());
        drafts.push(Draft {
            schema: t.schema,
            name: t.name,
            comment: t.comment,
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            row_security: RowSecurity {
                enabled: t.row_security,
                forced: t.force_row_security,
            },
            policies: Vec::new(),
        });
    }

    for c in rows.columns {
        if let Some(&i) = by_oid.get(&c.table_oid) {
            drafts[i].columns.push(column(c, &enums)?);
        }
    }
    let mut unfinished = Vec::new();
    let mark = |d: &Draft, name: &str, kind| Unfinished {
        schema: d.schema.clone(),
        table: d.name.clone(),
        name: name.to_owned(),
        kind,
    };
    let mut unmodeled = Vec::new();
    let remark = |d: &Draft, name: &str, kind, detail: String| Unmodeled {
        schema: d.schema.clone(),
        table: d.name.clone(),
        name: name.to_owned(),
        kind,
        detail,
    };
    for c in rows.constraints {
        if let Some(&i) = by_oid.get(&c.table_oid) {
            if let Some(definition) = c.definition {
                let kind = UnmodeledKind::ExclusionConstraint;
                unmodeled.push(remark(&drafts[i], &c.name, kind, definition));
                continue;
            }
            if !c.validated {
                unfinished.push(mark(
                    &drafts[i],
                    &c.name,
                    UnfinishedKind::UnvalidatedConstraint,
                ));
            }
            add_constraint(&mut drafts[i], c)?;
        }
    }
    for ix in rows.indexes {
        if let Some(&i) = by_oid.get(&ix.table_oid) {
            if !ix.valid {
                unfinished.push(mark(&drafts[i], &ix.name, UnfinishedKind::InvalidIndex));
            }
            if let Some(options) = ix.options.clone() {
                let kind = UnmodeledKind::IndexOptions;
                unmodeled.push(remark(&drafts[i], &ix.name, kind, options));
            }
            drafts[i].indexes.push(index(ix));
        }
    }

    for p in rows.policies {
        if let Some(&i) = by_oid.get(&p.table_oid) {
            drafts[i].policies.push(super::policies::policy(p)?);
        }
    }

    Ok(Catalog {
        tables: drafts.into_iter().map(table).collect(),
        enums: rows
            .enums
            .iter()
            .filter(|e| e.listed)
            .map(enum_def)
            .collect(),
        unfinished,
        unmodeled,
        ..Default::default()
    })
}

fn table(d: Draft) -> TableDef {
    TableDef {
        schema: Some(Cow::Owned(d.schema)),
        name: Cow::Owned(d.name),
        columns: Cow::Owned(d.columns),
        primary_key: d.primary_key,
        uniques: Cow::Owned(d.uniques),
        checks: Cow::Owned(d.checks),
        foreign_keys: Cow::Owned(d.foreign_keys),
        indexes: Cow::Owned(d.indexes),
        comment: d.comment.map(Cow::Owned),
        options: TableOptions::LIVE,
        row_security: d.row_security,
        policies: Cow::Owned(d.policies),
    }
}

fn enum_def(e: &EnumRow) -> EnumDef {
    EnumDef {
        schema: Some(Cow::Owned(e.schema.clone())),
        name: Cow::Owned(e.name.clone()),
        values: Cow::Owned(e.labels.iter().cloned().map(Cow::Owned).collect()),
    }
}

fn column(c: ColumnRow, enums: &HashMap<Oid, EnumDef>) -> Result<ColumnDef, IntrospectError> {
    let (sql_type, array) = match (c.element_oid, c.element_kind, c.element_text) {
        (Some(oid), Some(kind), Some(text)) => (scalar_type(oid, &kind, &text, enums)?, true),
        _ => (
            scalar_type(c.type_oid, &c.type_kind, &c.type_text, enums)?,
            false,
        ),
    };
    let identity = match c.identity.as_str() {
        "a" => Some(Identity::Always),
        "d" => Some(Identity::ByDefault),
        "" if c.is_serial => Some(Identity::Serial),
        "" => None,
        other => return Err(unexpected("attidentity", other)),
    };
    // A serial's `nextval` default is part of what `serial` means, not a default of its
    // own; a stored generated column keeps its expression where defaults live.
    let (default, generated) = match c.generated.as_str() {
        "s" => (None, c.default_expr.map(Cow::Owned)),
        "" if identity == Some(Identity::Serial) => (None, None),
        "" => (c.default_expr.map(Cow::Owned), None),
        other => return Err(unexpected("attgenerated", other)),
    };
    Ok(ColumnDef {
        name: Cow::Owned(c.name),
        sql_type,
        array,
        nullable: c.nullable,
        default,
        identity,
        generated,
        comment: c.comment.map(Cow::Owned),
        renamed_from: Cow::Borrowed(&[]),
    })
}

fn scalar_type(
    oid: Oid,
    kind: &str,
    text: &str,
    enums: &HashMap<Oid, EnumDef>,
) -> Result<SqlType, IntrospectError> {
    if kind == "e" {
        let def = enums
            .get(&oid)
            .ok_or_else(|| unexpected("enum type without labels", text))?;
        return Ok(SqlType::Enum(def.clone()));
    }
    Ok(SqlType::from_format_type(text))
}

fn add_constraint(draft: &mut Draft, c: ConstraintRow) -> Result<(), IntrospectError> {
    let name: Text = Cow::Owned(c.name);
    let columns = owned_list(c.columns);
    match c.kind.as_str() {
        "p" => draft.primary_key = Some(KeyDef { name, columns }),
        "u" => draft.uniques.push(KeyDef { name, columns }),
        "c" => draft.checks.push(CheckDef {
            name,
            expression: Cow::Owned(c.expression.unwrap_or_default()),
        }),
        "f" => draft.foreign_keys.push(ForeignKeyDef {
            name,
            columns,
            ref_schema: c.ref_schema.map(Cow::Owned),
            ref_table: Cow::Owned(c.ref_table.unwrap_or_default()),
            ref_columns: owned_list(c.ref_columns),
            on_delete: fk_action(&c.on_delete)?,
            on_update: fk_action(&c.on_update)?,
            deferrable: match (c.deferrable, c.deferred) {
                (false, _) => Deferrable::NotDeferrable,
                (true, false) => Deferrable::InitiallyImmediate,
                (true, true) => Deferrable::InitiallyDeferred,
            },
            set_columns: c.set_columns.as_deref().map_or_else(
                || Cow::Owned(Vec::new()),
                |list| owned_list(split_names(list)),
            ),
        }),
        other => return Err(unexpected("contype", other)),
    }
    Ok(())
}

fn fk_action(code: &str) -> Result<FkAction, IntrospectError> {
    Ok(match code {
        "a" => FkAction::NoAction,
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        other => return Err(unexpected("foreign key action", other)),
    })
}

fn index(ix: IndexRow) -> IndexDef {
    IndexDef {
        name: Cow::Owned(ix.name),
        columns: owned_list(ix.columns),
        unique: ix.is_unique,
        method: (ix.method != "btree").then_some(Cow::Owned(ix.method)),
        predicate: ix.predicate.map(Cow::Owned),
    }
}

fn owned_list(items: Vec<String>) -> Cow<'static, [Text]> {
    Cow::Owned(items.into_iter().map(Cow::Owned).collect())
}

fn unexpected(what: &'static str, value: &str) -> IntrospectError {
    IntrospectError::Unexpected {
        what,
        value: value.to_owned(),
    }
}

/// `a, "B c"` as printed by `pg_get_constraintdef` → `["a", "B c"]`.
fn split_names(list: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = list.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => names.push(std::mem::take(&mut current)),
            ' ' if !quoted => {}
            c => current.push(c),
        }
    }
    names.push(current);
    names
}
