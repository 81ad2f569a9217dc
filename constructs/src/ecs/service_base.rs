//! What every ECS service shares, whatever runs its tasks: deployment
//! settings (percentages, circuit breaker, alarms), the load-balancer
//! health-check grace period, ECS Exec and its task-role statement, the
//! service name, load-balancer targets, Cloud Map, Service Connect,
//! Availability Zone rebalancing, `awsvpc` networking, auto scaling of the
//! task count and the service's security groups.
//!
//! [`FargateService`](crate::ecs::FargateService),
//! [`Ec2Service`](crate::ecs::Ec2Service),
//! [`ManagedInstancesService`](crate::ecs::ManagedInstancesService) and
//! [`ExternalService`](crate::ecs::ExternalService) keep their own builder
//! setters (their documentation differs) but validate and render these
//! settings here, once.

use std::time::Duration;

use crate::appscaling::{
    PredefinedMetric, ScalableTarget, Schedule, ServiceNamespace, StepScaling, TargetTracking,
};
use crate::cfn::ecs::service::{
    AssignPublicIp, AvailabilityZoneRebalancing, AwsVpcConfiguration, CapacityProviderStrategyItem,
    DeploymentAlarms, DeploymentCircuitBreaker, DeploymentConfiguration, LoadBalancer,
    NetworkConfiguration, PropagateTags, SchedulingStrategy, ServiceRegistry,
};
use crate::cfn::ecs::{CfnService, CfnServiceRef};
use crate::ec2::{Connections, Port, SecurityGroup, SelectedSubnets, SubnetSelection};
use crate::ecs::capacity::StrategyItem;
use crate::ecs::deployment::{AlternateTarget, DeploymentStrategy, HookTarget, LifecycleHook};
use crate::ecs::task_definition_base::ContainerInfo;
use crate::ecs::{Cluster, PortMapping, ServiceConnect};
use crate::iam::{PolicyStatement, Role};
use crate::servicediscovery::{DiscoveryService, DnsRecordType, Namespace, NamespaceType};
use crate::synth::{ConstructPath, Expr, NodeId, ResourceRef, Value};
use crate::{Error, Result, Stack};

/// What a failed deployment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CircuitBreaker {
    /// Stop a deployment whose tasks keep failing and roll back to the last
    /// working revision.
    #[default]
    Rollback,
    /// Stop a failing deployment but leave it in place.
    StopOnly,
    /// Keep trying (ECS's behaviour without a circuit breaker).
    Off,
}

/// The id of the warning about a service that nothing stops from retrying a
/// failing deployment.
pub const NO_CIRCUIT_BREAKER_WARNING: &str = "ecscdk:ecs:noCircuitBreaker";

impl CircuitBreaker {
    /// The `DeploymentCircuitBreaker` of a service, `None` when off.
    pub(crate) fn render(self) -> Option<Value<DeploymentCircuitBreaker>> {
        (self != Self::Off).then(|| {
            Value::Lit(DeploymentCircuitBreaker {
                enable: Value::Lit(true),
                reset_on_healthy_task: None,
                rollback: Value::Lit(self == Self::Rollback),
                threshold_configuration: None,
            })
        })
    }
}

/// What ECS Exec needs in a task role: the SSM message channels.
pub(crate) fn exec_command_statement() -> PolicyStatement {
    PolicyStatement::allow()
        .actions([
            "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel",
        ])
        .resource("*")
}

/// How a service registers its tasks in AWS Cloud Map (as the CDK's
/// `cloudMapOptions`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CloudMapOptions {
    name: Option<String>,
    namespace: Option<Namespace>,
    dns_record_type: Option<DnsRecordType>,
    dns_ttl: Option<Duration>,
}

impl CloudMapOptions {
    /// Registration under `name` in the cluster's default namespace, with
    /// `A` records (the task's IP address) in `awsvpc` network mode and
    /// `SRV` records (the instance's address and the host port) in `bridge`
    /// and `host` mode, and a 60 s TTL.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: Some(name.into()),
            ..Self::default()
        }
    }

    /// Registers in `namespace` instead of the cluster's default one.
    ///
    /// CloudFormation default: none (`AWS::ServiceDiscovery::Service`
    /// needs a namespace, in `NamespaceId` or `DnsConfig`).
    /// ecscdk default: the cluster's default namespace; an error if it has
    /// none.
    #[must_use]
    pub fn namespace(mut self, namespace: impl Into<Namespace>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// The DNS record type (`SRV` records also carry the container port;
    /// `bridge` and `host` network modes need them).
    ///
    /// CloudFormation default: none (required in `DnsConfig`).
    /// ecscdk default: `A` in `awsvpc` network mode, `SRV` in `bridge` and
    /// `host` modes, as the CDK.
    #[must_use]
    pub fn dns_record_type(mut self, record_type: DnsRecordType) -> Self {
        self.dns_record_type = Some(record_type);
        self
    }

    /// How long resolvers cache the records.
    ///
    /// CloudFormation default: none (required in `DnsConfig`).
    /// ecscdk default: 60 seconds, as the CDK.
    #[must_use]
    pub fn dns_ttl(mut self, ttl: Duration) -> Self {
        self.dns_ttl = Some(ttl);
        self
    }
}

/// A load balancer target group the service registers its tasks with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    pub(crate) target_group_arn: Value<String>,
    pub(crate) container: String,
    pub(crate) port: u16,
    pub(crate) depends_on: Vec<ResourceRef>,
    /// The alternate target group of blue/green, linear and canary
    /// deployments.
    pub(crate) alternate: Option<AlternateTarget>,
}

/// How a task's containers are networked, as a service sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TaskNetwork {
    /// An elastic network interface per task: the service gives subnets and
    /// security groups.
    AwsVpc,
    /// Docker's bridge on the instance.
    Bridge,
    /// The instance's network stack.
    Host,
    /// No networking.
    None,
}

impl TaskNetwork {
    fn label(self) -> &'static str {
        match self {
            Self::AwsVpc => "awsvpc",
            Self::Bridge => "bridge",
            Self::Host => "host",
            Self::None => "none",
        }
    }
}

/// Which kind of service a check serves: the fixes name its own types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ServiceKind {
    /// [`FargateService`](crate::ecs::FargateService).
    Fargate,
    /// [`Ec2Service`](crate::ecs::Ec2Service).
    Ec2,
    /// [`ExternalService`](crate::ecs::ExternalService).
    External,
    /// [`ManagedInstancesService`](crate::ecs::ManagedInstancesService).
    ManagedInstances,
}

impl ServiceKind {
    /// What to do about subnets or security groups given to a task not in
    /// `awsvpc` network mode.
    fn not_awsvpc_fix(self) -> &'static str {
        match self {
            Self::Ec2 | Self::Fargate => {
                "only tasks in awsvpc network mode get subnets and security groups of their own (the others use their instance's network); drop them, or use `Ec2NetworkMode::AwsVpc`"
            }
            Self::ManagedInstances => {
                "only tasks in awsvpc network mode get subnets and security groups of their own (host-mode tasks use their instance's network, whose groups are the capacity provider's); drop them, or use `ManagedInstancesNetworkMode::AwsVpc`"
            }
            Self::External => {
                "ECS Anywhere tasks use their server's network and have no awsvpc mode; drop the subnets and security groups"
            }
        }
    }
}

/// What a service needs to know of its task definition.
#[derive(Debug, Clone)]
pub(crate) struct TaskView<'a> {
    pub(crate) arn: Expr<String>,
    pub(crate) task_role: Role,
    pub(crate) containers: &'a [ContainerInfo],
    pub(crate) network: TaskNetwork,
    /// The task-level memory, MiB (always set on Fargate and Managed
    /// Instances; optional on EC2).
    pub(crate) memory_mib: Option<u32>,
    /// The kind of service, for the words of its fixes.
    pub(crate) kind: ServiceKind,
}

impl TaskView<'_> {
    /// The first port mapping of the first essential container that has one.
    fn default_port(&self) -> Option<(&str, &PortMapping)> {
        self.containers
            .iter()
            .filter(|c| c.essential)
            .find_map(|c| c.ports.first().map(|p| (c.name.as_str(), p)))
    }
}

