//! [`Step`]: one schema change, the unit that plans and fixes are made of.
//!
//! Steps are data; [`crate::ddl::render_step`] turns them into SQL. Every schema name in
//! a step is resolved (never "the default"), the targets of foreign keys included.

use crate::model::{
    CheckDef, ColumnDef, EnumDef, ForeignKeyDef, IndexDef, KeyDef, PolicyDef, SqlType, TableDef,
    Text, TriggerDef, ViewDef,
};

/// One schema change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Step {
    /// `CREATE SCHEMA IF NOT EXISTS`.
    CreateSchema { schema: String },
    /// `CREATE TYPE … AS ENUM`.
    CreateEnum { schema: String, def: EnumDef },
    /// `DROP TYPE`: reverses [`Step::CreateEnum`] in a migration's down SQL.
    DropEnum { schema: String, name: Text },
    /// `ALTER TYPE … ADD VALUE … AFTER …` (or `BEFORE` the first label).
    AddEnumValue {
        schema: String,
        name: Text,
        value: Text,
        position: EnumPosition,
    },
    /// `CREATE TABLE` with its columns, keys, checks and the foreign keys that can be
    /// declared inline, followed by its comments.
    CreateTable { schema: String, table: TableDef },
    /// `ALTER TABLE … RENAME TO`.
    RenameTable {
        schema: String,
        from: Text,
        to: Text,
    },
    /// `ALTER TABLE … RENAME COLUMN`.
    RenameColumn {
        schema: String,
        table: Text,
        from: Text,
        to: Text,
    },
    /// `ALTER TABLE … RENAME CONSTRAINT` (a key's index is renamed with it).
    RenameConstraint {
        schema: String,
        table: Text,
        from: Text,
        to: Text,
    },
    /// `ALTER INDEX … RENAME TO`.
    RenameIndex {
        schema: String,
        from: Text,
        to: Text,
    },
    /// `ALTER TABLE … ADD COLUMN`.
    AddColumn {
        schema: String,
        table: Text,
        column: ColumnDef,
    },
    /// `ALTER TABLE … ALTER COLUMN … TYPE … USING col::type`.
    AlterColumnType {
        schema: String,
        table: Text,
        column: Text,
        sql_type: SqlType,
        array: bool,
    },
    /// `ALTER TABLE … ALTER COLUMN … SET NOT NULL` / `DROP NOT NULL`.
    SetNullable {
        schema: String,
        table: Text,
        column: Text,
        nullable: bool,
    },
    /// `ALTER TABLE … ALTER COLUMN … SET DEFAULT …` / `DROP DEFAULT`.
    SetDefault {
        schema: String,
        table: Text,
        column: Text,
        default: Option<Text>,
    },
    /// `ALTER TABLE … ALTER COLUMN … DROP EXPRESSION`: a stored generated column becomes
    /// a plain one and keeps its values.
    DropExpression {
        schema: String,
        table: Text,
        column: Text,
    },
    /// `ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY`.
    AddPrimaryKey {
        schema: String,
        table: Text,
        key: KeyDef,
    },
    /// `ALTER TABLE … ADD CONSTRAINT … UNIQUE`.
    AddUnique {
        schema: String,
        table: Text,
        key: KeyDef,
    },
    /// `CREATE UNIQUE INDEX CONCURRENTLY`, then `ALTER TABLE … ADD CONSTRAINT … UNIQUE USING
    /// INDEX` (`PRIMARY KEY USING INDEX` for a primary key): a key for a table with rows,
    /// added after the commit so that writes go on while its index is built.
    AddKeyUsingIndex {
        schema: String,
        table: Text,
        key: KeyDef,
        primary_key: bool,
    },
    /// `ALTER TABLE … ADD CONSTRAINT … CHECK`, `NOT VALID` on tables that may hold rows.
    AddCheck {
        schema: String,
        table: Text,
        check: CheckDef,
        not_valid: bool,
    },
    /// `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`, `NOT VALID` on tables that may hold rows.
    AddForeignKey {
        schema: String,
        table: Text,
        fk: ForeignKeyDef,
        not_valid: bool,
    },
    /// `ALTER TABLE … VALIDATE CONSTRAINT`: checks existing rows without blocking writes.
    ValidateConstraint {
        schema: String,
        table: Text,
        name: Text,
    },
    /// `CREATE INDEX [CONCURRENTLY IF NOT EXISTS]`.
    CreateIndex {
        schema: String,
        table: Text,
        index: IndexDef,
        concurrently: bool,
    },
    /// `ALTER TABLE … DROP CONSTRAINT`.
    DropConstraint {
        schema: String,
        table: Text,
        name: Text,
    },
    /// `DROP INDEX`.
    DropIndex {
        schema: String,
        name: Text,
        /// `DROP INDEX CONCURRENTLY IF EXISTS`, outside a transaction.
        concurrently: bool,
    },
    /// `ALTER TABLE … DROP COLUMN`.
    DropColumn {
        schema: String,
        table: Text,
        column: Text,
    },
    /// `DROP TABLE`.
    DropTable { schema: String, table: Text },
    /// `COMMENT ON TABLE` (`None` removes the comment).
    CommentOnTable {
        schema: String,
        table: Text,
        comment: Option<Text>,
    },
    /// `COMMENT ON COLUMN` (`None` removes the comment).
    CommentOnColumn {
        schema: String,
        table: Text,
        column: Text,
        comment: Option<Text>,
    },
    /// `ALTER TABLE … ENABLE ROW LEVEL SECURITY` / `DISABLE`.
    SetRowSecurity {
        schema: String,
        table: Text,
        enabled: bool,
    },
    /// `ALTER TABLE … FORCE ROW LEVEL SECURITY` / `NO FORCE`.
    SetForceRowSecurity {
        schema: String,
        table: Text,
        forced: bool,
    },
    /// `CREATE POLICY … ON … FOR … TO … USING (…) WITH CHECK (…)`.
    CreatePolicy {
        schema: String,
        table: Text,
        policy: PolicyDef,
    },
    /// `DROP POLICY … ON …`.
    DropPolicy {
        schema: String,
        table: Text,
        name: Text,
    },
    /// `CREATE OR REPLACE FUNCTION … RETURNS trigger LANGUAGE plpgsql`.
    CreateFunction {
        schema: String,
        name: Text,
        body: Text,
    },
    /// `DROP FUNCTION`: reverses [`Step::CreateFunction`] in a migration's down SQL.
    DropFunction { schema: String, name: Text },
    /// `CREATE OR REPLACE TRIGGER … FOR EACH ROW EXECUTE FUNCTION …`; the trigger's
    /// schemas are resolved.
    CreateTrigger { trigger: TriggerDef },
    /// `DROP TRIGGER … ON …`.
    DropTrigger {
        schema: String,
        table: Text,
        name: Text,
    },
    /// `CREATE VIEW`, with the view's schema first on the search path while the body
    /// is read, so that its unqualified names are the view's neighbours.
    CreateView { schema: String, view: ViewDef },
    /// `DROP VIEW` (never `CASCADE`: dependent views are dropped by name first).
    DropView { schema: String, name: Text },
}

/// Where a new enum label goes, so the declared order is kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EnumPosition {
    After(Text),
    Before(Text),
    End,
}

impl Step {
    /// `false` for steps PostgreSQL refuses inside a transaction block.
    pub fn transactional(&self) -> bool {
        !matches!(
            self,
            Step::CreateIndex {
                concurrently: true,
                ..
            } | Step::DropIndex {
                concurrently: true,
                ..
            } | Step::AddKeyUsingIndex { .. }
        )
    }
}
