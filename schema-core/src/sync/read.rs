//! Reading the live schema: the fast path, and the full introspect–canonicalize–diff.

use postgres::Client;

use crate::canonical::canonicalize;
use crate::catalog::Catalog;
use crate::diff::{Change, diff};
use crate::expected::ExpectedSchema;
use crate::introspect::introspect_snapshot;
use crate::model::{TableDef, ViewDef};
use crate::sync::digest::{LiveState, live_state};
use crate::sync::duplicates::check_missing_keys;
use crate::sync::history::HistoryTable;
use crate::sync::{SyncError, SyncOptions, canonical_cache, history, recorded};
use crate::target::Target;

/// What the first read of a run found.
pub(super) struct FirstRead {
    pub state: LiveState,
    /// What the newest sync recorded, when it was made for this fingerprint at this very
    /// digest: (actionable changes, unmanaged objects).
    pub recorded: Option<(Vec<Change>, Vec<Change>)>,
}

/// The fast path: one query for the live state and, when the history may hold a match,
/// one for what the last full comparison left.
pub(super) fn first_read(
    client: &mut Client,
    schemas: &[String],
    schema: &str,
    fingerprint: &str,
) -> Result<FirstRead, SyncError> {
    let state =
        live_state(client, schemas, schema).map_err(SyncError::db("reading the live digest"))?;
    let mut recorded = None;
    if state.history == HistoryTable::Current {
        let latest = history::latest_applied(client, schema)
            .map_err(SyncError::db("reading the history"))?;
        recorded = latest
            .filter(|l| {
                l.fingerprint == fingerprint && l.live_digest.as_deref() == Some(&*state.digest)
            })
            .and_then(|l| l.pending)
            .and_then(recorded::decode);
    }
    Ok(FirstRead { state, recorded })
}

/// Where a comparison may find the declared expressions already spelled by the server,
/// and under which key a run stores them.
pub(crate) struct CacheKey<'a> {
    /// The schema whose history table holds the cache.
    pub schema: &'a str,
    pub key: String,
    /// Whether there is a history table of this version to read it from.
    pub readable: bool,
}

impl<'a> CacheKey<'a> {
    /// The key for `fingerprint` on the session `state` describes.
    pub(super) fn new(state: &LiveState, schema: &'a str, fingerprint: &str) -> Self {
        CacheKey {
            schema,
            key: canonical_cache::key(fingerprint, &state.session),
            readable: state.history == HistoryTable::Current,
        }
    }
}

/// Where a comparison's declared expressions came from.
#[derive(Debug, Clone)]
pub(crate) enum Spelling {
    /// The cache: nothing to store.
    Cached,
    /// Spelled by this run, for the tables that existed (none in an empty database):
    /// worth storing once the rest are known.
    Fresh(Vec<TableDef>),
}

/// The result of a full comparison.
pub(crate) struct Comparison {
    /// What differs and can be acted on, in the order it can be applied.
    pub changes: Vec<Change>,
    /// Objects in the database the schema does not declare.
    pub unmanaged: Vec<Change>,
    /// The live catalog the changes were found against.
    pub live: Catalog,
    pub spelling: Spelling,
}