/// Whether a target group of this stack, found through its ARN, takes the
/// tasks as ECS registers them: by IP address in `awsvpc` mode, by instance
/// (and host port) in `bridge` and `host` mode. ECS refuses the others at
/// deploy. A group of another stack, or given by a literal ARN, is not seen.
fn check_target_type(
    stack: &Stack,
    task: &TaskView<'_>,
    group_arn: &Value<String>,
) -> std::result::Result<(), String> {
    use crate::cfn::elasticloadbalancingv2::CfnTargetGroup;
    use crate::cfn::elasticloadbalancingv2::target_group::TargetType;
    use crate::synth::Intrinsic;
    let Value::Expr(expr) = group_arn else {
        return Ok(());
    };
    let Intrinsic::RefResource(group) = expr.intrinsic() else {
        return Ok(());
    };
    let Ok(props) = stack.properties::<CfnTargetGroup>(*group) else {
        return Ok(());
    };
    // CloudFormation's default target type is `instance`.
    let target_type = match &props.target_type {
        None => TargetType::Instance,
        Some(Value::Lit(t)) => *t,
        Some(_) => return Ok(()),
    };
    let (needed, mode, fix) = match task.network {
        TaskNetwork::AwsVpc => (
            TargetType::Ip,
            "awsvpc",
            "ECS registers awsvpc tasks by IP address: build the target group with the `ip` target type (the `TargetGroup` default)",
        ),
        TaskNetwork::Bridge | TaskNetwork::Host => (
            TargetType::Instance,
            if task.network == TaskNetwork::Bridge {
                "bridge"
            } else {
                "host"
            },
            "ECS registers bridge- and host-mode tasks as instance and host port: build the target group with `.instance_targets()`",
        ),
        TaskNetwork::None => return Ok(()),
    };
    if target_type == needed {
        return Ok(());
    }
    Err(format!(
        "the target group's target type is `{}`, and the tasks run in {mode} network mode; {fix}",
        target_type.as_str()
    ))
}

/// The settings all services share, kept by each service builder as `core`.
#[derive(Debug, Clone)]
pub(crate) struct ServiceCore {
    pub(crate) id: String,
    pub(crate) cluster: Cluster,
    pub(crate) desired_count: Option<u32>,
    pub(crate) min_healthy_percent: Option<u32>,
    pub(crate) max_percent: Option<u32>,
    pub(crate) circuit_breaker: CircuitBreaker,
    pub(crate) alarms: Option<(Vec<Value<String>>, bool)>,
    pub(crate) strategy: DeploymentStrategy,
    pub(crate) bake_time: Option<Duration>,
    pub(crate) hooks: Vec<LifecycleHook>,
    /// `alternate_target` was called before any load balancer target.
    pub(crate) orphan_alternate: bool,
    pub(crate) grace_period: Option<Duration>,
    pub(crate) execute_command: bool,
    pub(crate) service_name: Option<Value<String>>,
    pub(crate) rebalancing: Option<bool>,
    pub(crate) targets: Vec<Target>,
    pub(crate) service_connect: Option<ServiceConnect>,
    pub(crate) cloud_map: Option<CloudMapOptions>,
    pub(crate) subnets: Vec<Value<String>>,
    pub(crate) subnet_selection: Option<SubnetSelection>,
    pub(crate) security_group_ids: Vec<Value<String>>,
    pub(crate) groups: Vec<SecurityGroup>,
    pub(crate) assign_public_ip: bool,
    /// The task definition's execution role, if it has one (it ships the
    /// Service Connect proxy's logs).
    pub(crate) execution_role: Option<Role>,
}

/// The deployment percentages a service uses when none are given.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Percents {
    pub(crate) min_healthy: u32,
    pub(crate) max: u32,
    /// Replica scheduling: ECS wants at least 100% as the maximum.
    pub(crate) replica: bool,
}

impl Percents {
    /// Replica services: 100% healthy, up to 200%.
    pub(crate) const REPLICA: Self = Self {
        min_healthy: 100,
        max: 200,
        replica: true,
    };

    /// Daemon services: a task per instance, replaced in place (0% healthy,
    /// up to 100%).
    pub(crate) const DAEMON: Self = Self {
        min_healthy: 0,
        max: 100,
        replica: false,
    };

    /// The percentages of a daemon or a replica service.
    pub(crate) fn of(daemon: bool) -> Self {
        if daemon { Self::DAEMON } else { Self::REPLICA }
    }
}

/// A service's `SchedulingStrategy`.
pub(crate) fn scheduling(daemon: bool) -> Option<Value<SchedulingStrategy>> {
    Some(Value::Lit(if daemon {
        SchedulingStrategy::Daemon
    } else {
        SchedulingStrategy::Replica
    }))
}

/// A service's `CapacityProviderStrategy`, omitted when empty (the launch
/// type is used then).
pub(crate) fn render_strategy(
    items: &[StrategyItem],
) -> Option<Value<Vec<Value<CapacityProviderStrategyItem>>>> {
    (!items.is_empty()).then(|| {
        Value::Lit(
            items
                .iter()
                .map(|item| {
                    Value::Lit(CapacityProviderStrategyItem {
                        base: item.base.map(|b| Value::Lit(i64::from(b))),
                        capacity_provider: Some(item.name.clone()),
                        weight: Some(Value::Lit(i64::from(item.weight))),
                    })
                })
                .collect(),
        )
    })
}

impl ServiceCore {
    pub(crate) fn new(id: String, cluster: Cluster) -> Self {
        Self {
            id,
            cluster,
            desired_count: None,
            min_healthy_percent: None,
            max_percent: None,
            circuit_breaker: CircuitBreaker::default(),
            alarms: None,
            strategy: DeploymentStrategy::default(),
            bake_time: None,
            hooks: Vec::new(),
            orphan_alternate: false,
            grace_period: None,
            execute_command: false,
            service_name: None,
            rebalancing: None,
            targets: Vec::new(),
            service_connect: None,
            cloud_map: None,
            subnets: Vec::new(),
            subnet_selection: None,
            security_group_ids: Vec::new(),
            groups: Vec::new(),
            assign_public_ip: false,
            execution_role: None,
        }
    }

    /// Checks the shared settings against the task definition.
    pub(crate) fn check(
        &self,
        stack: &Stack,
        node: NodeId,
        task: &TaskView<'_>,
        percents: Percents,
    ) -> Result<()> {
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        let min = self.min_healthy_percent.unwrap_or(percents.min_healthy);
        let max = self.max_percent.unwrap_or(percents.max);
        if min > max {
            return Err(invalid(
                "min_healthy_percent",
                format!(
                    "minimum healthy {min}% is above the maximum {max}%; a deployment could never start a task"
                ),
            ));
        }
        if min > 100 {
            return Err(invalid(
                "min_healthy_percent",
                format!("{min}% is above 100%"),
            ));
        }
        if percents.replica && max < 100 {
            return Err(invalid(
                "max_percent",
                format!("{max}% is below 100%; ECS requires at least 100% for replica services"),
            ));
        }
        self.check_deployment(stack, &path, percents)?;
        if self.grace_period.is_some() && self.targets.is_empty() {
            return Err(Error::Unsupported {
                path,
                setting: "health_check_grace_period",
                situation: "without a load balancer",
                fix: "a grace period only applies to load-balancer health checks; attach a target group or drop the grace period",
            });
        }
        for t in &self.targets {
            let container = task.containers.iter().find(|c| c.name == t.container);
            match container {
                None => {
                    return Err(invalid(
                        "load_balancer_target",
                        format!("the task definition has no container {:?}", t.container),
                    ));
                }
                Some(c) if !c.ports.iter().any(|p| p.container_port() == t.port) => {
                    return Err(invalid(
                        "load_balancer_target",
                        format!(
                            "container {:?} maps no port {}; add `.port(PortMapping::tcp({}))` to it",
                            t.container, t.port, t.port
                        ),
                    ));
                }
                Some(_) => {}
            }
            check_target_type(stack, task, &t.target_group_arn)
                .map_err(|reason| invalid("load_balancer_target", reason))?;
        }
        if let Some(sc) = &self.service_connect {
            if sc.namespace.is_none() && self.cluster.default_namespace().is_none() {
                return Err(Error::Missing {
                    path,
                    what: "Service Connect namespace",
                    fix: "give the cluster `.default_cloud_map_namespace(..)`, or use `ServiceConnect::in_namespace(..)`",
                });
            }
            self.check_service_connect(stack, node, task, sc)?;
            for port in &sc.ports {
                let named = task.containers.iter().any(|c| {
                    c.ports
                        .iter()
                        .any(|p| p.port_name() == Some(port.port_name.as_str()))
                });
                if !named {
                    return Err(invalid(
                        "service_connect",
                        format!(
                            "no container maps a port named {:?}; name the port mapping with `PortMapping::tcp(..).name({:?})`",
                            port.port_name, port.port_name
                        ),
                    ));
                }
            }
        }
        if self.execute_command
            && task
                .containers
                .iter()
                .any(|c| c.readonly_root_filesystem && !c.writable_mounts)
        {
            return Err(Error::Unsupported {
                path,
                setting: "enable_execute_command",
                situation: "with a read-only root filesystem",
                fix: "the ECS Exec agent writes to /managed-agents, /var/lib/amazon/ssm and /var/log/amazon/ssm: mount writable scratch volumes there, or make the root filesystem writable",
            });
        }
        if let Some(options) = &self.cloud_map {
            self.check_cloud_map(stack, node, task, options)?;
        }
        if task.network == TaskNetwork::AwsVpc {
            self.check_awsvpc(stack, node)
        } else {
            self.check_not_awsvpc(stack, node, task)
        }
    }

