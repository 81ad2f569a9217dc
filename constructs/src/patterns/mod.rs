//! L3 patterns: whole architectures in one call, with the AWS CDK's
//! `aws-ecs-patterns` child ids, so a port of a CDK app keeps its logical
//! IDs.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ec2::Vpc;
//! use ecscdk::ecs::{Cluster, Container, ContainerImage, LogDriver, PortMapping};
//! use ecscdk::patterns::ApplicationLoadBalancedFargateService;
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let vpc = Vpc::builder("Vpc").nat_gateways(1).build(&mut stack)?;
//! let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
//! let web = ApplicationLoadBalancedFargateService::builder(
//!     "Web",
//!     &cluster,
//!     Container::builder("web", ContainerImage::registry("public.ecr.aws/example/app:1"))
//!         .port(PortMapping::tcp(8080))
//!         .logging(LogDriver::aws_logs("Web")),
//! )
//! .certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/abc")
//! .desired_count(2)
//! .build(&mut stack)?;
//! web.service().auto_scale(&mut stack, 2..=10)?.on_cpu(70.0)?;
//! # Ok(()) }
//! ```

mod alb_targets;
mod load_balanced_ec2_service;
mod load_balanced_fargate_service;
mod load_balanced_service_base;
mod queue_processing_service;
mod scheduled_task;

pub use alb_targets::{ExtraListener, ExtraTarget};
pub use load_balanced_ec2_service::{
    ApplicationLoadBalancedEc2Service, ApplicationLoadBalancedEc2ServiceBuilder,
    NetworkLoadBalancedEc2Service, NetworkLoadBalancedEc2ServiceBuilder,
};
pub use load_balanced_fargate_service::{
    ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceBuilder,
    NetworkLoadBalancedFargateService, NetworkLoadBalancedFargateServiceBuilder,
};
pub use load_balanced_service_base::DomainRecord;
pub use queue_processing_service::{
    QueueProcessingEc2Service, QueueProcessingEc2ServiceBuilder, QueueProcessingFargateService,
    QueueProcessingFargateServiceBuilder, default_queue_scaling_steps,
};
pub use scheduled_task::{
    ScheduleTrigger, ScheduledEc2Task, ScheduledEc2TaskBuilder, ScheduledFargateTask,
    ScheduledFargateTaskBuilder,
};
