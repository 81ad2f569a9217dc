//! The rollout decisions on recorded answers: ECS and Elastic Load
//! Balancing bodies in their wire formats (as the services send them, in
//! the shapes of the API references' examples) are replayed through the
//! SDK clients, so each test goes through the SDK's parsing, our reading
//! (`ecs_state.rs`) and the decision. moto cannot show these: it runs no
//! containers and its CloudFormation finishes every operation at once.

use std::collections::BTreeMap;

use super::*;
use crate::ecs_state::{ContainerExit, EventState};
use crate::replay::{Replay, run};

const CLUSTER: &str = "web-cluster";
const SERVICE_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:service/web-cluster/web";
const TARGET_GROUP: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067";
/// When CloudFormation started updating the service (its event's time).
const SINCE: f64 = 1_764_900_000.0;
const NEW: &str = "ecs-svc/9223370000000000002";
const OLD: &str = "ecs-svc/9223370000000000001";

/// A `DescribeServices` answer: the new deployment (PRIMARY) replacing the
/// old one (ACTIVE), with the given rollout state and events.
fn services(rollout: &str, reason: &str, running: i32, events: &[(&str, f64, &str)]) -> String {
    let events: Vec<serde_json::Value> = events
        .iter()
        .map(|(id, at, message)| serde_json::json!({"id": id, "createdAt": at, "message": message}))
        .collect();
    serde_json::json!({
        "services": [{
            "serviceArn": SERVICE_ARN,
            "serviceName": "web",
            "clusterArn": format!("arn:aws:ecs:us-east-1:123456789012:cluster/{CLUSTER}"),
            "status": "ACTIVE",
            "desiredCount": 2,
            "runningCount": 2 + running,
            "pendingCount": 0,
            "loadBalancers": [{"targetGroupArn": TARGET_GROUP, "containerName": "web", "containerPort": 80}],
            "deployments": [
                {"id": NEW, "status": "PRIMARY", "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:8",
                 "desiredCount": 2, "pendingCount": 0, "runningCount": running, "failedTasks": 0,
                 "createdAt": SINCE + 4.0, "updatedAt": SINCE + 4.0,
                 "rolloutState": rollout, "rolloutStateReason": reason},
                {"id": OLD, "status": "ACTIVE", "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
                 "desiredCount": 2, "pendingCount": 0, "runningCount": 2, "failedTasks": 0,
                 "createdAt": SINCE - 86_400.0, "updatedAt": SINCE - 86_400.0,
                 "rolloutState": "COMPLETED", "rolloutStateReason": "ECS deployment ecs-svc/9223370000000000001 completed."}
            ],
            "events": events
        }],
        "failures": []
    })
    .to_string()
}

fn task_arn(id: &str) -> String {
    format!("arn:aws:ecs:us-east-1:123456789012:task/{CLUSTER}/{id}")
}

fn list_tasks(ids: &[&str]) -> String {
    serde_json::json!({"taskArns": ids.iter().map(|id| task_arn(id)).collect::<Vec<_>>()})
        .to_string()
}

/// A `DescribeTasks` answer of one task of the new deployment that stopped.
fn stopped(id: &str, stop_code: &str, reason: &str, container: serde_json::Value) -> String {
    serde_json::json!({
        "tasks": [{
            "taskArn": task_arn(id),
            "clusterArn": format!("arn:aws:ecs:us-east-1:123456789012:cluster/{CLUSTER}"),
            "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:8",
            "startedBy": NEW,
            "group": "service:web",
            "lastStatus": "STOPPED",
            "desiredStatus": "STOPPED",
            "stopCode": stop_code,
            "stoppedReason": reason,
            "stoppedAt": SINCE + 60.0,
            "containers": [container]
        }],
        "failures": []
    })
    .to_string()
}

/// A target's IP address, state, and reason and description.
type Target<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>);

