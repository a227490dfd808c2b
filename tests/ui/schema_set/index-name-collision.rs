use schema_core::{Table, schema_set};

// `a` with an index on `b_c` and `a_b` with an index on `c` both name it `a_b_c_idx`,
// and PostgreSQL keeps index names per schema, not per table.
#[derive(Table)]
#[table(name = "a")]
pub struct A {
    #[column(primary_key)]
    pub id: i32,
    #[column(index)]
    pub b_c: i32,
}

#[derive(Table)]
#[table(name = "a_b", index(c))]
pub struct AB {
    #[column(primary_key)]
    pub id: i32,
    pub c: i32,
}

schema_set!(pub Letters = [A, AB]);

fn main() {}
