//! `generate` for the tenancy objects: a migration that turns on row-level security,
//! adds the tenant-safe keys and a live-only unique goes up to a schema that verifies
//! clean, and down to the catalog it started from.

use std::fs;

use schema_core::migrate;
use schema_core::{Outcome, Target, verify};

use crate::common::{assert_same_catalog, catalog_lines, fresh};
use crate::fixtures::{from_dir, options};

#[allow(dead_code)] // Declarations: only their descriptors are used.
mod v1 {
    use chrono::{DateTime, Utc};
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "orgs")]
    pub struct Org {
        #[column(primary_key, identity)]
        pub id: i64,
    }

    #[derive(Table)]
    #[table(name = "members", tenant = Org, soft_delete)]
    pub struct Member {
        #[column(primary_key, identity)]
        pub id: i64,
        pub tenant_id: i64,
        pub email: String,
        pub deleted_at: Option<DateTime<Utc>>,
    }

    #[derive(Table)]
    #[table(name = "tasks", tenant = Org)]
    pub struct Task {
        #[column(primary_key, identity)]
        pub id: i64,
        pub tenant_id: i64,
        #[column(references = Member)]
        pub member_id: i64,
    }

    schema_set!(pub Work = [Org, Member, Task]);
}

#[allow(dead_code)] // Declarations: only their descriptors are used.
mod v2 {
    use chrono::{DateTime, Utc};
    use schema_core::{Table, schema_set};

    #[derive(Table)]
    #[table(name = "orgs")]
    pub struct Org {
        #[column(primary_key, identity)]
        pub id: i64,
    }

    #[derive(Table)]
    #[table(
        name = "members",
        tenant = Org,
        soft_delete,
        row_security(force),
        tenant_keys,
        live_unique(tenant_id, email)
    )]
    pub struct Member {
        #[column(primary_key, identity)]
        pub id: i64,
        pub tenant_id: i64,
        pub email: String,
        pub deleted_at: Option<DateTime<Utc>>,
    }

    #[derive(Table)]
    #[table(name = "tasks", tenant = Org, row_security)]
    pub struct Task {
        #[column(primary_key, identity)]
        pub id: i64,
        pub tenant_id: i64,
        #[column(references = Member, tenant_safe)]
        pub member_id: i64,
    }

    schema_set!(pub Work = [Org, Member, Task]);
}

#[test]
fn row_security_and_tenant_keys_migrate_up_and_down() {
    let (_db, mut client) = fresh();
    let o = options();
    let dir = tempfile::tempdir().expect("a folder");
    let migrations = dir.path().join("migrations");
    migrate::generate::<v1::Work>(&mut client, &migrations, "initial", &o)
        .expect("generate")
        .expect("a migration");
    migrate::up(&mut client, &from_dir(&migrations), &Target::default(), &o).expect("up");
    let before = catalog_lines(&mut client, "public");

    let second = migrate::generate::<v2::Work>(&mut client, &migrations, "tenancy", &o)
        .expect("generate")
        .expect("a migration");
    let up = fs::read_to_string(&second.files.up).expect("the up file");
    for expected in [
        "ALTER TABLE \"public\".\"members\" ENABLE ROW LEVEL SECURITY;",
        "ALTER TABLE \"public\".\"members\" FORCE ROW LEVEL SECURITY;",
        "CREATE POLICY \"members_tenant_isolation\" ON \"public\".\"members\" FOR ALL TO PUBLIC \
         USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::bigint))",
        "CREATE POLICY \"tasks_tenant_isolation\" ON \"public\".\"tasks\"",
        "UNIQUE (\"tenant_id\", \"id\")",
        "FOREIGN KEY (\"tenant_id\", \"member_id\") REFERENCES \"public\".\"members\" (\"tenant_id\", \"id\")",
        "CREATE UNIQUE INDEX",
    ] {
        assert!(up.contains(expected), "missing `{expected}` in:\n{up}");
    }
    let down = fs::read_to_string(second.files.down.as_ref().expect("a down file")).expect("down");
    for expected in [
        "DROP POLICY \"members_tenant_isolation\" ON \"public\".\"members\";",
        "ALTER TABLE \"public\".\"members\" NO FORCE ROW LEVEL SECURITY;",
        "ALTER TABLE \"public\".\"members\" DISABLE ROW LEVEL SECURITY;",
        "DROP POLICY \"tasks_tenant_isolation\" ON \"public\".\"tasks\";",
    ] {
        assert!(down.contains(expected), "missing `{expected}` in:\n{down}");
    }

    let set = from_dir(&migrations);
    migrate::up(&mut client, &set, &Target::default(), &o).expect("up");
    let verified = verify::<v2::Work>(&mut client).expect("verify");
    assert_eq!(verified.outcome, Outcome::UpToDate, "{verified}");
    assert!(verified.unmanaged.is_empty(), "{verified}");
    assert!(
        migrate::generate::<v2::Work>(&mut client, &migrations, "again", &o)
            .expect("generate")
            .is_none(),
        "nothing left to generate"
    );

    migrate::down(&mut client, &set, &Target::default(), &o).expect("down");
    let after = catalog_lines(&mut client, "public");
    assert_same_catalog("before", &before, "after down", &after);
}
