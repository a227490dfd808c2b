//! [`generate`]: a new migration holding the difference between the declared schema and
//! a database, with the down SQL that reverses it where that is possible.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

use postgres::Client;
use schema_migration_files::check_name;

use crate::catalog::Catalog;
use crate::ddl::render_step;
use crate::diff::{Change, Safety};
use crate::expected::ExpectedSchema;
use crate::migrate::create::{Created, next_version, write_pair};
use crate::migrate::error::{MigrateError, MigrationId};
use crate::migrate::inverse::{Live, Reversal, reverse};
use crate::migrate::source::Migrations;
use crate::migrate::status::{MigrationStatus, status};
use crate::step::Step;
use crate::sync::{Comparison, SyncOptions, find_changes, managed_schemas};
use crate::table::SchemaSet;
use crate::target::Target;

/// What [`generate`] wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Generated {
    pub files: Created,
    /// The changes the up file makes, in order.
    pub changes: Vec<Change>,
    /// What the down file cannot undo (also written in it as comments).
    pub not_reversible: Vec<String>,
}

/// [`generate_schema`] for a schema set known at compile time, in the default target.
pub fn generate<S: SchemaSet>(
    client: &mut Client,
    dir: impl AsRef<Path>,
    name: &str,
    options: &SyncOptions,
) -> Result<Option<Generated>, MigrateError> {
    let target = Target::default();
    generate_schema(client, &S::EXPECTED_SCHEMA, dir, name, &target, options)
}

/// Writes the next migration in `dir`: its up file makes the database match `expected`,
/// its down file reverses that. `None` (and no file) when they already match.
///
/// The database should be one where every migration of `dir` is applied (a development
/// database, or a throwaway one after `up`): generating refuses when some are pending,
/// since the new file would repeat them. The diff is the sync's (introspect,
/// canonicalize, diff), with two differences that suit a reviewed file applied in one
/// transaction: changes that need review or are destructive are included, each under a
/// `-- review:` or `-- destructive:` line, and indexes and constraints are created in
/// place (no `CONCURRENTLY`, no `NOT VALID`). Objects the schema does not declare are
/// left out. Declared renames (`renamed_from`) come out as renames.
///
/// The down file undoes each step in reverse order, reading previous types, defaults
/// and comments from the database; what cannot be undone (an enum label, a created
/// schema) is said in a comment. When nothing can be undone, no down file is written.
pub fn generate_schema(
    client: &mut Client,
    expected: &ExpectedSchema,
    dir: impl AsRef<Path>,
    name: &str,
    target: &Target,
    options: &SyncOptions,
) -> Result<Option<Generated>, MigrateError> {
    let dir = dir.as_ref();
    check_name(name).map_err(|reason| MigrateError::InvalidName {
        name: name.to_owned(),
        reason,
    })?;
    let migrations = if dir.exists() {
        Migrations::from_dir(dir)?
    } else {
        Migrations::embedded(&[], &[])
    };
    let current = status(client, &migrations, target)?;
    current.refuse_problems()?;
    let pending: Vec<MigrationId> = current.pending().map(MigrationStatus::id).collect();
    if !pending.is_empty() {
        return Err(MigrateError::Pending {
            migrations: pending,
        });
    }

    let schema = target.schema();
    let schemas = managed_schemas(expected, schema);
    let Comparison { changes, live, .. } =
        find_changes(client, expected, &schemas, target, options, None, None)?;
    if changes.is_empty() {
        return Ok(None);
    }

    let next = next_version(dir, name)?;
    let title = next.up.trim_end_matches(".up.sql").to_owned();
    let sql = render(&changes, &live, schema, &title, expected.name);
    let files = write_pair(dir, &next, &sql.up, sql.down.as_deref())?;
    Ok(Some(Generated {
        files,
        changes,
        not_reversible: sql.not_reversible,
    }))
}

/// A migration's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MigrationSql {
    pub up: String,
    /// `None` when nothing can be reversed.
    pub down: Option<String>,
    pub not_reversible: Vec<String>,
}

