//! Expressions PostgreSQL accepts, in every place the DSL takes one: casts, operators,
//! functions, quoted names, typed literals and keywords that are also column names.
use schema_core::Table;

#[derive(Table)]
#[table(
    name = "tickets",
    check(name = "tickets_window", expr = "closed_at IS NULL OR closed_at >= opened_at"),
    check(name = "tickets_code", expr = "code ~ '^[A-Z]{3}-[0-9]+$' AND char_length(code) <= 20"),
    index("lower(title)", "(priority * 2)", name = "tickets_lower_title_idx"),
    index(status, where = "status IN ('open', 'waiting') AND \"Legacy\" IS NOT TRUE")
)]
pub struct Ticket {
    #[column(primary_key)]
    pub id: i64,
    pub code: String,
    pub title: String,
    #[column(check = "priority BETWEEN 1 AND 5", default = "3")]
    pub priority: i32,
    #[column(default = "'open'", check = "status <> ''")]
    pub status: String,
    #[column(default = "'{}'::jsonb")]
    pub data: serde_json::Value,
    #[column(default = "now() - interval '1 day'")]
    pub opened_at: chrono::DateTime<chrono::Utc>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    #[column(name = "Legacy", default = "false")]
    pub legacy: bool,
    #[column(default = "E'line\\nbreak' || 'it''s'")]
    pub note: String,
}

fn main() {}
