//! ECS Managed Daemons: one agent task on every instance of Managed
//! Instances capacity providers ([`AWS::ECS::DaemonTaskDefinition`] and
//! [`AWS::ECS::Daemon`]).
//!
//! A daemon is how a security, observability or networking agent reaches
//! every instance: ECS starts the daemon's task on an instance before it
//! moves the application's tasks there to `RUNNING`, and stops it last.
//! A [`DaemonTaskDefinition`] takes the same containers as the other task
//! definitions ([`Container::builder`](crate::ecs::Container::builder)),
//! checked where a daemon differs: no port mappings (daemons share the
//! instance's `daemon_bridge` network, reachable from tasks at
//! `169.254.172.2`), no GPUs, only host bind-mount volumes, and PID and IPC
//! namespaces that are the daemon's own or shared with the host.
//!
//! A [`Daemon`] runs such a definition on one or more providers of one
//! cluster. Services on those providers built in the same stack wait for
//! it in CloudFormation, whichever is built first: instances launched for
//! a service before the daemon exists would be replaced when it arrives.
//!
//! ```
//! use ecscdk::ecs::{Container, ContainerImage, DaemonNamespace, DaemonTaskDefinition};
//! let agent = DaemonTaskDefinition::builder("Agent")
//!     .host_volume("proc", "/proc")
//!     .pid_mode(DaemonNamespace::Shared)
//!     .container(
//!         Container::builder("agent", ContainerImage::registry("public.ecr.aws/example/agent:1"))
//!             .mount("proc", "/host/proc", true),
//!     );
//! # let _ = agent;
//! ```
//!
//! [`AWS::ECS::DaemonTaskDefinition`]: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-daemontaskdefinition.html
//! [`AWS::ECS::Daemon`]: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-daemon.html

use std::sync::Arc;
use std::time::Duration;

use crate::cfn::ecs::daemon::{
    CfnDaemon, CfnDaemonRef, DaemonAlarmConfiguration, DaemonDeploymentConfiguration, PropagateTags,
};
use crate::cfn::ecs::daemon_task_definition as dtd;
use crate::cfn::ecs::daemon_task_definition::{
    CfnDaemonTaskDefinition, CfnDaemonTaskDefinitionRef, DaemonContainerDefinition,
};
use crate::cfn::ecs::task_definition as td;
use crate::ecs::container::TaskTraits;
use crate::ecs::task_definition_base::{
    ContainerInfo, LoweredTask, check_container_memory, check_mounted_volumes, default_family,
    lower_containers, unique_container_names,
};
use crate::ecs::{Cluster, ContainerBuilder, ManagedInstancesCapacityProvider};
use crate::iam::Role;
use crate::synth::{Expr, NodeId, Value};
use crate::validation::is_simple_name;
use crate::{Error, Result, Stack};

/// Whose PID or IPC namespace a daemon's containers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum DaemonNamespace {
    /// The daemon's own namespace, isolated from the instance's other tasks
    /// (`none`).
    #[default]
    Isolated,
    /// The instance's namespace (`shared`): the daemon sees the host's
    /// processes (PID) or shared memory (IPC), and so do tasks that ask for
    /// `host` mode and other daemons that share it.
    Shared,
}

impl DaemonNamespace {
    fn pid(self) -> dtd::PidMode {
        match self {
            Self::Isolated => dtd::PidMode::None,
            Self::Shared => dtd::PidMode::Shared,
        }
    }

    fn ipc(self) -> dtd::IpcMode {
        match self {
            Self::Isolated => dtd::IpcMode::None,
            Self::Shared => dtd::IpcMode::Shared,
        }
    }
}

/// A daemon task definition (`AWS::ECS::DaemonTaskDefinition`). Cheap to
/// clone; children as the other task definitions' (`Resource`, `TaskRole`,
/// `ExecutionRole`, one per container).
///
/// Every property of the resource but its tags is create-only: any change
/// registers a new revision, which the daemons using it then roll out by
/// replacing their instances.
#[derive(Debug, Clone, PartialEq)]
pub struct DaemonTaskDefinition {
    node: NodeId,
    resource: CfnDaemonTaskDefinitionRef,
    task_role: Role,
    execution_role: Option<Role>,
    containers: Arc<[ContainerInfo]>,
}

