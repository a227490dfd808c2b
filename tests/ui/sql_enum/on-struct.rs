use schema_core::SqlEnum;

#[derive(SqlEnum)]
pub struct Status {
    pub open: bool,
}

fn main() {}
