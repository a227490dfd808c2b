//! Council meetings: templates, meetings, attendance, agenda topics and resolutions.

use chrono::{DateTime, NaiveDate, Utc};
use schema_core::Table;

use super::{Tenant, User, Ward};

/// A standing kind of meeting (council session, ward committee, ...) with its defaults.
#[derive(Table)]
#[table(name = "meeting_templates", tenant = Tenant, timestamps, unique(tenant_id, name))]
pub struct MeetingTemplate {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(150)")]
    pub name: String,
    #[column(sql_type = "varchar(50)")]
    pub meeting_type: String,
    pub default_agenda: Option<String>,
    #[column(default = "60")]
    pub default_duration_minutes: i32,
    /// Members needed for decisions to be valid.
    pub quorum_required: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A meeting, from scheduling to its minutes.
#[derive(Table)]
#[table(name = "meetings", tenant = Tenant, timestamps, soft_delete)]
pub struct Meeting {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = MeetingTemplate, on_delete = "set null")]
    pub template_id: Option<i32>,
    #[column(references = Ward, on_delete = "set null", index)]
    pub ward_id: Option<i32>,
    #[column(sql_type = "varchar(200)")]
    pub title: String,
    #[column(sql_type = "varchar(50)")]
    pub meeting_type: String,
    #[column(index)]
    pub scheduled_at: DateTime<Utc>,
    #[column(default = "60")]
    pub duration_minutes: i32,
    #[column(sql_type = "varchar(255)")]
    pub location: Option<String>,
    #[column(
        sql_type = "varchar(20)",
        default = "'scheduled'",
        check = "status IN ('scheduled', 'in_progress', 'completed', 'cancelled', 'postponed')",
        index
    )]
    pub status: String,
    #[column(references = User, on_delete = "set null")]
    pub chaired_by: Option<i32>,
    pub minutes: Option<String>,
    #[column(default = "false")]
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// An invitee of a meeting, with their reply and whether they came.
#[derive(Table)]
#[table(
    name = "meeting_attendees",
    tenant = Tenant,
    timestamps,
    unique(meeting_id, user_id)
)]
pub struct MeetingAttendee {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = Meeting, on_delete = "cascade")]
    pub meeting_id: i32,
    #[column(references = User, on_delete = "set null", index)]
    pub user_id: Option<i32>,
    #[column(sql_type = "varchar(200)")]
    pub attendee_name: String,
    #[column(sql_type = "varchar(50)")]
    pub attendee_role: Option<String>,
    #[column(sql_type = "varchar(20)", default = "'pending'")]
    pub rsvp_status: String,
    #[column(default = "false")]
    pub attended: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An agenda item, in agenda order.
#[derive(Table)]
#[table(name = "meeting_topics", tenant = Tenant, timestamps)]
pub struct MeetingTopic {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = Meeting, on_delete = "cascade", index)]
    pub meeting_id: i32,
    #[column(default = "0")]
    pub position: i32,
    #[column(sql_type = "varchar(200)")]
    pub title: String,
    pub description: Option<String>,
    #[column(references = User, on_delete = "set null")]
    pub presenter_id: Option<i32>,
    pub duration_minutes: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A resolution voted on in a meeting, numbered uniquely within a tenant.
#[derive(Table)]
#[table(
    name = "meeting_resolutions",
    tenant = Tenant,
    timestamps,
    unique(tenant_id, resolution_number)
)]
pub struct MeetingResolution {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(references = Meeting, on_delete = "cascade", index)]
    pub meeting_id: i32,
    #[column(references = MeetingTopic, on_delete = "set null")]
    pub topic_id: Option<i32>,
    #[column(sql_type = "varchar(50)")]
    pub resolution_number: String,
    #[column(sql_type = "varchar(200)")]
    pub title: String,
    pub body: String,
    #[column(default = "0")]
    pub votes_for: i32,
    #[column(default = "0")]
    pub votes_against: i32,
    #[column(default = "0")]
    pub abstentions: i32,
    #[column(default = "false")]
    pub passed: bool,
    pub effective_date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
