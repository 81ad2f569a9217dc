//! The queue-processing and scheduled-task patterns: the AWS CDK's child
//! ids (expected logical IDs computed independently, MD5 of the path below
//! the stack with python3 hashlib), least-privilege IAM policies rendered
//! in full, the backlog scaling steps and the schedule's target; and the
//! comparison with what aws-cdk-lib 2.276 synthesizes for the same patterns
//! (`tests/cdk-oracle/queue.js`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{Cluster, Container, ContainerBuilder, ContainerImage, Ec2NetworkMode};
use ecscdk::patterns::{
    QueueProcessingEc2Service, QueueProcessingFargateService, ScheduledEc2Task,
    ScheduledFargateTask,
};
use ecscdk::prelude::*;
use ecscdk::scheduler::{RateUnit, ScheduleExpression};
use ecscdk::sqs::{Queue, QueueEncryption};
use serde_json::{Value as Json, json};

#[path = "common/template.rs"]
mod template;
use template::synth;

fn stack_with_cluster() -> (Stack, Cluster) {
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    (stack, cluster)
}

fn container(name: &str) -> ContainerBuilder {
    Container::builder(
        name,
        ContainerImage::registry("public.ecr.aws/example/app:1"),
    )
}

fn of_type<'a>(t: &'a Json, ty: &str) -> Vec<&'a str> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .map(|(k, _)| k.as_str())
        .collect()
}

fn getatt(id: &str, attr: &str) -> Json {
    json!({"Fn::GetAtt": [id, attr]})
}

// python3: hashlib.md5(b"Worker/EcsProcessingQueue/Resource").hexdigest()[:8].upper() == "96AA4E1D", etc.
const QUEUE: &str = "WorkerEcsProcessingQueue96AA4E1D";
const DLQ: &str = "WorkerEcsProcessingDeadLetterQueue15867D81";
const QUEUE_POLICY: &str = "WorkerEcsProcessingQueuePolicy83D1086D";
const TASK_DEF: &str = "WorkerQueueProcessingTaskDef48FA8152";
const TASK_ROLE: &str = "WorkerQueueProcessingTaskDefTaskRoleCFC5BD1B";
const TASK_ROLE_POLICY: &str = "WorkerQueueProcessingTaskDefTaskRoleDefaultPolicy82CD0F9D";
const SERVICE: &str = "WorkerQueueProcessingFargateServiceC55E51B1";
const TARGET: &str = "WorkerQueueProcessingFargateServiceTaskCountTarget32F233C6";
const CPU: &str = "WorkerQueueProcessingFargateServiceTaskCountTargetCpuScalingC7243423";
const LOWER_POLICY: &str = "WorkerQueueProcessingFargateServiceTaskCountTargetQueueMessagesVisibleScalingLowerPolicy1C73E79B";
const LOWER_ALARM: &str = "WorkerQueueProcessingFargateServiceTaskCountTargetQueueMessagesVisibleScalingLowerAlarmC2990CB9";
const UPPER_POLICY: &str = "WorkerQueueProcessingFargateServiceTaskCountTargetQueueMessagesVisibleScalingUpperPolicyEFA96444";
const UPPER_ALARM: &str = "WorkerQueueProcessingFargateServiceTaskCountTargetQueueMessagesVisibleScalingUpperAlarm7D8017DC";

fn queue_worker() -> Json {
    let (mut stack, cluster) = stack_with_cluster();
    QueueProcessingFargateService::builder(
        "Worker",
        &cluster,
        container("QueueProcessingContainer"),
    )
    .capacity(1..=10)
    .build(&mut stack)
    .unwrap();
    synth(stack)
}

#[test]
fn queue_worker_keeps_the_cdk_child_ids() {
    let t = queue_worker();
    let r = &t["Resources"];
    for id in [
        QUEUE,
        DLQ,
        QUEUE_POLICY,
        TASK_DEF,
        TASK_ROLE,
        TASK_ROLE_POLICY,
        SERVICE,
        TARGET,
        CPU,
        LOWER_POLICY,
        LOWER_ALARM,
        UPPER_POLICY,
        UPPER_ALARM,
    ] {
        assert!(r.get(id).is_some(), "missing {id}");
    }
    let outputs: Vec<&str> = t["Outputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        outputs,
        [
            "WorkerSQSDeadLetterQueue5EDB77D6",
            "WorkerSQSDeadLetterQueueArn943361AE",
            "WorkerSQSQueue1B59E312",
            "WorkerSQSQueueArn20630BCA",
        ]
    );
}

