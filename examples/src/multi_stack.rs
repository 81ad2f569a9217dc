//! A multi-stack app in one environment: a `Network` stack (the VPC), a
//! `Cluster` stack (the ECS cluster in that VPC) and two service stacks,
//! `Api` and `Worker`, each with its task definition and Fargate service in
//! that cluster. Passing a handle from one stack to a construct of another
//! is all it takes: synth turns each cross-stack reference into an `Export`
//! in the producing stack and an `Fn::ImportValue` in the consuming one, and
//! orders the stacks so producers deploy first (`cdk ls` lists `Network`,
//! `Cluster`, then the services). The cluster's Cloud Map namespace (in the
//! VPC, so `Cluster` depends on `Network`) carries Service Connect: the
//! worker calls the API as `http://api`, and the API's security group admits
//! only the worker's. That ingress rule lives in the `Api` stack (with the
//! group it changes) and imports the worker's group, so `Worker` deploys
//! before `Api`.
//!
//! `cargo run -p ecscdk-examples --bin multi_stack -- synth`

use ecscdk::ec2::{Connectable, Port, Vpc};
use ecscdk::ecs::{
    CircuitBreaker, Cluster, Container, ContainerImage, ContainerInsights, FargateCapacity,
    FargateService, FargateTaskDefinition, LogDriver, PortMapping, ServiceConnect,
    ServiceConnectPort,
};
use ecscdk::prelude::*;
use ecscdk::servicediscovery::NamespaceType;

use crate::scale::{NGINX, with_nginx};

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let env = Env::new("123456789012", "us-east-1");
    let mut app = App::new();

    let mut network = Stack::new("Network")
        .env(env.clone())
        .description("ecscdk multi-stack example: the network");
    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut network)?;

    let mut cluster_stack = Stack::new("Cluster")
        .env(env.clone())
        .description("ecscdk multi-stack example: the ECS cluster");
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enabled)
        .fargate_capacity_providers()
        .default_cloud_map_namespace("internal", NamespaceType::DnsPrivate)
        .build(&mut cluster_stack)?;

    let mut api = Stack::new("Api")
        .env(env.clone())
        .description("ecscdk multi-stack example: the API service");
    let task = with_nginx(
        FargateTaskDefinition::builder("Task"),
        Container::builder("api", ContainerImage::registry(NGINX))
            .port(PortMapping::tcp(80).name("http"))
            .logging(LogDriver::aws_logs("api")),
    )
    .build(&mut api)?;
    let api_service = FargateService::builder("Service", &cluster, &task)
        .desired_count(2)
        .circuit_breaker(CircuitBreaker::Rollback)
        .capacity_provider_strategy([
            FargateCapacity::spot().weight(2),
            FargateCapacity::on_demand().base(1).weight(1),
        ])
        .service_connect(
            ServiceConnect::in_cluster_namespace()
                .port(ServiceConnectPort::named("http").alias("api", 80)),
        )
        .build(&mut api)?;
    api.output("ServiceName", api_service.name())?;

    let mut worker = Stack::new("Worker")
        .env(env)
        .description("ecscdk multi-stack example: a background worker");
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder(
                "worker",
                ContainerImage::registry("public.ecr.aws/docker/library/busybox:1.36"),
            )
            .command([
                "sh",
                "-c",
                "while true; do wget -q -O- http://api/ >/dev/null && echo ok; sleep 60; done",
            ])
            .logging(LogDriver::aws_logs("worker"))
            .read_only_root_filesystem(),
        )
        .build(&mut worker)?;
    let worker_service = FargateService::builder("Service", &cluster, &task)
        .desired_count(1)
        .circuit_breaker(CircuitBreaker::Rollback)
        .capacity_provider_strategy([FargateCapacity::spot().weight(1)])
        .service_connect(ServiceConnect::in_cluster_namespace())
        .build(&mut worker)?;
    // The rule goes into the API's stack, which imports the worker's group.
    api_service.connections().allow_from(
        &mut api,
        &worker_service,
        Port::tcp(80),
        Some("Worker to API"),
    )?;
    worker.output("ServiceName", worker_service.name())?;

    app.add(network)?;
    app.add(cluster_stack)?;
    app.add(worker)?;
    app.add(api)?;
    Ok(app)
}
