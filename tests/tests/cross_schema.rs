//! References from a table in a named schema to a table that names none: the target is
//! in the sync's default schema, not beside the referencing table. Cold sync, the
//! comparison with a database built by hand, a restored key and a generated migration
//! all agree on that.

mod common;

use postgres::Client;
use schema_core::canonical::canonicalize;
use schema_core::diff::{ChangeKind, Safety, diff, summary};
use schema_core::introspect::introspect;
use schema_core::migrate::{self, Migrations};
use schema_core::sync::{sync_schema, verify_schema};
use schema_core::{ExpectedSchema, Outcome, SchemaSet, SyncOptions, Target};

use common::{assert_same_catalog, catalog_lines, fresh};

/// Organizations in the default schema; integrations in their own schema, scoped to an
/// organization and billed to one.
#[allow(dead_code)] // Declarations: only their descriptors are used.
mod v2 {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "organizations")]
    pub struct Organization {
        #[column(primary_key, serial)]
        pub id: i32,
        pub name: String,
    }

    #[derive(Table)]
    #[table(name = "connections", schema = "integrations", tenant = Organization)]
    pub struct Connection {
        #[column(primary_key, serial)]
        pub id: i32,
        pub tenant_id: i32,
        #[column(references = Organization, on_delete = "set null")]
        pub billed_to: Option<i32>,
        pub provider: String,
    }

    #[derive(Table)]
    #[table(name = "webhooks", schema = "integrations")]
    pub struct Webhook {
        #[column(primary_key, serial)]
        pub id: i32,
        #[column(references = Connection, on_delete = "cascade")]
        pub connection_id: i32,
    }

    schema_set!(pub Integrations = [Organization, Connection, Webhook]);
}

/// The same set before connections were billed to an organization.
#[allow(dead_code)] // Declarations: only their descriptors are used.
mod v1 {
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "organizations")]
    pub struct Organization {
        #[column(primary_key, serial)]
        pub id: i32,
        pub name: String,
    }

    #[derive(Table)]
    #[table(name = "connections", schema = "integrations", tenant = Organization)]
    pub struct Connection {
        #[column(primary_key, serial)]
        pub id: i32,
        pub tenant_id: i32,
        pub provider: String,
    }

    #[derive(Table)]
    #[table(name = "webhooks", schema = "integrations")]
    pub struct Webhook {
        #[column(primary_key, serial)]
        pub id: i32,
        #[column(references = Connection, on_delete = "cascade")]
        pub connection_id: i32,
    }

    schema_set!(pub Integrations = [Organization, Connection, Webhook]);
}

const SET: ExpectedSchema = v2::Integrations::EXPECTED_SCHEMA;

/// The set as hand-written SQL, with the organizations in `public`.
const BY_HAND: &str = r#"
    CREATE TABLE public.organizations (
        id serial CONSTRAINT organizations_pkey PRIMARY KEY,
        name text NOT NULL
    );
    CREATE SCHEMA integrations;
    CREATE TABLE integrations.connections (
        id serial CONSTRAINT connections_pkey PRIMARY KEY,
        tenant_id integer NOT NULL
            CONSTRAINT connections_tenant_id_fkey REFERENCES public.organizations (id)
            ON DELETE CASCADE,
        billed_to integer
            CONSTRAINT connections_billed_to_fkey REFERENCES public.organizations (id)
            ON DELETE SET NULL,
        provider text NOT NULL
    );
    CREATE INDEX connections_tenant_id_idx ON integrations.connections (tenant_id);
    CREATE TABLE integrations.webhooks (
        id serial CONSTRAINT webhooks_pkey PRIMARY KEY,
        connection_id integer NOT NULL
            CONSTRAINT webhooks_connection_id_fkey REFERENCES integrations.connections (id)
            ON DELETE CASCADE
    );
"#;

