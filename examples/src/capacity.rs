//! A port of the AWS CDK reference app `capacity.js`: a cluster with the
//! Fargate capacity providers and an Auto Scaling group capacity provider
//! (t3.medium, Amazon Linux 2023 ECS-optimized AMI, 0–10 instances), a
//! bridge-mode EC2 service on the ASG provider and a Fargate service on a
//! `FARGATE_SPOT`/`FARGATE` strategy.
//!
//! `cargo run -p ecscdk-examples --bin capacity -- synth`. Every logical ID of
//! the CDK's template appears here with the same type (`tests/synth.rs`).
//! Properties that deliberately differ from the CDK's:
//!
//! - launch template: IMDSv2 required and encrypted root volumes (the CDK
//!   leaves IMDSv1 on and volumes unencrypted);
//! - the EC2 service depends on the cluster's capacity-provider associations
//!   (the CDK leaves it unordered: its issues #18179, #19275), and has a
//!   circuit breaker with rollback and minimum healthy 100 %;
//! - containers: read-only root filesystems, with scratch volumes where
//!   nginx writes; log groups keep 30 days;
//! - cluster: Container Insights enabled; VPC: flow logs (extra resources);
//! - the instance role has no `logs:CreateLogStream`/`logs:PutLogEvents` on
//!   `*`: the tasks log through their execution roles, each granted on its
//!   own log group.

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerImage, Ec2NetworkMode,
    Ec2Service, Ec2TaskDefinition, Ec2Volume, EcsOptimizedImage, FargateCapacity, FargateService,
    FargateTaskDefinition, LogDriver, PortMapping,
};
use ecscdk::prelude::*;

use crate::scale::{NGINX, with_nginx};

/// Builds the app.
///
/// # Errors
/// Never in practice: every input is valid.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("Capacity").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .fargate_capacity_providers()
        .build(&mut stack)?;

    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .machine_image(EcsOptimizedImage::amazon_linux_2023())
        .capacity(0, 10)
        .build(&mut stack)?;
    let provider = AsgCapacityProvider::builder("AsgProvider", &asg).build(&mut stack)?;
    cluster.add_asg_capacity_provider(&mut stack, &provider)?;

    let ec2_task = Ec2TaskDefinition::builder("Ec2Task", Ec2NetworkMode::Bridge)
        .volume(Ec2Volume::scratch("nginx-cache"))
        .volume(Ec2Volume::scratch("nginx-run"))
        .volume(Ec2Volume::scratch("tmp"))
        .container(
            Container::builder("web", ContainerImage::registry(NGINX))
                .memory_limit_mib(512)
                .port(PortMapping::tcp(80))
                .logging(LogDriver::aws_logs("ec2"))
                .mount("nginx-cache", "/var/cache/nginx", false)
                .mount("nginx-run", "/var/run", false)
                .mount("tmp", "/tmp", false),
        )
        .build(&mut stack)?;
    Ec2Service::builder("Ec2Service", &cluster, &ec2_task)
        .desired_count(1)
        .capacity_provider_strategy([provider.strategy().weight(1)])
        .build(&mut stack)?;

    let fargate_task = with_nginx(
        FargateTaskDefinition::builder("FargateTask"),
        Container::builder("web", ContainerImage::registry(NGINX))
            .port(PortMapping::tcp(80))
            .logging(LogDriver::aws_logs("fargate")),
    )
    .build(&mut stack)?;
    FargateService::builder("FargateService", &cluster, &fargate_task)
        .desired_count(2)
        .capacity_provider_strategy([
            FargateCapacity::spot().weight(2),
            FargateCapacity::on_demand().base(1).weight(1),
        ])
        .build(&mut stack)?;

    app.add(stack)?;
    Ok(app)
}
