//! An external (ECS Anywhere) service runs external task definitions only.
use ecscdk::ecs::{Cluster, Container, ContainerImage, ExternalService, FargateTaskDefinition};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    let cluster = Cluster::builder("Cluster").build(&mut stack)?;
    let task = FargateTaskDefinition::builder("Task")
        .container(Container::builder("a", ContainerImage::registry("a:1")))
        .build(&mut stack)?;
    ExternalService::builder("Service", &cluster, &task).build(&mut stack)?;
    Ok(())
}
