//! Introspection and canonicalization against a real PostgreSQL.

#[path = "introspect/proxy.rs"]
mod proxy;

use std::borrow::Cow;
use std::time::Instant;

use postgres::Client;
use schema_core::canonical::{CanonicalizeError, canonicalize};
use schema_core::catalog::UnmodeledKind;
use schema_core::introspect::{existing_tables, introspect, normalize};
use schema_core::testing::TestDatabase;
use schema_core::{
    Catalog, CheckDef, ColumnDef, Deferrable, EnumDef, FkAction, ForeignKeyDef, Identity, IndexDef,
    KeyDef, SqlType, TableDef, TableOptions, Text,
};

use proxy::Proxy;

const EVERY_KIND: &str = include_str!("introspect/every_kind.sql");
const MANY_TABLES: &str = include_str!("introspect/many_tables.sql");

// ---- building expected descriptors -------------------------------------------------

fn text(s: &str) -> Text {
    Cow::Owned(s.to_owned())
}

fn texts(items: &[&str]) -> Cow<'static, [Text]> {
    Cow::Owned(items.iter().map(|s| text(s)).collect())
}

/// A nullable column without default, identity or comment.
fn col(name: &str, sql_type: SqlType) -> ColumnDef {
    ColumnDef {
        name: text(name),
        sql_type,
        array: false,
        nullable: true,
        default: None,
        identity: None,
        generated: None,
        comment: None,
        renamed_from: Cow::Borrowed(&[]),
    }
}

trait ColumnExt {
    fn not_null(self) -> Self;
    fn array(self) -> Self;
    fn default(self, expression: &str) -> Self;
    fn identity(self, identity: Identity) -> Self;
    fn comment(self, comment: &str) -> Self;
}

impl ColumnExt for ColumnDef {
    fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }
    fn array(mut self) -> Self {
        self.array = true;
        self
    }
    fn default(mut self, expression: &str) -> Self {
        self.default = Some(text(expression));
        self
    }
    fn identity(mut self, identity: Identity) -> Self {
        self.identity = Some(identity);
        self
    }
    fn comment(mut self, comment: &str) -> Self {
        self.comment = Some(text(comment));
        self
    }
}

/// A table as introspection reports it: schema set, live options, nothing else yet.
fn table(schema: &str, name: &str, columns: Vec<ColumnDef>) -> TableDef {
    TableDef {
        schema: Some(text(schema)),
        name: text(name),
        columns: Cow::Owned(columns),
        primary_key: None,
        uniques: Cow::Borrowed(&[]),
        checks: Cow::Borrowed(&[]),
        foreign_keys: Cow::Borrowed(&[]),
        indexes: Cow::Borrowed(&[]),
        comment: None,
        row_security: Default::default(),
        policies: Default::default(),
        options: TableOptions::LIVE,
    }
}

fn key(name: &str, columns: &[&str]) -> KeyDef {
    KeyDef {
        name: text(name),
        columns: texts(columns),
    }
}

fn check(name: &str, expression: &str) -> CheckDef {
    CheckDef {
        name: text(name),
        expression: text(expression),
    }
}

fn index(name: &str, columns: &[&str]) -> IndexDef {
    IndexDef {
        name: text(name),
        columns: texts(columns),
        unique: false,
        method: None,
        predicate: None,
    }
}

fn enum_def(schema: &str, name: &str, values: &[&str]) -> EnumDef {
    EnumDef {
        schema: Some(text(schema)),
        name: text(name),
        values: texts(values),
    }
}

fn fk(
    name: &str,
    columns: &[&str],
    ref_schema: &str,
    ref_table: &str,
    ref_columns: &[&str],
) -> ForeignKeyDef {
    ForeignKeyDef {
        name: text(name),
        columns: texts(columns),
        ref_schema: Some(text(ref_schema)),
        ref_table: text(ref_table),
        ref_columns: texts(ref_columns),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        deferrable: Deferrable::NotDeferrable,
        set_columns: Default::default(),
    }
}

// ---- fixtures ----------------------------------------------------------------------

fn database() -> (TestDatabase, Client) {
    let db = TestDatabase::create().expect("test database");
    let client = db.connect().expect("connection to the test database");
    (db, client)
}

