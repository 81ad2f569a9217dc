//! Bad inputs of the `appscaling` module: each rejected by the builder or
//! policy method that receives it, with the construct path.
#![allow(clippy::unwrap_used, reason = "test helpers: a failure is the test's")]

use std::time::Duration;

use ecscdk::appscaling::{
    AdjustmentType, Metric, PredefinedMetric, ScalableTarget, ScalingInterval, Schedule,
    ServiceNamespace, StepScaling, TargetTracking,
};

use super::*;

fn ecs_target(stack: &mut Stack) -> ScalableTarget {
    ScalableTarget::builder(
        "Target",
        ServiceNamespace::Ecs,
        ScalableTarget::ecs_service_resource_id("prod", "web"),
        "ecs:service:DesiredCount",
        1,
        4,
    )
    .build(stack)
    .unwrap()
}

fn target_error(min: u32, max: u32, dimension: &str, resource_id: &str) -> Error {
    let mut stack = Stack::new("Web");
    ScalableTarget::builder(
        "Target",
        ServiceNamespace::Ecs,
        resource_id,
        dimension,
        min,
        max,
    )
    .build(&mut stack)
    .unwrap_err()
}

fn tracking_error(policy: TargetTracking) -> Error {
    let mut stack = Stack::new("Web");
    ecs_target(&mut stack)
        .scale_to_track(&mut stack, "Cpu", policy)
        .unwrap_err()
}

fn cpu(target: f64) -> TargetTracking {
    TargetTracking::predefined(PredefinedMetric::EcsServiceAverageCpuUtilization, target)
}

fn step_error(policy: StepScaling) -> Error {
    let mut stack = Stack::new("Web");
    ecs_target(&mut stack)
        .scale_on_metric(&mut stack, "Queue", policy)
        .unwrap_err()
}

fn queue() -> StepScaling {
    StepScaling::new(Metric::new("AWS/SQS", "ApproximateNumberOfMessagesVisible"))
}

fn two_steps() -> StepScaling {
    queue()
        .step(ScalingInterval::below(10.0, -1))
        .step(ScalingInterval::above(50.0, 1))
}

fn schedule_error(schedule: Schedule, min: Option<u32>, max: Option<u32>) -> Error {
    let mut stack = Stack::new("Web");
    ecs_target(&mut stack)
        .scale_on_schedule(&mut stack, "Nightly", schedule, min, max)
        .unwrap_err()
}

fn cron(expr: &str) -> Error {
    schedule_error(Schedule::cron(expr), Some(1), Some(2))
}

const ECS_ID: &str = "service/prod/web";
const DESIRED: &str = "ecs:service:DesiredCount";

#[test]
fn rejects_auto_scaling_min_above_max() {
    let err = target_error(5, 2, DESIRED, ECS_ID);
    assert_invalid(&err, "Web/Target", "min_capacity");
    insta::assert_snapshot!(err, @"[Web/Target] min_capacity: min capacity 5 is above max capacity 2; lower min or raise max");
}

#[test]
fn rejects_auto_scaling_max_of_zero() {
    let err = target_error(0, 0, DESIRED, ECS_ID);
    assert_invalid(&err, "Web/Target", "max_capacity");
    insta::assert_snapshot!(err, @"[Web/Target] max_capacity: max capacity is 0, so the target could never run anything; give a max of at least 1");
}

