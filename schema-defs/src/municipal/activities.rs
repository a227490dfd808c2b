//! Community activities: clean-up drives, health camps, workshops and the like, with
//! their participants and reports.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use schema_core::Table;
use serde_json::Value;

use super::{Tenant, User, Ward};

/// A category of activity, with the colour it is shown in on calendars.
#[derive(Table)]
#[table(name = "activity_types", tenant = Tenant, timestamps, unique(tenant_id, code))]
pub struct ActivityType {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(30)")]
    pub code: String,
    #[column(sql_type = "varchar(120)")]
    pub name: String,
    pub description: Option<String>,
    /// `#rrggbb`.
    #[column(sql_type = "varchar(7)")]
    pub color: Option<String>,
    #[column(default = "true")]
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A reusable blueprint for activities of one type.
#[derive(Table)]
#[table(name = "activity_templates", tenant = Tenant, timestamps)]
pub struct ActivityTemplate {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = ActivityType, on_delete = "cascade", index)]
    pub activity_type_id: i32,
    #[column(sql_type = "varchar(150)")]
    pub name: String,
    pub description: Option<String>,
    #[column(default = "60")]
    pub default_duration_minutes: i32,
    /// A JSON array of checklist items copied into each new activity.
    #[column(default = "'[]'::jsonb")]
    pub default_checklist: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A scheduled activity.
#[derive(Table)]
#[table(name = "activities", tenant = Tenant, timestamps, soft_delete)]
pub struct Activity {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = ActivityType, index)]
    pub activity_type_id: i32,
    #[column(references = ActivityTemplate, on_delete = "set null")]
    pub template_id: Option<i32>,
    #[column(references = Ward, on_delete = "set null", index)]
    pub ward_id: Option<i32>,
    #[column(references = User, on_delete = "set null")]
    pub organizer_id: Option<i32>,
    #[column(sql_type = "varchar(200)")]
    pub title: String,
    pub description: Option<String>,
    #[column(sql_type = "varchar(255)")]
    pub location: Option<String>,
    #[column(index)]
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    #[column(
        sql_type = "varchar(20)",
        default = "'planned'",
        check = "status IN ('planned', 'ongoing', 'completed', 'cancelled')",
        index
    )]
    pub status: String,
    #[column(sql_type = "numeric(12, 2)")]
    pub budget: Option<Decimal>,
    pub expected_participants: Option<i32>,
    #[column(default = "true")]
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Someone taking part in an activity: a user, or a resident known only by name.
#[derive(Table)]
#[table(
    name = "activity_participants",
    tenant = Tenant,
    timestamps,
    unique(activity_id, user_id)
)]
pub struct ActivityParticipant {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = Activity, on_delete = "cascade")]
    pub activity_id: i32,
    #[column(references = User, on_delete = "set null", index)]
    pub user_id: Option<i32>,
    #[column(sql_type = "varchar(200)")]
    pub participant_name: String,
    #[column(sql_type = "varchar(32)")]
    pub participant_phone: Option<String>,
    #[column(sql_type = "varchar(50)", default = "'attendee'")]
    pub role: String,
    #[column(default = "false")]
    pub attended: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The report written after an activity, and its approval.
#[derive(Table)]
#[table(name = "activity_reports", tenant = Tenant, timestamps)]
pub struct ActivityReport {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = Activity, on_delete = "cascade", index)]
    pub activity_id: i32,
    #[column(references = User, on_delete = "set null")]
    pub author_id: Option<i32>,
    #[column(sql_type = "varchar(200)")]
    pub title: String,
    pub summary: Option<String>,
    pub outcomes: Option<String>,
    #[column(default = "0")]
    pub participants_count: i32,
    #[column(sql_type = "numeric(12, 2)")]
    pub actual_cost: Option<Decimal>,
    pub submitted_at: Option<DateTime<Utc>>,
    #[column(references = User, on_delete = "set null")]
    pub approved_by: Option<i32>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