/// Creates `count` tables (each with serial key, self-reference, unique, enum default,
/// check, partial index and comment) in schema `many`.
fn create_many_tables(client: &mut Client, count: usize) {
    client
        .query_one(
            "SELECT set_config('fixture.tables', $1, false)",
            &[&count.to_string()],
        )
        .expect("fixture setting");
    client.batch_execute(MANY_TABLES).expect("many tables");
}

/// What `every_kind.sql` reads back as.
fn every_kind_expected() -> Catalog {
    let status = enum_def("app", "status", &["new", "active", "closed"]);
    let level = enum_def("ref", "level", &["low", "high"]);
    let mood = enum_def("public", "mood", &["ok"]);

    let mut accounts = table(
        "app",
        "accounts",
        vec![
            col("id", SqlType::Integer)
                .not_null()
                .identity(Identity::Serial),
            col("big", SqlType::BigInt)
                .not_null()
                .identity(Identity::Always),
            col("small", SqlType::SmallInt)
                .not_null()
                .identity(Identity::ByDefault),
            col("legacy", SqlType::Integer).default("nextval('app.legacy_seq'::regclass)"),
            col("status", SqlType::Enum(status.clone()))
                .not_null()
                .default("'new'::app.status"),
            col("levels", SqlType::Enum(level.clone())).array(),
            col("mood", SqlType::Enum(mood)),
            col("tags", SqlType::Text)
                .array()
                .not_null()
                .default("'{}'::text[]"),
            col("email", SqlType::Varchar(Some(255)))
                .not_null()
                .comment("Login name"),
            col("nickname", SqlType::Varchar(None)),
            col("balance", SqlType::Numeric(Some((12, 2))))
                .not_null()
                .default("0"),
            col("ratio", SqlType::Numeric(None)),
            col("code", SqlType::Char(3)),
            col("flag", SqlType::Boolean),
            col("r", SqlType::Real),
            col("d", SqlType::DoublePrecision),
            col("b", SqlType::Bytea),
            col("born", SqlType::Date),
            col("at", SqlType::Time),
            col("attz", SqlType::TimeTz),
            col("ts", SqlType::Timestamp),
            col("tstz", SqlType::TimestampTz)
                .not_null()
                .default("now()"),
            col("iv", SqlType::Interval),
            col("u", SqlType::Uuid),
            col("j", SqlType::Json),
            col("jb", SqlType::Jsonb),
            col("ip", SqlType::Inet),
            col("net", SqlType::Cidr),
            col("mac", SqlType::MacAddr),
            col("doc", SqlType::Other(text("tsvector"))),
            col(
                "ts3",
                SqlType::Other(text("timestamp(3) without time zone")),
            ),
            col("scores", SqlType::Integer).array(),
            col("names", SqlType::Varchar(Some(20))).array(),
            col("country", SqlType::Char(2)),
            col("region", SqlType::Text),
        ],
    );
    accounts.primary_key = Some(key("accounts_pkey", &["id"]));
    accounts.uniques = Cow::Owned(vec![
        key("accounts_email_key", &["email"]),
        key("accounts_region_country_key", &["region", "country"]),
    ]);
    accounts.checks = Cow::Owned(vec![check(
        "accounts_balance_check",
        "(balance >= (0)::numeric)",
    )]);
    accounts.foreign_keys = Cow::Owned(vec![
        ForeignKeyDef {
            on_delete: FkAction::Restrict,
            deferrable: Deferrable::InitiallyImmediate,
            set_columns: Default::default(),
            ..fk(
                "accounts_country_fkey",
                &["country"],
                "ref",
                "countries",
                &["code"],
            )
        },
        ForeignKeyDef {
            on_delete: FkAction::SetNull,
            on_update: FkAction::Cascade,
            deferrable: Deferrable::InitiallyDeferred,
            set_columns: Default::default(),
            ..fk(
                "accounts_region_fkey",
                &["country", "region"],
                "ref",
                "regions",
                &["country", "code"],
            )
        },
    ]);
    accounts.indexes = Cow::Owned(vec![
        IndexDef {
            predicate: Some(text("(status = 'active'::app.status)")),
            ..index("accounts_active_idx", &["email"])
        },
        IndexDef {
            unique: true,
            ..index("accounts_lower_email_idx", &["(lower(email::text))", "id"])
        },
        IndexDef {
            method: Some(text("gin")),
            ..index("accounts_tags_idx", &["tags"])
        },
    ]);
    accounts.comment = Some(text("Customer accounts"));

    let mut events = table(
        "app",
        "events",
        vec![
            col("id", SqlType::BigInt).not_null(),
            col("day", SqlType::Date).not_null(),
            col("account", SqlType::Integer),
        ],
    );
    events.primary_key = Some(key("events_pkey", &["id", "day"]));
    events.foreign_keys = Cow::Owned(vec![ForeignKeyDef {
        on_delete: FkAction::Cascade,
        ..fk(
            "events_account_fkey",
            &["account"],
            "app",
            "accounts",
            &["id"],
        )
    }]);
    events.indexes = Cow::Owned(vec![index("events_day_idx", &["day"])]);

    let mut countries = table(
        "ref",
        "countries",
        vec![
            col("code", SqlType::Char(2)).not_null(),
            col("name", SqlType::Varchar(Some(100))).not_null(),
        ],
    );
    countries.primary_key = Some(key("countries_pkey", &["code"]));
    countries.comment = Some(text("ISO 3166 countries"));

    let mut regions = table(
        "ref",
        "regions",
        vec![
            col("country", SqlType::Char(2)).not_null(),
            col("code", SqlType::Text).not_null(),
        ],
    );
    regions.primary_key = Some(key("regions_pkey", &["country", "code"]));

    Catalog {
        tables: vec![accounts, events, countries, regions],
        enums: vec![status, level],
        views: vec![schema_core::ViewDef {
            schema: Some(text("app")),
            name: text("recent"),
            body: text(" SELECT 1 AS one;"),
            security_invoker: false,
            reads: Cow::Borrowed(&[]),
        }],
        ..Default::default()
    }
}