impl DaemonTaskDefinition {
    /// A builder for a daemon task definition with construct id `id`.
    pub fn builder(id: impl Into<String>) -> DaemonTaskDefinitionBuilder {
        DaemonTaskDefinitionBuilder {
            id: id.into(),
            containers: Vec::new(),
            volumes: Vec::new(),
            cpu: 256,
            memory_mib: 512,
            pid_mode: None,
            ipc_mode: None,
            family: None,
        }
    }

    /// The task definition's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::ECS::DaemonTaskDefinition` resource.
    #[must_use]
    pub fn resource(&self) -> CfnDaemonTaskDefinitionRef {
        self.resource
    }

    /// The daemon task definition's ARN (`Ref`).
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The role the daemon's containers run as; grant it what the agent
    /// calls.
    #[must_use]
    pub fn task_role(&self) -> Role {
        self.task_role
    }

    /// The role ECS uses to start the daemon's task (pull images, write
    /// logs, read secrets), if a container needed one.
    #[must_use]
    pub fn execution_role(&self) -> Option<Role> {
        self.execution_role
    }

    /// The container names, in order.
    #[must_use]
    pub fn container_names(&self) -> Vec<&str> {
        self.containers.iter().map(|c| c.name.as_str()).collect()
    }
}

/// Builds a [`DaemonTaskDefinition`].
#[derive(Debug, Clone)]
#[must_use]
pub struct DaemonTaskDefinitionBuilder {
    id: String,
    containers: Vec<ContainerBuilder>,
    volumes: Vec<(String, String)>,
    cpu: u32,
    memory_mib: u32,
    pid_mode: Option<DaemonNamespace>,
    ipc_mode: Option<DaemonNamespace>,
    family: Option<String>,
}

impl DaemonTaskDefinitionBuilder {
    /// Adds a container. A daemon container has no port mappings (it
    /// listens on the instance's daemon network, where each daemon needs
    /// ports of its own) and no GPUs.
    ///
    /// CloudFormation default: none (ECS requires at least one, and one
    /// essential).
    /// ecscdk default: none.
    pub fn container(mut self, container: ContainerBuilder) -> Self {
        self.containers.push(container);
        self
    }

