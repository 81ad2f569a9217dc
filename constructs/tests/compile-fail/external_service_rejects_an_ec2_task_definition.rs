//! An external (ECS Anywhere) service rejects an EC2 task definition: its
//! `RequiresCompatibilities` is `EC2`, not `EXTERNAL`.
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, Ec2NetworkMode, Ec2TaskDefinition, ExternalService,
};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    let cluster = Cluster::builder("Cluster").build(&mut stack)?;
    let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
        .container(Container::builder("a", ContainerImage::registry("a:1")).memory_limit_mib(64))
        .build(&mut stack)?;
    ExternalService::builder("Service", &cluster, &task).build(&mut stack)?;
    Ok(())
}
