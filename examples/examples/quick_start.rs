//! The README's quick start, verbatim below this header: `scripts/oracles.py` checks
//! that the README's code block equals it, and `cargo clippy --all-targets` compiles it.
//!
//! `cargo run -p ecscdk-examples --example quick_start -- synth`

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    CircuitBreaker, Cluster, Container, ContainerImage, ContainerInsights, FargateCapacity,
    FargateCpu, FargateService, FargateTaskDefinition, LogDriver, PortMapping, Volume,
};
use ecscdk::prelude::*;

fn main() -> ecscdk::cli::Result<()> {
    let mut app = App::new();
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enhanced)
        .fargate_capacity_providers()
        .build(&mut stack)?;

    let task = FargateTaskDefinition::builder("Task")
        .cpu(FargateCpu::Vcpu0_5)
        .memory_mib(1024) // checked against Fargate's table at build()
        // The root filesystem is read-only by default: nginx gets scratch space.
        .volume(Volume::scratch("cache"))
        .volume(Volume::scratch("run"))
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:latest"),
            )
            .port(PortMapping::tcp(80).name("http"))
            .mount("cache", "/var/cache/nginx", false)
            .mount("run", "/var/run", false)
            .logging(LogDriver::aws_logs("web")), // its own log group, kept 30 days
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
    app.add(stack)?;
    app.run() // synth | list | diff | deploy | destroy, from argv
}
