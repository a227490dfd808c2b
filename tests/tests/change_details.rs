//! What a change says: every kind where an object exists on both sides but differs
//! names what the declaration expects and what the database has, part by part.

mod common;

use schema_core::diff::ChangeKind;
use schema_core::{SyncOptions, sync_with};

use common::accounts::Accounts;
use common::fresh;

/// The object and detail of the one change of `kind` that a dry run finds once `sql`
/// has drifted a freshly synced schema.
fn after(sql: &str, kind: ChangeKind) -> (String, String) {
    let (_db, mut client) = fresh();
    sync_with::<Accounts>(&mut client, &SyncOptions::development()).expect("initial sync");
    client.batch_execute(sql).expect("the drift");
    let report =
        sync_with::<Accounts>(&mut client, &SyncOptions::development().dry_run()).expect("plan");
    let found: Vec<_> = report.pending.iter().filter(|c| c.kind == kind).collect();
    assert_eq!(found.len(), 1, "one {kind:?} change: {report}");
    (found[0].object.clone(), found[0].detail.clone())
}

fn says(object: &str, detail: &str) -> (String, String) {
    (object.to_owned(), detail.to_owned())
}

#[test]
fn column_type() {
    assert_eq!(
        after(
            "ALTER TABLE accounts ALTER COLUMN email TYPE varchar(50)",
            ChangeKind::ColumnType
        ),
        says(
            "public.accounts.email",
            "expected character varying(100), found character varying(50)"
        )
    );
}

#[test]
fn column_nullability_both_ways() {
    assert_eq!(
        after(
            "ALTER TABLE accounts ALTER COLUMN nickname SET NOT NULL",
            ChangeKind::ColumnNullability
        ),
        says(
            "public.accounts.nickname",
            "expected nullable, found NOT NULL"
        )
    );
    assert_eq!(
        after(
            "ALTER TABLE notes ALTER COLUMN body DROP NOT NULL",
            ChangeKind::ColumnNullability
        ),
        says(
            "public.notes.body",
            "expected NOT NULL, found nullable: fails if any row holds NULL; backfill first"
        )
    );
}

#[test]
fn column_default() {
    assert_eq!(
        after(
            "ALTER TABLE accounts ALTER COLUMN credits SET DEFAULT 5",
            ChangeKind::ColumnDefault
        ),
        says("public.accounts.credits", "expected default 0, found 5")
    );
    assert_eq!(
        after(
            "ALTER TABLE accounts ALTER COLUMN plan DROP DEFAULT",
            ChangeKind::ColumnDefault
        ),
        says(
            "public.accounts.plan",
            "expected default 'free'::character varying, found none"
        )
    );
}

#[test]
fn column_identity() {
    assert_eq!(
        after(
            "ALTER TABLE notes ALTER COLUMN id DROP DEFAULT",
            ChangeKind::ColumnIdentity
        ),
        says(
            "public.notes.id",
            "expected serial, found no identity: change it in a migration"
        )
    );
}

#[test]
fn primary_key_differs() {
    assert_eq!(
        after(
            "ALTER TABLE notes DROP CONSTRAINT notes_pkey,
                 ADD CONSTRAINT notes_pkey PRIMARY KEY (id, account_id)",
            ChangeKind::PrimaryKeyDiffers
        ),
        says(
            "public.notes.notes_pkey",
            "expected notes_pkey (id), found notes_pkey (id, account_id)"
        )
    );
}

#[test]
fn unique_differs() {
    assert_eq!(
        after(
            "ALTER TABLE accounts DROP CONSTRAINT accounts_email_key,
                 ADD CONSTRAINT accounts_email_key UNIQUE (email, plan)",
            ChangeKind::UniqueDiffers
        ),
        says(
            "public.accounts.accounts_email_key",
            "expected accounts_email_key (email), found accounts_email_key (email, plan)"
        )
    );
}

#[test]
fn check_differs() {
    assert_eq!(
        after(
            "ALTER TABLE accounts DROP CONSTRAINT accounts_credits_check,
                 ADD CONSTRAINT accounts_credits_check CHECK (credits >= 10)",
            ChangeKind::CheckDiffers
        ),
        says(
            "public.accounts.accounts_credits_check",
            "expected (credits >= 0), found (credits >= 10)"
        )
    );
}