/// Every foreign key of the database as `name → schema.table` of its target.
fn targets(client: &mut Client) -> Vec<String> {
    client
        .query(
            "SELECT format('%s → %s.%s', k.conname, n.nspname, t.relname)
             FROM pg_catalog.pg_constraint k
             JOIN pg_catalog.pg_class t ON t.oid = k.confrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
             WHERE k.contype = 'f'
             ORDER BY 1",
            &[],
        )
        .expect("the foreign keys")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

fn expected_targets(default_schema: &str) -> Vec<String> {
    vec![
        format!("connections_billed_to_fkey → {default_schema}.organizations"),
        format!("connections_tenant_id_fkey → {default_schema}.organizations"),
        "webhooks_connection_id_fkey → integrations.connections".to_owned(),
    ]
}

/// A full comparison (introspect, canonicalize, diff), never the fast path, finds nothing.
fn assert_no_difference(client: &mut Client, default_schema: &str) {
    let declared = canonicalize(client, &SET.catalog(), default_schema).expect("canonicalize");
    let live = introspect(client, &[default_schema, "integrations"]).expect("introspect");
    let changes = diff(&declared, &live, default_schema);
    assert!(changes.is_empty(), "{}", summary(&changes));
}

#[test]
fn a_cold_sync_points_the_keys_at_the_default_schema() {
    for default_schema in ["public", "acme"] {
        let (_db, mut client) = fresh();
        let target = Target::new(default_schema).unwrap();
        let options = SyncOptions::development();
        let report = sync_schema(&mut client, &SET, &target, &options).expect("cold sync");
        assert_eq!(report.outcome, Outcome::Applied, "{report}");
        assert_eq!(targets(&mut client), expected_targets(default_schema));

        let verified = verify_schema(&mut client, &SET, &target, &options).expect("verify");
        assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
        assert!(verified.unmanaged.is_empty(), "{verified}");
        assert_no_difference(&mut client, default_schema);
    }
}

#[test]
fn a_database_built_by_hand_verifies_and_a_dropped_key_comes_back_to_the_default_schema() {
    let (_db, mut client) = fresh();
    client.batch_execute(BY_HAND).expect("the hand-written SQL");
    let options = SyncOptions::development();
    let verified = verify_schema(&mut client, &SET, &Target::default(), &options).expect("verify");
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    assert!(verified.unmanaged.is_empty(), "{verified}");

    client
        .batch_execute(
            "ALTER TABLE integrations.connections DROP CONSTRAINT connections_billed_to_fkey",
        )
        .unwrap();
    let plan = sync_schema(
        &mut client,
        &SET,
        &Target::default(),
        &options.clone().dry_run(),
    )
    .expect("dry run");
    let kinds: Vec<_> = plan.pending.iter().map(|c| (c.kind, c.safety)).collect();
    assert_eq!(
        kinds,
        [(ChangeKind::MissingForeignKey, Safety::Safe)],
        "{plan}"
    );
    let sql = plan.statements().join("\n");
    assert!(
        sql.contains("REFERENCES \"public\".\"organizations\" (\"id\")"),
        "{sql}"
    );

    let report = sync_schema(&mut client, &SET, &Target::default(), &options).expect("sync");
    assert_eq!(report.outcome, Outcome::Applied, "{report}");
    assert_eq!(targets(&mut client), expected_targets("public"));
    assert_no_difference(&mut client, "public");
}

#[test]
fn generated_migrations_reference_the_default_schema_and_revert() {
    let (_db, mut client) = fresh();
    let options = SyncOptions::development();
    let dir = tempfile::tempdir().expect("a folder");
    let folder = dir.path().join("migrations");
    let empty = catalog_lines(&mut client, "public");

    migrate::generate::<v1::Integrations>(&mut client, &folder, "integrations", &options)
        .expect("generate")
        .expect("a migration");
    let set = Migrations::from_dir(&folder).expect("the folder");
    migrate::up(&mut client, &set, &Target::default(), &options).expect("up");
    let verified = verify_schema(
        &mut client,
        &v1::Integrations::EXPECTED_SCHEMA,
        &Target::default(),
        &options,
    )
    .expect("verify");
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    let before = (
        catalog_lines(&mut client, "public"),
        catalog_lines(&mut client, "integrations"),
    );

    let second = migrate::generate::<v2::Integrations>(&mut client, &folder, "billing", &options)
        .expect("generate")
        .expect("a migration");
    let up = std::fs::read_to_string(&second.files.up).expect("the up file");
    assert!(
        up.contains(
            "ALTER TABLE \"integrations\".\"connections\" ADD CONSTRAINT \
             \"connections_billed_to_fkey\" FOREIGN KEY (\"billed_to\") REFERENCES \
             \"public\".\"organizations\" (\"id\") ON DELETE SET NULL;"
        ),
        "{up}"
    );
    let set = Migrations::from_dir(&folder).expect("the folder");
    assert_eq!(
        migrate::up(&mut client, &set, &Target::default(), &options)
            .expect("up")
            .versions(),
        [2]
    );
    let verified = verify_schema(&mut client, &SET, &Target::default(), &options).expect("verify");
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    assert!(verified.unmanaged.is_empty(), "{verified}");
    assert_eq!(targets(&mut client), expected_targets("public"));
    assert_no_difference(&mut client, "public");

    assert_eq!(
        migrate::down(&mut client, &set, &Target::default(), &options)
            .expect("down")
            .versions(),
        [2]
    );
    assert_same_catalog(
        "reverted",
        &catalog_lines(&mut client, "integrations"),
        "before",
        &before.1,
    );
    assert_same_catalog(
        "reverted",
        &catalog_lines(&mut client, "public"),
        "before",
        &before.0,
    );
    migrate::down(&mut client, &set, &Target::default(), &options).expect("down");
    assert_same_catalog(
        "after reverting both",
        &catalog_lines(&mut client, "public"),
        "empty",
        &empty,
    );
    assert!(
        catalog_lines(&mut client, "integrations").is_empty(),
        "only the schema is left"
    );
}

/// An enum type that names no schema, used by a table in another schema.
#[allow(dead_code)] // Declarations: only their descriptors are used.
mod enums {
    use schema_core::{SqlEnum, Table, schema_set};

    #[derive(SqlEnum)]
    #[sql_enum(name = "feed_kind")]
    pub enum FeedKind {
        Rss,
        Atom,
    }

    #[derive(Table)]
    #[table(name = "feeds", schema = "integrations")]
    pub struct Feed {
        #[column(primary_key, serial)]
        pub id: i32,
        #[column(default = "'rss'")]
        pub kind: FeedKind,
        pub kinds: Vec<FeedKind>,
    }

    #[derive(Table)]
    #[table(name = "sources")]
    pub struct Source {
        #[column(primary_key, serial)]
        pub id: i32,
        pub kind: Option<FeedKind>,
    }

    schema_set!(pub Feeds = [Feed, Source]);
}

#[test]
fn an_enum_type_that_names_no_schema_is_in_the_default_schema() {
    let set = enums::Feeds::EXPECTED_SCHEMA;
    for default_schema in ["public", "acme"] {
        let (_db, mut client) = fresh();
        let target = Target::new(default_schema).unwrap();
        let options = SyncOptions::development();
        let report = sync_schema(&mut client, &set, &target, &options).expect("cold sync");
        assert_eq!(report.outcome, Outcome::Applied, "{report}");
        let where_types: Vec<String> = client
            .query(
                "SELECT n.nspname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE t.typname = 'feed_kind'",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(where_types, [default_schema]);

        client
            .batch_execute("ALTER TABLE integrations.feeds ALTER COLUMN kind DROP DEFAULT")
            .unwrap();
        let repaired = sync_schema(&mut client, &set, &target, &options).expect("repair");
        let kinds: Vec<_> = repaired.applied.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ChangeKind::ColumnDefault], "{repaired}");
        let declared = canonicalize(&mut client, &set.catalog(), default_schema).unwrap();
        let live = introspect(&mut client, &[default_schema, "integrations"]).unwrap();
        let changes = diff(&declared, &live, default_schema);
        assert!(changes.is_empty(), "{}", summary(&changes));
    }
}