#[test]
fn queue_has_a_dead_letter_queue_encryption_and_a_tls_only_policy() {
    let t = queue_worker();
    let r = &t["Resources"];
    assert_eq!(
        r[QUEUE]["Properties"],
        json!({
            "RedrivePolicy": {"deadLetterTargetArn": getatt(DLQ, "Arn"), "maxReceiveCount": 3},
            "SqsManagedSseEnabled": true
        })
    );
    assert_eq!(
        r[DLQ]["Properties"],
        json!({"MessageRetentionPeriod": 1_209_600, "SqsManagedSseEnabled": true})
    );
    assert_eq!(
        r[QUEUE_POLICY]["Properties"],
        json!({
            "PolicyDocument": {
                "Statement": [{
                    "Action": "sqs:*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    "Effect": "Deny",
                    "Principal": {"AWS": "*"},
                    "Resource": getatt(QUEUE, "Arn")
                }],
                "Version": "2012-10-17"
            },
            "Queues": [{"Ref": QUEUE}]
        })
    );
}

#[test]
fn the_task_role_may_only_consume_its_queue() {
    let t = queue_worker();
    let r = &t["Resources"];
    assert_eq!(
        r[TASK_ROLE_POLICY]["Properties"]["PolicyDocument"],
        json!({
            "Statement": [{
                "Action": [
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage"
                ],
                "Effect": "Allow",
                "Resource": getatt(QUEUE, "Arn")
            }],
            "Version": "2012-10-17"
        })
    );
    assert_eq!(
        r[TASK_ROLE_POLICY]["Properties"]["Roles"],
        json!([{"Ref": TASK_ROLE}])
    );
    let env = &r[TASK_DEF]["Properties"]["ContainerDefinitions"][0]["Environment"];
    assert_eq!(
        env,
        &json!([
            {"Name": "QUEUE_NAME", "Value": getatt(QUEUE, "QueueName")},
            {"Name": "QUEUE_URL", "Value": {"Ref": QUEUE}}
        ])
    );
}

#[test]
fn the_task_count_follows_the_backlog_with_the_cdk_steps_and_cpu() {
    let t = queue_worker();
    let r = &t["Resources"];
    assert_eq!(r[TARGET]["Properties"]["MinCapacity"], 1);
    assert_eq!(r[TARGET]["Properties"]["MaxCapacity"], 10);
    assert_eq!(
        r[CPU]["Properties"]["TargetTrackingScalingPolicyConfiguration"],
        json!({
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            "TargetValue": 50
        })
    );
    assert_eq!(
        r[LOWER_POLICY]["Properties"]["StepScalingPolicyConfiguration"],
        json!({
            "AdjustmentType": "ChangeInCapacity",
            "MetricAggregationType": "Maximum",
            "StepAdjustments": [{"MetricIntervalUpperBound": 0, "ScalingAdjustment": -1}]
        })
    );
    assert_eq!(
        r[UPPER_POLICY]["Properties"]["StepScalingPolicyConfiguration"],
        json!({
            "AdjustmentType": "ChangeInCapacity",
            "MetricAggregationType": "Maximum",
            "StepAdjustments": [
                {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 400, "ScalingAdjustment": 1},
                {"MetricIntervalLowerBound": 400, "ScalingAdjustment": 5}
            ]
        })
    );
    for (alarm, op, threshold) in [
        (LOWER_ALARM, "LessThanOrEqualToThreshold", 0),
        (UPPER_ALARM, "GreaterThanOrEqualToThreshold", 100),
    ] {
        let p = &r[alarm]["Properties"];
        assert_eq!(p["ComparisonOperator"], op);
        assert_eq!(p["Threshold"], threshold);
        assert_eq!(p["MetricName"], "ApproximateNumberOfMessagesVisible");
        assert_eq!(p["Namespace"], "AWS/SQS");
        assert_eq!(p["Statistic"], "Maximum");
        assert_eq!(p["Period"], 300);
        assert_eq!(
            p["Dimensions"],
            json!([{"Name": "QueueName", "Value": getatt(QUEUE, "QueueName")}])
        );
    }
}

