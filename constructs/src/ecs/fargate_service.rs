//! `FargateService`: keeps a number of tasks of a Fargate task definition
//! running, rolls out new revisions safely and registers tasks with load
//! balancers.
//!
//! CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html).
//!
//! Replacement trap: changing between a launch type and a capacity provider
//! strategy replaces the service (CloudFormation's
//! `conditionalCreateOnlyProperties`); so do `ServiceName`, `LaunchType` and
//! the load balancer's container name and port.

use crate::cfn::ecs::CfnService;
use crate::cfn::ecs::service::LaunchType;
use crate::ec2::{Connectable, Connections, SubnetLocation};
use crate::ecs::capacity::StrategyItem;
use crate::ecs::service_base::{
    Percents, ServiceCore, ServiceKind, ServiceParts, TaskNetwork, TaskView, deployment_setters,
    network_setters, render_strategy, replica_setters, service_accessors,
};
use crate::ecs::{Cluster, FargateCapacity, FargateTaskDefinition, ServiceScaling};
use crate::synth::{ConstructPath, NodeId, Value};
use crate::{Error, Result, Stack};

/// The Fargate platform version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PlatformVersion {
    /// `LATEST`.
    #[default]
    Latest,
    /// `1.4.0`.
    V1_4_0,
    /// Another version string.
    Other(String),
}

/// A Fargate service. Cheap to clone; its `AWS::ECS::Service` is the child
/// `Service`, as in the AWS CDK.
#[derive(Debug, Clone, PartialEq)]
pub struct FargateService {
    parts: ServiceParts,
}

impl FargateService {
    /// A builder for a service of `task` in `cluster`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        task: &FargateTaskDefinition,
    ) -> FargateServiceBuilder {
        FargateServiceBuilder {
            core: ServiceCore::new(id.into(), cluster.clone()),
            task: task.clone(),
            strategy: Vec::new(),
            platform_version: None,
        }
    }

    service_accessors!();

    /// Scales the service's task count between `capacity`'s bounds: creates
    /// the scalable target `TaskCount/Target` (as the CDK's
    /// `autoScaleTaskCount`), to which scaling policies are then added.
    ///
    /// ```
    /// # use ecscdk::prelude::*;
    /// # use ecscdk::ecs::*;
    /// # fn main() -> ecscdk::Result<()> {
    /// # let mut stack = Stack::new("S");
    /// # let cluster = Cluster::builder("C").build(&mut stack)?;
    /// # let task = FargateTaskDefinition::builder("T").container(Container::builder("a", ContainerImage::registry("a:1"))).build(&mut stack)?;
    /// # let service = FargateService::builder("Svc", &cluster, &task).subnet_ids(["s"]).security_group_ids(["g"]).build(&mut stack)?;
    /// service.auto_scale(&mut stack, 2..=10)?.on_cpu(70.0)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] when the minimum is above the maximum,
    /// the maximum is 0, or the service's desired count lies outside the
    /// range; [`Error::DuplicateId`] when the service already scales.
    pub fn auto_scale<'a>(
        &self,
        stack: &'a mut Stack,
        capacity: std::ops::RangeInclusive<u32>,
    ) -> Result<ServiceScaling<'a>> {
        self.parts.auto_scale(stack, capacity)
    }
}

/// The service's security groups, with the default container port as the
/// connections' default port: `service.connections().allow_from(&mut stack,
/// &lb, port, ..)`.
impl Connectable for FargateService {
    fn connections(&self) -> Connections {
        self.parts.connections()
    }
}

/// Builds a [`FargateService`].
#[derive(Debug, Clone)]
#[must_use]
pub struct FargateServiceBuilder {
    core: ServiceCore,
    task: FargateTaskDefinition,
    strategy: Vec<FargateCapacity>,
    platform_version: Option<PlatformVersion>,
}

impl FargateServiceBuilder {
    replica_setters!();
    deployment_setters!();
    network_setters!();

    /// Runs the tasks on `FARGATE` / `FARGATE_SPOT` by this strategy instead
    /// of the `FARGATE` launch type; the cluster needs the Fargate capacity
    /// providers. Switching between the two replaces the service.
    ///
    /// CloudFormation default: the cluster's default strategy, or the launch
    /// type.
    /// ecscdk default: the `FARGATE` launch type.
    pub fn capacity_provider_strategy(
        mut self,
        strategy: impl IntoIterator<Item = FargateCapacity>,
    ) -> Self {
        self.strategy = strategy.into_iter().collect();
        self
    }

    /// The Fargate platform version.
    ///
    /// CloudFormation default: `LATEST`.
    /// ecscdk default: omitted (`LATEST`).
    pub fn platform_version(mut self, version: PlatformVersion) -> Self {
        self.platform_version = Some(version);
        self
    }

