//! Renames that are fine: from names nothing declares any more, and the same old
//! table name in two different schemas.
use schema_core::{Table, schema_set};

#[derive(Table)]
#[table(name = "people", schema = "crm", renamed_from = "users")]
pub struct Person {
    #[column(primary_key)]
    pub id: i32,
    #[column(renamed_from = "email")]
    pub contact_email: String,
    #[column(renamed_from = "name")]
    pub full_name: String,
}

#[derive(Table)]
#[table(name = "people", schema = "archive", renamed_from = "users")]
pub struct ArchivedPerson {
    #[column(primary_key)]
    pub id: i32,
}

schema_set!(pub AllTables = [Person, ArchivedPerson]);

fn main() {}
