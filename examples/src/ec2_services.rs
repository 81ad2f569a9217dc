//! EC2 services on Auto Scaling group capacity: a daemon (one CloudWatch
//! agent on every general-purpose instance), a bridge-mode nginx service
//! behind an application load balancer with dynamic host ports, and a GPU
//! task on a g5 instance with the GPU ECS-optimized AMI.
//!
//! `cargo run -p ecscdk-examples --bin ec2_services -- synth`.
//!
//! - The web service uses `ApplicationLoadBalancedEc2Service` (HTTPS with
//!   an ACM certificate given by ARN, HTTP redirected to HTTPS): its target
//!   group registers `instance` targets on the ports Docker picks, and the
//!   general instances' security group admits the load balancer's security
//!   group, and only it, on the ephemeral range 32768-65535 (as the AWS CDK
//!   opens it).
//! - The GPU service reserves one GPU; it runs on its own provider, whose
//!   group of `g5.xlarge` instances boots the GPU variant of the Amazon
//!   Linux 2023 ECS-optimized AMI (resolved from SSM at deploy time).
//!   ecscdk rejects a GPU task on a provider whose instance types it knows
//!   to have no GPUs.
//! - The daemon runs on the EC2 launch type (ECS runs no daemon on capacity
//!   providers), kept off the GPU instances by a `memberOf` constraint.

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AmiFamily, AmiHardware, AsgCapacityProvider, AutoScalingGroup, Cluster, Container,
    ContainerImage, Ec2NetworkMode, Ec2Service, Ec2TaskDefinition, Ec2Volume, EcsOptimizedImage,
    LogDriver, PlacementStrategy, PortMapping, ServicePlacementConstraint,
};
use ecscdk::iam::PolicyStatement;
use ecscdk::patterns::ApplicationLoadBalancedEc2Service;
use ecscdk::prelude::*;

use crate::scale::NGINX;

/// The CloudWatch agent image the daemon runs.
const AGENT: &str = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest";
/// The ACM certificate of the web service's HTTPS listener (replace it
/// with yours to deploy).
const CERTIFICATE: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
/// A CUDA base image for the GPU task.
const CUDA: &str = "nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04";

/// Builds the app.
///
/// # Errors
/// Never in practice: every input is valid.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("Ec2Services").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;

    // General-purpose instances.
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
        .machine_image(EcsOptimizedImage::amazon_linux_2023())
        .capacity(1, 6)
        .build(&mut stack)?;
    let provider = AsgCapacityProvider::builder("AsgProvider", &asg).build(&mut stack)?;
    cluster.add_asg_capacity_provider(&mut stack, &provider)?;

    // GPU instances.
    let gpu_asg = AutoScalingGroup::builder("GpuAsg", &vpc, "g5.xlarge")
        .machine_image(EcsOptimizedImage::new(
            AmiFamily::AmazonLinux2023,
            AmiHardware::Gpu,
        ))
        .capacity(0, 2)
        .build(&mut stack)?;
    let gpu_provider = AsgCapacityProvider::builder("GpuProvider", &gpu_asg).build(&mut stack)?;
    cluster.add_asg_capacity_provider(&mut stack, &gpu_provider)?;

    // A daemon: one agent per general-purpose instance.
    let agent = Ec2TaskDefinition::builder("AgentTask", Ec2NetworkMode::Bridge)
        .volume(Ec2Volume::scratch("tmp"))
        .container(
            Container::builder("agent", ContainerImage::registry(AGENT))
                .memory_reservation_mib(64)
                .memory_limit_mib(256)
                .logging(LogDriver::aws_logs("agent"))
                .mount("tmp", "/tmp", false),
        )
        .build(&mut stack)?;
    // The agent publishes metrics in its own namespace only
    // (`PutMetricData` has no resource-level permissions).
    agent.task_role().add_to_policy(
        &mut stack,
        PolicyStatement::allow()
            .action("cloudwatch:PutMetricData")
            .resource("*")
            .condition("StringEquals", "cloudwatch:namespace", "CWAgent"),
    )?;
    Ec2Service::builder("Agent", &cluster, &agent)
        .daemon()
        .placement_constraint(ServicePlacementConstraint::MemberOf(
            "attribute:ecs.instance-type =~ t3.*".to_owned(),
        ))
        .build(&mut stack)?;

    // Bridge mode behind an application load balancer, dynamic host ports.
    ApplicationLoadBalancedEc2Service::builder(
        "Web",
        &cluster,
        Container::builder("web", ContainerImage::registry(NGINX))
            .memory_limit_mib(256)
            .port(PortMapping::tcp(80))
            .logging(LogDriver::aws_logs("Web"))
            .mount("nginx-cache", "/var/cache/nginx", false)
            .mount("nginx-run", "/var/run", false)
            .mount("tmp", "/tmp", false),
    )
    .volume(Ec2Volume::scratch("nginx-cache"))
    .volume(Ec2Volume::scratch("nginx-run"))
    .volume(Ec2Volume::scratch("tmp"))
    .certificate_arn(CERTIFICATE)
    .capacity_provider_strategy([provider.strategy()])
    .placement_strategy(PlacementStrategy::spread_across_zones())
    .placement_strategy(PlacementStrategy::spread_across_instances())
    .desired_count(2)
    .build(&mut stack)?;

    // A GPU task on the g5 instances.
    let gpu_task = Ec2TaskDefinition::builder("GpuTask", Ec2NetworkMode::Bridge)
        .container(
            Container::builder("cuda", ContainerImage::registry(CUDA))
                .command(["sh", "-c", "nvidia-smi && sleep infinity"])
                .memory_limit_mib(4096)
                .gpu_count(1)
                .logging(LogDriver::aws_logs("gpu"))
                .read_only_root_filesystem(),
        )
        .build(&mut stack)?;
    Ec2Service::builder("GpuService", &cluster, &gpu_task)
        .desired_count(1)
        .capacity_provider_strategy([gpu_provider.strategy()])
        .build(&mut stack)?;

    app.add(stack)?;
    Ok(app)
}
