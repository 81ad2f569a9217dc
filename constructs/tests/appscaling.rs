//! Application Auto Scaling rendered as the AWS CDK renders it. The target
//! and CPU policy are compared with the CDK's fargate-alb reference template
//! (`FargateAlb/Web/Service/TaskCount/Target/...`); the other expectations
//! follow the CDK's source (`scalable-target.ts`, `step-scaling-policy.ts`,
//! `step-scaling-action.ts`, `target-tracking-scaling-policy.ts`,
//! `schedule.ts`), with logical IDs and policy names hashed independently
//! (md5 of the path, as the CDK does).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use ecscdk::appscaling::{
    AdjustmentType, Metric, MetricAggregationType, PredefinedMetric, ScalableTarget,
    ScalingInterval, Schedule, ServiceNamespace, Statistic, StepScaling, TargetTracking,
};
use ecscdk::prelude::*;
use ecscdk::synth::NodeId;
use serde_json::json;

/// The fargate-alb reference's shape: a cluster `Cluster/Resource` and a
/// service `Web/Service/Service`, and the service's `TaskCount` scope.
fn fargate_alb() -> (Stack, Value<String>, NodeId) {
    let mut stack = Stack::new("FargateAlb").env(Env::new("123456789012", "us-east-1"));
    let root = stack.root();
    let cluster_scope = stack.scope(root, "Cluster").unwrap();
    let cluster = stack
        .add(
            cluster_scope,
            "Resource",
            RawResource::new("AWS::ECS::Cluster"),
        )
        .unwrap();
    let web = stack.scope(root, "Web").unwrap();
    let service_scope = stack.scope(web, "Service").unwrap();
    let service = stack
        .add(
            service_scope,
            "Service",
            RawResource::new("AWS::ECS::Service"),
        )
        .unwrap();
    let task_count = stack.scope(service_scope, "TaskCount").unwrap();
    let resource_id =
        ScalableTarget::ecs_service_resource_id(cluster.reference(), service.attr("Name"));
    (stack, resource_id, task_count)
}

fn ecs_target(stack: &mut Stack, resource_id: Value<String>, parent: NodeId) -> ScalableTarget {
    ScalableTarget::builder(
        "Target",
        ServiceNamespace::Ecs,
        resource_id,
        "ecs:service:DesiredCount",
        2,
        10,
    )
    .build_in(stack, parent)
    .unwrap()
}

/// Synthesizes the stack, writes its template where `cfn-lint` can read it
/// (`target/tmp/appscaling/<name>.template.json`), and returns it.
fn synth(stack: Stack, name: &str) -> serde_json::Value {
    let id = stack.id().to_owned();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let text = &assembly.stack(&id).unwrap().template;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("appscaling");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.template.json")), text).unwrap();
    serde_json::from_str(text).unwrap()
}

/// The template with every number as a float. Deliberate difference: the
/// engine writes `f64` properties with a fraction (`70.0`) where the CDK
/// writes `70`; both are the same JSON number to CloudFormation, so numbers
/// are compared by value.
fn numeric(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Number(n) => json!(n.as_f64().unwrap()),
        serde_json::Value::Array(items) => items.iter().map(numeric).collect(),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), numeric(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        other => other.clone(),
    }
}

/// `assert_eq!` on JSON, numbers compared by value (see [`numeric`]).
macro_rules! assert_json {
    ($ours:expr, $theirs:expr) => {
        assert_eq!(numeric(&$ours), numeric(&$theirs))
    };
}

fn cdk_reference() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/anchors/cdk/out/fargate-alb/FargateAlb.template.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_task_count_target_and_cpu_policy_match_the_cdk() {
    let (mut stack, resource_id, task_count) = fargate_alb();
    let target = ecs_target(&mut stack, resource_id, task_count);
    target
        .scale_to_track(
            &mut stack,
            "Cpu",
            TargetTracking::predefined(PredefinedMetric::EcsServiceAverageCpuUtilization, 70.0),
        )
        .unwrap();
    let t = synth(stack, "cpu");
    let cdk = cdk_reference();
    let ours = &t["Resources"]["WebServiceTaskCountTargetF7BAB0BC"];
    let theirs = &cdk["Resources"]["WebServiceTaskCountTargetF7BAB0BC"];
    assert_json!(ours["Type"], theirs["Type"]);
    // Deliberate difference: no RoleARN. Since 2021 CloudFormation uses the
    // service's service-linked role when it is omitted; the CDK renders that
    // same role's ARN with a fixed account.
    let mut expected = theirs["Properties"].clone();
    let role = expected.as_object_mut().unwrap().remove("RoleARN").unwrap();
    assert!(
        role.as_str()
            .unwrap()
            .ends_with("/AWSServiceRoleForApplicationAutoScaling_ECSService")
    );
    assert_json!(ours["Properties"], expected);
    assert_json!(
        ours["Properties"]["ResourceId"],
        json!({"Fn::Join": ["", ["service/", {"Ref": "ClusterEB0386A7"}, "/", {"Fn::GetAtt": ["WebServiceD04B5F3E", "Name"]}]]})
    );
    let ours = &t["Resources"]["WebServiceTaskCountTargetCpu44C13166"];
    let theirs = &cdk["Resources"]["WebServiceTaskCountTargetCpu44C13166"];
    assert_json!(ours["Type"], theirs["Type"]);
    assert_json!(ours["Properties"], theirs["Properties"]);
}