    /// Adds the instance's directory `source_path` as the volume `name`,
    /// which containers mount with [`ContainerBuilder::mount`] (read-only
    /// unless the agent writes there). The only kind of volume a daemon
    /// takes; it lasts as long as the instance.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn host_volume(mut self, name: impl Into<String>, source_path: impl Into<String>) -> Self {
        self.volumes.push((name.into(), source_path.into()));
        self
    }

    /// The CPU units reserved for the daemon on each instance (1024 = 1
    /// vCPU).
    ///
    /// CloudFormation default: none (the containers' own).
    /// ecscdk default: 256, as the console's example and the CDK's
    /// Managed Instances task definition.
    pub fn cpu(mut self, units: u32) -> Self {
        self.cpu = units;
        self
    }

    /// The memory reserved for the daemon on each instance, MiB.
    ///
    /// CloudFormation default: none (the containers' own).
    /// ecscdk default: 512, as the console's example and the CDK's
    /// Managed Instances task definition.
    pub fn memory_mib(mut self, mib: u32) -> Self {
        self.memory_mib = mib;
        self
    }

    /// Whose process namespace the containers use.
    ///
    /// CloudFormation default: `none` (the daemon's own).
    /// ecscdk default: omitted (the daemon's own).
    pub fn pid_mode(mut self, namespace: DaemonNamespace) -> Self {
        self.pid_mode = Some(namespace);
        self
    }

    /// Whose IPC namespace (shared memory, semaphores) the containers use.
    ///
    /// CloudFormation default: `none` (the daemon's own).
    /// ecscdk default: omitted (the daemon's own).
    pub fn ipc_mode(mut self, namespace: DaemonNamespace) -> Self {
        self.ipc_mode = Some(namespace);
        self
    }

    /// The daemon task definition's family (name).
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: the unique id of the construct path including the
    /// stack, as the CDK names task definition families.
    pub fn family(mut self, family: impl Into<String>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// Adds the daemon task definition directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] without containers or without an essential one;
    /// [`Error::Unsupported`] for a container with port mappings or GPUs;
    /// [`Error::InvalidProperty`] for duplicate container or volume names,
    /// a volume whose host path is not absolute, a mount of an unknown
    /// volume, a CPU or memory of 0, a container asking for more memory
    /// than the daemon has, a family ECS refuses, and the container checks
    /// of [`ContainerBuilder`].
    pub fn build(self, stack: &mut Stack) -> Result<DaemonTaskDefinition> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the daemon task definition under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<DaemonTaskDefinition> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ecs.DaemonTaskDefinition")?;
        self.check(stack, node)?;
        let LoweredTask {
            task_role,
            execution_role,
            definitions,
            infos,
        } = lower_containers(stack, node, self.containers, None, TaskTraits::default())?;
        let family = self.family.unwrap_or_else(|| default_family(stack, node));
        let definition = CfnDaemonTaskDefinition {
            container_definitions: Some(Value::Lit(
                definitions
                    .into_iter()
                    .map(|d| lit(d, daemon_container))
                    .collect(),
            )),
            cpu: Some(Value::Lit(self.cpu.to_string())),
            execution_role_arn: execution_role.map(|r| Value::from(r.arn())),
            family: Some(Value::Lit(family)),
            ipc_mode: self.ipc_mode.map(|m| Value::Lit(m.ipc())),
            memory: Some(Value::Lit(self.memory_mib.to_string())),
            pid_mode: self.pid_mode.map(|m| Value::Lit(m.pid())),
            task_role_arn: Some(task_role.arn().into()),
            volumes: (!self.volumes.is_empty()).then(|| {
                Value::Lit(
                    self.volumes
                        .iter()
                        .map(|(name, source)| {
                            Value::Lit(dtd::Volume {
                                host: Some(Value::Lit(dtd::HostVolumeProperties {
                                    source_path: Some(Value::from(source.as_str())),
                                })),
                                name: Some(Value::from(name.as_str())),
                            })
                        })
                        .collect(),
                )
            }),
            ..CfnDaemonTaskDefinition::default()
        };
        let resource = stack.add(node, "Resource", definition)?;
        Ok(DaemonTaskDefinition {
            node,
            resource,
            task_role,
            execution_role,
            containers: infos.into(),
        })
    }

    fn check(&self, stack: &Stack, node: NodeId) -> Result<()> {
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if self.containers.is_empty() {
            return Err(Error::Missing {
                path,
                what: "container",
                fix: "add the agent with `.container(Container::builder(name, image))`",
            });
        }
        if !self.containers.iter().any(|c| c.essential) {
            return Err(Error::Missing {
                path,
                what: "essential container",
                fix: "ECS needs at least one essential container in a daemon task definition: drop `.essential(false)` from the agent's container",
            });
        }
        unique_container_names(&self.containers, &invalid)?;
        if self.containers.iter().any(|c| !c.ports.is_empty()) {
            return Err(Error::Unsupported {
                path,
                setting: "port",
                situation: "in a daemon task definition",
                fix: "daemons have no port mappings: they share the instance's daemon network, where tasks reach them at 169.254.172.2; let the container listen on its port, and give each daemon on an instance ports of its own",
            });
        }
        if self.containers.iter().any(|c| c.gpu_count.is_some()) {
            return Err(Error::Unsupported {
                path,
                setting: "gpu_count",
                situation: "in a daemon task definition",
                fix: "a daemon task definition reserves no GPUs; run GPU work as a service on the provider",
            });
        }
        for (name, source) in &self.volumes {
            if !source.starts_with('/') {
                return Err(invalid(
                    "host_volume",
                    format!(
                        "volume {name:?}: the host path {source:?} is not absolute; give the instance's directory from the root, such as `/var/log`"
                    ),
                ));
            }
        }
        check_mounted_volumes(
            self.volumes.iter().map(|(name, _)| name.as_str()),
            "host_volume",
            &self.containers,
            "daemon task definition",
            &|v| {
                format!(
                    "add the instance's directory with `.host_volume({v:?}, \"/path/on/the/instance\")`"
                )
            },
            &invalid,
        )?;
        if self.cpu == 0 || self.memory_mib == 0 {
            return Err(invalid(
                if self.cpu == 0 { "cpu" } else { "memory_mib" },
                "0 reserves nothing; give the daemon at least 1 (ecscdk's defaults are 256 CPU units and 512 MiB)".to_owned(),
            ));
        }
        check_container_memory(&self.containers, self.memory_mib, &invalid)?;
        if let Some(family) = &self.family
            && !is_simple_name(family, 255)
        {
            return Err(invalid(
                "family",
                format!(
                    "{family:?} is not a family ECS accepts: 1 to 255 letters, digits, `-` and `_`"
                ),
            ));
        }
        Ok(())
    }
}

