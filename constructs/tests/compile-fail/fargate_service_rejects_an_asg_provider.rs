//! A Fargate service's strategy holds Fargate providers only.
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerImage, FargateService,
    FargateTaskDefinition,
};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack)?;
    let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium").build(&mut stack)?;
    let provider = AsgCapacityProvider::builder("Provider", &asg).build(&mut stack)?;
    let task = FargateTaskDefinition::builder("Task")
        .container(Container::builder("a", ContainerImage::registry("a:1")))
        .build(&mut stack)?;
    FargateService::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy()])
        .build(&mut stack)?;
    Ok(())
}