#[test]
fn rejects_unknown_scalable_dimension() {
    let err = target_error(1, 2, "ecs:service:Desired", ECS_ID);
    assert_invalid(&err, "Web/Target", "scalable_dimension");
    insta::assert_snapshot!(err, @r#"[Web/Target] scalable_dimension: "ecs:service:Desired" is not a scalable dimension; use one of appstream:fleet:DesiredCapacity, cassandra:table:ReadCapacityUnits, cassandra:table:WriteCapacityUnits, comprehend:document-classifier-endpoint:DesiredInferenceUnits, comprehend:entity-recognizer-endpoint:DesiredInferenceUnits, custom-resource:ResourceType:Property, dynamodb:index:ReadCapacityUnits, dynamodb:index:WriteCapacityUnits, dynamodb:table:ReadCapacityUnits, dynamodb:table:WriteCapacityUnits, ec2:capacity-reservation:AvailableInstances, ec2:spot-fleet-request:TargetCapacity, ecs:service:DesiredCount, elasticache:cache-cluster:Nodes, elasticache:replication-group:NodeGroups, elasticache:replication-group:Replicas, elasticmapreduce:instancegroup:InstanceCount, kafka:broker-storage:VolumeSize, lambda:function:ProvisionedConcurrency, neptune:cluster:ReadReplicaCount, rds:cluster:ReadReplicaCount, sagemaker:inference-component:DesiredCopyCount, sagemaker:variant:DesiredInstanceCount, sagemaker:variant:DesiredProvisionedConcurrency, workspaces:workspacespool:DesiredUserSessions"#);
}

#[test]
fn rejects_scalable_dimension_of_another_namespace() {
    let err = target_error(1, 2, "dynamodb:table:ReadCapacityUnits", ECS_ID);
    assert_invalid(&err, "Web/Target", "scalable_dimension");
    insta::assert_snapshot!(err, @"[Web/Target] scalable_dimension: dynamodb:table:ReadCapacityUnits belongs to service namespace dynamodb, not ecs; pick a dimension of the target's namespace");
}

#[test]
fn rejects_malformed_ecs_resource_id() {
    let err = target_error(1, 2, DESIRED, "prod/web");
    assert_invalid(&err, "Web/Target", "resource_id");
    insta::assert_snapshot!(err, @r#"[Web/Target] resource_id: "prod/web" is not an ECS service resource id; write service/<cluster name>/<service name> (see ScalableTarget::ecs_service_resource_id)"#);
}

#[test]
fn rejects_non_positive_target_value() {
    let err = tracking_error(cpu(0.0));
    assert_invalid(&err, "Web/Target/Cpu", "target_value");
    insta::assert_snapshot!(err, @"[Web/Target/Cpu] target_value: target value 0 is not a positive number; Application Auto Scaling tracks a value above 0");
}

#[test]
fn rejects_fractional_scale_in_cooldown() {
    let err = tracking_error(cpu(70.0).scale_in_cooldown(Duration::from_millis(1500)));
    assert_invalid(&err, "Web/Target/Cpu", "scale_in_cooldown");
    insta::assert_snapshot!(err, @"[Web/Target/Cpu] scale_in_cooldown: cooldown 1.5s is not a whole number of seconds up to 2147483647; round it to seconds");
}

#[test]
fn rejects_scale_out_cooldown_beyond_an_int32() {
    let err = tracking_error(cpu(70.0).scale_out_cooldown(Duration::from_secs(1 << 31)));
    assert_invalid(&err, "Web/Target/Cpu", "scale_out_cooldown");
    insta::assert_snapshot!(err, @"[Web/Target/Cpu] scale_out_cooldown: cooldown 2147483648s is not a whole number of seconds up to 2147483647; round it to seconds");
}

#[test]
fn rejects_policy_name_too_long() {
    let err = tracking_error(cpu(70.0).policy_name("p".repeat(257)));
    assert_invalid(&err, "Web/Target/Cpu", "policy_name");
    insta::assert_snapshot!(err, @"[Web/Target/Cpu] policy_name: a policy name has 1 to 256 printable characters, not 257; shorten it or leave the default");
}

#[test]
fn rejects_predefined_metric_of_another_namespace() {
    let err = tracking_error(TargetTracking::predefined(
        PredefinedMetric::DynamoDbReadCapacityUtilization,
        70.0,
    ));
    assert_invalid(&err, "Web/Target/Cpu", "predefined");
    insta::assert_snapshot!(err, @"[Web/Target/Cpu] predefined: DynamoDBReadCapacityUtilization does not apply to a target of service namespace ecs; pick a metric of that namespace or a custom metric");
}

#[test]
fn rejects_alb_request_count_without_resource_label() {
    let err = tracking_error(TargetTracking::predefined(
        PredefinedMetric::AlbRequestCountPerTarget,
        1000.0,
    ));
    assert_missing(&err, "Web/Target/Cpu", "resource_label");
    insta::assert_snapshot!(err, @"[Web/Target/Cpu] `resource_label` is required: ALBRequestCountPerTarget needs the target group's resource label; pass TargetTracking::alb_resource_label(lb full name, target group full name)");
}

#[test]
fn rejects_resource_label_on_another_predefined_metric() {
    let err = tracking_error(cpu(70.0).resource_label("app/lb/1/targetgroup/tg/2"));
    assert_conflict(&err, "Web/Target/Cpu", "resource_label", "predefined");
    insta::assert_snapshot!(err, @"[Web/Target/Cpu] `resource_label` conflicts with `predefined`: only ALBRequestCountPerTarget takes a resource label; remove it");
}

#[test]
fn rejects_resource_label_on_a_custom_metric() {
    let err = tracking_error(
        TargetTracking::custom(Metric::new("App", "Load"), 5.0)
            .resource_label("app/lb/1/targetgroup/tg/2"),
    );
    assert_conflict(&err, "Web/Target/Cpu", "resource_label", "custom");
    insta::assert_snapshot!(err, @"[Web/Target/Cpu] `resource_label` conflicts with `custom`: only ALBRequestCountPerTarget takes a resource label; remove it");
}

#[test]
fn rejects_malformed_alb_resource_label() {
    let err = tracking_error(
        TargetTracking::predefined(PredefinedMetric::AlbRequestCountPerTarget, 1000.0)
            .resource_label("my-target-group"),
    );
    assert_invalid(&err, "Web/Target/Cpu", "resource_label");
    insta::assert_snapshot!(err, @r#"[Web/Target/Cpu] resource_label: "my-target-group" is not a target group resource label; write app/<lb name>/<lb id>/targetgroup/<tg name>/<tg id>"#);
}

#[test]
fn rejects_custom_metric_with_too_many_dimensions() {
    let metric = (0..31).fold(Metric::new("App", "Load"), |m, i| {
        m.dimension(format!("D{i}"), "x")
    });
    let err = tracking_error(TargetTracking::custom(metric, 5.0));
    assert_invalid(&err, "Web/Target/Cpu", "custom");
    insta::assert_snapshot!(err, @"[Web/Target/Cpu] custom: metric Load has 31 dimensions; CloudWatch accepts at most 30");
}

#[test]
fn rejects_custom_metric_without_a_name() {
    let err = tracking_error(TargetTracking::custom(Metric::new("App", ""), 5.0));
    assert_invalid(&err, "Web/Target/Cpu", "custom");
    insta::assert_snapshot!(err, @r#"[Web/Target/Cpu] custom: metric name "" must have 1 to 255 characters"#);
}

#[test]
fn rejects_fewer_than_two_steps() {
    let err = step_error(queue().step(ScalingInterval::above(50.0, 1)));
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: 1 step(s) given; give at least 2 (e.g. one below a threshold, one above)");
}

#[test]
fn rejects_more_than_forty_steps() {
    let steps = (0..41).map(|i| ScalingInterval::between(f64::from(i), f64::from(i + 1), 1));
    let err = step_error(queue().steps(steps));
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: 41 steps given; give at most 40");
}

#[test]
fn rejects_more_than_twenty_step_adjustments_in_one_policy() {
    let steps = (0..21).map(|i| ScalingInterval::between(f64::from(i), f64::from(i + 1), 1));
    let err = step_error(queue().steps(steps).step(ScalingInterval::above(30.0, 2)));
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: the scale-in policy would have 21 step adjustments; Application Auto Scaling allows 20 per policy");
}

#[test]
fn rejects_non_finite_step_bound() {
    let err = step_error(
        queue()
            .step(ScalingInterval::below(f64::NAN, -1))
            .step(ScalingInterval::above(50.0, 1)),
    );
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: a step bound is not a finite number");
}

#[test]
fn rejects_empty_step() {
    let err = step_error(
        queue()
            .step(ScalingInterval::between(20.0, 10.0, -1))
            .step(ScalingInterval::above(50.0, 1)),
    );
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: step from 20 to 10 is empty; its lower bound must be below its upper bound");
}

#[test]
fn rejects_steps_whose_bounds_cannot_be_completed() {
    let err = step_error(
        queue()
            .step(ScalingInterval::below(50.0, -1))
            .step(ScalingInterval::above(40.0, 1)),
    );
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: the steps' bounds cross (a step from `above` a value reaches past a step `below` a higher one); give such steps both bounds with ScalingInterval::between");
}

#[test]
fn rejects_steps_out_of_order() {
    let err = step_error(
        queue()
            .step(ScalingInterval::between(0.0, 10.0, -1))
            .step(ScalingInterval::below(5.0, 1)),
    );
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: step from 10 to 5 is empty; order the steps' bounds");
}

#[test]
fn rejects_overlapping_steps() {
    let err = step_error(
        queue()
            .step(ScalingInterval::between(0.0, 20.0, -1))
            .step(ScalingInterval::between(10.0, 30.0, 1)),
    );
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: steps 0..20 and 10..30 overlap; make each step end where the next begins");
}

#[test]
fn rejects_two_ranges_without_change() {
    let err = step_error(
        queue()
            .step(ScalingInterval::between(10.0, 20.0, -1))
            .step(ScalingInterval::between(30.0, 40.0, 1)),
    );
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: the steps leave more than one range without change; cover the ranges between steps or make them adjacent");
}

#[test]
fn rejects_steps_that_never_change_capacity() {
    let err = step_error(
        queue()
            .step(ScalingInterval::below(10.0, 0))
            .step(ScalingInterval::above(10.0, 0)),
    );
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: no step changes capacity; give steps with non-zero changes");
}

#[test]
fn rejects_negative_exact_capacity() {
    let err = step_error(two_steps().adjustment_type(AdjustmentType::ExactCapacity));
    assert_invalid(&err, "Web/Target/Queue", "steps");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] steps: exact capacity -1 is negative; ExactCapacity steps set the capacity, so give 0 or more");
}

#[test]
fn rejects_min_adjustment_magnitude_without_percent_change() {
    let err = step_error(two_steps().min_adjustment_magnitude(2));
    assert_conflict(
        &err,
        "Web/Target/Queue",
        "min_adjustment_magnitude",
        "adjustment_type",
    );
    insta::assert_snapshot!(err, @"[Web/Target/Queue] `min_adjustment_magnitude` conflicts with `adjustment_type`: a minimum adjustment magnitude applies only to AdjustmentType::PercentChangeInCapacity; remove it or change the adjustment type");
}

#[test]
fn rejects_zero_min_adjustment_magnitude() {
    let err = step_error(
        two_steps()
            .adjustment_type(AdjustmentType::PercentChangeInCapacity)
            .min_adjustment_magnitude(0),
    );
    assert_invalid(&err, "Web/Target/Queue", "min_adjustment_magnitude");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] min_adjustment_magnitude: a minimum adjustment magnitude of 0 has no effect; give at least 1 or remove it");
}

#[test]
fn rejects_zero_evaluation_periods() {
    let err = step_error(two_steps().evaluation_periods(0));
    assert_invalid(&err, "Web/Target/Queue", "evaluation_periods");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] evaluation_periods: 0 evaluation periods; alarms evaluate at least 1");
}

#[test]
fn rejects_datapoints_to_alarm_above_evaluation_periods() {
    let err = step_error(two_steps().evaluation_periods(2).datapoints_to_alarm(3));
    assert_invalid(&err, "Web/Target/Queue", "datapoints_to_alarm");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] datapoints_to_alarm: 3 datapoints to alarm out of 2 evaluation periods; give 1 to 2, or raise evaluation_periods");
}

