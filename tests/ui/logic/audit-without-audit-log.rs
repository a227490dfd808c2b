use schema_core::{Table, schema_set};

#[derive(Table)]
#[table(name = "customers", audit)]
pub struct Customer {
    #[column(primary_key)]
    pub id: i64,
    pub name: String,
}

schema_set!(pub Crm = [Customer]);

fn main() {}
