//! Drift against a real PostgreSQL: each change kind is made with SQL, found exactly,
//! fixed (or refused) as the policy says, and no row is lost.

mod common;

use postgres::Client;
use schema_core::diff::{ChangeKind, Safety};
use schema_core::sync::sync_schema;
use schema_core::{Outcome, SchemaSet, SyncOptions, SyncReport, Target, sync_with, verify};

use common::accounts::{Accounts, Members, WithOptional, synced};
use common::{count, fresh};

fn dev() -> SyncOptions {
    SyncOptions::development()
}

fn dry(client: &mut Client) -> SyncReport {
    sync_with::<Accounts>(client, &dev().dry_run()).expect("dry run")
}

/// The single pending change of a dry run, asserted to be of `kind` and `safety`.
fn only_change(client: &mut Client, kind: ChangeKind, safety: Safety) -> SyncReport {
    let report = dry(client);
    assert_eq!(report.outcome, Outcome::Planned, "{report}");
    let kinds: Vec<_> = report.pending.iter().map(|c| (c.kind, c.safety)).collect();
    assert_eq!(kinds, [(kind, safety)], "{report}");
    report
}

fn assert_converged(client: &mut Client) {
    let report = verify::<Accounts>(client).expect("verify");
    assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
    assert!(report.unmanaged.is_empty(), "{report}");
}

fn assert_rows_kept(client: &mut Client) {
    assert_eq!(count(client, "accounts"), 3);
    assert_eq!(count(client, "notes"), 2);
}

/// Makes drift with `sql`, expects exactly one safe change of `kind`, applies it in
/// development mode, and checks that the schema converged and no row was lost.
fn safe_fix(sql: &str, kind: ChangeKind) {
    let (_db, mut client) = synced();
    client.batch_execute(sql).unwrap();
    only_change(&mut client, kind, Safety::Safe);
    let report = sync_with::<Accounts>(&mut client, &dev()).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_eq!(report.applied.len(), 1, "{report}");
    assert_converged(&mut client);
    assert_rows_kept(&mut client);
}

/// Makes drift with `sql`, expects one change of `kind` and `safety`, checks that a
/// development sync leaves it alone, then applies it with the matching opt-in.
fn opt_in_fix(sql: &str, kind: ChangeKind, safety: Safety) {
    let (_db, mut client) = synced();
    client.batch_execute(sql).unwrap();
    only_change(&mut client, kind, safety);

    let refused = sync_with::<Accounts>(&mut client, &dev()).unwrap();
    assert_eq!(refused.outcome, Outcome::Drifted, "{refused}");
    assert!(refused.applied.is_empty(), "{refused}");
    only_change(&mut client, kind, safety);

    let mut options = dev();
    options.allow_review = true;
    options.allow_destructive = safety == Safety::Destructive;
    let report = sync_with::<Accounts>(&mut client, &options).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_converged(&mut client);
    assert_rows_kept(&mut client);
}

#[test]
fn missing_table_is_created() {
    let (_db, mut client) = synced();
    client.batch_execute("DROP TABLE notes").unwrap();
    let report = only_change(&mut client, ChangeKind::MissingTable, Safety::Safe);
    let sql = report.statements().join("\n");
    assert!(sql.contains("CREATE TABLE \"public\".\"notes\""), "{sql}");
    assert!(
        sql.contains("CREATE INDEX \"notes_account_id_idx\""),
        "{sql}"
    );
    sync_with::<Accounts>(&mut client, &dev()).unwrap();
    assert_converged(&mut client);
    assert_eq!(count(&mut client, "accounts"), 3);
}

#[test]
fn missing_nullable_column_is_added() {
    safe_fix(
        "ALTER TABLE accounts DROP COLUMN nickname",
        ChangeKind::MissingColumn,
    );
}

#[test]
fn missing_defaulted_column_is_added() {
    safe_fix(
        "ALTER TABLE accounts DROP COLUMN status",
        ChangeKind::MissingColumn,
    );
}

