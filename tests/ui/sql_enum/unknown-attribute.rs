use schema_core::SqlEnum;

#[derive(SqlEnum)]
#[sql_enum(nmae = "ticket_status")]
pub enum Status {
    Open,
    #[sql_enum(name = "in-progress")]
    InProgress,
}

fn main() {}
