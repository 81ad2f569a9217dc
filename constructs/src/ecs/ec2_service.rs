//! `Ec2Service`: runs an [`Ec2TaskDefinition`] on the container instances
//! of a cluster's Auto Scaling group capacity providers, as replicas or one
//! task per instance (daemon), placed by typed strategies and constraints.
//!
//! CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html).
//!
//! Its capacity provider strategy holds only [`AsgCapacity`] items: a
//! strategy mixing Fargate and Auto Scaling group providers, which ECS
//! rejects, does not compile.
//!
//! The service depends on the cluster's capacity-provider associations, so
//! CloudFormation creates it after its provider is associated and deletes it
//! before the association goes.

use crate::cfn::ecs::CfnService;
use crate::cfn::ecs::service::{
    LaunchType, PlacementConstraint, PlacementConstraintType,
    PlacementStrategy as CfnPlacementStrategy, PlacementStrategyType,
};
use crate::ec2::{Connectable, Connections, SecurityGroup};
use crate::ecs::capacity::StrategyItem;
use crate::ecs::ec2_task_definition::check_member_of;
use crate::ecs::service_base::{
    Percents, ServiceCore, ServiceKind, ServiceParts, TaskNetwork, TaskView, deployment_setters,
    network_setters, render_strategy, scheduling, service_accessors,
};
use crate::ecs::{
    AsgCapacity, Cluster, CpuArchitecture, Ec2NetworkMode, Ec2TaskDefinition, ServiceScaling,
};
use crate::synth::{NodeId, Value};
use crate::{Error, Result, Stack};

/// How tasks are spread over instances.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlacementStrategy {
    /// Evenly over the values of an attribute (`spread`), e.g.
    /// `attribute:ecs.availability-zone` or `instanceId`.
    Spread(String),
    /// Onto as few instances as fit, by `memory` or `cpu` (`binpack`).
    Binpack(BinpackResource),
    /// Randomly.
    Random,
}

impl PlacementStrategy {
    /// Spread over Availability Zones.
    #[must_use]
    pub fn spread_across_zones() -> Self {
        Self::Spread("attribute:ecs.availability-zone".to_owned())
    }

    /// Spread over instances.
    #[must_use]
    pub fn spread_across_instances() -> Self {
        Self::Spread("instanceId".to_owned())
    }
}

/// What [`PlacementStrategy::Binpack`] packs by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BinpackResource {
    /// Memory.
    Memory,
    /// CPU.
    Cpu,
}

/// Which instances may run the service's tasks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServicePlacementConstraint {
    /// Each task on a different instance (`distinctInstance`).
    DistinctInstance,
    /// Instances matching a cluster query language expression (`memberOf`).
    MemberOf(String),
}

/// A service's rendered `PlacementStrategies` and `PlacementConstraints`.
pub(crate) type RenderedPlacement = (
    Option<Value<Vec<Value<CfnPlacementStrategy>>>>,
    Option<Value<Vec<Value<PlacementConstraint>>>>,
);

/// The `PlacementStrategies` and `PlacementConstraints` of a service, each
/// omitted when empty.
pub(crate) fn render_placement(
    strategies: &[PlacementStrategy],
    constraints: &[ServicePlacementConstraint],
) -> RenderedPlacement {
    let strategies: Vec<Value<CfnPlacementStrategy>> = strategies
        .iter()
        .map(|s| {
            Value::Lit(match s {
                PlacementStrategy::Spread(field) => CfnPlacementStrategy {
                    field: Some(Value::from(field.as_str())),
                    r#type: Value::Lit(PlacementStrategyType::Spread),
                },
                PlacementStrategy::Binpack(resource) => CfnPlacementStrategy {
                    field: Some(Value::from(match resource {
                        BinpackResource::Memory => "memory",
                        BinpackResource::Cpu => "cpu",
                    })),
                    r#type: Value::Lit(PlacementStrategyType::Binpack),
                },
                PlacementStrategy::Random => CfnPlacementStrategy {
                    field: None,
                    r#type: Value::Lit(PlacementStrategyType::Random),
                },
            })
        })
        .collect();
    let constraints: Vec<Value<PlacementConstraint>> = constraints
        .iter()
        .map(|c| {
            Value::Lit(match c {
                ServicePlacementConstraint::DistinctInstance => PlacementConstraint {
                    expression: None,
                    r#type: Value::Lit(PlacementConstraintType::DistinctInstance),
                },
                ServicePlacementConstraint::MemberOf(e) => PlacementConstraint {
                    expression: Some(Value::from(e.as_str())),
                    r#type: Value::Lit(PlacementConstraintType::MemberOf),
                },
            })
        })
        .collect();
    (
        (!strategies.is_empty()).then(|| Value::Lit(strategies)),
        (!constraints.is_empty()).then(|| Value::Lit(constraints)),
    )
}

