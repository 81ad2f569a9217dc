//! ECS Anywhere: containers on your own servers, managed from a cluster in
//! the region. A cluster without AWS capacity, the instance role and the
//! registration commands for the servers (`ExternalCapacity`, whose stack
//! outputs say what to run on each server), a bridge-mode web service of two
//! nginx tasks on host port 8080 spread over the servers, and a host-mode
//! daemon that runs the Prometheus node exporter on every registered server.
//!
//! `cargo run -p ecscdk-examples --bin anywhere -- synth`. After a deploy:
//! run the stack's `ServersActivationCommand` output, then its
//! `ServersRegistrationCommand` on each server with the activation's id and
//! code.

use ecscdk::ecs::{
    Cluster, Container, ContainerImage, Ec2Volume, ExternalCapacity, ExternalNetworkMode,
    ExternalService, ExternalTaskDefinition, LogDriver, PlacementStrategy, PortMapping,
};
use ecscdk::prelude::*;

use crate::scale::NGINX;

/// The Prometheus node exporter.
const NODE_EXPORTER: &str = "quay.io/prometheus/node-exporter:v1.8.2";

/// Builds the app.
///
/// # Errors
/// Never in practice: every input is valid.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("Anywhere").env(Env::new("123456789012", "us-east-1"));
    let cluster = Cluster::builder("Cluster").build(&mut stack)?;
    ExternalCapacity::builder("Servers", &cluster).build(&mut stack)?;

    let web = ExternalTaskDefinition::builder("WebTask", ExternalNetworkMode::Bridge)
        .volume(Ec2Volume::scratch("nginx-cache"))
        .volume(Ec2Volume::scratch("nginx-run"))
        .volume(Ec2Volume::scratch("tmp"))
        .container(
            Container::builder("web", ContainerImage::registry(NGINX))
                .memory_limit_mib(256)
                .port(PortMapping::tcp(80).host_port(8080))
                .logging(LogDriver::aws_logs("web"))
                .mount("nginx-cache", "/var/cache/nginx", false)
                .mount("nginx-run", "/var/run", false)
                .mount("tmp", "/tmp", false),
        )
        .build(&mut stack)?;
    // Fixed host ports: one task per server, spread over the servers; a
    // deployment replaces a task in place (down to one running) instead of
    // waiting for a free server.
    let web_service = ExternalService::builder("Web", &cluster, &web)
        .desired_count(2)
        .placement_strategy(PlacementStrategy::spread_across_instances())
        .min_healthy_percent(50)
        .max_percent(100)
        .build(&mut stack)?;

    let exporter = ExternalTaskDefinition::builder("NodeExporterTask", ExternalNetworkMode::Host)
        .volume(Ec2Volume::host_path("root", "/"))
        .container(
            Container::builder("node-exporter", ContainerImage::registry(NODE_EXPORTER))
                .memory_limit_mib(64)
                .port(PortMapping::tcp(9100))
                .command(["--path.rootfs=/host"])
                .logging(LogDriver::aws_logs("node-exporter"))
                .mount("root", "/host", true)
                // It reads the host and writes nothing.
                .read_only_root_filesystem(),
        )
        .build(&mut stack)?;
    ExternalService::builder("NodeExporter", &cluster, &exporter)
        .daemon()
        .build(&mut stack)?;

    stack.output("WebServiceName", web_service.name())?;
    app.add(stack)?;
    Ok(app)
}
