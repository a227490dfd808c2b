//! Sync: make the live database match the declared schema, safely, at service start.
//!
//! The policy, in full:
//! - **Fast path**: when the newest history row carries this schema's fingerprint and
//!   the live catalog's digest is unchanged since, what that row's full comparison found
//!   still holds: two queries. It found the schema current, or it left changes pending
//!   (review, destructive) and unmanaged objects, which are reported as a full
//!   comparison would report them; an opt-in that would act on them sends the run to a
//!   full comparison.
//! - Otherwise the live schema is introspected and diffed against the declaration.
//! - **Development** (and production with `ENABLE_AUTO_SYNC=true`) applies the
//!   [`Safe`](crate::diff::Safety::Safe) changes; review and destructive changes need
//!   [`SyncOptions::allow_review`] / [`SyncOptions::allow_destructive`].
//! - **Production** verifies: it fails naming every missing required table and every
//!   change that needs review or is destructive, and warns about the rest (missing
//!   optional tables, safe changes it did not apply).
//! - **Dry run**: returns the plan; takes no lock and changes nothing.
//! - Objects the schema does not declare are reported as unmanaged and never dropped.
//! - Changes run under an advisory lock (many replicas may start at once), after reading
//!   the live schema again: a replica that waited finds the work done and verifies.

pub(crate) mod apply;
mod canonical_cache;
pub(crate) mod digest;
mod duplicates;
mod error;
pub(crate) mod history;
mod key_index;
pub(crate) mod lock;
mod options;
mod policy;
mod read;
pub(crate) mod recorded;
mod remedy;
mod report;

use std::time::Instant;

use postgres::Client;

pub use error::SyncError;
pub use history::HISTORY_TABLE;
pub use lock::LockError;
pub use options::{InvalidSetting, Mode, SyncOptions};
pub use report::{Outcome, SyncReport};

pub(crate) use read::{Comparison, find_changes, managed_schemas};

use crate::catalog::Catalog;
use crate::diff::Change;
use crate::expected::ExpectedSchema;
use crate::fingerprint::fingerprint;
use crate::table::SchemaSet;
use crate::target::Target;
use digest::LiveState;
use policy::{allowed, not_applied_warning, verify_only};
use read::{CacheKey, FirstRead, Spelling, first_read};

/// Syncs `S` with options from the environment ([`SyncOptions::from_env`]).
pub fn sync<S: SchemaSet>(client: &mut Client) -> Result<SyncReport, SyncError> {
    sync_with::<S>(client, &SyncOptions::from_env()?)
}

/// Syncs `S` with explicit options, in the default target (`public`).
pub fn sync_with<S: SchemaSet>(
    client: &mut Client,
    options: &SyncOptions,
) -> Result<SyncReport, SyncError> {
    sync_schema(client, &S::EXPECTED_SCHEMA, &Target::default(), options)
}

/// Compares `S` with the database without changing anything; the report's outcome is
/// [`Outcome::UpToDate`] or [`Outcome::Drifted`] with the changes in `pending`.
pub fn verify<S: SchemaSet>(client: &mut Client) -> Result<SyncReport, SyncError> {
    let options = SyncOptions::from_env()?;
    verify_schema(client, &S::EXPECTED_SCHEMA, &Target::default(), &options)
}

/// `true` when the database matches `S` (unmanaged objects aside).
pub fn is_up_to_date<S: SchemaSet>(client: &mut Client) -> Result<bool, SyncError> {
    Ok(verify::<S>(client)?.outcome == Outcome::UpToDate)
}

/// [`verify`] for any schema set and target (the CLI's case, or a tenant's schema).
pub fn verify_schema(
    client: &mut Client,
    expected: &ExpectedSchema,
    target: &Target,
    options: &SyncOptions,
) -> Result<SyncReport, SyncError> {
    verify_schema_read(client, expected, target, options, None)
}