/// A `DescribeTargetHealth` answer (the Query protocol's XML).
fn target_health(targets: &[Target<'_>]) -> String {
    let members: String = targets
        .iter()
        .map(|(ip, state, detail)| {
            let detail = detail.map_or_else(String::new, |(reason, description)| {
                format!("<Reason>{reason}</Reason><Description>{description}</Description>")
            });
            format!(
                "<member><HealthCheckPort>80</HealthCheckPort><Target><Id>{ip}</Id><Port>80</Port></Target><TargetHealth><State>{state}</State>{detail}</TargetHealth></member>"
            )
        })
        .collect();
    format!(
        r#"<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetHealthResult><TargetHealthDescriptions>{members}</TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>c534f810-f389-11e5-9192-3fff33344cfa</RequestId></ResponseMetadata></DescribeTargetHealthResponse>"#
    )
}

fn web_services() -> BTreeMap<String, String> {
    BTreeMap::from([("WebService".to_owned(), "Web/Service".to_owned())])
}

fn followed<'a>(
    ecs: &'a aws_sdk_ecs::Client,
    elb: &'a aws_sdk_elasticloadbalancingv2::Client,
    rules: Option<FailFast>,
) -> Rollouts<'a> {
    let mut rollouts = Rollouts::new(ecs, elb, "Web", web_services(), rules);
    rollouts.on_event(
        "WebService",
        "UPDATE_IN_PROGRESS",
        Some(SERVICE_ARN),
        Some(SINCE),
    );
    rollouts
}

/// An essential container that exits makes each new task stop; the third
/// such stop fails the rollout, naming the container and its exit code,
/// and each stopped task is described once.
#[test]
fn an_essential_container_that_keeps_exiting_fails_the_rollout_at_the_third_task() {
    let replay = Replay::default();
    let exited = |id: &str| {
        stopped(
            id,
            "EssentialContainerExited",
            "Essential container in task exited",
            serde_json::json!({"name": "web", "exitCode": 1, "lastStatus": "STOPPED"}),
        )
    };
    let healthy = target_health(&[("10.0.1.17", "healthy", None)]);
    for (listed, new) in [
        (vec!["aaa"], "aaa"),
        (vec!["aaa", "bbb"], "bbb"),
        (vec!["aaa", "bbb", "ccc"], "ccc"),
    ] {
        replay
            .answer("DescribeServices", services("IN_PROGRESS", "", 0, &[]))
            .answer("ListTasks", list_tasks(&listed))
            .answer("DescribeTasks", exited(new))
            .answer("DescribeTargetHealth", healthy.clone());
    }
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let mut rollouts = followed(ecs, elb, Some(FailFast::default()));
    let (first, failure) = run(rollouts.poll());
    assert_eq!(failure, None);
    assert_eq!(
        first,
        [
            format!(
                "Web/Service: deployment {OLD} ACTIVE COMPLETED: 2/2 running, 0 pending, 0 failed (web:7)"
            ),
            format!(
                "Web/Service: deployment {NEW} PRIMARY IN_PROGRESS: 0/2 running, 0 pending, 0 failed (web:8)"
            ),
            "Web/Service: task aaa (EssentialContainerExited): Essential container in task exited; container web: exit 1".to_owned(),
            "Web/Service: target 10.0.1.17:80 healthy".to_owned(),
        ]
    );
    assert_eq!(rollouts.summary(), "Web/Service 0/2");
    let (second, failure) = run(rollouts.poll());
    assert_eq!(failure, None);
    assert_eq!(
        second,
        [
            "Web/Service: task bbb (EssentialContainerExited): Essential container in task exited; container web: exit 1"
        ]
    );
    let (_, failure) = run(rollouts.poll());
    let failure = failure.expect("the third exit fails the rollout");
    assert_eq!(failure.service, "Web/Service");
    assert_eq!(
        failure.cause,
        "3 tasks of the new deployment stopped: essential container web exits"
    );
    assert_eq!(failure.evidence.len(), 3);
    assert!(failure.evidence[2].starts_with("task ccc"), "{failure:?}");
    // Only the new deployment's tasks are asked for, and each stopped task
    // is described once.
    assert!(
        replay
            .requests("ListTasks")
            .iter()
            .all(|body| body.contains(NEW) && body.contains("STOPPED")),
        "{:?}",
        replay.requests("ListTasks")
    );
    let described = replay.requests("DescribeTasks");
    assert!(described[2].contains("ccc") && !described[2].contains("aaa"));
}

