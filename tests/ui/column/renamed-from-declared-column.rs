use schema_core::Table;

// `email` was copied to `contact_email`, but `email` is still declared: the sync
// would move its data into `contact_email` and add an empty `email` again.
#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    pub email: String,
    #[column(renamed_from = "email")]
    pub contact_email: String,
}

fn main() {}
