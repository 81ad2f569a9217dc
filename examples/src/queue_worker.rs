//! A queue worker on Fargate: an SQS queue (encrypted, TLS only) with a
//! dead-letter queue after 3 receives, a worker that reads the queue's name
//! from `QUEUE_NAME`, a task role that may only consume that queue, and a
//! task count between 1 and 10 that follows the backlog (the AWS CDK's
//! steps) and CPU (50 %), mostly on Fargate Spot (an interrupted message
//! just becomes visible again) above one on-demand task. The AWS CDK's
//! `QueueProcessingFargateService` child ids, so a port keeps its logical
//! IDs.
//!
//! `cargo run -p ecscdk-examples --bin queue_worker -- synth`

use std::time::Duration;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{
    Cluster, Container, ContainerImage, ContainerInsights, FargateCapacity, LogDriver,
};
use ecscdk::patterns::QueueProcessingFargateService;
use ecscdk::prelude::*;

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("QueueWorker")
        .env(Env::new("123456789012", "us-east-1"))
        .description("ecscdk example: a Fargate worker scaling on an SQS queue's backlog");

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enhanced)
        .fargate_capacity_providers()
        .build(&mut stack)?;

    let worker = QueueProcessingFargateService::builder(
        "Worker",
        &cluster,
        Container::builder(
            "QueueProcessingContainer",
            ContainerImage::registry("public.ecr.aws/docker/library/busybox:stable"),
        )
        .command(["sh", "-c", "echo polling $QUEUE_NAME; sleep 3600"])
        .logging(LogDriver::aws_logs("Worker"))
        .read_only_root_filesystem(),
    )
    .visibility_timeout(Duration::from_secs(120))
    .capacity(1..=10)
    .capacity_provider_strategy([
        FargateCapacity::on_demand().base(1).weight(1),
        FargateCapacity::spot().weight(3),
    ])
    .build(&mut stack)?;

    stack.output("QueueUrl", worker.queue().url())?;
    app.add(stack)?;
    Ok(app)
}
