//! `run-task PATH`: a task definition of the app run once, as a standalone
//! task (a migration, a backfill), on its cluster.
//!
//! Everything is found from the app and the deployed stack: the task
//! definition's ARN, the cluster, and the networking — given on the command
//! line, else that of a service (the one named with `--service`, the one
//! `PATH` names, or the only service of the task definition, as ECS reports
//! it), else that of a schedule or rule that runs it, else the private
//! subnets of the stack's VPC with the task definition's own security group
//! (as the scheduled-task pattern makes one). With `--wait`, the
//! task is followed to its end, its awslogs output printed, and the command
//! exits with the code of its essential container.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, SystemTime};

use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, CapacityProviderStrategyItem, ContainerOverride,
    KeyValuePair, LaunchType, NetworkConfiguration, TaskOverride,
};
use ecscdk_synth::{Assembly, StackArtifact};
use serde_json::Value as Json;

use crate::connection::{Aws, connect, runtime, service_error};
use crate::ecs_state::{StoppedTask, describe_stopped, last_part, stopped_task};
use crate::error::{Error, Result};
use crate::live::{construct_path, physical_ids};
use crate::logs::{LogSource, read_task, resolve_groups, sources_of};

/// How often `--wait` asks ECS about the task.
const POLL_EVERY: Duration = Duration::from_secs(2);

/// `run-task`'s options.
#[derive(Debug, Clone, Default)]
pub struct RunTaskOptions {
    /// The service (construct path) whose networking, launch type or
    /// capacity provider strategy the task takes.
    pub service: Option<String>,
    /// The cluster's name, instead of the one found from the app.
    pub cluster: Option<String>,
    /// Subnets, instead of the service's or the VPC's private ones.
    pub subnets: Vec<String>,
    /// Security groups for the task (with `subnets`, or instead of the
    /// service's).
    pub security_groups: Vec<String>,
    /// Give the task a public IP address (a public subnet without a NAT).
    pub public_ip: bool,
    /// `(provider, weight, base)`: the capacity provider strategy, instead
    /// of the service's or the cluster's default.
    pub capacity_providers: Vec<(String, i32, i32)>,
    /// `FARGATE`, `EC2` or `EXTERNAL`, instead of the service's placement
    /// or the cluster's default strategy.
    pub launch_type: Option<String>,
    /// The container the overrides and the exit code are of (default: the
    /// first essential container).
    pub container: Option<String>,
    /// The command, instead of the image's or the task definition's.
    pub command: Vec<String>,
    /// Environment variables added to (or replacing) the container's.
    pub env: Vec<(String, String)>,
    /// Follow the task to its end and return its exit code.
    pub wait: bool,
}

/// Parses `--capacity-provider NAME[:WEIGHT[:BASE]]` (weight 1 and base 0
/// by default).
///
/// # Errors
/// A message for clap when the weight or base is not a number in ECS's
/// range (weight 0–1000, base 0–100000).
pub fn parse_capacity_provider(text: &str) -> std::result::Result<(String, i32, i32), String> {
    let mut parts = text.split(':');
    let name = parts.next().unwrap_or_default();
    if name.is_empty() {
        return Err("give NAME[:WEIGHT[:BASE]], e.g. FARGATE_SPOT:1".to_owned());
    }
    let number = |part: Option<&str>, default: i32, max: i32, what: &str| match part {
        None => Ok(default),
        Some(p) => p
            .parse::<i32>()
            .ok()
            .filter(|n| (0..=max).contains(n))
            .ok_or_else(|| format!("the {what} {p:?} is not a whole number from 0 to {max}")),
    };
    let weight = number(parts.next(), 1, 1000, "weight")?;
    let base = number(parts.next(), 0, 100_000, "base")?;
    if parts.next().is_some() {
        return Err("give NAME[:WEIGHT[:BASE]], e.g. FARGATE_SPOT:1".to_owned());
    }
    Ok((name.to_owned(), weight, base))
}

/// Parses `--env KEY=VALUE`.
///
/// # Errors
/// A message for clap when there is no `=` or no key.
pub fn parse_env(text: &str) -> std::result::Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err("give KEY=VALUE".to_owned()),
    }
}

