//! External instances have no elastic network interfaces: an external task
//! definition offers no `awsvpc` network mode.
use ecscdk::ecs::{Container, ContainerImage, ExternalNetworkMode, ExternalTaskDefinition};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    ExternalTaskDefinition::builder("Task", ExternalNetworkMode::AwsVpc)
        .container(Container::builder("a", ContainerImage::registry("a:1")).memory_limit_mib(64))
        .build(&mut stack)?;
    Ok(())
}
