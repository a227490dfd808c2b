//! Software licences sold to clients in pools, and handed out one seat at a time.
//!
//! A client buys a pool of licences for a product. `ordered_licenses` is what the client
//! paid for, `total_licenses` what the pool grants (the order plus any bonus or
//! correction), and `available_licenses` the seats not assigned right now. The
//! application keeps `available_licenses` equal to `total_licenses` minus the pool's
//! active assignments, in the same transaction as the assignment; the checks make sure
//! it never goes below zero or above the total, so two concurrent assignments of the
//! last seat cannot both succeed.

use chrono::{DateTime, NaiveDate, Utc};
use schema_core::{Table, schema_set};

/// A customer organisation that buys licences.
#[derive(Table)]
#[table(name = "clients", timestamps)]
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
    timestamps,
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
        comment = "Licences the pool grants: the order plus bonus seats or corrections"
    )]
    pub total_licenses: i32,
    #[column(
        check = "available_licenses >= 0",
        comment = "Seats not assigned: total_licenses minus active assignments"
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