/// The up and down SQL of `changes`, computed against `live`.
pub(crate) fn render(
    changes: &[Change],
    live: &Catalog,
    default_schema: &str,
    title: &str,
    set: &str,
) -> MigrationSql {
    let mut up = format!(
        "-- {title}: generated from schema set `{set}` (schema {default_schema}); review it \
         before applying.\n\
         -- It runs in one transaction: indexes are built and constraints checked in place.\n"
    );
    let mut steps = Vec::new();
    for change in changes {
        up.push('\n');
        let label = format!(
            "{} {}: {}",
            change.kind.code(),
            change.object,
            change.detail
        );
        let _ = match change.safety {
            Safety::Safe => writeln!(up, "-- {label}"),
            Safety::Review => writeln!(up, "-- review: {label}"),
            Safety::Destructive => writeln!(up, "-- destructive: {label}"),
        };
        if change.steps.is_empty() {
            up.push_str("-- (no SQL generated: write this change by hand)\n");
        }
        for step in change.steps.iter().filter_map(in_one_transaction) {
            if matches!(step, Step::AddEnumValue { .. }) {
                up.push_str(
                    "-- (a new enum label cannot be used in the transaction that adds it: if \
                     this migration uses it, move the label to a migration of its own)\n",
                );
            }
            for statement in render_step(&step) {
                let _ = writeln!(up, "{statement};");
            }
            steps.push(step);
        }
    }

    let live = Live::new(live, default_schema, &steps);
    let mut down = format!("-- {title} (down): reverses the up file, last change first.\n\n");
    let mut reversible = false;
    let mut not_reversible = Vec::new();
    // The indexes of a table the migration creates go with the table.
    let created: BTreeSet<(&str, &str)> = steps
        .iter()
        .filter_map(|step| match step {
            Step::CreateTable { schema, table } => Some((schema.as_str(), &*table.name)),
            _ => None,
        })
        .collect();
    for step in steps.iter().rev() {
        if let Step::CreateIndex { schema, table, .. } = step
            && created.contains(&(schema.as_str(), &**table))
        {
            continue;
        }
        for reversal in reverse(step, &live) {
            match reversal {
                Reversal::Step(step) => {
                    reversible = true;
                    for statement in render_step(&step) {
                        let _ = writeln!(down, "{statement};");
                    }
                }
                Reversal::Caution(text) => {
                    let _ = writeln!(down, "-- caution: {text}");
                }
                Reversal::NotReversible(text) => {
                    let _ = writeln!(down, "-- not reversible: {text}");
                    not_reversible.push(text);
                }
            }
        }
    }
    MigrationSql {
        up,
        down: reversible.then_some(down),
        not_reversible,
    }
}

