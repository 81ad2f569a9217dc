//! A Managed Instances service runs MANAGED_INSTANCES task definitions only.
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, FargateTaskDefinition, ManagedInstancesService,
};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    let vpc = Vpc::builder("Vpc").build(&mut stack)?;
    let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
    let task = FargateTaskDefinition::builder("Task")
        .container(Container::builder("a", ContainerImage::registry("a:1")))
        .build(&mut stack)?;
    ManagedInstancesService::builder("Service", &cluster, &task).build(&mut stack)?;
    Ok(())
}
