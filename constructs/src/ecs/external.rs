//! ECS Anywhere: tasks on your own servers and virtual machines, registered
//! with a cluster as external instances through AWS Systems Manager.
//!
//! - [`ExternalCapacity`] creates the instance role the servers assume
//!   (trusting `ssm.amazonaws.com`, with the managed policies
//!   `AmazonSSMManagedInstanceCore` and `AmazonEC2ContainerServiceforEC2Role`)
//!   and writes, as stack outputs, what an operator runs to register a
//!   server: the role's name, the `aws ssm create-activation` call, and the
//!   install script invocation with the region and cluster filled in.
//! - [`ExternalTaskDefinition`] requires `EXTERNAL` compatibility and offers
//!   only the network modes external instances have: `bridge`, `host` and
//!   `none` (no `awsvpc`).
//! - [`ExternalService`] runs it with the `EXTERNAL` launch type. ECS Anywhere
//!   has no load balancer integration, no Cloud Map registration, no Service
//!   Connect, no capacity providers and no `awsvpc` networking, so the type
//!   offers none of them (the AWS CDK's `ExternalService` accepts them and
//!   throws); nor, as in the CDK, auto scaling of the task count.
//!
//! CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html),
//! [AWS::ECS::TaskDefinition](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html),
//! [AWS::IAM::Role](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html).
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ecs::{
//!     Cluster, Container, ContainerImage, ExternalCapacity, ExternalNetworkMode, ExternalService,
//!     ExternalTaskDefinition, PortMapping,
//! };
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Edge");
//! let cluster = Cluster::builder("Cluster").build(&mut stack)?;
//! let servers = ExternalCapacity::builder("Servers", &cluster).build(&mut stack)?;
//! let task = ExternalTaskDefinition::builder("Task", ExternalNetworkMode::Bridge)
//!     .container(
//!         Container::builder("web", ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"))
//!             .memory_limit_mib(256)
//!             .port(PortMapping::tcp(80).host_port(8080)),
//!     )
//!     .build(&mut stack)?;
//! // Host port 8080: one copy per server, so a deploy replaces tasks in place.
//! let service = ExternalService::builder("Web", &cluster, &task)
//!     .desired_count(2)
//!     .min_healthy_percent(50)
//!     .max_percent(100)
//!     .build(&mut stack)?;
//! # let _ = (servers, service);
//! # Ok(()) }
//! ```

use crate::cfn::ecs::service::LaunchType;
use crate::cfn::ecs::{CfnService, CfnTaskDefinitionRef};
use crate::ecs::ec2_service::{check_constraints, render_placement};
use crate::ecs::service_base::{
    Percents, ServiceCore, ServiceKind, ServiceParts, TaskNetwork, TaskView, scheduling,
    service_accessors,
};
use crate::ecs::{
    Cluster, ContainerBuilder, Ec2NetworkMode, Ec2TaskDefinition, Ec2TaskDefinitionBuilder,
    Ec2Volume, PlacementStrategy, PortMapping, ServicePlacementConstraint,
};
use crate::iam::{Principal, Role};
use crate::synth::{Expr, NodeId, Output, Pseudo, Value};
use crate::{Error, Result, Stack};

/// The Docker networking of an ECS Anywhere task: external instances have no
/// elastic network interfaces, so there is no `awsvpc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExternalNetworkMode {
    /// Docker's bridge: containers share the server's address through port
    /// mappings; an omitted host port is dynamic.
    Bridge,
    /// The server's network stack: the host port is the container port, one
    /// task per port per server.
    Host,
    /// No external networking: no port mappings.
    None,
}

impl ExternalNetworkMode {
    fn ec2(self) -> Ec2NetworkMode {
        match self {
            Self::Bridge => Ec2NetworkMode::Bridge,
            Self::Host => Ec2NetworkMode::Host,
            Self::None => Ec2NetworkMode::None,
        }
    }

    fn task_network(self) -> TaskNetwork {
        match self {
            Self::Bridge => TaskNetwork::Bridge,
            Self::Host => TaskNetwork::Host,
            Self::None => TaskNetwork::None,
        }
    }
}