    /// The deployment strategy, bake time, lifecycle hooks and alternate
    /// target groups, against what ECS accepts.
    fn check_deployment(
        &self,
        stack: &Stack,
        path: &ConstructPath,
        percents: Percents,
    ) -> Result<()> {
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if let Some(problem) = self.strategy.problem(self.bake_time) {
            return Err(invalid("deployment_strategy", problem));
        }
        if let Some(problem) = self
            .bake_time
            .and_then(|b| crate::ecs::deployment::minutes_problem("bake time", b))
        {
            return Err(invalid("bake_time", problem));
        }
        if let Some(problem) = self.hooks.iter().find_map(LifecycleHook::problem) {
            return Err(invalid("lifecycle_hook", problem));
        }
        if self.orphan_alternate {
            return Err(Error::Missing {
                path: path.clone(),
                what: "load balancer target",
                fix: "`alternate_target` pairs with the load balancer target before it: call `load_balancer_target(..)` first",
            });
        }
        let shifts = self.strategy.shifts_traffic();
        if shifts && !percents.replica {
            return Err(Error::Unsupported {
                path: path.clone(),
                setting: "deployment_strategy",
                situation: "on a daemon service",
                fix: "ECS runs blue/green, linear and canary deployments for replica services only; keep the rolling strategy on daemon services",
            });
        }
        if !shifts {
            if self.targets.iter().any(|t| t.alternate.is_some()) {
                return Err(Error::Conflict {
                    path: path.clone(),
                    first: "alternate_target",
                    second: "the rolling deployment strategy",
                    fix: "an alternate target group serves blue/green, linear and canary deployments: choose one with `deployment_strategy(..)`, or drop the alternate target",
                });
            }
            if !self.hooks.is_empty() {
                return Err(Error::Conflict {
                    path: path.clone(),
                    first: "lifecycle_hook",
                    second: "the rolling deployment strategy",
                    fix: "ECS runs lifecycle hooks in blue/green, linear and canary deployments: choose one with `deployment_strategy(..)`, or drop the hooks",
                });
            }
            return Ok(());
        }
        let strategy = self.strategy.as_str();
        for target in &self.targets {
            let Some(alternate) = &target.alternate else {
                return Err(invalid(
                    "load_balancer_target",
                    format!(
                        "a {strategy} deployment shifts traffic between two target groups, and the target {}:{} has no alternate; add `.alternate_target(AlternateTarget::new(\"AlternateTarget\", &green).production_rule(&rule))` after it",
                        target.container, target.port
                    ),
                ));
            };
            if alternate.target_group_arn == target.target_group_arn {
                return Err(invalid(
                    "alternate_target",
                    "the alternate target group is the primary one; give a second target group"
                        .to_owned(),
                ));
            }
            if alternate.production.is_none() {
                return Err(Error::Missing {
                    path: path.clone(),
                    what: "production listener rule",
                    fix: "ECS shifts production traffic by the weights of the rule or listener that forwards to the target: give `AlternateTarget::production_rule(&rule)` (application load balancer) or `production_listener(&listener)` (network load balancer)",
                });
            }
            // ECS rolls a deployment back unless each group is associated
            // with the production or the test rule ("Both targetGroup and
            // alternateTargetGroup must be associated with the
            // productionListenerRule or testListenerRule"). Checked when
            // the rules are of this stack.
            let rules = [&alternate.production, &alternate.test];
            let seen: Option<Vec<Value<String>>> = rules
                .iter()
                .filter_map(|r| r.as_ref())
                .map(|arn| forwarded_groups(stack, arn))
                .collect::<Option<Vec<_>>>()
                .map(|lists| lists.concat());
            if let Some(forwards) = seen
                && !(forwards.contains(&target.target_group_arn)
                    && forwards.contains(&alternate.target_group_arn))
            {
                return Err(invalid(
                    "alternate_target",
                    "between them, the production and test rules do not forward to both the primary and the alternate target group, and ECS rolls back a deployment unless each group is associated with one of them; forward with `ListenerAction::weighted_forward([(&primary, 100), (&alternate, 0)])`".to_owned(),
                ));
            }
        }
        Ok(())
    }

    /// Where Service Connect runs, and what its logs need.
    fn check_service_connect(
        &self,
        stack: &Stack,
        node: NodeId,
        task: &TaskView<'_>,
        sc: &ServiceConnect,
    ) -> Result<()> {
        let unsupported = |setting, situation, fix| Error::Unsupported {
            path: stack.path(node),
            setting,
            situation,
            fix,
        };
        match task.network {
            TaskNetwork::Host | TaskNetwork::None => {
                return Err(unsupported(
                    "service_connect",
                    if task.network == TaskNetwork::Host {
                        "in network mode host"
                    } else {
                        "in network mode none"
                    },
                    "ECS runs the Service Connect proxy only beside tasks in awsvpc or bridge network mode; use `Ec2NetworkMode::AwsVpc` or `Bridge`, or register in Cloud Map with `.cloud_map(..)` instead",
                ));
            }
            TaskNetwork::Bridge if sc.ports.iter().any(|p| p.tls.is_some()) => {
                return Err(unsupported(
                    "ServiceConnectPort::tls",
                    "in network mode bridge",
                    "Service Connect TLS works only in awsvpc network mode; use `Ec2NetworkMode::AwsVpc`, or drop `.tls(..)`",
                ));
            }
            _ => {}
        }
        // The proxy runs in the task's memory beyond the containers' limits.
        let Some(memory) = task.memory_mib else {
            return Err(Error::Missing {
                path: stack.path(node),
                what: "task-level memory",
                fix: "ECS requires a task memory limit for Service Connect: its proxy uses the task's memory beyond the containers' limits; give the task definition `.memory_mib(..)`, at least 64 MiB above the sum of its containers' memory limits",
            });
        };
        let limits: u32 = task
            .containers
            .iter()
            .filter_map(|c| c.memory_limit_mib)
            .fold(0, u32::saturating_add);
        if limits >= memory {
            return Err(Error::InvalidProperty {
                path: stack.path(node),
                property: "service_connect".to_owned(),
                reason: format!(
                    "the containers' memory limits add up to {limits} MiB, and the task has {memory} MiB; ECS requires task memory above the containers' limits, which the Service Connect proxy uses: give the task at least 64 MiB more, or lower the limits"
                ),
            });
        }
        for (n, port) in sc.ports.iter().enumerate() {
            let name = port.discovery_name.as_deref().unwrap_or(&port.port_name);
            if sc.ports[..n]
                .iter()
                .any(|p| p.discovery_name.as_deref().unwrap_or(&p.port_name) == name)
            {
                return Err(Error::InvalidProperty {
                    path: stack.path(node),
                    property: "service_connect".to_owned(),
                    reason: format!(
                        "two ports are discovered as {name:?}; discovery names are unique in a namespace: give one `.discovery_name(..)`"
                    ),
                });
            }
        }
        if sc.access_logs.is_some() && sc.log_group.is_none() {
            return Err(Error::Missing {
                path: stack.path(node),
                what: "Service Connect log group",
                fix: "access logs are written where the proxy's logs go: add `.log_group(group, prefix)` to the ServiceConnect",
            });
        }
        if sc.log_group.is_some() && self.execution_role.is_none() {
            return Err(Error::Missing {
                path: stack.path(node),
                what: "task execution role",
                fix: "the proxy's logs are shipped with the task definition's execution role, and this one has none; give a container `LogDriver::aws_logs(..)` (which creates the role), or drop `.log_group(..)`",
            });
        }
        Ok(())
    }

    fn check_cloud_map(
        &self,
        stack: &Stack,
        node: NodeId,
        task: &TaskView<'_>,
        options: &CloudMapOptions,
    ) -> Result<()> {
        let path = stack.path(node);
        let Some(namespace) = options.namespace.or(self.cluster.default_namespace()) else {
            return Err(Error::Missing {
                path,
                what: "Cloud Map namespace",
                fix: "give the cluster `.default_cloud_map_namespace(..)`, or the options `.namespace(..)`",
            });
        };
        let dns = namespace.namespace_type() != NamespaceType::Http;
        match task.network {
            TaskNetwork::None => Err(Error::Unsupported {
                path,
                setting: "cloud_map",
                situation: "in network mode none",
                fix: "tasks without networking have no address to register; choose the bridge, host or awsvpc network mode, or drop the Cloud Map registration",
            }),
            TaskNetwork::Bridge | TaskNetwork::Host
                if dns
                    && options
                        .dns_record_type
                        .is_some_and(|t| t != DnsRecordType::Srv) =>
            {
                Err(Error::InvalidProperty {
                    path,
                    property: "cloud_map".to_owned(),
                    reason: format!(
                        "in {} network mode tasks share their instance's address, so Cloud Map needs SRV records, which carry the port; use `DnsRecordType::Srv` (the default in this mode)",
                        task.network.label()
                    ),
                })
            }
            _ => {
                let needs_port = matches!(task.network, TaskNetwork::Bridge | TaskNetwork::Host)
                    || (dns && options.dns_record_type == Some(DnsRecordType::Srv));
                if needs_port && task.default_port().is_none() {
                    return Err(Error::InvalidProperty {
                        path,
                        property: "cloud_map".to_owned(),
                        reason: "SRV records carry a port, but no essential container maps one; add a port mapping"
                            .to_owned(),
                    });
                }
                Ok(())
            }
        }
    }