#[test]
fn missing_not_null_column_without_default_needs_review() {
    let (_db, mut client) = synced();
    client
        .batch_execute("ALTER TABLE notes DROP COLUMN body CASCADE")
        .unwrap();
    let plan = dry(&mut client);
    let kinds: Vec<_> = plan.pending.iter().map(|c| (c.kind, c.safety)).collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::MissingColumn, Safety::Review),
            (ChangeKind::MissingColumn, Safety::Review),
            (ChangeKind::MissingIndex, Safety::Review)
        ],
        "dropping the column dropped the generated column and the index on it too, which \
         now wait for the column: {plan}"
    );
    let report = sync_with::<Accounts>(&mut client, &dev()).unwrap();
    assert_eq!(report.outcome, Outcome::Drifted, "{report}");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("NOT NULL without a default")),
        "{report}"
    );
    assert_eq!(count(&mut client, "notes"), 2);

    // Once the table is empty (say, after a migration moved the rows), the opt-in works.
    client.batch_execute("DELETE FROM notes").unwrap();
    let mut options = dev();
    options.allow_review = true;
    let report = sync_with::<Accounts>(&mut client, &options).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_converged(&mut client);
}

#[test]
fn missing_index_is_built_concurrently() {
    safe_fix("DROP INDEX notes_account_id_idx", ChangeKind::MissingIndex);
}

#[test]
fn missing_multi_column_index_is_built() {
    safe_fix(
        "DROP INDEX accounts_plan_created_at_idx",
        ChangeKind::MissingIndex,
    );
}

#[test]
fn missing_check_is_added_and_validated() {
    safe_fix(
        "ALTER TABLE accounts DROP CONSTRAINT accounts_credits_check",
        ChangeKind::MissingCheck,
    );
}

#[test]
fn missing_foreign_key_is_added_and_validated() {
    safe_fix(
        "ALTER TABLE notes DROP CONSTRAINT notes_account_id_fkey",
        ChangeKind::MissingForeignKey,
    );
}

#[test]
fn changed_check_needs_review() {
    opt_in_fix(
        "ALTER TABLE accounts DROP CONSTRAINT accounts_plan_check;
         ALTER TABLE accounts ADD CONSTRAINT accounts_plan_check CHECK (plan IN ('free', 'pro', 'team'))",
        ChangeKind::CheckDiffers,
        Safety::Review,
    );
}

#[test]
fn widened_type_needs_review() {
    opt_in_fix(
        "ALTER TABLE accounts ALTER COLUMN email TYPE varchar(50)",
        ChangeKind::ColumnType,
        Safety::Review,
    );
}

#[test]
fn narrowing_type_is_destructive_and_needs_the_opt_in() {
    opt_in_fix(
        "ALTER TABLE accounts ALTER COLUMN email TYPE text",
        ChangeKind::ColumnType,
        Safety::Destructive,
    );
}

#[test]
fn not_null_on_a_nullable_column_is_dropped_safely() {
    safe_fix(
        "UPDATE accounts SET nickname = '' WHERE nickname IS NULL;
         ALTER TABLE accounts ALTER COLUMN nickname SET NOT NULL",
        ChangeKind::ColumnNullability,
    );
}

#[test]
fn set_not_null_needs_review() {
    opt_in_fix(
        "ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL",
        ChangeKind::ColumnNullability,
        Safety::Review,
    );
}

#[test]
fn changed_default_is_restored() {
    safe_fix(
        "ALTER TABLE accounts ALTER COLUMN plan SET DEFAULT 'pro'",
        ChangeKind::ColumnDefault,
    );
}

#[test]
fn dropped_default_is_restored() {
    safe_fix(
        "ALTER TABLE accounts ALTER COLUMN credits DROP DEFAULT",
        ChangeKind::ColumnDefault,
    );
}

#[test]
fn changed_comment_is_restored() {
    safe_fix(
        "COMMENT ON TABLE notes IS 'something else'",
        ChangeKind::Comment,
    );
}

#[test]
fn missing_column_comment_is_restored() {
    safe_fix(
        "COMMENT ON COLUMN accounts.billing_name IS NULL",
        ChangeKind::Comment,
    );
}