    /// Gives each task a public IP (needed in public subnets without NAT).
    ///
    /// CloudFormation default: `DISABLED`.
    /// ecscdk default: `DISABLED`.
    pub fn assign_public_ip(mut self, assign: bool) -> Self {
        self.core.assign_public_ip = assign;
        self
    }

    /// Adds the service directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a minimum healthy percent above the
    /// maximum or above 100, a load-balancer target naming an unknown
    /// container or port, an invalid capacity provider strategy, Cloud
    /// Map SRV records without a container port, a subnet selection that
    /// picks a subnet in a Local Zone, a Wavelength Zone or on an Outpost
    /// (Fargate runs in none of them), or Service Connect with containers'
    /// memory limits that leave its proxy no room in the task's memory;
    /// [`Error::Unsupported`] for a health check grace period without a load
    /// balancer, a capacity provider strategy on a cluster without the
    /// Fargate capacity providers, or ECS Exec with a container whose root
    /// filesystem is read-only and that mounts no writable volume;
    /// [`Error::Conflict`] for Service Connect, or a container's restart
    /// policy or system controls, on a platform version before 1.4.0, or a
    /// container's start timeout on one before 1.3.0;
    /// [`Error::Missing`] without subnets or security groups, a Cloud Map
    /// or Service Connect namespace, a Service Connect log group for access
    /// logs, or an execution role to ship the proxy's logs.
    pub fn build(self, stack: &mut Stack) -> Result<FargateService> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the service under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(mut self, stack: &mut Stack, parent: NodeId) -> Result<FargateService> {
        let node = stack.scope_of_type(parent, &self.core.id, "ecscdk.ecs.FargateService")?;
        self.core.execution_role = self.task.execution_role();
        let task = TaskView {
            arn: self.task.arn(),
            task_role: self.task.task_role(),
            containers: self.task.containers(),
            network: TaskNetwork::AwsVpc,
            memory_mib: Some(self.task.size().memory_mib()),
            kind: ServiceKind::Fargate,
        };
        self.core.check(stack, node, &task, Percents::REPLICA)?;
        self.check(stack, node)?;
        self.check_runtime_monitoring(stack, node)?;
        let strategy: Vec<StrategyItem> = self.strategy.iter().map(|i| i.item()).collect();
        let launch_type = strategy
            .is_empty()
            .then_some(Value::Lit(LaunchType::Fargate));
        let specific = CfnService {
            capacity_provider_strategy: render_strategy(&strategy),
            launch_type,
            platform_version: self.platform_version.map(|v| {
                Value::Lit(match v {
                    PlatformVersion::Latest => "LATEST".to_owned(),
                    PlatformVersion::V1_4_0 => "1.4.0".to_owned(),
                    PlatformVersion::Other(s) => s,
                })
            }),
            ..CfnService::default()
        };
        let parts = self
            .core
            .build(stack, node, &task, Percents::REPLICA, specific)?;
        Ok(FargateService { parts })
    }

    /// What GuardDuty's agent needs in a monitored cluster (tagged
    /// `GuardDutyManaged=true`): an execution role, which may then pull the
    /// agent's image; Linux; platform 1.4.0 or later. Without them the
    /// tasks run, silently unwatched.
    fn check_runtime_monitoring(&self, stack: &mut Stack, node: NodeId) -> Result<()> {
        if self.core.cluster.runtime_monitoring() != Some(true) {
            return Ok(());
        }
        let path = stack.path(node);
        if self.task.is_windows() {
            return Err(Error::Unsupported {
                path,
                setting: "runtime_monitoring",
                situation: "with Windows tasks",
                fix: "GuardDuty Runtime Monitoring runs on Linux Fargate tasks only; run the service in a cluster without `runtime_monitoring(true)`, or on Linux",
            });
        }
        if let Some(PlatformVersion::Other(version)) = &self.platform_version
            && before(version, (1, 4))
        {
            return Err(Error::Conflict {
                path,
                first: "runtime_monitoring",
                second: "platform_version",
                fix: "GuardDuty's agent needs Fargate platform 1.4.0 or later; use `PlatformVersion::Latest` or `V1_4_0`",
            });
        }
        if let Some(vpc) = self.core.cluster.vpc()
            && !vpc.private_dns()
        {
            return Err(Error::Unsupported {
                path,
                setting: "runtime_monitoring",
                situation: "in a VPC without DNS support and host names",
                fix: "the agent reports through GuardDuty's `guardduty-data` endpoint, whose private DNS name needs both: build the VPC with `enable_dns_support(true)` and `enable_dns_hostnames(true)` (the defaults)",
            });
        }
        let Some(role) = self.task.execution_role() else {
            return Err(Error::Missing {
                path,
                what: "task execution role",
                fix: "GuardDuty adds its agent to Fargate tasks only with an execution role, which pulls the agent's image and which the agent reports as; give a container `LogDriver::aws_logs(..)` (which creates the role) or an ECR image",
            });
        };
        for statement in crate::guardduty::agent_pull_statements() {
            role.add_to_policy(stack, statement)?;
        }
        Ok(())
    }