/// An image that cannot be pulled: the cause names the container, the
/// evidence quotes ECS's reason.
#[test]
fn an_image_that_cannot_be_pulled_fails_the_rollout() {
    let replay = Replay::default();
    let reason = "CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref public.ecr.aws/nginx/nginx:1.99: public.ecr.aws/nginx/nginx:1.99: not found";
    let pull = |id: &str| {
        stopped(
            id,
            "TaskFailedToStart",
            reason,
            serde_json::json!({"name": "web", "lastStatus": "STOPPED", "reason": reason}),
        )
    };
    // DescribeTasks answers both tasks at once.
    let a: serde_json::Value = serde_json::from_str(&pull("aaa")).unwrap();
    let b: serde_json::Value = serde_json::from_str(&pull("bbb")).unwrap();
    let both = serde_json::json!({"tasks": [a["tasks"][0], b["tasks"][0]], "failures": []});
    replay
        .answer("DescribeServices", services("IN_PROGRESS", "", 0, &[]))
        .answer("ListTasks", list_tasks(&["aaa", "bbb"]))
        .answer("DescribeTasks", both.to_string())
        .answer("DescribeTargetHealth", target_health(&[]));
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let rules = FailFast {
        stopped_tasks: 2,
        ..FailFast::default()
    };
    let mut rollouts = followed(ecs, elb, Some(rules));
    let (lines, failure) = run(rollouts.poll());
    let failure = failure.expect("two pull failures with a threshold of 2");
    assert_eq!(
        failure.cause,
        "2 tasks of the new deployment stopped: the image of container web cannot be pulled"
    );
    assert!(
        failure.evidence[0].contains("nginx:1.99: not found"),
        "{failure:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("task bbb (TaskFailedToStart)"))
    );
}

/// Tasks stopped by failed load balancer health checks: the failure also
/// quotes the target that is not healthy, with the health check's reason.
#[test]
fn failed_health_checks_fail_the_rollout_with_the_targets_reason() {
    let replay = Replay::default();
    let reason = format!("Task failed ELB health checks in (target-group {TARGET_GROUP})");
    let unhealthy = target_health(&[
        ("10.0.1.17", "healthy", None),
        (
            "10.0.2.40",
            "unhealthy",
            Some((
                "Target.ResponseCodeMismatch",
                "Health checks failed with these codes: [404]",
            )),
        ),
    ]);
    let mut listed = Vec::new();
    for id in ["aaa", "bbb", "ccc"] {
        listed.push(id);
        replay
            .answer("DescribeServices", services("IN_PROGRESS", "", 1, &[]))
            .answer("ListTasks", list_tasks(&listed))
            .answer(
                "DescribeTasks",
                stopped(
                    id,
                    "ServiceSchedulerInitiated",
                    &reason,
                    serde_json::json!({"name": "web", "exitCode": 0, "lastStatus": "STOPPED"}),
                ),
            )
            .answer("DescribeTargetHealth", unhealthy.clone());
    }
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let mut rollouts = followed(ecs, elb, Some(FailFast::default()));
    let (lines, _) = run(rollouts.poll());
    assert!(
        lines.contains(
            &"Web/Service: target 10.0.2.40:80 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [404])".to_owned()
        ),
        "{lines:?}"
    );
    run(rollouts.poll());
    let (lines, failure) = run(rollouts.poll());
    // A target whose state did not change is not printed again.
    assert!(
        !lines.iter().any(|l| l.starts_with("Web/Service: target ")),
        "{lines:?}"
    );
    let failure = failure.expect("three health-check stops");
    assert_eq!(
        failure.cause,
        "3 tasks of the new deployment stopped: they fail the load balancer's health checks"
    );
    assert_eq!(
        failure.evidence.last().unwrap(),
        "target 10.0.2.40:80 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [404])"
    );
}