/// [`verify_schema`] given what the caller already read (see [`sync_schema_read`]).
pub(crate) fn verify_schema_read(
    client: &mut Client,
    expected: &ExpectedSchema,
    target: &Target,
    options: &SyncOptions,
    read: Option<(String, Catalog)>,
) -> Result<SyncReport, SyncError> {
    let mut report = sync_schema_read(client, expected, target, &options.clone().dry_run(), read)?;
    report.dry_run = false;
    if report.outcome == Outcome::Planned {
        report.outcome = Outcome::Drifted;
    }
    Ok(report)
}

/// [`sync_with`] for any schema set and target (the CLI's case, or a tenant's schema).
pub fn sync_schema(
    client: &mut Client,
    expected: &ExpectedSchema,
    target: &Target,
    options: &SyncOptions,
) -> Result<SyncReport, SyncError> {
    sync_schema_read(client, expected, target, options, None)
}

/// [`sync_schema`] given what the caller already read of the target's schemas: the live
/// digest at which it read them and the catalog. The catalog stands in for the first
/// introspection when the digest is still the same (the tenant fan-out reads every
/// drifted tenant in one pass).
pub(crate) fn sync_schema_read(
    client: &mut Client,
    expected: &ExpectedSchema,
    target: &Target,
    options: &SyncOptions,
    read: Option<(String, Catalog)>,
) -> Result<SyncReport, SyncError> {
    let start = Instant::now();
    let schema = target.schema();
    let schemas = managed_schemas(expected, schema);
    let mut report = SyncReport {
        schema_set: expected.name.to_owned(),
        schema: schema.to_owned(),
        mode: options.mode,
        dry_run: options.dry_run,
        outcome: Outcome::UpToDate,
        fast_path: false,
        fingerprint: fingerprint(expected, schema),
        applied: Vec::new(),
        pending: Vec::new(),
        unmanaged: Vec::new(),
        warnings: Vec::new(),
        lock_wait_ms: 0,
        duration_ms: 0,
    };
    let finish = |mut report: SyncReport| {
        report.duration_ms = start.elapsed().as_millis() as u64;
        report
    };

    let FirstRead { state, recorded } = first_read(client, &schemas, schema, &report.fingerprint)?;
    // A row for this very digest exists: what follows must not record another one.
    let already_recorded = recorded.is_some();
    if let Some((changes, unmanaged)) = recorded {
        let acts =
            options.auto_sync && !options.dry_run && changes.iter().any(|c| allowed(c, options));
        if !acts && !changes.iter().any(recorded::depends_on_rows) {
            report.fast_path = true;
            report.unmanaged = unmanaged;
            return settle(report, changes, options, expected).map(finish);
        }
    }

    let cache = CacheKey::new(&state, schema, &report.fingerprint);
    let read = read
        .filter(|(digest, _)| *digest == state.digest)
        .map(|(_, live)| live);
    let comparison = find_changes(
        client,
        expected,
        &schemas,
        target,
        options,
        Some(&cache),
        read,
    )?;
    report.unmanaged = comparison.unmanaged.clone();
    let nothing_to_apply = !comparison.changes.iter().any(|c| allowed(c, options));
    if nothing_to_apply || !options.auto_sync || options.dry_run {
        // Something outside this sync (a migration, a hand-made index) moved the live
        // digest, and nothing here may act on it: record what the comparison found, so
        // the next start takes the fast path again. An insert only, and only where
        // history is kept already. The digest must be the same after the comparison as
        // before it, or the result may describe a schema other than the one just read
        // (a concurrent change).
        let record = nothing_to_apply && !already_recorded && options.auto_sync;
        if record && state.history.exists() && !options.dry_run {
            let after = digest::live_digest(client, &schemas, schema)
                .map_err(SyncError::db("reading the live digest"))?;
            if after == state.digest {
                let spelled = complete_spelling(expected, schema, &comparison, None);
                let verified = apply::Verified {
                    fingerprint: &report.fingerprint,
                    digest: &state.digest,
                    history: state.history,
                    left: recorded::encode(comparison.changes.iter().chain(&comparison.unmanaged)),
                    canonical: spelled.as_deref().map(|json| (cache.key.as_str(), json)),
                };
                apply::record_verified(client, target, options, &verified)?;
            }
        }
        return settle(report, comparison.changes, options, expected).map(finish);
    }

    let seen = Seen { state, comparison };
    let ((), waited) = lock::with_lock(client, target.lock_key(), options.lock_wait, |client| {
        apply_under_lock(
            client,
            expected,
            &schemas,
            target,
            options,
            seen,
            &mut report,
        )
    })?;
    report.lock_wait_ms = waited.as_millis() as u64;
    Ok(finish(report))
}

