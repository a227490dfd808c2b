//! The small schema the drift tests change behind the toolkit's back.

use chrono::{DateTime, Utc};
use postgres::Client;
use schema_core::testing::TestDatabase;
use schema_core::{SqlEnum, SyncOptions, Table, schema_set, sync_with};

#[derive(SqlEnum)]
#[sql_enum(name = "account_status")]
pub enum AccountStatus {
    Active,
    Suspended,
    Closed,
}

#[derive(Table)]
#[table(name = "accounts", timestamps = "trigger", index(plan, created_at))]
pub struct Account {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(100)", unique)]
    pub email: String,
    pub nickname: Option<String>,
    #[column(default = "'active'")]
    pub status: AccountStatus,
    #[column(
        sql_type = "varchar(20)",
        default = "'free'",
        check = "plan IN ('free', 'pro')"
    )]
    pub plan: String,
    #[column(default = "0", check = "credits >= 0")]
    pub credits: i64,
    #[column(comment = "shown on invoices")]
    pub billing_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Table)]
#[table(
    name = "notes",
    comment = "free-form notes on accounts",
    index(account_id, body, unique, name = "notes_account_id_body_idx")
)]
pub struct Note {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Account, on_delete = "cascade", index)]
    pub account_id: i32,
    pub body: String,
    #[column(generated = "length(body)")]
    pub body_length: Option<i32>,
}

schema_set!(pub Accounts = [Account, Note]);

/// The same table under a new name, with a renamed column.
#[derive(Table)]
#[table(name = "members", renamed_from = "people")]
pub struct Member {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(renamed_from = "full_name", index)]
    pub display_name: String,
    #[column(unique)]
    pub email: Option<String>,
    #[column(index)]
    pub team: Option<String>,
}
schema_set!(pub Members = [Member]);

/// A set whose only table is optional.
#[derive(Table)]
#[table(name = "audit_trail", optional)]
pub struct AuditTrail {
    #[column(primary_key, identity)]
    pub id: i64,
    pub event: String,
}
schema_set!(pub WithOptional = [AuditTrail]);

/// A database with [`Accounts`] applied and a few rows in it.
pub fn synced() -> (TestDatabase, Client) {
    let (db, mut client) = super::fresh();
    sync_with::<Accounts>(&mut client, &SyncOptions::development()).expect("initial sync");
    client
        .batch_execute(
            "INSERT INTO accounts (email, nickname) VALUES ('a@x', 'a'), ('b@x', NULL), ('c@x', 'c');
             INSERT INTO notes (account_id, body) VALUES (1, 'one'), (2, 'two');",
        )
        .unwrap();
    (db, client)
}
