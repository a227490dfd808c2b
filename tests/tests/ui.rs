//! Compile-fail tests: each file under `tests/ui/` is one mistake and the `.stderr`
//! beside it is the message a user gets. Regenerate with `TRYBUILD=overwrite`.

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("ui/*/*.rs");
}