/// Converts a literal, or retypes a deploy-time value (whose JSON is the
/// same under either type).
fn lit<T, U>(value: Value<T>, f: impl FnOnce(T) -> U) -> Value<U> {
    match value {
        Value::Lit(v) => Value::Lit(f(v)),
        Value::Expr(e) => Value::Expr(e.retype()),
    }
}

/// Converts each item of a list.
fn each<T, U>(list: Value<Vec<Value<T>>>, f: impl Fn(T) -> U) -> Value<Vec<Value<U>>> {
    lit(list, |items| {
        items.into_iter().map(|v| lit(v, &f)).collect()
    })
}

/// A task definition's container, rendered by [`ContainerBuilder`], as a
/// daemon container: the same properties under the daemon schema's types.
/// The builder's checks have already refused what a daemon lacks (port
/// mappings and GPUs), and the container builder writes no other property
/// the daemon schema does not have.
fn daemon_container(c: td::ContainerDefinition) -> DaemonContainerDefinition {
    DaemonContainerDefinition {
        command: c.command,
        cpu: c.cpu,
        depends_on: c.depends_on.map(|l| {
            each(l, |d| dtd::ContainerDependency {
                condition: d.condition.map(|v| lit(v, condition)),
                container_name: d.container_name,
            })
        }),
        entry_point: c.entry_point,
        environment: c.environment.map(|l| {
            each(l, |kv| dtd::KeyValuePair {
                name: kv.name,
                value: kv.value,
            })
        }),
        environment_files: c.environment_files.map(|l| {
            each(l, |f| dtd::EnvironmentFile {
                r#type: f.r#type.map(|t| lit(t, |_| dtd::Type::S3)),
                value: f.value,
            })
        }),
        essential: c.essential,
        firelens_configuration: c.firelens_configuration.map(|v| {
            lit(v, |f| dtd::FirelensConfiguration {
                options: f.options,
                r#type: f.r#type.map(|t| {
                    lit(t, |t| match t {
                        td::FirelensConfigurationType::Fluentd => {
                            dtd::FirelensConfigurationType::Fluentd
                        }
                        td::FirelensConfigurationType::Fluentbit => {
                            dtd::FirelensConfigurationType::Fluentbit
                        }
                    })
                }),
            })
        }),
        health_check: c.health_check.map(|v| {
            lit(v, |h| dtd::HealthCheck {
                command: h.command,
                interval: h.interval,
                retries: h.retries,
                start_period: h.start_period,
                timeout: h.timeout,
            })
        }),
        linux_parameters: c.linux_parameters.map(|v| {
            lit(v, |p| dtd::LinuxParameters {
                capabilities: p.capabilities.map(|v| {
                    lit(v, |k| dtd::KernelCapabilities {
                        add: k.add,
                        drop: k.drop,
                    })
                }),
                init_process_enabled: p.init_process_enabled,
                ..dtd::LinuxParameters::default()
            })
        }),
        log_configuration: c.log_configuration.map(|v| {
            lit(v, |l| dtd::LogConfiguration {
                log_driver: l.log_driver,
                options: l.options,
                secret_options: l.secret_options.map(|s| each(s, secret)),
            })
        }),
        memory: c.memory,
        memory_reservation: c.memory_reservation,
        mount_points: c.mount_points.map(|l| {
            each(l, |m| dtd::MountPoint {
                container_path: m.container_path,
                read_only: m.read_only,
                source_volume: m.source_volume,
            })
        }),
        privileged: c.privileged,
        readonly_root_filesystem: c.readonly_root_filesystem,
        repository_credentials: c.repository_credentials.map(|v| {
            lit(v, |r| dtd::RepositoryCredentials {
                credentials_parameter: r.credentials_parameter,
            })
        }),
        restart_policy: c.restart_policy.map(|v| {
            lit(v, |r| dtd::RestartPolicy {
                enabled: r.enabled,
                ignored_exit_codes: r.ignored_exit_codes,
                restart_attempt_period: r.restart_attempt_period,
            })
        }),
        secrets: c.secrets.map(|l| each(l, secret)),
        start_timeout: c.start_timeout,
        stop_timeout: c.stop_timeout,
        system_controls: c.system_controls.map(|l| {
            each(l, |s| dtd::SystemControl {
                namespace: s.namespace,
                value: s.value,
            })
        }),
        ulimits: c.ulimits.map(|l| {
            each(l, |u| dtd::Ulimit {
                hard_limit: u.hard_limit,
                name: lit(u.name, ulimit_name),
                soft_limit: u.soft_limit,
            })
        }),
        user: c.user,
        working_directory: c.working_directory,
        ..DaemonContainerDefinition::new(c.image, c.name)
    }
}

