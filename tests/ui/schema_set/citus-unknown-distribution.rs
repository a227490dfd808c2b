use schema_core::{Table, schema_set};

#[derive(Table)]
#[table(name = "accounts")]
pub struct Account {
    #[column(primary_key, serial)]
    pub id: i32,
}

schema_set!(pub Ads = [Account], citus = "rows");

fn main() {}
