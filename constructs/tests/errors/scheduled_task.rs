//! Bad inputs of the scheduled-task patterns and their schedule
//! expressions: rejected when the pattern is built, with its path.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

use std::time::Duration;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{Cluster, Container, ContainerBuilder, ContainerImage};
use ecscdk::patterns::{ScheduledFargateTask, ScheduledFargateTaskBuilder};
use ecscdk::scheduler::{RateUnit, ScheduleExpression};

use super::*;

fn job() -> ContainerBuilder {
    Container::builder(
        "ScheduledContainer",
        ContainerImage::registry("public.ecr.aws/example/job:1"),
    )
}

fn build_error(
    schedule: ScheduleExpression,
    configure: impl FnOnce(ScheduledFargateTaskBuilder) -> ScheduledFargateTaskBuilder,
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
    configure(ScheduledFargateTask::builder(
        "Nightly",
        &cluster,
        job(),
        schedule,
    ))
    .build(&mut stack)
    .unwrap_err()
}

#[test]
fn rejects_a_cron_with_five_fields() {
    let err = build_error(ScheduleExpression::cron("0 2 * * *"), |b| b);
    assert_invalid(&err, "Web/Nightly", "schedule");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] schedule: cron expression "0 2 * * *" has 5 fields; write six: minutes hours day-of-month month day-of-week year"#);
}

#[test]
fn rejects_a_cron_with_both_day_fields() {
    let err = build_error(ScheduleExpression::cron("0 2 * * MON *"), |b| b);
    assert_invalid(&err, "Web/Nightly", "schedule");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] schedule: cron expression "0 2 * * MON *": exactly one of day-of-month and day-of-week must be `?`; e.g. `0 8 ? * MON-FRI *` or `0 8 1 * ? *`"#);
}

#[test]
fn rejects_a_cron_hour_out_of_range() {
    let err = build_error(ScheduleExpression::daily_at(24, 0), |b| b);
    assert_invalid(&err, "Web/Nightly", "schedule");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] schedule: cron expression "0 24 * * ? *", hours: "24" is not a value from 0 to 23"#);
}

#[test]
fn rejects_a_rate_of_zero() {
    let err = build_error(ScheduleExpression::rate(0, RateUnit::Hours), |b| b);
    assert_invalid(&err, "Web/Nightly", "schedule");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] schedule: a rate of 0 never fires; give a value of at least 1"#);
}

#[test]
fn rejects_a_time_zone_on_a_rate() {
    let err = build_error(
        ScheduleExpression::rate(1, RateUnit::Days).timezone("Europe/Paris"),
        |b| b,
    );
    assert_invalid(&err, "Web/Nightly", "schedule");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] schedule: a time zone applies only to cron and at schedules; remove it from the rate schedule"#);
}

#[test]
fn rejects_a_malformed_time_zone() {
    let err = build_error(
        ScheduleExpression::daily_at(2, 0).timezone("Paris time"),
        |b| b,
    );
    assert_invalid(&err, "Web/Nightly", "schedule");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] schedule: time zone "Paris time" is not an IANA time zone name such as Europe/Paris or UTC"#);
}

#[test]
fn rejects_an_at_moment_that_is_not_a_date() {
    let err = build_error(ScheduleExpression::at("2027-02-29T02:00:00"), |b| b);
    assert_invalid(&err, "Web/Nightly", "schedule");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] schedule: at schedule "2027-02-29T02:00:00" is not a moment written yyyy-mm-ddThh:mm:ss"#);
}

#[test]
fn rejects_a_task_count_of_zero() {
    let err = build_error(ScheduleExpression::daily_at(2, 0), |b| b.task_count(0));
    assert_invalid(&err, "Web/Nightly", "task_count");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] task_count: 0 tasks per run; RunTask starts 1 to 10"#);
}

#[test]
fn rejects_a_task_count_above_10() {
    let err = build_error(ScheduleExpression::daily_at(2, 0), |b| b.task_count(11));
    assert_invalid(&err, "Web/Nightly", "task_count");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] task_count: 11 tasks per run; RunTask starts 1 to 10"#);
}

#[test]
fn rejects_more_than_185_retries() {
    let err = build_error(ScheduleExpression::daily_at(2, 0), |b| {
        b.retry_attempts(186)
    });
    assert_invalid(&err, "Web/Nightly", "retry_attempts");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] retry_attempts: 186 retries; EventBridge Scheduler retries 0 to 185 times"#);
}

#[test]
fn rejects_a_max_event_age_under_a_minute() {
    let err = build_error(ScheduleExpression::daily_at(2, 0), |b| {
        b.max_event_age(Duration::from_secs(59))
    });
    assert_invalid(&err, "Web/Nightly", "max_event_age");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] max_event_age: 59s is not a whole number of seconds from 60 (1 minute) to 86400 (24 hours)"#);
}

#[test]
fn rejects_a_description_over_512_characters() {
    let err = build_error(ScheduleExpression::daily_at(2, 0), |b| {
        b.description("x".repeat(513))
    });
    assert_invalid(&err, "Web/Nightly", "description");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] description: 513 characters; a schedule description has at most 512"#);
}

