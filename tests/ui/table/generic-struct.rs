use schema_core::Table;

#[derive(Table)]
pub struct Setting<T> {
    #[column(primary_key)]
    pub id: i32,
    pub value: T,
}

fn main() {}