#[test]
fn target_tracking_options_render_into_the_configuration() {
    let (mut stack, resource_id, task_count) = fargate_alb();
    let target = ecs_target(&mut stack, resource_id, task_count);
    let root = stack.root();
    let lb = stack
        .add(
            root,
            "Lb",
            RawResource::new("AWS::ElasticLoadBalancingV2::LoadBalancer").property(
                "Subnets",
                Operand::list(["subnet-0123abcd", "subnet-4567ef01"]),
            ),
        )
        .unwrap();
    let tg = stack
        .add(
            root,
            "Tg",
            RawResource::new("AWS::ElasticLoadBalancingV2::TargetGroup"),
        )
        .unwrap();
    target
        .scale_to_track(
            &mut stack,
            "Requests",
            TargetTracking::predefined(PredefinedMetric::AlbRequestCountPerTarget, 1000.0)
                .resource_label(TargetTracking::alb_resource_label(
                    lb.attr("LoadBalancerFullName"),
                    tg.attr("TargetGroupFullName"),
                ))
                .scale_in_cooldown(Duration::from_secs(600))
                .scale_out_cooldown(Duration::from_secs(60))
                .disable_scale_in(true),
        )
        .unwrap();
    target
        .scale_to_track(
            &mut stack,
            "Latency",
            TargetTracking::custom(
                Metric::new("App", "Latency")
                    .dimension("Service", "web")
                    .dimension("Env", "prod")
                    .statistic(Statistic::Maximum),
                0.25,
            )
            .policy_name("web-latency"),
        )
        .unwrap();
    let t = synth(stack, "tracking");
    assert_json!(
        t["Resources"]["WebServiceTaskCountTargetRequests11B8180B"]["Properties"],
        json!({
            "PolicyName": "FargateAlbWebServiceTaskCountTargetRequests6071CF14",
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": {"Ref": "WebServiceTaskCountTargetF7BAB0BC"},
            "TargetTrackingScalingPolicyConfiguration": {
                "DisableScaleIn": true,
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ALBRequestCountPerTarget",
                    "ResourceLabel": {"Fn::Join": ["", [
                        {"Fn::GetAtt": ["Lb", "LoadBalancerFullName"]},
                        "/",
                        {"Fn::GetAtt": ["Tg", "TargetGroupFullName"]}
                    ]]}
                },
                "ScaleInCooldown": 600,
                "ScaleOutCooldown": 60,
                "TargetValue": 1000
            }
        })
    );
    let latency = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.starts_with("WebServiceTaskCountTargetLatency"))
        .unwrap()
        .1;
    // Dimensions sorted by name, as the CDK's Metric renders them.
    assert_json!(
        latency["Properties"],
        json!({
            "PolicyName": "web-latency",
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": {"Ref": "WebServiceTaskCountTargetF7BAB0BC"},
            "TargetTrackingScalingPolicyConfiguration": {
                "CustomizedMetricSpecification": {
                    "Dimensions": [{"Name": "Env", "Value": "prod"}, {"Name": "Service", "Value": "web"}],
                    "MetricName": "Latency",
                    "Namespace": "App",
                    "Statistic": "Maximum"
                },
                "TargetValue": 0.25
            }
        })
    );
}

