use schema_core::migrate::{Migrations, embed_migrations};

static MIGRATIONS: Migrations = embed_migrations!("ui/migrations/fixtures/bad-file-name");

fn main() {}