#[test]
fn a_given_kms_queue_is_consumed_with_decrypt_on_its_key_only() {
    let (mut stack, cluster) = stack_with_cluster();
    let key = "arn:aws:kms:us-east-1:123456789012:key/1234";
    let jobs = Queue::builder("Jobs")
        .encryption(QueueEncryption::Kms(key.into()))
        .build(&mut stack)
        .unwrap();
    let worker = QueueProcessingFargateService::builder(
        "Worker",
        &cluster,
        container("QueueProcessingContainer"),
    )
    .queue(&jobs)
    .build(&mut stack)
    .unwrap();
    assert!(worker.dead_letter_queue().is_none());
    let t = synth(stack);
    let r = &t["Resources"];
    assert!(r.get(QUEUE).is_none() && r.get(DLQ).is_none());
    // python3: md5(b"Jobs/Resource")[:8] == DF1CC2D4.
    let jobs_id = of_type(&t, "AWS::SQS::Queue");
    assert_eq!(jobs_id, ["JobsDF1CC2D4"]);
    assert_eq!(
        r["JobsDF1CC2D4"]["Properties"],
        json!({"KmsMasterKeyId": key})
    );
    assert_eq!(
        r[TASK_ROLE_POLICY]["Properties"]["PolicyDocument"]["Statement"],
        json!([
            {
                "Action": [
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage"
                ],
                "Effect": "Allow",
                "Resource": getatt("JobsDF1CC2D4", "Arn")
            },
            {"Action": "kms:Decrypt", "Effect": "Allow", "Resource": key}
        ])
    );
    let outputs: Vec<&str> = t["Outputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        outputs,
        ["WorkerSQSQueue1B59E312", "WorkerSQSQueueArn20630BCA"]
    );
}

#[test]
fn the_ec2_queue_worker_keeps_the_cdk_service_id_and_grants() {
    let (mut stack, cluster) = stack_with_cluster();
    QueueProcessingEc2Service::builder(
        "Worker",
        &cluster,
        container("QueueProcessingContainer").memory_limit_mib(512),
    )
    .max_receive_count(5)
    .visibility_timeout(Duration::from_secs(300))
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    // python3: md5(b"Worker/QueueProcessingService/Service")[:8] == 15D8B412
    assert_eq!(
        r["WorkerQueueProcessingService15D8B412"]["Type"],
        "AWS::ECS::Service"
    );
    assert_eq!(
        r["WorkerQueueProcessingService15D8B412"]["Properties"]["LaunchType"],
        "EC2"
    );
    assert_eq!(
        r[QUEUE]["Properties"]["RedrivePolicy"]["maxReceiveCount"],
        5
    );
    assert_eq!(r[QUEUE]["Properties"]["VisibilityTimeout"], 300);
    // python3: md5(b"Worker/QueueProcessingService/TaskCount/Target/QueueMessagesVisibleScaling/UpperPolicy/Resource")
    assert!(
        r.get("WorkerQueueProcessingServiceTaskCountTargetQueueMessagesVisibleScalingUpperPolicy70BFE7C7")
            .is_some()
    );
    assert_eq!(
        r[TASK_ROLE_POLICY]["Properties"]["PolicyDocument"]["Statement"][0]["Resource"],
        getatt(QUEUE, "Arn")
    );
}

// python3: md5(b"Nightly/<child>") for each id below.
const SCHEDULE: &str = "NightlySchedule669F2570";
const SCHEDULE_ROLE: &str = "NightlyScheduleRole65F3D923";
const SCHEDULE_POLICY: &str = "NightlyScheduleRoleDefaultPolicyCD08DD4E";
const SCHEDULED_TASK_DEF: &str = "NightlyScheduledTaskDef9C7480B2";
const SCHEDULED_TASK_ROLE: &str = "NightlyScheduledTaskDefTaskRoleE47D2449";
const SCHEDULED_EXECUTION_ROLE: &str = "NightlyScheduledTaskDefExecutionRoleC8A17F4A";
const SCHEDULED_SG: &str = "NightlyScheduledTaskDefSecurityGroupCA0B3910";
const SCHEDULED_DLQ: &str = "NightlyDeadLetterQueueB4B0FAA1";
const CLUSTER: &str = "ClusterEB0386A7";