    fn check_awsvpc(&self, stack: &Stack, node: NodeId) -> Result<()> {
        let path = stack.path(node);
        if self.subnets.is_empty() && self.cluster.vpc().is_none() {
            return Err(Error::Missing {
                path,
                what: "subnet_ids",
                fix: "give the cluster a VPC with `.vpc(&vpc)`, or the service its subnets with `.subnet_ids(..)`",
            });
        }
        if !self.subnets.is_empty() && self.subnet_selection.is_some() {
            return Err(Error::Conflict {
                path,
                first: "subnet_ids",
                second: "vpc_subnets",
                fix: "choose subnets either by id or by selection from the cluster's VPC",
            });
        }
        if self.security_group_ids.is_empty()
            && self.groups.is_empty()
            && self.cluster.vpc().is_none()
        {
            return Err(Error::Missing {
                path,
                what: "security_group_ids",
                fix: "give the cluster a VPC with `.vpc(&vpc)` (a security group is then created), or the service its groups",
            });
        }
        Ok(())
    }

    fn check_not_awsvpc(&self, stack: &Stack, node: NodeId, task: &TaskView<'_>) -> Result<()> {
        let given = if !self.subnets.is_empty() || self.subnet_selection.is_some() {
            Some("subnets")
        } else if !self.security_group_ids.is_empty() || !self.groups.is_empty() {
            Some("security groups")
        } else if self.assign_public_ip {
            Some("assign_public_ip")
        } else {
            None
        };
        match given {
            None => Ok(()),
            Some(setting) => Err(Error::Unsupported {
                path: stack.path(node),
                setting,
                situation: match task.network {
                    TaskNetwork::Bridge => "in network mode bridge",
                    TaskNetwork::Host => "in network mode host",
                    _ => "in network mode none",
                },
                fix: task.kind.not_awsvpc_fix(),
            }),
        }
    }

    /// Creates what the shared settings need (the security group, the Cloud
    /// Map service, the ECS Exec statement), then the `AWS::ECS::Service` as
    /// the child `Service` with the shared properties over `specific` (the
    /// launch type, strategy, placement, platform version, scheduling), and
    /// orders it after its load balancers' listeners, its task role and the
    /// cluster's capacity-provider associations.
    pub(crate) fn build(
        self,
        stack: &mut Stack,
        node: NodeId,
        task: &TaskView<'_>,
        percents: Percents,
        specific: CfnService,
    ) -> Result<ServiceParts> {
        let (network_configuration, groups) = if task.network == TaskNetwork::AwsVpc {
            let (subnets, groups) = self.network(stack, node)?;
            let mut security_group_ids: Vec<Value<String>> =
                groups.iter().map(SecurityGroup::group_id).collect();
            security_group_ids.extend(self.security_group_ids.iter().cloned());
            let configuration = NetworkConfiguration {
                awsvpc_configuration: Some(Value::Lit(AwsVpcConfiguration {
                    assign_public_ip: Some(Value::Lit(if self.assign_public_ip {
                        AssignPublicIp::Enabled
                    } else {
                        AssignPublicIp::Disabled
                    })),
                    security_groups: Some(Value::Lit(security_group_ids)),
                    subnets: Some(Value::Lit(subnets)),
                })),
            };
            (Some(Value::Lit(configuration)), groups)
        } else {
            (None, Vec::new())
        };
        let default_port = task
            .default_port()
            .and_then(|(_, p)| served_port(task.network, p));

        if self.execute_command {
            task.task_role
                .add_to_policy(stack, exec_command_statement())?;
        }
        if let (Some(sc), Some(role)) = (&self.service_connect, self.execution_role)
            && let Some((group, _)) = &sc.log_group
        {
            group.grant_write(stack, role)?;
        }

        let grace = match (self.grace_period, self.targets.is_empty()) {
            (Some(g), _) => Some(g),
            (None, false) => Some(Duration::from_secs(60)),
            (None, true) => None,
        };
        if self.circuit_breaker == CircuitBreaker::Off
            && !self.alarms.as_ref().is_some_and(|(_, rollback)| *rollback)
        {
            stack.add_warning(
                node,
                NO_CIRCUIT_BREAKER_WARNING,
                "the deployment circuit breaker is off and no deployment alarm rolls back: a deployment whose tasks keep failing keeps replacing them until CloudFormation gives up (up to 3 hours), then rolls back; turn it on (`circuit_breaker(CircuitBreaker::Rollback)`), roll back on alarms (`deployment_alarms`), or acknowledge this warning",
            );
        }
        let alarms = self.alarms.as_ref().map(|(names, rollback)| {
            Value::Lit(DeploymentAlarms {
                alarm_names: Value::Lit(names.clone()),
                enable: Value::Lit(true),
                rollback: Value::Lit(*rollback),
            })
        });
        let service_registries = match &self.cloud_map {
            None => None,
            Some(options) => Some(Value::Lit(vec![Value::Lit(
                self.register_in_cloud_map(stack, node, task, options)?,
            )])),
        };
        let mut load_balancers: Vec<Value<LoadBalancer>> = Vec::new();
        for t in &self.targets {
            let advanced = match &t.alternate {
                Some(a) => Some(Value::Lit(render_alternate(stack, node, a)?)),
                None => None,
            };
            load_balancers.push(Value::Lit(LoadBalancer {
                advanced_configuration: advanced,
                container_name: Some(Value::from(t.container.as_str())),
                container_port: Some(Value::Lit(i64::from(t.port))),
                target_group_arn: Some(t.target_group_arn.clone()),
                ..LoadBalancer::default()
            }));
        }
        let lifecycle_hooks = self.render_hooks(stack, node)?;
        let service = CfnService {
            availability_zone_rebalancing: self.rebalancing.map(|on| {
                Value::Lit(if on {
                    AvailabilityZoneRebalancing::Enabled
                } else {
                    AvailabilityZoneRebalancing::Disabled
                })
            }),
            cluster: Some(self.cluster.name()),
            deployment_configuration: Some(Value::Lit(DeploymentConfiguration {
                alarms,
                bake_time_in_minutes: self
                    .bake_time
                    .or_else(|| {
                        self.strategy
                            .shifts_traffic()
                            .then_some(crate::ecs::deployment::DEFAULT_BAKE_TIME)
                    })
                    .map(|b| Value::Lit(i64::try_from(b.as_secs() / 60).unwrap_or(i64::MAX))),
                canary_configuration: self.strategy.canary_configuration(),
                deployment_circuit_breaker: self.circuit_breaker.render(),
                lifecycle_hooks,
                linear_configuration: self.strategy.linear_configuration(),
                maximum_percent: Some(Value::Lit(i64::from(
                    self.max_percent.unwrap_or(percents.max),
                ))),
                minimum_healthy_percent: Some(Value::Lit(i64::from(
                    self.min_healthy_percent.unwrap_or(percents.min_healthy),
                ))),
                strategy: self
                    .strategy
                    .shifts_traffic()
                    .then(|| Value::Lit(self.strategy.to_l1())),
                ..DeploymentConfiguration::default()
            })),
            desired_count: self.desired_count.map(|c| Value::Lit(i64::from(c))),
            enable_ecs_managed_tags: Some(Value::Lit(true)),
            enable_execute_command: self.execute_command.then_some(Value::Lit(true)),
            health_check_grace_period_seconds: grace
                .map(|g| Value::Lit(crate::units::whole_seconds(g))),
            // An explicit empty list, as the CDK writes it: removing the last
            // target group then really detaches it.
            load_balancers: Some(Value::Lit(load_balancers)),
            network_configuration,
            propagate_tags: Some(Value::Lit(PropagateTags::Service)),
            service_connect_configuration: self.service_connect.as_ref().map(|sc| {
                Value::Lit(sc.render(self.cluster.default_namespace().map(|ns| ns.arn().into())))
            }),
            service_registries,
            service_name: self.service_name,
            task_definition: Some(task.arn.clone().into()),
            ..specific
        };
        let resource = stack.add(node, "Service", service)?;
        let options = stack.resource_options(resource)?;
        for t in &self.targets {
            for dep in &t.depends_on {
                options.depends_on(*dep);
            }
        }

        // As the CDK: everything of the service (its security group, its
        // scaling) depends on the task role and its policy, so the role
        // outlives the service on delete and draining tasks keep their
        // permissions.
        stack.add_node_dependency(node, task.task_role.node())?;
        self.cluster.order_service(stack, node)?;
        Ok(ServiceParts {
            node,
            resource,
            cluster_name: self.cluster.name(),
            security_groups: groups,
            default_port,
            unknown_groups: None,
            desired_count: self.desired_count,
            network: task.network,
            containers: task.containers.to_vec(),
            strategy: self.strategy,
        })
    }

