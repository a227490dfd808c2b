//! What `#[derive(Table)]`, `#[derive(SqlEnum)]` and `schema_set!` produce, compared
//! field by field with hand-written descriptors. No database involved.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use schema_core::{
    CheckDef, ColumnDef, Deferrable, EnumDef, FkAction, ForeignKeyDef, Identity, IndexDef, KeyDef,
    SchemaSet, SqlEnum, SqlType, SqlTyped, Table, TableDef, TableOptions, schema_set,
};

#[derive(Table)]
#[table(name = "tenants", timestamps)]
pub struct Tenant {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(sql_type = "varchar(63)", unique)]
    pub slug: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(SqlEnum)]
#[sql_enum(name = "user_status")]
pub enum UserStatus {
    Active,
    #[sql_enum(rename = "on-leave")]
    OnLeave,
    Disabled,
}

#[derive(Table)]
#[table(
    name = "users",
    tenant = Tenant,
    soft_delete,
    unique(tenant_id, email),
    index(status, where = "deleted_at IS NULL"),
    index("lower(email)", unique, name = "users_email_lower_idx"),
    index(tags, method = "gin"),
    check(name = "users_email_check", expr = "email LIKE '%@%'"),
    comment = "people who sign in",
    renamed_from = "people"
)]
pub struct User {
    #[column(primary_key, serial)]
    pub id: i32,
    pub tenant_id: i32,
    #[column(sql_type = "varchar(255)")]
    pub email: String,
    #[column(default = "'active'")]
    pub status: UserStatus,
    pub tags: Vec<String>,
    #[column(references = Self, on_delete = "set null", deferrable = "initially deferred")]
    pub invited_by: Option<i32>,
    #[column(name = "type", renamed_from = "kind", comment = "account kind")]
    pub account_type: Option<String>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "roles")]
pub struct Role {
    #[column(primary_key, identity = "always")]
    pub id: i64,
    #[column(unique = "roles_name_uniq", index)]
    pub name: String,
}

/// Composite key declared on the table; both columns reference other tables.
#[derive(Table)]
#[table(primary_key(user_id, role_id))]
pub struct UserRole {
    #[column(references = User, on_delete = "cascade")]
    pub user_id: i32,
    #[column(references = Role, on_update = "restrict", deferrable)]
    pub role_id: i64,
    pub granted_on: NaiveDate,
}

#[derive(Table)]
#[table(name = "invoices", schema = "billing", optional)]
pub struct Invoice {
    #[column(primary_key, identity)]
    pub id: i64,
    #[column(sql_type = "numeric(12, 2)", check = "total >= 0")]
    pub total: Decimal,
    #[column(sql_type = "Character Varying(3)[]")]
    pub currencies: Vec<String>,
    #[column(sql_type = "citext")]
    pub note: Option<String>,
}

schema_set!(
    /// Every table of these tests.
    pub AllTables = [Tenant, User, Role, UserRole, Invoice]
);

/// Index methods in any case, and time types with a precision.
#[derive(Table)]
#[table(
    name = "events",
    index(tags, method = "GIN"),
    index(happened_at, method = " BRIN "),
    index(recorded_at, method = "BTree")
)]
pub struct Event {
    #[column(primary_key)]
    pub id: i64,
    pub tags: Vec<String>,
    #[column(sql_type = "timestamp(3) with time zone")]
    pub happened_at: DateTime<Utc>,
    #[column(sql_type = "TIMESTAMPTZ(3)")]
    pub recorded_at: DateTime<Utc>,
    #[column(sql_type = "timestamp (0)  without  time zone")]
    pub local_at: NaiveDateTime,
    #[column(sql_type = "timestamp(6)")]
    pub precise_at: NaiveDateTime,
    #[column(sql_type = "time(3) with time zone[]")]
    pub alarms: Vec<tests::Untyped>,
}

/// The same table in two declared schemas: its derived names are the same too, and
/// that is fine, because each schema has a namespace of its own.
pub mod sales {
    use schema_core::Table;

