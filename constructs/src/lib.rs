//! ecscdk: Amazon ECS infrastructure as typed Rust code.
//!
//! A program builds an [`App`] of [`Stack`]s and runs it; `synth` writes
//! CloudFormation templates as a CDK-format cloud assembly in `cdk.out/`.
//! This crate re-exports the engine ([`synth`]) and will hold the L1 types
//! generated from the CloudFormation registry schemas and the L2 constructs
//! built on them.
//!
//! ```
//! use ecscdk::prelude::*;
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut app = App::new();
//! let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
//! let root = stack.root();
//! let topic = stack.add(root, "Alerts", RawResource::new("AWS::SNS::Topic"))?;
//! stack.output("AlertsTopic", topic.reference())?;
//! app.add(stack)?;
//! app.synth()?;
//! # Ok(()) }
//! ```

#[rustfmt::skip]
pub mod cfn;
pub mod appscaling;
pub mod certificatemanager;
pub mod cli;
pub mod ec2;
pub mod ecr_assets;
pub mod ecs;
pub mod elbv2;
pub mod iam;
pub mod logs;
pub mod patterns;
pub mod route53;
pub mod scheduler;
pub mod servicediscovery;
pub mod sqs;
mod validation;

#[cfg(feature = "deploy")]
pub use ecscdk_deploy as deploy;
pub use ecscdk_synth as synth;
pub use ecscdk_synth::{App, Env, Error, Result, Stack};

/// Everything a program that builds stacks needs, in one import.
pub mod prelude {
    pub use crate::cli::Run;
    pub use ecscdk_synth::prelude::*;
}
