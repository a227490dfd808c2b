//! `embed_migrations!` makes cargo rebuild when an embedded file changes; a file added
//! to or removed from `migrations/` is only seen through this line.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