/// A task definition for ECS Anywhere (`RequiresCompatibilities: EXTERNAL`).
/// Cheap to clone; children as an EC2 task definition's (`Resource`,
/// `TaskRole`, `ExecutionRole`), as in the AWS CDK.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalTaskDefinition {
    inner: Ec2TaskDefinition,
    network_mode: ExternalNetworkMode,
}

impl ExternalTaskDefinition {
    /// A builder for a task definition with construct id `id`.
    pub fn builder(
        id: impl Into<String>,
        network_mode: ExternalNetworkMode,
    ) -> ExternalTaskDefinitionBuilder {
        ExternalTaskDefinitionBuilder {
            inner: Ec2TaskDefinition::builder(id, network_mode.ec2()).external(),
            network_mode,
        }
    }

    /// The task definition's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.inner.node()
    }

    /// The `AWS::ECS::TaskDefinition` resource.
    #[must_use]
    pub fn resource(&self) -> CfnTaskDefinitionRef {
        self.inner.resource()
    }

    /// The task definition's ARN (`Ref`).
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.inner.arn()
    }

    /// The network mode.
    #[must_use]
    pub fn network_mode(&self) -> ExternalNetworkMode {
        self.network_mode
    }

    /// The role the containers' code runs as.
    #[must_use]
    pub fn task_role(&self) -> Role {
        self.inner.task_role()
    }

    /// The role ECS uses to start the task, if a container needed one.
    #[must_use]
    pub fn execution_role(&self) -> Option<Role> {
        self.inner.execution_role()
    }

    /// The container names, in order.
    #[must_use]
    pub fn container_names(&self) -> Vec<&str> {
        self.inner.container_names()
    }

    /// The first port of the first essential container that maps one.
    #[must_use]
    pub fn default_port(&self) -> Option<(&str, &PortMapping)> {
        self.inner.default_port()
    }
}

/// Builds an [`ExternalTaskDefinition`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ExternalTaskDefinitionBuilder {
    inner: Ec2TaskDefinitionBuilder,
    network_mode: ExternalNetworkMode,
}

impl ExternalTaskDefinitionBuilder {
    /// Adds a container; each needs a memory limit or reservation unless
    /// the task has task-level memory ([`memory_mib`](Self::memory_mib)), as
    /// on EC2.
    ///
    /// CloudFormation default: none (at least one is required).
    /// ecscdk default: none.
    pub fn container(mut self, container: ContainerBuilder) -> Self {
        self.inner = self.inner.container(container);
        self
    }

    /// The task's CPU units (1024 = 1 vCPU), 128 to 196608, as
    /// [`Ec2TaskDefinitionBuilder::cpu`].
    ///
    /// CloudFormation default: none (only the containers' reservations count).
    /// ecscdk default: omitted.
    pub fn cpu(mut self, units: u32) -> Self {
        self.inner = self.inner.cpu(units);
        self
    }

    /// The task's memory, MiB, as [`Ec2TaskDefinitionBuilder::memory_mib`]:
    /// with it, containers need no memory limit of their own.
    ///
    /// CloudFormation default: none (each container needs a memory limit or
    /// reservation).
    /// ecscdk default: omitted.
    pub fn memory_mib(mut self, mib: u32) -> Self {
        self.inner = self.inner.memory_mib(mib);
        self
    }

