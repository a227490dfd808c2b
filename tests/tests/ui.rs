//! Compile-fail tests: each file under `tests/ui/` is one mistake and the `.stderr`
//! beside it is the message a user gets. Regenerate with `TRYBUILD=overwrite`.
//! Each file under `tests/pass/` is a declaration close to one of those mistakes that
//! is right, and must compile.

use std::fs;
use std::path::Path;

#[test]
fn ui() {
    link_ui_folder_for_trybuild();
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*/*.rs");
    cases.pass("pass/*.rs");
}

/// `embed_migrations!` reads its folder relative to the crate being compiled, and
/// trybuild compiles the cases as a crate of its own in `<target>/tests/trybuild/tests`:
/// a link named `ui` there lets `ui/migrations/*.rs` name their fixture folders by the
/// paths they have here (`ui/migrations/fixtures/<case>`).
fn link_ui_folder_for_trybuild() {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory");
    let project = target.join("tests/trybuild").join(env!("CARGO_PKG_NAME"));
    fs::create_dir_all(&project).expect("trybuild's project folder");
    let link = project.join("ui");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    if fs::read_link(&link).ok().as_deref() != Some(source.as_path()) {
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(&source, &link).expect("a link to the UI cases");
    }
}
