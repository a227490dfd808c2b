use schema_core::{Table, schema_set};

// A unique constraint's index against an explicitly named index of another table.
#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[column(unique)]
    pub email: String,
}

#[derive(Table)]
#[table(name = "invites", index(email, name = "users_email_key"))]
pub struct Invite {
    #[column(primary_key)]
    pub id: i32,
    pub email: String,
}

schema_set!(pub Accounts = [User, Invite]);

// A table named like another table's primary key.
#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[column(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "orders_pkey")]
pub struct OrderKey {
    #[column(primary_key)]
    pub id: i32,
}

schema_set!(pub Orders = [Order, OrderKey]);

// An index named like its own table.
#[derive(Table)]
#[table(name = "events", index(kind, name = "events"))]
pub struct Event {
    #[column(primary_key)]
    pub id: i32,
    pub kind: String,
}

schema_set!(pub Events = [Event]);

fn main() {}
