use schema_core::{Table, schema_set};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
}

// `users` is still declared: the sync would rename it to `people` and create it again.
#[derive(Table)]
#[table(name = "people", renamed_from = "users")]
pub struct Person {
    #[column(primary_key)]
    pub id: i32,
}

schema_set!(pub AllTables = [User, Person]);

fn main() {}
