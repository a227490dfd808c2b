use schema_core::schema_set;

schema_set!(pub AllTables = []);

fn main() {}