    /// Adds a volume the containers can mount (a path of the server, scratch
    /// space or a Docker volume).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn volume(mut self, volume: Ec2Volume) -> Self {
        self.inner = self.inner.volume(volume);
        self
    }

    /// Places tasks only on servers matching a cluster query language
    /// expression (`memberOf`), e.g. `attribute:site == factory-1` for a
    /// custom attribute set at registration.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn placement_constraint(mut self, member_of: impl Into<String>) -> Self {
        self.inner = self.inner.placement_constraint(member_of);
        self
    }

    /// The task definition family (name).
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: the CDK's: the unique id of the construct path
    /// including the stack.
    pub fn family(mut self, family: impl Into<String>) -> Self {
        self.inner = self.inner.family(family);
        self
    }

    /// The FireLens log router container.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: AWS for Fluent Bit, added only when a container uses
    /// FireLens.
    pub fn firelens_log_router(mut self, router: ContainerBuilder) -> Self {
        self.inner = self.inner.firelens_log_router(router);
        self
    }

    /// Adds the task definition directly under the stack.
    ///
    /// # Errors
    /// As [`Ec2TaskDefinitionBuilder::build`]: no container, a container
    /// without memory, a host port the network mode does not allow, and the
    /// other task and container checks.
    pub fn build(self, stack: &mut Stack) -> Result<ExternalTaskDefinition> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the task definition under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<ExternalTaskDefinition> {
        Ok(ExternalTaskDefinition {
            inner: self.inner.build_in(stack, parent)?,
            network_mode: self.network_mode,
        })
    }
}

/// A service on ECS Anywhere servers (launch type `EXTERNAL`). Cheap to
/// clone; its `AWS::ECS::Service` is the child `Service`, as in the AWS CDK.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalService {
    parts: ServiceParts,
}

impl ExternalService {
    /// A builder for a service of `task` in `cluster`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        task: &ExternalTaskDefinition,
    ) -> ExternalServiceBuilder {
        ExternalServiceBuilder {
            core: ServiceCore::new(id.into(), cluster.clone()),
            task: task.clone(),
            daemon: false,
            placement_strategies: Vec::new(),
            placement_constraints: Vec::new(),
        }
    }

    service_accessors!();
}

/// Builds an [`ExternalService`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ExternalServiceBuilder {
    core: ServiceCore,
    task: ExternalTaskDefinition,
    daemon: bool,
    placement_strategies: Vec<PlacementStrategy>,
    placement_constraints: Vec<ServicePlacementConstraint>,
}

impl ExternalServiceBuilder {
    /// How many tasks to run (replica services only).
    ///
    /// CloudFormation default: 1 on create.
    /// ecscdk default: omitted, so a redeploy never resets the count.
    pub fn desired_count(mut self, count: u32) -> Self {
        self.core.desired_count = Some(count);
        self
    }

    /// One task on every registered server (`DAEMON` scheduling): agents,
    /// log shippers, node exporters.
    ///
    /// CloudFormation default: `REPLICA`.
    /// ecscdk default: `REPLICA`.
    pub fn daemon(mut self) -> Self {
        self.daemon = true;
        self
    }

    /// The share of the desired count that must stay running during a
    /// deployment, percent. A task with fixed host ports on servers without
    /// room for a second copy can only be replaced in place: lower this (or
    /// the maximum to 100) for such services; `build()` asks for both
    /// percentages when a replica service's task holds a fixed host port.
    ///
    /// CloudFormation default: 100 (replica), 0 (daemon).
    /// ecscdk default: 100 for replicas (the AWS CDK uses 0 and warns), 0 for
    /// daemons.
    pub fn min_healthy_percent(mut self, percent: u32) -> Self {
        self.core.min_healthy_percent = Some(percent);
        self
    }

    /// How far above the desired count a deployment may go, percent.
    ///
    /// CloudFormation default: 200 (replica), 100 (daemon).
    /// ecscdk default: 200 for replicas (the AWS CDK uses 100), 100 for
    /// daemons.
    pub fn max_percent(mut self, percent: u32) -> Self {
        self.core.max_percent = Some(percent);
        self
    }

    crate::ecs::service_base::deployment_setters!();

