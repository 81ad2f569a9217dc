//! A Managed Instances strategy holds Managed Instances providers only: ECS
//! takes one kind of provider per strategy.
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerImage,
    ManagedInstancesCapacityProvider, ManagedInstancesNetworkMode, ManagedInstancesService,
    ManagedInstancesTaskDefinition,
};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack)?;
    let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
    let managed = ManagedInstancesCapacityProvider::builder("Managed", &cluster).build(&mut stack)?;
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium").build(&mut stack)?;
    let provider = AsgCapacityProvider::builder("Provider", &asg).build(&mut stack)?;
    let task = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
        .container(Container::builder("a", ContainerImage::registry("a:1")))
        .build(&mut stack)?;
    ManagedInstancesService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([managed.strategy(), provider.strategy()])
        .build(&mut stack)?;
    Ok(())
}
