//! What several integration tests share (each test crate takes the modules
//! it uses with `mod common;`).

pub mod child;
