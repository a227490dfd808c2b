use schema_core::SqlEnum;

#[derive(SqlEnum)]
pub enum Status {
    Open,
    Closed { reason: String },
    Deferred(u32),
}

fn main() {}