#[test]
fn rejects_fractional_step_cooldown() {
    let err = step_error(two_steps().cooldown(Duration::from_millis(100)));
    assert_invalid(&err, "Web/Target/Queue", "cooldown");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] cooldown: cooldown 100ms is not a whole number of seconds up to 2147483647; round it to seconds");
}

#[test]
fn rejects_alarm_period_cloudwatch_refuses() {
    let err = step_error(
        StepScaling::new(Metric::new("AWS/SQS", "Depth").period(Duration::from_secs(90)))
            .step(ScalingInterval::below(10.0, -1))
            .step(ScalingInterval::above(50.0, 1)),
    );
    assert_invalid(&err, "Web/Target/Queue", "metric");
    insta::assert_snapshot!(err, @"[Web/Target/Queue] metric: metric period 90s is not one CloudWatch alarms accept; use 10, 20 or 30 seconds or a multiple of 60 seconds");
}

#[test]
fn rejects_cron_with_five_fields() {
    let err = cron("0 22 * * ?");
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @r#"[Web/Target] scale_on_schedule(Nightly): cron expression "0 22 * * ?" has 5 fields; write six: minutes hours day-of-month month day-of-week year"#);
}

#[test]
fn rejects_cron_value_out_of_range() {
    let err = cron("0 24 * * ? *");
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @r#"[Web/Target] scale_on_schedule(Nightly): cron expression "0 24 * * ? *", hours: "24" is not a value from 0 to 23"#);
}

