//! A Managed Instances service cannot run on Fargate providers.
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, FargateCapacity, ManagedInstancesNetworkMode,
    ManagedInstancesService, ManagedInstancesTaskDefinition,
};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .fargate_capacity_providers()
        .build(&mut stack)?;
    let task = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
        .container(Container::builder("a", ContainerImage::registry("a:1")))
        .build(&mut stack)?;
    ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([FargateCapacity::spot()])
        .build(&mut stack)?;
    Ok(())
}
