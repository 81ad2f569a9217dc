//! `run-task` on recorded answers (CloudFormation's Query XML, ECS's
//! JSON) replayed through the SDK clients: what the task is started with,
//! and the errors moto cannot produce (ECS unable to place a task, a stack
//! that is not deployed).

use std::collections::BTreeMap;

use ecscdk_synth::Env;

use super::*;
use crate::ecs_state::ContainerExit;
use crate::replay::{Replay, run};

const SERVICE_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:service/web-cluster/web";
const TASK_DEFINITION_ARN: &str =
    "arn:aws:ecs:us-east-1:123456789012:task-definition/WebTask0A1B2C3D:4";

fn stack() -> StackArtifact {
    StackArtifact {
        id: "Web".to_owned(),
        stack_name: "Web".to_owned(),
        env: Env::agnostic(),
        tags: BTreeMap::new(),
        termination_protection: false,
        needs_upload: false,
        template: "{}".to_owned(),
        dependencies: Vec::new(),
        replacing_properties: BTreeMap::new(),
        images: Vec::new(),
        warnings: Vec::new(),
    }
}

/// A Fargate task definition used by the service `Web/Service`.
fn plan() -> Plan {
    Plan {
        task_definition: "TaskDefinition".to_owned(),
        path: "Web/Task".to_owned(),
        network_mode: Some("awsvpc".to_owned()),
        fargate_only: true,
        container: "app".to_owned(),
        service: Some(("Service".to_owned(), "Web/Service".to_owned())),
        cluster: Some(ClusterRef::Resource("Cluster".to_owned())),
        scheduled: None,
        private_subnets: vec!["VpcPrivateSubnet1".to_owned()],
        own_security_group: None,
        awslogs: Vec::new(),
    }
}

/// A `ListStackResources` answer of the stack's resources.
fn resources() -> String {
    let member = |logical: &str, physical: &str, kind: &str| {
        format!(
            "<member><LogicalResourceId>{logical}</LogicalResourceId><PhysicalResourceId>{physical}</PhysicalResourceId><ResourceType>{kind}</ResourceType><LastUpdatedTimestamp>2025-12-05T02:00:00.000Z</LastUpdatedTimestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>"
        )
    };
    format!(
        r#"<ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStackResourcesResult><StackResourceSummaries>{}{}{}{}</StackResourceSummaries></ListStackResourcesResult><ResponseMetadata><RequestId>1e4c7d3a-0000-4000-8000-000000000010</RequestId></ResponseMetadata></ListStackResourcesResponse>"#,
        member(
            "TaskDefinition",
            TASK_DEFINITION_ARN,
            "AWS::ECS::TaskDefinition"
        ),
        member("Service", SERVICE_ARN, "AWS::ECS::Service"),
        member("Cluster", "web-cluster", "AWS::ECS::Cluster"),
        member(
            "VpcPrivateSubnet1",
            "subnet-0a1b2c3d4e5f60718",
            "AWS::EC2::Subnet"
        ),
    )
}

