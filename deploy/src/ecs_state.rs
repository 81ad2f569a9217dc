//! What ECS and Elastic Load Balancing say of a service now, read into
//! plain values: its counts, deployments and events (`DescribeServices`),
//! the tasks of a deployment that stopped and why (`ListTasks` and
//! `DescribeTasks`), and the health of its load balancer targets
//! (`DescribeTargetHealth`). `status` prints them; the deploy watch
//! (`rollout.rs`) decides on them.

use aws_sdk_ecs::types::{Deployment, Service, ServiceEvent, Task};
use aws_smithy_types::DateTime;

use crate::connection::service_error;
use crate::error::Result;

/// `DescribeServices` takes at most this many services per call.
const DESCRIBE_SERVICES_BATCH: usize = 10;

/// `DescribeTasks` takes at most this many tasks per call.
const DESCRIBE_TASKS_BATCH: usize = 100;

/// A service as ECS reports it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ServiceState {
    pub(crate) arn: String,
    /// `ACTIVE`, `DRAINING` or `INACTIVE`.
    pub(crate) status: String,
    pub(crate) desired: i32,
    pub(crate) running: i32,
    pub(crate) pending: i32,
    /// Newest first, as ECS lists them.
    pub(crate) deployments: Vec<DeploymentState>,
    /// Newest first, as ECS lists them.
    pub(crate) events: Vec<EventState>,
    /// The target groups the service registers its tasks with.
    pub(crate) target_groups: Vec<String>,
}

/// One deployment of a service.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DeploymentState {
    /// `ecs-svc/…`: the `startedBy` of the tasks it starts.
    pub(crate) id: String,
    /// `PRIMARY` (the newest), `ACTIVE` (being replaced) or `INACTIVE`.
    pub(crate) status: String,
    /// `IN_PROGRESS`, `COMPLETED` or `FAILED`; none for other controllers.
    pub(crate) rollout_state: Option<String>,
    pub(crate) rollout_reason: Option<String>,
    pub(crate) desired: i32,
    pub(crate) running: i32,
    pub(crate) pending: i32,
    pub(crate) failed: i32,
    /// The task definition's `family:revision`.
    pub(crate) task_definition: String,
    /// Seconds since the epoch, ECS's clock.
    pub(crate) created_at: Option<f64>,
}

/// One of a service's events.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct EventState {
    pub(crate) id: String,
    /// Seconds since the epoch, ECS's clock.
    pub(crate) created_at: Option<f64>,
    pub(crate) message: String,
}

/// A task that stopped, and why.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct StoppedTask {
    /// The last part of its ARN.
    pub(crate) id: String,
    /// The deployment or command that started it.
    pub(crate) started_by: String,
    /// `TaskFailedToStart`, `EssentialContainerExited`, `UserInitiated`,
    /// `ServiceSchedulerInitiated`, `SpotInterruption`, `TerminationNotice`.
    pub(crate) stop_code: Option<String>,
    pub(crate) reason: String,
    pub(crate) containers: Vec<ContainerExit>,
    /// Seconds since the epoch, ECS's clock.
    pub(crate) stopped_at: Option<f64>,
}

/// How one container of a stopped task ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ContainerExit {
    pub(crate) name: String,
    pub(crate) exit_code: Option<i32>,
    pub(crate) reason: Option<String>,
}

/// One target of a target group, as its health checks see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TargetState {
    /// An IP address or instance id, with the port.
    pub(crate) target: String,
    /// `initial`, `healthy`, `unhealthy`, `unused`, `draining`,
    /// `unavailable`, `unhealthy.draining`.
    pub(crate) state: String,
    /// `Target.ResponseCodeMismatch`, `Target.Timeout`, …
    pub(crate) reason: Option<String>,
    pub(crate) description: Option<String>,
}

impl TargetState {
    /// Healthy, or on its way in (`initial`): nothing to report.
    pub(crate) fn is_fine(&self) -> bool {
        matches!(self.state.as_str(), "healthy" | "initial")
    }
}

fn seconds(time: Option<&DateTime>) -> Option<f64> {
    time.map(DateTime::as_secs_f64)
}

