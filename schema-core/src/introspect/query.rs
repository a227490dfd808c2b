//! The catalog queries introspection runs, one per kind of object.
//!
//! Every query covers all requested schemas at once (`nspname = ANY($1)`), so reading a
//! database costs the same number of round trips whether it holds one table or
//! thousands. Per-table queries are what made peers take minutes on big catalogs.

use postgres::{GenericClient, Row};

use super::IntrospectError;
use crate::pg_error::PgError;

/// One catalog query: what it reads (for error messages) and its SQL.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Query {
    pub what: &'static str,
    pub sql: &'static str,
}

pub(crate) const TABLES: Query = Query {
    what: "tables",
    sql: include_str!("tables.sql"),
};
pub(crate) const COLUMNS: Query = Query {
    what: "columns",
    sql: include_str!("columns.sql"),
};
pub(crate) const CONSTRAINTS: Query = Query {
    what: "constraints",
    sql: include_str!("constraints.sql"),
};
pub(crate) const INDEXES: Query = Query {
    what: "indexes",
    sql: include_str!("indexes.sql"),
};
pub(crate) const ENUMS: Query = Query {
    what: "enum types",
    sql: include_str!("enums.sql"),
};
pub(crate) const FUNCTIONS: Query = Query {
    what: "trigger functions",
    sql: include_str!("functions.sql"),
};
pub(crate) const TRIGGERS: Query = Query {
    what: "triggers",
    sql: include_str!("triggers.sql"),
};
pub(crate) const VIEWS: Query = Query {
    what: "views",
    sql: include_str!("views.sql"),
};
pub(crate) const EXISTING_TABLES: Query = Query {
    what: "table names",
    sql: include_str!("existing_tables.sql"),
};

/// Everything [`super::introspect`] reads, in the order it reads it.
pub(crate) const INTROSPECT: [Query; 5] = [TABLES, COLUMNS, CONSTRAINTS, INDEXES, ENUMS];

/// Runs `query` with the schema names as its only parameter.
pub(crate) fn run(
    client: &mut impl GenericClient,
    query: Query,
    schemas: &[&str],
) -> Result<Vec<Row>, IntrospectError> {
    client
        .query(query.sql, &[&schemas])
        .map_err(|source| IntrospectError::Query {
            what: query.what,
            source: PgError(source),
        })
}
