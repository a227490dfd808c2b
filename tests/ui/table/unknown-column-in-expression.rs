use schema_core::Table;

#[derive(Table)]
#[table(
    name = "invoices",
    check(name = "invoices_paid_le_total", expr = "paid <= totl"),
    index(number, where = "deleted IS NULL"),
    index("lower(numbr)", name = "invoices_lower_number_idx")
)]
pub struct Invoice {
    #[column(primary_key)]
    pub id: i64,
    pub number: String,
    #[column(check = "amout >= 0")]
    pub amount: i64,
    pub total: i64,
    pub paid: i64,
    pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn main() {}