// ---- introspection -----------------------------------------------------------------

#[test]
fn reads_every_kind_of_object() {
    let (_db, mut client) = database();
    client.batch_execute(EVERY_KIND).expect("fixture");

    let catalog = introspect(&mut client, &["app", "ref"]).expect("introspection");
    let expected = every_kind_expected();

    // Table by table first, so a failure shows one table rather than the whole catalog.
    let names = |c: &Catalog| -> Vec<String> {
        c.tables
            .iter()
            .map(|t| format!("{}.{}", t.schema.as_deref().unwrap_or("?"), t.name))
            .collect()
    };
    assert_eq!(names(&catalog), names(&expected));
    for (actual, expected) in catalog.tables.iter().zip(&expected.tables) {
        assert_eq!(actual, expected);
    }
    assert_eq!(catalog, expected);
}

#[test]
fn reads_only_the_schemas_asked_for() {
    let (_db, mut client) = database();
    client.batch_execute(EVERY_KIND).expect("fixture");

    let catalog = introspect(&mut client, &["ref"]).expect("introspection");
    let names: Vec<&str> = catalog.tables.iter().map(|t| &*t.name).collect();
    assert_eq!(names, ["countries", "regions"]);
    assert_eq!(catalog.enums, [enum_def("ref", "level", &["low", "high"])]);

    let nothing = introspect(&mut client, &["no_such_schema"]).expect("introspection");
    assert_eq!(nothing, Catalog::default());
}

#[test]
fn lists_existing_tables_in_one_query() {
    let (db, _client) = database();
    let proxy = Proxy::start(db.config()).expect("proxy");
    let mut client = proxy.connect().expect("connection through the proxy");
    client.batch_execute(EVERY_KIND).expect("fixture");

    let before = proxy.statements();
    let tables = existing_tables(&mut client, &["app", "ref", "public"]).expect("tables");
    assert_eq!(proxy.statements() - before, 1);
    let expected = [
        ("app", "accounts"),
        ("app", "events"),
        ("public", "outside"),
        ("ref", "countries"),
        ("ref", "regions"),
    ];
    let tables: Vec<(&str, &str)> = tables.iter().map(|(s, t)| (&**s, &**t)).collect();
    assert_eq!(tables, expected);
}

#[test]
fn query_count_does_not_grow_with_the_number_of_tables() {
    let (db, _client) = database();
    let proxy = Proxy::start(db.config()).expect("proxy");
    let mut client = proxy.connect().expect("connection through the proxy");
    client
        .batch_execute("CREATE SCHEMA one; CREATE TABLE one.t (id serial PRIMARY KEY)")
        .expect("one table");
    create_many_tables(&mut client, 200);

    let count = |client: &mut Client, schema: &str| {
        let before = proxy.statements();
        let catalog = introspect(client, &[schema]).expect("introspection");
        (proxy.statements() - before, catalog.tables.len())
    };
    let (for_one, one) = count(&mut client, "one");
    let (for_many, many) = count(&mut client, "many");
    assert_eq!((one, many), (1, 200));
    assert_eq!(for_one, for_many, "queries for 1 table vs 200 tables");
    assert_eq!(for_one, 9, "one query per kind of object");
}

