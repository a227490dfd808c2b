use schema_core::schema_set;

mod billing {
    use schema_core::Table;

    #[derive(Table)]
    pub struct Account {
        #[column(primary_key)]
        pub id: i32,
    }
}

mod crm {
    use schema_core::Table;

    // Its default SQL name is `account` too.
    #[derive(Table)]
    pub struct Account {
        #[column(primary_key)]
        pub id: i32,
    }
}

schema_set!(pub AllTables = [billing::Account, crm::Account]);

fn main() {}
