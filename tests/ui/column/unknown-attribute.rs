use schema_core::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[column(sql_typ = "varchar(255)")]
    pub email: String,
}

fn main() {}