/// What the app says of the task to run.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    /// The task definition's logical ID.
    task_definition: String,
    /// Its construct path.
    path: String,
    network_mode: Option<String>,
    fargate_only: bool,
    /// The container the overrides are for.
    container: String,
    /// The service whose networking the task takes: (logical ID, path).
    service: Option<(String, String)>,
    /// The cluster: a logical ID of the stack or a literal name.
    cluster: Option<ClusterRef>,
    /// The networking of a schedule or rule that runs the task definition.
    scheduled: Option<TemplateNetwork>,
    /// The private (else isolated) subnets of the stack's VPC, by logical ID.
    private_subnets: Vec<String>,
    /// The task definition's own security group (`<path>/SecurityGroup`,
    /// as the scheduled-task pattern makes), by logical ID.
    own_security_group: Option<String>,
    awslogs: Vec<LogSource>,
}

/// The networking of an ECS target written in the template: an EventBridge
/// Scheduler schedule's or an EventBridge rule's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TemplateNetwork {
    /// The path of the schedule or rule.
    from: String,
    subnets: Vec<TemplateValue>,
    security_groups: Vec<TemplateValue>,
    public_ip: bool,
    launch_type: Option<String>,
}

/// A value of the template: a literal, or a resource of the stack (its
/// physical ID: a subnet's ID, a security group's group ID).
#[derive(Debug, Clone, PartialEq, Eq)]
enum TemplateValue {
    Literal(String),
    Resource(String),
}