#[test]
fn the_scheduler_role_is_trusted_by_this_account_and_may_only_run_this_task() {
    let (mut stack, cluster) = stack_with_cluster();
    ScheduledFargateTask::builder(
        "Nightly",
        &cluster,
        container("ScheduledContainer"),
        ScheduleExpression::daily_at(2, 0).timezone("Europe/Paris"),
    )
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    assert_eq!(
        r[SCHEDULE_ROLE]["Properties"]["AssumeRolePolicyDocument"],
        json!({
            "Statement": [{
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
                "Effect": "Allow",
                "Principal": {"Service": "scheduler.amazonaws.com"}
            }],
            "Version": "2012-10-17"
        })
    );
    assert!(
        r[SCHEDULE_ROLE]["Properties"]
            .get("ManagedPolicyArns")
            .is_none()
    );
    assert_eq!(
        r[SCHEDULE_POLICY]["Properties"]["PolicyDocument"],
        json!({
            "Statement": [
                {
                    "Action": "ecs:RunTask",
                    "Condition": {"ArnEquals": {"ecs:cluster": getatt(CLUSTER, "Arn")}},
                    "Effect": "Allow",
                    "Resource": {"Ref": SCHEDULED_TASK_DEF}
                },
                {
                    "Action": "iam:PassRole",
                    "Condition": {"StringLike": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
                    "Effect": "Allow",
                    "Resource": [
                        getatt(SCHEDULED_TASK_ROLE, "Arn"),
                        getatt(SCHEDULED_EXECUTION_ROLE, "Arn")
                    ]
                },
                {
                    "Action": "sqs:SendMessage",
                    "Effect": "Allow",
                    "Resource": getatt(SCHEDULED_DLQ, "Arn")
                }
            ],
            "Version": "2012-10-17"
        })
    );
    assert_eq!(
        r[SCHEDULE]["Properties"],
        json!({
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ScheduleExpression": "cron(0 2 * * ? *)",
            "ScheduleExpressionTimezone": "Europe/Paris",
            "State": "ENABLED",
            "Target": {
                "Arn": getatt(CLUSTER, "Arn"),
                "DeadLetterConfig": {"Arn": getatt(SCHEDULED_DLQ, "Arn")},
                "EcsParameters": {
                    "LaunchType": "FARGATE",
                    "NetworkConfiguration": {"AwsvpcConfiguration": {
                        "AssignPublicIp": "DISABLED",
                        "SecurityGroups": [getatt(SCHEDULED_SG, "GroupId")],
                        "Subnets": [
                            {"Ref": "VpcPrivateSubnet1Subnet536B997A"},
                            {"Ref": "VpcPrivateSubnet2Subnet3788AAA1"}
                        ]
                    }},
                    "TaskCount": 1,
                    "TaskDefinitionArn": {"Ref": SCHEDULED_TASK_DEF}
                },
                "RetryPolicy": {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185},
                "RoleArn": getatt(SCHEDULE_ROLE, "Arn")
            }
        })
    );
    assert_eq!(r[SCHEDULE]["DependsOn"], json!([SCHEDULE_POLICY]));
    // The tasks' security group admits nothing.
    assert!(
        r[SCHEDULED_SG]["Properties"]
            .get("SecurityGroupIngress")
            .is_none()
    );
}

#[test]
fn a_bridge_ec2_task_runs_without_network_configuration_on_a_rate() {
    let (mut stack, cluster) = stack_with_cluster();
    let dlq = Queue::builder("Failed").build(&mut stack).unwrap();
    ScheduledEc2Task::builder(
        "Nightly",
        &cluster,
        container("ScheduledContainer").memory_limit_mib(256),
        ScheduleExpression::rate(6, RateUnit::Hours),
    )
    .task_count(2)
    .enabled(false)
    .dead_letter_queue(&dlq)
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    let schedule = &r[SCHEDULE]["Properties"];
    assert_eq!(schedule["ScheduleExpression"], "rate(6 hours)");
    assert_eq!(schedule["State"], "DISABLED");
    assert!(schedule.get("ScheduleExpressionTimezone").is_none());
    assert_eq!(
        schedule["Target"]["EcsParameters"],
        json!({
            "LaunchType": "EC2",
            "TaskCount": 2,
            "TaskDefinitionArn": {"Ref": SCHEDULED_TASK_DEF}
        })
    );
    // python3: md5(b"Failed/Resource")[:8] == 178E83A2; only the given queue exists.
    assert_eq!(of_type(&t, "AWS::SQS::Queue"), ["Failed178E83A2"]);
    assert_eq!(
        schedule["Target"]["DeadLetterConfig"],
        json!({"Arn": getatt("Failed178E83A2", "Arn")})
    );
    assert!(r.get(SCHEDULED_SG).is_none());
}

#[test]
fn an_awsvpc_ec2_task_gets_its_own_security_group() {
    let (mut stack, cluster) = stack_with_cluster();
    ScheduledEc2Task::builder(
        "Nightly",
        &cluster,
        container("ScheduledContainer").memory_limit_mib(256),
        ScheduleExpression::cron("0 6 ? * MON-FRI *"),
    )
    .network_mode(Ec2NetworkMode::AwsVpc)
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let ecs = &t["Resources"][SCHEDULE]["Properties"]["Target"]["EcsParameters"];
    assert_eq!(ecs["LaunchType"], "EC2");
    assert_eq!(
        ecs["NetworkConfiguration"]["AwsvpcConfiguration"]["SecurityGroups"],
        json!([getatt(SCHEDULED_SG, "GroupId")])
    );
}

#[test]
fn a_given_fargate_task_definition_is_scheduled_with_its_own_roles() {
    let (mut stack, cluster) = stack_with_cluster();
    let report = ecscdk::ecs::FargateTaskDefinition::builder("Report")
        .container(container("report"))
        .build(&mut stack)
        .unwrap();
    let job = ScheduledFargateTask::with_task_definition(
        "Nightly",
        &cluster,
        &report,
        ScheduleExpression::cron("0 3 1 * ? *"),
    )
    .build(&mut stack)
    .unwrap();
    assert!(job.security_group().is_some());
    let t = synth(stack);
    let r = &t["Resources"];
    // python3: md5(b"Nightly/SecurityGroup/Resource")[:8] == 7753FB7C,
    // md5(b"Report/Resource")[:8] == C847FC22.
    assert!(r.get(SCHEDULED_TASK_DEF).is_none());
    let ecs = &r[SCHEDULE]["Properties"]["Target"]["EcsParameters"];
    assert_eq!(ecs["TaskDefinitionArn"], json!({"Ref": "ReportC847FC22"}));
    assert_eq!(
        ecs["NetworkConfiguration"]["AwsvpcConfiguration"]["SecurityGroups"],
        json!([getatt("NightlySecurityGroup7753FB7C", "GroupId")])
    );
    assert_eq!(
        r[SCHEDULE_POLICY]["Properties"]["PolicyDocument"]["Statement"][1]["Resource"],
        json!([
            getatt("ReportTaskRole7911023C", "Arn"),
            getatt("ReportExecutionRole9B879937", "Arn")
        ])
    );
}

/// What aws-cdk-lib 2.276 synthesizes for `QueueProcessingFargateService`
/// (`tests/cdk-oracle/queue.js`, stack `QueueWorker`, its `Worker*`
/// resources and outputs).
fn cdk_queue_worker() -> Json {
    serde_json::from_str(include_str!("cdk-oracle/QueueWorker.template.json")).unwrap()
}

#[test]
fn the_fargate_queue_worker_renders_as_the_cdk_does_but_for_stated_defaults() {
    let mut stack = Stack::new("QueueWorker").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    QueueProcessingFargateService::builder(
        "Worker",
        &cluster,
        container("QueueProcessingContainer").logging(ecscdk::ecs::LogDriver::aws_logs("Worker")),
    )
    .capacity(1..=10)
    .build(&mut stack)
    .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let ours: Json =
        serde_json::from_str(&app.synth().unwrap().stack("QueueWorker").unwrap().template).unwrap();
    let cdk = cdk_queue_worker();
    for (id, resource) in cdk["Resources"].as_object().unwrap() {
        assert_eq!(ours["Resources"][id]["Type"], resource["Type"], "{id}");
    }
    assert_eq!(ours["Outputs"], cdk["Outputs"]);
    let same = |id: &str| {
        assert_eq!(
            ours["Resources"][id]["Properties"], cdk["Resources"][id]["Properties"],
            "{id}"
        );
    };
    for id in [
        CPU,
        LOWER_POLICY,
        LOWER_ALARM,
        UPPER_POLICY,
        UPPER_ALARM,
        TASK_ROLE,
        TASK_ROLE_POLICY,
    ] {
        same(id);
    }
    // The scalable target names the service-linked role, as the CDK's.
    same(TARGET);
    // Queues: ours also write SSE-SQS explicitly.
    for id in [QUEUE, DLQ] {
        let mut props = ours["Resources"][id]["Properties"].clone();
        assert_eq!(
            props
                .as_object_mut()
                .unwrap()
                .remove("SqsManagedSseEnabled"),
            Some(json!(true))
        );
        assert_eq!(props, cdk["Resources"][id]["Properties"], "{id}");
    }
}

#[test]
fn the_ec2_queue_worker_and_the_scheduled_task_keep_the_cdk_logical_ids() {
    // From tests/cdk-oracle/queue.js, stacks Ec2Worker and NightlyJob (the
    // CDK's ScheduledEventRule and EventsRole aside: ours use EventBridge
    // Scheduler).
    let ec2_ids = [
        "WorkerEcsProcessingDeadLetterQueue15867D81",
        "WorkerEcsProcessingQueue96AA4E1D",
        "WorkerQueueProcessingService15D8B412",
        "WorkerQueueProcessingServiceTaskCountTarget39233C0A",
        "WorkerQueueProcessingServiceTaskCountTargetCpuScalingC1E39402",
        "WorkerQueueProcessingServiceTaskCountTargetQueueMessagesVisibleScalingLowerAlarmF9B1E766",
        "WorkerQueueProcessingServiceTaskCountTargetQueueMessagesVisibleScalingLowerPolicy8E07FBC5",
        "WorkerQueueProcessingServiceTaskCountTargetQueueMessagesVisibleScalingUpperAlarmB34E1A0D",
        "WorkerQueueProcessingServiceTaskCountTargetQueueMessagesVisibleScalingUpperPolicy70BFE7C7",
        "WorkerQueueProcessingTaskDef48FA8152",
        "WorkerQueueProcessingTaskDefExecutionRole0582E03C",
        "WorkerQueueProcessingTaskDefExecutionRoleDefaultPolicy15480ECA",
        "WorkerQueueProcessingTaskDefQueueProcessingContainerLogGroupDDE655D4",
        "WorkerQueueProcessingTaskDefTaskRoleCFC5BD1B",
        "WorkerQueueProcessingTaskDefTaskRoleDefaultPolicy82CD0F9D",
    ];
    let (mut stack, cluster) = stack_with_cluster();
    QueueProcessingEc2Service::builder(
        "Worker",
        &cluster,
        container("QueueProcessingContainer").memory_limit_mib(512),
    )
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    for id in ec2_ids {
        assert!(t["Resources"].get(id).is_some(), "missing {id}");
    }

    let nightly_ids = [
        "NightlyScheduledTaskDef9C7480B2",
        "NightlyScheduledTaskDefExecutionRoleC8A17F4A",
        "NightlyScheduledTaskDefExecutionRoleDefaultPolicy3E85EC19",
        "NightlyScheduledTaskDefScheduledContainerLogGroup6E0361DB",
        "NightlyScheduledTaskDefSecurityGroupCA0B3910",
        "NightlyScheduledTaskDefTaskRoleE47D2449",
    ];
    let (mut stack, cluster) = stack_with_cluster();
    ScheduledFargateTask::builder(
        "Nightly",
        &cluster,
        container("ScheduledContainer"),
        ScheduleExpression::daily_at(2, 0),
    )
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    for id in nightly_ids {
        assert!(t["Resources"].get(id).is_some(), "missing {id}");
    }
}

#[test]
fn an_events_rule_trigger_keeps_the_cdk_ids_and_rule() {
    let (mut stack, cluster) = stack_with_cluster();
    let job = ScheduledFargateTask::builder(
        "Nightly",
        &cluster,
        container("ScheduledContainer"),
        ScheduleExpression::daily_at(2, 0),
    )
    .trigger(ecscdk::patterns::ScheduleTrigger::EventsRule)
    .build(&mut stack)
    .unwrap();
    assert!(job.schedule().is_none() && job.rule().is_some());
    let t = synth(stack);
    let r = &t["Resources"];
    // From tests/cdk-oracle/queue.js (stack NightlyJob): the CDK's ids.
    const RULE: &str = "NightlyScheduledEventRuleAFFCD8B7";
    const EVENTS_ROLE: &str = "NightlyScheduledTaskDefEventsRoleEEC2C33E";
    const EVENTS_POLICY: &str = "NightlyScheduledTaskDefEventsRoleDefaultPolicy11169F1F";
    assert!(r.get(SCHEDULE).is_none() && r.get(SCHEDULE_ROLE).is_none());
    // The CDK's rule, plus the retry policy and the dead-letter queue.
    assert_eq!(
        r[RULE]["Properties"],
        json!({
            "ScheduleExpression": "cron(0 2 * * ? *)",
            "State": "ENABLED",
            "Targets": [{
                "Arn": getatt(CLUSTER, "Arn"),
                "DeadLetterConfig": {"Arn": getatt(SCHEDULED_DLQ, "Arn")},
                "EcsParameters": {
                    "LaunchType": "FARGATE",
                    "NetworkConfiguration": {"AwsVpcConfiguration": {
                        "AssignPublicIp": "DISABLED",
                        "SecurityGroups": [getatt(SCHEDULED_SG, "GroupId")],
                        "Subnets": [
                            {"Ref": "VpcPrivateSubnet1Subnet536B997A"},
                            {"Ref": "VpcPrivateSubnet2Subnet3788AAA1"}
                        ]
                    }},
                    "TaskCount": 1,
                    "TaskDefinitionArn": {"Ref": SCHEDULED_TASK_DEF}
                },
                "Id": "Target0",
                "Input": "{}",
                "RetryPolicy": {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185},
                "RoleArn": getatt(EVENTS_ROLE, "Arn")
            }]
        })
    );
    assert_eq!(
        r[EVENTS_ROLE]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "events.amazonaws.com"})
    );
    assert_eq!(
        r[EVENTS_POLICY]["Properties"]["PolicyDocument"]["Statement"],
        json!([
            {
                "Action": "ecs:RunTask",
                "Condition": {"ArnEquals": {"ecs:cluster": getatt(CLUSTER, "Arn")}},
                "Effect": "Allow",
                "Resource": {"Ref": SCHEDULED_TASK_DEF}
            },
            {
                "Action": "iam:PassRole",
                "Condition": {"StringLike": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
                "Effect": "Allow",
                "Resource": [
                    getatt(SCHEDULED_TASK_ROLE, "Arn"),
                    getatt(SCHEDULED_EXECUTION_ROLE, "Arn")
                ]
            }
        ])
    );
    // The queue admits this rule only (the CDK's statement, after the
    // TLS-only one). python3: md5(b"Nightly/DeadLetterQueue/Policy/Resource"),
    // and the Sid's md5(b"Web/Nightly/ScheduledEventRule") as the CDK's nodeUniqueId.
    assert_eq!(
        r["NightlyDeadLetterQueuePolicyBED166E2"]["Properties"]["PolicyDocument"]["Statement"][1],
        json!({
            "Action": "sqs:SendMessage",
            "Condition": {"ArnEquals": {"aws:SourceArn": getatt(RULE, "Arn")}},
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Resource": getatt(SCHEDULED_DLQ, "Arn"),
            "Sid": "AllowEventRuleWebNightlyScheduledEventRule00D2EC9A"
        })
    );
}

