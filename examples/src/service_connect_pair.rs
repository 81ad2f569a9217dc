//! Two Fargate services talking over Service Connect: a `Server` (nginx)
//! offers its port mapping `http` as `http://api` in the cluster's Cloud
//! Map namespace `internal`, and a `Client` (busybox) in the same namespace
//! calls it by that name every 30 seconds. ECS runs a Service Connect proxy
//! beside each task, so the client needs no discovery code and sees
//! retries, timeouts and per-call metrics for free.
//!
//! The server's security group admits only the client's, on the server's
//! port (the connections API adds the ingress rule to the server's group
//! and the matching egress rule to the client's); nothing else reaches the
//! server.
//!
//! `cargo run -p ecscdk-examples --bin service_connect_pair -- synth`

use std::time::Duration;

use ecscdk::ec2::{Connectable, Port, Vpc};
use ecscdk::ecs::{
    AppProtocol, CircuitBreaker, Cluster, Container, ContainerImage, ContainerInsights,
    FargateService, FargateTaskDefinition, LogDriver, PortMapping, ServiceConnect,
    ServiceConnectPort,
};
use ecscdk::prelude::*;
use ecscdk::servicediscovery::NamespaceType;

use crate::scale::{NGINX, with_nginx};

/// The client's image.
const BUSYBOX: &str = "public.ecr.aws/docker/library/busybox:1.36";

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("ServiceConnect")
        .env(Env::new("123456789012", "us-east-1"))
        .description("ecscdk example: two Fargate services talking over Service Connect");

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enabled)
        .default_cloud_map_namespace("internal", NamespaceType::Http)
        .build(&mut stack)?;

    let server_task = with_nginx(
        FargateTaskDefinition::builder("ServerTask"),
        Container::builder("server", ContainerImage::registry(NGINX))
            .port(
                PortMapping::tcp(80)
                    .name("http")
                    .app_protocol(AppProtocol::Http),
            )
            .logging(LogDriver::aws_logs("server")),
    )
    .build(&mut stack)?;
    let server = FargateService::builder("Server", &cluster, &server_task)
        .desired_count(2)
        .circuit_breaker(CircuitBreaker::Rollback)
        .service_connect(
            ServiceConnect::in_cluster_namespace().port(
                ServiceConnectPort::named("http")
                    .discovery_name("api")
                    .alias("api", 80)
                    .per_request_timeout(Duration::from_secs(10)),
            ),
        )
        .build(&mut stack)?;

    let client_task = FargateTaskDefinition::builder("ClientTask")
        .container(
            Container::builder("client", ContainerImage::registry(BUSYBOX))
                .env("API_URL", "http://api")
                .command([
                    "sh",
                    "-c",
                    "while true; do wget -q -O- \"$API_URL/\" >/dev/null && echo ok; sleep 30; done",
                ])
                .logging(LogDriver::aws_logs("client"))
                .read_only_root_filesystem(),
        )
        .build(&mut stack)?;
    // A client only: no port of its own, but the proxy resolves `api`.
    let client = FargateService::builder("Client", &cluster, &client_task)
        .desired_count(1)
        .circuit_breaker(CircuitBreaker::Rollback)
        .service_connect(ServiceConnect::in_cluster_namespace())
        .build(&mut stack)?;

    server.connections().allow_from(
        &mut stack,
        &client,
        Port::tcp(80),
        Some("Client to server"),
    )?;

    stack.output("ServerName", server.name())?;
    stack.output("ClientName", client.name())?;
    app.add(stack)?;
    Ok(app)
}
