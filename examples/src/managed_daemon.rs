//! ECS Managed Daemons: an OpenTelemetry collector on every instance of a
//! Managed Instances capacity provider, and an nginx service on the same
//! provider that sends it telemetry at `169.254.172.2`, the address where
//! tasks reach the instance's daemons.
//!
//! `cargo run -p ecscdk-examples --bin managed_daemon -- synth`
//!
//! The collector's daemon task definition reserves 0.25 vCPU and 512 MiB on
//! each instance, reads the host's `/proc` and `/sys` read-only, shares the
//! host's PID namespace to see every process, and may publish metrics to
//! one CloudWatch namespace only. The daemon is critical (ECS replaces an
//! instance whose collector fails), rolls a new revision out a fifth of the
//! instances at a time with ten minutes between steps, and the service
//! waits for it in CloudFormation, so its first instances start with the
//! collector already running.

use std::time::Duration;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, Daemon, DaemonNamespace, DaemonTaskDefinition, HealthCheck,
    LogDriver, ManagedInstancesCapacityProvider, ManagedInstancesNetworkMode,
    ManagedInstancesService, ManagedInstancesTaskDefinition, PortMapping,
};
use ecscdk::iam::PolicyStatement;
use ecscdk::prelude::*;

use crate::scale::NGINX;

/// The AWS Distro for OpenTelemetry collector.
const COLLECTOR: &str = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3";

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("ManagedDaemon")
        .env(Env::new("123456789012", "us-east-1"))
        .description("ecscdk example: an ECS Managed Daemon beside a service");
    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
    let provider = ManagedInstancesCapacityProvider::builder("ManagedInstances", &cluster)
        .build(&mut stack)?;

    let collector = DaemonTaskDefinition::builder("Collector")
        .host_volume("proc", "/proc")
        .host_volume("sys", "/sys")
        .pid_mode(DaemonNamespace::Shared)
        .container(
            Container::builder("collector", ContainerImage::registry(COLLECTOR))
                .command(["--config=/etc/ecs/ecs-default-config.yaml"])
                .env("HOST_PROC", "/host/proc")
                .env("HOST_SYS", "/host/sys")
                .mount("proc", "/host/proc", true)
                .mount("sys", "/host/sys", true)
                .memory_reservation_mib(256)
                .health_check(HealthCheck::shell("/healthcheck"))
                .logging(LogDriver::aws_logs("collector"))
                .read_only_root_filesystem(),
        )
        .build(&mut stack)?;
    collector.task_role().add_to_policy(
        &mut stack,
        PolicyStatement::allow()
            .action("cloudwatch:PutMetricData")
            .resource("*")
            .condition("StringEquals", "cloudwatch:namespace", "ECS/OpenTelemetry"),
    )?;
    let daemon = Daemon::builder("CollectorDaemon", &cluster, &collector)
        .capacity_provider(&provider)
        .drain_percent(20.0)
        .bake_time(Duration::from_secs(10 * 60))
        .propagate_tags()
        .build(&mut stack)?;

    let task = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
        .scratch_volume("nginx-cache")
        .scratch_volume("nginx-run")
        .container(
            Container::builder("web", ContainerImage::registry(NGINX))
                .port(PortMapping::tcp(80))
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://169.254.172.2:4317")
                .logging(LogDriver::aws_logs("web"))
                .mount("nginx-cache", "/var/cache/nginx", false)
                .mount("nginx-run", "/var/run", false),
        )
        .build(&mut stack)?;
    let service = ManagedInstancesService::builder("Service", &cluster, &task)
        .desired_count(2)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)?;

    stack.output("DaemonArn", daemon.arn())?;
    stack.output("ServiceName", service.name())?;
    app.add(stack)?;
    Ok(app)
}
