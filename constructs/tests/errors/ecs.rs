//! Bad inputs of the `ecs` module.

#[allow(unused_imports)]
use super::*;
