//! Bad inputs of the `servicediscovery` module.

#[allow(unused_imports)]
use super::*;
