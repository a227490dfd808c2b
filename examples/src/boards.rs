//! The task boards the examples declare, with their `migrations/` folder: tables (001), a
//! column added with a backfill (002) and an index built concurrently, outside a
//! transaction (003). The structs declare where the migrations lead, so sync and verify
//! agree with them; the service both migrates and syncs at start-up.

use chrono::{DateTime, Utc};
use schema_core::migrate::{Migrations, embed_migrations};
use schema_core::{Table, schema_set};

/// Checked at compile time: a malformed folder (a duplicate version, a down file without
/// its up file, a name that does not parse) is a compile error naming the file.
pub static MIGRATIONS: Migrations = embed_migrations!("migrations");

#[derive(Table)]
#[table(name = "boards", timestamps)]
pub struct Board {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(80)")]
    pub name: String,
    /// Added by migration 002, which computes it for existing boards.
    #[column(sql_type = "varchar(80)", unique)]
    pub slug: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Table)]
#[table(name = "cards", index(board_id, sort_order))]
pub struct Card {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Board, on_delete = "cascade")]
    pub board_id: i32,
    pub title: String,
    #[column(default = "0")]
    pub sort_order: i32,
}

schema_set!(pub Boards = [Board, Card]);
