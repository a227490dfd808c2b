use schema_core::Table;

// `serial` is not a type: PostgreSQL creates an integer column with a sequence, so the
// declared type would never match the live one.
#[derive(Table)]
#[table(name = "tickets")]
pub struct Ticket {
    #[column(primary_key, sql_type = "serial")]
    pub id: i32,
    #[column(sql_type = "BigSerial")]
    pub sequence_number: i64,
}

fn main() {}
