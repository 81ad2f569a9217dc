//! ECS Anywhere has no load balancer integration: an external service
//! offers no load balancer target (nor Cloud Map, Service Connect, capacity
//! providers or awsvpc settings).
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, ExternalNetworkMode, ExternalService,
    ExternalTaskDefinition, PortMapping,
};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    let cluster = Cluster::builder("Cluster").build(&mut stack)?;
    let task = ExternalTaskDefinition::builder("Task", ExternalNetworkMode::Bridge)
        .container(
            Container::builder("a", ContainerImage::registry("a:1"))
                .memory_limit_mib(64)
                .port(PortMapping::tcp(80)),
        )
        .build(&mut stack)?;
    ExternalService::builder("Service", &cluster, &task)
        .load_balancer_target("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef", "a", 80, [])
        .build(&mut stack)?;
    Ok(())
}
