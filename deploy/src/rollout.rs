//! Following ECS while a stack operation creates or updates its services.
//!
//! CloudFormation says only that a service "did not stabilize"; the cause
//! lives in ECS. For each service whose resource an operation is working
//! on, the watch prints what changes — its deployments (rollout state and
//! counts), its new events, the tasks of the new deployment that stopped
//! (stop code, reason, each container's exit code and reason) and the
//! health of its load balancer targets — and decides whether the rollout
//! has failed ([`FailFast`]): the circuit breaker marked it failed, tasks
//! keep stopping for one cause, or ECS cannot place a task for too long.
//!
//! [`Rollout::observe`] decides on plain values ([`Observation`]), so the
//! decisions are tested on recorded answers; [`Rollouts::poll`] fetches
//! them (`ecs_state.rs`).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::{Duration, Instant};

use crate::ecs_state::{
    DeploymentState, ServiceState, StoppedTask, TargetState, cluster_of, describe_services,
    describe_stopped, describe_target, describe_tasks, target_health,
};

/// When a rollout counts as failed, so that `deploy` stops waiting,
/// cancels the update and says why. `deploy --no-fail-fast` turns it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailFast {
    /// Tasks of the new deployment that stopped for the same cause (an
    /// image that cannot be pulled, an essential container that exits,
    /// failed health checks, a task that fails to start). Default 3.
    pub stopped_tasks: u32,
    /// How long ECS may keep reporting that it cannot place a task before
    /// the rollout counts as failed. Default 5 minutes.
    pub unplaceable_for: Duration,
}

impl Default for FailFast {
    fn default() -> Self {
        Self {
            stopped_tasks: 3,
            unplaceable_for: Duration::from_secs(300),
        }
    }
}

/// ECS starts a deployment shortly after CloudFormation starts on the
/// service; a deployment created this long before the operation reached
/// the service is an older one (both clocks are AWS's).
const SLACK_SECS: f64 = 30.0;

/// How many stopped tasks a failure quotes.
const EVIDENCE: usize = 3;

/// What ECS said of a service at one poll.
#[derive(Debug, Clone, Default)]
pub(crate) struct Observation {
    pub(crate) service: ServiceState,
    /// The stopped tasks of the rollout's deployments not seen before.
    pub(crate) stopped: Vec<StoppedTask>,
    /// Every registered target of the service's target groups.
    pub(crate) targets: Vec<TargetState>,
}

/// Why a rollout failed, with the tasks that show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The service's construct path.
    pub(crate) service: String,
    pub(crate) cause: String,
    /// Stopped tasks and target health, one line each.
    pub(crate) evidence: Vec<String>,
}

/// One service being followed.
#[derive(Debug)]
pub(crate) struct Rollout {
    pub(crate) logical_id: String,
    /// Its construct path, how lines name it.
    pub(crate) path: String,
    pub(crate) arn: String,
    pub(crate) cluster: Option<String>,
    /// When the operation reached the service (CloudFormation's event),
    /// seconds since the epoch.
    since: f64,
    /// The deployments this operation started.
    ours: BTreeSet<String>,
    /// The line last printed for each deployment.
    deployments: BTreeMap<String, String>,
    seen_events: HashSet<String>,
    pub(crate) seen_tasks: HashSet<String>,
    /// Stopped tasks by cause, in the order they were seen.
    causes: BTreeMap<String, Vec<String>>,
    /// The latest stopped tasks, whatever their cause.
    recent: Vec<String>,
    /// Since when (the watch's clock) ECS reports it cannot place a task,
    /// and its message.
    unplaceable: Option<(Duration, String)>,
    /// The state last printed for each target.
    targets: BTreeMap<String, String>,
    /// The latest target that was not healthy, in words.
    last_unhealthy: Option<String>,
    /// The live view's text: `Web/Service 1/2`.
    pub(crate) summary: String,
}

impl Rollout {
    pub(crate) fn new(logical_id: &str, path: &str, arn: &str, since: f64) -> Self {
        Self {
            logical_id: logical_id.to_owned(),
            path: path.to_owned(),
            arn: arn.to_owned(),
            cluster: cluster_of(arn),
            since,
            ours: BTreeSet::new(),
            deployments: BTreeMap::new(),
            seen_events: HashSet::new(),
            seen_tasks: HashSet::new(),
            causes: BTreeMap::new(),
            recent: Vec::new(),
            unplaceable: None,
            targets: BTreeMap::new(),
            last_unhealthy: None,
            summary: path.to_owned(),
        }
    }

