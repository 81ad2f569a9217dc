//! ecscdk: Amazon ECS infrastructure as typed Rust code.
//!
//! A program builds an [`App`] of [`Stack`]s from typed builders and runs
//! it (`app.run()`, the [`cli`]); `synth` writes CloudFormation templates as
//! a CDK-format cloud assembly in `cdk.out/`, and with the `deploy` feature
//! `diff`, `deploy` and `destroy` hand them to CloudFormation. The crate
//! holds the L1 types generated from the CloudFormation registry schemas
//! ([`cfn`]), the L2 constructs built on them ([`ec2`], [`ecs`], [`elbv2`],
//! [`iam`], [`logs`] and the others below), the L3 [`patterns`], and
//! re-exports the engine ([`synth`]).
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ec2::Vpc;
//! use ecscdk::ecs::{
//!     Cluster, Container, ContainerImage, FargateService, FargateTaskDefinition, PortMapping,
//! };
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut app = App::new();
//! let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
//! let vpc = Vpc::builder("Vpc").build(&mut stack)?;
//! let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
//! let task = FargateTaskDefinition::builder("Task")
//!     .container(
//!         Container::builder("web", ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"))
//!             .port(PortMapping::tcp(80)),
//!     )
//!     .build(&mut stack)?;
//! FargateService::builder("Service", &cluster, &task).build(&mut stack)?;
//! app.add(stack)?;
//! let assembly = app.synth()?;
//! assert!(assembly.stack("Web").is_some_and(|s| s.template.contains("AWS::ECS::Service")));
//! # Ok(()) }
//! ```

#[rustfmt::skip]
pub mod cfn;
pub mod appscaling;
pub mod certificatemanager;
pub mod cli;
pub mod cloudwatch;
pub mod ec2;
pub mod ecr_assets;
pub mod ecs;
pub mod elbv2;
pub mod guardduty;
pub mod iam;
pub mod logs;
pub mod patterns;
pub mod route53;
pub mod scheduler;
pub mod servicediscovery;
pub mod sns;
pub mod sqs;
mod units;
mod validation;

#[cfg(feature = "deploy")]
pub use ecscdk_deploy as deploy;
pub use ecscdk_synth as synth;
pub use ecscdk_synth::{App, Env, Error, Result, Stack};

/// Everything a program that builds stacks needs, in one import.
pub mod prelude {
    pub use crate::cli::Run;
    pub use crate::ec2::Connectable;
    pub use ecscdk_synth::prelude::*;
}