#[test]
fn a_scheduled_fargate_task_may_run_on_spot() {
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .fargate_capacity_providers()
        .build(&mut stack)
        .unwrap();
    for (id, trigger) in [
        ("Nightly", ecscdk::patterns::ScheduleTrigger::Scheduler),
        ("Hourly", ecscdk::patterns::ScheduleTrigger::EventsRule),
    ] {
        ScheduledFargateTask::builder(
            id,
            &cluster,
            container("ScheduledContainer"),
            ScheduleExpression::rate(1, RateUnit::Hours),
        )
        .trigger(trigger)
        .capacity_provider_strategy([ecscdk::ecs::FargateCapacity::spot().weight(2)])
        .build(&mut stack)
        .unwrap();
    }
    let t = synth(stack);
    let r = &t["Resources"];
    let schedule = &r[SCHEDULE]["Properties"]["Target"]["EcsParameters"];
    assert!(schedule.get("LaunchType").is_none());
    assert_eq!(
        schedule["CapacityProviderStrategy"],
        json!([{"CapacityProvider": "FARGATE_SPOT", "Weight": 2}])
    );
    // python3: md5(b"Hourly/ScheduledEventRule/Resource")[:8] == 06015935.
    assert_eq!(
        of_type(&t, "AWS::Events::Rule"),
        ["HourlyScheduledEventRule06015935"]
    );
    let rule = &r["HourlyScheduledEventRule06015935"]["Properties"]["Targets"][0]["EcsParameters"];
    assert!(rule.get("LaunchType").is_none());
    assert_eq!(
        rule["CapacityProviderStrategy"],
        json!([{"CapacityProvider": "FARGATE_SPOT", "Weight": 2}])
    );
}

