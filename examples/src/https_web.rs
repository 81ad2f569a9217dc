//! An HTTPS web service with a domain: nginx on Fargate behind an
//! application load balancer at `www.example.com`. Giving the pattern a
//! domain name and its Route 53 hosted zone (an existing zone, taken by id
//! and name) creates a DNS-validated ACM certificate (child `Certificate`,
//! validated by records CloudFormation writes into the zone), an HTTPS
//! listener on 443 with the TLS 1.2+ policy, an HTTP listener on 80 that
//! redirects to HTTPS, and an alias record (child `DNS`) pointing the name
//! at the load balancer; `ServiceURL` is `https://www.example.com.`.
//!
//! `cargo run -p ecscdk-examples --bin https_web -- synth`

use std::time::Duration;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    CircuitBreaker, Cluster, Container, ContainerImage, ContainerInsights, LogDriver, PortMapping,
    Volume,
};
use ecscdk::elbv2::HealthCheck;
use ecscdk::patterns::ApplicationLoadBalancedFargateService;
use ecscdk::prelude::*;
use ecscdk::route53::HostedZone;

use crate::scale::NGINX;

/// The hosted zone's id (an existing public zone for `example.com`).
pub const ZONE_ID: &str = "Z0123456789ABCDEFGHIJ";

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("HttpsWeb")
        .env(Env::new("123456789012", "us-east-1"))
        .description("ecscdk example: an HTTPS web service with a domain");

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enabled)
        .build(&mut stack)?;

    let zone = HostedZone::from_attributes(ZONE_ID, "example.com");
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
    .volume(Volume::scratch("nginx-cache"))
    .volume(Volume::scratch("nginx-run"))
    .volume(Volume::scratch("tmp"))
    .domain_name("www.example.com")
    .domain_zone(&zone)
    .health_check(HealthCheck::http("/").healthy_threshold(2))
    .deregistration_delay(Duration::from_secs(30))
    .desired_count(2)
    .circuit_breaker(CircuitBreaker::Rollback)
    .build(&mut stack)?;
    web.service().auto_scale(&mut stack, 2..=6)?.on_cpu(60.0)?;

    app.add(stack)?;
    Ok(app)
}
