//! Views: a query kept in the database under a name, declared next to the tables it reads.

use super::{List, Text};

/// A view, declared with `#[derive(View)]` or read from a database.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ViewDef {
    /// `None` places the view in the sync's default schema, as for [`super::TableDef`].
    pub schema: Option<Text>,
    pub name: Text,
    /// The `SELECT`, as declared, or as `pg_get_viewdef` prints it (with the view's own
    /// schema left unqualified, as the body names it).
    pub body: Text,
    /// `WITH (security_invoker = true)`: the view reads with the privileges and
    /// row-level security policies of the querying role instead of its owner's.
    pub security_invoker: bool,
    /// The relations the body reads, as it names them (`customers`, `public.tenants`)
    /// when declared, schema-qualified when read from a database. Views that read other
    /// views are created after them.
    pub reads: List<Text>,
}

impl ViewDef {
    /// The schema this view lives in when `default_schema` is the sync target.
    pub fn schema_or<'a>(&'a self, default_schema: &'a str) -> &'a str {
        self.schema.as_deref().unwrap_or(default_schema)
    }

    /// `true` when the body reads `schema.name`, a relation of the sync whose default
    /// schema is `default_schema` (unqualified names are in the view's own schema).
    pub fn reads_relation(&self, schema: &str, name: &str, default_schema: &str) -> bool {
        let own = self.schema_or(default_schema);
        self.reads.iter().any(|r| match r.split_once('.') {
            Some((s, n)) => s == schema && n == name,
            None => own == schema && r == name,
        })
    }
}
