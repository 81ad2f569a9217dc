//! Elastic Load Balancing v2: application and network load balancers, their
//! listeners (HTTP/HTTPS, TCP/TLS, certificates by ARN, HTTP → HTTPS
//! redirect), listener rules (path and host conditions) and target groups
//! (target type `ip`, for Fargate tasks) with health checks, using the AWS
//! CDK's child ids.
//!
//! A load balancer gets a security group of its own that admits only its
//! listeners' ports and, unlike the AWS CDK's, keeps outbound traffic closed
//! except towards its targets.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ec2::Vpc;
//! use ecscdk::elbv2::{ApplicationLoadBalancer, HealthCheck, Listener, ListenerAction, TargetGroup};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let vpc = Vpc::builder("Vpc").nat_gateways(1).build(&mut stack)?;
//! let lb = ApplicationLoadBalancer::builder("LB", &vpc).build(&mut stack)?;
//! let https = Listener::https("PublicListener", &lb, "arn:aws:acm:us-east-1:123456789012:certificate/abc")
//!     .build(&mut stack)?;
//! let group = TargetGroup::http("ECSGroup", &vpc, 8080)
//!     .health_check(HealthCheck::http("/health"))
//!     .build_in(&mut stack, https.node())?;
//! https.set_default_action(&mut stack, ListenerAction::forward(&group))?;
//! Listener::http("PublicRedirectListener", &lb)
//!     .default_action(ListenerAction::redirect_to_https())
//!     .build(&mut stack)?;
//! # Ok(()) }
//! ```

mod listener;
mod load_balancer;
mod service_targets;
mod target_group;

pub use listener::{
    Listener, ListenerAction, ListenerBuilder, ListenerProtocol, ListenerRule, ListenerRuleBuilder,
    TLS_POLICY,
};
pub use load_balancer::{
    ApplicationLoadBalancer, LoadBalancer, LoadBalancerBuilder, LoadBalancerType,
    NetworkLoadBalancer,
};
pub(crate) use service_targets::sealed;
pub use service_targets::{ListenerTargets, LoadBalancedService};
pub use target_group::{HealthCheck, TargetGroup, TargetGroupBuilder, TargetProtocol};
