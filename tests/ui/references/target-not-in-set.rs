use schema_core::{Table, schema_set};

#[derive(Table)]
#[table(name = "customers")]
pub struct Customer {
    #[column(primary_key, serial)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "orders")]
pub struct Order {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(references = Customer)]
    pub customer_id: i32,
}

schema_set!(pub Sales = [Order]);

fn main() {}
