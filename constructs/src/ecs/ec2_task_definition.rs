//! `Ec2TaskDefinition`: a task definition for container instances of an
//! Auto Scaling group (or, with [`Ec2TaskDefinitionBuilder::external`], for
//! ECS Anywhere servers), with its network mode, per-container memory,
//! placement constraints, volumes (scratch, host paths, Docker volumes, EFS
//! and FSx for Windows File Server) and runtime platform (Linux or Windows,
//! x86-64 or ARM64).
//!
//! CloudFormation: [AWS::ECS::TaskDefinition](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html).
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ecs::{Container, ContainerImage, Ec2NetworkMode, Ec2TaskDefinition, PortMapping};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("S");
//! let task = Ec2TaskDefinition::builder("Task", Ec2NetworkMode::Bridge)
//!     .container(
//!         Container::builder("web", ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"))
//!             .memory_limit_mib(512)
//!             .port(PortMapping::tcp(80)),
//!     )
//!     .build(&mut stack)?;
//! assert_eq!(task.network_mode(), Ec2NetworkMode::Bridge);
//! # Ok(()) }
//! ```

use std::sync::Arc;

use crate::cfn::ecs::task_definition::{
    CpuArchitecture as CfnCpuArchitecture, DockerVolumeConfiguration, HostVolumeProperties,
    NetworkMode, RequiresCompatibilities, RuntimePlatform, Scope,
    TaskDefinitionPlacementConstraint, TaskDefinitionPlacementConstraintType, Volume as CfnVolume,
};
use crate::cfn::ecs::{CfnTaskDefinition, CfnTaskDefinitionRef};
use crate::ecs::container::TaskTraits;
use crate::ecs::task_definition_base::{
    ContainerInfo, LoweredTask, check_container_memory, default_family, lower_containers_with,
    task_definition_accessors, unique_container_names, writable_mounts,
};
use crate::ecs::{ContainerBuilder, CpuArchitecture, EfsVolume, FsxWindowsVolume, OperatingSystem};
use crate::iam::Role;
use crate::synth::{NodeId, Value};
use crate::{Error, Result, Stack};

/// The Docker networking of an EC2 task's containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ec2NetworkMode {
    /// Docker's bridge: containers share the instance's IP through port
    /// mappings; an omitted host port is dynamic (load balancers register
    /// `instance` targets on the ephemeral port).
    Bridge,
    /// The instance's network stack: the host port is the container port,
    /// one task per port per instance.
    Host,
    /// Each task gets its own elastic network interface (`ip` load-balancer
    /// targets; the host port is the container port).
    AwsVpc,
    /// No external networking: no port mappings.
    None,
    /// Windows containers' default network (Docker's `nat` driver), written
    /// as no `NetworkMode` at all, which is how ECS selects it; an omitted
    /// host port is dynamic, as in bridge mode. Windows tasks only.
    Nat,
}

impl Ec2NetworkMode {
    fn cfn(self) -> Option<NetworkMode> {
        Some(match self {
            Self::Bridge => NetworkMode::Bridge,
            Self::Host => NetworkMode::Host,
            Self::AwsVpc => NetworkMode::Awsvpc,
            Self::None => NetworkMode::None,
            Self::Nat => return None,
        })
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Bridge => "bridge",
            Self::Host => "host",
            Self::AwsVpc => "awsvpc",
            Self::None => "none",
            Self::Nat => "nat (default)",
        }
    }
}

/// Where a Docker volume lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DockerVolumeScope {
    /// Created with the task and removed when it stops.
    Task,
    /// Kept after the task stops, shared by tasks on the instance.
    Shared,
}

/// A volume of an EC2 task definition.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Ec2Volume {
    /// Scratch space managed by Docker, emptied when the task stops.
    Scratch {
        /// The volume's name, used by mounts.
        name: String,
    },
    /// A path of the container instance (a bind mount).
    HostPath {
        /// The volume's name.
        name: String,
        /// The absolute path on the instance.
        source_path: String,
    },
    /// A Docker volume.
    Docker {
        /// The volume's name.
        name: String,
        /// Task or shared.
        scope: DockerVolumeScope,
        /// The volume driver (`local` unless given).
        driver: Option<String>,
        /// Create a shared volume that does not exist yet.
        autoprovision: bool,
    },
    /// An Amazon EFS file system (Linux tasks).
    Efs(EfsVolume),
    /// An Amazon FSx for Windows File Server file system (Windows tasks).
    FsxWindows(FsxWindowsVolume),
}

