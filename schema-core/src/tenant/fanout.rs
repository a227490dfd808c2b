//! The fan-out: one policy over every tenant of a set.
//!
//! Per server, in order: one connection (the coordinator) reads the live digest and
//! the newest history row of every tenant in two queries (the second only for tenants
//! the platform's record of settled tenants does not vouch for, see
//! [`settled_cache`]), and settles each tenant whose history proves it current. Only the rest go to at most `parallel` workers, each with
//! a connection of its own, opened when it takes its first tenant; a worker runs the
//! single-schema sync (or verification) for one tenant at a time, in that tenant's own
//! transaction under that tenant's own advisory lock, so a failing tenant is reported
//! and never stops or rolls back the others. At no time are more than `parallel + 1`
//! connections open.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use postgres::Client;

use crate::catalog::Catalog;
use crate::connect::Settings;
use crate::fingerprint::fingerprints;
use crate::introspect::{IntrospectError, introspect_with};
use crate::sync::history::HistoryTable;
use crate::sync::{
    Outcome, SyncError, SyncOptions, managed_schemas, recorded, sync_schema_read,
    verify_schema_read,
};
use crate::tenant::fastpath::{self, Seen};
use crate::tenant::name::tenant_target;
use crate::tenant::report::{TenantOutcome, TenantResult, TenantsReport, Totals};
use crate::tenant::settled_cache;
use crate::tenant::source::TenantRef;
use crate::tenant::{TenantError, TenantSet};

/// The default number of workers: small, so a fan-out never crowds out the service.
pub const DEFAULT_PARALLEL: usize = 4;

/// How a fan-out runs.
pub struct FanOut<'a> {
    /// The policy, as for a single sync: development fixes, production verifies and
    /// refuses, a dry run writes nothing.
    pub options: SyncOptions,
    /// Only compare; never change anything (`tenants verify`).
    pub verify: bool,
    /// Workers, each with one connection (at least 1).
    pub parallel: usize,
    /// Called with each tenant's outcome as it finishes, from the worker that ran it.
    pub on_done: Option<&'a (dyn Fn(&TenantOutcome) + Sync)>,
}

impl FanOut<'_> {
    /// A sync with `options` and [`DEFAULT_PARALLEL`] workers.
    pub fn sync(options: SyncOptions) -> FanOut<'static> {
        FanOut {
            options,
            verify: false,
            parallel: DEFAULT_PARALLEL,
            on_done: None,
        }
    }

    /// A verification with `options` and [`DEFAULT_PARALLEL`] workers.
    pub fn verify(options: SyncOptions) -> FanOut<'static> {
        FanOut {
            verify: true,
            ..FanOut::sync(options)
        }
    }
}

/// Open connections now and at most, for the report (and the tests that hold the bound).
#[derive(Default)]
struct Connections {
    open: AtomicUsize,
    peak: AtomicUsize,
}

impl Connections {
    fn connect(&self, settings: &Settings) -> Result<Counted<'_>, crate::connect::Error> {
        let client = settings.connect()?;
        let now = self.open.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Ok(Counted {
            client,
            count: self,
        })
    }
}

/// A connection that counts itself out when dropped.
struct Counted<'a> {
    client: Client,
    count: &'a Connections,
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.count.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `fan` over every tenant `set` lists in the platform database at `platform`.
pub fn fan_out(
    platform: &Settings,
    set: &TenantSet,
    fan: &FanOut,
) -> Result<TenantsReport, TenantError> {
    let start = Instant::now();
    let connections = Connections::default();
    let mut coordinator = connections.connect(platform)?;
    let tenants = set.source.list(&mut coordinator.client)?;
    fan_out_over(
        coordinator,
        platform,
        set,
        &tenants,
        fan,
        &connections,
        start,
    )
}

