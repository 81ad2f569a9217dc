//! A nightly job: a Fargate task that EventBridge Scheduler starts every
//! day at 02:00 Paris time (daylight saving followed), in the VPC's private
//! subnets, retrying a run it could not start for up to an hour and
//! sending the runs it gave up on to an encrypted dead-letter queue. The
//! scheduler's role may only run this task definition in this cluster and
//! pass the task's own roles.
//!
//! `cargo run -p ecscdk-examples --bin nightly_job -- synth`

use std::time::Duration;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{Cluster, Container, ContainerImage, ContainerInsights, LogDriver};
use ecscdk::patterns::ScheduledFargateTask;
use ecscdk::prelude::*;
use ecscdk::scheduler::ScheduleExpression;

/// Builds the app.
///
/// # Errors
/// Never for this fixed input; errors would name the construct path.
pub fn app() -> ecscdk::Result<App> {
    let mut app = App::new();
    let mut stack = Stack::new("NightlyJob")
        .env(Env::new("123456789012", "eu-west-3"))
        .description("ecscdk example: a Fargate task run every night at 02:00 Paris time");

    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)?;
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .container_insights(ContainerInsights::Enhanced)
        .build(&mut stack)?;

    let job = ScheduledFargateTask::builder(
        "Nightly",
        &cluster,
        Container::builder(
            "ScheduledContainer",
            ContainerImage::registry("public.ecr.aws/docker/library/busybox:stable"),
        )
        .command(["sh", "-c", "echo nightly report; date"])
        .logging(LogDriver::aws_logs("Nightly"))
        .read_only_root_filesystem(),
        ScheduleExpression::daily_at(2, 0).timezone("Europe/Paris"),
    )
    .description("Nightly report at 02:00 Europe/Paris")
    .retry_attempts(3)
    .max_event_age(Duration::from_secs(3600))
    .build(&mut stack)?;

    stack.output("DeadLetterQueueUrl", job.dead_letter_queue().url())?;
    app.add(stack)?;
    Ok(app)
}