#[test]
fn rejects_cron_with_both_day_fields() {
    let err = cron("0 22 * * MON *");
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @r#"[Web/Target] scale_on_schedule(Nightly): cron expression "0 22 * * MON *": exactly one of day-of-month and day-of-week must be `?`; e.g. `0 8 ? * MON-FRI *` or `0 8 1 * ? *`"#);
}

#[test]
fn rejects_rate_not_in_whole_minutes() {
    let err = schedule_error(Schedule::rate(Duration::from_secs(90)), Some(1), None);
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @"[Web/Target] scale_on_schedule(Nightly): rate 90s is not a positive whole number of minutes; use at least 60 seconds, in steps of 60");
}

#[test]
fn rejects_malformed_at_schedule() {
    let err = schedule_error(Schedule::at("2026-02-30T10:00:00"), Some(1), None);
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @r#"[Web/Target] scale_on_schedule(Nightly): at schedule "2026-02-30T10:00:00" is not a moment written yyyy-mm-ddThh:mm:ss"#);
}

#[test]
fn rejects_time_zone_on_a_rate_schedule() {
    let err = schedule_error(
        Schedule::rate(Duration::from_secs(3600)).timezone("Europe/Paris"),
        Some(1),
        None,
    );
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @"[Web/Target] scale_on_schedule(Nightly): a time zone applies only to cron and at schedules; remove it from the rate schedule");
}