/// A `DescribeServices` answer: the service's networking and placement.
fn service() -> String {
    serde_json::json!({
        "services": [{
            "serviceArn": SERVICE_ARN,
            "serviceName": "web",
            "status": "ACTIVE",
            "desiredCount": 2, "runningCount": 2, "pendingCount": 0,
            "capacityProviderStrategy": [
                {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
                {"capacityProvider": "FARGATE", "weight": 1, "base": 1}
            ],
            "platformVersion": "1.4.0",
            "networkConfiguration": {"awsvpcConfiguration": {
                "subnets": ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"],
                "securityGroups": ["sg-0123456789abcdef0"],
                "assignPublicIp": "DISABLED"
            }}
        }],
        "failures": []
    })
    .to_string()
}

fn started() -> String {
    serde_json::json!({
        "tasks": [{
            "taskArn": "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "lastStatus": "PROVISIONING",
            "desiredStatus": "RUNNING"
        }],
        "failures": []
    })
    .to_string()
}

/// The task takes the service's subnets, security groups, capacity
/// provider strategy and platform version, runs on the service's cluster,
/// and carries the command and environment overrides for its container.
#[test]
fn a_task_runs_with_the_networking_and_capacity_of_its_service() {
    let replay = Replay::default();
    replay
        .answer("ListStackResources", resources())
        .answer("DescribeServices", service())
        .answer("RunTask", started());
    let opts = RunTaskOptions {
        command: vec!["python".into(), "manage.py".into(), "migrate".into()],
        env: vec![("DRY_RUN".into(), "0".into())],
        ..RunTaskOptions::default()
    };
    let code = run(start(&replay.aws(), &stack(), &plan(), &opts)).unwrap();
    assert_eq!(code, 0);
    let mut sent: serde_json::Value = serde_json::from_str(&replay.requests("RunTask")[0]).unwrap();
    // The SDK's idempotency token: a retried call starts no second task.
    assert!(
        sent.as_object_mut()
            .unwrap()
            .remove("clientToken")
            .is_some()
    );
    assert_eq!(
        sent,
        serde_json::json!({
            "cluster": "web-cluster",
            "taskDefinition": TASK_DEFINITION_ARN,
            "capacityProviderStrategy": [
                {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
                {"capacityProvider": "FARGATE", "weight": 1, "base": 1}
            ],
            "platformVersion": "1.4.0",
            "networkConfiguration": {"awsvpcConfiguration": {
                "subnets": ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"],
                "securityGroups": ["sg-0123456789abcdef0"],
                "assignPublicIp": "DISABLED"
            }},
            "overrides": {"containerOverrides": [{
                "name": "app",
                "command": ["python", "manage.py", "migrate"],
                "environment": [{"name": "DRY_RUN", "value": "0"}]
            }]},
            "startedBy": "ecscdk/WebTask0A1B2C3D:4"
        })
    );
}

/// Without a service: the VPC's private subnets, Fargate (the cluster has
/// no default strategy), and the security groups given.
#[test]
fn a_task_without_a_service_runs_in_the_private_subnets_on_fargate() {
    let replay = Replay::default();
    replay
        .answer("ListStackResources", resources())
        .answer(
            "DescribeClusters",
            r#"{"clusters":[{"clusterName":"web-cluster","status":"ACTIVE","defaultCapacityProviderStrategy":[]}],"failures":[]}"#,
        )
        .answer("RunTask", started());
    let plan = Plan {
        service: None,
        ..plan()
    };
    let opts = RunTaskOptions {
        security_groups: vec!["sg-0fedcba9876543210".into()],
        ..RunTaskOptions::default()
    };
    run(start(&replay.aws(), &stack(), &plan, &opts)).unwrap();
    let sent: serde_json::Value = serde_json::from_str(&replay.requests("RunTask")[0]).unwrap();
    assert_eq!(sent["launchType"], "FARGATE");
    assert_eq!(
        sent["networkConfiguration"],
        serde_json::json!({"awsvpcConfiguration": {
            "subnets": ["subnet-0a1b2c3d4e5f60718"],
            "securityGroups": ["sg-0fedcba9876543210"]
        }})
    );
    assert!(sent.get("overrides").is_none(), "{sent}");
}

/// ECS answers RunTask with failures and no task when it cannot place it:
/// the error names the task definition, the cluster and each reason.
#[test]
fn a_task_that_cannot_be_placed_is_an_error_with_ecs_reasons() {
    let replay = Replay::default();
    replay
        .answer("ListStackResources", resources())
        .answer("DescribeServices", service())
        .answer(
            "RunTask",
            r#"{"tasks":[],"failures":[{"arn":"arn:aws:ecs:us-east-1:123456789012:container-instance/web-cluster/5f6e7d8c","reason":"RESOURCE:MEMORY"},{"reason":"Capacity is unavailable at this time. Please try again later or in a different availability zone","detail":"FARGATE_SPOT"}]}"#,
        );
    let err = run(start(
        &replay.aws(),
        &stack(),
        &plan(),
        &RunTaskOptions::default(),
    ))
    .unwrap_err();
    match &err {
        Error::TaskNotStarted {
            path,
            cluster,
            reasons,
        } => {
            assert_eq!(path, "Web/Task");
            assert_eq!(cluster, "web-cluster");
            assert_eq!(
                reasons,
                &[
                    "RESOURCE:MEMORY".to_owned(),
                    "Capacity is unavailable at this time. Please try again later or in a different availability zone (FARGATE_SPOT)".to_owned()
                ]
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A stack CloudFormation does not know: say it is not deployed.
#[test]
fn a_stack_that_is_not_deployed_is_said_to_be() {
    let replay = Replay::default();
    replay.answer_with(
        "ListStackResources",
        400,
        r#"<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id Web does not exist</Message></Error><RequestId>1e4c7d3a-0000-4000-8000-000000000011</RequestId></ErrorResponse>"#,
    );
    let err = run(start(
        &replay.aws(),
        &stack(),
        &plan(),
        &RunTaskOptions::default(),
    ))
    .unwrap_err();
    assert!(
        matches!(&err, Error::NotDeployed { stack } if stack == "Web"),
        "{err:?}"
    );
}

/// The exit code is the chosen container's; a container that never ran is
/// a failure with the task's reason.
#[test]
fn the_exit_code_is_the_containers() {
    let task = |exit_code: Option<i32>| StoppedTask {
        id: "0f1e".to_owned(),
        stop_code: Some("EssentialContainerExited".to_owned()),
        reason: "Essential container in task exited".to_owned(),
        containers: vec![
            ContainerExit {
                name: "log-router".to_owned(),
                exit_code: Some(0),
                reason: None,
            },
            ContainerExit {
                name: "app".to_owned(),
                exit_code,
                reason: None,
            },
        ],
        ..StoppedTask::default()
    };
    assert_eq!(exit_code("Web/Task", "app", &task(Some(3))).unwrap(), 3);
    assert_eq!(exit_code("Web/Task", "app", &task(Some(0))).unwrap(), 0);
    let err = exit_code("Web/Task", "app", &task(None)).unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { path, task } if path == "Web/Task" && task.contains("Essential container in task exited")),
        "{err:?}"
    );
}

#[test]
fn parses_capacity_providers_and_environment_variables() {
    assert_eq!(
        parse_capacity_provider("FARGATE_SPOT"),
        Ok(("FARGATE_SPOT".to_owned(), 1, 0))
    );
    assert_eq!(
        parse_capacity_provider("FARGATE:2:1"),
        Ok(("FARGATE".to_owned(), 2, 1))
    );
    for bad in [
        "",
        ":1",
        "FARGATE:x",
        "FARGATE:1001",
        "FARGATE:1:-1",
        "A:1:2:3",
    ] {
        assert!(parse_capacity_provider(bad).is_err(), "{bad}");
    }
    assert_eq!(
        parse_env("URL=postgres://db/app?x=1"),
        Ok(("URL".to_owned(), "postgres://db/app?x=1".to_owned()))
    );
    assert_eq!(parse_env("EMPTY="), Ok(("EMPTY".to_owned(), String::new())));
    assert!(parse_env("=value").is_err());
    assert!(parse_env("novalue").is_err());
}

/// The resources of a scheduled task as the scheduled-task pattern writes
/// them (the `nightly_job` example's schedule, abridged).
fn scheduled_resources() -> serde_json::Map<String, serde_json::Value> {
    let template = serde_json::json!({
        "NightlyScheduledTaskDef9C7480B2": {"Type": "AWS::ECS::TaskDefinition",
            "Metadata": {"aws:cdk:path": "NightlyJob/Nightly/ScheduledTaskDef/Resource"}},
        "NightlyScheduledTaskDefSecurityGroupCA0B3910": {"Type": "AWS::EC2::SecurityGroup",
            "Metadata": {"aws:cdk:path": "NightlyJob/Nightly/ScheduledTaskDef/SecurityGroup/Resource"}},
        "NightlySchedule669F2570": {
            "Type": "AWS::Scheduler::Schedule",
            "Metadata": {"aws:cdk:path": "NightlyJob/Nightly/Schedule/Resource"},
            "Properties": {"Target": {
                "Arn": {"Fn::GetAtt": ["ClusterEB0386A7", "Arn"]},
                "EcsParameters": {
                    "LaunchType": "FARGATE",
                    "NetworkConfiguration": {"AwsvpcConfiguration": {
                        "AssignPublicIp": "DISABLED",
                        "SecurityGroups": [{"Fn::GetAtt": ["NightlyScheduledTaskDefSecurityGroupCA0B3910", "GroupId"]}],
                        "Subnets": [{"Ref": "VpcPrivateSubnet1Subnet536B997A"}, "subnet-0given0000000000a"]
                    }},
                    "TaskCount": 1,
                    "TaskDefinitionArn": {"Ref": "NightlyScheduledTaskDef9C7480B2"}
                }
            }}
        },
        "Other": {"Type": "AWS::Events::Rule", "Properties": {"Targets": [
            {"Arn": "arn:aws:ecs:us-east-1:123456789012:cluster/other",
             "EcsParameters": {
                "TaskDefinitionArn": {"Ref": "AnotherTask"},
                "NetworkConfiguration": {"AwsVpcConfiguration": {
                    "AssignPublicIp": "ENABLED", "Subnets": ["subnet-0public000000000b"]
                }}
             }}
        ]}}
    });
    template.as_object().unwrap().clone()
}

/// A task definition a schedule runs takes the schedule's networking,
/// launch type and cluster, read from the template.
#[test]
fn a_scheduled_task_definition_takes_the_schedules_networking() {
    let resources = scheduled_resources();
    let paths: BTreeMap<&str, String> = resources
        .iter()
        .map(|(id, r)| (id.as_str(), construct_path(id, r)))
        .collect();
    let (network, cluster) =
        scheduled_network(&resources, &paths, "NightlyScheduledTaskDef9C7480B2").unwrap();
    assert_eq!(
        network,
        TemplateNetwork {
            from: "NightlyJob/Nightly/Schedule".to_owned(),
            subnets: vec![
                TemplateValue::Resource("VpcPrivateSubnet1Subnet536B997A".to_owned()),
                TemplateValue::Literal("subnet-0given0000000000a".to_owned()),
            ],
            security_groups: vec![TemplateValue::Resource(
                "NightlyScheduledTaskDefSecurityGroupCA0B3910".to_owned()
            )],
            public_ip: false,
            launch_type: Some("FARGATE".to_owned()),
        }
    );
    assert_eq!(
        cluster,
        Some(ClusterRef::Resource("ClusterEB0386A7".to_owned()))
    );
    // An EventBridge rule's target, with a cluster by ARN.
    let (network, cluster) = scheduled_network(&resources, &paths, "AnotherTask").unwrap();
    assert_eq!(cluster, Some(ClusterRef::Named("other".to_owned())));
    assert_eq!(
        network.subnets,
        [TemplateValue::Literal(
            "subnet-0public000000000b".to_owned()
        )]
    );
    assert!(network.public_ip);
    assert!(scheduled_network(&resources, &paths, "Unscheduled").is_none());
}

/// The schedule's subnets and security group, resolved to their physical
/// IDs through the deployed stack, and its launch type, reach RunTask.
#[test]
fn a_scheduled_task_runs_with_the_schedules_resolved_networking() {
    let replay = Replay::default();
    let resources = format!(
        r#"<ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStackResourcesResult><StackResourceSummaries>{}</StackResourceSummaries></ListStackResourcesResult><ResponseMetadata><RequestId>1e4c7d3a-0000-4000-8000-000000000012</RequestId></ResponseMetadata></ListStackResourcesResponse>"#,
        [
            ("TaskDefinition", TASK_DEFINITION_ARN),
            ("Cluster", "web-cluster"),
            ("VpcPrivateSubnet1", "subnet-0a1b2c3d4e5f60718"),
            ("TaskSecurityGroup", "sg-0aaaabbbbccccdddd"),
        ]
        .iter()
        .map(|(logical, physical)| format!(
            "<member><LogicalResourceId>{logical}</LogicalResourceId><PhysicalResourceId>{physical}</PhysicalResourceId><ResourceType>AWS::CloudFormation::WaitConditionHandle</ResourceType><LastUpdatedTimestamp>2025-12-05T02:00:00.000Z</LastUpdatedTimestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>"
        ))
        .collect::<String>()
    );
    replay
        .answer("ListStackResources", resources)
        .answer("RunTask", started());
    let plan = Plan {
        service: None,
        scheduled: Some(TemplateNetwork {
            from: "Web/Schedule".to_owned(),
            subnets: vec![TemplateValue::Resource("VpcPrivateSubnet1".to_owned())],
            security_groups: vec![TemplateValue::Resource("TaskSecurityGroup".to_owned())],
            public_ip: false,
            launch_type: Some("FARGATE".to_owned()),
        }),
        ..plan()
    };
    run(start(
        &replay.aws(),
        &stack(),
        &plan,
        &RunTaskOptions::default(),
    ))
    .unwrap();
    let sent: serde_json::Value = serde_json::from_str(&replay.requests("RunTask")[0]).unwrap();
    assert_eq!(sent["launchType"], "FARGATE");
    assert_eq!(
        sent["networkConfiguration"],
        serde_json::json!({"awsvpcConfiguration": {
            "subnets": ["subnet-0a1b2c3d4e5f60718"],
            "securityGroups": ["sg-0aaaabbbbccccdddd"],
            "assignPublicIp": "DISABLED"
        }})
    );
}

/// Without a service or a schedule: the VPC's private subnets and the task
/// definition's own security group.
#[test]
fn an_unscheduled_task_takes_its_own_security_group() {
    let replay = Replay::default();
    let resources = resources().replace(
        "</StackResourceSummaries>",
        "<member><LogicalResourceId>TaskSecurityGroup</LogicalResourceId><PhysicalResourceId>sg-0aaaabbbbccccdddd</PhysicalResourceId><ResourceType>AWS::EC2::SecurityGroup</ResourceType><LastUpdatedTimestamp>2025-12-05T02:00:00.000Z</LastUpdatedTimestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member></StackResourceSummaries>",
    );
    replay
        .answer("ListStackResources", resources)
        .answer(
            "DescribeClusters",
            r#"{"clusters":[{"clusterName":"web-cluster","status":"ACTIVE"}],"failures":[]}"#,
        )
        .answer("RunTask", started());
    let plan = Plan {
        service: None,
        own_security_group: Some("TaskSecurityGroup".to_owned()),
        ..plan()
    };
    run(start(
        &replay.aws(),
        &stack(),
        &plan,
        &RunTaskOptions::default(),
    ))
    .unwrap();
    let sent: serde_json::Value = serde_json::from_str(&replay.requests("RunTask")[0]).unwrap();
    assert_eq!(
        sent["networkConfiguration"],
        serde_json::json!({"awsvpcConfiguration": {
            "subnets": ["subnet-0a1b2c3d4e5f60718"],
            "securityGroups": ["sg-0aaaabbbbccccdddd"]
        }})
    );
}