fn secret(s: td::Secret) -> dtd::Secret {
    dtd::Secret::new(s.name, s.value_from)
}

fn condition(c: td::Condition) -> dtd::Condition {
    match c {
        td::Condition::Complete => dtd::Condition::Complete,
        td::Condition::Healthy => dtd::Condition::Healthy,
        td::Condition::Start => dtd::Condition::Start,
        td::Condition::Success => dtd::Condition::Success,
    }
}

fn ulimit_name(n: td::Name) -> dtd::Name {
    use dtd::Name as D;
    use td::Name as T;
    match n {
        T::Core => D::Core,
        T::Cpu => D::Cpu,
        T::Data => D::Data,
        T::Fsize => D::Fsize,
        T::Locks => D::Locks,
        T::Memlock => D::Memlock,
        T::Msgqueue => D::Msgqueue,
        T::Nice => D::Nice,
        T::Nofile => D::Nofile,
        T::Nproc => D::Nproc,
        T::Rss => D::Rss,
        T::Rtprio => D::Rtprio,
        T::Rttime => D::Rttime,
        T::Sigpending => D::Sigpending,
        T::Stack => D::Stack,
    }
}

/// A Managed Daemon (`AWS::ECS::Daemon`): one task of a
/// [`DaemonTaskDefinition`] on every instance of its capacity providers.
/// Cheap to copy; its resource is the child `Resource`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Daemon {
    node: NodeId,
    resource: CfnDaemonRef,
}

impl Daemon {
    /// A builder for a daemon of `task_definition` in `cluster`; give it
    /// at least one provider with
    /// [`capacity_provider`](DaemonBuilder::capacity_provider).
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        task_definition: &DaemonTaskDefinition,
    ) -> DaemonBuilder {
        DaemonBuilder {
            id: id.into(),
            cluster: cluster.clone(),
            task_definition: task_definition.arn(),
            roles: std::iter::once(task_definition.task_role)
                .chain(task_definition.execution_role)
                .map(|r| r.node())
                .collect(),
            providers: Vec::new(),
            critical: true,
            drain_percent: None,
            bake_time: None,
            alarms: Vec::new(),
            name: None,
            execute_command: false,
            propagate_tags: false,
            managed_tags: false,
        }
    }

    /// The daemon's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::ECS::Daemon` resource.
    #[must_use]
    pub fn resource(&self) -> CfnDaemonRef {
        self.resource
    }

    /// The daemon's ARN.
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.resource.attr_daemon_arn()
    }
}

