//! `FargateTaskDefinition`: a task definition for Fargate, with its task
//! role, its execution role (created only when a container needs one) and
//! its containers.
//!
//! CloudFormation: [AWS::ECS::TaskDefinition](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html).
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ecs::{Container, ContainerImage, FargateCpu, FargateTaskDefinition, PortMapping};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let task = FargateTaskDefinition::builder("Task")
//!     .cpu(FargateCpu::Vcpu0_5)
//!     .memory_mib(1024) // checked against Fargate's table at build()
//!     .container(Container::builder("web", ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27")).port(PortMapping::tcp(80)))
//!     .build(&mut stack)?;
//! assert_eq!(task.container_names(), ["web"]);
//! # Ok(()) }
//! ```

use std::sync::Arc;

use crate::cfn::ecs::task_definition::{
    CpuArchitecture as CfnCpuArchitecture, EphemeralStorage, NetworkMode,
    OperatingSystemFamily as CfnOs, PidMode, RequiresCompatibilities, RuntimePlatform,
    Volume as CfnVolume,
};
use crate::cfn::ecs::{CfnTaskDefinition, CfnTaskDefinitionRef};
use crate::ecs::{ContainerBuilder, EfsVolume, FargateCpu, FargateSize, PortMapping};
use crate::iam::{PolicyStatement, Principal, Role};
use crate::synth::{NodeId, Value, logical_id};
use crate::{Error, Result, Stack};

/// The CPU architecture tasks run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum CpuArchitecture {
    /// x86-64.
    #[default]
    X86_64,
    /// 64-bit ARM (Graviton): cheaper per vCPU on Fargate.
    Arm64,
}

/// The operating system tasks run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum OperatingSystem {
    /// Linux.
    #[default]
    Linux,
    /// Windows Server 2019 Core.
    WindowsServer2019Core,
    /// Windows Server 2019 Full.
    WindowsServer2019Full,
    /// Windows Server 2022 Core.
    WindowsServer2022Core,
    /// Windows Server 2022 Full.
    WindowsServer2022Full,
}

impl OperatingSystem {
    pub(crate) fn is_windows(self) -> bool {
        self != Self::Linux
    }

    pub(crate) fn cfn(self) -> CfnOs {
        match self {
            Self::Linux => CfnOs::Linux,
            Self::WindowsServer2019Core => CfnOs::WindowsServer2019Core,
            Self::WindowsServer2019Full => CfnOs::WindowsServer2019Full,
            Self::WindowsServer2022Core => CfnOs::WindowsServer2022Core,
            Self::WindowsServer2022Full => CfnOs::WindowsServer2022Full,
        }
    }
}

/// A task volume that containers mount.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Volume {
    /// Task storage shared by the task's containers, emptied when the task
    /// stops (a bind mount without a host path; on Fargate it lives in the
    /// task's ephemeral storage).
    Scratch {
        /// The volume's name, used by mounts.
        name: String,
    },
    /// An Amazon EFS file system (Linux only).
    Efs(EfsVolume),
}

impl Volume {
    /// A scratch volume shared by the task's containers.
    pub fn scratch(name: impl Into<String>) -> Self {
        Self::Scratch { name: name.into() }
    }

    /// An Amazon EFS file system volume.
    pub fn efs(volume: EfsVolume) -> Self {
        Self::Efs(volume)
    }

    fn name(&self) -> &str {
        match self {
            Self::Scratch { name } => name,
            Self::Efs(efs) => &efs.name,
        }
    }
}

impl From<EfsVolume> for Volume {
    fn from(volume: EfsVolume) -> Self {
        Self::Efs(volume)
    }
}

/// The AWS for Fluent Bit image used as the default FireLens log router.
const FLUENT_BIT_IMAGE: &str = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";

