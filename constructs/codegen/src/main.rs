//! Regenerates `constructs/src/cfn/` from the registry schemas (work in progress).

fn main() {}