/// Builds a [`Daemon`].
#[derive(Debug, Clone)]
#[must_use]
pub struct DaemonBuilder {
    id: String,
    cluster: Cluster,
    task_definition: Expr<String>,
    /// The task definition's roles: the daemon's tasks start once they
    /// and their policies exist.
    roles: Vec<NodeId>,
    providers: Vec<ManagedInstancesCapacityProvider>,
    critical: bool,
    drain_percent: Option<f64>,
    bake_time: Option<Duration>,
    alarms: Vec<Value<String>>,
    name: Option<Value<String>>,
    execute_command: bool,
    propagate_tags: bool,
    managed_tags: bool,
}

impl DaemonBuilder {
    /// Runs the daemon on every instance of `provider`, a Managed Instances
    /// provider of the daemon's cluster (the only kind ECS runs daemons
    /// on). Repeatable; at least one is required.
    ///
    /// CloudFormation default: none (ECS requires at least one).
    /// ecscdk default: none (required).
    pub fn capacity_provider(mut self, provider: &ManagedInstancesCapacityProvider) -> Self {
        self.providers.push(*provider);
        self
    }

    /// Whether the daemon is critical to its instance: when its task fails,
    /// ECS drains the instance and replaces it. A non-critical daemon that
    /// fails leaves the instance serving tasks.
    ///
    /// CloudFormation default: `true` (ECS's).
    /// ecscdk default: `true`, written out.
    pub fn critical(mut self, critical: bool) -> Self {
        self.critical = critical;
        self
    }

    /// The percentage of instances (0 to 100) ECS drains and replaces at a
    /// time when it rolls out a new revision of the daemon.
    ///
    /// CloudFormation default: ECS's (not documented).
    /// ecscdk default: omitted (ECS's).
    pub fn drain_percent(mut self, percent: f64) -> Self {
        self.drain_percent = Some(percent);
        self
    }

    /// How long ECS waits after each step of a rollout before the next
    /// (whole minutes, at most 24 hours).
    ///
    /// CloudFormation default: 0 minutes.
    /// ecscdk default: omitted (0 minutes).
    pub fn bake_time(mut self, bake_time: Duration) -> Self {
        self.bake_time = Some(bake_time);
        self
    }