    /// The Fargate-only checks.
    fn check(&self, stack: &Stack, node: NodeId) -> Result<()> {
        if let Some(selected) = self.core.selected_subnets()?
            && let Some(edge) = selected.edge_subnet()
        {
            let place = match edge.location() {
                SubnetLocation::LocalZone(zone) => format!("in the Local Zone {zone}"),
                SubnetLocation::WavelengthZone(zone) => format!("in the Wavelength Zone {zone}"),
                SubnetLocation::Outpost {
                    availability_zone, ..
                } => format!("on an Outpost in {availability_zone}"),
                SubnetLocation::AvailabilityZone => "outside the Region's zones".to_owned(),
            };
            return Err(Error::InvalidProperty {
                path: stack.path(node),
                property: "vpc_subnets".to_owned(),
                reason: format!(
                    "subnet group {:?} is {place}, where AWS Fargate does not run; select subnets of the Region's Availability Zones (the default selection keeps to them), or run the tasks there on EC2 capacity with an Ec2Service",
                    edge.group_name()
                ),
            });
        }
        if self.core.service_connect.is_some()
            && let Some(PlatformVersion::Other(version)) = &self.platform_version
            && before(version, (1, 4))
        {
            return Err(Error::Conflict {
                path: stack.path(node),
                first: "service_connect",
                second: "platform_version",
                fix: "Service Connect needs Fargate platform 1.4.0 or later; use `PlatformVersion::Latest` or `V1_4_0`",
            });
        }
        check_platform_version(
            &self.task,
            self.platform_version.as_ref(),
            &stack.path(node),
        )?;
        if !self.strategy.is_empty() {
            crate::ecs::capacity::check_strategy(
                stack,
                node,
                "capacity_provider_strategy",
                &self.strategy.iter().map(|i| i.item()).collect::<Vec<_>>(),
            )?;
            if !self.core.cluster.has_fargate_capacity_providers() {
                return Err(Error::Unsupported {
                    path: stack.path(node),
                    setting: "capacity_provider_strategy",
                    situation: "on a cluster without Fargate capacity providers",
                    fix: if self.core.cluster.node().is_some() {
                        "call `.fargate_capacity_providers()` on the cluster's builder"
                    } else {
                        "the imported cluster was declared without them: associate FARGATE and FARGATE_SPOT where the cluster is defined and drop `.fargate_capacity_providers(false)`, or use the FARGATE launch type"
                    },
                });
            }
        }
        Ok(())
    }
}

/// Checks that the platform `version` runs what the containers of `task`
/// use: a restart policy and system controls need Linux platform 1.4.0 or
/// later, a start timeout 1.3.0 or later (ECS API reference,
/// `ContainerDefinition`). Windows tasks, whose platforms are numbered from
/// 1.0.0 and which refuse the first two anyway, are left alone.
pub(crate) fn check_platform_version(
    task: &FargateTaskDefinition,
    version: Option<&PlatformVersion>,
    path: &ConstructPath,
) -> Result<()> {
    let Some(PlatformVersion::Other(version)) = version else {
        return Ok(());
    };
    if task.is_windows() {
        return Ok(());
    }
    let too_old = task.containers().iter().find_map(|c| {
        c.fargate_platform_floor
            .filter(|floor| before(version, floor.version))
    });
    let Some(floor) = too_old else {
        return Ok(());
    };
    Err(Error::Conflict {
        path: path.clone(),
        first: floor.setting,
        second: "platform_version",
        fix: floor.fix,
    })
}

/// Whether a Linux Fargate platform version such as `1.3.0` is older than
/// `floor` (major, minor); unparsable versions are left to ECS.
fn before(version: &str, floor: (u32, u32)) -> bool {
    let mut parts = version.split('.').map(str::parse::<u32>);
    match (parts.next(), parts.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => (major, minor) < floor,
        _ => false,
    }
}

impl crate::elbv2::sealed::Sealed for FargateService {
    fn service_parts(&self) -> &ServiceParts {
        &self.parts
    }
}

impl crate::elbv2::LoadBalancedService for FargateService {}
