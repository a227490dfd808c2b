//! Columns: missing, renamed, and differing in type, nullability, default, identity,
//! generation expression or comment; live columns the schema does not declare.

use crate::ddl::column_type;
use crate::diff::{Change, ChangeKind, Safety, detail};
use crate::model::{ColumnDef, SqlType, TableDef, Text};
use crate::step::Step;

pub(super) fn diff_columns(
    expected: &TableDef,
    live: &TableDef,
    schema: &str,
    out: &mut Vec<Change>,
) {
    let table = &expected.name;
    let mut matched: Vec<&str> = Vec::new();
    for column in expected.columns.iter() {
        let object = format!("{schema}.{table}.{}", column.name);
        let found = live
            .column(&column.name)
            .or_else(|| column.renamed_from.iter().find_map(|old| live.column(old)));
        let Some(found) = found else {
            out.push(missing_column(column, schema, expected, object));
            continue;
        };
        matched.push(&found.name);
        if found.name != column.name {
            out.push(Change {
                kind: ChangeKind::RenamedColumn,
                safety: Safety::Safe,
                object: object.clone(),
                detail: format!("declared as renamed from `{}`", found.name),
                steps: vec![Step::RenameColumn {
                    schema: schema.into(),
                    table: table.clone(),
                    from: found.name.clone(),
                    to: column.name.clone(),
                }],
            });
        }
        compare_column(column, found, schema, expected, object, out);
    }
    for found in live.columns.iter().filter(|c| !matched.contains(&&*c.name)) {
        out.push(Change {
            kind: ChangeKind::UnmanagedColumn,
            safety: Safety::Destructive,
            object: format!("{schema}.{table}.{}", found.name),
            detail: "column is not declared in the schema".into(),
            steps: vec![Step::DropColumn {
                schema: schema.into(),
                table: table.clone(),
                column: found.name.clone(),
            }],
        });
    }
}

fn missing_column(column: &ColumnDef, schema: &str, table: &TableDef, object: String) -> Change {
    let fills_itself = column.nullable
        || column.default.is_some()
        || column.identity.is_some()
        || column.generated.is_some();
    Change {
        kind: ChangeKind::MissingColumn,
        safety: if fills_itself {
            Safety::Safe
        } else {
            Safety::Review
        },
        object,
        detail: if fills_itself {
            format!("column `{}` does not exist", column.name)
        } else {
            format!(
                "column `{}` does not exist and is NOT NULL without a default: adding it fails \
                 if the table has rows; declare a default or add it in a migration with a backfill",
                column.name
            )
        },
        steps: std::iter::once(Step::AddColumn {
            schema: schema.into(),
            table: table.name.clone(),
            column: column.clone(),
        })
        .chain(
            column
                .comment
                .as_ref()
                .map(|comment| Step::CommentOnColumn {
                    schema: schema.into(),
                    table: table.name.clone(),
                    column: column.name.clone(),
                    comment: Some(comment.clone()),
                }),
        )
        .collect(),
    }
}

fn compare_column(
    column: &ColumnDef,
    found: &ColumnDef,
    schema: &str,
    table: &TableDef,
    object: String,
    out: &mut Vec<Change>,
) {
    let change = |kind, safety, detail: String, steps| Change {
        kind,
        safety,
        object: object.clone(),
        detail,
        steps,
    };
    let (table, name) = (&table.name, &column.name);

    let want = column_type(schema, &column.sql_type, column.array);
    let have = column_type(schema, &found.sql_type, found.array);
    if want != have {
        let safety = if column.array == found.array && widens(&found.sql_type, &column.sql_type) {
            Safety::Review
        } else {
            Safety::Destructive
        };
        out.push(change(
            ChangeKind::ColumnType,
            safety,
            format!("expected {want}, found {have}"),
            vec![Step::AlterColumnType {
                schema: schema.into(),
                table: table.clone(),
                column: name.clone(),
                sql_type: column.sql_type.clone(),
                array: column.array,
            }],
        ));
    }

    if column.identity != found.identity {
        out.push(change(
            ChangeKind::ColumnIdentity,
            Safety::Review,
            format!(
                "expected {}, found {}: change it in a migration",
                identity_words(column),
                identity_words(found)
            ),
            Vec::new(),
        ));
    }

    if column.generated != found.generated {
        out.push(generated_differs(
            column,
            found,
            schema,
            table,
            object.clone(),
        ));
    }

    if column.nullable != found.nullable {
        let words = detail::nullability(column.nullable, found.nullable);
        let (safety, detail) = if column.nullable {
            (Safety::Safe, words)
        } else {
            (
                Safety::Review,
                format!("{words}: fails if any row holds NULL; backfill first"),
            )
        };
        out.push(change(
            ChangeKind::ColumnNullability,
            safety,
            detail,
            vec![Step::SetNullable {
                schema: schema.into(),
                table: table.clone(),
                column: name.clone(),
                nullable: column.nullable,
            }],
        ));
    }

    // A serial's default belongs to its sequence; identity columns have none.
    if column.identity.is_none() && found.identity.is_none() && column.default != found.default {
        out.push(change(
            ChangeKind::ColumnDefault,
            Safety::Safe,
            format!(
                "expected default {}, found {}",
                column.default.as_deref().unwrap_or("none"),
                found.default.as_deref().unwrap_or("none")
            ),
            vec![Step::SetDefault {
                schema: schema.into(),
                table: table.clone(),
                column: name.clone(),
                default: column.default.clone(),
            }],
        ));
    }

    if column.comment != found.comment {
        out.push(change(
            ChangeKind::Comment,
            Safety::Safe,
            detail::comment(column.comment.as_deref(), found.comment.as_deref()),
            vec![Step::CommentOnColumn {
                schema: schema.into(),
                table: table.clone(),
                column: name.clone(),
                comment: column.comment.clone(),
            }],
        ));
    }
}