#[test]
fn introspects_500_tables() {
    let (_db, mut client) = database();
    create_many_tables(&mut client, 500);

    let started = Instant::now();
    let catalog = introspect(&mut client, &["many"]).expect("introspection");
    let elapsed = started.elapsed();
    println!(
        "introspecting 500 tables ({} columns, {} indexes) took {elapsed:.1?}",
        catalog
            .tables
            .iter()
            .map(|t| t.columns.len())
            .sum::<usize>(),
        catalog
            .tables
            .iter()
            .map(|t| t.indexes.len())
            .sum::<usize>(),
    );
    assert_eq!(catalog.tables.len(), 500);
    let t1 = catalog.table("many", "t1", "public").expect("t1");
    assert_eq!(t1.columns.len(), 7);
    assert_eq!(t1.checks.len(), 1);
    assert_eq!(t1.foreign_keys.len(), 1);
    assert_eq!(t1.uniques.len(), 1);
    assert_eq!(t1.indexes.len(), 1);

    let started = Instant::now();
    let canonical = canonicalize(&mut client, &catalog, "public").expect("canonicalization");
    println!(
        "canonicalizing the same 500 tables took {:.1?}",
        started.elapsed()
    );
    assert_eq!(canonical, catalog);
}

#[test]
fn normalize_sorts_objects_by_name_and_keeps_column_order() {
    let mut t = table(
        "s",
        "t",
        vec![col("b", SqlType::Text), col("a", SqlType::Text)],
    );
    t.uniques = Cow::Owned(vec![key("z", &["b", "a"]), key("y", &["a"])]);
    t.checks = Cow::Owned(vec![check("z", "true"), check("a", "true")]);
    t.indexes = Cow::Owned(vec![index("i2", &["b"]), index("i1", &["a"])]);
    let mut catalog = Catalog {
        tables: vec![t.clone(), table("a", "z", vec![]), table("a", "b", vec![])],
        enums: vec![enum_def("s", "e2", &[]), enum_def("s", "e1", &[])],
        ..Default::default()
    };
    normalize(&mut catalog);

    let names: Vec<String> = catalog
        .tables
        .iter()
        .map(|t| format!("{}.{}", t.schema.as_deref().unwrap_or("?"), t.name))
        .collect();
    assert_eq!(names, ["a.b", "a.z", "s.t"]);
    let t = &catalog.tables[2];
    assert_eq!(t.columns[0].name, "b");
    assert_eq!(t.uniques[0], key("y", &["a"]));
    assert_eq!(t.uniques[1], key("z", &["b", "a"]));
    assert_eq!(t.checks[0].name, "a");
    assert_eq!(t.indexes[0].name, "i1");
    assert_eq!(catalog.enums[0].name, "e1");
}

// ---- canonicalization --------------------------------------------------------------

