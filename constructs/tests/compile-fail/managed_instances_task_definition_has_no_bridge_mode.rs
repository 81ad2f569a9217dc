//! Managed Instances run `awsvpc` and `host` tasks; `bridge` is not offered.
use ecscdk::ecs::{Container, ContainerImage, ManagedInstancesNetworkMode, ManagedInstancesTaskDefinition};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::Bridge)
        .container(Container::builder("a", ContainerImage::registry("a:1")))
        .build(&mut stack)?;
    Ok(())
}
