use schema_core::SqlEnum;

#[derive(SqlEnum)]
pub enum Status {
    Open,
    #[sql_enum(rename = "open")]
    Reopened,
}

fn main() {}
