//! Type-level rules: each program in `compile-fail/` must not compile, with
//! the compiler error locked in the `.stderr` beside it.
#![allow(missing_docs)]

#[test]
fn type_level_rules_reject_invalid_programs() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile-fail/*.rs");
}