    /// The lifecycle hooks, each Lambda hook with the role ECS invokes its
    /// function with: `<id>Role`, allowed `lambda:InvokeFunction` on the
    /// function (and its versions) only, unless one is given (as the CDK).
    fn render_hooks(
        &self,
        stack: &mut Stack,
        node: NodeId,
    ) -> Result<Option<Value<Vec<Value<crate::cfn::ecs::service::DeploymentLifecycleHook>>>>> {
        if self.hooks.is_empty() {
            return Ok(None);
        }
        let mut rendered = Vec::new();
        for hook in &self.hooks {
            let role = match (&hook.target, &hook.role_arn) {
                (HookTarget::Pause, _) => None,
                (HookTarget::Lambda(..), Some(arn)) => Some(arn.clone()),
                (HookTarget::Lambda(id, function), None) => {
                    let role = Role::builder(
                        format!("{id}Role"),
                        crate::iam::Principal::service("ecs.amazonaws.com"),
                    )
                    .build_in(stack, node)?;
                    role.add_to_policy(stack, invoke_statement(function))?;
                    Some(Value::from(role.arn()))
                }
            };
            rendered.push(Value::Lit(hook.render(role)));
        }
        Ok(Some(Value::Lit(rendered)))
    }

    /// The Cloud Map service `CloudmapService` and the registry entry.
    fn register_in_cloud_map(
        &self,
        stack: &mut Stack,
        node: NodeId,
        task: &TaskView<'_>,
        options: &CloudMapOptions,
    ) -> Result<ServiceRegistry> {
        let Some(namespace) = options.namespace.or(self.cluster.default_namespace()) else {
            return Err(Error::Missing {
                path: stack.path(node),
                what: "Cloud Map namespace",
                fix: "give the cluster `.default_cloud_map_namespace(..)`, or the options `.namespace(..)`",
            });
        };
        let instance_address = matches!(task.network, TaskNetwork::Bridge | TaskNetwork::Host);
        let mut builder =
            DiscoveryService::builder("CloudmapService", namespace).custom_health_check(1);
        if let Some(name) = &options.name {
            builder = builder.name(name.as_str());
        }
        if namespace.namespace_type() != NamespaceType::Http {
            let default_type = if instance_address {
                DnsRecordType::Srv
            } else {
                DnsRecordType::A
            };
            builder = builder.dns_record_type(options.dns_record_type.unwrap_or(default_type));
            if let Some(ttl) = options.dns_ttl {
                builder = builder.dns_ttl(ttl);
            }
        }
        let discovery = builder.build_in(stack, node)?;
        let (container, port) = task.default_port().map_or((String::new(), 0), |(c, p)| {
            (c.to_owned(), p.container_port())
        });
        let registry = discovery.service_registry(container.as_str(), port);
        // Bridge and host mode: ECS must be told which container port to
        // register, whatever the record type.
        Ok(if instance_address {
            ServiceRegistry {
                container_name: Some(Value::from(container)),
                container_port: Some(Value::Lit(i64::from(port))),
                ..registry
            }
        } else {
            registry
        })
    }

    /// The subnets the service's selection picks from the cluster's VPC;
    /// `None` when they are given by id or the cluster has no VPC.
    pub(crate) fn selected_subnets(&self) -> Result<Option<SelectedSubnets>> {
        match self.cluster.vpc() {
            Some(vpc) if self.subnets.is_empty() => Ok(Some(
                vpc.select_subnets(&self.subnet_selection.clone().unwrap_or_default())?,
            )),
            _ => Ok(None),
        }
    }

    /// The subnets and security groups of `awsvpc` tasks: given, or from the
    /// cluster's VPC (creating the service's security group).
    fn network(
        &self,
        stack: &mut Stack,
        node: NodeId,
    ) -> Result<(Vec<Value<String>>, Vec<SecurityGroup>)> {
        let subnets = if self.subnets.is_empty() {
            self.selected_subnets()?
                .map(|selected| selected.subnet_ids())
                .unwrap_or_default()
        } else {
            self.subnets.clone()
        };
        let mut groups = self.groups.clone();
        if groups.is_empty()
            && self.security_group_ids.is_empty()
            && let Some(vpc) = self.cluster.vpc()
        {
            groups.push(SecurityGroup::builder("SecurityGroup", vpc).build_in(stack, node)?);
        }
        Ok((subnets, groups))
    }
}

/// The ephemeral host ports Docker picks a dynamic host port from (Linux).
pub(crate) const EPHEMERAL_PORTS: (u16, u16) = (32768, 65535);

/// Where a port mapping is reached from outside the task: the container
/// port on the task's interface (`awsvpc`) or the instance (`host`); in
/// `bridge` mode the fixed host port, else any of the ephemeral range.
pub(crate) fn served_port(network: TaskNetwork, mapping: &PortMapping) -> Option<Port> {
    let udp = mapping.protocol() == crate::ecs::Protocol::Udp;
    let single = |port: u16| {
        if udp {
            Port::udp(port)
        } else {
            Port::tcp(port)
        }
    };
    match network {
        TaskNetwork::AwsVpc | TaskNetwork::Host => Some(single(mapping.container_port())),
        TaskNetwork::Bridge => Some(match mapping.host_port {
            Some(port) if port != 0 => single(port),
            _ if udp => Port::udp_range(EPHEMERAL_PORTS.0, EPHEMERAL_PORTS.1),
            _ => Port::tcp_range(EPHEMERAL_PORTS.0, EPHEMERAL_PORTS.1),
        }),
        TaskNetwork::None => None,
    }
}

/// What a built service keeps: shared by the service handles.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceParts {
    pub(crate) node: NodeId,
    pub(crate) resource: CfnServiceRef,
    pub(crate) cluster_name: Value<String>,
    pub(crate) security_groups: Vec<SecurityGroup>,
    pub(crate) default_port: Option<Port>,
    /// Set when the groups the tasks are reached through cannot be known:
    /// the service's path and what to do instead.
    pub(crate) unknown_groups: Option<(ConstructPath, &'static str)>,
    /// The desired count given to the builder.
    pub(crate) desired_count: Option<u32>,
    /// How the tasks are networked, and their containers (for
    /// `Listener::add_targets`).
    pub(crate) network: TaskNetwork,
    pub(crate) containers: Vec<ContainerInfo>,
    /// How the service deploys (`Listener::add_targets` creates an
    /// alternate target group for the traffic-shifting strategies).
    pub(crate) strategy: DeploymentStrategy,
}

impl ServiceParts {
    /// Adds `alarm` to the alarms that fail the service's deployments
    /// (`DeploymentConfiguration.Alarms`), rolling back if `rollback`.
    pub(crate) fn add_deployment_alarm(
        &self,
        stack: &mut Stack,
        alarm: crate::cloudwatch::Alarm,
        rollback: bool,
    ) -> Result<()> {
        let path = stack.path(self.node);
        let props = stack.properties_mut::<CfnService>(self.resource)?;
        let Some(Value::Lit(config)) = &mut props.deployment_configuration else {
            return Err(Error::Unsupported {
                path,
                setting: "add_deployment_alarm",
                situation: "on a service whose deployment configuration is not ecscdk's",
                fix: "give the alarms to the builder's `deployment_alarms(..)`",
            });
        };
        let name: Value<String> = alarm.name().into();
        match &mut config.alarms {
            Some(Value::Lit(alarms)) => {
                if alarms.rollback != Value::Lit(rollback) {
                    return Err(Error::InvalidProperty {
                        path,
                        property: "add_deployment_alarm".to_owned(),
                        reason: "ECS takes one rollback choice for all of a service's deployment alarms, and this alarm asks for the other; give every alarm the same".to_owned(),
                    });
                }
                if let Value::Lit(names) = &mut alarms.alarm_names
                    && !names.contains(&name)
                {
                    names.push(name);
                }
            }
            other => {
                *other = Some(Value::Lit(DeploymentAlarms {
                    alarm_names: Value::Lit(vec![name]),
                    enable: Value::Lit(true),
                    rollback: Value::Lit(rollback),
                }));
            }
        }
        Ok(())
    }