impl From<EfsVolume> for Ec2Volume {
    fn from(volume: EfsVolume) -> Self {
        Self::Efs(volume)
    }
}

impl From<FsxWindowsVolume> for Ec2Volume {
    fn from(volume: FsxWindowsVolume) -> Self {
        Self::FsxWindows(volume)
    }
}

impl Ec2Volume {
    /// Docker-managed scratch space named `name`, emptied when the task
    /// stops.
    pub fn scratch(name: impl Into<String>) -> Self {
        Self::Scratch { name: name.into() }
    }

    /// A path of the instance mounted as volume `name`.
    pub fn host_path(name: impl Into<String>, source_path: impl Into<String>) -> Self {
        Self::HostPath {
            name: name.into(),
            source_path: source_path.into(),
        }
    }

    /// A task-scoped Docker volume of the `local` driver.
    pub fn docker(name: impl Into<String>, scope: DockerVolumeScope) -> Self {
        Self::Docker {
            name: name.into(),
            scope,
            driver: None,
            autoprovision: false,
        }
    }

    /// An Amazon EFS file system volume.
    pub fn efs(volume: EfsVolume) -> Self {
        Self::Efs(volume)
    }

    /// An Amazon FSx for Windows File Server volume.
    pub fn fsx_windows(volume: FsxWindowsVolume) -> Self {
        Self::FsxWindows(volume)
    }

    fn name(&self) -> &str {
        match self {
            Self::Scratch { name } | Self::HostPath { name, .. } | Self::Docker { name, .. } => {
                name
            }
            Self::Efs(efs) => &efs.name,
            Self::FsxWindows(fsx) => &fsx.name,
        }
    }
}

/// Checks a cluster query language expression well enough to catch typos
/// before a deploy: balanced parentheses and quotes, an operator, and no
/// empty operand.
pub(crate) fn check_member_of(expression: &str) -> std::result::Result<(), String> {
    let e = expression.trim();
    if e.is_empty() {
        return Err("the expression is empty; e.g. `attribute:ecs.instance-type =~ t3.*`".into());
    }
    if e.len() > 2000 {
        return Err(format!(
            "the expression has {} characters; ECS accepts 2000",
            e.len()
        ));
    }
    let mut depth = 0i32;
    let mut quote = false;
    for ch in e.chars() {
        match ch {
            '\'' | '"' => quote = !quote,
            '(' if !quote => depth += 1,
            ')' if !quote => {
                depth -= 1;
                if depth < 0 {
                    return Err("a `)` closes nothing".into());
                }
            }
            _ => {}
        }
    }
    if depth != 0 || quote {
        return Err("unbalanced parentheses or quotes".into());
    }
    let operators = [
        "==", "!=", ">=", "<=", ">", "<", "=~", "!~", " exists", " in ", " not_in ",
    ];
    if !operators.iter().any(|op| e.contains(op)) {
        return Err(format!(
            "no operator in {e:?}; compare an attribute, e.g. `attribute:ecs.availability-zone in [us-east-1a, us-east-1b]`"
        ));
    }
    for op in ["==", "!=", "=~", "!~"] {
        if let Some(pos) = e.find(op) {
            let (left, right) = (&e[..pos], &e[pos + op.len()..]);
            if left.trim().is_empty() || right.trim().is_empty() {
                return Err(format!("`{op}` needs an operand on both sides"));
            }
        }
    }
    Ok(())
}

/// An EC2 task definition. Cheap to clone; children as in the CDK
/// (`Resource`, `TaskRole`, `ExecutionRole`, one per container).
#[derive(Debug, Clone, PartialEq)]
pub struct Ec2TaskDefinition {
    node: NodeId,
    resource: CfnTaskDefinitionRef,
    task_role: Role,
    execution_role: Option<Role>,
    network_mode: Ec2NetworkMode,
    gpus: u32,
    external: bool,
    os: OperatingSystem,
    arch: CpuArchitecture,
    platform_set: bool,
    cpu: Option<u32>,
    memory_mib: Option<u32>,
    containers: Arc<[ContainerInfo]>,
}

