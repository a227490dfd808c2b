//! [`Change`]: one difference between the declared and the live schema.

use serde::{Deserialize, Serialize};

use crate::ddl::render_step;
use crate::step::Step;

/// Declares [`ChangeKind`] with the stable code of each variant written once: the code
/// is both what [`ChangeKind::code`] returns and the variant's JSON name.
macro_rules! change_kinds {
    ($($variant:ident => $code:literal,)*) => {
        /// What kind of difference a change is. The kebab-case code is stable.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum ChangeKind {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl ChangeKind {
            /// The stable kebab-case code (`missing-table`).
            pub fn code(self) -> &'static str {
                match self {
                    $(ChangeKind::$variant => $code,)*
                }
            }
        }
    };
}

change_kinds! {
    MissingEnum => "missing-enum",
    MissingEnumValue => "missing-enum-value",
    EnumValuesDiffer => "enum-values-differ",
    MissingTable => "missing-table",
    RenamedTable => "renamed-table",
    MissingColumn => "missing-column",
    RenamedColumn => "renamed-column",
    RenamedConstraint => "renamed-constraint",
    RenamedIndex => "renamed-index",
    ColumnType => "column-type",
    ColumnNullability => "column-nullability",
    ColumnDefault => "column-default",
    ColumnIdentity => "column-identity",
    ColumnGenerated => "column-generated",
    MissingPrimaryKey => "missing-primary-key",
    PrimaryKeyDiffers => "primary-key-differs",
    MissingUnique => "missing-unique",
    UniqueDiffers => "unique-differs",
    MissingCheck => "missing-check",
    CheckDiffers => "check-differs",
    MissingForeignKey => "missing-foreign-key",
    ForeignKeyDiffers => "foreign-key-differs",
    MissingIndex => "missing-index",
    IndexDiffers => "index-differs",
    InvalidIndex => "invalid-index",
    UnvalidatedConstraint => "unvalidated-constraint",
    Comment => "comment",
    UnmanagedEnum => "unmanaged-enum",
    UnmanagedTable => "unmanaged-table",
    UnmanagedColumn => "unmanaged-column",
    UnmanagedConstraint => "unmanaged-constraint",
    UnmanagedIndex => "unmanaged-index",
    MissingRowSecurity => "missing-row-security",
    MissingForceRowSecurity => "missing-force-row-security",
    MissingPolicy => "missing-policy",
    PolicyDiffers => "policy-differs",
    UnmanagedPolicy => "unmanaged-policy",
    UnmanagedRowSecurity => "unmanaged-row-security",
    MissingFunction => "missing-function",
    FunctionDiffers => "function-differs",
    MissingTrigger => "missing-trigger",
    TriggerDiffers => "trigger-differs",
    UnmanagedFunction => "unmanaged-function",
    UnmanagedTrigger => "unmanaged-trigger",
    MissingView => "missing-view",
    ViewDiffers => "view-differs",
    UnmanagedView => "unmanaged-view",
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
                | ChangeKind::UnmanagedPolicy
                | ChangeKind::UnmanagedRowSecurity
                | ChangeKind::UnmanagedFunction
                | ChangeKind::UnmanagedTrigger
                | ChangeKind::UnmanagedView
        )
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