/// What a built task definition remembers about its containers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ContainerInfo {
    pub(crate) name: String,
    pub(crate) ports: Vec<PortMapping>,
    pub(crate) essential: bool,
    pub(crate) readonly_root_filesystem: bool,
    pub(crate) writable_mounts: bool,
    /// The container's hard memory limit, MiB.
    pub(crate) memory_limit_mib: Option<u32>,
}

/// The accessors every task definition handle offers, over its `node`,
/// `resource`, `task_role`, `execution_role` and `containers` fields;
/// documented once here.
macro_rules! task_definition_accessors {
    () => {
        /// The task definition's construct node.
        #[must_use]
        pub fn node(&self) -> $crate::synth::NodeId {
            self.node
        }

        /// The `AWS::ECS::TaskDefinition` resource.
        #[must_use]
        pub fn resource(&self) -> $crate::cfn::ecs::CfnTaskDefinitionRef {
            self.resource
        }

        /// The task definition's ARN (`Ref`).
        #[must_use]
        pub fn arn(&self) -> $crate::synth::Expr<String> {
            self.resource.reference()
        }

        /// The role the containers' code runs as; grant it what the application
        /// calls.
        #[must_use]
        pub fn task_role(&self) -> $crate::iam::Role {
            self.task_role
        }

        /// The role ECS uses to start the task (pull images, write logs, read
        /// secrets), if a container needed one.
        #[must_use]
        pub fn execution_role(&self) -> Option<$crate::iam::Role> {
            self.execution_role
        }

        /// The container names, in order.
        #[must_use]
        pub fn container_names(&self) -> Vec<&str> {
            self.containers.iter().map(|c| c.name.as_str()).collect()
        }

        pub(crate) fn containers(&self) -> &[$crate::ecs::fargate_task_definition::ContainerInfo] {
            &self.containers
        }

        /// The first port mapping of the first essential container that has
        /// one: where a load balancer sends traffic by default.
        #[must_use]
        pub fn default_port(&self) -> Option<(&str, &$crate::ecs::PortMapping)> {
            self.containers
                .iter()
                .filter(|c| c.essential)
                .find_map(|c| c.ports.first().map(|p| (c.name.as_str(), p)))
        }
    };
}

pub(crate) use task_definition_accessors;

/// The names of a task definition's containers, checked to be unique.
pub(crate) fn unique_container_names<'a>(
    containers: &'a [ContainerBuilder],
    invalid: &dyn Fn(&str, String) -> Error,
) -> Result<std::collections::HashSet<&'a str>> {
    let mut names = std::collections::HashSet::new();
    for c in containers {
        if !names.insert(c.name.as_str()) {
            return Err(invalid(
                "container",
                format!(
                    "two containers are named {:?}; container names must be unique in a task definition",
                    c.name
                ),
            ));
        }
    }
    Ok(names)
}