/// The last part of an ARN's resource (`…:task/cluster/abc` → `abc`).
pub(crate) fn last_part(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

fn deployment(d: &Deployment) -> DeploymentState {
    DeploymentState {
        id: d.id().unwrap_or_default().to_owned(),
        status: d.status().unwrap_or_default().to_owned(),
        rollout_state: d.rollout_state().map(|s| s.as_str().to_owned()),
        rollout_reason: d.rollout_state_reason().map(str::to_owned),
        desired: d.desired_count(),
        running: d.running_count(),
        pending: d.pending_count(),
        failed: d.failed_tasks(),
        task_definition: d.task_definition().map(last_part).unwrap_or("?").to_owned(),
        created_at: seconds(d.created_at()),
    }
}

fn event(e: &ServiceEvent) -> EventState {
    EventState {
        id: e.id().unwrap_or_default().to_owned(),
        created_at: seconds(e.created_at()),
        message: e.message().unwrap_or_default().to_owned(),
    }
}

pub(crate) fn service(s: &Service) -> ServiceState {
    ServiceState {
        arn: s.service_arn().unwrap_or_default().to_owned(),
        status: s.status().unwrap_or_default().to_owned(),
        desired: s.desired_count(),
        running: s.running_count(),
        pending: s.pending_count(),
        deployments: s.deployments().iter().map(deployment).collect(),
        events: s.events().iter().map(event).collect(),
        target_groups: s
            .load_balancers()
            .iter()
            .filter_map(|lb| lb.target_group_arn().map(str::to_owned))
            .collect(),
    }
}

pub(crate) fn stopped_task(t: &Task) -> StoppedTask {
    StoppedTask {
        id: last_part(t.task_arn().unwrap_or_default()).to_owned(),
        started_by: t.started_by().unwrap_or_default().to_owned(),
        stop_code: t.stop_code().map(|c| c.as_str().to_owned()),
        reason: t.stopped_reason().unwrap_or_default().to_owned(),
        containers: t
            .containers()
            .iter()
            .map(|c| ContainerExit {
                name: c.name().unwrap_or_default().to_owned(),
                exit_code: c.exit_code(),
                reason: c.reason().map(str::to_owned),
            })
            .collect(),
        stopped_at: seconds(t.stopped_at()),
    }
}

/// The cluster named in a service ARN (`arn:…:service/<cluster>/<name>`);
/// none for the old format, which names no cluster (the default cluster).
pub(crate) fn cluster_of(service_arn: &str) -> Option<String> {
    let resource = service_arn.split(':').nth(5)?;
    let mut parts = resource.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("service"), Some(cluster), Some(_)) => Some(cluster.to_owned()),
        _ => None,
    }
}

/// The services of one cluster, by ARN, in batches ECS accepts; an ARN ECS
/// does not know is missing from the answer.
pub(crate) async fn describe_services(
    ecs: &aws_sdk_ecs::Client,
    stack: &str,
    cluster: Option<&str>,
    arns: &[String],
) -> Result<Vec<ServiceState>> {
    let mut found = Vec::with_capacity(arns.len());
    for batch in arns.chunks(DESCRIBE_SERVICES_BATCH) {
        let out = ecs
            .describe_services()
            .set_cluster(cluster.map(str::to_owned))
            .set_services(Some(batch.to_vec()))
            .send()
            .await
            .map_err(|e| service_error(stack, "DescribeServices", &e))?;
        found.extend(out.services().iter().map(service));
    }
    Ok(found)
}

/// The ARNs of the tasks that `started_by` (a deployment id) started and
/// that have stopped, those ECS still lists (about an hour after they stop).
pub(crate) async fn stopped_task_arns(
    ecs: &aws_sdk_ecs::Client,
    stack: &str,
    cluster: Option<&str>,
    started_by: &str,
) -> Result<Vec<String>> {
    let mut arns: Vec<String> = Vec::new();
    let mut token = None;
    loop {
        let page = ecs
            .list_tasks()
            .set_cluster(cluster.map(str::to_owned))
            .started_by(started_by)
            .desired_status(aws_sdk_ecs::types::DesiredStatus::Stopped)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| service_error(stack, "ListTasks", &e))?;
        arns.extend(page.task_arns().iter().cloned());
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(arns);
        }
    }
}

/// The tasks of `arns`, as [`StoppedTask`]s (a running task has no stop
/// code or reason yet).
pub(crate) async fn describe_tasks(
    ecs: &aws_sdk_ecs::Client,
    stack: &str,
    cluster: Option<&str>,
    arns: &[String],
) -> Result<Vec<StoppedTask>> {
    let mut tasks = Vec::with_capacity(arns.len());
    for batch in arns.chunks(DESCRIBE_TASKS_BATCH) {
        let out = ecs
            .describe_tasks()
            .set_cluster(cluster.map(str::to_owned))
            .set_tasks(Some(batch.to_vec()))
            .send()
            .await
            .map_err(|e| service_error(stack, "DescribeTasks", &e))?;
        tasks.extend(out.tasks().iter().map(stopped_task));
    }
    Ok(tasks)
}

