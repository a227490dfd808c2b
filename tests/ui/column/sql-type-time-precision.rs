use chrono::{DateTime, Utc};
use schema_core::Table;

// Fractional seconds go from 0 to 6 digits.
#[derive(Table)]
#[table(name = "readings")]
pub struct Reading {
    #[column(primary_key)]
    pub id: i32,
    #[column(sql_type = "timestamp(9) with time zone")]
    pub taken_at: DateTime<Utc>,
    #[column(sql_type = "timestamptz(ms)")]
    pub stored_at: DateTime<Utc>,
}

fn main() {}
