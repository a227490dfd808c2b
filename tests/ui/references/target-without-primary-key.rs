use schema_core::Table;

#[derive(Table)]
#[table(name = "events")]
pub struct Event {
    pub name: String,
}

#[derive(Table)]
#[table(name = "tickets")]
pub struct Ticket {
    #[column(primary_key)]
    pub id: i32,
    #[column(references = Event)]
    pub event_id: i32,
}

fn main() {}