/// The step as it runs inside one transaction: PostgreSQL refuses `CREATE INDEX
/// CONCURRENTLY` there (so a key is added in place rather than over a concurrently built
/// index), and `NOT VALID` followed by `VALIDATE` gains nothing when both hold the same
/// lock until commit.
fn in_one_transaction(step: &Step) -> Option<Step> {
    let mut step = step.clone();
    match &mut step {
        Step::ValidateConstraint { .. } => return None,
        Step::CreateIndex { concurrently, .. } => *concurrently = false,
        Step::AddKeyUsingIndex {
            schema,
            table,
            key,
            primary_key,
        } => {
            let (schema, table, key) = (schema.clone(), table.clone(), key.clone());
            return Some(match primary_key {
                true => Step::AddPrimaryKey { schema, table, key },
                false => Step::AddUnique { schema, table, key },
            });
        }
        Step::AddCheck { not_valid, .. } | Step::AddForeignKey { not_valid, .. } => {
            *not_valid = false
        }
        _ => {}
    }
    Some(step)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::diff::ChangeKind;
    use crate::model::{IndexDef, SqlType};

    #[test]
    fn indexes_and_constraints_are_built_in_place_and_reversed() {
        let index = IndexDef {
            name: "notes_body_idx".into(),
            columns: Cow::Borrowed(&[Cow::Borrowed("body")]),
            unique: false,
            method: None,
            predicate: None,
        };
        let check = crate::model::CheckDef {
            name: "notes_body_check".into(),
            expression: "body <> ''".into(),
        };
        let changes = vec![
            Change {
                kind: ChangeKind::MissingIndex,
                safety: Safety::Safe,
                object: "public.notes.notes_body_idx".into(),
                detail: "index on (body) is missing".into(),
                steps: vec![Step::CreateIndex {
                    schema: "public".into(),
                    table: "notes".into(),
                    index,
                    concurrently: true,
                }],
            },
            Change {
                kind: ChangeKind::MissingCheck,
                safety: Safety::Safe,
                object: "public.notes.notes_body_check".into(),
                detail: "check (body <> '') is missing".into(),
                steps: vec![
                    Step::AddCheck {
                        schema: "public".into(),
                        table: "notes".into(),
                        check,
                        not_valid: true,
                    },
                    Step::ValidateConstraint {
                        schema: "public".into(),
                        table: "notes".into(),
                        name: "notes_body_check".into(),
                    },
                ],
            },
            Change {
                kind: ChangeKind::ColumnType,
                safety: Safety::Destructive,
                object: "public.notes.body".into(),
                detail: "expected character varying(10), found text".into(),
                steps: vec![Step::AlterColumnType {
                    schema: "public".into(),
                    table: "notes".into(),
                    column: "body".into(),
                    sql_type: SqlType::Varchar(Some(10)),
                    array: false,
                }],
            },
        ];
        let sql = render(
            &changes,
            &Catalog::default(),
            "public",
            "002_notes",
            "Notes",
        );
        assert_eq!(
            sql.up,
            "-- 002_notes: generated from schema set `Notes` (schema public); review it before \
             applying.\n\
             -- It runs in one transaction: indexes are built and constraints checked in place.\n\
             \n\
             -- missing-index public.notes.notes_body_idx: index on (body) is missing\n\
             CREATE INDEX \"notes_body_idx\" ON \"public\".\"notes\" (\"body\");\n\
             \n\
             -- missing-check public.notes.notes_body_check: check (body <> '') is missing\n\
             ALTER TABLE \"public\".\"notes\" ADD CONSTRAINT \"notes_body_check\" CHECK (body <> '');\n\
             \n\
             -- destructive: column-type public.notes.body: expected character varying(10), \
             found text\n\
             ALTER TABLE \"public\".\"notes\" ALTER COLUMN \"body\" TYPE character varying(10) \
             USING \"body\"::character varying(10);\n"
        );
        let down = sql.down.unwrap();
        assert!(down.contains(
            "-- not reversible: the type of public.notes.body: its previous state is unknown"
        ));
        let dropped: Vec<&str> = down.lines().filter(|l| !l.starts_with("--")).collect();
        assert_eq!(
            dropped,
            [
                "",
                "ALTER TABLE \"public\".\"notes\" DROP CONSTRAINT \"notes_body_check\";",
                "DROP INDEX \"public\".\"notes_body_idx\";",
            ]
        );
    }

    #[test]
    fn a_key_over_a_concurrent_index_is_added_in_place_and_dropped_in_the_down_file() {
        let key = crate::model::KeyDef {
            name: "notes_body_key".into(),
            columns: Cow::Borrowed(&[Cow::Borrowed("body")]),
        };
        let changes = vec![Change {
            kind: ChangeKind::MissingUnique,
            safety: Safety::Safe,
            object: "public.notes.notes_body_key".into(),
            detail: "unique (body) is missing".into(),
            steps: vec![Step::AddKeyUsingIndex {
                schema: "public".into(),
                table: "notes".into(),
                key,
                primary_key: false,
            }],
        }];
        let sql = render(
            &changes,
            &Catalog::default(),
            "public",
            "003_notes",
            "Notes",
        );
        assert!(
            sql.up.ends_with(
                "-- missing-unique public.notes.notes_body_key: unique (body) is missing\n\
                 ALTER TABLE \"public\".\"notes\" ADD CONSTRAINT \"notes_body_key\" UNIQUE (\"body\");\n"
            ),
            "{}",
            sql.up
        );
        let down = sql.down.unwrap();
        let statements: Vec<&str> = down.lines().filter(|l| !l.starts_with("--")).collect();
        assert_eq!(
            statements,
            [
                "",
                "ALTER TABLE \"public\".\"notes\" DROP CONSTRAINT \"notes_body_key\";"
            ]
        );
    }
}
