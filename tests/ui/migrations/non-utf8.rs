use schema_core::migrate::{Migrations, embed_migrations};

static MIGRATIONS: Migrations = embed_migrations!("ui/migrations/fixtures/non-utf8");

fn main() {}
