//! A service whose image is built from source: `examples/images/hello`'s
//! Dockerfile (busybox's httpd serving a static page on 8080 as an
//! unprivileged user) behind an application load balancer.
//!
//! `cargo run -p ecscdk-examples --bin image_service -- synth` hashes the
//! build context (the files its `.dockerignore` keeps) with the AWS CDK's
//! algorithm, stages it in `cdk.out/asset.<hash>/` and lists it in
//! `cdk.out/ImageService.assets.json`; the task definition names the image
//! `123456789012.dkr.ecr.us-east-1.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-123456789012-us-east-1:<hash>`,
//! and the execution role may pull from that repository only. `deploy`
//! builds and pushes the image (with the container CLI `CDK_DOCKER` names)
//! before it deploys the stack, unless that tag is already in the
//! repository.

use ecscdk::ec2::Vpc;
use ecscdk::ecr_assets::{AssetImage, Platform};
use ecscdk::ecs::{CircuitBreaker, Cluster, Container, LogDriver, PortMapping};
use ecscdk::patterns::ApplicationLoadBalancedFargateService;
use ecscdk::prelude::*;

/// The build context, found wherever the program runs from.
pub const BUILD_CONTEXT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/images/hello");

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("ImageService").env(Env::new("123456789012", "us-east-1"));

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;

    // Built for x86-64 whatever machine runs the deploy, as the task runs.
    let image = AssetImage::new(BUILD_CONTEXT).platform(Platform::LinuxAmd64);
    let site = ApplicationLoadBalancedFargateService::builder(
        "Site",
        &cluster,
        Container::builder("web", image.into())
            .port(PortMapping::tcp(8080))
            .logging(LogDriver::aws_logs("Site"))
            // busybox httpd serves files and writes nothing.
            .read_only_root_filesystem(),
    )
    .desired_count(2)
    .circuit_breaker(CircuitBreaker::Rollback)
    .build(&mut stack)?;
    stack.output("ServiceName", site.service().name())?;

    app.add(stack)?;
    Ok(app)
}