    #[derive(Table)]
    #[table(name = "orders", schema = "sales", unique(number), index(placed_on))]
    pub struct Order {
        #[column(primary_key)]
        pub id: i32,
        pub number: String,
        pub placed_on: chrono::NaiveDate,
    }
}

pub mod archive {
    use schema_core::Table;

    #[derive(Table)]
    #[table(name = "orders", schema = "archive", unique(number), index(placed_on))]
    pub struct Order {
        #[column(primary_key)]
        pub id: i32,
        pub number: String,
        pub placed_on: chrono::NaiveDate,
    }
}

schema_set!(pub Orders = [sales::Order, archive::Order]);

fn text(s: &'static str) -> Cow<'static, str> {
    Cow::Borrowed(s)
}

fn texts(list: &[&'static str]) -> Cow<'static, [Cow<'static, str>]> {
    list.iter().map(|s| text(s)).collect::<Vec<_>>().into()
}

fn column(name: &'static str, sql_type: SqlType) -> ColumnDef {
    ColumnDef {
        name: text(name),
        sql_type,
        array: false,
        nullable: false,
        default: None,
        identity: None,
        generated: None,
        comment: None,
        renamed_from: texts(&[]),
    }
}

fn key(name: &'static str, columns: &[&'static str]) -> KeyDef {
    KeyDef {
        name: text(name),
        columns: texts(columns),
    }
}

fn index(name: &'static str, columns: &[&'static str]) -> IndexDef {
    IndexDef {
        name: text(name),
        columns: texts(columns),
        unique: false,
        method: None,
        predicate: None,
    }
}

fn foreign_key(name: &'static str, column: &'static str, table: &'static str) -> ForeignKeyDef {
    ForeignKeyDef {
        name: text(name),
        columns: texts(&[column]),
        ref_schema: None,
        ref_table: text(table),
        ref_columns: texts(&["id"]),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        deferrable: Deferrable::NotDeferrable,
        set_columns: Default::default(),
    }
}

fn user_status() -> EnumDef {
    EnumDef {
        schema: None,
        name: text("user_status"),
        values: texts(&["active", "on-leave", "disabled"]),
    }
}

fn options() -> TableOptions {
    TableOptions {
        required: true,
        renamed_from: texts(&[]),
        tenant_column: None,
        soft_delete_column: None,
        triggers: vec![].into(),
    }
}

#[test]
fn timestamps_default_to_now() {
    let now = |name| ColumnDef {
        default: Some(text("now()")),
        ..column(name, SqlType::TimestampTz)
    };
    let expected = TableDef {
        schema: None,
        name: text("tenants"),
        columns: vec![
            ColumnDef {
                identity: Some(Identity::Serial),
                ..column("id", SqlType::Integer)
            },
            column("slug", SqlType::Varchar(Some(63))),
            now("created_at"),
            now("updated_at"),
        ]
        .into(),
        primary_key: Some(key("tenants_pkey", &["id"])),
        uniques: vec![key("tenants_slug_key", &["slug"])].into(),
        checks: vec![].into(),
        foreign_keys: vec![].into(),
        indexes: vec![].into(),
        comment: None,
        row_security: Default::default(),
        policies: Default::default(),
        options: options(),
    };
    assert_eq!(Tenant::DEF, expected);
    assert_eq!(Tenant::NAME, "tenants");
    assert_eq!(Tenant::SCHEMA, None);
    assert_eq!(Tenant::PRIMARY_KEY, &[text("id")]);
    assert_eq!(Tenant::ENUMS, &[None, None, None, None]);
}

#[test]
fn tenant_soft_delete_enum_array_and_indexes() {
    let expected = TableDef {
        schema: None,
        name: text("users"),
        columns: vec![
            ColumnDef {
                identity: Some(Identity::Serial),
                ..column("id", SqlType::Integer)
            },
            column("tenant_id", SqlType::Integer),
            column("email", SqlType::Varchar(Some(255))),
            ColumnDef {
                default: Some(text("'active'")),
                ..column("status", SqlType::Enum(user_status()))
            },
            ColumnDef {
                array: true,
                ..column("tags", SqlType::Text)
            },
            ColumnDef {
                nullable: true,
                ..column("invited_by", SqlType::Integer)
            },
            ColumnDef {
                nullable: true,
                comment: Some(text("account kind")),
                renamed_from: texts(&["kind"]),
                ..column("type", SqlType::Text)
            },
            ColumnDef {
                nullable: true,
                ..column("deleted_at", SqlType::TimestampTz)
            },
        ]
        .into(),
        primary_key: Some(key("users_pkey", &["id"])),
        uniques: vec![key("users_tenant_id_email_key", &["tenant_id", "email"])].into(),
        checks: vec![CheckDef {
            name: text("users_email_check"),
            expression: text("email LIKE '%@%'"),
        }]
        .into(),
        // The tenant foreign key comes first, then column references in field order.
        foreign_keys: vec![
            ForeignKeyDef {
                on_delete: FkAction::Cascade,
                ..foreign_key("users_tenant_id_fkey", "tenant_id", "tenants")
            },
            ForeignKeyDef {
                on_delete: FkAction::SetNull,
                deferrable: Deferrable::InitiallyDeferred,
                set_columns: Default::default(),
                ..foreign_key("users_invited_by_fkey", "invited_by", "users")
            },
        ]
        .into(),
        indexes: vec![
            index("users_tenant_id_idx", &["tenant_id"]),
            IndexDef {
                predicate: Some(text("deleted_at IS NULL")),
                ..index("users_status_idx", &["status"])
            },
            IndexDef {
                unique: true,
                ..index("users_email_lower_idx", &["(lower(email))"])
            },
            IndexDef {
                method: Some(text("gin")),
                ..index("users_tags_idx", &["tags"])
            },
        ]
        .into(),
        comment: Some(text("people who sign in")),
        row_security: Default::default(),
        policies: Default::default(),
        options: TableOptions {
            renamed_from: texts(&["people"]),
            tenant_column: Some(text("tenant_id")),
            soft_delete_column: Some(text("deleted_at")),
            ..options()
        },
    };
    assert_eq!(User::DEF, expected);
    let status = Some(user_status());
    assert_eq!(
        User::ENUMS,
        &[None, None, None, status, None, None, None, None]
    );
}

#[test]
fn column_level_unique_and_index_and_identity() {
    let expected = TableDef {
        schema: None,
        name: text("roles"),
        columns: vec![
            ColumnDef {
                identity: Some(Identity::Always),
                ..column("id", SqlType::BigInt)
            },
            column("name", SqlType::Text),
        ]
        .into(),
        primary_key: Some(key("roles_pkey", &["id"])),
        uniques: vec![key("roles_name_uniq", &["name"])].into(),
        checks: vec![].into(),
        foreign_keys: vec![].into(),
        indexes: vec![index("roles_name_idx", &["name"])].into(),
        comment: None,
        row_security: Default::default(),
        policies: Default::default(),
        options: options(),
    };
    assert_eq!(Role::DEF, expected);
}

#[test]
fn composite_key_and_default_table_name() {
    let expected = TableDef {
        schema: None,
        name: text("user_role"),
        columns: vec![
            column("user_id", SqlType::Integer),
            column("role_id", SqlType::BigInt),
            column("granted_on", SqlType::Date),
        ]
        .into(),
        primary_key: Some(key("user_role_pkey", &["user_id", "role_id"])),
        uniques: vec![].into(),
        checks: vec![].into(),
        foreign_keys: vec![
            ForeignKeyDef {
                on_delete: FkAction::Cascade,
                ..foreign_key("user_role_user_id_fkey", "user_id", "users")
            },
            ForeignKeyDef {
                on_update: FkAction::Restrict,
                deferrable: Deferrable::InitiallyImmediate,
                set_columns: Default::default(),
                ..foreign_key("user_role_role_id_fkey", "role_id", "roles")
            },
        ]
        .into(),
        indexes: vec![].into(),
        comment: None,
        row_security: Default::default(),
        policies: Default::default(),
        options: options(),
    };
    assert_eq!(UserRole::DEF, expected);
    assert_eq!(UserRole::PRIMARY_KEY, &[text("user_id"), text("role_id")]);
    // The key type is the tuple of the key fields' types.
    let key: <UserRole as Table>::PrimaryKey = (1_i32, 2_i64);
    assert_eq!(key, (1, 2));
}

#[test]
fn overrides_schema_and_optional() {
    let expected = TableDef {
        schema: Some(text("billing")),
        name: text("invoices"),
        columns: vec![
            ColumnDef {
                identity: Some(Identity::ByDefault),
                ..column("id", SqlType::BigInt)
            },
            column("total", SqlType::Numeric(Some((12, 2)))),
            ColumnDef {
                array: true,
                ..column("currencies", SqlType::Varchar(Some(3)))
            },
            // Nullability still comes from `Option` under an override.
            ColumnDef {
                nullable: true,
                ..column("note", SqlType::Other(text("citext")))
            },
        ]
        .into(),
        primary_key: Some(key("invoices_pkey", &["id"])),
        uniques: vec![].into(),
        checks: vec![CheckDef {
            name: text("invoices_total_check"),
            expression: text("total >= 0"),
        }]
        .into(),
        foreign_keys: vec![].into(),
        indexes: vec![].into(),
        comment: None,
        row_security: Default::default(),
        policies: Default::default(),
        options: TableOptions {
            required: false,
            ..options()
        },
    };
    assert_eq!(Invoice::DEF, expected);
    assert_eq!(Invoice::SCHEMA, Some("billing"));
}

#[test]
fn sql_enum_maps_to_an_enum_type() {
    assert_eq!(UserStatus::SQL_TYPE, SqlType::Enum(user_status()));
    assert_eq!(UserStatus::ENUM, Some(user_status()));
    assert_eq!((UserStatus::NULLABLE, UserStatus::ARRAY), (false, false));
}

#[test]
fn schema_set_lists_tables_and_enums() {
    let schema = AllTables::EXPECTED_SCHEMA;
    assert_eq!(schema.name, "AllTables");
    let names: Vec<&str> = schema.tables.iter().map(|t| &*t.name).collect();
    assert_eq!(
        names,
        ["tenants", "users", "roles", "user_role", "invoices"]
    );
    assert_eq!(schema.enums(), vec![user_status()]);
    assert_eq!(schema.table("users"), Some(&User::DEF));
}

#[test]
fn index_methods_are_lower_case_and_btree_is_the_default() {
    let event = Event::DEF;
    let methods: Vec<(&str, Option<&str>)> = event
        .indexes
        .iter()
        .map(|i| (&*i.name, i.method.as_deref()))
        .collect();
    assert_eq!(
        methods,
        [
            ("events_tags_idx", Some("gin")),
            ("events_happened_at_idx", Some("brin")),
            ("events_recorded_at_idx", None),
        ]
    );
}

#[test]
fn time_precisions_take_the_spelling_postgresql_reads_back() {
    let event = Event::DEF;
    let types: Vec<(&str, &SqlType, bool)> = event
        .columns
        .iter()
        .skip(2)
        .map(|c| (&*c.name, &c.sql_type, c.array))
        .collect();
    let other = |text| SqlType::Other(Cow::Borrowed(text));
    assert_eq!(
        types,
        [
            ("happened_at", &other("timestamp(3) with time zone"), false),
            ("recorded_at", &other("timestamp(3) with time zone"), false),
            ("local_at", &other("timestamp(0) without time zone"), false),
            (
                "precise_at",
                &other("timestamp(6) without time zone"),
                false
            ),
            ("alarms", &other("time(3) with time zone"), true),
        ]
    );
}

#[test]
fn relation_names_may_repeat_across_declared_schemas() {
    let tables: Vec<(Option<&str>, &str)> = Orders::EXPECTED_SCHEMA
        .tables
        .iter()
        .map(|t| (t.schema.as_deref(), &*t.name))
        .collect();
    assert_eq!(
        tables,
        [(Some("sales"), "orders"), (Some("archive"), "orders")]
    );
    for table in Orders::EXPECTED_SCHEMA.tables {
        assert_eq!(table.uniques[0].name, "orders_number_key");
        assert_eq!(table.indexes[0].name, "orders_placed_on_idx");
    }
}
