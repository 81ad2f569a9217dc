//! `status [STACK]`: what runs now. For each stack, its CloudFormation
//! status, and for each ECS service of its template (named by construct
//! path, not ARN) the desired, running and pending counts, its deployments
//! and its last events (ECS `DescribeServices`), the latest tasks of its
//! primary deployment that stopped and why (`ListTasks`, `DescribeTasks`),
//! and the targets of its target groups that are not healthy (Elastic Load
//! Balancing `DescribeTargetHealth`).

use std::collections::BTreeMap;
use std::io::Write;

use ecscdk_synth::{Assembly, StackArtifact};
use serde_json::Value as Json;

use crate::cloudformation::ordered;
use crate::connection::{Aws, connect, runtime};
use crate::ecs_state::{
    ServiceState, cluster_of, describe_services, describe_stopped, describe_target, describe_tasks,
    stopped_task_arns, target_health,
};
use crate::error::{Error, Result};
use crate::live::{describe, ecs_services, physical_ids, status_text};

/// How many of a service's latest events `status` shows.
const EVENTS_SHOWN: usize = 3;

/// How many of the primary deployment's stopped tasks `status` shows.
const STOPPED_SHOWN: usize = 3;

/// An ECS service of a stack's template.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TemplateService {
    logical_id: String,
    /// The construct that made it (`Web/Service`).
    path: String,
}