    fn recent_enough(&self, at: Option<f64>) -> bool {
        at.is_none_or(|t| t >= self.since - SLACK_SECS)
    }

    /// The deployments this rollout follows: those created since the
    /// operation reached the service, else the primary one (an update that
    /// started no deployment, such as a new desired count).
    pub(crate) fn deployments_followed(&mut self, service: &ServiceState) -> Vec<String> {
        for d in &service.deployments {
            if self.recent_enough(d.created_at) {
                self.ours.insert(d.id.clone());
            }
        }
        if self.ours.is_empty()
            && let Some(primary) = service.deployments.iter().find(|d| d.status == "PRIMARY")
        {
            self.ours.insert(primary.id.clone());
        }
        self.ours.iter().cloned().collect()
    }

    /// Takes in one poll's observation: returns the lines to print, and a
    /// failure when `rules` say the rollout has failed. `now` is the
    /// watch's clock.
    pub(crate) fn observe(
        &mut self,
        obs: &Observation,
        now: Duration,
        rules: Option<&FailFast>,
    ) -> (Vec<String>, Option<Failure>) {
        let mut lines = Vec::new();
        let path = self.path.clone();
        self.deployments_followed(&obs.service);
        for d in obs.service.deployments.iter().rev() {
            let line = deployment_line(d);
            if self.deployments.get(&d.id) != Some(&line) {
                lines.push(format!("{path}: {line}"));
                self.deployments.insert(d.id.clone(), line);
            }
        }
        if let Some(primary) = obs
            .service
            .deployments
            .iter()
            .find(|d| d.status == "PRIMARY")
        {
            self.summary = format!("{path} {}/{}", primary.running, primary.desired);
        }
        // Events, oldest first; those of before the operation are history.
        for e in obs.service.events.iter().rev() {
            if !self.recent_enough(e.created_at) || !self.seen_events.insert(e.id.clone()) {
                continue;
            }
            lines.push(format!("{path}: {}", e.message));
            if e.message.contains("unable to place a task") {
                if self.unplaceable.is_none() {
                    self.unplaceable = Some((now, e.message.clone()));
                }
            } else if e.message.contains("has started") {
                self.unplaceable = None;
            }
        }
        for task in &obs.stopped {
            if !self.seen_tasks.insert(task.id.clone()) || !self.recent_enough(task.stopped_at) {
                continue;
            }
            let line = describe_stopped(task);
            lines.push(format!("{path}: {line}"));
            self.recent.push(line.clone());
            if let Some(cause) = cause(task) {
                self.causes.entry(cause).or_default().push(line);
            }
        }
        for t in &obs.targets {
            let text = describe_target(t);
            if self.targets.get(&t.target) != Some(&text) {
                lines.push(format!("{path}: target {text}"));
                self.targets.insert(t.target.clone(), text.clone());
            }
            if !t.is_fine() {
                self.last_unhealthy = Some(format!("target {text}"));
            }
        }
        let failure = rules.and_then(|rules| self.verdict(&obs.service, now, rules));
        (lines, failure)
    }

    fn verdict(&self, service: &ServiceState, now: Duration, rules: &FailFast) -> Option<Failure> {
        let tail = |lines: &[String]| -> Vec<String> {
            lines[lines.len().saturating_sub(EVIDENCE)..].to_vec()
        };
        if let Some(d) = service
            .deployments
            .iter()
            .find(|d| self.ours.contains(&d.id) && d.rollout_state.as_deref() == Some("FAILED"))
        {
            return Some(Failure {
                service: self.path.clone(),
                cause: format!(
                    "the deployment circuit breaker failed deployment {}: {}",
                    d.id,
                    d.rollout_reason.as_deref().unwrap_or("no reason given")
                ),
                evidence: tail(&self.recent),
            });
        }
        let threshold = rules.stopped_tasks.max(1) as usize;
        if let Some((cause, tasks)) = self.causes.iter().find(|(_, t)| t.len() >= threshold) {
            let mut evidence = tail(tasks);
            if cause.contains("health checks")
                && let Some(target) = &self.last_unhealthy
            {
                evidence.push(target.clone());
            }
            return Some(Failure {
                service: self.path.clone(),
                cause: format!(
                    "{} tasks of the new deployment stopped: {cause}",
                    tasks.len()
                ),
                evidence,
            });
        }
        if let Some((since, message)) = &self.unplaceable
            && now.saturating_sub(*since) >= rules.unplaceable_for
        {
            return Some(Failure {
                service: self.path.clone(),
                cause: format!(
                    "ECS could not place a task for {} s: {message}",
                    now.saturating_sub(*since).as_secs()
                ),
                evidence: tail(&self.recent),
            });
        }
        None
    }
}

