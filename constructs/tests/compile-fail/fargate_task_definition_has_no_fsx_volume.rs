//! FSx for Windows File Server volumes are for Windows tasks on EC2: a
//! Fargate task definition's volumes do not offer them.
use ecscdk::ecs::{Container, ContainerImage, FargateTaskDefinition, FsxWindowsVolume};
use ecscdk::Stack;

fn main() -> ecscdk::Result<()> {
    let mut stack = Stack::new("S");
    FargateTaskDefinition::builder("Task")
        .volume(
            FsxWindowsVolume::new(
                "share",
                "fs-0123456789abcdef0",
                "share",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:fsx",
                "corp.example.com",
            )
            .into(),
        )
        .container(Container::builder("a", ContainerImage::registry("a:1")))
        .build(&mut stack)?;
    Ok(())
}
