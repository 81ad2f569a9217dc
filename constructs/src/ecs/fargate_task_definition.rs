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
    CpuArchitecture as CfnCpuArchitecture, EphemeralStorage, NetworkMode, PidMode,
    RequiresCompatibilities, RuntimePlatform, Volume as CfnVolume,
};
use crate::cfn::ecs::{CfnTaskDefinition, CfnTaskDefinitionRef};
use crate::ecs::container::TaskTraits;
use crate::ecs::task_definition_base::{
    ContainerInfo, LoweredTask, default_family, lower_containers, task_definition_accessors,
    unique_container_names, writable_mounts,
};
use crate::ecs::{ContainerBuilder, FargateCpu, FargateSize};
use crate::ecs::{CpuArchitecture, OperatingSystem, Volume};
use crate::iam::Role;
use crate::synth::{NodeId, Value};
use crate::{Error, Result, Stack};

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
    windows: bool,
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

    /// Whether the tasks run Windows.
    #[must_use]
    pub fn is_windows(&self) -> bool {
        self.windows
    }
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
        } = lower_containers(
            stack,
            node,
            self.containers,
            self.log_router,
            TaskTraits {
                fargate: true,
                windows: self.os.is_windows(),
                host_network: false,
            },
        )?;

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
            windows: self.os.is_windows(),
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
        let total_cpu = self
            .containers
            .iter()
            .filter_map(|c| c.cpu_units)
            .fold(0, u32::saturating_add);
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