/// `status`: prints each selected stack's status and its services' state.
///
/// # Errors
/// [`Error::Service`] when a call to CloudFormation or ECS fails.
pub fn status(
    assembly: &Assembly,
    selected: &[&StackArtifact],
    conn: &crate::Connection,
) -> Result<()> {
    let rt = runtime()?;
    rt.block_on(async {
        for stack in ordered(assembly, selected, false) {
            let aws = connect(conn, stack.env.region()).await?;
            let text = stack_status(&aws, stack).await?;
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
        Ok(())
    })
}

async fn stack_status(aws: &Aws, stack: &StackArtifact) -> Result<String> {
    let name = stack.stack_name.as_str();
    let Some(deployed) = describe(&aws.cfn, name).await? else {
        return Ok(format!("{}: NOT_DEPLOYED\n", stack.id));
    };
    let mut out = format!("{}: {}\n", stack.id, status_text(deployed.stack_status()));
    let services = template_services(stack)?;
    if services.is_empty() {
        return Ok(out);
    }
    let physical = physical_ids(&aws.cfn, name).await?;
    // Service ARNs name their cluster: service/<cluster>/<name>.
    // (An ARN of the old format names none: the default cluster.)
    let mut by_cluster: BTreeMap<Option<String>, Vec<(&TemplateService, String)>> = BTreeMap::new();
    for service in &services {
        match physical.get(&service.logical_id) {
            Some(arn) => by_cluster
                .entry(cluster_of(arn))
                .or_default()
                .push((service, arn.clone())),
            None => out.push_str(&format!("  {}: not created\n", service.path)),
        }
    }
    for (cluster, members) in by_cluster {
        let arns: Vec<String> = members.iter().map(|(_, arn)| arn.clone()).collect();
        let found = describe_services(&aws.ecs, name, cluster.as_deref(), &arns).await?;
        for (service, arn) in members {
            match found.iter().find(|s| s.arn == *arn) {
                Some(live) => {
                    out.push_str(&describe_service(&service.path, live));
                    out.push_str(&problems(aws, name, cluster.as_deref(), live).await);
                }
                None => out.push_str(&format!("  {}: not found in ECS ({arn})\n", service.path)),
            }
        }
    }
    Ok(out)
}

/// The ECS services of the stack's template, by logical ID, with the path
/// of the construct that made each.
fn template_services(stack: &StackArtifact) -> Result<Vec<TemplateService>> {
    let template: Json = serde_json::from_str(&stack.template).map_err(|e| Error::Service {
        stack: stack.id.clone(),
        action: "status",
        message: format!("the synthesized template is not JSON: {e}"),
        fix: "synthesize again".to_owned(),
    })?;
    Ok(ecs_services(&template)
        .into_iter()
        .map(|(logical_id, path)| TemplateService { logical_id, path })
        .collect())
}

/// A service's counts, deployments and latest events, indented under its
/// stack.
fn describe_service(path: &str, live: &ServiceState) -> String {
    let mut out = format!(
        "  {path}: desired {}, running {}, pending {}{}\n",
        live.desired,
        live.running,
        live.pending,
        if live.status.is_empty() {
            String::new()
        } else {
            format!(" ({})", live.status)
        }
    );
    for d in &live.deployments {
        let rollout = d
            .rollout_state
            .as_deref()
            .map_or_else(String::new, |s| format!(" {s}"));
        out.push_str(&format!(
            "    deployment {}{rollout}: {} running, {} pending, {} failed of {} ({})\n",
            d.status, d.running, d.pending, d.failed, d.desired, d.task_definition,
        ));
    }
    for e in live.events.iter().take(EVENTS_SHOWN) {
        let when = e
            .created_at
            .map(|t| aws_smithy_types::DateTime::from_secs_f64(t).to_string())
            .unwrap_or_default();
        out.push_str(&format!("    {when} {}\n", e.message));
    }
    out
}

/// What may be wrong with a running service: the latest tasks of its
/// primary deployment that stopped, and the targets of its target groups
/// that are not healthy (with how many are). A call that fails (missing
/// permissions, say) is shown in its place; the rest is still shown.
async fn problems(aws: &Aws, stack: &str, cluster: Option<&str>, live: &ServiceState) -> String {
    let mut out = String::new();
    if let Some(primary) = live.deployments.iter().find(|d| d.status == "PRIMARY") {
        match latest_stopped(aws, stack, cluster, &primary.id).await {
            Ok(lines) => {
                for line in lines {
                    out.push_str(&format!("    stopped: {line}\n"));
                }
            }
            Err(e) => out.push_str(&format!("    stopped tasks unavailable: {e}\n")),
        }
    }
    for group in &live.target_groups {
        let name = target_group_name(group);
        match target_health(&aws.elb, stack, group).await {
            Ok(targets) => {
                let healthy = targets.iter().filter(|t| t.state == "healthy").count();
                out.push_str(&format!(
                    "    targets of {name}: {healthy} of {} healthy\n",
                    targets.len()
                ));
                for t in targets.iter().filter(|t| t.state != "healthy") {
                    out.push_str(&format!("      {}\n", describe_target(t)));
                }
            }
            Err(e) => out.push_str(&format!("    targets of {name} unavailable: {e}\n")),
        }
    }
    out
}

/// The deployment's latest stopped tasks, newest first, in words.
async fn latest_stopped(
    aws: &Aws,
    stack: &str,
    cluster: Option<&str>,
    deployment: &str,
) -> Result<Vec<String>> {
    let arns = stopped_task_arns(&aws.ecs, stack, cluster, deployment).await?;
    let mut stopped = describe_tasks(&aws.ecs, stack, cluster, &arns).await?;
    let at = |t: &crate::ecs_state::StoppedTask| t.stopped_at.unwrap_or(0.0);
    stopped.sort_by(|a, b| at(b).total_cmp(&at(a)));
    Ok(stopped
        .iter()
        .take(STOPPED_SHOWN)
        .map(describe_stopped)
        .collect())
}

/// `name/0123…` of a target group ARN (`…:targetgroup/name/0123…`).
fn target_group_name(arn: &str) -> &str {
    arn.split_once(":targetgroup/")
        .map_or(arn, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use ecscdk_synth::Env;

    use super::*;
    use crate::replay::{Replay, run};

    const SERVICE_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:service/web-cluster/web";
    const TARGET_GROUP: &str =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067";

    /// A service whose stopped tasks can be read but whose targets cannot
    /// (no `elasticloadbalancing:DescribeTargetHealth` permission): the
    /// rest of the status is shown, and the missing part says why.
    #[test]
    fn a_call_that_fails_is_shown_in_its_place() {
        let replay = Replay::default();
        replay
            .answer(
                "DescribeStacks",
                r#"<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>Web</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/Web/5b918d10</StackId><CreationTime>2025-12-01T10:00:00.000Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>"#,
            )
            .answer(
                "ListStackResources",
                format!(
                    r#"<ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStackResourcesResult><StackResourceSummaries><member><LogicalResourceId>WebService</LogicalResourceId><PhysicalResourceId>{SERVICE_ARN}</PhysicalResourceId><ResourceType>AWS::ECS::Service</ResourceType><LastUpdatedTimestamp>2025-12-05T02:00:00.000Z</LastUpdatedTimestamp><ResourceStatus>UPDATE_COMPLETE</ResourceStatus></member></StackResourceSummaries></ListStackResourcesResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></ListStackResourcesResponse>"#
                ),
            )
            .answer(
                "DescribeServices",
                serde_json::json!({"services": [{
                    "serviceArn": SERVICE_ARN, "status": "ACTIVE",
                    "desiredCount": 2, "runningCount": 2, "pendingCount": 0,
                    "loadBalancers": [{"targetGroupArn": TARGET_GROUP, "containerName": "web", "containerPort": 80}],
                    "deployments": [{"id": "ecs-svc/1", "status": "PRIMARY", "rolloutState": "COMPLETED",
                        "desiredCount": 2, "runningCount": 2, "pendingCount": 0, "failedTasks": 1,
                        "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:8"}],
                    "events": []
                }], "failures": []})
                .to_string(),
            )
            .answer("ListTasks", r#"{"taskArns":["arn:aws:ecs:us-east-1:123456789012:task/web-cluster/aaa"]}"#)
            .answer(
                "DescribeTasks",
                serde_json::json!({"tasks": [{
                    "taskArn": "arn:aws:ecs:us-east-1:123456789012:task/web-cluster/aaa",
                    "stopCode": "EssentialContainerExited",
                    "stoppedReason": "Essential container in task exited",
                    "stoppedAt": 1_764_900_060.0,
                    "containers": [{"name": "web", "exitCode": 137, "reason": "OutOfMemoryError: Container killed due to memory usage"}]
                }], "failures": []})
                .to_string(),
            )
            .answer_with(
                "DescribeTargetHealth",
                403,
                r#"<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: elasticloadbalancing:DescribeTargetHealth</Message></Error><RequestId>3</RequestId></ErrorResponse>"#,
            );
        let stack = StackArtifact {
            id: "Web".to_owned(),
            stack_name: "Web".to_owned(),
            env: Env::agnostic(),
            tags: BTreeMap::new(),
            termination_protection: false,
            needs_upload: false,
            template: serde_json::json!({"Resources": {"WebService": {
                "Type": "AWS::ECS::Service",
                "Metadata": {"aws:cdk:path": "Web/Web/Service"}
            }}})
            .to_string(),
            dependencies: Vec::new(),
            replacing_properties: BTreeMap::new(),
            images: Vec::new(),
            warnings: Vec::new(),
        };
        let text = run(stack_status(&replay.aws(), &stack)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Web: UPDATE_COMPLETE");
        assert_eq!(
            lines[1],
            "  Web/Web: desired 2, running 2, pending 0 (ACTIVE)"
        );
        assert_eq!(
            lines[2],
            "    deployment PRIMARY COMPLETED: 2 running, 0 pending, 1 failed of 2 (web:8)"
        );
        assert_eq!(
            lines[3],
            "    stopped: task aaa (EssentialContainerExited): Essential container in task exited; container web: exit 137, OutOfMemoryError: Container killed due to memory usage"
        );
        assert!(
            lines[4].starts_with("    targets of web/73e2d6bc24d8a067 unavailable: ")
                && lines[4].contains("AccessDenied"),
            "{text}"
        );
    }
}