/// A generation expression that differs, appears or goes. PostgreSQL 15 cannot change
/// an expression in place: the column is dropped and added again, which recomputes every
/// row (and takes the indexes on the column with it), so it waits for a review; a plain
/// column that becomes generated loses the values it holds.
fn generated_differs(
    column: &ColumnDef,
    found: &ColumnDef,
    schema: &str,
    table: &Text,
    object: String,
) -> Change {
    let drop_and_add = || {
        vec![
            Step::DropColumn {
                schema: schema.into(),
                table: table.clone(),
                column: found.name.clone(),
            },
            Step::AddColumn {
                schema: schema.into(),
                table: table.clone(),
                column: column.clone(),
            },
        ]
    };
    let (safety, detail, steps) = match (&column.generated, &found.generated) {
        (Some(want), Some(have)) => (
            Safety::Review,
            format!(
                "expected GENERATED ALWAYS AS ({want}), found ({have}): the column is dropped \
                 and added again, which recomputes every row and drops the indexes on it"
            ),
            drop_and_add(),
        ),
        (None, Some(have)) => (
            Safety::Review,
            format!(
                "declared as a plain column, found GENERATED ALWAYS AS ({have}): DROP \
                 EXPRESSION keeps the values, and the application writes them from then on"
            ),
            vec![Step::DropExpression {
                schema: schema.into(),
                table: table.clone(),
                column: found.name.clone(),
            }],
        ),
        (Some(want), None) => (
            Safety::Destructive,
            format!(
                "declared GENERATED ALWAYS AS ({want}), found a plain column: making it \
                 generated drops the values it holds"
            ),
            drop_and_add(),
        ),
        (None, None) => unreachable!("the expressions differ"),
    };
    Change {
        kind: ChangeKind::ColumnGenerated,
        safety,
        object,
        detail,
        steps,
    }
}

fn identity_words(c: &ColumnDef) -> &'static str {
    match c.identity {
        None => "no identity",
        Some(crate::model::Identity::Serial) => "serial",
        Some(crate::model::Identity::Always) => "GENERATED ALWAYS AS IDENTITY",
        Some(crate::model::Identity::ByDefault) => "GENERATED BY DEFAULT AS IDENTITY",
    }
}

/// `true` when every value of `from` fits `to` unchanged (a wider type, a longer limit).
fn widens(from: &SqlType, to: &SqlType) -> bool {
    use SqlType::*;
    match (from, to) {
        (SmallInt, Integer | BigInt | Numeric(None)) | (Integer, BigInt | Numeric(None)) => true,
        (BigInt, Numeric(None)) | (Real, DoublePrecision) => true,
        (Varchar(Some(a)), Varchar(Some(b))) => a <= b,
        (Varchar(_) | Char(_), Varchar(None) | Text) => true,
        (Char(a), Varchar(Some(b))) => a <= b,
        (Numeric(Some((p1, s1))), Numeric(Some((p2, s2)))) => {
            s1 <= s2 && i32::from(*p1) - i32::from(*s1) <= i32::from(*p2) - i32::from(*s2)
        }
        (Numeric(Some(_)), Numeric(None)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::widens;
    use crate::model::SqlType::*;

    #[test]
    fn widening_is_only_what_keeps_every_value() {
        assert!(widens(&Varchar(Some(50)), &Varchar(Some(100))));
        assert!(widens(&Varchar(Some(50)), &Text));
        assert!(widens(&Integer, &BigInt));
        assert!(widens(&Numeric(Some((10, 2))), &Numeric(Some((12, 2)))));
        assert!(!widens(&Numeric(Some((10, 2))), &Numeric(Some((10, 3)))));
        assert!(!widens(&Varchar(Some(100)), &Varchar(Some(50))));
        assert!(!widens(&BigInt, &Integer));
        assert!(!widens(&Text, &Varchar(Some(10))));
    }
}
