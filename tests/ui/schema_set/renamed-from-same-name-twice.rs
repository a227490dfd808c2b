use schema_core::{Table, schema_set};

#[derive(Table)]
#[table(name = "customers", renamed_from = "clients")]
pub struct Customer {
    #[column(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "suppliers", renamed_from = "clients")]
pub struct Supplier {
    #[column(primary_key)]
    pub id: i32,
}

schema_set!(pub AllTables = [Customer, Supplier]);

fn main() {}