#[test]
fn rejects_a_cluster_without_vpc() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let err = ScheduledFargateTask::builder(
        "Nightly",
        &cluster,
        job(),
        ScheduleExpression::daily_at(2, 0),
    )
    .build(&mut stack)
    .unwrap_err();
    assert_missing(&err, "Web/Nightly", "cluster VPC");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] `cluster VPC` is required: give the cluster a VPC with `Cluster::builder(..).vpc(&vpc)`: awsvpc tasks run in its subnets"#);
}

#[test]
fn rejects_a_size_with_a_given_task_definition() {
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
    let task = ecscdk::ecs::FargateTaskDefinition::builder("Report")
        .container(job())
        .build(&mut stack)
        .unwrap();
    let size = ecscdk::ecs::FargateSize::new(ecscdk::ecs::FargateCpu::Vcpu1, 2048).unwrap();
    let err = ScheduledFargateTask::with_task_definition(
        "Nightly",
        &cluster,
        &task,
        ScheduleExpression::daily_at(2, 0),
    )
    .size(size)
    .build(&mut stack)
    .unwrap_err();
    assert_conflict(&err, "Web/Nightly", "size", "with_task_definition");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] `size` conflicts with `with_task_definition`: size the given task definition on its own builder, or let the pattern create one"#);
}

#[test]
fn rejects_a_network_mode_with_a_given_task_definition() {
    let mut stack = Stack::new("Web");
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task =
        ecscdk::ecs::Ec2TaskDefinition::builder("Report", ecscdk::ecs::Ec2NetworkMode::Bridge)
            .container(job().memory_limit_mib(256))
            .build(&mut stack)
            .unwrap();
    let err = ecscdk::patterns::ScheduledEc2Task::with_task_definition(
        "Nightly",
        &cluster,
        &task,
        ScheduleExpression::daily_at(2, 0),
    )
    .network_mode(ecscdk::ecs::Ec2NetworkMode::AwsVpc)
    .build(&mut stack)
    .unwrap_err();
    assert_conflict(&err, "Web/Nightly", "network_mode", "with_task_definition");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] `network_mode` conflicts with `with_task_definition`: the given task definition has its own network mode; drop `network_mode`"#);
}

#[test]
fn rejects_a_time_zone_with_an_events_rule() {
    let err = build_error(
        ScheduleExpression::daily_at(2, 0).timezone("Europe/Paris"),
        |b| b.trigger(ecscdk::patterns::ScheduleTrigger::EventsRule),
    );
    assert_conflict(
        &err,
        "Web/Nightly",
        "timezone",
        "ScheduleTrigger::EventsRule",
    );
    insta::assert_snapshot!(err, @r#"[Web/Nightly] `timezone` conflicts with `ScheduleTrigger::EventsRule`: EventBridge rules run in UTC: write the time in UTC, or keep the default EventBridge Scheduler trigger"#);
}

#[test]
fn rejects_an_at_schedule_with_an_events_rule() {
    let err = build_error(ScheduleExpression::at("2027-01-01T02:00:00"), |b| {
        b.trigger(ecscdk::patterns::ScheduleTrigger::EventsRule)
    });
    assert_invalid(&err, "Web/Nightly", "schedule");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] schedule: an EventBridge rule has no one-time `at` schedules; use cron or rate, or keep the default EventBridge Scheduler trigger"#);
}

#[test]
fn rejects_spot_on_a_cluster_without_fargate_capacity_providers() {
    let err = build_error(ScheduleExpression::daily_at(2, 0), |b| {
        b.capacity_provider_strategy([ecscdk::ecs::FargateCapacity::spot()])
    });
    assert_unsupported(&err, "Web/Nightly", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] `capacity_provider_strategy` cannot be used on a cluster without Fargate capacity providers: call `.fargate_capacity_providers()` on the cluster's builder"#);
}

#[test]
fn rejects_two_providers_with_a_base() {
    let err = build_error(ScheduleExpression::daily_at(2, 0), |b| {
        b.capacity_provider_strategy([
            ecscdk::ecs::FargateCapacity::spot().base(1),
            ecscdk::ecs::FargateCapacity::on_demand().base(1),
        ])
    });
    assert_invalid(&err, "Web/Nightly", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] capacity_provider_strategy: more than one provider has a base; give a base to one provider only"#);
}

#[test]
fn rejects_a_strategy_whose_weights_are_all_zero() {
    let err = build_error(ScheduleExpression::daily_at(2, 0), |b| {
        b.capacity_provider_strategy([ecscdk::ecs::FargateCapacity::spot().weight(0)])
    });
    assert_invalid(&err, "Web/Nightly", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] capacity_provider_strategy: every provider has weight 0, so no task is placed; give one a weight of at least 1"#);
}

#[test]
fn rejects_a_provider_listed_twice() {
    let err = build_error(ScheduleExpression::daily_at(2, 0), |b| {
        b.capacity_provider_strategy([
            ecscdk::ecs::FargateCapacity::spot(),
            ecscdk::ecs::FargateCapacity::spot().weight(2),
        ])
    });
    assert_invalid(&err, "Web/Nightly", "capacity_provider_strategy");
    insta::assert_snapshot!(err, @r#"[Web/Nightly] capacity_provider_strategy: a provider appears twice; list each provider once"#);
}