#[test]
fn missing_enum_value_is_added_in_declared_order() {
    let (_db, mut client) = fresh();
    client
        .batch_execute("CREATE TYPE account_status AS ENUM ('active', 'closed')")
        .unwrap();
    let report = dry(&mut client);
    let added: Vec<String> = report
        .pending
        .iter()
        .filter(|c| c.kind == ChangeKind::MissingEnumValue)
        .flat_map(|c| c.sql())
        .collect();
    assert_eq!(
        added,
        [
            "ALTER TYPE \"public\".\"account_status\" ADD VALUE IF NOT EXISTS 'suspended' AFTER 'active'"
        ]
    );
    sync_with::<Accounts>(&mut client, &dev()).unwrap();
    let labels: Vec<String> = client
        .query("SELECT unnest(enum_range(NULL::account_status))::text", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(labels, ["active", "suspended", "closed"]);
    assert_converged(&mut client);
}

#[test]
fn missing_enum_type_is_created_before_the_table() {
    let (_db, mut client) = fresh();
    let report = dry(&mut client);
    let kinds: Vec<ChangeKind> = report.pending.iter().map(|c| c.kind).collect();
    // The trigger function and trigger of `timestamps = "trigger"` follow the tables.
    assert_eq!(
        kinds,
        [
            ChangeKind::MissingEnum,
            ChangeKind::MissingTable,
            ChangeKind::MissingTable,
            ChangeKind::MissingFunction,
            ChangeKind::MissingTrigger
        ]
    );
}

#[test]
fn unmanaged_objects_are_reported_and_never_dropped() {
    let (_db, mut client) = synced();
    client
        .batch_execute(
            "CREATE TABLE legacy (id int);
             ALTER TABLE accounts ADD COLUMN legacy_code text;
             CREATE INDEX accounts_nickname_idx ON accounts (nickname);
             ALTER TABLE accounts ADD CONSTRAINT accounts_nickname_check CHECK (nickname <> '')",
        )
        .unwrap();
    let mut options = dev();
    options.allow_destructive = true;
    let report = sync_with::<Accounts>(&mut client, &options).unwrap();
    let mut kinds: Vec<ChangeKind> = report.unmanaged.iter().map(|c| c.kind).collect();
    kinds.sort_by_key(|k| k.code());
    assert_eq!(
        kinds,
        [
            ChangeKind::UnmanagedColumn,
            ChangeKind::UnmanagedConstraint,
            ChangeKind::UnmanagedIndex,
            ChangeKind::UnmanagedTable
        ],
        "{report}"
    );
    assert!(report.applied.is_empty(), "{report}");
    assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
    let still_there: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname IN ('legacy', 'accounts_nickname_idx')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(still_there, 2);
    client
        .batch_execute("SELECT legacy_code FROM accounts")
        .unwrap();
}

#[test]
fn a_second_sync_sends_no_ddl() {
    let (_db, mut client) = synced();
    let before: i64 = client
        .query_one("SELECT count(*) FROM schema_versions", &[])
        .unwrap()
        .get(0);
    let report = sync_with::<Accounts>(&mut client, &dev()).unwrap();
    assert_eq!(report.outcome, Outcome::UpToDate);
    assert!(report.fast_path);
    assert!(report.statements().is_empty());
    let after: i64 = client
        .query_one("SELECT count(*) FROM schema_versions", &[])
        .unwrap()
        .get(0);
    assert_eq!(before, after, "a sync that changes nothing records nothing");
}

#[test]
fn the_fast_path_notices_drift() {
    let (_db, mut client) = synced();
    client
        .batch_execute("DROP INDEX notes_account_id_idx")
        .unwrap();
    let report = verify::<Accounts>(&mut client).unwrap();
    assert!(!report.fast_path);
    assert_eq!(report.outcome, Outcome::Drifted);
}

#[test]
fn history_records_what_a_sync_did() {
    let (_db, mut client) = synced();
    let row = client
        .query_one(
            "SELECT kind, outcome, environment, array_length(statements, 1), fingerprint, live_digest IS NOT NULL
             FROM schema_versions ORDER BY id DESC LIMIT 1",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "sync");
    assert_eq!(row.get::<_, String>(1), "applied");
    assert_eq!(row.get::<_, String>(2), "development");
    assert!(
        row.get::<_, i32>(3) >= 5,
        "the enum, two tables, their indexes"
    );
    assert_eq!(row.get::<_, String>(4).len(), 64);
    assert!(row.get::<_, bool>(5));
}

#[test]
fn a_failed_sync_rolls_back_and_is_recorded() {
    let (_db, mut client) = synced();
    // A NOT NULL column without a default cannot be added to a table with rows.
    client
        .batch_execute(
            "ALTER TABLE notes DROP COLUMN body CASCADE; DROP INDEX notes_account_id_idx",
        )
        .unwrap();
    let mut options = dev();
    options.allow_review = true;
    let err = sync_with::<Accounts>(&mut client, &options).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("ADD COLUMN \"body\" text NOT NULL"), "{text}");
    assert!(
        text.contains("23502") || text.contains("contains null values"),
        "{text}"
    );
    assert!(text.contains("rolled back"), "{text}");
    let outcome: String = client
        .query_one(
            "SELECT outcome FROM schema_versions ORDER BY id DESC LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(outcome, "failed");
    let index_exists: bool = client
        .query_one(
            "SELECT to_regclass('notes_account_id_idx') IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(
        !index_exists,
        "the index built before the failure was rolled back too"
    );
}

#[test]
fn renamed_table_and_column_are_renamed_not_recreated() {
    let (_db, mut client) = fresh();
    client
        .batch_execute(
            "CREATE TABLE people (id serial PRIMARY KEY, full_name text NOT NULL,
                                  email text UNIQUE, team text);
             CREATE INDEX people_full_name_idx ON people (full_name);
             CREATE INDEX people_team_idx ON people (team);
             INSERT INTO people (full_name, email) VALUES ('Ada', 'ada@x'), ('Grace', NULL);",
        )
        .unwrap();
    let plan = sync_with::<Members>(&mut client, &dev().dry_run()).unwrap();
    let kinds: Vec<ChangeKind> = plan.pending.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::RenamedTable,
            ChangeKind::RenamedConstraint,
            ChangeKind::RenamedConstraint,
            ChangeKind::RenamedIndex,
            ChangeKind::RenamedIndex,
            ChangeKind::RenamedColumn,
        ],
        "{plan}"
    );
    assert!(plan.pending.iter().all(|c| c.safety == Safety::Safe));
    assert!(plan.unmanaged.is_empty(), "{plan}");
    assert_eq!(
        plan.statements()[1..5],
        [
            "ALTER TABLE \"public\".\"members\" RENAME CONSTRAINT \"people_pkey\" TO \"members_pkey\"",
            "ALTER TABLE \"public\".\"members\" RENAME CONSTRAINT \"people_email_key\" TO \"members_email_key\"",
            "ALTER INDEX \"public\".\"people_full_name_idx\" RENAME TO \"members_display_name_idx\"",
            "ALTER INDEX \"public\".\"people_team_idx\" RENAME TO \"members_team_idx\"",
        ]
    );

    sync_with::<Members>(&mut client, &dev()).unwrap();
    let names: Vec<String> = client
        .query("SELECT display_name FROM members ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["Ada", "Grace"]);
    let report = verify::<Members>(&mut client).unwrap();
    assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
    assert!(report.unmanaged.is_empty(), "{report}");
}

