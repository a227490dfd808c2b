use schema_core::{Table, schema_set};

// A table that names no schema may be synced into `billing`, where the other
// `invoices` already is.
#[derive(Table)]
#[table(name = "invoices", schema = "billing")]
pub struct Invoice {
    #[column(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "invoices")]
pub struct DraftInvoice {
    #[column(primary_key)]
    pub id: i32,
}

schema_set!(pub Billing = [Invoice, DraftInvoice]);

fn main() {}
