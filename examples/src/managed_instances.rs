//! ECS Managed Instances: a cluster with a Managed Instances capacity
//! provider (current-generation Graviton instances with 2–8 vCPUs and
//! 4–32 GiB, 100 GiB task volumes, tags propagated) and an nginx service of
//! `awsvpc` tasks on it, scaled between 2 and 6 tasks on CPU (ECS adds and
//! retires the instances the tasks need).
//!
//! `cargo run -p ecscdk-examples --bin managed_instances -- synth`.
//!
//! ECS launches, patches and retires the instances itself: the provider
//! creates the infrastructure role ECS assumes for that (the AWS managed
//! policy `AmazonECSInfrastructureRolePolicyForManagedInstances`, plus
//! `iam:PassRole` on exactly the instance role), the instance role with the
//! AWS CDK's scoped-down agent permissions and its instance profile.

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, CpuManufacturer, InstanceGeneration, InstanceRequirements,
    LogDriver, ManagedInstancesCapacityProvider, ManagedInstancesNetworkMode,
    ManagedInstancesService, ManagedInstancesTaskDefinition, PortMapping,
};
use ecscdk::prelude::*;

use crate::scale::NGINX;

/// Builds the app.
///
/// # Errors
/// Never in practice: every input is valid.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("ManagedInstances").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;

    let provider = ManagedInstancesCapacityProvider::builder("ManagedInstances", &cluster)
        .instance_requirements(
            InstanceRequirements::new(2..=8, 4096..=32768)
                .cpu_manufacturer(CpuManufacturer::AmazonWebServices)
                .instance_generation(InstanceGeneration::Current),
        )
        .task_volume_storage_gib(100)
        .propagate_tags()
        .build(&mut stack)?;

    let task = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
        .cpu(512)
        .memory_mib(1024)
        .scratch_volume("nginx-cache")
        .scratch_volume("nginx-run")
        .scratch_volume("tmp")
        .container(
            Container::builder("web", ContainerImage::registry(NGINX))
                .port(PortMapping::tcp(80))
                .logging(LogDriver::aws_logs("web"))
                .mount("nginx-cache", "/var/cache/nginx", false)
                .mount("nginx-run", "/var/run", false)
                .mount("tmp", "/tmp", false),
        )
        .build(&mut stack)?;
    let service = ManagedInstancesService::builder("Service", &cluster, &task)
        .desired_count(2)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)?;
    service.auto_scale(&mut stack, 2..=6)?.on_cpu(70.0)?;

    stack.output("ServiceName", service.name())?;
    stack.output("CapacityProviderName", provider.name())?;
    app.add(stack)?;
    Ok(app)
}