    /// Registers the tasks' `container`:`port` with `group`, the service
    /// resource depending on everything under `after` (the listener with its
    /// target groups and rules, or the one rule, as the CDK's
    /// `loadBalancerAttached`), and gives the service the CDK's 60 s
    /// health-check grace period unless it has one.
    pub(crate) fn register(
        &self,
        stack: &mut Stack,
        container: &str,
        port: u16,
        group: &crate::elbv2::TargetGroup,
        alternate: Option<&AlternateTarget>,
        after: Option<NodeId>,
    ) -> Result<()> {
        let advanced = match alternate {
            Some(a) => Some(Value::Lit(render_alternate(stack, self.node, a)?)),
            None => None,
        };
        let props = stack.properties_mut::<CfnService>(self.resource)?;
        let entry = Value::Lit(LoadBalancer {
            advanced_configuration: advanced,
            container_name: Some(Value::from(container)),
            container_port: Some(Value::Lit(i64::from(port))),
            target_group_arn: Some(group.arn().into()),
            ..LoadBalancer::default()
        });
        match &mut props.load_balancers {
            Some(Value::Lit(items)) => items.push(entry),
            other => *other = Some(Value::Lit(vec![entry])),
        }
        if props.health_check_grace_period_seconds.is_none() {
            props.health_check_grace_period_seconds = Some(Value::Lit(60));
        }
        let service: ResourceRef = self.resource.into();
        match after {
            Some(after) => stack.add_node_dependency(service.node(), after),
            None => Ok(()),
        }
    }

    /// The scalable target `TaskCount/Target` (as the CDK's
    /// `autoScaleTaskCount`).
    pub(crate) fn auto_scale<'a>(
        &self,
        stack: &'a mut Stack,
        capacity: std::ops::RangeInclusive<u32>,
    ) -> Result<ServiceScaling<'a>> {
        // Application Auto Scaling moves the count into the range at once,
        // and the next deploy sets it back: the two fight.
        if let Some(count) = self.desired_count
            && capacity.start() <= capacity.end()
            && !capacity.contains(&count)
        {
            return Err(Error::InvalidProperty {
                path: stack.path(self.node),
                property: "desired_count".to_owned(),
                reason: format!(
                    "{count} tasks is outside the auto-scaling range {}..={}, so scaling and every deploy would reset each other; give a desired count inside the range, or none (scaling then keeps the count in the range)",
                    capacity.start(),
                    capacity.end()
                ),
            });
        }
        let scope = stack.scope_of_type(self.node, "TaskCount", "ecscdk.ecs.ScalableTaskCount")?;
        let target = ScalableTarget::builder(
            "Target",
            ServiceNamespace::Ecs,
            ScalableTarget::ecs_service_resource_id(
                self.cluster_name.clone(),
                self.resource.attr_name(),
            ),
            "ecs:service:DesiredCount",
            *capacity.start(),
            *capacity.end(),
        )
        .role_arn(ecs_autoscaling_role_arn(stack.environment()))
        .build_in(stack, scope)?;
        Ok(ServiceScaling { stack, target })
    }

    /// The security groups, with the default container port as the default
    /// port.
    pub(crate) fn connections(&self) -> Connections {
        if let Some((path, fix)) = &self.unknown_groups {
            return Connections::unknown(path.clone(), fix);
        }
        let connections = Connections::new(self.security_groups.iter().cloned());
        match self.default_port {
            Some(port) => connections.with_default_port(port),
            None => connections,
        }
    }
}

/// The task count of a service being scaled: add policies to it.
#[derive(Debug)]
pub struct ServiceScaling<'a> {
    stack: &'a mut Stack,
    target: ScalableTarget,
}

impl ServiceScaling<'_> {
    /// The scalable target, for policies this type has no shortcut for.
    #[must_use]
    pub fn target(&self) -> ScalableTarget {
        self.target
    }

    /// Keeps average CPU utilization near `percent` (policy `Cpu`), above 0
    /// and at most 100.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_to_track`].
    pub fn on_cpu(&mut self, percent: f64) -> Result<&mut Self> {
        self.track(
            "Cpu",
            TargetTracking::predefined(PredefinedMetric::EcsServiceAverageCpuUtilization, percent),
        )
    }

    /// Keeps average memory utilization near `percent` (policy `Memory`),
    /// above 0 and at most 100.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_to_track`].
    pub fn on_memory(&mut self, percent: f64) -> Result<&mut Self> {
        self.track(
            "Memory",
            TargetTracking::predefined(
                PredefinedMetric::EcsServiceAverageMemoryUtilization,
                percent,
            ),
        )
    }

    /// Keeps ALB requests per target near `requests` (policy `Requests`);
    /// `resource_label` is `app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>`.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_to_track`].
    pub fn on_request_count(
        &mut self,
        resource_label: impl Into<Value<String>>,
        requests: f64,
    ) -> Result<&mut Self> {
        self.track(
            "Requests",
            TargetTracking::predefined(PredefinedMetric::AlbRequestCountPerTarget, requests)
                .resource_label(resource_label),
        )
    }

    /// Adds a target-tracking policy with construct id `id`.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_to_track`].
    pub fn track(&mut self, id: &str, policy: TargetTracking) -> Result<&mut Self> {
        self.target.scale_to_track(self.stack, id, policy)?;
        Ok(self)
    }

    /// Adds a step-scaling policy (with its alarms) on a CloudWatch metric.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_on_metric`].
    pub fn on_metric(&mut self, id: &str, policy: StepScaling) -> Result<&mut Self> {
        self.target.scale_on_metric(self.stack, id, policy)?;
        Ok(self)
    }

    /// Adds a scheduled action that sets the capacity bounds.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_on_schedule`].
    pub fn on_schedule(
        &mut self,
        id: &str,
        schedule: Schedule,
        min: Option<u32>,
        max: Option<u32>,
    ) -> Result<&mut Self> {
        self.target
            .scale_on_schedule(self.stack, id, schedule, min, max)?;
        Ok(self)
    }
}