/// Checks that no container's memory limit or reservation is above the
/// task-level memory (EC2 and Managed Instances task definitions).
pub(crate) fn check_container_memory(
    containers: &[ContainerBuilder],
    memory_mib: u32,
    invalid: &dyn Fn(&str, String) -> Error,
) -> Result<()> {
    for c in containers {
        for (what, value) in [
            ("memory_limit_mib", c.memory_limit_mib),
            ("memory_reservation_mib", c.memory_reservation_mib),
        ] {
            if let Some(v) = value
                && v > memory_mib
            {
                return Err(invalid(
                    what,
                    format!(
                        "container {:?} asks for {v} MiB, more than the task's {memory_mib} MiB; raise `memory_mib` or lower the container's",
                        c.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A Fargate task definition. Cheap to clone; its resource is the child
/// `Resource`, its roles `TaskRole` and `ExecutionRole`, each container a
/// child named like the container, as in the AWS CDK.
#[derive(Debug, Clone, PartialEq)]
pub struct FargateTaskDefinition {
    node: NodeId,
    resource: CfnTaskDefinitionRef,
    task_role: Role,
    execution_role: Option<Role>,
    size: FargateSize,
    containers: Arc<[ContainerInfo]>,
}

impl FargateTaskDefinition {
    /// A builder for a task definition with construct id `id`.
    pub fn builder(id: impl Into<String>) -> FargateTaskDefinitionBuilder {
        FargateTaskDefinitionBuilder {
            id: id.into(),
            size: FargateSize::smallest(),
            cpu: None,
            memory_mib: None,
            os: OperatingSystem::Linux,
            arch: CpuArchitecture::X86_64,
            platform_set: false,
            ephemeral_storage_gib: None,
            volumes: Vec::new(),
            containers: Vec::new(),
            family: None,
            pid_mode_task: false,
            log_router: None,
        }
    }

    task_definition_accessors!();

    /// The task size.
    #[must_use]
    pub fn size(&self) -> FargateSize {
        self.size
    }
}

/// A task definition's roles and rendered containers.
pub(crate) struct LoweredTask {
    pub(crate) task_role: Role,
    pub(crate) execution_role: Option<Role>,
    pub(crate) definitions: Vec<Value<crate::cfn::ecs::task_definition::ContainerDefinition>>,
    pub(crate) infos: Vec<ContainerInfo>,
}

/// The CDK's default family: the unique id of the path including the stack.
pub(crate) fn default_family(stack: &Stack, node: NodeId) -> String {
    let full = stack.path(node);
    let components: Vec<&str> = full.as_str().split('/').collect();
    logical_id(&components)
}

/// The volumes some container mounts writable (their EFS grants include
/// `ClientWrite`).
pub(crate) fn writable_mounts(
    containers: &[ContainerBuilder],
) -> std::collections::HashSet<String> {
    containers
        .iter()
        .flat_map(|c| c.mount_points.iter())
        .filter(|(_, _, read_only)| !read_only)
        .map(|(volume, _, _)| volume.clone())
        .collect()
}

/// Creates the task role, renders the containers (with the FireLens router
/// when one logs through it) and creates the execution role when a
/// container needs one: shared by every kind of task definition.
pub(crate) fn lower_containers(
    stack: &mut Stack,
    node: NodeId,
    containers: Vec<ContainerBuilder>,
    log_router: Option<ContainerBuilder>,
    fargate: bool,
) -> Result<LoweredTask> {
    lower_containers_with(stack, node, containers, log_router, fargate, Vec::new())
}

/// As [`lower_containers`], with statements the execution role needs
/// besides the containers' (e.g. reading a volume's credentials).
pub(crate) fn lower_containers_with(
    stack: &mut Stack,
    node: NodeId,
    mut containers: Vec<ContainerBuilder>,
    log_router: Option<ContainerBuilder>,
    fargate: bool,
    execution_grants: Vec<PolicyStatement>,
) -> Result<LoweredTask> {
    let task_role = Role::builder("TaskRole", Principal::service("ecs-tasks.amazonaws.com"))
        .build_in(stack, node)?;
    let infos: Vec<ContainerInfo> = containers
        .iter()
        .map(|c| ContainerInfo {
            name: c.name.clone(),
            ports: c.ports.clone(),
            essential: c.essential,
            readonly_root_filesystem: c.readonly_root_filesystem,
            writable_mounts: c.mount_points.iter().any(|(_, _, ro)| !ro),
            memory_limit_mib: c.memory_limit_mib,
        })
        .collect();
    let mut definitions = Vec::with_capacity(containers.len() + 1);
    let mut grants: Vec<PolicyStatement> = Vec::new();
    if containers.iter().any(ContainerBuilder::uses_firelens) {
        let router = log_router.unwrap_or_else(|| {
            crate::ecs::Container::builder(
                "log_router",
                crate::ecs::ContainerImage::registry(FLUENT_BIT_IMAGE),
            )
        });
        // The router writes its buffers to its filesystem.
        containers.insert(0, router.into_log_router().writable_root_filesystem());
    }
    for container in containers {
        let lowered = container.lower(stack, node, fargate)?;
        definitions.push(Value::Lit(lowered.definition));
        grants.extend(lowered.execution_grants);
        for g in lowered.task_grants {
            task_role.add_to_policy(stack, g)?;
        }
    }

    grants.extend(execution_grants);
    let execution_role = if grants.is_empty() {
        None
    } else {
        let role = Role::builder(
            "ExecutionRole",
            Principal::service("ecs-tasks.amazonaws.com"),
        )
        .build_in(stack, node)?;
        for g in grants {
            role.add_to_policy(stack, g)?;
        }
        Some(role)
    };

    Ok(LoweredTask {
        task_role,
        execution_role,
        definitions,
        infos,
    })
}

/// Builds a [`FargateTaskDefinition`].
#[derive(Debug, Clone)]
#[must_use]
pub struct FargateTaskDefinitionBuilder {
    id: String,
    size: FargateSize,
    cpu: Option<FargateCpu>,
    memory_mib: Option<u32>,
    os: OperatingSystem,
    arch: CpuArchitecture,
    platform_set: bool,
    ephemeral_storage_gib: Option<u32>,
    volumes: Vec<Volume>,
    containers: Vec<ContainerBuilder>,
    family: Option<String>,
    pid_mode_task: bool,
    log_router: Option<ContainerBuilder>,
}

impl FargateTaskDefinitionBuilder {
    /// CPU and memory of the task, as one valid Fargate size.
    ///
    /// CloudFormation default: none (required for Fargate).
    /// ecscdk default: .25 vCPU and 512 MiB, Fargate's smallest size (the
    /// CDK's default too).
    ///
    /// Replaces what [`cpu`](Self::cpu) and [`memory_mib`](Self::memory_mib)
    /// asked for before it.
    pub fn size(mut self, size: FargateSize) -> Self {
        self.size = size;
        self.cpu = None;
        self.memory_mib = None;
        self
    }

    /// The task's CPU. Without [`memory_mib`](Self::memory_mib), the
    /// smallest memory Fargate offers with it.
    ///
    /// CloudFormation default: none (required for Fargate).
    /// ecscdk default: .25 vCPU (256 units), as the CDK.
    pub fn cpu(mut self, cpu: FargateCpu) -> Self {
        self.cpu = Some(cpu);
        self
    }

    /// The task's memory, MiB, checked at `build()` against the CPU by
    /// Fargate's table of sizes (an error names the sizes it offers).
    ///
    /// CloudFormation default: none (required for Fargate).
    /// ecscdk default: the smallest memory Fargate offers with the task's
    /// CPU (512 MiB with .25 vCPU, as the CDK).
    pub fn memory_mib(mut self, memory_mib: u32) -> Self {
        self.memory_mib = Some(memory_mib);
        self
    }

    /// Operating system and CPU architecture.
    ///
    /// CloudFormation default: Linux on x86-64.
    /// ecscdk default: omitted (Linux on x86-64).
    pub fn runtime_platform(mut self, os: OperatingSystem, arch: CpuArchitecture) -> Self {
        self.os = os;
        self.arch = arch;
        self.platform_set = true;
        self
    }

    /// Ephemeral storage, GiB (21–200).
    ///
    /// CloudFormation default: 20 GiB.
    /// ecscdk default: omitted (20 GiB).
    pub fn ephemeral_storage_gib(mut self, gib: u32) -> Self {
        self.ephemeral_storage_gib = Some(gib);
        self
    }

    /// Adds a volume the containers can mount.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn volume(mut self, volume: Volume) -> Self {
        self.volumes.push(volume);
        self
    }

    /// Adds a container.
    ///
    /// CloudFormation default: none (at least one is required).
    /// ecscdk default: none.
    pub fn container(mut self, container: ContainerBuilder) -> Self {
        self.containers.push(container);
        self
    }

    /// The task definition family (name).
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: the CDK's: the unique id of the construct path
    /// including the stack (`Scale0Task0C8683D32`).
    pub fn family(mut self, family: impl Into<String>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// Shares one process namespace among the task's containers
    /// (`pidMode: task`; Fargate platform 1.4.0+, Linux only).
    ///
    /// CloudFormation default: each container has its own.
    /// ecscdk default: each container has its own.
    pub fn shared_pid_namespace(mut self) -> Self {
        self.pid_mode_task = true;
        self
    }

    /// The FireLens log router container, used when a container logs with
    /// [`LogDriver::firelens_cloudwatch`](crate::ecs::LogDriver::firelens_cloudwatch).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: a container `log_router` running AWS for Fluent Bit
    /// (`public.ecr.aws/aws-observability/aws-for-fluent-bit:stable`), added
    /// only when a container uses FireLens.
    pub fn firelens_log_router(mut self, router: ContainerBuilder) -> Self {
        self.log_router = Some(router);
        self
    }

    /// Adds the task definition directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] without containers; [`Error::InvalidProperty`] for
    /// duplicate container names, container memory or CPU above the task's,
    /// ephemeral storage outside 21–200 GiB, a Windows platform on a size or
    /// architecture Fargate does not offer for Windows, a dependency on an
    /// unknown container, a mount of an unknown volume, no essential
    /// container, and the container checks of [`ContainerBuilder`].
    pub fn build(self, stack: &mut Stack) -> Result<FargateTaskDefinition> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the task definition under `parent` (how patterns nest it).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(mut self, stack: &mut Stack, parent: NodeId) -> Result<FargateTaskDefinition> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ecs.FargateTaskDefinition")?;
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if self.cpu.is_some() || self.memory_mib.is_some() {
            let cpu = self.cpu.unwrap_or(self.size.cpu());
            let memory = match (self.memory_mib, self.cpu) {
                (Some(memory), _) => memory,
                (None, Some(cpu)) => cpu.row().min_memory_mib,
                (None, None) => self.size.memory_mib(),
            };
            self.size =
                FargateSize::new(cpu, memory).map_err(|e| invalid("memory_mib", e.to_string()))?;
        }
        self.check(&invalid)?;
        if self.containers.is_empty() {
            return Err(Error::Missing {
                path,
                what: "container",
                fix: "add one with `.container(Container::builder(name, image))`",
            });
        }

        let mounted_writable = writable_mounts(&self.containers);
        let LoweredTask {
            task_role,
            execution_role,
            definitions,
            infos,
        } = lower_containers(stack, node, self.containers, self.log_router, true)?;

        for volume in &self.volumes {
            if let Volume::Efs(efs) = volume
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
                    // A bind mount without `Host`: Fargate rejects `Host`
                    // and `SourcePath`.
                    Volume::Scratch { name } => CfnVolume {
                        name: Some(Value::from(name.as_str())),
                        ..CfnVolume::default()
                    },
                    Volume::Efs(efs) => efs.render(),
                })
            })
            .collect();
        let definition = CfnTaskDefinition {
            container_definitions: Some(Value::Lit(definitions)),
            cpu: Some(Value::Lit(self.size.cpu_units().to_string())),
            ephemeral_storage: self.ephemeral_storage_gib.map(|g| {
                Value::Lit(EphemeralStorage {
                    size_in_gib: Some(Value::Lit(i64::from(g))),
                })
            }),
            execution_role_arn: execution_role.map(|r| Value::from(r.arn())),
            family: Some(Value::Lit(family)),
            memory: Some(Value::Lit(self.size.memory_mib().to_string())),
            network_mode: Some(Value::Lit(NetworkMode::Awsvpc)),
            pid_mode: self.pid_mode_task.then_some(Value::Lit(PidMode::Task)),
            requires_compatibilities: Some(Value::Lit(vec![Value::Lit(
                RequiresCompatibilities::Fargate,
            )])),
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
        Ok(FargateTaskDefinition {
            node,
            resource,
            task_role,
            execution_role,
            size: self.size,
            containers: infos.into(),
        })
    }

    fn check(&self, invalid: &dyn Fn(&str, String) -> Error) -> Result<()> {
        let names = unique_container_names(&self.containers, invalid)?;
        let memory = self.size.memory_mib();
        let cpu = self.size.cpu_units();
        for c in &self.containers {
            for (what, value) in [
                ("memory_limit_mib", c.memory_limit_mib),
                ("memory_reservation_mib", c.memory_reservation_mib),
            ] {
                if let Some(v) = value
                    && v > memory
                {
                    return Err(invalid(
                        what,
                        format!(
                            "container {:?} asks for {v} MiB but the task has {memory} MiB; lower it or choose a larger FargateSize",
                            c.name
                        ),
                    ));
                }
            }
            if let (Some(limit), Some(reservation)) = (c.memory_limit_mib, c.memory_reservation_mib)
                && reservation > limit
            {
                return Err(invalid(
                    "memory_reservation_mib",
                    format!(
                        "container {:?} reserves {reservation} MiB, above its limit of {limit} MiB",
                        c.name
                    ),
                ));
            }
            for (dep, _) in &c.depends_on {
                if !names.contains(dep.as_str()) {
                    return Err(invalid(
                        "depends_on",
                        format!(
                            "container {:?} depends on {dep:?}, which is not a container of this task definition",
                            c.name
                        ),
                    ));
                }
                if dep == &c.name {
                    return Err(invalid(
                        "depends_on",
                        format!("container {:?} depends on itself", c.name),
                    ));
                }
            }
            for (volume, _, _) in &c.mount_points {
                if !self.volumes.iter().any(|v| v.name() == volume) {
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
        let total_cpu: u32 = self.containers.iter().filter_map(|c| c.cpu_units).sum();
        if total_cpu > cpu {
            return Err(invalid(
                "cpu_units",
                format!(
                    "the containers reserve {total_cpu} CPU units but the task has {cpu}; lower them or choose a larger FargateSize"
                ),
            ));
        }
        if !self.containers.is_empty() && !self.containers.iter().any(|c| c.essential) {
            return Err(invalid(
                "essential",
                "no container is essential; mark at least one `.essential(true)`".to_owned(),
            ));
        }
        if let Some(g) = self.ephemeral_storage_gib
            && !(21..=200).contains(&g)
        {
            return Err(invalid(
                "ephemeral_storage_gib",
                format!("{g} GiB is outside 21..=200 GiB, what Fargate accepts"),
            ));
        }
        if self.os.is_windows() {
            if !self.size.supports_windows() {
                return Err(invalid(
                    "runtime_platform",
                    format!(
                        "Windows on Fargate needs 1 to 4 vCPU; this task has {} CPU units",
                        cpu
                    ),
                ));
            }
            if self.arch == CpuArchitecture::Arm64 {
                return Err(invalid(
                    "runtime_platform",
                    "Windows on Fargate runs on x86-64 only; use CpuArchitecture::X86_64"
                        .to_owned(),
                ));
            }
            if self.pid_mode_task {
                return Err(invalid(
                    "shared_pid_namespace",
                    "a shared PID namespace is Linux-only on Fargate".to_owned(),
                ));
            }
            if let Some(efs) = self.volumes.iter().find(|v| matches!(v, Volume::Efs(_))) {
                return Err(invalid(
                    "volume",
                    format!(
                        "EFS volume {:?}: Amazon EFS is for Linux tasks; Windows tasks use FSx for Windows File Server (on EC2)",
                        efs.name()
                    ),
                ));
            }
        }
        for v in &self.volumes {
            if let Volume::Efs(efs) = v {
                efs.check(invalid)?;
            }
        }
        let mut volume_names = std::collections::HashSet::new();
        for v in &self.volumes {
            if !volume_names.insert(v.name()) {
                return Err(invalid(
                    "volume",
                    format!("two volumes are named {:?}", v.name()),
                ));
            }
        }
        Ok(())
    }
}
