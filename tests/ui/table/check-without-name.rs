use schema_core::Table;

#[derive(Table)]
#[table(name = "tax_rates", check(expr = "rate >= 0"))]
pub struct TaxRate {
    #[column(primary_key)]
    pub id: i32,
    pub rate: f64,
}

fn main() {}