    /// Adds a placement strategy (applied in order), e.g.
    /// [`PlacementStrategy::spread_across_instances`]; external instances
    /// have no Availability Zone attribute to spread over.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn placement_strategy(mut self, strategy: PlacementStrategy) -> Self {
        self.placement_strategies.push(strategy);
        self
    }

    /// Adds a placement constraint, e.g. a `memberOf` expression over a
    /// custom attribute the servers were registered with
    /// (`attribute:site == factory-1`).
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
    /// [`Error::Conflict`] for a daemon with a desired count or a placement
    /// strategy; [`Error::InvalidProperty`] for a replica service whose
    /// task holds a fixed host port, left with the default percentages (its
    /// rolling deploys would wait for a server with the port free); [`Error::Unsupported`] for ECS Exec with a read-only root
    /// filesystem, subnets or security groups (the tasks use their server's
    /// network), or Cloud Map in network mode `none`;
    /// [`Error::InvalidProperty`] for deployment percentages ECS rejects or a
    /// `memberOf` expression that does not parse.
    pub fn build(self, stack: &mut Stack) -> Result<ExternalService> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the service under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<ExternalService> {
        let node = stack.scope_of_type(parent, &self.core.id, "ecscdk.ecs.ExternalService")?;
        self.check(stack, node)?;
        self.check_rollout(stack, node)?;
        let task = TaskView {
            arn: self.task.arn(),
            task_role: self.task.task_role(),
            containers: self.task.inner.containers(),
            network: self.task.network_mode.task_network(),
            memory_mib: self.task.inner.memory_mib(),
            kind: ServiceKind::External,
        };
        let percents = Percents::of(self.daemon);
        self.core.check(stack, node, &task, percents)?;
        let (placement_strategies, placement_constraints) =
            render_placement(&self.placement_strategies, &self.placement_constraints);
        let specific = CfnService {
            launch_type: Some(Value::Lit(LaunchType::External)),
            placement_constraints,
            placement_strategies,
            scheduling_strategy: scheduling(self.daemon),
            ..CfnService::default()
        };
        let parts = self.core.build(stack, node, &task, percents, specific)?;
        // No load balancers on ECS Anywhere: no `LoadBalancers` list at all.
        stack
            .properties_mut::<CfnService>(parts.resource)?
            .load_balancers = None;
        Ok(ExternalService { parts })
    }
}

impl ExternalServiceBuilder {
    /// The checks of scheduling and placement.
    fn check(&self, stack: &Stack, node: NodeId) -> Result<()> {
        let path = stack.path(node);
        if self.daemon && self.core.desired_count.is_some() {
            return Err(Error::Conflict {
                path,
                first: "daemon",
                second: "desired_count",
                fix: "a daemon service runs one task per server; drop the desired count",
            });
        }
        if self.daemon && !self.placement_strategies.is_empty() {
            return Err(Error::Conflict {
                path,
                first: "daemon",
                second: "placement_strategy",
                fix: "a daemon places one task on every server; drop the placement strategy",
            });
        }
        check_constraints(stack, node, &self.placement_constraints)
    }

    /// A replica service whose task holds a fixed host port runs one copy
    /// per server; with the default 100 %/200 % a rolling deploy starts each
    /// new task before stopping an old one, so it waits for a server with
    /// the port free, which an ECS Anywhere fleet rarely keeps: the deploy
    /// stalls and rolls back. The percentages must then be chosen.
    fn check_rollout(&self, stack: &Stack, node: NodeId) -> Result<()> {
        if self.daemon || self.core.min_healthy_percent.is_some() || self.core.max_percent.is_some()
        {
            return Ok(());
        }
        let host = self.task.network_mode == ExternalNetworkMode::Host;
        let fixed = self
            .task
            .inner
            .containers()
            .iter()
            .flat_map(|c| &c.ports)
            .find_map(|p| {
                if host {
                    Some(p.container_port)
                } else {
                    p.host_port.filter(|h| *h != 0)
                }
            });
        let Some(port) = fixed else {
            return Ok(());
        };
        Err(Error::InvalidProperty {
            path: stack.path(node),
            property: "min_healthy_percent".to_owned(),
            reason: format!(
                "the task holds host port {port}, so a server runs one copy, and with the default 100%/200% each rolling deploy waits for a server with the port free and stalls where none is spare; replace tasks in place with `.min_healthy_percent(50).max_percent(100)` (or 0 for a single task), or give both percentages if you keep spare servers"
            ),
        })
    }
}

