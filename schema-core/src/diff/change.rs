//! [`Change`]: one difference between the declared and the live schema.

use serde::{Deserialize, Serialize};

use crate::ddl::render_step;
use crate::step::Step;

/// What kind of difference a change is. The kebab-case name is a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    MissingEnum,
    MissingEnumValue,
    EnumValuesDiffer,
    MissingTable,
    RenamedTable,
    MissingColumn,
    RenamedColumn,
    RenamedConstraint,
    RenamedIndex,
    ColumnType,
    ColumnNullability,
    ColumnDefault,
    ColumnIdentity,
    MissingPrimaryKey,
    PrimaryKeyDiffers,
    MissingUnique,
    UniqueDiffers,
    MissingCheck,
    CheckDiffers,
    MissingForeignKey,
    ForeignKeyDiffers,
    MissingIndex,
    IndexDiffers,
    InvalidIndex,
    UnvalidatedConstraint,
    Comment,
    UnmanagedEnum,
    UnmanagedTable,
    UnmanagedColumn,
    UnmanagedConstraint,
    UnmanagedIndex,
}

/// How far a change may be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Safety {
    /// Adds to the schema without touching rows or blocking long: applied automatically.
    Safe,
    /// Can fail on existing data or lock a table for long: applied only when allowed.
    Review,
    /// Can lose data or break running code: applied only with an explicit opt-in.
    Destructive,
}

/// One difference, with the steps that would resolve it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub safety: Safety,
    /// The object concerned, schema-qualified: `public.users`, `public.users.email`.
    pub object: String,
    /// What differs, in words: `expected character varying(255), found text`.
    pub detail: String,
    /// The fix; empty when there is no automatic fix (the detail says what to do).
    pub steps: Vec<Step>,
}

impl ChangeKind {
    /// `true` for objects in the database that the schema does not declare: reported,
    /// never dropped, whatever the options.
    pub fn is_unmanaged(self) -> bool {
        matches!(
            self,
            ChangeKind::UnmanagedEnum
                | ChangeKind::UnmanagedTable
                | ChangeKind::UnmanagedColumn
                | ChangeKind::UnmanagedConstraint
                | ChangeKind::UnmanagedIndex
        )
    }

    /// The stable kebab-case code (`missing-table`).
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

impl Change {
    /// The SQL statements of the fix, without trailing semicolons.
    pub fn sql(&self) -> Vec<String> {
        self.steps.iter().flat_map(render_step).collect()
    }
}

/// The JSON form of a change: kind, safety, object, detail and the SQL of the fix.
impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Change", 6)?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("safety", &self.safety)?;
        s.serialize_field("unmanaged", &self.kind.is_unmanaged())?;
        s.serialize_field("object", &self.object)?;
        s.serialize_field("detail", &self.detail)?;
        s.serialize_field("sql", &self.sql())?;
        s.end()
    }
}
