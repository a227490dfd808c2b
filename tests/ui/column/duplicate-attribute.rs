use schema_core::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i32,
    #[column(sql_type = "varchar(255)", unique, sql_type = "text")]
    pub email: String,
}

fn main() {}
