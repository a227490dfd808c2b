//! A multi-tenant municipal administration: tenants, users and access control, wards
//! and properties, property taxation, community activities, council meetings,
//! documents, notifications, settings and an audit log.
//!
//! The declarations are equivalent to `tests/fixtures/municipal.sql`, object for object:
//! syncing [`Municipal`] into an empty database yields the same catalog as loading that
//! file. The conventions of the SQL map onto the DSL like this:
//!
//! - `id SERIAL PRIMARY KEY` is `#[column(primary_key, serial)] pub id: i32`;
//! - `tenant_id ... REFERENCES tenants(id) ON DELETE CASCADE` plus its index
//!   `<table>_tenant_id_idx` is `#[table(tenant = Tenant)]` and a `tenant_id: i32` field;
//! - `created_at` / `updated_at TIMESTAMPTZ NOT NULL DEFAULT now()` is `timestamps`;
//! - a nullable `deleted_at TIMESTAMPTZ` is `soft_delete`;
//! - unique constraints, checks and indexes keep PostgreSQL's default names
//!   (`<table>_<columns>_key`, `<table>_<column>_check`, `<table>_<columns>_idx`), so
//!   only table checks over several columns spell their names out.
//!
//! Every table but `tenants` is scoped to a tenant. The tables are split by domain into
//! submodules and re-exported here.

mod access;
mod activities;
mod meetings;
mod records;
mod taxation;
mod territory;

pub use access::{Permission, Role, RolePermission, Tenant, User, UserRole};
pub use activities::{
    Activity, ActivityParticipant, ActivityReport, ActivityTemplate, ActivityType,
};
pub use meetings::{Meeting, MeetingAttendee, MeetingResolution, MeetingTemplate, MeetingTopic};
pub use records::{AuditLog, Document, Notification, Setting};
pub use taxation::{
    MiscellaneousPayment, TaxAssessment, TaxCalculationType, TaxContract, TaxPayment, TaxRate,
    TaxReceipt, TaxType,
};
pub use territory::{Property, PropertyAddress, PropertyType, Ward};

use schema_core::schema_set;

schema_set!(
    pub Municipal = [
        // Tenancy, users and access control
        Tenant,
        User,
        Role,
        UserRole,
        Permission,
        RolePermission,
        // Territory and properties
        Ward,
        PropertyType,
        PropertyAddress,
        Property,
        // Taxation
        TaxType,
        TaxCalculationType,
        TaxRate,
        TaxContract,
        TaxAssessment,
        TaxPayment,
        TaxReceipt,
        MiscellaneousPayment,
        // Community activities
        ActivityType,
        ActivityTemplate,
        Activity,
        ActivityParticipant,
        ActivityReport,
        // Council meetings
        MeetingTemplate,
        Meeting,
        MeetingAttendee,
        MeetingTopic,
        MeetingResolution,
        // Documents, notifications, settings, audit
        Document,
        Notification,
        Setting,
        AuditLog,
    ]
);
