//! Application Auto Scaling rendered as the AWS CDK renders it. The target
//! and CPU policy are compared with the CDK's fargate-alb reference template
//! (`FargateAlb/Web/Service/TaskCount/Target/...`); step scaling, target
//! tracking options and scheduled actions with the template the CDK itself
//! renders for `cdk-oracle/oracle.js` (same construct paths, so every
//! logical ID and policy name is the CDK's).
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
        "/tests/data/cdk/fargate-alb/FargateAlb.template.json"
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

fn oracle() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cdk-oracle/FargateAlb.template.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The resources of the scaling types, by logical ID.
fn scaling_resources(t: &serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| {
            let ty = r["Type"].as_str().unwrap();
            ty.starts_with("AWS::ApplicationAutoScaling::") || ty == "AWS::CloudWatch::Alarm"
        })
        .map(|(k, r)| {
            (
                k.clone(),
                json!({"Type": r["Type"], "Properties": r["Properties"]}),
            )
        })
        .collect()
}

/// What `cdk-oracle/oracle.js` builds on the target: step scaling three
/// ways, target tracking with every option, three scheduled actions.
#[test]
fn policies_alarms_and_schedules_match_what_the_cdk_renders() {
    let (mut stack, resource_id, task_count) = fargate_alb();
    let target = ScalableTarget::builder(
        "Target",
        ServiceNamespace::Ecs,
        resource_id,
        "ecs:service:DesiredCount",
        2,
        10,
    )
    .role_arn("arn:aws:iam::123456789012:role/x")
    .build_in(&mut stack, task_count)
    .unwrap();
    // The CDK README's example: in by 1 below 10, out by 1 above 50 and by 3
    // above 70.
    let queue = target
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
    assert!(queue.lower().is_some() && queue.upper().is_some());
    // Only scale-out steps: no lower policy or alarm.
    let cpu = target
        .scale_on_metric(
            &mut stack,
            "Cpu2",
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
    assert!(cpu.lower().is_none() && cpu.upper().is_some());
    // ExactCapacity: 0 is not read as "no change".
    target
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
    let ours = scaling_resources(&synth(stack, "oracle"));
    let theirs = scaling_resources(&oracle());
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>()
    );
    for (id, resource) in &theirs {
        assert_json!(ours[id], *resource);
    }
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