/// A declaration as the derive would write it: expressions in the author's words,
/// constraints in declaration order, one table without a schema.
fn declared_shop() -> Catalog {
    let status = EnumDef {
        schema: Some(Cow::Borrowed("shop")),
        name: Cow::Borrowed("status"),
        values: Cow::Borrowed(&[Cow::Borrowed("draft"), Cow::Borrowed("paid")]),
    };
    let mut orders = table(
        "shop",
        "orders",
        vec![
            col("id", SqlType::Integer)
                .not_null()
                .identity(Identity::Serial),
            col("state", SqlType::Enum(status.clone()))
                .not_null()
                .default("'draft'"),
            col("kind", SqlType::Varchar(Some(10))).not_null(),
            col("total", SqlType::Numeric(Some((10, 2))))
                .not_null()
                .default("'0'"),
            col("created", SqlType::TimestampTz)
                .not_null()
                .default("now()"),
            col("seq", SqlType::BigInt)
                .not_null()
                .identity(Identity::Always),
            col("code", SqlType::Other(text("int4"))).default("1 + 1"),
            col("labels", SqlType::Text).array().default("'{}'"),
        ],
    );
    orders.primary_key = Some(key("orders_pkey", &["id"]));
    orders.checks = Cow::Owned(vec![
        check("orders_kind_check", "kind IN ('a','b')"),
        check("orders_code_check", "code > 0"),
    ]);
    orders.indexes = Cow::Owned(vec![
        IndexDef {
            predicate: Some(text("state = 'paid'")),
            ..index("orders_paid_idx", &["created"])
        },
        IndexDef {
            method: Some(text("btree")),
            ..index("orders_kind_idx", &["(lower(kind))", "id"])
        },
        IndexDef {
            method: Some(text("gin")),
            ..index("orders_labels_idx", &["labels"])
        },
    ]);

    let mut notes = table(
        "public",
        "notes",
        vec![
            col("id", SqlType::Integer).not_null(),
            col("order_id", SqlType::Integer).not_null(),
            col("body", SqlType::Text).not_null().default("''"),
        ],
    );
    notes.schema = None;
    notes.primary_key = Some(key("notes_pkey", &["id"]));
    notes.checks = Cow::Owned(vec![check("notes_body_check", "length(body) < 1000")]);
    notes.foreign_keys = Cow::Owned(vec![ForeignKeyDef {
        on_delete: FkAction::Cascade,
        ..fk("notes_order_fkey", &["order_id"], "shop", "orders", &["id"])
    }]);

    Catalog {
        tables: vec![orders, notes],
        enums: vec![status],
        ..Default::default()
    }
}

/// The same objects as [`declared_shop`], as hand-written DDL.
const SHOP_DDL: &str = r#"
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('draft', 'paid');
CREATE TABLE shop.orders (
    id serial,
    state shop.status NOT NULL DEFAULT 'draft',
    kind varchar(10) NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT '0',
    created timestamptz NOT NULL DEFAULT now(),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    code int4 DEFAULT 1 + 1,
    labels text[] DEFAULT '{}',
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_kind_check CHECK (kind IN ('a','b')),
    CONSTRAINT orders_code_check CHECK (code > 0)
);
CREATE INDEX orders_paid_idx ON shop.orders (created) WHERE state = 'paid';
CREATE INDEX orders_kind_idx ON shop.orders (lower(kind), id);
CREATE INDEX orders_labels_idx ON shop.orders USING gin (labels);
CREATE TABLE public.notes (
    id integer NOT NULL,
    order_id integer NOT NULL,
    body text NOT NULL DEFAULT '',
    CONSTRAINT notes_pkey PRIMARY KEY (id),
    CONSTRAINT notes_body_check CHECK (length(body) < 1000),
    CONSTRAINT notes_order_fkey FOREIGN KEY (order_id) REFERENCES shop.orders (id)
        ON DELETE CASCADE
);
"#;

/// Canonicalizes [`declared_shop`] and compares it with the introspection of the same
/// objects created from [`SHOP_DDL`], under the session's `search_path`.
fn canonical_equals_live(search_path: &str) -> Catalog {
    let (_db, mut client) = database();
    client
        .query_one(
            "SELECT set_config('search_path', $1, false)",
            &[&search_path],
        )
        .expect("search path");
    client.batch_execute(SHOP_DDL).expect("shop DDL");

    let declared = declared_shop();
    let mut canonical = canonicalize(&mut client, &declared, "public").expect("canonicalize");
    let live = introspect(&mut client, &["public", "shop"]).expect("introspection");

    // Declared metadata stays as declared: the table without a schema keeps `None`.
    assert_eq!(canonical.tables[1].schema, None);
    canonical.tables[1].schema = Some(text("public"));
    normalize(&mut canonical);
    let mut live_sorted = live.clone();
    normalize(&mut live_sorted);
    assert_eq!(canonical, live_sorted);
    live
}