/// The accessors every service handle offers, over its `parts` field;
/// documented once here.
macro_rules! service_accessors {
    () => {
        /// The service's construct node.
        #[must_use]
        pub fn node(&self) -> $crate::synth::NodeId {
            self.parts.node
        }

        /// The `AWS::ECS::Service` resource.
        #[must_use]
        pub fn resource(&self) -> $crate::cfn::ecs::CfnServiceRef {
            self.parts.resource
        }

        /// The service's ARN (`Ref`).
        #[must_use]
        pub fn arn(&self) -> $crate::synth::Expr<String> {
            self.parts.resource.reference()
        }

        /// The service's name.
        #[must_use]
        pub fn name(&self) -> $crate::synth::Expr<String> {
            self.parts.resource.attr_name()
        }

        /// The name of the cluster the service runs in.
        #[must_use]
        pub fn cluster_name(&self) -> $crate::synth::Value<String> {
            self.parts.cluster_name.clone()
        }

        /// The service's metric `name` in the `AWS/ECS` namespace, with the
        /// dimensions `ClusterName` and `ServiceName`, averaged over 5
        /// minutes, as the CDK's `service.metric(name)`.
        pub fn metric(&self, name: impl Into<String>) -> $crate::cloudwatch::Metric {
            $crate::cloudwatch::Metric::new("AWS/ECS", name)
                .dimension("ClusterName", self.cluster_name())
                .dimension("ServiceName", self.name())
        }

        /// The service's average CPU utilization, in percent of the CPU its
        /// tasks reserve (`CPUUtilization`), as the CDK's
        /// `metricCpuUtilization()`.
        pub fn metric_cpu_utilization(&self) -> $crate::cloudwatch::Metric {
            self.metric("CPUUtilization")
        }

        /// The service's average memory utilization, in percent of the
        /// memory its tasks reserve (`MemoryUtilization`), as the CDK's
        /// `metricMemoryUtilization()`.
        pub fn metric_memory_utilization(&self) -> $crate::cloudwatch::Metric {
            self.metric("MemoryUtilization")
        }

        /// Fails (and, if `rollback`, rolls back) the service's deployments
        /// while `alarm` is in `ALARM`, as the CDK's
        /// `enableDeploymentAlarms`: alarms on what only exists once the
        /// service is built (its load balancer's errors, its own metrics)
        /// can be added here. One rollback choice holds for all of a
        /// service's alarms.
        ///
        /// # Errors
        /// [`Error::InvalidProperty`](crate::Error::InvalidProperty) for a
        /// rollback choice other than the alarms' before;
        /// [`Error::ForeignHandle`](crate::Error::ForeignHandle) when the
        /// service is not of `stack`.
        pub fn add_deployment_alarm(
            &self,
            stack: &mut $crate::Stack,
            alarm: $crate::cloudwatch::Alarm,
            rollback: bool,
        ) -> $crate::Result<()> {
            self.parts.add_deployment_alarm(stack, alarm, rollback)
        }

        /// The widgets of a dashboard row about the service: its CPU and
        /// memory utilization (a graph, 0 to 100 %, 12 columns), its
        /// running, desired and pending tasks (latest values, from
        /// Container Insights), and the states of `alarms` when there are
        /// any. Pass them to `DashboardBuilder::row`.
        pub fn dashboard_widgets(
            &self,
            alarms: impl IntoIterator<Item = $crate::cloudwatch::Alarm>,
        ) -> Vec<$crate::cloudwatch::Widget> {
            use $crate::cloudwatch::{AlarmStatusWidget, GraphWidget, SingleValueWidget};
            let mut widgets: Vec<$crate::cloudwatch::Widget> = vec![
                GraphWidget::new("CPU and memory (%)")
                    .left(self.metric_cpu_utilization().label("CPU"))
                    .left(self.metric_memory_utilization().label("Memory"))
                    .left_axis_range(Some(0.0), Some(100.0))
                    .width(12)
                    .into(),
                SingleValueWidget::new(
                    "Tasks",
                    [
                        self.metric_running_task_count().label("Running"),
                        self.metric_desired_task_count().label("Desired"),
                        self.metric_pending_task_count().label("Pending"),
                    ],
                )
                .into(),
            ];
            let alarms: Vec<$crate::cloudwatch::Alarm> = alarms.into_iter().collect();
            if !alarms.is_empty() {
                widgets.push(AlarmStatusWidget::new(alarms).into());
            }
            widgets
        }

        /// AWS's recommended alarms for the service, under it: CPU and
        /// memory utilization above 80 % and no running task (Container
        /// Insights, ecscdk's default), each over a minute, in alarm after 5
        /// of 5 minutes (CloudWatch User Guide, "Recommended alarms"),
        /// notifying `topic` of alarms and recoveries when one is given.
        ///
        /// # Errors
        /// [`Error::DuplicateId`](crate::Error::DuplicateId) when called
        /// twice; the alarms' errors.
        pub fn add_recommended_alarms(
            &self,
            stack: &mut $crate::Stack,
            topic: Option<$crate::sns::Topic>,
        ) -> $crate::Result<$crate::cloudwatch::RecommendedAlarms> {
            $crate::cloudwatch::recommended::add(
                stack,
                self.parts.node,
                [
                    self.metric_cpu_utilization(),
                    self.metric_memory_utilization(),
                    self.metric_container_insights("RunningTaskCount"),
                ],
                topic,
            )
        }

        /// The service's Container Insights metric `name` in the
        /// `ECS/ContainerInsights` namespace, with the dimensions
        /// `ClusterName` and `ServiceName`, averaged over 5 minutes. These
        /// metrics exist only while the cluster has Container Insights on
        /// (ecscdk's default); an alarm on them stays in
        /// `INSUFFICIENT_DATA` otherwise.
        pub fn metric_container_insights(
            &self,
            name: impl Into<String>,
        ) -> $crate::cloudwatch::Metric {
            $crate::cloudwatch::Metric::new("ECS/ContainerInsights", name)
                .dimension("ClusterName", self.cluster_name())
                .dimension("ServiceName", self.name())
        }

        /// The number of the service's tasks running (`RunningTaskCount`,
        /// Container Insights), the minimum over each minute: the figure to
        /// alarm on when tasks keep dying.
        pub fn metric_running_task_count(&self) -> $crate::cloudwatch::Metric {
            self.metric_container_insights("RunningTaskCount")
                .statistic($crate::cloudwatch::Statistic::Minimum)
                .period(std::time::Duration::from_secs(60))
        }

        /// The number of tasks the service wants (`DesiredTaskCount`,
        /// Container Insights), the maximum over each minute.
        pub fn metric_desired_task_count(&self) -> $crate::cloudwatch::Metric {
            self.metric_container_insights("DesiredTaskCount")
                .statistic($crate::cloudwatch::Statistic::Maximum)
                .period(std::time::Duration::from_secs(60))
        }

        /// The number of the service's tasks in `PENDING` (`PendingTaskCount`,
        /// Container Insights), the maximum over each minute.
        pub fn metric_pending_task_count(&self) -> $crate::cloudwatch::Metric {
            self.metric_container_insights("PendingTaskCount")
                .statistic($crate::cloudwatch::Statistic::Maximum)
                .period(std::time::Duration::from_secs(60))
        }
    };
}

/// The task-count and deployment-percentage setters of replica-only
/// services (Fargate, Managed Instances), over the builder's `core` field;
/// documented once here.
macro_rules! replica_setters {
    () => {
        /// How many tasks to run.
        ///
        /// CloudFormation default: 1 on create; on update an omitted count keeps
        /// the current one.
        /// ecscdk default: omitted, so a redeploy never resets a count that auto
        /// scaling changed.
        pub fn desired_count(mut self, count: u32) -> Self {
            self.core.desired_count = Some(count);
            self
        }

        /// The share of the desired count that must stay running during a
        /// deployment, percent.
        ///
        /// CloudFormation default: 100.
        /// ecscdk default: 100 (the AWS CDK uses 50 when it is not set, and
        /// warns that it does).
        pub fn min_healthy_percent(mut self, percent: u32) -> Self {
            self.core.min_healthy_percent = Some(percent);
            self
        }

        /// How far above the desired count a deployment may go, percent.
        ///
        /// CloudFormation default: 200.
        /// ecscdk default: 200.
        pub fn max_percent(mut self, percent: u32) -> Self {
            self.core.max_percent = Some(percent);
            self
        }
    };
}

/// The builder setters every service offers, over the builder's `core`
/// field; documented once here.
macro_rules! deployment_setters {
    () => {
        /// What happens when a deployment's tasks keep failing.
        ///
        /// CloudFormation default: no circuit breaker.
        /// ecscdk default: [`CircuitBreaker::Rollback`](crate::ecs::CircuitBreaker::Rollback).
        pub fn circuit_breaker(mut self, breaker: $crate::ecs::CircuitBreaker) -> Self {
            self.core.circuit_breaker = breaker;
            self
        }

        /// CloudWatch alarms (names) that fail a deployment when they go off,
        /// rolling back if `rollback`.
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none.
        pub fn deployment_alarms<V: Into<$crate::synth::Value<String>>>(
            mut self,
            alarm_names: impl IntoIterator<Item = V>,
            rollback: bool,
        ) -> Self {
            self.core.alarms = Some((alarm_names.into_iter().map(Into::into).collect(), rollback));
            self
        }

        /// ECS Exec: `aws ecs execute-command` into running containers; the
        /// task role gets the SSM messages permissions it needs.
        ///
        /// CloudFormation default: off.
        /// ecscdk default: off.
        pub fn enable_execute_command(mut self) -> Self {
            self.core.execute_command = true;
            self
        }

        /// The service's name; changing it replaces the service.
        ///
        /// CloudFormation default: generated.
        /// ecscdk default: omitted (generated).
        pub fn service_name(mut self, name: impl Into<$crate::synth::Value<String>>) -> Self {
            self.core.service_name = Some(name.into());
            self
        }
    };
}

