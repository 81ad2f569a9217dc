//! The flagship: a web service on Fargate in its own VPC — two tasks behind
//! the VPC's private subnets, Fargate Spot with an on-demand base, a
//! circuit breaker that rolls back, CPU auto scaling, logs kept 30 days, and
//! nginx with a read-only root filesystem.
//!
//! `cargo run -p ecscdk-examples --bin web -- synth`

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    CircuitBreaker, Cluster, Container, ContainerImage, ContainerInsights, FargateCapacity,
    FargateCpu, FargateService, FargateTaskDefinition, HealthCheck, LogDriver, PortMapping,
};
use ecscdk::prelude::*;

use crate::scale::{NGINX, with_nginx};

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("Web")
        .env(Env::new("123456789012", "us-east-1"))
        .description("ecscdk flagship: a Fargate web service")
        .tag("app", "web");

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enhanced)
        .fargate_capacity_providers()
        .build(&mut stack)?;

    let task = with_nginx(
        FargateTaskDefinition::builder("Task")
            .cpu(FargateCpu::Vcpu0_5)
            .memory_mib(1024),
        Container::builder("web", ContainerImage::registry(NGINX))
            .port(PortMapping::tcp(80).name("http"))
            .health_check(HealthCheck::shell("curl -f http://localhost/ || exit 1"))
            .logging(LogDriver::aws_logs("web")),
    )
    .build(&mut stack)?;

    let service = FargateService::builder("Service", &cluster, &task)
        .desired_count(2)
        .circuit_breaker(CircuitBreaker::Rollback)
        .capacity_provider_strategy([
            FargateCapacity::spot().weight(2),
            FargateCapacity::on_demand().base(1).weight(1),
        ])
        .build(&mut stack)?;
    service.auto_scale(&mut stack, 2..=10)?.on_cpu(70.0)?;

    stack.output("ServiceName", service.name())?;
    stack.output("ClusterName", cluster.name())?;
    app.add(stack)?;
    Ok(app)
}
