//! What every task definition shares, whatever runs its tasks (Fargate,
//! EC2, ECS Anywhere, Managed Instances): the CPU architecture and
//! operating system, volumes, the accessors of a built task definition,
//! the container-name and memory checks, the default family, and the
//! lowering of containers into `ContainerDefinitions` with the roles they
//! need. Each launch type's task definition file builds on it, as the
//! services build on `service_base.rs`.

use crate::cfn::ecs::task_definition::OperatingSystemFamily as CfnOs;
use crate::ecs::container::{PlatformFloor, TaskTraits};
use crate::ecs::{ContainerBuilder, EfsVolume, PortMapping};
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

    pub(crate) fn name(&self) -> &str {
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
    /// The setting that needs the newest Linux Fargate platform version,
    /// with that version.
    pub(crate) fargate_platform_floor: Option<PlatformFloor>,
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

        pub(crate) fn containers(&self) -> &[$crate::ecs::task_definition_base::ContainerInfo] {
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

/// Checks that the volumes added with `setter` have distinct names and
/// that every container mounts one of them; `add` says how to add a
/// missing volume to the `owner` (a kind of task definition).
pub(crate) fn check_mounted_volumes<'a>(
    volumes: impl IntoIterator<Item = &'a str>,
    setter: &str,
    containers: &[ContainerBuilder],
    owner: &str,
    add: &dyn Fn(&str) -> String,
    invalid: &dyn Fn(&str, String) -> Error,
) -> Result<()> {
    let mut names = std::collections::HashSet::new();
    for v in volumes {
        if !names.insert(v) {
            return Err(invalid(
                setter,
                format!("two volumes are named {v:?}; volume names must be unique"),
            ));
        }
    }
    for c in containers {
        if let Some((v, _, _)) = c
            .mount_points
            .iter()
            .find(|(v, _, _)| !names.contains(v.as_str()))
        {
            return Err(invalid(
                "mount",
                format!(
                    "container {:?} mounts volume {v:?}, which the {owner} does not have; {}",
                    c.name,
                    add(v)
                ),
            ));
        }
    }
    Ok(())
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
    traits: TaskTraits,
) -> Result<LoweredTask> {
    lower_containers_with(stack, node, containers, log_router, traits, Vec::new())
}

/// As [`lower_containers`], with statements the execution role needs
/// besides the containers' (e.g. reading a volume's credentials).
pub(crate) fn lower_containers_with(
    stack: &mut Stack,
    node: NodeId,
    mut containers: Vec<ContainerBuilder>,
    log_router: Option<ContainerBuilder>,
    traits: TaskTraits,
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
            readonly_root_filesystem: c.readonly_root_filesystem && !traits.windows,
            writable_mounts: c.mount_points.iter().any(|(_, _, ro)| !ro),
            memory_limit_mib: c.memory_limit_mib,
            fargate_platform_floor: c.fargate_platform_floor(),
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
        let lowered = container.lower(stack, node, traits)?;
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