/// Introspects (unless `read` is the catalog already read at the current digest),
/// canonicalizes the declared expressions (from the cache when it has them) and diffs;
/// missing keys are then checked against the rows.
pub(crate) fn find_changes(
    client: &mut Client,
    expected: &ExpectedSchema,
    schemas: &[String],
    target: &Target,
    options: &SyncOptions,
    cache: Option<&CacheKey>,
    read: Option<Catalog>,
) -> Result<Comparison, SyncError> {
    let schema = target.schema();
    let names: Vec<&str> = schemas.iter().map(String::as_str).collect();
    let live = match read {
        Some(live) => live,
        None => introspect_snapshot(client, &names, options.lock_timeout)?,
    };
    let mut declared = expected.catalog();
    let mut spelling = Spelling::Fresh(Vec::new());
    // Only tables that exist need the server's spelling of their expressions: a missing
    // table is created from the declaration as written.
    let exists = |t: &TableDef| {
        let s = t.schema_or(schema);
        std::iter::once(&t.name)
            .chain(t.options.renamed_from.iter())
            .any(|n| live.table(s, n, schema).is_some())
    };
    // Views that exist are spelled like tables, in the same scratch round when the
    // tables need one; missing ones are created as written.
    let view_exists = |v: &ViewDef| {
        live.views
            .iter()
            .any(|l| l.name == v.name && l.schema_or(schema) == v.schema_or(schema))
    };
    let views = if declared.views.iter().any(view_exists) {
        spellable_views(&declared, schema, &|t| exists(t))
    } else {
        Vec::new()
    };
    let (present, absent): (Vec<_>, Vec<_>) = std::mem::take(&mut declared.tables)
        .into_iter()
        .partition(|t| exists(t));
    let cached_tables = match cache.filter(|c| c.readable) {
        Some(c) if !present.is_empty() => cached(client, c, &present),
        _ => None,
    };
    if cached_tables.is_some() {
        spelling = Spelling::Cached;
    }
    let scratch_needed = !views.is_empty() || (cached_tables.is_none() && !present.is_empty());
    let spelled = if scratch_needed {
        let subset = Catalog {
            tables: present.clone(),
            enums: declared.enums.clone(),
            views,
            ..Default::default()
        };
        Some(canonicalize(client, &subset, schema)?)
    } else {
        None
    };
    let mut tables = match (cached_tables, &spelled) {
        (Some(tables), _) => tables,
        (None, Some(spelled)) if !present.is_empty() => {
            spelling = Spelling::Fresh(spelled.tables.clone());
            spelled.tables.clone()
        }
        (None, _) => present,
    };
    tables.extend(absent);
    declared.tables = tables;
    for view in &mut declared.views {
        let found = spelled
            .iter()
            .flat_map(|c| &c.views)
            .find(|s| s.name == view.name && s.schema == view.schema);
        if let Some(found) = found {
            view.body = found.body.clone();
        }
    }
    let (unmanaged, mut changes): (Vec<Change>, Vec<Change>) = diff(&declared, &live, schema)
        .into_iter()
        .partition(|c| c.kind.is_unmanaged());
    check_missing_keys(client, &mut changes, &live, schema, options);
    Ok(Comparison {
        changes,
        unmanaged,
        live,
        spelling,
    })
}

/// The declared views the scratch schema can hold: those whose every read relation of
/// the set is a table that exists or a view the scratch holds too (a declared view may
/// read one that was dropped). In creation order.
fn spellable_views(
    declared: &Catalog,
    schema: &str,
    exists: &dyn Fn(&TableDef) -> bool,
) -> Vec<ViewDef> {
    let mut held: Vec<ViewDef> = Vec::new();
    for view in &declared.views {
        let own = view.schema_or(schema);
        let reachable = |s: &str, n: &str| {
            declared
                .tables
                .iter()
                .any(|t| t.schema_or(schema) == s && t.name == n && exists(t))
                || held.iter().any(|v| v.schema_or(schema) == s && v.name == n)
        };
        let in_set = |s: &str, n: &str| {
            declared
                .tables
                .iter()
                .any(|t| t.schema_or(schema) == s && t.name == n)
                || declared
                    .views
                    .iter()
                    .any(|v| v.schema_or(schema) == s && v.name == n)
        };
        let ok = view.reads.iter().all(|r| {
            let (s, n) = r.split_once('.').unwrap_or((own, r));
            !in_set(s, n) || reachable(s, n)
        });
        if ok {
            held.push(view.clone());
        }
    }
    held
}

/// The cached spelling of `present`, in its order; `None` on a miss. A cache that cannot
/// be read is a miss: the comparison spells the expressions itself.
fn cached(client: &mut Client, cache: &CacheKey, present: &[TableDef]) -> Option<Vec<TableDef>> {
    let json = match history::canonical(client, cache.schema, &cache.key) {
        Ok(json) => json?,
        Err(e) => {
            tracing::debug!("the canonical cache could not be read: {e}");
            return None;
        }
    };
    let stored = canonical_cache::decode(&json)?;
    present
        .iter()
        .map(|t| {
            stored
                .iter()
                .find(|s| s.schema == t.schema && s.name == t.name)
                .cloned()
        })
        .collect()
}

/// Every schema the set's tables and enum types live in, sorted.
pub(crate) fn managed_schemas(expected: &ExpectedSchema, default_schema: &str) -> Vec<String> {
    let mut schemas: Vec<String> = expected
        .tables
        .iter()
        .map(|t| t.schema_or(default_schema).to_owned())
        .chain(
            expected
                .enums()
                .iter()
                .map(|e| e.schema.as_deref().unwrap_or(default_schema).to_owned()),
        )
        .chain(
            expected
                .views
                .iter()
                .map(|v| v.schema_or(default_schema).to_owned()),
        )
        .chain(std::iter::once(default_schema.to_owned()))
        .collect();
    schemas.sort();
    schemas.dedup();
    schemas
}
