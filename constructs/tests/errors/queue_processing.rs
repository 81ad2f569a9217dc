//! Bad inputs of the queue-processing service patterns: rejected when the
//! pattern is built, with the construct path of the part that fails.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

use std::time::Duration;

use ecscdk::appscaling::ScalingInterval;
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{Cluster, Container, ContainerBuilder, ContainerImage};
use ecscdk::patterns::{QueueProcessingFargateService, QueueProcessingFargateServiceBuilder};
use ecscdk::sqs::Queue;

use super::*;

fn worker() -> ContainerBuilder {
    Container::builder(
        "QueueProcessingContainer",
        ContainerImage::registry("public.ecr.aws/example/worker:1"),
    )
}

fn build_error(
    configure: impl FnOnce(
        QueueProcessingFargateServiceBuilder,
        &mut Stack,
    ) -> QueueProcessingFargateServiceBuilder,
) -> Error {
    let mut stack = Stack::new("Web");
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let builder = QueueProcessingFargateService::builder("Worker", &cluster, worker());
    configure(builder, &mut stack)
        .build(&mut stack)
        .unwrap_err()
}

#[test]
fn rejects_queue_settings_with_a_given_queue() {
    let err = build_error(|b, stack| {
        let queue = Queue::builder("Jobs").build(stack).unwrap();
        b.queue(&queue).visibility_timeout(Duration::from_secs(60))
    });
    assert_conflict(&err, "Web/Worker", "queue", "visibility_timeout");
    insta::assert_snapshot!(err, @r#"[Web/Worker] `queue` conflicts with `visibility_timeout`: the queue's settings belong to the queue you pass: set them on its `Queue::builder(..)` and drop them here"#);
}

#[test]
fn rejects_a_maximum_capacity_of_zero() {
    let err = build_error(|b, _| b.capacity(0..=0));
    assert_invalid(&err, "Web/Worker", "capacity");
    insta::assert_snapshot!(err, @r#"[Web/Worker] capacity: a maximum of 0 tasks never processes a message; allow at least 1"#);
}

#[test]
#[allow(clippy::reversed_empty_ranges, reason = "the bad input under test")]
fn rejects_a_minimum_capacity_above_the_maximum() {
    let err = build_error(|b, _| b.capacity(5..=2));
    assert_invalid(&err, "Web/Worker", "capacity");
    insta::assert_snapshot!(err, @r#"[Web/Worker] capacity: minimum 5 is above maximum 2; write min..=max"#);
}

#[test]
fn rejects_a_cpu_target_above_100_percent() {
    let err = build_error(|b, _| b.cpu_target_percent(120.0));
    assert_invalid(&err, "Web/Worker", "cpu_target_percent");
    insta::assert_snapshot!(err, @r#"[Web/Worker] cpu_target_percent: 120 is not a utilization above 0 and at most 100 percent"#);
}

#[test]
fn rejects_a_max_receive_count_above_1000() {
    let err = build_error(|b, _| b.max_receive_count(1001));
    assert_invalid(&err, "Web/Worker/EcsProcessingQueue", "dead_letter_queue");
    insta::assert_snapshot!(err, @r#"[Web/Worker/EcsProcessingQueue] dead_letter_queue: max receive count 1001 is not from 1 to 1000"#);
}

#[test]
fn rejects_a_single_scaling_step() {
    let err = build_error(|b, _| b.scaling_steps([ScalingInterval::above(100.0, 1)]));
    assert_invalid(
        &err,
        "Web/Worker/QueueProcessingFargateService/TaskCount/Target/QueueMessagesVisibleScaling",
        "steps",
    );
    insta::assert_snapshot!(err, @r#"[Web/Worker/QueueProcessingFargateService/TaskCount/Target/QueueMessagesVisibleScaling] steps: 1 step(s) given; give at least 2 (e.g. one below a threshold, one above)"#);
}

#[test]
fn rejects_execute_command_on_a_read_only_root_filesystem() {
    let err = build_error(|b, _| b.enable_execute_command());
    assert_unsupported(
        &err,
        "Web/Worker/QueueProcessingFargateService",
        "enable_execute_command",
    );
    insta::assert_snapshot!(err, @r#"[Web/Worker/QueueProcessingFargateService] `enable_execute_command` cannot be used with a read-only root filesystem: the ECS Exec agent writes to /managed-agents, /var/lib/amazon/ssm and /var/log/amazon/ssm: mount writable scratch volumes there, or make the root filesystem writable"#);
}