#[test]
fn rejects_invalid_time_zone() {
    let err = schedule_error(
        Schedule::cron("0 8 ? * * *").timezone("Central European Time"),
        Some(1),
        None,
    );
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @r#"[Web/Target] scale_on_schedule(Nightly): time zone "Central European Time" is not an IANA time zone name such as Europe/Paris or UTC"#);
}

#[test]
fn rejects_malformed_start_time() {
    let err = schedule_error(
        Schedule::cron("0 8 ? * * *").start_time("tomorrow"),
        Some(1),
        None,
    );
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @r#"[Web/Target] scale_on_schedule(Nightly): start time "tomorrow" is not a moment written yyyy-mm-ddThh:mm:ss (optionally followed by Z)"#);
}

#[test]
fn rejects_start_time_after_end_time() {
    let err = schedule_error(
        Schedule::cron("0 8 ? * * *")
            .start_time("2027-01-01T00:00:00Z")
            .end_time("2026-01-01T00:00:00Z"),
        Some(1),
        None,
    );
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @"[Web/Target] scale_on_schedule(Nightly): start time 2027-01-01T00:00:00Z is not before end time 2026-01-01T00:00:00Z; swap them or move the end");
}

#[test]
fn rejects_scheduled_min_above_max() {
    let err = schedule_error(Schedule::cron("0 8 ? * * *"), Some(5), Some(2));
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @"[Web/Target] scale_on_schedule(Nightly): min capacity 5 is above max capacity 2; lower min or raise max");
}