/// An EC2 service. Cheap to clone; its `AWS::ECS::Service` is the child
/// `Service`, as in the AWS CDK.
#[derive(Debug, Clone, PartialEq)]
pub struct Ec2Service {
    parts: ServiceParts,
    daemon: bool,
}

impl Ec2Service {
    /// A builder for a service of `task` in `cluster`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        task: &Ec2TaskDefinition,
    ) -> Ec2ServiceBuilder {
        Ec2ServiceBuilder {
            core: ServiceCore::new(id.into(), cluster.clone()),
            task: task.clone(),
            daemon: false,
            strategy: Vec::new(),
            placement_strategies: Vec::new(),
            placement_constraints: Vec::new(),
        }
    }

    service_accessors!();

    /// Scales the service's task count between `capacity`'s bounds: creates
    /// the scalable target `TaskCount/Target` (as the CDK's
    /// `autoScaleTaskCount`), to which scaling policies are then added.
    /// Scale the instances too: through a capacity provider with managed
    /// scaling, tasks that find no room wait in `PROVISIONING` until the
    /// Auto Scaling group has grown.
    ///
    /// ```
    /// # use ecscdk::prelude::*;
    /// # use ecscdk::ecs::*;
    /// # fn main() -> ecscdk::Result<()> {
    /// # let mut stack = Stack::new("S");
    /// # let cluster = Cluster::builder("C").build(&mut stack)?;
    /// # let task = Ec2TaskDefinition::builder("T", Ec2NetworkMode::Bridge).container(Container::builder("a", ContainerImage::registry("a:1")).memory_limit_mib(256)).build(&mut stack)?;
    /// # let service = Ec2Service::builder("Svc", &cluster, &task).build(&mut stack)?;
    /// service.auto_scale(&mut stack, 1..=4)?.on_memory(75.0)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Conflict`] for a daemon service (one task per instance: its
    /// count follows the instances); [`Error::InvalidProperty`] when the
    /// minimum is above the maximum, the maximum is 0, or the service's
    /// desired count lies outside the range;
    /// [`Error::DuplicateId`] when the service already scales.
    pub fn auto_scale<'a>(
        &self,
        stack: &'a mut Stack,
        capacity: std::ops::RangeInclusive<u32>,
    ) -> Result<ServiceScaling<'a>> {
        if self.daemon {
            return Err(Error::Conflict {
                path: stack.path(self.parts.node),
                first: "auto_scale",
                second: "daemon",
                fix: "a daemon service runs one task on every instance and ECS ignores its desired count; scale the Auto Scaling group instead",
            });
        }
        self.parts.auto_scale(stack, capacity)
    }
}

/// The security groups the service's tasks are reached through, with the
/// port of the default container's first mapping as the default port:
///
/// - `awsvpc`: the service's own security groups (the container port);
/// - `bridge` and `host`: the tasks share their instances' network, so
///   these are the security groups of the Auto Scaling groups behind the
///   service's capacity provider strategy, or, with the `EC2` launch type
///   (tasks go to any container instance of the cluster), those of every
///   Auto Scaling group associated with the cluster when the service was
///   built, or an imported cluster's instance security groups (as the AWS
///   CDK's `cluster.connections`, which however only collects groups added
///   with `addCapacity`/`addAutoScalingGroup`, not `addAsgCapacityProvider`,
///   leaving such services' connections silently empty). Opening them
///   admits the peer to every task on those instances. The default port is the container port in
///   `host` mode; in `bridge` mode the fixed host port, else Docker's
///   ephemeral range 32768–65535.
///
/// When those groups cannot be known here (no Auto Scaling group yet, a
/// cluster of another stack, network mode `none`), `allow_from` and the
/// other rule methods return [`Error::Missing`] naming the service and
/// the fix, instead of silently writing no rule.
impl Connectable for Ec2Service {
    fn connections(&self) -> Connections {
        self.parts.connections()
    }
}