#[test]
fn a_queue_worker_passes_exec_its_name_and_deployment_alarms_to_the_service() {
    let (mut stack, cluster) = stack_with_cluster();
    QueueProcessingFargateService::builder(
        "Worker",
        &cluster,
        container("QueueProcessingContainer").writable_root_filesystem(),
    )
    .enable_execute_command()
    .service_name("worker")
    .deployment_alarms(["worker-errors"], true)
    .min_healthy_percent(50)
    .max_percent(150)
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    let props = &r[SERVICE]["Properties"];
    assert_eq!(props["EnableExecuteCommand"], json!(true));
    assert_eq!(props["ServiceName"], json!("worker"));
    assert_eq!(
        props["DeploymentConfiguration"],
        json!({
            "Alarms": {"AlarmNames": ["worker-errors"], "Enable": true, "Rollback": true},
            "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
            "MaximumPercent": 150,
            "MinimumHealthyPercent": 50
        })
    );
    // ECS Exec's channels beside the queue grant, in the task role only.
    assert_eq!(
        r[TASK_ROLE_POLICY]["Properties"]["PolicyDocument"]["Statement"],
        json!([
            {
                "Action": [
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel"
                ],
                "Effect": "Allow",
                "Resource": "*"
            },
            {
                "Action": [
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage"
                ],
                "Effect": "Allow",
                "Resource": getatt(QUEUE, "Arn")
            }
        ])
    );
    assert_eq!(
        r[TASK_ROLE_POLICY]["Properties"]["Roles"],
        json!([{"Ref": TASK_ROLE}])
    );
}

