use schema_core::Table;

#[derive(Table)]
#[table(name = "municipal_property_tax_assessment_appeals_and_their_review_history")]
pub struct Appeal {
    #[column(primary_key)]
    pub id: i32,
}

#[derive(Table)]
#[table(name = "property_tax_assessment_appeals")]
pub struct ShortAppeal {
    #[column(primary_key)]
    pub id: i32,
    #[column(index)]
    pub reviewing_officer_employee_number: i32,
}

fn main() {}