/// The circuit breaker's verdict needs no counting: the deployment marked
/// FAILED fails the rollout at once, with ECS's reason.
#[test]
fn a_deployment_the_circuit_breaker_failed_fails_the_rollout_at_once() {
    let replay = Replay::default();
    replay
        .answer(
            "DescribeServices",
            services(
                "FAILED",
                "ECS deployment circuit breaker: tasks failed to start.",
                0,
                &[],
            ),
        )
        .answer("ListTasks", list_tasks(&[]))
        .answer("DescribeTargetHealth", target_health(&[]));
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let mut rollouts = followed(ecs, elb, Some(FailFast::default()));
    let (_, failure) = run(rollouts.poll());
    assert_eq!(
        failure.map(|f| f.cause),
        Some(format!(
            "the deployment circuit breaker failed deployment {NEW}: ECS deployment circuit breaker: tasks failed to start."
        ))
    );
}

/// `--no-fail-fast`: the same answers are printed, and nothing fails.
#[test]
fn without_fail_fast_the_rollout_is_printed_and_never_failed() {
    let replay = Replay::default();
    replay
        .answer(
            "DescribeServices",
            services(
                "FAILED",
                "ECS deployment circuit breaker: tasks failed to start.",
                0,
                &[(
                    "e1",
                    SINCE + 5.0,
                    "(service web) has started 2 tasks: (task aaa) (task bbb).",
                )],
            ),
        )
        .answer("ListTasks", list_tasks(&[]))
        .answer("DescribeTargetHealth", target_health(&[]));
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let mut rollouts = followed(ecs, elb, None);
    let (lines, failure) = run(rollouts.poll());
    assert_eq!(failure, None);
    assert!(lines.contains(
        &"Web/Service: (service web) has started 2 tasks: (task aaa) (task bbb).".to_owned()
    ));
}

/// Events from before the operation are history: not printed, and an old
/// placement failure does not count.
#[test]
fn events_before_the_operation_are_not_printed() {
    let replay = Replay::default();
    replay
        .answer(
            "DescribeServices",
            services(
                "IN_PROGRESS",
                "",
                0,
                &[
                    ("e3", SINCE + 10.0, "(service web) has started 1 tasks: (task ccc)."),
                    ("e2", SINCE - 3_600.0, "(service web) was unable to place a task because no container instance met all of its requirements."),
                    ("e1", SINCE - 7_200.0, "(service web) has reached a steady state."),
                ],
            ),
        )
        .answer("ListTasks", list_tasks(&[]))
        .answer("DescribeTargetHealth", target_health(&[]));
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let mut rollouts = followed(ecs, elb, Some(FailFast::default()));
    let (lines, failure) = run(rollouts.poll());
    assert_eq!(failure, None);
    let events: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("(service web)"))
        .collect();
    assert_eq!(
        events,
        ["Web/Service: (service web) has started 1 tasks: (task ccc)."]
    );
}

/// The CloudFormation events that start and end following a service.
#[test]
fn a_service_is_followed_from_its_resource_in_progress_to_its_completion() {
    let replay = Replay::default();
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let mut rollouts = Rollouts::new(ecs, elb, "Web", web_services(), None);
    // The first creation event has no physical ID yet; another resource's
    // events are not a service's.
    rollouts.on_event("WebService", "CREATE_IN_PROGRESS", None, Some(SINCE));
    rollouts.on_event(
        "WebTaskDefinition",
        "CREATE_IN_PROGRESS",
        Some("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"),
        Some(SINCE),
    );
    assert_eq!(rollouts.summary(), "");
    rollouts.on_event(
        "WebService",
        "CREATE_IN_PROGRESS",
        Some(SERVICE_ARN),
        Some(SINCE),
    );
    assert_eq!(rollouts.summary(), "Web/Service");
    rollouts.on_event(
        "WebService",
        "CREATE_COMPLETE",
        Some(SERVICE_ARN),
        Some(SINCE + 90.0),
    );
    // One last look, which decides nothing: CloudFormation has.
    replay
        .answer(
            "DescribeServices",
            services(
                "FAILED",
                "ECS deployment circuit breaker: tasks failed to start.",
                2,
                &[],
            ),
        )
        .answer("ListTasks", list_tasks(&[]))
        .answer("DescribeTargetHealth", target_health(&[]));
    rollouts.rules = Some(FailFast::default());
    let (lines, failure) = run(rollouts.poll());
    assert!(
        lines
            .iter()
            .any(|l| l.contains("PRIMARY FAILED: 2/2 running")),
        "{lines:?}"
    );
    assert_eq!(failure, None);
    assert_eq!(rollouts.summary(), "");
    // Nothing followed: no call at all.
    let calls = replay.calls();
    let (lines, failure) = run(rollouts.poll());
    assert!(lines.is_empty() && failure.is_none());
    assert_eq!(replay.calls(), calls);
}

