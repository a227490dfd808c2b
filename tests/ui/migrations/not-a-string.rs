use schema_core::migrate::{Migrations, embed_migrations};

static MIGRATIONS: Migrations = embed_migrations!(migrations);

fn main() {}