/// Builds an [`Ec2Service`].
#[derive(Debug, Clone)]
#[must_use]
pub struct Ec2ServiceBuilder {
    core: ServiceCore,
    task: Ec2TaskDefinition,
    daemon: bool,
    strategy: Vec<AsgCapacity>,
    placement_strategies: Vec<PlacementStrategy>,
    placement_constraints: Vec<ServicePlacementConstraint>,
}

impl Ec2ServiceBuilder {
    /// How many tasks to run (replica services only).
    ///
    /// CloudFormation default: 1 on create.
    /// ecscdk default: omitted, so a redeploy never resets a count that auto
    /// scaling changed.
    pub fn desired_count(mut self, count: u32) -> Self {
        self.core.desired_count = Some(count);
        self
    }

    /// One task on every container instance (`DAEMON` scheduling).
    ///
    /// CloudFormation default: `REPLICA`.
    /// ecscdk default: `REPLICA`.
    pub fn daemon(mut self) -> Self {
        self.daemon = true;
        self
    }

    /// The share of the desired count that must stay running during a
    /// deployment, percent.
    ///
    /// CloudFormation default: 100 (replica), 0 (daemon).
    /// ecscdk default: 100 for replicas, 0 for daemons.
    pub fn min_healthy_percent(mut self, percent: u32) -> Self {
        self.core.min_healthy_percent = Some(percent);
        self
    }

    /// How far above the desired count a deployment may go, percent.
    ///
    /// CloudFormation default: 200 (replica), 100 (daemon).
    /// ecscdk default: 200 for replicas, 100 for daemons.
    pub fn max_percent(mut self, percent: u32) -> Self {
        self.core.max_percent = Some(percent);
        self
    }

    deployment_setters!();
    network_setters!();

    /// Runs the tasks on Auto Scaling group capacity providers by this
    /// strategy (each associated with the cluster).
    ///
    /// CloudFormation default: the cluster's default strategy, or the launch
    /// type.
    /// ecscdk default: the `EC2` launch type.
    pub fn capacity_provider_strategy(
        mut self,
        strategy: impl IntoIterator<Item = AsgCapacity>,
    ) -> Self {
        self.strategy = strategy.into_iter().collect();
        self
    }

