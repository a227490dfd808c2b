use schema_core::Table;

#[derive(Table)]
#[table(name = "payments", check(name = "payments_positive", expr = "amount >"))]
pub struct Payment {
    #[column(primary_key)]
    pub id: i64,
    #[column(default = "'pending")]
    pub status: String,
    #[column(default = "")]
    pub note: String,
    #[column(check = "")]
    pub amount: i64,
    #[column(default = "1 2")]
    pub attempts: i32,
}

fn main() {}
