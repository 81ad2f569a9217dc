//! A port of the AWS CDK reference app `fargate-alb.js`: a VPC, a cluster
//! with Container Insights, and nginx on Fargate behind an application load
//! balancer (`ApplicationLoadBalancedFargateService`), two tasks, a circuit
//! breaker that rolls back and CPU auto scaling between 2 and 10 tasks.
//!
//! `cargo run -p ecscdk-examples --bin fargate_alb -- synth`
//!
//! Every logical ID of the CDK's template appears here with the same type
//! (`tests/synth.rs`), the CDK's own `CDKMetadata` aside. Properties that
//! deliberately differ from the CDK's, and why:
//!
//! - load balancer: `LoadBalancerAttributes` also sets
//!   `routing.http.drop_invalid_header_fields.enabled` to `true` (a request
//!   smuggling defence; checkov CKV_AWS_131);
//! - load balancer security group: keeps its rule that matches no traffic
//!   (`255.255.255.255/32`, icmp 252-86) in `SecurityGroupEgress`. The CDK
//!   drops it when it adds the egress rule to the service as a separate
//!   resource, which leaves EC2's default allow-all egress on the group; here
//!   the load balancer can reach only its targets;
//! - container: `ReadonlyRootFilesystem: true` (secure default), so the task
//!   definition has scratch `Volumes` and the container `MountPoints` for the
//!   paths nginx writes (`/var/cache/nginx`, `/var/run`, `/tmp`);
//! - log group: 30-day retention (the CDK keeps logs forever);
//! - service: minimum healthy 100 % (the CDK pattern's 50 %, which halves
//!   capacity during a deployment), ECS managed tags on and tags propagated
//!   from the service;
//! - service: `DependsOn` the listener and the task role, not also the
//!   target group, which its `LoadBalancers` already references (cfn-lint
//!   W3005);
//! - scalable target: no `RoleARN`; CloudFormation then uses Application
//!   Auto Scaling's service-linked role, the one the CDK spells out;
//! - VPC: flow logs to CloudWatch Logs, and the default-security-group
//!   handler logs to a log group with a finite retention (5 extra resources,
//!   not in the CDK's template: 45 resources against the CDK's 41).

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    CircuitBreaker, Cluster, Container, ContainerImage, ContainerInsights, FargateCpu, FargateSize,
    LogDriver, PortMapping, Volume,
};
use ecscdk::patterns::ApplicationLoadBalancedFargateService;
use ecscdk::prelude::*;

use crate::scale::NGINX;

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("FargateAlb").env(Env::new("123456789012", "us-east-1"));

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enabled)
        .build(&mut stack)?;

    let size = FargateSize::new(FargateCpu::Vcpu0_5, 1024).map_err(|e| {
        ecscdk::Error::InvalidProperty {
            path: stack.path(stack.root()),
            property: "size".to_owned(),
            reason: e.to_string(),
        }
    })?;
    let web = ApplicationLoadBalancedFargateService::builder(
        "Web",
        &cluster,
        Container::builder("web", ContainerImage::registry(NGINX))
            .port(PortMapping::tcp(80))
            .logging(LogDriver::aws_logs("Web"))
            .mount("nginx-cache", "/var/cache/nginx", false)
            .mount("nginx-run", "/var/run", false)
            .mount("tmp", "/tmp", false),
    )
    .size(size)
    .volume(Volume::scratch("nginx-cache"))
    .volume(Volume::scratch("nginx-run"))
    .volume(Volume::scratch("tmp"))
    .desired_count(2)
    .circuit_breaker(CircuitBreaker::Rollback)
    .build(&mut stack)?;
    web.service().auto_scale(&mut stack, 2..=10)?.on_cpu(70.0)?;

    app.add(stack)?;
    Ok(app)
}
