//! Weak cross-stack references, aws-cdk-lib's recommended setting for new
//! apps: `Network` holds the VPC; `Service` runs an nginx service in it and
//! reads the VPC's and subnets' ids with `Fn::GetStackOutput` from plain
//! outputs of `Network` (no exports, so no "deadly embrace"); `Directory`,
//! in another region of the same account (eu-west-1), records the service's
//! name in an SSM parameter, which an export could not reach. The stacks
//! still deploy in dependency order; a consumer sees a producer's new value
//! on its own next update.
//!
//! `cargo run -p ecscdk-examples --bin weak_refs -- synth`

use ecscdk::cfn::ssm::CfnParameter;
use ecscdk::cfn::ssm::parameter::Type as ParameterType;
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    CircuitBreaker, Cluster, Container, ContainerImage, FargateService, FargateTaskDefinition,
    LogDriver, PortMapping,
};
use ecscdk::prelude::*;

use crate::scale::{NGINX, with_nginx};

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new().cross_stack_references(ReferenceStrength::Weak);
    let home = Env::new("123456789012", "us-east-1");

    let mut network = Stack::new("Network")
        .env(home.clone())
        .description("ecscdk weak references example: the network");
    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut network)?;

    let mut service_stack = Stack::new("Service")
        .env(home)
        .description("ecscdk weak references example: the service");
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .fargate_capacity_providers()
        .build(&mut service_stack)?;
    let task = with_nginx(
        FargateTaskDefinition::builder("Task"),
        Container::builder("web", ContainerImage::registry(NGINX))
            .port(PortMapping::tcp(80))
            .logging(LogDriver::aws_logs("web")),
    )
    .build(&mut service_stack)?;
    let service = FargateService::builder("Service", &cluster, &task)
        .desired_count(2)
        .circuit_breaker(CircuitBreaker::Rollback)
        .build(&mut service_stack)?;

    let mut directory = Stack::new("Directory")
        .env(Env::new("123456789012", "eu-west-1"))
        .description("ecscdk weak references example: a record in another region");
    let root = directory.root();
    directory.add(
        root,
        "ServiceName",
        CfnParameter {
            description: Some("The web service's name, read from us-east-1".into()),
            ..CfnParameter::new(ParameterType::String, service.name())
        },
    )?;

    app.add(network)?;
    app.add(service_stack)?;
    app.add(directory)?;
    Ok(app)
}
