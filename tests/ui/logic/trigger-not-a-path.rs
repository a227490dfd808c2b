use schema_core::Table;

#[derive(Table)]
#[table(name = "pools", trigger = "pool_figures")]
pub struct Pool {
    #[column(primary_key)]
    pub id: i64,
}

fn main() {}