#[test]
fn production_refuses_a_missing_required_table_and_changes_nothing() {
    let (_db, mut client) = synced();
    client.batch_execute("DROP TABLE notes").unwrap();
    let tables_before = common::catalog_lines(&mut client, "public");
    let err = sync_with::<Accounts>(&mut client, &SyncOptions::production()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("required table public.notes is missing"),
        "{text}"
    );
    assert_eq!(common::catalog_lines(&mut client, "public"), tables_before);
}

#[test]
fn production_warns_about_a_missing_optional_table() {
    let (_db, mut client) = fresh();
    let report = sync_with::<WithOptional>(&mut client, &SyncOptions::production()).unwrap();
    assert_eq!(report.outcome, Outcome::Drifted);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("optional table public.audit_trail is missing")),
        "{report}"
    );
    let exists: bool = client
        .query_one("SELECT to_regclass('audit_trail') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(!exists);
}

#[test]
fn production_with_auto_sync_applies_safe_changes() {
    let (_db, mut client) = synced();
    client
        .batch_execute("DROP INDEX notes_account_id_idx")
        .unwrap();
    let options = SyncOptions::from_vars(|name| match name {
        "APP_ENV" => Some("production".into()),
        "ENABLE_AUTO_SYNC" => Some("true".into()),
        _ => None,
    })
    .unwrap();
    let report = sync_with::<Accounts>(&mut client, &options).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_converged(&mut client);
}