/// [`fan_out`] over `tenants` (already listed and validated).
fn fan_out_over<'c>(
    mut coordinator: Counted<'c>,
    platform: &Settings,
    set: &TenantSet,
    tenants: &[TenantRef],
    fan: &FanOut,
    connections: &'c Connections,
    start: Instant,
) -> Result<TenantsReport, TenantError> {
    let mut servers: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    for t in tenants {
        servers
            .entry(t.url.as_deref())
            .or_default()
            .push(t.schema.as_str());
    }
    let outcomes = Mutex::new(Vec::with_capacity(tenants.len()));
    let done = |outcome: TenantOutcome| {
        if let Some(on_done) = fan.on_done {
            on_done(&outcome);
        }
        if let Ok(mut all) = outcomes.lock() {
            all.push(outcome);
        }
    };
    for (url, schemas) in servers {
        let settings = match url {
            None => platform.clone(),
            Some(url) => Settings::from_url(url)?,
        };
        let server = url.map(|_| settings.to_string());
        if url.is_some() {
            // One coordinator at a time: the previous server's goes first.
            drop(coordinator);
            coordinator = connections.connect(&settings)?;
        }
        let names: Vec<String> = schemas.iter().map(|s| s.to_string()).collect();
        let fingerprints = fingerprints(&set.tenant, &names);
        // Recorded on the platform server, as the single-schema sync records: by a
        // sync that may act.
        let record = url.is_none() && !fan.verify && fan.options.auto_sync && !fan.options.dry_run;
        let settled_now = settled_tenants(
            &mut coordinator.client,
            set,
            &names,
            &fingerprints,
            url.is_none(),
            record,
        )
        .map_err(|source| TenantError::Database {
            doing: "reading the tenants' digests and history",
            source,
        })?;
        let mut work = Vec::new();
        let mut work_prints = Vec::new();
        for ((schema, settled), fp) in names.iter().zip(settled_now).zip(&fingerprints) {
            if settled {
                done(TenantOutcome {
                    tenant: schema.clone(),
                    server: server.clone(),
                    result: TenantResult::UpToDate { fast_path: true },
                    duration_ms: 0,
                });
            } else {
                work.push(schema.as_str());
                work_prints.push(fp.clone());
            }
        }
        let read = read_together(&mut coordinator.client, set, &work, &fan.options);
        run_workers(
            &settings,
            set,
            fan,
            (&work, &read),
            server.as_deref(),
            connections,
            &done,
        );
        if record && !work.is_empty() {
            // What the workers just recorded in the tenants' histories goes into the
            // record too, so the next fan-out settles them from it.
            let worked: Vec<String> = work.iter().map(|s| s.to_string()).collect();
            let again = settled_tenants(
                &mut coordinator.client,
                set,
                &worked,
                &work_prints,
                true,
                true,
            );
            if let Err(e) = again {
                tracing::debug!("the settled tenants could not be recorded: {e}");
            }
        }
    }
    drop(coordinator);
    let mut tenants = outcomes.into_inner().unwrap_or_default();
    tenants.sort_by(|a, b| (&a.server, &a.tenant).cmp(&(&b.server, &b.tenant)));
    Ok(TenantsReport {
        schema_set: set.tenant.name.to_owned(),
        mode: fan.options.mode,
        dry_run: fan.options.dry_run,
        command: if fan.verify { "verify" } else { "sync" },
        totals: Totals::of(&tenants),
        tenants,
        peak_connections: connections.peak.load(Ordering::SeqCst),
        duration_ms: start.elapsed().as_millis() as u64,
    })
}

/// Which tenants of one server are settled: those the record of settled tenants (kept
/// on the platform server only, `platform`) vouches for at their live digest, and
/// those their newest history row proves current. Two queries for the digests and the
/// histories, whatever the number of tenants; the tenants settled from their history
/// are added to the record when `record` is on (a sync that may act, as the
/// single-schema sync records).
fn settled_tenants(
    client: &mut Client,
    set: &TenantSet,
    names: &[String],
    fingerprints: &[String],
    platform: bool,
    record: bool,
) -> Result<Vec<bool>, crate::pg_error::PgError> {
    let states = fastpath::digests(client, names)?;
    let vouched = if platform {
        settled_cache::read(client, names)
    } else {
        Default::default()
    };
    let single = |schema: &str| managed_schemas(&set.tenant, schema) == [schema];
    let by_record: Vec<bool> = (0..names.len())
        .map(|i| {
            let (digest, history) = &states[i];
            *history == HistoryTable::Current
                && single(&names[i])
                && vouched.get(&names[i]) == Some(&(fingerprints[i].clone(), digest.clone()))
        })
        .collect();
    let which: Vec<usize> = (0..names.len())
        .filter(|&i| !by_record[i] && states[i].1 == HistoryTable::Current)
        .collect();
    let latest = fastpath::latest(client, names, &which)?;
    let mut newly = Vec::new();
    let mut answer = Vec::with_capacity(names.len());
    for (i, ((digest, history), latest)) in states.into_iter().zip(latest).enumerate() {
        let from_history = !by_record[i] && {
            let seen = Seen {
                digest,
                history,
                latest,
            };
            let yes = settled(set, &names[i], &seen, &fingerprints[i]);
            if yes {
                newly.push((names[i].clone(), fingerprints[i].clone(), seen.digest));
            }
            yes
        };
        answer.push(by_record[i] || from_history);
    }
    if platform && record {
        settled_cache::write(client, &newly);
    }
    Ok(answer)
}

