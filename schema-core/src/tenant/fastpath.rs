//! The fast path for many tenants at once: the live digest and history state of every
//! tenant schema in one catalog query, and the newest history row of each (of those the
//! platform's record of settled tenants does not vouch for) in a second.
//!
//! A tenant whose newest sync was made for this very fingerprint at this very digest,
//! and left nothing that options could act on, is settled here: it takes no connection
//! of its own, no lock and no further query.

use std::sync::LazyLock;

use postgres::GenericClient;

use crate::ddl::qualified;
use crate::pg_error::PgError;
use crate::sync::HISTORY_TABLE;
use crate::sync::digest::digest_of_items_sql;
use crate::sync::history::{HistoryTable, RunKind, RunOutcome, history_state_sql};

/// What the two queries tell about one tenant schema.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub digest: String,
    pub history: HistoryTable,
    /// `(fingerprint, live_digest, pending)` of the newest successful sync.
    pub latest: Option<(String, Option<String>, Option<serde_json::Value>)>,
}

/// The single-schema digest (`digest_of_items_sql!`) grouped by the schema of each item
/// (`sync/digest_items.sql`): the per-schema value is the same expression as the
/// single-schema digest, so a tenant's digest here equals the one `sync` computes for
/// it alone (a test holds the two together).
static GROUPED: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT s.schema::text, \
         coalesce(d.digest, pg_catalog.md5(pg_catalog.format('%s %s', 0, NULL::numeric))), \
         {history} \
         FROM pg_catalog.unnest($1::pg_catalog.name[]) AS s(schema) \
         LEFT JOIN (SELECT items.schema::text AS schema, {digest} AS digest \
                    FROM ({items}) AS items GROUP BY 1) AS d \
         ON d.schema = s.schema::text",
        digest = digest_of_items_sql!(),
        history = history_state_sql!("s.schema::text"),
        items = include_str!("../sync/digest_items.sql"),
    )
});

/// The live digest and history state of each of `schemas`, in one query.
pub(crate) fn digests(
    client: &mut impl GenericClient,
    schemas: &[String],
) -> Result<Vec<(String, HistoryTable)>, PgError> {
    let rows = client.query(GROUPED.as_str(), &[&schemas])?;
    let mut by_schema: std::collections::HashMap<String, (String, HistoryTable)> = rows
        .iter()
        .map(|r| {
            (
                r.get::<_, String>(0),
                (r.get(1), HistoryTable::from_code(r.get(2))),
            )
        })
        .collect();
    Ok(schemas
        .iter()
        .map(|s| {
            by_schema
                .remove(s)
                .unwrap_or_else(|| (String::new(), HistoryTable::Absent))
        })
        .collect())
}

/// The newest successful sync of `schemas[i]` for each `i` of `which` (tenants whose
/// history table is current), in one query; `None` for the others.
#[allow(clippy::type_complexity)]
pub(crate) fn latest(
    client: &mut impl GenericClient,
    schemas: &[String],
    which: &[usize],
) -> Result<Vec<Option<(String, Option<String>, Option<serde_json::Value>)>>, PgError> {
    let mut latest: Vec<Option<_>> = vec![None; schemas.len()];
    if which.is_empty() {
        return Ok(latest);
    }
    // One branch per tenant: each history table is its own relation. The branch number
    // is this loop's own counter, not data.
    let branches: Vec<String> = which
        .iter()
        .map(|&i| {
            format!(
                "(SELECT {i}, fingerprint, live_digest, pending FROM {} \
                 WHERE kind = $1 AND outcome IN ($2, $3) ORDER BY id DESC LIMIT 1)",
                qualified(&schemas[i], HISTORY_TABLE)
            )
        })
        .collect();
    let sql = branches.join(" UNION ALL ");
    let (kind, applied, verified) = (
        RunKind::Sync.as_str(),
        RunOutcome::Applied.as_str(),
        RunOutcome::Verified.as_str(),
    );
    for row in client.query(&sql, &[&kind, &applied, &verified])? {
        let i: i32 = row.get(0);
        latest[i as usize] = Some((row.get(1), row.get(2), row.get(3)));
    }
    Ok(latest)
}
