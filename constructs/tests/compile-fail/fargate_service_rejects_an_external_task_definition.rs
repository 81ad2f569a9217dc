//! A Fargate service rejects an external (ECS Anywhere) task definition.
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, ExternalNetworkMode, ExternalTaskDefinition,
    FargateService,
};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    let cluster = Cluster::builder("Cluster").build(&mut stack)?;
    let task = ExternalTaskDefinition::builder("Task", ExternalNetworkMode::Bridge)
        .container(Container::builder("a", ContainerImage::registry("a:1")).memory_limit_mib(64))
        .build(&mut stack)?;
    FargateService::builder("Service", &cluster, &task).build(&mut stack)?;
    Ok(())
}