/// The setters of services on AWS capacity: Availability Zones, load
/// balancers, Cloud Map, Service Connect and `awsvpc` networking (Fargate,
/// EC2 and Managed Instances, not ECS Anywhere).
macro_rules! network_setters {
    () => {
        /// How the service rolls out a new revision: rolling, or shifting
        /// traffic to the new revision all at once (blue/green), in steps
        /// (linear) or after a canary. The traffic-shifting strategies need
        /// an alternate target group on every load balancer target
        /// ([`alternate_target`](Self::alternate_target)); settings ECS
        /// refuses fail at `build()`.
        ///
        /// CloudFormation default: `ROLLING`.
        /// ecscdk default: [`DeploymentStrategy::Rolling`](crate::ecs::DeploymentStrategy::Rolling) (the property omitted).
        pub fn deployment_strategy(mut self, strategy: $crate::ecs::DeploymentStrategy) -> Self {
            self.core.strategy = strategy;
            self
        }

        /// How long ECS keeps the old revision after the new one takes all
        /// traffic, ready to roll back (whole minutes, at most 24 hours).
        ///
        /// CloudFormation default: 15 minutes for blue/green, linear and
        /// canary deployments; none for rolling ones.
        /// ecscdk default: omitted (ECS's).
        pub fn bake_time(mut self, bake_time: std::time::Duration) -> Self {
            self.core.bake_time = Some(bake_time);
            self
        }

        /// Runs a Lambda function, or pauses, at stages of blue/green,
        /// linear and canary deployments. Repeatable.
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none.
        pub fn lifecycle_hook(mut self, hook: $crate::ecs::LifecycleHook) -> Self {
            self.core.hooks.push(hook);
            self
        }

        /// Availability Zone rebalancing: ECS moves tasks to even out AZs.
        ///
        /// CloudFormation default: `DISABLED` for existing services, `ENABLED`
        /// for new ones (ECS's current default).
        /// ecscdk default: omitted.
        pub fn availability_zone_rebalancing(mut self, enabled: bool) -> Self {
            self.core.rebalancing = Some(enabled);
            self
        }

        /// How long ECS ignores failing load-balancer health checks of a new
        /// task; only with a load balancer.
        ///
        /// CloudFormation default: 0 (with a load balancer).
        /// ecscdk default: 60 s when a load balancer is attached (as the CDK),
        /// else omitted.
        pub fn health_check_grace_period(mut self, period: std::time::Duration) -> Self {
            self.core.grace_period = Some(period);
            self
        }

        /// Registers the tasks' `container`:`port` with a target group
        /// (target type `ip` in `awsvpc` network mode; `instance`, on the
        /// host port, in `bridge` and `host` mode: checked at `build()` for
        /// a group of this stack); `depends_on` lists resources the service
        /// must wait for (the listener, so the target group is attached to a
        /// load balancer).
        ///
        /// CloudFormation default: no load balancer.
        /// ecscdk default: no load balancer.
        pub fn load_balancer_target(
            mut self,
            target_group_arn: impl Into<$crate::synth::Value<String>>,
            container: impl Into<String>,
            port: u16,
            depends_on: impl IntoIterator<Item = $crate::synth::ResourceRef>,
        ) -> Self {
            self.core.targets.push($crate::ecs::service_base::Target {
                target_group_arn: target_group_arn.into(),
                container: container.into(),
                port,
                depends_on: depends_on.into_iter().collect(),
                alternate: None,
            });
            self
        }

        /// The alternate target group (and the listener rules ECS shifts
        /// traffic with) of the load balancer target added last, for
        /// blue/green, linear and canary deployments; every target needs
        /// one under those strategies, and none under a rolling one
        /// (checked at `build()`).
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none.
        pub fn alternate_target(mut self, alternate: $crate::ecs::AlternateTarget) -> Self {
            match self.core.targets.last_mut() {
                Some(target) => target.alternate = Some(alternate),
                None => self.core.orphan_alternate = true,
            }
            self
        }

        /// Service Connect: the namespace and the named ports the service
        /// serves to other services (none: a client only). Only for tasks in
        /// `awsvpc` or `bridge` network mode on Linux (TLS: `awsvpc` only;
        /// Fargate: platform 1.4.0 or later), checked at `build()`.
        ///
        /// CloudFormation default: off.
        /// ecscdk default: off.
        pub fn service_connect(mut self, config: $crate::ecs::ServiceConnect) -> Self {
            self.core.service_connect = Some(config);
            self
        }

        /// Registers the tasks in AWS Cloud Map (a Cloud Map service
        /// `CloudmapService` of the service, with a custom health check ECS
        /// updates, as the CDK does): `A` records in `awsvpc` network mode,
        /// `SRV` records naming the default container and port in `bridge`
        /// and `host` mode.
        ///
        /// CloudFormation default: no registration.
        /// ecscdk default: no registration.
        pub fn cloud_map(mut self, options: $crate::ecs::CloudMapOptions) -> Self {
            self.core.cloud_map = Some(options);
            self
        }

        /// Which subnets of the cluster's VPC the tasks run in (`awsvpc`
        /// network mode; always on Fargate).
        ///
        /// CloudFormation default: none (required for awsvpc).
        /// ecscdk default: the VPC's default subnets (private with egress, else
        /// isolated, else public), as the CDK chooses.
        pub fn vpc_subnets(mut self, selection: $crate::ec2::SubnetSelection) -> Self {
            self.core.subnet_selection = Some(selection);
            self
        }

        /// A security group of the tasks (`awsvpc` network mode); none given
        /// creates one.
        ///
        /// CloudFormation default: the VPC's default security group.
        /// ecscdk default: a security group `SecurityGroup` of the service with
        /// no ingress (open it with `connections()`) and all egress, as the CDK.
        pub fn security_group(mut self, group: &$crate::ec2::SecurityGroup) -> Self {
            self.core.groups.push(group.clone());
            self
        }

        /// The subnets the tasks run in, by id (instead of the cluster's VPC;
        /// `awsvpc` network mode).
        ///
        /// CloudFormation default: none (required for awsvpc).
        /// ecscdk default: from the cluster's VPC.
        pub fn subnet_ids<V: Into<$crate::synth::Value<String>>>(
            mut self,
            subnets: impl IntoIterator<Item = V>,
        ) -> Self {
            self.core
                .subnets
                .extend(subnets.into_iter().map(Into::into));
            self
        }

        /// Security groups of the tasks, by id (in addition to
        /// [`security_group`](Self::security_group); `awsvpc` network mode).
        ///
        /// CloudFormation default: the VPC's default security group.
        /// ecscdk default: a created security group (see `security_group`).
        pub fn security_group_ids<V: Into<$crate::synth::Value<String>>>(
            mut self,
            groups: impl IntoIterator<Item = V>,
        ) -> Self {
            self.core
                .security_group_ids
                .extend(groups.into_iter().map(Into::into));
            self
        }
    };
}

pub(crate) use {deployment_setters, network_setters, replica_setters, service_accessors};

/// The target groups a listener rule or listener of this stack forwards to,
/// found through its ARN (`Ref`); `None` for one of another stack or given
/// by a literal ARN.
fn forwarded_groups(stack: &Stack, arn: &Value<String>) -> Option<Vec<Value<String>>> {
    use crate::cfn::elasticloadbalancingv2::{CfnListener, CfnListenerRule};
    use crate::synth::Intrinsic;
    let Value::Expr(expr) = arn else { return None };
    let Intrinsic::RefResource(resource) = expr.intrinsic() else {
        return None;
    };
    macro_rules! groups_of {
        ($actions:expr) => {{
            let Value::Lit(actions) = $actions else {
                return None;
            };
            let mut groups = Vec::new();
            for action in actions {
                let Value::Lit(action) = action else {
                    return None;
                };
                groups.extend(action.target_group_arn.clone());
                if let Some(Value::Lit(config)) = &action.forward_config
                    && let Some(Value::Lit(tuples)) = &config.target_groups
                {
                    for tuple in tuples {
                        let Value::Lit(tuple) = tuple else {
                            return None;
                        };
                        groups.extend(tuple.target_group_arn.clone());
                    }
                }
            }
            Some(groups)
        }};
    }
    if let Ok(rule) = stack.properties::<CfnListenerRule>(*resource) {
        return groups_of!(&rule.actions);
    }
    if let Ok(listener) = stack.properties::<CfnListener>(*resource) {
        return groups_of!(&listener.default_actions);
    }
    None
}

/// A target's `AdvancedConfiguration`: the alternate target group, the
/// listener rules, and the role ECS shifts traffic with (`<id>Role` of the
/// service unless given, as the CDK's `AlternateTarget`).
fn render_alternate(
    stack: &mut Stack,
    service: NodeId,
    alternate: &AlternateTarget,
) -> Result<crate::cfn::ecs::service::AdvancedConfiguration> {
    let role_arn = match &alternate.role_arn {
        Some(arn) => arn.clone(),
        None => Role::builder(
            format!("{}Role", alternate.id),
            crate::iam::Principal::service("ecs.amazonaws.com"),
        )
        .managed_policy("AmazonECSInfrastructureRolePolicyForLoadBalancers")
        .build_in(stack, service)?
        .arn()
        .into(),
    };
    Ok(crate::cfn::ecs::service::AdvancedConfiguration {
        alternate_target_group_arn: alternate.target_group_arn.clone(),
        production_listener_rule: alternate.production.clone(),
        role_arn: Some(role_arn),
        test_listener_rule: alternate.test.clone(),
    })
}

/// `lambda:InvokeFunction` on `function` and its versions and aliases, as
/// the CDK's `grantInvoke`.
fn invoke_statement(function: &Value<String>) -> PolicyStatement {
    let versions = crate::appscaling::concat([function.clone(), Value::from(":*")]);
    PolicyStatement::allow()
        .action("lambda:InvokeFunction")
        .resources([function.clone(), versions])
}

/// The ARN of Application Auto Scaling's service-linked role for ECS, as the
/// CDK writes it into a service's scalable target (`Stack.formatArn`: the
/// partition and account as literals where the environment fixes them).
/// CloudFormation uses the same role when `RoleARN` is omitted; writing it
/// keeps a port of a CDK app from updating the target for nothing.
fn ecs_autoscaling_role_arn(env: &crate::Env) -> crate::synth::Value<String> {
    use crate::synth::{Pseudo, Value};
    let partition = env
        .partition()
        .map_or_else(|| Value::from(Pseudo::partition()), Value::from);
    let account = env
        .account()
        .map_or_else(|| Value::from(Pseudo::account_id()), Value::from);
    crate::appscaling::concat([
        Value::from("arn:"),
        partition,
        Value::from(":iam::"),
        account,
        Value::from(
            ":role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
        ),
    ])
}
