use schema_core::Table;

const POOL_FIGURES: &str = "pool_figures";

#[derive(Table)]
#[table(name = "pools", trigger = POOL_FIGURES)]
pub struct Pool {
    #[column(primary_key)]
    pub id: i64,
}

fn main() {}