impl Ec2TaskDefinition {
    /// A builder for a task definition with construct id `id`.
    pub fn builder(
        id: impl Into<String>,
        network_mode: Ec2NetworkMode,
    ) -> Ec2TaskDefinitionBuilder {
        Ec2TaskDefinitionBuilder {
            id: id.into(),
            network_mode,
            containers: Vec::new(),
            volumes: Vec::new(),
            constraints: Vec::new(),
            family: None,
            log_router: None,
            external: false,
            os: OperatingSystem::Linux,
            arch: CpuArchitecture::X86_64,
            platform_set: false,
            cpu: None,
            memory_mib: None,
        }
    }

    task_definition_accessors!();

    /// The network mode.
    #[must_use]
    pub fn network_mode(&self) -> Ec2NetworkMode {
        self.network_mode
    }

    /// The GPUs the task's containers reserve in total.
    #[must_use]
    pub fn gpu_count(&self) -> u32 {
        self.gpus
    }

    /// Whether the task definition is for ECS Anywhere (`EXTERNAL`).
    #[must_use]
    pub fn is_external(&self) -> bool {
        self.external
    }

    /// The operating system the task runs on.
    #[must_use]
    pub fn operating_system(&self) -> OperatingSystem {
        self.os
    }

    /// The CPU architecture the task runs on.
    #[must_use]
    pub fn cpu_architecture(&self) -> CpuArchitecture {
        self.arch
    }

    /// The operating system and architecture the task declares
    /// ([`Ec2TaskDefinitionBuilder::runtime_platform`]), if it declares them.
    #[must_use]
    pub fn runtime_platform(&self) -> Option<(OperatingSystem, CpuArchitecture)> {
        self.platform_set.then_some((self.os, self.arch))
    }

    /// The task-level CPU units ([`Ec2TaskDefinitionBuilder::cpu`]), if set.
    #[must_use]
    pub fn cpu(&self) -> Option<u32> {
        self.cpu
    }

    /// The task-level memory, MiB ([`Ec2TaskDefinitionBuilder::memory_mib`]),
    /// if set.
    #[must_use]
    pub fn memory_mib(&self) -> Option<u32> {
        self.memory_mib
    }
}

/// Builds an [`Ec2TaskDefinition`].
///
/// Inference accelerators (`InferenceAccelerators`, Amazon Elastic
/// Inference) are not offered: AWS retired Elastic Inference in April 2024
/// and no longer attaches accelerators (the AWS CDK deprecated its
/// `inferenceAccelerators` in aws-cdk#33248 for that reason). For inference
/// use GPU instances (`AmiHardware::Gpu` with `gpu_count`) or AWS
/// Inferentia (`AmiHardware::Neuron`).
#[derive(Debug, Clone)]
#[must_use]
pub struct Ec2TaskDefinitionBuilder {
    id: String,
    network_mode: Ec2NetworkMode,
    containers: Vec<ContainerBuilder>,
    volumes: Vec<Ec2Volume>,
    constraints: Vec<String>,
    family: Option<String>,
    log_router: Option<ContainerBuilder>,
    external: bool,
    os: OperatingSystem,
    arch: CpuArchitecture,
    platform_set: bool,
    cpu: Option<u32>,
    memory_mib: Option<u32>,
}

/// The task-level CPU units ECS accepts for tasks on EC2 instances and
/// external servers: 0.125 to 192 vCPUs.
const EC2_TASK_CPU: std::ops::RangeInclusive<u32> = 128..=196_608;

impl Ec2TaskDefinitionBuilder {
    /// The task's CPU units (1024 = 1 vCPU), 128 to 196608: a hard limit the
    /// task's containers share, which ECS also reserves on an instance when
    /// it places the task. The containers' own `cpu_units` must fit in it.
    /// Linux tasks only (ECS ignores task-level CPU for Windows containers).
    ///
    /// CloudFormation default: none (only the containers' reservations count).
    /// ecscdk default: omitted.
    pub fn cpu(mut self, units: u32) -> Self {
        self.cpu = Some(units);
        self
    }

    /// The task's memory, MiB: a hard limit the task's containers share,
    /// which ECS also reserves on an instance when it places the task. With
    /// it, containers need no memory limit or reservation of their own; those
    /// they have must fit in it (each limit, and the sum of the
    /// reservations). Service Connect requires it, with room for its proxy
    /// beyond the containers' limits. Linux tasks only (ECS ignores
    /// task-level memory for Windows containers).
    ///
    /// CloudFormation default: none (each container needs a memory limit or
    /// reservation).
    /// ecscdk default: omitted.
    pub fn memory_mib(mut self, mib: u32) -> Self {
        self.memory_mib = Some(mib);
        self
    }

