use schema_core::Table;

#[derive(Table)]
pub enum Status {
    Open,
    Closed,
}

fn main() {}