/// A service that fails its resource gets one more look, for the cause,
/// then is dropped.
#[test]
fn a_failed_service_resource_gets_one_last_look() {
    let replay = Replay::default();
    replay
        .answer(
            "DescribeServices",
            services(
                "FAILED",
                "ECS deployment circuit breaker: tasks failed to start.",
                0,
                &[],
            ),
        )
        .answer("ListTasks", list_tasks(&[]))
        .answer("DescribeTargetHealth", target_health(&[]));
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let mut rollouts = followed(ecs, elb, None);
    rollouts.on_event(
        "WebService",
        "UPDATE_FAILED",
        Some(SERVICE_ARN),
        Some(SINCE + 600.0),
    );
    let (lines, _) = run(rollouts.poll());
    assert!(
        lines.iter().any(|l| l.contains("PRIMARY FAILED")),
        "{lines:?}"
    );
    assert_eq!(rollouts.summary(), "");
}

/// ECS that cannot place a task fails the rollout only once the message
/// has lasted `unplaceable_for`; a task started in between resets it.
#[test]
fn a_task_that_cannot_be_placed_fails_the_rollout_after_the_limit() {
    let rules = FailFast {
        unplaceable_for: Duration::from_secs(300),
        ..FailFast::default()
    };
    let unplaceable = "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0f8c) has insufficient memory available.";
    let observation = |events: Vec<EventState>| Observation {
        service: ServiceState {
            arn: SERVICE_ARN.to_owned(),
            deployments: vec![DeploymentState {
                id: NEW.to_owned(),
                status: "PRIMARY".to_owned(),
                rollout_state: Some("IN_PROGRESS".to_owned()),
                created_at: Some(SINCE + 3.0),
                desired: 2,
                ..DeploymentState::default()
            }],
            events,
            ..ServiceState::default()
        },
        ..Observation::default()
    };
    let event = |id: &str, message: &str| EventState {
        id: id.to_owned(),
        created_at: Some(SINCE + 10.0),
        message: message.to_owned(),
    };
    let mut rollout = Rollout::new("WebService", "Web/Service", SERVICE_ARN, SINCE);
    let first = observation(vec![event("e1", unplaceable)]);
    let at = Duration::from_secs;
    assert_eq!(rollout.observe(&first, at(10), Some(&rules)).1, None);
    assert_eq!(rollout.observe(&first, at(250), Some(&rules)).1, None);
    // A task started: the wait starts again.
    let started = observation(vec![
        event("e2", "(service web) has started 1 tasks: (task aaa)."),
        event("e1", unplaceable),
    ]);
    assert_eq!(rollout.observe(&started, at(260), Some(&rules)).1, None);
    let again = observation(vec![
        event("e3", unplaceable),
        event("e2", "(service web) has started 1 tasks: (task aaa)."),
        event("e1", unplaceable),
    ]);
    assert_eq!(rollout.observe(&again, at(300), Some(&rules)).1, None);
    assert_eq!(rollout.observe(&again, at(500), Some(&rules)).1, None);
    let failure = rollout
        .observe(&again, at(600), Some(&rules))
        .1
        .expect("five minutes without placing a task");
    assert_eq!(
        failure.cause,
        format!("ECS could not place a task for 300 s: {unplaceable}")
    );
}