#[test]
fn a_dry_run_touches_nothing() {
    let (_db, mut client) = fresh();
    let report = dry(&mut client);
    assert_eq!(report.outcome, Outcome::Planned);
    assert!(!report.statements().is_empty());
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "not even the history table");
}

#[test]
fn twenty_replicas_starting_at_once_all_succeed_and_one_applies() {
    let (db, _client) = fresh();
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|_| {
                scope.spawn(|| {
                    let mut client = db.connect().unwrap();
                    sync_with::<Accounts>(&mut client, &dev()).map(|r| r.outcome)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().expect("every replica succeeds"))
            .collect()
    });
    let applied = outcomes.iter().filter(|o| **o == Outcome::Applied).count();
    assert_eq!(applied, 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Applied | Outcome::UpToDate))
    );
    let mut client = db.connect().unwrap();
    let recorded: i64 = client
        .query_one("SELECT count(*) FROM schema_versions", &[])
        .unwrap()
        .get(0);
    assert_eq!(recorded, 1, "exactly one sync recorded");
    assert_converged(&mut client);
}

fn history_rows(client: &mut Client) -> Vec<String> {
    client
        .query("SELECT outcome FROM schema_versions ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn an_outside_change_that_still_matches_rearms_the_fast_path() {
    let (_db, mut client) = synced();
    client
        .batch_execute("CREATE INDEX accounts_nickname_idx ON accounts (nickname)")
        .unwrap();

    let first = sync_with::<Accounts>(&mut client, &dev()).unwrap();
    assert!(!first.fast_path, "the digest moved");
    assert_eq!(first.outcome, Outcome::UpToDate, "{first}");
    assert!(first.statements().is_empty());
    assert_eq!(history_rows(&mut client), ["applied", "verified"]);

    let second = sync_with::<Accounts>(&mut client, &dev()).unwrap();
    assert!(second.fast_path, "{second}");
    assert_eq!(
        history_rows(&mut client),
        ["applied", "verified"],
        "nothing more recorded"
    );
}

#[test]
fn production_verification_writes_nothing() {
    let (_db, mut client) = synced();
    client
        .batch_execute("CREATE INDEX accounts_nickname_idx ON accounts (nickname)")
        .unwrap();
    for _ in 0..2 {
        let report = sync_with::<Accounts>(&mut client, &SyncOptions::production()).unwrap();
        assert_eq!(report.outcome, Outcome::UpToDate, "{report}");
        assert!(!report.fast_path);
    }
    assert_eq!(history_rows(&mut client), ["applied"]);
}

#[test]
fn an_invalid_index_is_rebuilt_and_a_failed_rebuild_retried() {
    let (_db, mut client) = synced();
    // A concurrent build that fails (here on a duplicate) leaves an invalid index with the
    // declared name and definition behind.
    client
        .batch_execute(
            "DROP INDEX notes_account_id_body_idx;
             INSERT INTO notes (account_id, body) VALUES (1, 'one');",
        )
        .unwrap();
    let failed = client.batch_execute(
        "CREATE UNIQUE INDEX CONCURRENTLY notes_account_id_body_idx ON notes (account_id, body)",
    );
    let error = failed
        .expect_err("the duplicate makes the build fail")
        .to_string();
    assert!(error.contains("db error"), "{error:?}");
    let report = only_change(&mut client, ChangeKind::InvalidIndex, Safety::Safe);
    assert_eq!(
        report.statements(),
        [
            "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"notes_account_id_body_idx\"",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"notes_account_id_body_idx\" ON \"public\".\"notes\" (\"account_id\", \"body\")",
        ]
    );

    // The rebuild fails on the same duplicate: a warning, and the broken index is gone.
    let report = sync_with::<Accounts>(&mut client, &dev()).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("next sync retries it")),
        "{report}"
    );
    only_change(&mut client, ChangeKind::MissingIndex, Safety::Safe);

    // Once the data allows it, the next sync builds it.
    client
        .batch_execute("DELETE FROM notes WHERE id = 3")
        .unwrap();
    sync_with::<Accounts>(&mut client, &dev()).unwrap();
    assert_converged(&mut client);
    assert_rows_kept(&mut client);
}