impl TemplateValue {
    fn read(value: &Json) -> Option<Self> {
        match value {
            Json::String(s) => Some(Self::Literal(s.clone())),
            other => other
                .get("Ref")
                .and_then(Json::as_str)
                .or_else(|| match other.get("Fn::GetAtt")?.as_array()?.as_slice() {
                    [Json::String(id), Json::String(attribute)] if attribute == "GroupId" => {
                        Some(id.as_str())
                    }
                    _ => None,
                })
                .map(|id| Self::Resource(id.to_owned())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ClusterRef {
    Resource(String),
    Named(String),
}

/// `run-task`: runs the task definition (or the task definition of the
/// service) at `path`. Returns the exit code to exit with: 0 without
/// `--wait`, else the container's.
///
/// # Errors
/// [`Error::UnknownPath`] when `path` names no task definition or service;
/// [`Error::NotDeployed`] when its stack is not deployed;
/// [`Error::TaskNotStarted`] when ECS cannot place the task;
/// [`Error::TaskFailed`] when it stops before its container ran;
/// [`Error::Service`] when a call fails.
pub fn run_task(
    assembly: &Assembly,
    path: &str,
    conn: &crate::Connection,
    opts: &RunTaskOptions,
) -> Result<i32> {
    let (stack, plan) = plan(assembly, path, opts)?;
    let rt = runtime()?;
    rt.block_on(async {
        let aws = connect(conn, stack.env.region()).await?;
        start(&aws, stack, &plan, opts).await
    })
}

/// The deployed stack's physical IDs, read once.
struct Deployed<'a> {
    stack: &'a StackArtifact,
    ids: BTreeMap<String, String>,
}

impl Deployed<'_> {
    /// The physical ID of a resource of the stack.
    fn of(&self, logical: &str) -> Result<String> {
        self.ids
            .get(logical)
            .cloned()
            .ok_or_else(|| Error::Service {
                stack: self.stack.stack_name.clone(),
                action: "run-task",
                message: format!("the deployed stack has no resource {logical}"),
                fix: format!("deploy {} again", self.stack.id),
            })
    }

    fn resolve(&self, values: &[TemplateValue]) -> Result<Vec<String>> {
        values
            .iter()
            .map(|v| match v {
                TemplateValue::Literal(s) => Ok(s.clone()),
                TemplateValue::Resource(id) => self.of(id),
            })
            .collect()
    }
}

/// How ECS is asked to place the task.
enum Placement {
    Strategy(Vec<CapacityProviderStrategyItem>),
    Launch(LaunchType),
    /// The cluster's default capacity provider strategy.
    ClusterDefault,
}

/// Starts the planned task, and follows it with `--wait`.
async fn start(
    aws: &Aws,
    stack: &StackArtifact,
    plan: &Plan,
    opts: &RunTaskOptions,
) -> Result<i32> {
    let name = stack.stack_name.as_str();
    let deployed = Deployed {
        stack,
        ids: physical_ids(&aws.cfn, name).await?,
    };
    let task_definition = deployed.of(&plan.task_definition)?;
    let service = match &plan.service {
        Some((logical, _)) => describe_service(aws, name, &deployed.of(logical)?).await?,
        None => None,
    };
    let cluster = match (&opts.cluster, &service, &plan.cluster) {
        (Some(c), _, _) => c.clone(),
        (None, Some((_, Some(c))), _) => c.clone(),
        (None, _, Some(ClusterRef::Resource(logical))) => deployed.of(logical)?,
        (None, _, Some(ClusterRef::Named(c))) => c.clone(),
        (None, _, None) => {
            return Err(Error::InvalidArgument {
                argument: "--cluster",
                value: String::new(),
                fix: "the app names no single cluster for this task definition: give --cluster NAME",
            });
        }
    };
    let service = service.map(|(s, _)| s);
    let mut request = aws
        .ecs
        .run_task()
        .task_definition(&task_definition)
        .cluster(&cluster);
    match placement(aws, name, plan, opts, service.as_ref(), &cluster).await? {
        Placement::Strategy(items) => {
            request = request.set_capacity_provider_strategy(Some(items));
        }
        Placement::Launch(launch) => request = request.launch_type(launch),
        Placement::ClusterDefault => {}
    }
    let from_service = opts.capacity_providers.is_empty() && opts.launch_type.is_none();
    if let Some(version) = service
        .as_ref()
        .and_then(|s| s.platform_version())
        .filter(|_| from_service)
    {
        request = request.platform_version(version);
    }
    if plan.network_mode.as_deref() == Some("awsvpc") {
        let service_network = service
            .as_ref()
            .and_then(|s| s.network_configuration())
            .and_then(|n| n.awsvpc_configuration());
        let vpc = network(plan, opts, service_network, &deployed)?;
        request = request.network_configuration(
            NetworkConfiguration::builder()
                .awsvpc_configuration(vpc)
                .build(),
        );
    }
    if let Some(overrides) = overrides(plan, opts) {
        request = request.overrides(overrides);
    }
    let started_by = format!("ecscdk/{}", last_part(&task_definition));
    let started_by: String = started_by.chars().take(36).collect();
    let out = request
        .started_by(started_by)
        .send()
        .await
        .map_err(|e| service_error(name, "RunTask", &e))?;
    let Some(task_arn) = out.tasks().first().and_then(|t| t.task_arn()) else {
        return Err(Error::TaskNotStarted {
            path: plan.path.clone(),
            cluster,
            reasons: out
                .failures()
                .iter()
                .map(|f| {
                    format!(
                        "{}{}",
                        f.reason().unwrap_or("no reason given"),
                        f.detail().map_or_else(String::new, |d| format!(" ({d})"))
                    )
                })
                .collect(),
        });
    };
    if !opts.wait {
        let _ = writeln!(std::io::stdout().lock(), "{task_arn}");
        return Ok(0);
    }
    eprintln!(
        "{}: started task {} on cluster {cluster}",
        plan.path,
        last_part(task_arn)
    );
    follow(aws, stack, plan, &cluster, task_arn).await
}

/// The service as ECS reports it, with the cluster its ARN names.
async fn describe_service(
    aws: &Aws,
    stack: &str,
    arn: &str,
) -> Result<Option<(aws_sdk_ecs::types::Service, Option<String>)>> {
    let cluster = crate::ecs_state::cluster_of(arn);
    let found = aws
        .ecs
        .describe_services()
        .set_cluster(cluster.clone())
        .services(arn)
        .send()
        .await
        .map_err(|e| service_error(stack, "DescribeServices", &e))?;
    Ok(found.services().first().cloned().map(|s| (s, cluster)))
}

/// The placement: `--launch-type` or `--capacity-provider`, else the
/// service's, else the schedule's launch type, else Fargate for a
/// Fargate-only task on a cluster without a default strategy (ECS would
/// otherwise choose EC2), else the cluster's default.
async fn placement(
    aws: &Aws,
    stack: &str,
    plan: &Plan,
    opts: &RunTaskOptions,
    service: Option<&aws_sdk_ecs::types::Service>,
    cluster: &str,
) -> Result<Placement> {
    if let Some(launch) = &opts.launch_type {
        return Ok(Placement::Launch(LaunchType::from(launch.as_str())));
    }
    if !opts.capacity_providers.is_empty() {
        let items = opts
            .capacity_providers
            .iter()
            .map(|(provider, weight, base)| {
                CapacityProviderStrategyItem::builder()
                    .capacity_provider(provider)
                    .weight(*weight)
                    .base(*base)
                    .build()
                    .map_err(|e| Error::Service {
                        stack: stack.to_owned(),
                        action: "RunTask",
                        message: e.to_string(),
                        fix: "give --capacity-provider NAME[:WEIGHT[:BASE]]".to_owned(),
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        return Ok(Placement::Strategy(items));
    }
    if let Some(service) = service {
        if !service.capacity_provider_strategy().is_empty() {
            return Ok(Placement::Strategy(
                service.capacity_provider_strategy().to_vec(),
            ));
        }
        if let Some(launch) = service.launch_type() {
            return Ok(Placement::Launch(launch.clone()));
        }
    }
    if let Some(launch) = plan
        .scheduled
        .as_ref()
        .and_then(|n| n.launch_type.as_deref())
    {
        return Ok(Placement::Launch(LaunchType::from(launch)));
    }
    if plan.fargate_only {
        let clusters = aws
            .ecs
            .describe_clusters()
            .clusters(cluster)
            .send()
            .await
            .map_err(|e| service_error(stack, "DescribeClusters", &e))?;
        let has_default = clusters
            .clusters()
            .first()
            .is_some_and(|c| !c.default_capacity_provider_strategy().is_empty());
        if !has_default {
            return Ok(Placement::Launch(LaunchType::Fargate));
        }
    }
    Ok(Placement::ClusterDefault)
}

/// The awsvpc networking: `--subnets`, else the service's, else the
/// schedule's, else the VPC's private subnets with the task definition's
/// own security group; `--security-groups` and `--public-ip` apply to each.
fn network(
    plan: &Plan,
    opts: &RunTaskOptions,
    service: Option<&AwsVpcConfiguration>,
    deployed: &Deployed<'_>,
) -> Result<AwsVpcConfiguration> {
    let vpc = if !opts.subnets.is_empty() {
        AwsVpcConfiguration::builder().set_subnets(Some(opts.subnets.clone()))
    } else if let Some(n) = service {
        AwsVpcConfiguration::builder()
            .set_subnets(Some(n.subnets().to_vec()))
            .set_security_groups(Some(n.security_groups().to_vec()))
            .set_assign_public_ip(n.assign_public_ip().cloned())
    } else if let Some(scheduled) = &plan.scheduled {
        eprintln!("{}: with the networking of {}", plan.path, scheduled.from);
        AwsVpcConfiguration::builder()
            .set_subnets(Some(deployed.resolve(&scheduled.subnets)?))
            .set_security_groups(Some(deployed.resolve(&scheduled.security_groups)?))
            .assign_public_ip(if scheduled.public_ip {
                AssignPublicIp::Enabled
            } else {
                AssignPublicIp::Disabled
            })
    } else if !plan.private_subnets.is_empty() {
        let subnets = plan
            .private_subnets
            .iter()
            .map(|s| deployed.of(s))
            .collect::<Result<Vec<_>>>()?;
        let own = match &plan.own_security_group {
            Some(id) if opts.security_groups.is_empty() => Some(vec![deployed.of(id)?]),
            _ => None,
        };
        if own.is_none() && opts.security_groups.is_empty() {
            eprintln!(
                "{}: no security group given and none of its own or of a service: ECS puts the task in the VPC's default security group (--security-groups to choose)",
                plan.path
            );
        }
        AwsVpcConfiguration::builder()
            .set_subnets(Some(subnets))
            .set_security_groups(own)
    } else {
        return Err(Error::InvalidArgument {
            argument: "--subnets",
            value: String::new(),
            fix: "the task runs in awsvpc network mode and the app has no service, schedule or VPC to take its subnets from: give --subnets (and --security-groups), or --service PATH",
        });
    };
    let mut vpc = vpc;
    if !opts.security_groups.is_empty() {
        vpc = vpc.set_security_groups(Some(opts.security_groups.clone()));
    }
    if opts.public_ip {
        vpc = vpc.assign_public_ip(AssignPublicIp::Enabled);
    }
    vpc.build().map_err(|e| Error::Service {
        stack: deployed.stack.stack_name.clone(),
        action: "RunTask",
        message: e.to_string(),
        fix: "give --subnets".to_owned(),
    })
}

/// The command and environment overrides of the chosen container, if any.
fn overrides(plan: &Plan, opts: &RunTaskOptions) -> Option<TaskOverride> {
    if opts.command.is_empty() && opts.env.is_empty() {
        return None;
    }
    let mut container = ContainerOverride::builder().name(&plan.container);
    if !opts.command.is_empty() {
        container = container.set_command(Some(opts.command.clone()));
    }
    for (key, value) in &opts.env {
        container = container.environment(KeyValuePair::builder().name(key).value(value).build());
    }
    Some(
        TaskOverride::builder()
            .container_overrides(container.build())
            .build(),
    )
}

/// Follows a task to its end, printing its status changes (stderr) and its
/// awslogs output (stdout); returns the container's exit code.
async fn follow(
    aws: &Aws,
    stack: &StackArtifact,
    plan: &Plan,
    cluster: &str,
    task_arn: &str,
) -> Result<i32> {
    let name = stack.stack_name.as_str();
    let groups = resolve_groups(aws, stack, &plan.awslogs).await?;
    let task_id = last_part(task_arn).to_owned();
    let mut since = SystemTime::now()
        .checked_sub(Duration::from_secs(60))
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut seen = std::collections::HashSet::new();
    let mut last_status = String::new();
    loop {
        let out = aws
            .ecs
            .describe_tasks()
            .cluster(cluster)
            .tasks(task_arn)
            .send()
            .await
            .map_err(|e| service_error(name, "DescribeTasks", &e))?;
        let Some(task) = out.tasks().first() else {
            return Err(Error::Service {
                stack: name.to_owned(),
                action: "DescribeTasks",
                message: format!("ECS no longer knows the task {task_arn}"),
                fix: "look for it in the console".to_owned(),
            });
        };
        let status = task.last_status().unwrap_or("?").to_owned();
        if status != last_status {
            eprintln!("{}: task {task_id} {status}", plan.path);
            last_status.clone_from(&status);
        }
        let stopped = status == "STOPPED";
        for (source, group) in &groups {
            let events = read_task(aws, name, source, group, since, &task_id).await?;
            let mut out = std::io::stdout().lock();
            for (timestamp, id, line) in events {
                if seen.insert(id) {
                    let _ = writeln!(out, "{line}");
                    let at = SystemTime::UNIX_EPOCH
                        + Duration::from_millis(u64::try_from(timestamp).unwrap_or(0));
                    since = since.max(at);
                }
            }
        }
        if stopped {
            let ended = stopped_task(task);
            eprintln!("{}: {}", plan.path, describe_stopped(&ended));
            return exit_code(&plan.path, &plan.container, &ended);
        }
        tokio::select! {
            () = tokio::time::sleep(POLL_EVERY) => {}
            _ = tokio::signal::ctrl_c() => {
                return Err(Error::Aborted {
                    what: format!(
                        "[{}] interrupted: the task {task_arn} keeps running; `logs {}` shows its output",
                        name, plan.path
                    ),
                });
            }
        }
    }
}

/// The exit code of `container` in a stopped task; a task whose container
/// never ran (no exit code) is a failure with ECS's reason.
fn exit_code(path: &str, container: &str, task: &StoppedTask) -> Result<i32> {
    match task
        .containers
        .iter()
        .find(|c| c.name == container)
        .and_then(|c| c.exit_code)
    {
        Some(code) => Ok(code),
        None => Err(Error::TaskFailed {
            path: path.to_owned(),
            task: describe_stopped(task),
        }),
    }
}

/// Finds what to run from the app: the task definition (or service) at
/// `path` and what the stack says of its cluster, network and containers.
fn plan<'a>(
    assembly: &'a Assembly,
    path: &str,
    opts: &RunTaskOptions,
) -> Result<(&'a StackArtifact, Plan)> {
    let mut known = Vec::new();
    let mut found_other = None;
    for stack in assembly.stacks() {
        let Ok(template) = serde_json::from_str::<Json>(&stack.template) else {
            continue;
        };
        let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
            continue;
        };
        let paths: BTreeMap<&str, String> = resources
            .iter()
            .map(|(id, r)| (id.as_str(), construct_path(id, r)))
            .collect();
        let kind = |r: &Json| {
            r.get("Type")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let task_definition_of = |r: &Json| {
            r.pointer("/Properties/TaskDefinition/Ref")
                .and_then(Json::as_str)
                .map(str::to_owned)
        };
        for (id, resource) in resources {
            let this = &paths[id.as_str()];
            let (task_definition, service) = match kind(resource).as_str() {
                "AWS::ECS::TaskDefinition" => (Some(id.clone()), None),
                "AWS::ECS::Service" => (task_definition_of(resource), Some(id.clone())),
                other => {
                    if this == path {
                        found_other = Some(other.to_owned());
                    }
                    continue;
                }
            };
            known.push(this.clone());
            if this != path {
                continue;
            }
            let Some(task_definition) = task_definition else {
                continue;
            };
            let Some(td) = resources.get(&task_definition) else {
                continue;
            };
            let users: Vec<&String> = resources
                .iter()
                .filter(|(_, r)| {
                    kind(r) == "AWS::ECS::Service"
                        && task_definition_of(r).as_deref() == Some(task_definition.as_str())
                })
                .map(|(id, _)| id)
                .collect();
            // The service whose networking the task takes.
            let service = match &opts.service {
                Some(wanted) => Some(
                    resources
                        .iter()
                        .find(|(id, r)| {
                            kind(r) == "AWS::ECS::Service" && &paths[id.as_str()] == wanted
                        })
                        .map(|(id, _)| id.clone())
                        .ok_or_else(|| Error::UnknownPath {
                            path: wanted.clone(),
                            wanted: "service of this stack",
                            found: None,
                            known: users
                                .iter()
                                .map(|id| paths[id.as_str()].clone())
                                .collect::<Vec<_>>()
                                .join(", "),
                        })?,
                ),
                None => service.or_else(|| (users.len() == 1).then(|| users[0].clone())),
            };
            let cluster_of = |r: &Json| match r.pointer("/Properties/Cluster") {
                Some(Json::String(name)) => Some(ClusterRef::Named(name.clone())),
                Some(other) => other
                    .get("Ref")
                    .and_then(Json::as_str)
                    .map(|id| ClusterRef::Resource(id.to_owned())),
                None => None,
            };
            let clusters: Vec<&String> = resources
                .iter()
                .filter(|(_, r)| kind(r) == "AWS::ECS::Cluster")
                .map(|(id, _)| id)
                .collect();
            let scheduled = scheduled_network(resources, &paths, &task_definition);
            let cluster = service
                .as_ref()
                .and_then(|s| resources.get(s))
                .and_then(cluster_of)
                .or_else(|| scheduled.as_ref().and_then(|(_, cluster)| cluster.clone()))
                .or_else(|| {
                    (clusters.len() == 1).then(|| ClusterRef::Resource(clusters[0].clone()))
                });
            let own_security_group = resources
                .iter()
                .find(|(id, r)| {
                    kind(r) == "AWS::EC2::SecurityGroup"
                        && paths[id.as_str()] == format!("{this}/SecurityGroup")
                })
                .map(|(id, _)| id.clone());
            let containers = td
                .pointer("/Properties/ContainerDefinitions")
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            let names: Vec<String> = containers
                .iter()
                .filter_map(|c| c.get("Name").and_then(Json::as_str).map(str::to_owned))
                .collect();
            let container = match &opts.container {
                Some(name) if names.contains(name) => name.clone(),
                Some(name) => {
                    return Err(Error::UnknownPath {
                        path: format!("{this}/{name}"),
                        wanted: "container of the task definition",
                        found: None,
                        known: names.join(", "),
                    });
                }
                None => containers
                    .iter()
                    .find(|c| c.get("Essential") != Some(&Json::Bool(false)))
                    .and_then(|c| c.get("Name").and_then(Json::as_str))
                    .unwrap_or_default()
                    .to_owned(),
            };
            let compatibilities: Vec<&str> = td
                .pointer("/Properties/RequiresCompatibilities")
                .and_then(Json::as_array)
                .map(|a| a.iter().filter_map(Json::as_str).collect())
                .unwrap_or_default();
            let plan = Plan {
                task_definition: task_definition.clone(),
                path: this.clone(),
                network_mode: td
                    .pointer("/Properties/NetworkMode")
                    .and_then(Json::as_str)
                    .map(str::to_owned),
                fargate_only: compatibilities == ["FARGATE"],
                container,
                service: service.map(|id| {
                    let p = paths[id.as_str()].clone();
                    (id, p)
                }),
                cluster,
                scheduled: scheduled.map(|(network, _)| network),
                private_subnets: private_subnets(resources),
                own_security_group,
                awslogs: sources_of(td),
            };
            return Ok((stack, plan));
        }
    }
    known.sort();
    Err(Error::UnknownPath {
        path: path.to_owned(),
        wanted: "task definition or service",
        found: found_other,
        known: if known.is_empty() {
            "none: the app has no task definition".to_owned()
        } else {
            known.join(", ")
        },
    })
}

/// The networking (and cluster) of the first EventBridge Scheduler
/// schedule or EventBridge rule of the stack that runs `task_definition`.
fn scheduled_network(
    resources: &serde_json::Map<String, Json>,
    paths: &BTreeMap<&str, String>,
    task_definition: &str,
) -> Option<(TemplateNetwork, Option<ClusterRef>)> {
    resources.iter().find_map(|(id, r)| {
        let targets: Vec<&Json> = match r.get("Type").and_then(Json::as_str)? {
            "AWS::Scheduler::Schedule" => vec![r.pointer("/Properties/Target")?],
            "AWS::Events::Rule" => r
                .pointer("/Properties/Targets")?
                .as_array()?
                .iter()
                .collect(),
            _ => return None,
        };
        targets.into_iter().find_map(|target| {
            let ecs = target.get("EcsParameters")?;
            if ecs.pointer("/TaskDefinitionArn/Ref")?.as_str()? != task_definition {
                return None;
            }
            // Scheduler spells it `AwsvpcConfiguration`, EventBridge rules
            // `AwsVpcConfiguration`.
            let vpc = ecs
                .pointer("/NetworkConfiguration/AwsvpcConfiguration")
                .or_else(|| ecs.pointer("/NetworkConfiguration/AwsVpcConfiguration"));
            let values = |key: &str| -> Vec<TemplateValue> {
                vpc.and_then(|v| v.get(key))
                    .and_then(Json::as_array)
                    .map(|a| a.iter().filter_map(TemplateValue::read).collect())
                    .unwrap_or_default()
            };
            let network = TemplateNetwork {
                from: paths
                    .get(id.as_str())
                    .cloned()
                    .unwrap_or_else(|| id.clone()),
                subnets: values("Subnets"),
                security_groups: values("SecurityGroups"),
                public_ip: vpc
                    .and_then(|v| v.get("AssignPublicIp"))
                    .and_then(Json::as_str)
                    == Some("ENABLED"),
                launch_type: ecs
                    .get("LaunchType")
                    .and_then(Json::as_str)
                    .map(str::to_owned),
            };
            let cluster = match target.get("Arn") {
                Some(Json::String(arn)) => Some(ClusterRef::Named(last_part(arn).to_owned())),
                Some(other) => match other.get("Fn::GetAtt")?.as_array()?.as_slice() {
                    [Json::String(cluster), Json::String(attribute)] if attribute == "Arn" => {
                        Some(ClusterRef::Resource(cluster.clone()))
                    }
                    _ => None,
                },
                None => None,
            };
            Some((network, cluster))
        })
    })
}

/// The stack's private subnets (tagged `aws-cdk:subnet-type` `Private`, as
/// the CDK and ecscdk tag them), else its isolated ones, by logical ID.
fn private_subnets(resources: &serde_json::Map<String, Json>) -> Vec<String> {
    let of_type = |wanted: &str| -> Vec<String> {
        resources
            .iter()
            .filter(|(_, r)| r.get("Type").and_then(Json::as_str) == Some("AWS::EC2::Subnet"))
            .filter(|(_, r)| {
                r.pointer("/Properties/Tags")
                    .and_then(Json::as_array)
                    .is_some_and(|tags| {
                        tags.iter().any(|t| {
                            t.get("Key").and_then(Json::as_str) == Some("aws-cdk:subnet-type")
                                && t.get("Value").and_then(Json::as_str) == Some(wanted)
                        })
                    })
            })
            .map(|(id, _)| id.clone())
            .collect()
    };
    let private = of_type("Private");
    if private.is_empty() {
        of_type("Isolated")
    } else {
        private
    }
}

#[cfg(test)]
mod tests;