/// The install script ECS Anywhere's console generates a call to.
const INSTALL_SCRIPT_URL: &str =
    "https://amazon-ecs-agent.s3.amazonaws.com/ecs-anywhere-install-latest.sh";

/// What servers need to join a cluster through ECS Anywhere: the instance
/// role Systems Manager gives them (child `InstanceRole`), and, as stack
/// outputs, the role's name (`InstanceRoleName`), the activation call
/// (`ActivationCommand`) and the registration command (`RegistrationCommand`)
/// an operator runs as root on each server, with the region and cluster
/// filled in and `<ACTIVATION_ID>` / `<ACTIVATION_CODE>` to replace with the
/// activation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExternalCapacity {
    node: NodeId,
    role: Role,
}

impl ExternalCapacity {
    /// A builder for the external capacity of `cluster`.
    pub fn builder(id: impl Into<String>, cluster: &Cluster) -> ExternalCapacityBuilder {
        ExternalCapacityBuilder {
            id: id.into(),
            cluster: cluster.clone(),
            outputs: true,
        }
    }

    /// The construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The instance role the registered servers assume (give it to
    /// `aws ssm create-activation --iam-role`).
    #[must_use]
    pub fn instance_role(self) -> Role {
        self.role
    }
}

/// Builds an [`ExternalCapacity`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ExternalCapacityBuilder {
    id: String,
    cluster: Cluster,
    outputs: bool,
}

impl ExternalCapacityBuilder {
    /// Leaves out the stack outputs (the role name, the activation and
    /// registration commands), e.g. when another tool registers servers.
    ///
    /// CloudFormation default: no outputs.
    /// ecscdk default: the three outputs.
    pub fn without_outputs(mut self) -> Self {
        self.outputs = false;
        self
    }

    /// Adds the capacity directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidId`](crate::Error::InvalidId) or
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) for a bad or taken
    /// id.
    pub fn build(self, stack: &mut Stack) -> Result<ExternalCapacity> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the capacity under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<ExternalCapacity> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ecs.ExternalCapacity")?;
        let role = Role::builder("InstanceRole", Principal::service("ssm.amazonaws.com"))
            .description("ECS Anywhere instance role: Systems Manager and the ECS agent on registered servers")
            .managed_policy("AmazonSSMManagedInstanceCore")
            .managed_policy("service-role/AmazonEC2ContainerServiceforEC2Role")
            .build_in(stack, node)?;
        if self.outputs {
            stack.output_in(
                node,
                "InstanceRoleName",
                Output::new(role.name()).description(
                    "ECS Anywhere instance role: pass it to `aws ssm create-activation --iam-role`",
                ),
            )?;
            let activation = Expr::join(
                "",
                [
                    Value::from("aws ssm create-activation --iam-role \""),
                    role.name().into(),
                    Value::from("\" --registration-limit 1 --region \""),
                    Pseudo::region().into(),
                    Value::from("\""),
                ],
            );
            stack.output_in(
                node,
                "ActivationCommand",
                Output::new(activation).description(
                    "Creates a Systems Manager activation for one server (raise --registration-limit for more); its ActivationId and ActivationCode go into RegistrationCommand",
                ),
            )?;
            let registration = Expr::join(
                "",
                [
                    Value::from(format!(
                        "curl --proto \"https\" -o \"/tmp/ecs-anywhere-install.sh\" \"{INSTALL_SCRIPT_URL}\" && bash /tmp/ecs-anywhere-install.sh --region \""
                    )),
                    Pseudo::region().into(),
                    Value::from("\" --cluster \""),
                    self.cluster.name(),
                    Value::from(
                        "\" --activation-id \"<ACTIVATION_ID>\" --activation-code \"<ACTIVATION_CODE>\"",
                    ),
                ],
            );
            stack.output_in(
                node,
                "RegistrationCommand",
                Output::new(registration).description(
                    "Run as root on each server, with the activation's id and code, to install the SSM and ECS agents and register the server with the cluster",
                ),
            )?;
        }
        Ok(ExternalCapacity { node, role })
    }
}