#[test]
fn a_not_valid_constraint_is_validated() {
    safe_fix(
        "ALTER TABLE accounts DROP CONSTRAINT accounts_credits_check;
         ALTER TABLE accounts ADD CONSTRAINT accounts_credits_check CHECK (credits >= 0) NOT VALID",
        ChangeKind::UnvalidatedConstraint,
    );
}

#[test]
fn a_role_that_owns_only_its_schema_can_sync_it() {
    let (db, mut client) = fresh();
    let role = format!("{}_owner", db.name());
    client
        .batch_execute(&format!(
            "CREATE ROLE \"{role}\" NOLOGIN;
             CREATE SCHEMA app AUTHORIZATION \"{role}\";
             REVOKE CREATE ON DATABASE \"{db}\" FROM PUBLIC;
             SET ROLE \"{role}\";",
            db = db.name()
        ))
        .unwrap();
    let target = Target::new("app").unwrap();
    let options = dev();
    let report = sync_schema(&mut client, &Accounts::EXPECTED_SCHEMA, &target, &options).unwrap();
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert!(
        sync_schema(&mut client, &Accounts::EXPECTED_SCHEMA, &target, &options)
            .unwrap()
            .fast_path
    );

    // Repairing drift needs no privilege beyond what the repair itself needs.
    client
        .batch_execute("DROP INDEX app.notes_account_id_idx")
        .unwrap();
    let repaired = sync_schema(&mut client, &Accounts::EXPECTED_SCHEMA, &target, &options).unwrap();
    assert_eq!(repaired.outcome, Outcome::Applied, "{repaired}");
    let again = sync_schema(&mut client, &Accounts::EXPECTED_SCHEMA, &target, &options).unwrap();
    assert!(
        again.fast_path && again.outcome == Outcome::UpToDate,
        "{again}"
    );

    client
        .batch_execute(&format!(
            "RESET ROLE; DROP SCHEMA app CASCADE; DROP ROLE \"{role}\";"
        ))
        .unwrap();
}

#[test]
fn index_options_the_declaration_lacks_need_review() {
    opt_in_fix(
        "DROP INDEX notes_account_id_idx;
         CREATE INDEX notes_account_id_idx ON notes (account_id DESC)",
        ChangeKind::IndexDiffers,
        Safety::Review,
    );
}

#[test]
fn an_exclusion_constraint_is_reported_and_kept() {
    let (_db, mut client) = synced();
    client
        .batch_execute(
            "ALTER TABLE notes ADD CONSTRAINT notes_body_excl EXCLUDE USING btree (body WITH =)",
        )
        .unwrap();
    let mut options = dev();
    options.allow_destructive = true;
    let report = sync_with::<Accounts>(&mut client, &options).unwrap();
    let unmanaged: Vec<(ChangeKind, &str)> = report
        .unmanaged
        .iter()
        .map(|c| (c.kind, c.object.as_str()))
        .collect();
    assert_eq!(
        unmanaged,
        [(
            ChangeKind::UnmanagedConstraint,
            "public.notes.notes_body_excl"
        )],
        "{report}"
    );
    assert!(
        report.unmanaged[0]
            .detail
            .contains("EXCLUDE USING btree (body WITH =)"),
        "{report}"
    );
    let kept: bool = client
        .query_one(
            "SELECT count(*) = 1 FROM pg_constraint WHERE conname = 'notes_body_excl'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(kept);
}
