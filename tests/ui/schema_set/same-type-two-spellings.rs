use schema_core::{Table, schema_set};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "teams")]
pub struct Team {
    #[column(primary_key)]
    pub id: i32,
}

schema_set!(pub AllTables = [User, Team, self::User]);

fn main() {}
