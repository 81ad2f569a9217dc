//! Bad inputs of the `ec2` module.

#[allow(unused_imports)]
use super::*;
