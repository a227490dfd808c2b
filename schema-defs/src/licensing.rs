//! Software licences sold to clients in pools, and handed out one seat at a time.
//!
//! A client buys a pool of licences for a product. `ordered_licenses` is what the client
//! paid for, `total_licenses` what the pool grants, and `available_licenses` the seats
//! not assigned right now. The database keeps the last two itself: the pool's
//! `pool_figures` trigger derives them whenever the pool is written, and the
//! assignments' `pool_assignments` trigger rewrites the pool row whenever an assignment
//! is made, revoked, moved or deleted. Rewriting the row locks it, so assignments to one
//! pool take turns, and each recounts the active assignments after the previous one
//! committed; the checks refuse a count below zero, so the last seat cannot be given
//! out twice.

use chrono::{DateTime, NaiveDate, Utc};
use schema_core::{FunctionDef, Table, TriggerDecl, TriggerEvent, TriggerTiming, schema_set};

/// Before a pool row is written: `total_licenses` is the order, `available_licenses`
/// the total minus the active assignments. In READ COMMITTED each statement of the
/// function sees what committed before it, so the count taken under the row lock
/// includes every assignment that held the lock earlier.
pub const POOL_FIGURES: TriggerDecl = TriggerDecl {
    name: std::borrow::Cow::Borrowed("pool_figures"),
    timing: TriggerTiming::Before,
    events: std::borrow::Cow::Borrowed(&[TriggerEvent::Insert, TriggerEvent::Update]),
    function: FunctionDef {
        schema: None,
        name: std::borrow::Cow::Borrowed("license_pool_figures"),
        body: std::borrow::Cow::Borrowed(
            "
DECLARE
    active integer;
BEGIN
    NEW.total_licenses := NEW.ordered_licenses;
    EXECUTE format(
        'SELECT count(*) FROM %I.license_assignments WHERE pool_id = $1 AND revoked_at IS NULL',
        TG_TABLE_SCHEMA)
    INTO active
    USING NEW.id;
    NEW.available_licenses := NEW.total_licenses - active;
    RETURN NEW;
END
",
        ),
    },
};

/// After an assignment changes: rewrite the pools it belongs (or belonged) to, in key
/// order, so that [`POOL_FIGURES`] recounts them under their row locks.
pub const POOL_ASSIGNMENTS: TriggerDecl = TriggerDecl {
    name: std::borrow::Cow::Borrowed("pool_assignments"),
    timing: TriggerTiming::After,
    events: std::borrow::Cow::Borrowed(&[
        TriggerEvent::Insert,
        TriggerEvent::Update,
        TriggerEvent::Delete,
    ]),
    function: FunctionDef {
        schema: None,
        name: std::borrow::Cow::Borrowed("license_pool_assignments"),
        body: std::borrow::Cow::Borrowed(
            "
DECLARE
    pool bigint;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.pool_id = OLD.pool_id
       AND (NEW.revoked_at IS NULL) = (OLD.revoked_at IS NULL) THEN
        RETURN NULL;
    END IF;
    FOR pool IN
        SELECT DISTINCT p FROM unnest(ARRAY[
            CASE WHEN TG_OP <> 'INSERT' THEN OLD.pool_id END,
            CASE WHEN TG_OP <> 'DELETE' THEN NEW.pool_id END]) AS p
        WHERE p IS NOT NULL ORDER BY p
    LOOP
        EXECUTE format('UPDATE %I.license_pools SET available_licenses = 0 WHERE id = $1',
                       TG_TABLE_SCHEMA)
        USING pool;
    END LOOP;
    RETURN NULL;
END
",
        ),
    },
};

/// A customer organisation that buys licences.
#[derive(Table)]
#[table(name = "clients", timestamps = "trigger")]
pub struct Client {
    #[column(primary_key, identity = "always")]
    pub id: i64,
    #[column(sql_type = "varchar(200)")]
    pub name: String,
    /// The client's identifier in the billing system.
    #[column(sql_type = "varchar(64)", unique)]
    pub external_ref: Option<String>,
    #[column(sql_type = "varchar(255)")]
    pub contact_email: Option<String>,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Licences of one product bought by a client, valid over a period.
#[derive(Table)]
#[table(
    name = "license_pools",
    timestamps = "trigger",
    trigger = POOL_FIGURES,
    check(
        name = "license_pools_available_within_total_check",
        expr = "available_licenses <= total_licenses"
    ),
    check(
        name = "license_pools_validity_check",
        expr = "valid_until IS NULL OR valid_until >= valid_from"
    ),
    comment = "Licences of one product bought by a client; available_licenses counts free seats"
)]
pub struct LicensePool {
    #[column(primary_key, identity = "always")]
    pub id: i64,
    #[column(references = Client, on_delete = "restrict", index)]
    pub client_id: i64,
    /// Product code, such as `studio-pro`.
    #[column(sql_type = "varchar(100)")]
    pub product: String,
    #[column(
        check = "ordered_licenses >= 0",
        comment = "Licences the client ordered and pays for"
    )]
    pub ordered_licenses: i32,
    #[column(
        check = "total_licenses >= 0",
        comment = "Licences the pool grants: the order, kept by the pool_figures trigger"
    )]
    pub total_licenses: i32,
    #[column(
        check = "available_licenses >= 0",
        comment = "Seats not assigned: total_licenses minus active assignments, kept by triggers"
    )]
    pub available_licenses: i32,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A seat of a pool given to an assignee (a user's e-mail or a machine id).
///
/// There is one row per pool and assignee: revoking sets `revoked_at`, and assigning the
/// pool to the same assignee again clears it.
#[derive(Table)]
#[table(
    name = "license_assignments",
    trigger = POOL_ASSIGNMENTS,
    unique(pool_id, assignee),
    index(
        pool_id,
        where = "revoked_at IS NULL",
        name = "license_assignments_active_pool_id_idx"
    ),
    check(
        name = "license_assignments_revoked_after_assigned_check",
        expr = "revoked_at IS NULL OR revoked_at >= assigned_at"
    )
)]
pub struct LicenseAssignment {
    #[column(primary_key, identity = "always")]
    pub id: i64,
    #[column(references = LicensePool, on_delete = "cascade")]
    pub pool_id: i64,
    #[column(sql_type = "varchar(255)")]
    pub assignee: String,
    #[column(default = "now()")]
    pub assigned_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Whether the assignee is a person (`user`, an e-mail) or a `machine`; added by
    /// migration 002 with a backfill (`migrations/licensing/`).
    #[column(
        sql_type = "varchar(16)",
        default = "'user'",
        check = "assignee_kind IN ('user', 'machine')"
    )]
    pub assignee_kind: String,
}

schema_set!(pub Licensing = [Client, LicensePool, LicenseAssignment]);