#[test]
fn rejects_scheduled_action_without_min_or_max() {
    let err = schedule_error(Schedule::cron("0 8 ? * * *"), None, None);
    assert_missing(&err, "Web/Target", "min or max of the scheduled action");
    insta::assert_snapshot!(err, @"[Web/Target] `min or max of the scheduled action` is required: give the scheduled action a new min capacity, a new max capacity, or both");
}

#[test]
fn rejects_duplicate_scheduled_action_name() {
    let mut stack = Stack::new("Web");
    let target = ecs_target(&mut stack);
    target
        .scale_on_schedule(&mut stack, "Nightly", Schedule::cron("0 22 ? * * *"), 1, 2)
        .unwrap();
    let err = target
        .scale_on_schedule(&mut stack, "Nightly", Schedule::cron("0 6 ? * * *"), 2, 4)
        .unwrap_err();
    assert_invalid(&err, "Web/Target", "scale_on_schedule(Nightly)");
    insta::assert_snapshot!(err, @"[Web/Target] scale_on_schedule(Nightly): the target already has a scheduled action named Nightly; give each scheduled action its own id");
}

#[test]
fn rejects_scheduled_action_name_with_a_colon() {
    let mut stack = Stack::new("Web");
    let err = ecs_target(&mut stack)
        .scale_on_schedule(
            &mut stack,
            "nightly:22",
            Schedule::cron("0 22 ? * * *"),
            1,
            2,
        )
        .unwrap_err();
    assert_invalid(&err, "Web/Target", "scale_on_schedule(nightly:22)");
    insta::assert_snapshot!(err, @r#"[Web/Target] scale_on_schedule(nightly:22): scheduled action name "nightly:22" must have 1 to 256 characters, without `:`, `/`, `|`, control characters or surrounding spaces; choose another id"#);
}

#[test]
fn rejects_two_policies_with_one_name() {
    let mut stack = Stack::new("Web");
    let target = ecs_target(&mut stack);
    target
        .scale_to_track(&mut stack, "Cpu", cpu(70.0).policy_name("scale"))
        .unwrap();
    let err = target
        .scale_to_track(
            &mut stack,
            "Memory",
            TargetTracking::predefined(PredefinedMetric::EcsServiceAverageMemoryUtilization, 80.0)
                .policy_name("scale"),
        )
        .unwrap_err();
    assert_invalid(&err, "Web/Target/Memory", "policy_name");
    insta::assert_snapshot!(err, @"[Web/Target/Memory] policy_name: the scalable target already has a policy named scale, which this one would replace; give each policy its own name");
}

#[test]
fn rejects_a_51st_scaling_policy() {
    let mut stack = Stack::new("Web");
    let target = ecs_target(&mut stack);
    for i in 0..50 {
        target
            .scale_to_track(&mut stack, &format!("P{i}"), cpu(70.0))
            .unwrap();
    }
    let err = target
        .scale_to_track(&mut stack, "P50", cpu(70.0))
        .unwrap_err();
    assert_invalid(&err, "Web/Target/P50", "scaling policies");
    insta::assert_snapshot!(err, @"[Web/Target/P50] scaling policies: a scalable target has at most 50 scaling policies (an Application Auto Scaling quota); this one would make 51");
}

#[test]
fn rejects_a_201st_scheduled_action() {
    let mut stack = Stack::new("Web");
    let target = ecs_target(&mut stack);
    for i in 0..200 {
        target
            .scale_on_schedule(
                &mut stack,
                &format!("A{i}"),
                Schedule::cron("0 8 ? * * *"),
                1,
                2,
            )
            .unwrap();
    }
    let err = target
        .scale_on_schedule(&mut stack, "A200", Schedule::cron("0 8 ? * * *"), 1, 2)
        .unwrap_err();
    assert_invalid(&err, "Web/Target", "scale_on_schedule(A200)");
    insta::assert_snapshot!(err, @"[Web/Target] scale_on_schedule(A200): a scalable target has at most 200 scheduled actions (an Application Auto Scaling quota); merge some");
}