/// The outcome of a run that applies nothing: up to date, a dry run's plan, a
/// production verification, or drift the options do not allow.
fn settle(
    mut report: SyncReport,
    changes: Vec<Change>,
    options: &SyncOptions,
    expected: &ExpectedSchema,
) -> Result<SyncReport, SyncError> {
    if changes.is_empty() {
        return Ok(report);
    }
    if options.dry_run {
        report.outcome = Outcome::Planned;
        report.pending = changes;
        return Ok(report);
    }
    if !options.auto_sync {
        return verify_only(report, changes, expected);
    }
    report.outcome = Outcome::Drifted;
    report
        .warnings
        .extend(changes.iter().map(not_applied_warning));
    report.pending = changes;
    Ok(report)
}

/// The spelling to store after this run, as JSON: `None` when the comparison read it
/// from the cache, or some table's spelling is unknown.
fn complete_spelling(
    expected: &ExpectedSchema,
    schema: &str,
    comparison: &Comparison,
    created: Option<&crate::catalog::Catalog>,
) -> Option<String> {
    match &comparison.spelling {
        Spelling::Fresh(fresh) => canonical_cache::complete(expected, schema, fresh, created),
        Spelling::Cached => None,
    }
}

/// What the first read found: the live state it was made at, and the comparison.
struct Seen {
    state: LiveState,
    comparison: Comparison,
}

/// Applies what is allowed, now that no other sync can run. Another process may have
/// changed the schema between the first read and the lock: if the live digest moved,
/// the schema is read and diffed again.
fn apply_under_lock(
    client: &mut Client,
    expected: &ExpectedSchema,
    schemas: &[String],
    target: &Target,
    options: &SyncOptions,
    seen: Seen,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let schema = target.schema();
    let state = digest::live_state(client, schemas, schema)
        .map_err(SyncError::db("reading the live digest"))?;
    let cache = CacheKey::new(&state, schema, &report.fingerprint);
    let comparison = if state.digest == seen.state.digest {
        seen.comparison
    } else {
        find_changes(
            client,
            expected,
            schemas,
            target,
            options,
            Some(&cache),
            None,
        )?
    };
    report.unmanaged = comparison.unmanaged.clone();
    let (apply, pending): (Vec<Change>, Vec<Change>) = comparison
        .changes
        .iter()
        .cloned()
        .partition(|c| allowed(c, options));
    report
        .warnings
        .extend(pending.iter().map(not_applied_warning));
    report.pending = pending;
    if apply.is_empty() {
        // Another process applied the changes while this one waited.
        report.outcome = if report.pending.is_empty() {
            Outcome::UpToDate
        } else {
            Outcome::Drifted
        };
        return Ok(());
    }
    let spell = |created: Option<&crate::catalog::Catalog>| {
        complete_spelling(expected, schema, &comparison, created)
    };
    let run = apply::RunInfo {
        target,
        options,
        fingerprint: &report.fingerprint,
        schemas,
        left: recorded::encode(report.pending.iter().chain(&report.unmanaged)),
        cache_key: match comparison.spelling {
            Spelling::Fresh(_) => Some(cache.key.as_str()),
            Spelling::Cached => None,
        },
        spell: &spell,
    };
    let warnings = apply::apply(client, &apply, &run)?;
    report.warnings.extend(warnings);
    report.applied = apply;
    report.outcome = Outcome::Applied;
    Ok(())
}