/// Stops that are part of running a service never fail a rollout, however
/// many: scaling in, a user's stop, a Spot interruption.
#[test]
fn stops_that_are_operations_do_not_count() {
    let mut rollout = Rollout::new("WebService", "Web/Service", SERVICE_ARN, SINCE);
    let stops = [
        (
            "ServiceSchedulerInitiated",
            "Scaling activity initiated by (deployment ecs-svc/9223370000000000002)",
        ),
        ("UserInitiated", "Task stopped by user"),
        ("SpotInterruption", "Your Spot Task was interrupted."),
        ("TerminationNotice", "Instance is being terminated"),
    ];
    let stopped: Vec<StoppedTask> = (0..5)
        .flat_map(|i| {
            stops.iter().map(move |(code, reason)| StoppedTask {
                id: format!("{code}-{i}"),
                started_by: NEW.to_owned(),
                stop_code: Some((*code).to_owned()),
                reason: (*reason).to_owned(),
                containers: vec![ContainerExit {
                    name: "web".to_owned(),
                    exit_code: Some(143),
                    reason: None,
                }],
                stopped_at: Some(SINCE + 30.0),
            })
        })
        .collect();
    let obs = Observation {
        stopped,
        ..Observation::default()
    };
    let rules = FailFast::default();
    let (lines, failure) = rollout.observe(&obs, Duration::from_secs(60), Some(&rules));
    assert_eq!(failure, None);
    assert_eq!(lines.len(), 20);
}

/// Each stop that fails a rollout, by its cause.
#[test]
fn causes_of_stopped_tasks() {
    let task = |code: &str, reason: &str, containers: Vec<ContainerExit>| StoppedTask {
        stop_code: Some(code.to_owned()),
        reason: reason.to_owned(),
        containers,
        ..StoppedTask::default()
    };
    let container = |name: &str, exit_code: Option<i32>, reason: Option<&str>| ContainerExit {
        name: name.to_owned(),
        exit_code,
        reason: reason.map(str::to_owned),
    };
    assert_eq!(
        cause(&task(
            "EssentialContainerExited",
            "Essential container in task exited",
            vec![
                container("log-router", Some(0), None),
                container(
                    "app",
                    Some(137),
                    Some("OutOfMemoryError: Container killed due to memory usage")
                ),
            ],
        ))
        .as_deref(),
        Some("essential container app exits")
    );
    assert_eq!(
        cause(&task(
            "TaskFailedToStart",
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed",
            vec![],
        ))
        .as_deref(),
        Some("they fail to start (ResourceInitializationError)")
    );
    assert_eq!(
        cause(&task(
            "ServiceSchedulerInitiated",
            "Task failed container health checks",
            vec![],
        ))
        .as_deref(),
        Some("they fail their container health checks")
    );
}

const STACK_ID: &str =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/Web/5b918d10-d1a2-11f0-9b5c-0affd3c3b2a1";

/// A `DescribeStackEvents` answer (Query XML), newest first: the stack's
/// update, then the service's, at `SINCE` (2025-12-05T02:00:00Z).
fn update_events() -> String {
    let event = |id: &str, logical: &str, physical: &str, kind: &str| {
        format!(
            "<member><EventId>{id}</EventId><StackName>Web</StackName><StackId>{STACK_ID}</StackId><LogicalResourceId>{logical}</LogicalResourceId><PhysicalResourceId>{physical}</PhysicalResourceId><ResourceType>{kind}</ResourceType><Timestamp>2025-12-05T02:00:00.000Z</Timestamp><ResourceStatus>UPDATE_IN_PROGRESS</ResourceStatus></member>"
        )
    };
    format!(
        r#"<DescribeStackEventsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStackEventsResult><StackEvents>{}{}</StackEvents></DescribeStackEventsResult><ResponseMetadata><RequestId>1e4c7d3a-0000-4000-8000-000000000001</RequestId></ResponseMetadata></DescribeStackEventsResponse>"#,
        event(
            "WebService-UPDATE_IN_PROGRESS-2025-12-05T02:00:00.000Z",
            "WebService",
            SERVICE_ARN,
            "AWS::ECS::Service"
        ),
        event(
            "2b1c9a40-d1a2-11f0-9b5c-0affd3c3b2a1",
            "Web",
            STACK_ID,
            "AWS::CloudFormation::Stack"
        ),
    )
}