/// A deployment in one line: `deployment ecs-svc/123 PRIMARY IN_PROGRESS:
/// 1/2 running, 1 pending, 0 failed (web:7)`.
fn deployment_line(d: &DeploymentState) -> String {
    let rollout = d
        .rollout_state
        .as_deref()
        .map_or_else(String::new, |s| format!(" {s}"));
    format!(
        "deployment {} {}{rollout}: {}/{} running, {} pending, {} failed ({})",
        d.id, d.status, d.running, d.desired, d.pending, d.failed, d.task_definition
    )
}

/// The cause a stopped task counts toward, when it is one a rollout
/// should not repeat; `None` for stops that are part of operations
/// (scaling in, a user's stop, a Spot interruption).
pub(crate) fn cause(task: &StoppedTask) -> Option<String> {
    let container_with = |needle: &str| {
        task.containers
            .iter()
            .find(|c| c.reason.as_deref().is_some_and(|r| r.contains(needle)))
            .map(|c| c.name.clone())
    };
    if task.reason.contains("CannotPullContainerError")
        || container_with("CannotPullContainerError").is_some()
    {
        return Some(match container_with("CannotPullContainerError") {
            Some(name) => format!("the image of container {name} cannot be pulled"),
            None => "an image cannot be pulled".to_owned(),
        });
    }
    if task.reason.contains("ELB health checks") {
        return Some("they fail the load balancer's health checks".to_owned());
    }
    if task.reason.contains("container health checks") {
        return Some("they fail their container health checks".to_owned());
    }
    match task.stop_code.as_deref() {
        Some("EssentialContainerExited") => {
            let exited = task
                .containers
                .iter()
                .find(|c| c.exit_code.is_some_and(|code| code != 0))
                .or_else(|| task.containers.iter().find(|c| c.reason.is_some()))
                .or_else(|| task.containers.iter().find(|c| c.exit_code.is_some()));
            Some(match exited {
                Some(c) => format!("essential container {} exits", c.name),
                None => "an essential container exits".to_owned(),
            })
        }
        Some("TaskFailedToStart") => {
            let kind = task.reason.split(':').next().unwrap_or_default().trim();
            Some(format!("they fail to start ({kind})"))
        }
        _ => None,
    }
}

/// The services a stack operation works on, followed while it does.
pub(crate) struct Rollouts<'a> {
    ecs: &'a aws_sdk_ecs::Client,
    elb: &'a aws_sdk_elasticloadbalancingv2::Client,
    stack: String,
    /// The template's ECS services: logical ID → construct path.
    services: BTreeMap<String, String>,
    /// Followed now.
    active: Vec<Rollout>,
    /// Logical IDs to poll once more (their resource completed or
    /// failed), then drop.
    last_look: BTreeSet<String>,
    rules: Option<FailFast>,
    started: Instant,
    /// The first ECS call that failed, reported once.
    error_reported: bool,
}

impl<'a> Rollouts<'a> {
    pub(crate) fn new(
        ecs: &'a aws_sdk_ecs::Client,
        elb: &'a aws_sdk_elasticloadbalancingv2::Client,
        stack: &str,
        services: BTreeMap<String, String>,
        rules: Option<FailFast>,
    ) -> Self {
        Self {
            ecs,
            elb,
            stack: stack.to_owned(),
            services,
            active: Vec::new(),
            last_look: BTreeSet::new(),
            rules,
            started: Instant::now(),
            error_reported: false,
        }
    }

