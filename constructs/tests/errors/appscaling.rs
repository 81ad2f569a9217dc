//! Bad inputs of the `appscaling` module.

#[allow(unused_imports)]
use super::*;