/// `notes_account_id_fkey` dropped and added back as `definition`.
fn foreign_key_as(definition: &str) -> (String, String) {
    after(
        &format!(
            "ALTER TABLE notes DROP CONSTRAINT notes_account_id_fkey,
                 ADD CONSTRAINT notes_account_id_fkey {definition}"
        ),
        ChangeKind::ForeignKeyDiffers,
    )
}

#[test]
fn foreign_key_differs_names_the_actions() {
    assert_eq!(
        foreign_key_as(
            "FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE RESTRICT \
             ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED"
        ),
        says(
            "public.notes.notes_account_id_fkey",
            "on delete: expected CASCADE, found RESTRICT; on update: expected NO ACTION, found \
             CASCADE; deferrable: expected NOT DEFERRABLE, found DEFERRABLE INITIALLY DEFERRED"
        )
    );
}

#[test]
fn foreign_key_differs_names_the_target() {
    assert_eq!(
        after(
            "CREATE SCHEMA archive;
             CREATE TABLE archive.accounts (id integer PRIMARY KEY);
             ALTER TABLE notes DROP CONSTRAINT notes_account_id_fkey,
                 ADD CONSTRAINT notes_account_id_fkey FOREIGN KEY (account_id)
                 REFERENCES archive.accounts (id) ON DELETE CASCADE",
            ChangeKind::ForeignKeyDiffers
        )
        .1,
        "target: expected public.accounts (id), found archive.accounts (id)"
    );
}

#[test]
fn foreign_key_differs_names_the_columns() {
    assert_eq!(
        foreign_key_as("FOREIGN KEY (id) REFERENCES accounts (id) ON DELETE CASCADE").1,
        "columns: expected (account_id), found (id)"
    );
}

#[test]
fn index_differs_names_what_differs() {
    assert_eq!(
        after(
            "DROP INDEX notes_account_id_body_idx;
             CREATE INDEX notes_account_id_body_idx ON notes (account_id)",
            ChangeKind::IndexDiffers
        ),
        says(
            "public.notes.notes_account_id_body_idx",
            "columns: expected (account_id, body), found (account_id); uniqueness: expected \
             unique, found not unique"
        )
    );
    assert_eq!(
        after(
            "DROP INDEX notes_account_id_body_idx;
             CREATE UNIQUE INDEX notes_account_id_body_idx ON notes USING btree (account_id, body)
                 WHERE body <> ''",
            ChangeKind::IndexDiffers
        )
        .1,
        "predicate: expected none, found (body <> ''::text)"
    );
    assert_eq!(
        after(
            "DROP INDEX accounts_plan_created_at_idx;
             CREATE INDEX accounts_plan_created_at_idx ON accounts USING hash (plan)",
            ChangeKind::IndexDiffers
        )
        .1,
        "columns: expected (plan, created_at), found (plan); method: expected btree, found hash"
    );
}

#[test]
fn enum_values_differ() {
    assert_eq!(
        after(
            "ALTER TYPE account_status ADD VALUE 'banned' BEFORE 'active'",
            ChangeKind::EnumValuesDiffer
        ),
        says(
            "public.account_status",
            "expected labels ('active', 'suspended', 'closed'), found ('banned', 'active', \
             'suspended', 'closed'): PostgreSQL cannot drop or reorder labels; write a migration \
             that creates a new type"
        )
    );
}

#[test]
fn comments_show_both_texts() {
    assert_eq!(
        after(
            "COMMENT ON TABLE notes IS 'notes, old text'",
            ChangeKind::Comment
        ),
        says(
            "public.notes",
            "expected 'free-form notes on accounts', found 'notes, old text'"
        )
    );
    assert_eq!(
        after(
            "COMMENT ON COLUMN accounts.billing_name IS NULL",
            ChangeKind::Comment
        ),
        says(
            "public.accounts.billing_name",
            "expected 'shown on invoices', found no comment"
        )
    );
    assert_eq!(
        after(
            "COMMENT ON COLUMN accounts.nickname IS 'what friends say'",
            ChangeKind::Comment
        ),
        says(
            "public.accounts.nickname",
            "expected no comment, found 'what friends say'"
        )
    );
}