    /// A CloudFormation event of the stack: a service's resource being
    /// created or updated (with its ARN) starts a rollout; its completion
    /// or failure ends it after one more look (the final counts, or the
    /// cause), which decides nothing: CloudFormation has.
    pub(crate) fn on_event(
        &mut self,
        logical_id: &str,
        status: &str,
        physical_id: Option<&str>,
        at: Option<f64>,
    ) {
        let Some(path) = self.services.get(logical_id) else {
            return;
        };
        let following = self.active.iter().any(|r| r.logical_id == logical_id);
        match status {
            "CREATE_IN_PROGRESS" | "UPDATE_IN_PROGRESS" => {
                if let Some(arn) = physical_id.filter(|id| id.contains(":service/"))
                    && !following
                {
                    let since = at.unwrap_or(0.0);
                    self.active.push(Rollout::new(logical_id, path, arn, since));
                }
            }
            s if (s.ends_with("_FAILED") || s.ends_with("_COMPLETE")) && following => {
                self.last_look.insert(logical_id.to_owned());
            }
            _ => {}
        }
    }

    /// The live view's text: each followed service's running/desired.
    pub(crate) fn summary(&self) -> String {
        self.active
            .iter()
            .map(|r| r.summary.as_str())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Asks ECS and Elastic Load Balancing about every followed service:
    /// the lines to print, and the first failure found.
    pub(crate) async fn poll(&mut self) -> (Vec<String>, Option<Failure>) {
        let mut lines = Vec::new();
        let mut failure = None;
        if self.active.is_empty() {
            return (lines, failure);
        }
        let now = self.started.elapsed();
        let mut by_cluster: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
        for r in &self.active {
            by_cluster
                .entry(r.cluster.clone())
                .or_default()
                .push(r.arn.clone());
        }
        let mut states: BTreeMap<String, ServiceState> = BTreeMap::new();
        for (cluster, arns) in by_cluster {
            match describe_services(self.ecs, &self.stack, cluster.as_deref(), &arns).await {
                Ok(found) => states.extend(found.into_iter().map(|s| (s.arn.clone(), s))),
                Err(e) => self.report(&mut lines, &e),
            }
        }
        let stack = self.stack.clone();
        let mut active = std::mem::take(&mut self.active);
        for rollout in &mut active {
            let Some(service) = states.remove(&rollout.arn) else {
                continue;
            };
            let mut obs = Observation {
                stopped: Vec::new(),
                targets: Vec::new(),
                service,
            };
            for deployment in rollout.deployments_followed(&obs.service) {
                match self.new_stopped(rollout, &deployment).await {
                    Ok(tasks) => obs.stopped.extend(tasks),
                    Err(e) => self.report(&mut lines, &e),
                }
            }
            for group in &obs.service.target_groups {
                match target_health(self.elb, &stack, group).await {
                    Ok(targets) => obs.targets.extend(targets),
                    Err(e) => self.report(&mut lines, &e),
                }
            }
            let rules = if self.last_look.contains(&rollout.logical_id) {
                None
            } else {
                self.rules.as_ref()
            };
            let (new, found) = rollout.observe(&obs, now, rules);
            lines.extend(new);
            if failure.is_none() {
                failure = found;
            }
        }
        active.retain(|r| !self.last_look.remove(&r.logical_id));
        self.active = active;
        (lines, failure)
    }

    /// The stopped tasks of `deployment` that the rollout has not seen.
    async fn new_stopped(
        &self,
        rollout: &Rollout,
        deployment: &str,
    ) -> crate::error::Result<Vec<StoppedTask>> {
        let cluster = rollout.cluster.as_deref();
        let arns =
            crate::ecs_state::stopped_task_arns(self.ecs, &self.stack, cluster, deployment).await?;
        let unseen: Vec<String> = arns
            .into_iter()
            .filter(|arn| {
                !rollout
                    .seen_tasks
                    .contains(crate::ecs_state::last_part(arn))
            })
            .collect();
        if unseen.is_empty() {
            return Ok(Vec::new());
        }
        describe_tasks(self.ecs, &self.stack, cluster, &unseen).await
    }

    /// An ECS or ELB call that failed does not stop the deploy: it is said
    /// once, and the watch goes on with CloudFormation's events.
    fn report(&mut self, lines: &mut Vec<String>, e: &crate::error::Error) {
        if !self.error_reported {
            self.error_reported = true;
            lines.push(format!(
                "{}: cannot follow the ECS rollout ({e}); following CloudFormation only",
                self.stack
            ));
        }
    }
}

#[cfg(test)]
mod tests;