#[test]
fn the_queue_worker_leaves_exec_and_the_name_off_by_default() {
    let t = queue_worker();
    let props = &t["Resources"][SERVICE]["Properties"];
    for absent in ["EnableExecuteCommand", "ServiceName"] {
        assert_eq!(props.get(absent), None, "{absent}");
    }
    assert_eq!(props["DeploymentConfiguration"].get("Alarms"), None);
}

#[test]
fn the_ec2_queue_worker_passes_exec_and_its_name_to_the_service() {
    let (mut stack, cluster) = stack_with_cluster();
    QueueProcessingEc2Service::builder(
        "Worker",
        &cluster,
        container("QueueProcessingContainer")
            .memory_limit_mib(512)
            .writable_root_filesystem(),
    )
    .enable_execute_command()
    .service_name("ec2-worker")
    .deployment_alarms(["worker-errors"], false)
    .build(&mut stack)
    .unwrap();
    let t = synth(stack);
    let r = &t["Resources"];
    // python3: md5(b"Worker/QueueProcessingService/Service")[:8] == 15D8B412
    let props = &r["WorkerQueueProcessingService15D8B412"]["Properties"];
    assert_eq!(props["EnableExecuteCommand"], json!(true));
    assert_eq!(props["ServiceName"], json!("ec2-worker"));
    assert_eq!(
        props["DeploymentConfiguration"]["Alarms"],
        json!({"AlarmNames": ["worker-errors"], "Enable": true, "Rollback": false})
    );
    let statements = &r[TASK_ROLE_POLICY]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements.as_array().unwrap().len(), 2);
    assert_eq!(
        statements[0]["Action"][0],
        json!("ssmmessages:CreateControlChannel")
    );
    assert_eq!(statements[0]["Resource"], json!("*"));
    assert_eq!(statements[1]["Resource"], getatt(QUEUE, "Arn"));
}