/// Every registered target of a target group with its health.
pub(crate) async fn target_health(
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    stack: &str,
    target_group: &str,
) -> Result<Vec<TargetState>> {
    let out = elb
        .describe_target_health()
        .target_group_arn(target_group)
        .send()
        .await
        .map_err(|e| service_error(stack, "DescribeTargetHealth", &e))?;
    Ok(out
        .target_health_descriptions()
        .iter()
        .map(|d| {
            let target = d.target();
            let health = d.target_health();
            TargetState {
                target: match (target.and_then(|t| t.id()), target.and_then(|t| t.port())) {
                    (Some(id), Some(port)) => format!("{id}:{port}"),
                    (Some(id), None) => id.to_owned(),
                    _ => "?".to_owned(),
                },
                state: health
                    .and_then(|h| h.state())
                    .map_or("?", |s| s.as_str())
                    .to_owned(),
                reason: health
                    .and_then(|h| h.reason())
                    .map(|r| r.as_str().to_owned()),
                description: health.and_then(|h| h.description()).map(str::to_owned),
            }
        })
        .collect())
}

/// A stopped task in one line: its id, stop code and reason, and each
/// container that exited with a code or a reason.
pub(crate) fn describe_stopped(task: &StoppedTask) -> String {
    let mut line = format!("task {}", task.id);
    if let Some(code) = &task.stop_code {
        line.push_str(&format!(" ({code})"));
    }
    let mut details: Vec<String> = Vec::new();
    if !task.reason.is_empty() {
        details.push(task.reason.clone());
    }
    for c in &task.containers {
        let exit = c.exit_code.map(|code| format!("exit {code}"));
        // A container's reason that repeats the task's says nothing more.
        let reason = c.reason.clone().filter(|r| *r != task.reason);
        let parts: Vec<String> = exit.into_iter().chain(reason).collect();
        if !parts.is_empty() {
            details.push(format!("container {}: {}", c.name, parts.join(", ")));
        }
    }
    if !details.is_empty() {
        line.push_str(": ");
        line.push_str(&details.join("; "));
    }
    line
}

/// A target's state in words: `10.0.1.5:80 unhealthy (Target.Timeout:
/// Request timed out)`.
pub(crate) fn describe_target(t: &TargetState) -> String {
    let detail: Vec<&str> = t
        .reason
        .iter()
        .chain(t.description.iter())
        .map(String::as_str)
        .collect();
    if detail.is_empty() {
        format!("{} {}", t.target, t.state)
    } else {
        format!("{} {} ({})", t.target, t.state, detail.join(": "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cluster_of_a_service_arn() {
        assert_eq!(
            cluster_of("arn:aws:ecs:us-east-1:123456789012:service/web-cluster/web-svc").as_deref(),
            Some("web-cluster")
        );
        // The old ARN format names no cluster.
        assert_eq!(
            cluster_of("arn:aws:ecs:us-east-1:123456789012:service/web-svc"),
            None
        );
        assert_eq!(cluster_of("not an arn"), None);
    }

    #[test]
    fn a_stopped_task_without_a_reason_reads_without_an_empty_one() {
        let task = StoppedTask {
            id: "1a2b".into(),
            containers: vec![ContainerExit {
                name: "web".into(),
                exit_code: Some(0),
                reason: None,
            }],
            ..StoppedTask::default()
        };
        assert_eq!(describe_stopped(&task), "task 1a2b: container web: exit 0");
        assert_eq!(
            describe_stopped(&StoppedTask {
                id: "1a2b".into(),
                ..StoppedTask::default()
            }),
            "task 1a2b"
        );
    }

    #[test]
    fn a_stopped_task_reads_in_one_line() {
        let task = StoppedTask {
            id: "1a2b".into(),
            stop_code: Some("EssentialContainerExited".into()),
            reason: "Essential container in task exited".into(),
            containers: vec![
                ContainerExit {
                    name: "web".into(),
                    exit_code: Some(1),
                    reason: None,
                },
                ContainerExit {
                    name: "sidecar".into(),
                    ..ContainerExit::default()
                },
            ],
            ..StoppedTask::default()
        };
        assert_eq!(
            describe_stopped(&task),
            "task 1a2b (EssentialContainerExited): Essential container in task exited; container web: exit 1"
        );
    }
}
