//! A service behind a network load balancer: nginx on Fargate reached over
//! TCP on port 80 at `tcp.example.com`. The load balancer has a security
//! group of its own that admits only the listener port, the service admits
//! only the load balancer, and the alias record (child `DNS`) points at the
//! load balancer's plain DNS name (an IPv4 network load balancer has no
//! `dualstack.` name).
//!
//! `cargo run -p ecscdk-examples --bin nlb_service -- synth`

use std::time::Duration;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    CircuitBreaker, Cluster, Container, ContainerImage, ContainerInsights, LogDriver, PortMapping,
    Volume,
};
use ecscdk::elbv2::HealthCheck;
use ecscdk::patterns::NetworkLoadBalancedFargateService;
use ecscdk::prelude::*;
use ecscdk::route53::HostedZone;

use crate::https_web::ZONE_ID;
use crate::scale::NGINX;

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("NlbService")
        .env(Env::new("123456789012", "us-east-1"))
        .description("ecscdk example: a Fargate service behind a network load balancer");

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enabled)
        .build(&mut stack)?;

    let service = NetworkLoadBalancedFargateService::builder(
        "Tcp",
        &cluster,
        Container::builder("web", ContainerImage::registry(NGINX))
            .port(PortMapping::tcp(80))
            .logging(LogDriver::aws_logs("Tcp"))
            .mount("nginx-cache", "/var/cache/nginx", false)
            .mount("nginx-run", "/var/run", false)
            .mount("tmp", "/tmp", false),
    )
    .volume(Volume::scratch("nginx-cache"))
    .volume(Volume::scratch("nginx-run"))
    .volume(Volume::scratch("tmp"))
    .domain_name("tcp.example.com")
    .domain_zone(&HostedZone::from_attributes(ZONE_ID, "example.com"))
    .health_check(HealthCheck::tcp().healthy_threshold(3))
    .deregistration_delay(Duration::from_secs(30))
    .desired_count(2)
    .circuit_breaker(CircuitBreaker::Rollback)
    .build(&mut stack)?;
    service
        .service()
        .auto_scale(&mut stack, 2..=6)?
        .on_cpu(60.0)?;

    app.add(stack)?;
    Ok(app)
}
