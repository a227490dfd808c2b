// A table with a mistake still stands in for itself: the foreign key to it and the
// schema set listing it report nothing more than the mistake.
use schema_core::{Table, schema_set};

#[derive(Table)]
#[table(name = "customers", soft_delet)]
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

schema_set!(pub Sales = [Customer, Order]);

fn main() {}