    /// Operating system and CPU architecture of the container instances the
    /// task needs. Windows tasks use the default NAT network
    /// ([`Ec2NetworkMode::Nat`]) or `awsvpc`, run on x86-64 only, and take
    /// no Linux-only container settings (Linux parameters such as
    /// `init_process` or capabilities, ulimits, GPUs, EFS volumes); their
    /// root filesystem stays writable, since Windows containers do not
    /// support a read-only one.
    ///
    /// CloudFormation default: none (any instance that fits).
    /// ecscdk default: omitted (Linux on x86-64 implied by the instances).
    pub fn runtime_platform(mut self, os: OperatingSystem, arch: CpuArchitecture) -> Self {
        self.os = os;
        self.arch = arch;
        self.platform_set = true;
        self
    }

    /// Adds a container; on EC2 each needs a memory limit or reservation,
    /// unless the task has task-level memory ([`memory_mib`](Self::memory_mib)).
    ///
    /// CloudFormation default: none (at least one is required).
    /// ecscdk default: none.
    pub fn container(mut self, container: ContainerBuilder) -> Self {
        self.containers.push(container);
        self
    }

    /// Adds a volume the containers can mount (an [`Ec2Volume`], or an
    /// [`EfsVolume`] or [`FsxWindowsVolume`] directly).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn volume(mut self, volume: impl Into<Ec2Volume>) -> Self {
        self.volumes.push(volume.into());
        self
    }

    /// Places tasks only on instances matching a cluster query language
    /// expression (`memberOf`), e.g. `attribute:ecs.instance-type =~ g5.*`.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn placement_constraint(mut self, member_of: impl Into<String>) -> Self {
        self.constraints.push(member_of.into());
        self
    }

    /// The task definition family (name).
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: the CDK's: the unique id of the construct path
    /// including the stack.
    pub fn family(mut self, family: impl Into<String>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// The FireLens log router container.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: AWS for Fluent Bit, added only when a container uses
    /// FireLens.
    pub fn firelens_log_router(mut self, router: ContainerBuilder) -> Self {
        self.log_router = Some(router);
        self
    }

    /// Makes the task definition one for ECS Anywhere (`EXTERNAL`); used by
    /// [`ExternalTaskDefinition`](crate::ecs::ExternalTaskDefinition).
    pub(crate) fn external(mut self) -> Self {
        self.external = true;
        self
    }

    /// Adds the task definition directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] without containers; [`Error::InvalidProperty`] for
    /// duplicate container or volume names, a container without memory (and
    /// no task-level memory), a reservation above its limit, task-level CPU
    /// outside 128–196608 units, task-level memory of 0, task-level CPU or
    /// memory on a Windows task, containers reserving more memory or CPU
    /// than the task has, no essential container, a host port the
    /// network mode does not allow (`awsvpc` and `host`: the container port;
    /// `none`: no ports), a mount of an unknown volume, a placement
    /// expression that does not parse, and the container checks of
    /// [`ContainerBuilder`].
    pub fn build(self, stack: &mut Stack) -> Result<Ec2TaskDefinition> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the task definition under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Ec2TaskDefinition> {
        let fqn = if self.external {
            "ecscdk.ecs.ExternalTaskDefinition"
        } else {
            "ecscdk.ecs.Ec2TaskDefinition"
        };
        let node = stack.scope_of_type(parent, &self.id, fqn)?;
        let path = stack.path(node);
        if self.containers.is_empty() {
            return Err(Error::Missing {
                path,
                what: "container",
                fix: "add one with `.container(Container::builder(name, image).memory_limit_mib(..))`",
            });
        }
        self.check(&|property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        })?;
        let gpus = self
            .containers
            .iter()
            .filter_map(|c| c.gpu_count)
            .fold(0, u32::saturating_add);
        let mounted_writable = writable_mounts(&self.containers);
        let windows = self.os.is_windows();
        let mut containers = self.containers;
        if matches!(
            self.network_mode,
            Ec2NetworkMode::Bridge | Ec2NetworkMode::Nat
        ) {
            // Bridge and NAT modes: an omitted host port is dynamic, written
            // as 0 (as the CDK writes it).
            for c in &mut containers {
                for p in &mut c.ports {
                    if p.host_port.is_none() && p.range_end.is_none() {
                        p.host_port = Some(0);
                    }
                }
            }
        }
        let execution_grants = self
            .volumes
            .iter()
            .filter_map(|v| match v {
                Ec2Volume::FsxWindows(fsx) => Some(fsx.grant()),
                _ => None,
            })
            .collect();
        let LoweredTask {
            task_role,
            execution_role,
            definitions,
            infos,
        } = lower_containers_with(
            stack,
            node,
            containers,
            self.log_router,
            TaskTraits {
                fargate: false,
                windows,
                host_network: self.network_mode == Ec2NetworkMode::Host,
            },
            execution_grants,
        )?;
        for volume in &self.volumes {
            if let Ec2Volume::Efs(efs) = volume
                && let Some(grant) = efs.grant(mounted_writable.contains(efs.name.as_str()))
            {
                task_role.add_to_policy(stack, grant)?;
            }
        }
        let family = self.family.unwrap_or_else(|| default_family(stack, node));
        let volumes: Vec<Value<CfnVolume>> = self
            .volumes
            .iter()
            .map(|v| {
                Value::Lit(match v {
                    Ec2Volume::Scratch { name } => CfnVolume {
                        name: Some(Value::from(name.as_str())),
                        ..CfnVolume::default()
                    },
                    Ec2Volume::HostPath { name, source_path } => CfnVolume {
                        host: Some(Value::Lit(HostVolumeProperties {
                            source_path: Some(Value::from(source_path.as_str())),
                        })),
                        name: Some(Value::from(name.as_str())),
                        ..CfnVolume::default()
                    },
                    Ec2Volume::Docker {
                        name,
                        scope,
                        driver,
                        autoprovision,
                    } => CfnVolume {
                        docker_volume_configuration: Some(Value::Lit(DockerVolumeConfiguration {
                            autoprovision: (*autoprovision).then_some(Value::Lit(true)),
                            driver: driver.as_deref().map(Value::from),
                            scope: Some(Value::Lit(match scope {
                                DockerVolumeScope::Task => Scope::Task,
                                DockerVolumeScope::Shared => Scope::Shared,
                            })),
                            ..DockerVolumeConfiguration::default()
                        })),
                        name: Some(Value::from(name.as_str())),
                        ..CfnVolume::default()
                    },
                    Ec2Volume::Efs(efs) => efs.render(),
                    Ec2Volume::FsxWindows(fsx) => fsx.render(),
                })
            })
            .collect();
        let constraints: Vec<Value<TaskDefinitionPlacementConstraint>> = self
            .constraints
            .iter()
            .map(|e| {
                Value::Lit(TaskDefinitionPlacementConstraint {
                    expression: Some(Value::from(e.as_str())),
                    ..TaskDefinitionPlacementConstraint::new(
                        TaskDefinitionPlacementConstraintType::MemberOf,
                    )
                })
            })
            .collect();
        let definition = CfnTaskDefinition {
            container_definitions: Some(Value::Lit(definitions)),
            cpu: self.cpu.map(|units| Value::Lit(units.to_string())),
            execution_role_arn: execution_role.map(|r| Value::from(r.arn())),
            family: Some(Value::Lit(family)),
            memory: self.memory_mib.map(|mib| Value::Lit(mib.to_string())),
            network_mode: self.network_mode.cfn().map(Value::Lit),
            placement_constraints: (!constraints.is_empty()).then(|| Value::Lit(constraints)),
            requires_compatibilities: Some(Value::Lit(vec![Value::Lit(if self.external {
                RequiresCompatibilities::External
            } else {
                RequiresCompatibilities::Ec2
            })])),
            runtime_platform: self.platform_set.then(|| {
                Value::Lit(RuntimePlatform {
                    cpu_architecture: Some(Value::Lit(match self.arch {
                        CpuArchitecture::X86_64 => CfnCpuArchitecture::X8664,
                        CpuArchitecture::Arm64 => CfnCpuArchitecture::Arm64,
                    })),
                    operating_system_family: Some(Value::Lit(self.os.cfn())),
                })
            }),
            task_role_arn: Some(task_role.arn().into()),
            volumes: (!volumes.is_empty()).then(|| Value::Lit(volumes)),
            ..CfnTaskDefinition::default()
        };
        let resource = stack.add(node, "Resource", definition)?;
        Ok(Ec2TaskDefinition {
            node,
            resource,
            task_role,
            execution_role,
            network_mode: self.network_mode,
            gpus,
            external: self.external,
            os: self.os,
            arch: self.arch,
            platform_set: self.platform_set,
            cpu: self.cpu,
            memory_mib: self.memory_mib,
            containers: infos.into(),
        })
    }

    fn check(&self, invalid: &dyn Fn(&str, String) -> Error) -> Result<()> {
        unique_container_names(&self.containers, invalid)?;
        let mut volume_names = std::collections::HashSet::new();
        for v in &self.volumes {
            if !volume_names.insert(v.name()) {
                return Err(invalid(
                    "volume",
                    format!("two volumes are named {:?}", v.name()),
                ));
            }
            if let Ec2Volume::HostPath { source_path, .. } = v
                && !source_path.starts_with('/')
                && !source_path.contains(":\\")
            {
                return Err(invalid(
                    "volume",
                    format!("host path {source_path:?} is not absolute"),
                ));
            }
            match v {
                Ec2Volume::Efs(efs) => efs.check(invalid)?,
                Ec2Volume::FsxWindows(fsx) => fsx.check(invalid)?,
                _ => {}
            }
        }
        self.check_platform(invalid)?;
        self.check_task_size(invalid)?;
        for c in &self.containers {
            match (c.memory_limit_mib, c.memory_reservation_mib) {
                (None, None) if self.memory_mib.is_none() => {
                    return Err(invalid(
                        "memory_limit_mib",
                        format!(
                            "container {:?} has neither a memory limit nor a reservation; an EC2 task needs one, or task-level memory: `.memory_limit_mib(..)` or `.memory_reservation_mib(..)` on the container, or `.memory_mib(..)` on the task definition",
                            c.name
                        ),
                    ));
                }
                (Some(limit), Some(reservation)) if reservation > limit => {
                    return Err(invalid(
                        "memory_reservation_mib",
                        format!(
                            "container {:?} reserves {reservation} MiB, above its limit of {limit} MiB",
                            c.name
                        ),
                    ));
                }
                _ => {}
            }
            for p in &c.ports {
                let reason = match (self.network_mode, p.host_port) {
                    (Ec2NetworkMode::None, _) => Some(format!(
                        "container {:?} maps port {}, but network mode `none` has no external networking; drop the port or choose another mode",
                        c.name, p.container_port
                    )),
                    (Ec2NetworkMode::AwsVpc | Ec2NetworkMode::Host, Some(h))
                        if h != p.container_port =>
                    {
                        Some(format!(
                            "container {:?} maps container port {} to host port {h}; in {} mode the host port is the container port: drop `host_port`",
                            c.name,
                            p.container_port,
                            if self.network_mode == Ec2NetworkMode::Host {
                                "host"
                            } else {
                                "awsvpc"
                            }
                        ))
                    }
                    _ => None,
                };
                if let Some(reason) = reason {
                    return Err(invalid("port", reason));
                }
            }
            for (volume, _, _) in &c.mount_points {
                if !volume_names.contains(volume.as_str()) {
                    return Err(invalid(
                        "mount",
                        format!(
                            "container {:?} mounts {volume:?}, which is not a volume of this task definition; add it with `.volume(..)`",
                            c.name
                        ),
                    ));
                }
            }
        }
        if !self.containers.iter().any(|c| c.essential) {
            return Err(invalid(
                "essential",
                "no container is essential; mark at least one `.essential(true)`".to_owned(),
            ));
        }
        for e in &self.constraints {
            check_member_of(e).map_err(|reason| invalid("placement_constraint", reason))?;
        }
        Ok(())
    }

    /// The task-level CPU and memory: in ECS's range, Linux only, and room
    /// for what the containers reserve.
    fn check_task_size(&self, invalid: &dyn Fn(&str, String) -> Error) -> Result<()> {
        if let Some(cpu) = self.cpu
            && !EC2_TASK_CPU.contains(&cpu)
        {
            return Err(invalid(
                "cpu",
                format!(
                    "{cpu} CPU units is outside what ECS accepts for tasks on EC2 and external instances: 128 (0.125 vCPU) to 196608 (192 vCPU)"
                ),
            ));
        }
        if self.memory_mib == Some(0) {
            return Err(invalid(
                "memory_mib",
                "0 MiB leaves the containers no memory; give the task at least what its containers reserve, or drop `memory_mib`".to_owned(),
            ));
        }
        if self.os.is_windows() && (self.cpu.is_some() || self.memory_mib.is_some()) {
            return Err(invalid(
                if self.cpu.is_some() { "cpu" } else { "memory_mib" },
                "ECS ignores task-level CPU and memory for Windows containers on EC2; drop them and give each container `.memory_limit_mib(..)` (and `.cpu_units(..)`)".to_owned(),
            ));
        }
        if let Some(memory) = self.memory_mib {
            check_container_memory(&self.containers, memory, invalid)?;
            let mut reserved = 0u32;
            for c in &self.containers {
                // ECS reserves a container's soft limit, else its hard one.
                reserved = reserved
                    .saturating_add(c.memory_reservation_mib.or(c.memory_limit_mib).unwrap_or(0));
            }
            if reserved > memory {
                return Err(invalid(
                    "memory_mib",
                    format!(
                        "the containers reserve {reserved} MiB together, more than the task's {memory} MiB; raise `memory_mib` or lower the containers' reservations"
                    ),
                ));
            }
        }
        if let Some(cpu) = self.cpu {
            let reserved: u32 = self
                .containers
                .iter()
                .filter_map(|c| c.cpu_units)
                .fold(0, u32::saturating_add);
            if reserved > cpu {
                return Err(invalid(
                    "cpu",
                    format!(
                        "the containers reserve {reserved} CPU units together, more than the task's {cpu}; raise `cpu` or lower the containers' `cpu_units`"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// What ECS enforces for the operating system and architecture.
    fn check_platform(&self, invalid: &dyn Fn(&str, String) -> Error) -> Result<()> {
        if !self.os.is_windows() {
            if self.network_mode == Ec2NetworkMode::Nat {
                return Err(invalid(
                    "network_mode",
                    "the NAT network mode is for Windows tasks; Linux tasks use bridge, host, awsvpc or none (or set `.runtime_platform(OperatingSystem::Windows..)`)".to_owned(),
                ));
            }
            if let Some(v) = self
                .volumes
                .iter()
                .find(|v| matches!(v, Ec2Volume::FsxWindows(_)))
            {
                return Err(invalid(
                    "volume",
                    format!(
                        "FSx for Windows File Server volume {:?} needs a Windows task; set `.runtime_platform(OperatingSystem::WindowsServer2022Core, CpuArchitecture::X86_64)` or use an EFS volume",
                        v.name()
                    ),
                ));
            }
            return Ok(());
        }
        if !matches!(
            self.network_mode,
            Ec2NetworkMode::Nat | Ec2NetworkMode::AwsVpc
        ) {
            return Err(invalid(
                "network_mode",
                format!(
                    "Windows tasks on EC2 support the default NAT network (`Ec2NetworkMode::Nat`) and awsvpc, not {}; choose one of those",
                    self.network_mode.as_str()
                ),
            ));
        }
        if self.arch == CpuArchitecture::Arm64 {
            return Err(invalid(
                "runtime_platform",
                "Windows container instances are x86-64 only; use CpuArchitecture::X86_64"
                    .to_owned(),
            ));
        }
        if self.external {
            return Err(invalid(
                "runtime_platform",
                "ecscdk's external task definitions are for Linux servers; run Windows tasks on EC2".to_owned(),
            ));
        }
        for v in &self.volumes {
            let reason = match v {
                Ec2Volume::Efs(_) => {
                    Some("Amazon EFS is for Linux tasks; use an FSx for Windows File Server volume")
                }
                Ec2Volume::Docker {
                    driver: Some(d), ..
                } if d != "local" => {
                    Some("Windows containers support only the `local` Docker volume driver")
                }
                _ => None,
            };
            if let Some(reason) = reason {
                return Err(invalid(
                    "volume",
                    format!("volume {:?}: {reason}", v.name()),
                ));
            }
        }
        if let Some(c) = self.containers.iter().find(|c| c.gpu_count.is_some()) {
            return Err(invalid(
                "gpu_count",
                format!(
                    "container {:?} reserves GPUs, which ECS offers only to Linux containers; drop `gpu_count` or run the task on Linux",
                    c.name
                ),
            ));
        }
        Ok(())
    }
}
