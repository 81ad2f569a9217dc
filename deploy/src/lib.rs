//! The deploy side of ecscdk: a synthesized [`Assembly`] handed to AWS
//! CloudFormation through the AWS SDK for Rust — `deploy`, `diff`, `destroy`,
//! `bootstrap` and `list --deployed` — and followed to the end.
//!
//! It depends on the engine's cloud assembly only, never on the constructs
//! that produced it. The `ecscdk` crate's command line calls it when its
//! `deploy` feature is on; without that feature no AWS crate is compiled.
//!
//! [`Assembly`]: ecscdk_synth::Assembly

mod cloudformation;
mod diff;
mod error;
mod publish;

pub use cloudformation::{
    Connection, DeployOptions, Method, bootstrap, bootstrap_template, deploy, destroy, diff,
    parse_duration, parse_parameter, statuses,
};
pub use error::{Error, Result};
