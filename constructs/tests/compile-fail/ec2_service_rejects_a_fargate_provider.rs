//! An EC2 service's strategy holds ASG providers only: ECS rejects a
//! strategy that mixes Fargate and Auto Scaling group providers.
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerImage, Ec2NetworkMode,
    Ec2Service, Ec2TaskDefinition, FargateCapacity,
};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack)?;
    let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
    let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium").build(&mut stack)?;
    let provider = AsgCapacityProvider::builder("Provider", &asg).build(&mut stack)?;
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(Container::builder("a", ContainerImage::registry("a:1")).memory_limit_mib(64))
        .build(&mut stack)?;
    Ec2Service::builder("Service", &cluster, &task)
        .capacity_provider_strategy([provider.strategy(), FargateCapacity::spot()])
        .build(&mut stack)?;
    Ok(())
}