    /// Adds a placement strategy (applied in order).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn placement_strategy(mut self, strategy: PlacementStrategy) -> Self {
        self.placement_strategies.push(strategy);
        self
    }

    /// Adds a placement constraint.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn placement_constraint(mut self, constraint: ServicePlacementConstraint) -> Self {
        self.placement_constraints.push(constraint);
        self
    }

    /// Adds the service directly under the stack.
    ///
    /// # Errors
    /// [`Error::Conflict`] for a daemon with a desired count, a capacity
    /// provider strategy, or a placement strategy;
    /// [`Error::Unsupported`] for a provider not associated with the
    /// cluster; a grace period without a load balancer; subnets or security
    /// groups for a task not in `awsvpc` mode; Cloud Map for a task in
    /// network mode `none`; ECS Exec with a read-only root filesystem;
    /// Service Connect in `host` or `none` mode, with TLS in `bridge` mode,
    /// or for a Windows task;
    /// [`Error::InvalidProperty`] for deployment percentages ECS rejects, an
    /// invalid strategy, a `memberOf` expression that does not parse, a GPU
    /// task on a provider whose instance types have no GPUs, a load
    /// balancer target naming an unknown container or port, Cloud Map `A`
    /// records in `bridge` or `host` mode, SRV records without a port, or
    /// Service Connect with containers' memory limits that leave its proxy
    /// no room in the task's memory;
    /// [`Error::Missing`] for an `awsvpc` task without subnets or security
    /// groups, a Cloud Map or Service Connect namespace, task-level memory
    /// for Service Connect ([`Ec2TaskDefinitionBuilder::memory_mib`](crate::ecs::Ec2TaskDefinitionBuilder::memory_mib)),
    /// a Service Connect log group for access logs, or an execution role to
    /// ship the proxy's logs.
    pub fn build(self, stack: &mut Stack) -> Result<Ec2Service> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the service under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(mut self, stack: &mut Stack, parent: NodeId) -> Result<Ec2Service> {
        let node = stack.scope_of_type(parent, &self.core.id, "ecscdk.ecs.Ec2Service")?;
        self.core.execution_role = self.task.execution_role();
        let task = TaskView {
            arn: self.task.arn(),
            task_role: self.task.task_role(),
            containers: self.task.containers(),
            network: match self.task.network_mode() {
                Ec2NetworkMode::AwsVpc => TaskNetwork::AwsVpc,
                // Windows' NAT network works as the bridge: the instance's
                // address with mapped (by default dynamic) host ports.
                Ec2NetworkMode::Bridge | Ec2NetworkMode::Nat => TaskNetwork::Bridge,
                Ec2NetworkMode::Host => TaskNetwork::Host,
                _ => TaskNetwork::None,
            },
            memory_mib: self.task.memory_mib(),
            kind: ServiceKind::Ec2,
        };
        let percents = Percents::of(self.daemon);
        self.check(stack, node)?;
        self.core.check(stack, node, &task, percents)?;
        let strategy: Vec<StrategyItem> = self.strategy.iter().map(AsgCapacity::item).collect();
        let launch_type = strategy.is_empty().then_some(Value::Lit(LaunchType::Ec2));
        let (placement_strategies, placement_constraints) =
            render_placement(&self.placement_strategies, &self.placement_constraints);
        let specific = CfnService {
            capacity_provider_strategy: render_strategy(&strategy),
            launch_type,
            placement_constraints,
            placement_strategies,
            scheduling_strategy: scheduling(self.daemon),
            ..CfnService::default()
        };
        let instance_groups = self.instance_groups(stack, task.network);
        let mut parts = self.core.build(stack, node, &task, percents, specific)?;
        if task.network != TaskNetwork::AwsVpc {
            match instance_groups {
                Ok(groups) => parts.security_groups = groups,
                Err(fix) => parts.unknown_groups = Some((stack.path(node), fix)),
            }
        }
        Ok(Ec2Service {
            parts,
            daemon: self.daemon,
        })
    }

    /// The security groups of the instances the tasks of a `bridge` or
    /// `host` service run on: those of the strategy's Auto Scaling groups,
    /// else of every group associated with the cluster (the `EC2` launch
    /// type places on any container instance); else what to do.
    fn instance_groups(
        &self,
        stack: &Stack,
        network: TaskNetwork,
    ) -> std::result::Result<Vec<SecurityGroup>, &'static str> {
        if network == TaskNetwork::None {
            return Err(
                "tasks in network mode none have no network interface to admit anything to; use `Ec2NetworkMode::Bridge`, `Host` or `AwsVpc`",
            );
        }
        let groups = if self.strategy.is_empty() {
            self.core.cluster.instance_security_groups(stack).ok_or(
                "the cluster is in another stack, so its instances' security groups are unknown here; open the Auto Scaling group's connections (`group.connections(&stack)`) in the cluster's stack, or build the service there",
            )?
        } else {
            let mut groups: Vec<SecurityGroup> = Vec::new();
            for item in &self.strategy {
                let instances = item.provider().auto_scaling_group().connections(stack);
                for group in instances.security_groups() {
                    if !groups.contains(group) {
                        groups.push(group.clone());
                    }
                }
            }
            groups
        };
        if groups.is_empty() {
            return Err(
                "the tasks share their instances' network, and no Auto Scaling group of the cluster is known when the service is built; associate the capacity provider first (`cluster.add_asg_capacity_provider`) and name it in `.capacity_provider_strategy(..)`, import the cluster with `ClusterAttributes::instance_security_group(..)`, or use `Ec2NetworkMode::AwsVpc`",
            );
        }
        Ok(groups)
    }

    /// The EC2-only checks: scheduling, capacity providers, placement,
    /// Service Connect on Windows.
    fn check(&self, stack: &Stack, node: NodeId) -> Result<()> {
        let path = stack.path(node);
        let windows = self.task.network_mode() == Ec2NetworkMode::Nat
            || self
                .task
                .runtime_platform()
                .is_some_and(|(os, _)| os.is_windows());
        if self.core.service_connect.is_some() && windows {
            return Err(Error::Unsupported {
                path,
                setting: "service_connect",
                situation: "with a Windows task definition",
                fix: "Service Connect does not run Windows containers; run the service on Linux instances, or use Cloud Map (`.cloud_map(..)`) for discovery",
            });
        }
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        let conflict = |first, second, fix| Error::Conflict {
            path: path.clone(),
            first,
            second,
            fix,
        };
        if self.daemon {
            if self.core.desired_count.is_some() {
                return Err(conflict(
                    "daemon",
                    "desired_count",
                    "a daemon service runs one task per instance; drop the desired count",
                ));
            }
            if !self.strategy.is_empty() {
                return Err(conflict(
                    "daemon",
                    "capacity_provider_strategy",
                    "ECS does not run daemon services on capacity providers; drop the strategy (the EC2 launch type is used)",
                ));
            }
            if !self.placement_strategies.is_empty() {
                return Err(conflict(
                    "daemon",
                    "placement_strategy",
                    "a daemon places one task on every instance; drop the placement strategy",
                ));
            }
        }
        if !self.strategy.is_empty() {
            let items: Vec<StrategyItem> = self.strategy.iter().map(AsgCapacity::item).collect();
            crate::ecs::capacity::check_strategy(
                stack,
                node,
                "capacity_provider_strategy",
                &items,
            )?;
            for item in &self.strategy {
                if !self.core.cluster.has_asg_provider(stack, &item.provider()) {
                    return Err(Error::Unsupported {
                        path: path.clone(),
                        setting: "capacity_provider_strategy",
                        situation: "with a provider not associated with the cluster",
                        fix: "call `cluster.add_asg_capacity_provider(&mut stack, &provider)` first",
                    });
                }
                let image = item.provider().auto_scaling_group().machine_image();
                if let Some((os, arch)) = self.task.runtime_platform() {
                    if os != image.operating_system() {
                        return Err(invalid(
                            "capacity_provider_strategy",
                            format!(
                                "the task runs on {os:?}, but the provider's instances boot a {:?} ECS-optimized AMI; ECS places a task only on instances of its operating system: match `runtime_platform` and the group's `machine_image`",
                                image.operating_system()
                            ),
                        ));
                    }
                    if arch != image.cpu_architecture() {
                        let name = |a: CpuArchitecture| match a {
                            CpuArchitecture::Arm64 => "ARM64",
                            _ => "x86-64",
                        };
                        return Err(invalid(
                            "capacity_provider_strategy",
                            format!(
                                "the task runs on {}, but the provider's instances boot an {} AMI; match `runtime_platform` and the group's `machine_image`",
                                name(arch),
                                name(image.cpu_architecture())
                            ),
                        ));
                    }
                }
                if image.operating_system().is_windows() && self.task.runtime_platform().is_none() {
                    return Err(invalid(
                        "capacity_provider_strategy",
                        "the provider's instances run Windows; declare the task's Windows version with `.runtime_platform(OperatingSystem::Windows.., CpuArchitecture::X86_64)`".to_owned(),
                    ));
                }
                if self.task.gpu_count() > 0
                    && item.provider().auto_scaling_group().has_gpus() == Some(false)
                {
                    return Err(invalid(
                        "capacity_provider_strategy",
                        format!(
                            "the task reserves {} GPU(s), but the provider's instance types have none; use GPU instances (g5, p4d, ..) with a GPU AMI",
                            self.task.gpu_count()
                        ),
                    ));
                }
            }
        }
        check_constraints(stack, node, &self.placement_constraints)
    }
}

/// Checks the `memberOf` expressions of a service's placement constraints.
pub(crate) fn check_constraints(
    stack: &Stack,
    node: NodeId,
    constraints: &[ServicePlacementConstraint],
) -> Result<()> {
    for c in constraints {
        if let ServicePlacementConstraint::MemberOf(e) = c {
            check_member_of(e).map_err(|reason| Error::InvalidProperty {
                path: stack.path(node),
                property: "placement_constraint".to_owned(),
                reason,
            })?;
        }
    }
    Ok(())
}

impl crate::elbv2::sealed::Sealed for Ec2Service {
    fn service_parts(&self) -> &ServiceParts {
        &self.parts
    }
}

impl crate::elbv2::LoadBalancedService for Ec2Service {}
