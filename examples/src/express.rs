//! ECS Express Mode: a public web service from an image and two roles, and
//! an internal one from a task definition of its own.
//! ECS provisions the HTTPS load balancer (on an AWS-provided domain),
//! the target group, security groups, auto scaling, the log group and a
//! deployment alarm; ecscdk creates the infrastructure and execution roles
//! with the AWS managed policies AWS documents, places the service in the
//! VPC's public subnets because it is asked to, and outputs the endpoint.
//! The second service runs the `Main` container of an ecscdk task
//! definition (nginx with scratch volumes for its read-only root), in the
//! private subnets behind an internal load balancer.
//!
//! `cargo run -p ecscdk-examples --bin express -- synth`

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, ContainerInsights, ExpressContainer, ExpressScaling,
    ExpressScalingMetric, ExpressService, FargateCpu, FargateSize, FargateTaskDefinition,
    LogDriver, PortMapping,
};
use ecscdk::prelude::*;

use crate::scale::{NGINX, with_nginx};

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("Express")
        .env(Env::new("123456789012", "us-east-1"))
        .description("ecscdk example: an ECS Express Mode web service");
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
    let web = ExpressService::builder(
        "Web",
        &vpc,
        ExpressContainer::new(ContainerImage::registry(
            "public.ecr.aws/docker/library/httpd:2.4",
        ))
        .port(80)
        .env("GREETING", "hello"),
    )
    .cluster(&cluster)
    .size(size)
    .public(true)
    .health_check_path("/")
    .scaling(ExpressScaling::new(1..=4).on(ExpressScalingMetric::RequestCountPerTarget, 200))
    .build(&mut stack)?;
    stack.output("Endpoint", web.endpoint())?;
    stack.output("ServiceArn", web.arn())?;

    let task = with_nginx(
        FargateTaskDefinition::builder("ApiTask"),
        Container::builder("Main", ContainerImage::registry(NGINX))
            .port(PortMapping::tcp(80).name("http"))
            .logging(LogDriver::aws_logs("api")),
    )
    .build(&mut stack)?;
    let api = ExpressService::with_task_definition("Api", &vpc, &task)
        .cluster(&cluster)
        .health_check_path("/")
        .scaling(ExpressScaling::new(1..=2))
        .build(&mut stack)?;
    stack.output("ApiEndpoint", api.endpoint())?;
    app.add(stack)?;
    Ok(app)
}
