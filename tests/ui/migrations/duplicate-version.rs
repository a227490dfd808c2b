use schema_core::migrate::{Migrations, embed_migrations};

static MIGRATIONS: Migrations = embed_migrations!("ui/migrations/fixtures/duplicate-version");

fn main() {}
