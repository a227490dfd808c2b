//! Reads a live database's tables and enum types into the model.
//!
//! Introspection reads whole schemas, not tables: a fixed set of `pg_catalog` queries
//! (one per kind of object, see `introspect/*.sql`) covers every requested schema, so
//! its cost does not grow with round trips per table. The result follows the
//! conventions of declared tables: `schema` is always set, a `serial` column reads as
//! [`Identity::Serial`](crate::Identity::Serial) without a default, btree indexes have
//! no method, and options are [`TableOptions::LIVE`](crate::TableOptions::LIVE).
//!
//! Expressions (defaults, checks, index predicates and expression columns) come back in
//! PostgreSQL's canonical text, which depends on the session's `search_path`: names
//! visible on it print unqualified. Compare against declarations passed through
//! [`crate::canonical::canonicalize`] on the same connection.

mod build;
mod lock_wait;
mod normalize;
mod policies;
mod query;
mod routines;
mod rows;
mod views;

use std::time::Duration;

use postgres::GenericClient;

pub use lock_wait::LockHolder;
pub use normalize::normalize;

use crate::catalog::Catalog;
use crate::pg_error::PgError;
use rows::{ColumnRow, ConstraintRow, EnumRow, IndexRow, TableRow};

/// Why reading the catalog failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IntrospectError {
    /// A catalog query failed, or one of its values did not decode. Check that the role
    /// may read `pg_catalog` and that the connection is alive.
    #[error("reading the {what} from pg_catalog failed: {source}")]
    Query {
        /// What the query reads (`tables`, `columns`, …).
        what: &'static str,
        source: PgError,
    },
    /// The catalog holds a code this crate does not know, which means a server version
    /// newer than the ones it was written for.
    #[error("unexpected {what} `{value}` in pg_catalog; is the server newer than supported?")]
    Unexpected {
        /// Which catalog field held the value.
        what: &'static str,
        value: String,
    },
    /// A table of the schemas stayed locked (`ACCESS EXCLUSIVE`) for the whole lock
    /// timeout; `holder` is the session holding it, unless it has let go since.
    #[error("{}", lock_wait::locked_message(waited, holder))]
    Locked {
        waited: Duration,
        /// Boxed: the error travels in every `Result` of the catalog read.
        holder: Option<Box<LockHolder>>,
    },
}

/// [`introspect`] in a read-only `REPEATABLE READ` transaction, so that its queries see
/// one snapshot even while another process changes the schema. It waits for table locks
/// at most `lock_timeout` (logging that it waits), then fails with
/// [`IntrospectError::Locked`] naming the table and the session holding it.
pub fn introspect_snapshot(
    client: &mut postgres::Client,
    schemas: &[&str],
    lock_timeout: Duration,
) -> Result<Catalog, IntrospectError> {
    lock_wait::bounded(client, schemas, lock_timeout, |client, wait| {
        snapshot(client, schemas, wait)
    })
}

/// One snapshot read with `lock_timeout` set to `wait` (bound, local to the transaction).
fn snapshot(
    client: &mut postgres::Client,
    schemas: &[&str],
    wait: Duration,
) -> Result<Catalog, IntrospectError> {
    introspect_with(client, schemas, wait, |_| Ok(())).map(|(catalog, ())| catalog)
}

/// [`introspect`] and then `more` in one read-only `REPEATABLE READ` snapshot, waiting at
/// most `lock_timeout` for table locks, once: for a caller that has another way to read
/// when a table stays locked.
pub(crate) fn introspect_with<T>(
    client: &mut postgres::Client,
    schemas: &[&str],
    lock_timeout: Duration,
    more: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T, IntrospectError>,
) -> Result<(Catalog, T), IntrospectError> {
    let snapshot = |source: postgres::Error| IntrospectError::Query {
        what: "catalog snapshot",
        source: PgError(source),
    };
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(snapshot)?;
    tx.execute(
        "SELECT pg_catalog.set_config('lock_timeout', $1, true)",
        &[&format!("{}ms", lock_timeout.as_millis())],
    )
    .map_err(snapshot)?;
    let catalog = introspect(&mut tx, schemas)?;
    let extra = more(&mut tx)?;
    tx.commit().map_err(snapshot)?;
    Ok((catalog, extra))
}

/// Reads every table (ordinary and partitioned; partitions are part of their parent),
/// every enum type, trigger function, trigger and view of `schemas`.
///
/// Runs a fixed number of queries whatever the number of tables. Tables come sorted by
/// (schema, name), enum types by (schema, name), and each table's constraints and
/// indexes by name, i.e. the result is already [`normalize`]d.
pub fn introspect(
    client: &mut impl GenericClient,
    schemas: &[&str],
) -> Result<Catalog, IntrospectError> {
    let [tables, columns, constraints, indexes, enums] = query::INTROSPECT;
    let rows = build::Rows {
        tables: fetch(client, tables, schemas, TableRow::decode)?,
        columns: fetch(client, columns, schemas, ColumnRow::decode)?,
        constraints: fetch(client, constraints, schemas, ConstraintRow::decode)?,
        indexes: fetch(client, indexes, schemas, IndexRow::decode)?,
        enums: fetch(client, enums, schemas, EnumRow::decode)?,
        policies: fetch(
            client,
            policies::POLICIES,
            schemas,
            policies::PolicyRow::decode,
        )?,
    };
    let mut catalog = build::catalog(rows)?;
    routines::read(client, schemas, &mut catalog)?;
    views::read(client, schemas, &mut catalog)?;
    normalize(&mut catalog);
    Ok(catalog)
}

/// The `(schema, name)` of every table `introspect` would read, sorted, in one query:
/// enough to tell which declared tables are missing without reading everything.
pub fn existing_tables(
    client: &mut impl GenericClient,
    schemas: &[&str],
) -> Result<Vec<(String, String)>, IntrospectError> {
    fetch(client, query::EXISTING_TABLES, schemas, |row| {
        Ok((row.try_get("schema")?, row.try_get("name")?))
    })
}

/// Runs one catalog query and decodes its rows.
fn fetch<T>(
    client: &mut impl GenericClient,
    query: query::Query,
    schemas: &[&str],
    decode: impl Fn(&postgres::Row) -> Result<T, postgres::Error>,
) -> Result<Vec<T>, IntrospectError> {
    query::run(client, query, schemas)?
        .iter()
        .map(|row| {
            decode(row).map_err(|source| IntrospectError::Query {
                what: query.what,
                source: PgError(source),
            })
        })
        .collect()
}