/// A `DescribeStacks` answer with the stack in `status`.
fn stack_in(status: &str) -> String {
    format!(
        r#"<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>Web</StackName><StackId>{STACK_ID}</StackId><CreationTime>2025-12-01T10:00:00.000Z</CreationTime><StackStatus>{status}</StackStatus></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1e4c7d3a-0000-4000-8000-000000000002</RequestId></ResponseMetadata></DescribeStacksResponse>"#
    )
}

/// ECS's answers of a rollout the circuit breaker failed, one stopped task.
fn failed_rollout(replay: &Replay) {
    let reason = "CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref public.ecr.aws/nginx/nginx:1.99: not found";
    replay
        .answer(
            "DescribeServices",
            services(
                "FAILED",
                "ECS deployment circuit breaker: tasks failed to start.",
                0,
                &[],
            ),
        )
        .answer("ListTasks", list_tasks(&["aaa"]))
        .answer(
            "DescribeTasks",
            stopped(
                "aaa",
                "TaskFailedToStart",
                reason,
                serde_json::json!({"name": "web", "lastStatus": "STOPPED", "reason": reason}),
            ),
        )
        .answer("DescribeTargetHealth", target_health(&[]));
}

/// The whole wait: CloudFormation's event starts following the service,
/// ECS says the circuit breaker failed its deployment while the update is
/// in progress, so the update is cancelled at once and the error names the
/// service, the cause and the stopped task.
#[test]
fn a_failed_rollout_cancels_the_update_and_names_the_cause() {
    use crate::watch::{Goal, Watch, wait};
    let replay = Replay::default();
    replay.answer("DescribeStackEvents", update_events());
    failed_rollout(&replay);
    replay
        .answer("DescribeStacks", stack_in("UPDATE_IN_PROGRESS"))
        .answer(
            "CancelUpdateStack",
            r#"<CancelUpdateStackResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ResponseMetadata><RequestId>1e4c7d3a-0000-4000-8000-000000000003</RequestId></ResponseMetadata></CancelUpdateStackResponse>"#,
        );
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let mut rollouts = Rollouts::new(ecs, elb, "Web", web_services(), Some(FailFast::default()));
    let watch = Watch::new(2, Duration::from_secs(1800), Goal::Deploy);
    let err = run(wait(
        &aws.cfn,
        "Web",
        "Web",
        None,
        watch,
        Some(&mut rollouts),
    ))
    .unwrap_err();
    match &err {
        crate::Error::RolloutFailed {
            stack,
            service,
            cause,
            evidence,
            action,
        } => {
            assert_eq!(stack, "Web");
            assert_eq!(service, "Web/Service");
            assert!(cause.contains("circuit breaker failed deployment"), "{err}");
            assert!(
                evidence[0].starts_with("task aaa (TaskFailedToStart): CannotPullContainerError"),
                "{err}"
            );
            assert_eq!(
                action,
                "the update was cancelled (CloudFormation rolls it back)"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(replay.requests("CancelUpdateStack").len(), 1);
}

/// The same answers once CloudFormation has finished: the deploy stands
/// (ECS's last word came after CloudFormation's), nothing is cancelled.
#[test]
fn a_stack_that_finished_is_not_failed_by_the_rollout() {
    use crate::watch::{Goal, Watch, wait};
    let replay = Replay::default();
    replay.answer("DescribeStackEvents", update_events());
    failed_rollout(&replay);
    replay.answer("DescribeStacks", stack_in("UPDATE_COMPLETE"));
    let aws = replay.aws();
    let (ecs, elb) = (&aws.ecs, &aws.elb);
    let mut rollouts = Rollouts::new(ecs, elb, "Web", web_services(), Some(FailFast::default()));
    let watch = Watch::new(2, Duration::from_secs(1800), Goal::Deploy);
    let status = run(wait(
        &aws.cfn,
        "Web",
        "Web",
        None,
        watch,
        Some(&mut rollouts),
    ))
    .unwrap();
    assert_eq!(
        status,
        aws_sdk_cloudformation::types::StackStatus::UpdateComplete
    );
    assert!(replay.requests("CancelUpdateStack").is_empty());
}