#[test]
fn step_scaling_creates_policies_and_alarms_like_the_cdk() {
    let (mut stack, resource_id, task_count) = fargate_alb();
    let target = ecs_target(&mut stack, resource_id, task_count);
    // The CDK README's example: in by 1 below 10, out by 1 above 50 and by 3
    // above 70.
    let policy = target
        .scale_on_metric(
            &mut stack,
            "Queue",
            StepScaling::new(
                Metric::new("AWS/SQS", "ApproximateNumberOfMessagesVisible")
                    .dimension("QueueName", "jobs"),
            )
            .step(ScalingInterval::below(10.0, -1))
            .step(ScalingInterval::above(50.0, 1))
            .step(ScalingInterval::above(70.0, 3)),
        )
        .unwrap();
    assert!(policy.lower().is_some() && policy.upper().is_some());
    let t = synth(stack, "step");
    let r = &t["Resources"];
    let metric = json!({
        "Dimensions": [{"Name": "QueueName", "Value": "jobs"}],
        "MetricName": "ApproximateNumberOfMessagesVisible",
        "Namespace": "AWS/SQS",
        "Period": 300,
        "Statistic": "Average"
    });
    let with_metric = |mut alarm: serde_json::Value| {
        for (k, v) in metric.as_object().unwrap() {
            alarm[k] = v.clone();
        }
        alarm
    };
    assert_json!(
        r["WebServiceTaskCountTargetQueueLowerPolicy7E99807D"]["Properties"],
        json!({
            "PolicyName": "FargateAlbWebServiceTaskCountTargetQueueLowerPolicy8E0A0BF4",
            "PolicyType": "StepScaling",
            "ScalingTargetId": {"Ref": "WebServiceTaskCountTargetF7BAB0BC"},
            "StepScalingPolicyConfiguration": {
                "AdjustmentType": "ChangeInCapacity",
                "MetricAggregationType": "Average",
                "StepAdjustments": [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": -1}]
            }
        })
    );
    assert_json!(
        r["WebServiceTaskCountTargetQueueLowerAlarmC1A9A689"]["Properties"],
        with_metric(json!({
            "AlarmActions": [{"Ref": "WebServiceTaskCountTargetQueueLowerPolicy7E99807D"}],
            "AlarmDescription": "Lower threshold scaling alarm",
            "ComparisonOperator": "LessThanOrEqualToThreshold",
            "EvaluationPeriods": 1,
            "Threshold": 10
        }))
    );
    assert_json!(
        r["WebServiceTaskCountTargetQueueUpperPolicy4386BB9B"]["Properties"],
        json!({
            "PolicyName": "FargateAlbWebServiceTaskCountTargetQueueUpperPolicy54F60963",
            "PolicyType": "StepScaling",
            "ScalingTargetId": {"Ref": "WebServiceTaskCountTargetF7BAB0BC"},
            "StepScalingPolicyConfiguration": {
                "AdjustmentType": "ChangeInCapacity",
                "MetricAggregationType": "Average",
                "StepAdjustments": [
                    {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 1},
                    {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 3}
                ]
            }
        })
    );
    assert_json!(
        r["WebServiceTaskCountTargetQueueUpperAlarmCEC98DB9"]["Properties"],
        with_metric(json!({
            "AlarmActions": [{"Ref": "WebServiceTaskCountTargetQueueUpperPolicy4386BB9B"}],
            "AlarmDescription": "Upper threshold scaling alarm",
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "EvaluationPeriods": 1,
            "Threshold": 50
        }))
    );
}

#[test]
fn step_scaling_options_render() {
    let (mut stack, resource_id, task_count) = fargate_alb();
    let target = ecs_target(&mut stack, resource_id, task_count);
    // Only scale-out steps: no lower policy or alarm.
    let policy = target
        .scale_on_metric(
            &mut stack,
            "Cpu",
            StepScaling::new(
                Metric::new("AWS/ECS", "CPUUtilization")
                    .statistic(Statistic::Maximum)
                    .period(Duration::from_secs(60)),
            )
            .step(ScalingInterval::between(70.0, 85.0, 20))
            .step(ScalingInterval::above(85.0, 50))
            .adjustment_type(AdjustmentType::PercentChangeInCapacity)
            .min_adjustment_magnitude(1)
            .cooldown(Duration::from_secs(120))
            .evaluation_periods(3)
            .datapoints_to_alarm(2),
        )
        .unwrap();
    assert!(policy.lower().is_none());
    let (scaling, alarm) = policy.upper().unwrap();
    let _ = (scaling.reference(), alarm.attr_arn());
    let explicit = target
        .scale_on_metric(
            &mut stack,
            "Mem",
            StepScaling::new(Metric::new("AWS/ECS", "MemoryUtilization"))
                .steps([
                    ScalingInterval::below(20.0, 1),
                    ScalingInterval::above(80.0, 4),
                ])
                .adjustment_type(AdjustmentType::ExactCapacity)
                .metric_aggregation_type(MetricAggregationType::Minimum),
        )
        .unwrap();
    assert!(explicit.lower().is_some() && explicit.upper().is_some());
    let t = synth(stack, "step-options");
    let r = t["Resources"].as_object().unwrap();
    let find = |prefix: &str| {
        r.iter()
            .find(|(k, _)| k.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix}"))
            .1
    };
    assert!(
        !r.keys()
            .any(|k| k.starts_with("WebServiceTaskCountTargetCpuLower"))
    );
    assert_json!(
        find("WebServiceTaskCountTargetCpuUpperPolicy")["Properties"]["StepScalingPolicyConfiguration"],
        json!({
            "AdjustmentType": "PercentChangeInCapacity",
            "Cooldown": 120,
            "MetricAggregationType": "Maximum",
            "MinAdjustmentMagnitude": 1,
            "StepAdjustments": [
                {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 15, "ScalingAdjustment": 20},
                {"MetricIntervalLowerBound": 15, "ScalingAdjustment": 50}
            ]
        })
    );
    let alarm = &find("WebServiceTaskCountTargetCpuUpperAlarm")["Properties"];
    assert_json!(alarm["Threshold"], json!(70));
    assert_json!(alarm["EvaluationPeriods"], json!(3));
    assert_json!(alarm["DatapointsToAlarm"], json!(2));
    assert_json!(alarm["Period"], json!(60));
    assert_json!(alarm["Statistic"], json!("Maximum"));
    assert!(alarm.get("Dimensions").is_none());
    // ExactCapacity keeps the gap between 20 and 80 as the no-change range;
    // 0 is not read as "no change" for absolute adjustments.
    assert_json!(
        find("WebServiceTaskCountTargetMemLowerPolicy")["Properties"]["StepScalingPolicyConfiguration"],
        json!({
            "AdjustmentType": "ExactCapacity",
            "MetricAggregationType": "Minimum",
            "StepAdjustments": [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": 1}]
        })
    );
}

#[test]
fn scheduled_actions_render_on_the_target() {
    let (mut stack, resource_id, task_count) = fargate_alb();
    let target = ecs_target(&mut stack, resource_id, task_count);
    target
        .scale_on_schedule(
            &mut stack,
            "Nightly",
            Schedule::cron("0 22 ? * MON-FRI *").timezone("Europe/Paris"),
            1,
            2,
        )
        .unwrap();
    target
        .scale_on_schedule(
            &mut stack,
            "Morning",
            Schedule::rate(Duration::from_secs(86_400))
                .start_time("2026-01-01T06:00:00Z")
                .end_time("2026-12-31T06:00:00Z"),
            None,
            10,
        )
        .unwrap();
    target
        .scale_on_schedule(
            &mut stack,
            "Launch",
            Schedule::at("2026-12-24T18:00:00"),
            5,
            None,
        )
        .unwrap();
    let t = synth(stack, "schedule");
    assert_json!(
        t["Resources"]["WebServiceTaskCountTargetF7BAB0BC"]["Properties"]["ScheduledActions"],
        json!([
            {
                "ScalableTargetAction": {"MaxCapacity": 2, "MinCapacity": 1},
                "Schedule": "cron(0 22 ? * MON-FRI *)",
                "ScheduledActionName": "Nightly",
                "Timezone": "Europe/Paris"
            },
            {
                "EndTime": "2026-12-31T06:00:00Z",
                "ScalableTargetAction": {"MaxCapacity": 10},
                "Schedule": "rate(1 day)",
                "ScheduledActionName": "Morning",
                "StartTime": "2026-01-01T06:00:00Z"
            },
            {
                "ScalableTargetAction": {"MinCapacity": 5},
                "Schedule": "at(2026-12-24T18:00:00)",
                "ScheduledActionName": "Launch"
            }
        ])
    );
}

#[test]
fn a_literal_resource_id_and_a_role_render_as_given() {
    let mut stack = Stack::new("Web");
    ScalableTarget::builder(
        "Target",
        ServiceNamespace::Ecs,
        ScalableTarget::ecs_service_resource_id("prod", "web"),
        "ecs:service:DesiredCount",
        0,
        4,
    )
    .role_arn("arn:aws:iam::123456789012:role/scaler")
    .build(&mut stack)
    .unwrap();
    let t = synth(stack, "literal");
    assert_json!(
        t["Resources"]["Target3191CF44"]["Properties"],
        json!({
            "MaxCapacity": 4,
            "MinCapacity": 0,
            "ResourceId": "service/prod/web",
            "RoleARN": "arn:aws:iam::123456789012:role/scaler",
            "ScalableDimension": "ecs:service:DesiredCount",
            "ServiceNamespace": "ecs"
        })
    );
}