#[test]
fn canonical_declaration_equals_the_live_objects() {
    let live = canonical_equals_live(r#""$user", public"#);
    let orders = live.table("shop", "orders", "public").expect("orders");
    let default = |name: &str| orders.column(name).and_then(|c| c.default.as_deref());
    // `shop` is not on the search path: names in it print qualified.
    assert_eq!(default("state"), Some("'draft'::shop.status"));
    assert_eq!(default("total"), Some("'0'::numeric"));
    assert_eq!(default("created"), Some("now()"));
    assert_eq!(default("id"), None);
    assert_eq!(
        orders.column("code").map(|c| &c.sql_type),
        Some(&SqlType::Integer)
    );
    let kind_check = orders.checks.iter().find(|c| c.name == "orders_kind_check");
    assert_eq!(
        kind_check.map(|c| &*c.expression),
        Some(
            "((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"
        )
    );
}

#[test]
fn canonical_text_follows_the_search_path() {
    let live = canonical_equals_live("shop, public");
    let orders = live.table("shop", "orders", "public").expect("orders");
    let state = orders.column("state").and_then(|c| c.default.as_deref());
    assert_eq!(state, Some("'draft'::status"));
}

#[test]
fn canonicalize_leaves_nothing_behind() {
    let (_db, mut client) = database();
    let path_before: String = client
        .query_one("SHOW search_path", &[])
        .expect("search path")
        .get(0);

    canonicalize(&mut client, &declared_shop(), "public").expect("canonicalize");

    let leftovers: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'schema\\_core\\_scratch%'",
            &[],
        )
        .expect("schemas")
        .get(0);
    assert_eq!(leftovers, 0);
    let path_after: String = client
        .query_one("SHOW search_path", &[])
        .expect("search path")
        .get(0);
    assert_eq!(path_after, path_before);
    let tables = existing_tables(&mut client, &["public", "shop"]).expect("tables");
    assert!(tables.is_empty(), "{tables:?}");
}

#[test]
fn canonicalize_names_the_rejected_object() {
    let (_db, mut client) = database();
    let mut declared = declared_shop();
    declared.tables[1].checks = Cow::Owned(vec![check("notes_body_check", "body IN (")]);

    let error = canonicalize(&mut client, &declared, "public").expect_err("invalid check");
    assert!(
        matches!(error, CanonicalizeError::Rejected { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains(r#"table "public"."notes""#), "{message}");
    assert!(message.contains("42601"), "{message}");
    assert!(message.contains("syntax error"), "{message}");

    // The transaction was rolled back: the connection is usable and nothing remains.
    let leftovers: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'schema\\_core\\_scratch%'",
            &[],
        )
        .expect("connection still usable")
        .get(0);
    assert_eq!(leftovers, 0);
}

#[test]
fn introspection_errors_show_the_server_message() {
    let (_db, mut client) = database();
    let mut tx = client.transaction().expect("transaction");
    tx.batch_execute("SET LOCAL statement_timeout = 1; SELECT pg_sleep(0.1)")
        .expect_err("timeout");
    let error = introspect(&mut tx, &["public"]).expect_err("aborted transaction");
    let message = error.to_string();
    assert!(message.contains("25P02"), "{message}");
    assert!(
        message.contains("current transaction is aborted"),
        "{message}"
    );
}

#[test]
fn reports_what_the_model_cannot_express() {
    let (_db, mut client) = database();
    client
        .batch_execute(
            "CREATE TABLE t (a int, b text, r int4range);
             CREATE INDEX t_desc ON t (a DESC);
             CREATE INDEX t_opclass ON t (b text_pattern_ops);
             CREATE INDEX t_collation ON t (b COLLATE \"C\");
             CREATE INDEX t_include ON t (a) INCLUDE (b);
             CREATE UNIQUE INDEX t_nulls ON t (a) NULLS NOT DISTINCT;
             CREATE INDEX t_plain ON t (a);
             ALTER TABLE t ADD CONSTRAINT t_excl EXCLUDE USING gist (r WITH &&);",
        )
        .unwrap();
    let catalog = introspect(&mut client, &["public"]).unwrap();
    let remarks: Vec<(&str, UnmodeledKind, &str)> = catalog
        .unmodeled
        .iter()
        .map(|u| (u.name.as_str(), u.kind, u.detail.as_str()))
        .collect();
    use UnmodeledKind::{ExclusionConstraint, IndexOptions};
    assert_eq!(
        remarks,
        [
            (
                "t_collation",
                IndexOptions,
                "a key has a non-default collation"
            ),
            ("t_desc", IndexOptions, "a key sorts DESC or NULLS FIRST"),
            (
                "t_excl",
                ExclusionConstraint,
                "EXCLUDE USING gist (r WITH &&)"
            ),
            ("t_include", IndexOptions, "INCLUDE columns"),
            ("t_nulls", IndexOptions, "NULLS NOT DISTINCT"),
            (
                "t_opclass",
                IndexOptions,
                "a key has a non-default operator class"
            ),
        ]
    );
}