/// Whether the history proves `schema` current without reading more: the newest sync
/// was made for this fingerprint at this digest and left no change behind. A tenant
/// with recorded changes goes to a worker, whose single-schema run reports them (from
/// its own fast path) exactly as `sync` does.
///
/// The batched digest covers the tenant's own schema only: a set whose tables also
/// name other schemas always takes the single-schema path.
fn settled(set: &TenantSet, schema: &str, seen: &Seen, fingerprint: &str) -> bool {
    if seen.history != HistoryTable::Current || managed_schemas(&set.tenant, schema) != [schema] {
        return false;
    }
    let Some((fp, Some(digest), Some(pending))) = &seen.latest else {
        return false;
    };
    if *digest != seen.digest || fp != fingerprint {
        return false;
    }
    matches!(recorded::decode(pending.clone()), Some((changes, _)) if changes.is_empty())
}

/// The tenants still to look at, read together: each one's live digest and catalog
/// from one snapshot, in the handful of catalog queries one schema takes, so a worker
/// need not introspect its tenant on its own (it checks the digest first). Only for
/// more than one tenant of a set whose tables all live in the tenant's schema. Empty
/// when the read fails (a table locked past `lock_timeout`, say): the workers then
/// read each tenant themselves, and report the one that cannot be read.
fn read_together(
    client: &mut Client,
    set: &TenantSet,
    work: &[&str],
    options: &SyncOptions,
) -> HashMap<String, (String, Catalog)> {
    let single = work
        .iter()
        .all(|&schema| managed_schemas(&set.tenant, schema) == [schema]);
    if work.len() < 2 || !single {
        return HashMap::new();
    }
    let names: Vec<String> = work.iter().map(|s| s.to_string()).collect();
    let refs: Vec<&str> = work.to_vec();
    let read = introspect_with(client, &refs, options.lock_timeout, |tx| {
        fastpath::digests(tx, &names).map_err(|source| IntrospectError::Query {
            what: "tenant digests",
            source,
        })
    });
    match read {
        Ok((catalog, digests)) => names
            .iter()
            .zip(digests)
            .map(|(name, (digest, _))| (name.clone(), (digest, catalog.of_schema(name))))
            .collect(),
        Err(e) => {
            tracing::debug!("the drifted tenants could not be read together: {e}");
            HashMap::new()
        }
    }
}

/// At most `fan.parallel` workers over `work`, each with its own connection; a tenant
/// found in `read` is compared against what was read of it there.
fn run_workers(
    settings: &Settings,
    set: &TenantSet,
    fan: &FanOut,
    (work, read): (&[&str], &HashMap<String, (String, Catalog)>),
    server: Option<&str>,
    connections: &Connections,
    done: &(dyn Fn(TenantOutcome) + Sync),
) {
    let next = AtomicUsize::new(0);
    let workers = fan.parallel.max(1).min(work.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut client: Option<Counted> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&schema) = work.get(i) else { break };
                    let started = Instant::now();
                    if client.as_ref().is_none_or(|c| c.client.is_closed()) {
                        client = None;
                        match connections.connect(settings) {
                            Ok(c) => client = Some(c),
                            Err(e) => {
                                done(TenantOutcome {
                                    tenant: schema.to_owned(),
                                    server: server.map(str::to_owned),
                                    result: TenantResult::Failed {
                                        error: e.to_string(),
                                    },
                                    duration_ms: started.elapsed().as_millis() as u64,
                                });
                                continue;
                            }
                        }
                    }
                    let Some(c) = client.as_mut() else { continue };
                    let result = one_tenant(&mut c.client, set, schema, fan, read.get(schema));
                    done(TenantOutcome {
                        tenant: schema.to_owned(),
                        server: server.map(str::to_owned),
                        result,
                        duration_ms: started.elapsed().as_millis() as u64,
                    });
                }
            });
        }
    });
}

/// The single-schema run for one tenant, as its report line.
fn one_tenant(
    client: &mut Client,
    set: &TenantSet,
    schema: &str,
    fan: &FanOut,
    read: Option<&(String, Catalog)>,
) -> TenantResult {
    let target = match tenant_target(schema) {
        Ok(target) => target,
        Err(e) => {
            return TenantResult::Failed {
                error: e.to_string(),
            };
        }
    };
    let read = read.cloned();
    let run = if fan.verify {
        verify_schema_read(client, &set.tenant, &target, &fan.options, read)
    } else {
        sync_schema_read(client, &set.tenant, &target, &fan.options, read)
    };
    match run {
        Ok(report) => match report.outcome {
            Outcome::UpToDate => TenantResult::UpToDate {
                fast_path: report.fast_path,
            },
            Outcome::Applied => TenantResult::Fixed {
                applied: report.applied,
            },
            Outcome::Planned => TenantResult::Planned {
                pending: report.pending,
            },
            _ => TenantResult::Drifted {
                pending: report.pending,
            },
        },
        Err(SyncError::Refused { problems, .. }) => TenantResult::Refused { problems },
        Err(e) => TenantResult::Failed {
            error: e.to_string(),
        },
    }
}
