use schema_core::{Table, schema_set};

#[derive(Table)]
#[table(name = "accounts")]
pub struct Account {
    #[column(primary_key, serial)]
    pub id: i32,
}

// Row-based Citus sharding distributes `campaigns` by `tenant_id`: a primary key
// without it cannot be enforced within one shard.
#[derive(Table)]
#[table(name = "campaigns", tenant = Account)]
pub struct Campaign {
    #[column(primary_key)]
    pub id: i64,
    pub tenant_id: i32,
}

schema_set!(pub Ads = [Account, Campaign], citus = "row");

fn main() {}