    /// CloudWatch alarms (names) that stop a rollout and roll it back when
    /// they go off.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn deployment_alarms<V: Into<Value<String>>>(
        mut self,
        alarm_names: impl IntoIterator<Item = V>,
    ) -> Self {
        self.alarms = alarm_names.into_iter().map(Into::into).collect();
        self
    }

    /// The daemon's name, unique in its cluster; changing it replaces the
    /// daemon.
    ///
    /// CloudFormation default: none (ECS requires one).
    /// ecscdk default: the unique id of the construct path including the
    /// stack, as the default family of a task definition.
    pub fn daemon_name(mut self, name: impl Into<Value<String>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// ECS Exec into the daemon's containers; the daemon task definition's
    /// task role needs the SSM messages permissions.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    pub fn enable_execute_command(mut self) -> Self {
        self.execute_command = true;
        self
    }

    /// Copies the daemon's tags to its tasks when ECS starts them.
    ///
    /// CloudFormation default: not copied.
    /// ecscdk default: not copied.
    pub fn propagate_tags(mut self) -> Self {
        self.propagate_tags = true;
        self
    }

    /// Tags the daemon's tasks with ECS's managed tags (cluster and
    /// daemon).
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    pub fn ecs_managed_tags(mut self) -> Self {
        self.managed_tags = true;
        self
    }

    /// Adds the daemon directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] without a capacity provider;
    /// [`Error::Unsupported`] for a provider of another cluster;
    /// [`Error::InvalidProperty`] for a provider given twice, a drain
    /// percentage outside 0 to 100, a bake time that is not whole minutes
    /// or is above 24 hours, or a name ECS refuses.
    pub fn build(self, stack: &mut Stack) -> Result<Daemon> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the daemon under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Daemon> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ecs.Daemon")?;
        self.check(stack, node)?;
        let name = self
            .name
            .unwrap_or_else(|| Value::Lit(default_family(stack, node)));
        let providers = self
            .providers
            .iter()
            .map(|p| {
                Value::from(Expr::sub_with(
                    "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:capacity-provider/${Name}",
                    [("Name", p.name())],
                ))
            })
            .collect();
        let deployment =
            (self.drain_percent.is_some() || self.bake_time.is_some() || !self.alarms.is_empty())
                .then(|| {
                    Value::Lit(DaemonDeploymentConfiguration {
                        alarms: (!self.alarms.is_empty()).then(|| {
                            Value::Lit(DaemonAlarmConfiguration {
                                alarm_names: Some(Value::Lit(self.alarms.clone())),
                                enable: Some(Value::Lit(true)),
                            })
                        }),
                        bake_time_in_minutes: self.bake_time.map(|b| {
                            Value::Lit(i64::try_from(b.as_secs() / 60).unwrap_or(i64::MAX))
                        }),
                        drain_percent: self.drain_percent.map(Value::Lit),
                    })
                });
        let daemon = CfnDaemon {
            capacity_provider_arns: Some(Value::Lit(providers)),
            cluster_arn: Some(self.cluster.arn()),
            critical: Some(Value::Lit(self.critical)),
            daemon_name: Some(name),
            daemon_task_definition_arn: Some(self.task_definition.into()),
            deployment_configuration: deployment,
            enable_ecs_managed_tags: self.managed_tags.then_some(Value::Lit(true)),
            enable_execute_command: self.execute_command.then_some(Value::Lit(true)),
            propagate_tags: self
                .propagate_tags
                .then_some(Value::Lit(PropagateTags::Daemon)),
            ..CfnDaemon::default()
        };
        let resource = stack.add(node, "Resource", daemon)?;
        for role in &self.roles {
            stack.add_node_dependency(resource.untyped().node(), *role)?;
        }
        for provider in &self.providers {
            crate::ecs::managed_instances::add_daemon(stack, provider, resource.untyped().node())?;
        }
        Ok(Daemon { node, resource })
    }

    fn check(&self, stack: &Stack, node: NodeId) -> Result<()> {
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if self.providers.is_empty() {
            return Err(Error::Missing {
                path,
                what: "capacity provider",
                fix: "a daemon runs on the instances of Managed Instances providers: add `.capacity_provider(&provider)`",
            });
        }
        if self
            .providers
            .iter()
            .any(|p| p.cluster() != self.cluster.node())
        {
            return Err(Error::Unsupported {
                path,
                setting: "capacity_provider",
                situation: "with a provider of another cluster",
                fix: "a daemon runs in one cluster, on that cluster's providers: build the provider with `ManagedInstancesCapacityProvider::builder(id, &cluster)` for the daemon's cluster, or the daemon in the provider's",
            });
        }
        for (i, p) in self.providers.iter().enumerate() {
            if self.providers.get(..i).unwrap_or_default().contains(p) {
                return Err(invalid(
                    "capacity_provider",
                    format!(
                        "the provider {} is given twice; give each provider once",
                        stack.path(p.node())
                    ),
                ));
            }
        }
        if let Some(p) = self.drain_percent
            && (!p.is_finite() || !(0.0..=100.0).contains(&p))
        {
            return Err(invalid(
                "drain_percent",
                format!(
                    "{p} is outside 0 to 100, the percentages of instances ECS drains at a time"
                ),
            ));
        }
        if let Some(problem) = self
            .bake_time
            .and_then(|b| crate::ecs::deployment::minutes_problem("bake time", b))
        {
            return Err(invalid("bake_time", problem));
        }
        if let Some(Value::Lit(name)) = &self.name
            && !is_simple_name(name, 255)
        {
            return Err(invalid(
                "daemon_name",
                format!(
                    "{name:?} is not a name ECS accepts: 1 to 255 letters, digits, `-` and `_`"
                ),
            ));
        }
        Ok(())
    }
}
