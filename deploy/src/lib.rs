//! The deploy side of ecscdk: a synthesized [`Assembly`] handed to AWS
//! CloudFormation through the AWS SDK for Rust — `deploy`, `diff`, `destroy`,
//! `bootstrap` and `list --deployed` — and followed to the end.
//!
//! It depends on the engine's cloud assembly only, never on the constructs
//! that produced it. The `ecscdk` crate's command line calls it when its
//! `deploy` feature is on; without that feature no AWS crate is compiled.
//!
//! [`Assembly`]: ecscdk_synth::Assembly

mod bootstrap;
mod cloudformation;
mod connection;
mod context;
mod destroy;
mod diff;
mod ecs_state;
mod error;
mod exports;
mod live;
mod logs;
mod publish;
#[cfg(test)]
mod replay;
mod rollout;
mod run_task;
mod scale_in_protection;
mod schedule;
mod status;
mod toolkit;
mod watch;

pub use bootstrap::bootstrap;
pub use cloudformation::{
    DeployOptions, Method, deploy, diff, parse_duration, parse_parameter, statuses,
};
pub use connection::Connection;
pub use context::lookup_context;
pub use destroy::destroy;
pub use error::{Error, Result};
pub use logs::logs;
pub use rollout::FailFast;
pub use run_task::{RunTaskOptions, parse_capacity_provider, parse_env, run_task};
pub use status::status;
pub use toolkit::bootstrap_template;
