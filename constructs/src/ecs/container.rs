//! Containers of a task definition: image, ports, environment, secrets,
//! health check, logging, Linux settings and resources (GPUs on EC2 and ECS
//! Anywhere), start and stop timeouts, restarts and kernel parameters, and
//! images built from a Dockerfile.
//!
//! A container is described with [`Container::builder`] and handed to its
//! task definition's builder, which renders it into the task definition's
//! `ContainerDefinitions` and grants its execution role exactly what the
//! container needs (log writing, image pulls, secret reads).
//!
//! ```
//! use ecscdk::ecs::{Container, ContainerImage, PortMapping};
//! let web = Container::builder("web", ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"))
//!     .port(PortMapping::tcp(80))
//!     .env("MODE", "prod");
//! # let _ = web;
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use crate::cfn::ecs::task_definition::{
    Condition, ContainerDefinition, ContainerDependency, FirelensConfiguration,
    FirelensConfigurationType, HealthCheck as CfnHealthCheck, KernelCapabilities, KeyValuePair,
    LinuxParameters, LogConfiguration, MountPoint, Name as UlimitName,
    PortMapping as CfnPortMapping, Protocol as CfnProtocol, RepositoryCredentials,
    ResourceRequirement, ResourceRequirementType, Secret as CfnSecret, Ulimit,
};
use crate::ecr_assets::AssetImage;
use crate::ecs::RestartPolicy;
use crate::ecs::system_control::{KernelNamespace, SystemControl};
use crate::iam::PolicyStatement;
use crate::logs::{LogGroup, RetentionDays};
use crate::synth::{Expr, NodeId, Pseudo, Value};
use crate::validation::Pattern;
use crate::{Error, Result, Stack};

pub use crate::cfn::ecs::task_definition::AppProtocol;

/// The id of the warning about a read-only root filesystem with nothing
/// writable mounted.
pub const READ_ONLY_ROOT_WARNING: &str = "ecscdk:ecs:readOnlyRootFilesystem";

/// The id of the warning about a privileged container.
pub const PRIVILEGED_WARNING: &str = "ecscdk:ecs:privileged";

/// Where a container's image comes from.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ContainerImage {
    /// A public or private registry image (`repo:tag` or `repo@sha256:…`),
    /// optionally with registry credentials kept in Secrets Manager.
    Registry {
        /// The image reference.
        image: String,
        /// The ARN of a Secrets Manager secret with the registry credentials.
        credentials_secret_arn: Option<Value<String>>,
    },
    /// An image in an ECR repository; the execution role is granted pulls
    /// from that repository only.
    Ecr {
        /// The repository's ARN.
        repository_arn: Value<String>,
        /// The repository's URI (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME`).
        repository_uri: Value<String>,
        /// `:tag` or `@sha256:digest`, appended to the URI.
        reference: String,
    },
    /// An image built from a Dockerfile at deploy and pushed to the
    /// bootstrap's container-asset repository (the CDK's
    /// `ContainerImage.fromAsset`); the execution role is granted pulls from
    /// that repository only. Its asset is the container's child `AssetImage`.
    Asset(AssetImage),
}

impl ContainerImage {
    /// An image from a registry, e.g. `public.ecr.aws/nginx/nginx:1.27`.
    pub fn registry(image: impl Into<String>) -> Self {
        Self::Registry {
            image: image.into(),
            credentials_secret_arn: None,
        }
    }

    /// An image from a private registry whose credentials are the Secrets
    /// Manager secret `secret_arn`; the execution role may read that secret.
    pub fn registry_with_credentials(
        image: impl Into<String>,
        secret_arn: impl Into<Value<String>>,
    ) -> Self {
        Self::Registry {
            image: image.into(),
            credentials_secret_arn: Some(secret_arn.into()),
        }
    }

    /// An image with `tag` from an ECR repository. The ARN, the URI
    /// (without a tag) and the tag are checked at the task definition's
    /// `build()` when they are literals, and must name one repository.
    pub fn ecr_tag(
        repository_arn: impl Into<Value<String>>,
        repository_uri: impl Into<Value<String>>,
        tag: &str,
    ) -> Self {
        Self::Ecr {
            repository_arn: repository_arn.into(),
            repository_uri: repository_uri.into(),
            reference: format!(":{tag}"),
        }
    }

    /// An image built from the Dockerfile in `directory` (see
    /// [`ecr_assets`](crate::ecr_assets)); for a Dockerfile elsewhere, build
    /// arguments, a target or a platform, pass an
    /// [`AssetImage`](crate::ecr_assets::AssetImage) through `From`:
    /// `AssetImage::new(dir).file("Dockerfile.prod").into()`.
    /// Problems with the directory are reported at the task definition's
    /// `build()`, with the container's path.
    pub fn from_asset(directory: impl Into<std::path::PathBuf>) -> Self {
        Self::Asset(AssetImage::new(directory))
    }

    /// An image with digest `sha256:…` from an ECR repository (immutable);
    /// checked as [`ecr_tag`](Self::ecr_tag).
    pub fn ecr_digest(
        repository_arn: impl Into<Value<String>>,
        repository_uri: impl Into<Value<String>>,
        digest: &str,
    ) -> Self {
        Self::Ecr {
            repository_arn: repository_arn.into(),
            repository_uri: repository_uri.into(),
            reference: format!("@{digest}"),
        }
    }
}

impl From<AssetImage> for ContainerImage {
    fn from(image: AssetImage) -> Self {
        Self::Asset(image)
    }
}

/// The transport protocol of a port mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Protocol {
    /// TCP.
    #[default]
    Tcp,
    /// UDP.
    Udp,
}

/// A port the container listens on. In `awsvpc` mode (Fargate) the host
/// port is the container port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PortMapping {
    pub(crate) container_port: u16,
    pub(crate) host_port: Option<u16>,
    pub(crate) protocol: Protocol,
    pub(crate) name: Option<String>,
    pub(crate) app_protocol: Option<AppProtocol>,
    pub(crate) range_end: Option<u16>,
}

impl PortMapping {
    /// A TCP port.
    #[must_use]
    pub fn tcp(port: u16) -> Self {
        Self {
            container_port: port,
            host_port: None,
            protocol: Protocol::Tcp,
            name: None,
            app_protocol: None,
            range_end: None,
        }
    }

    /// A UDP port.
    #[must_use]
    pub fn udp(port: u16) -> Self {
        Self {
            protocol: Protocol::Udp,
            ..Self::tcp(port)
        }
    }

    /// A range of TCP ports, `first` to `last`.
    #[must_use]
    pub fn tcp_range(first: u16, last: u16) -> Self {
        Self {
            range_end: Some(last),
            ..Self::tcp(first)
        }
    }

    /// The mapping's name (Service Connect refers to ports by name).
    ///
    /// CloudFormation default: no name.
    /// ecscdk default: omitted.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The application protocol (Service Connect: `http`, `http2`, `grpc`).
    ///
    /// CloudFormation default: none (Service Connect then handles the port
    /// as plain TCP).
    /// ecscdk default: omitted.
    #[must_use]
    pub fn app_protocol(mut self, protocol: AppProtocol) -> Self {
        self.app_protocol = Some(protocol);
        self
    }

    /// A host port; in `awsvpc` mode it must equal the container port.
    ///
    /// CloudFormation default: the container port in `awsvpc` and `host`
    /// modes; a dynamic port in `bridge` mode.
    /// ecscdk default: omitted, written as 0 (dynamic) in `bridge` and `nat`
    /// modes, as the AWS CDK writes it.
    #[must_use]
    pub fn host_port(mut self, port: u16) -> Self {
        self.host_port = Some(port);
        self
    }

    /// The container port.
    #[must_use]
    pub fn container_port(&self) -> u16 {
        self.container_port
    }

    /// The protocol.
    #[must_use]
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The name, if set.
    #[must_use]
    pub fn port_name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// A secret exposed to the container as an environment variable, read by
/// the execution role at task start.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ContainerSecret {
    /// An SSM Parameter Store parameter, by ARN.
    SsmParameter {
        /// The parameter's ARN.
        arn: Value<String>,
    },
    /// A Secrets Manager secret, whole or one JSON key of it.
    SecretsManager {
        /// The secret's ARN.
        arn: Value<String>,
        /// One key of a JSON secret.
        json_key: Option<String>,
    },
}

impl ContainerSecret {
    /// An SSM parameter by ARN.
    pub fn ssm_parameter(arn: impl Into<Value<String>>) -> Self {
        Self::SsmParameter { arn: arn.into() }
    }

    /// An SSM parameter of this account and region by name (`/app/db-url` or
    /// `db-url`); its ARN is built with the stack's partition, region and
    /// account.
    pub fn ssm_parameter_name(name: &str) -> Self {
        let path = name.trim_start_matches('/');
        Self::SsmParameter {
            arn: Expr::sub_with(
                "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Name}",
                [("Name", Value::from(path))],
            )
            .into(),
        }
    }

    /// A whole Secrets Manager secret.
    pub fn secrets_manager(arn: impl Into<Value<String>>) -> Self {
        Self::SecretsManager {
            arn: arn.into(),
            json_key: None,
        }
    }

    /// One key of a JSON Secrets Manager secret.
    pub fn secrets_manager_json_key(arn: impl Into<Value<String>>, key: impl Into<String>) -> Self {
        Self::SecretsManager {
            arn: arn.into(),
            json_key: Some(key.into()),
        }
    }

    pub(crate) fn value_from(&self) -> Value<String> {
        match self {
            Self::SsmParameter { arn }
            | Self::SecretsManager {
                arn,
                json_key: None,
            } => arn.clone(),
            Self::SecretsManager {
                arn,
                json_key: Some(key),
            } => match arn {
                Value::Lit(a) => Value::Lit(format!("{a}:{key}::")),
                other => Expr::join("", [other.clone(), Value::from(format!(":{key}::"))]).into(),
            },
        }
    }

    /// The reason a literal ARN is not one of its kind: ECS reads the secret
    /// by it, and the execution role's policy names it.
    fn check(&self) -> std::result::Result<(), String> {
        let (arn, pattern, shape) = match self {
            Self::SsmParameter { arn } => (
                arn,
                &SSM_PARAMETER_ARN,
                "`arn:aws:ssm:<region>:<account>:parameter/<name>`; for a parameter of this account and region by name use `ContainerSecret::ssm_parameter_name`",
            ),
            Self::SecretsManager { arn, .. } => (
                arn,
                &SECRET_ARN,
                "`arn:aws:secretsmanager:<region>:<account>:secret:<name>`, as the secret's console page or `aws secretsmanager describe-secret` shows it",
            ),
        };
        match arn {
            Value::Lit(a) if !pattern.is_match(a) => {
                Err(format!("{a:?} is not an ARN of the form {shape}"))
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn grant(&self) -> PolicyStatement {
        match self {
            Self::SsmParameter { arn } => PolicyStatement::allow()
                .actions([
                    "ssm:DescribeParameters",
                    "ssm:GetParameters",
                    "ssm:GetParameter",
                    "ssm:GetParameterHistory",
                ])
                .resource(arn.clone()),
            Self::SecretsManager { arn, .. } => PolicyStatement::allow()
                .actions([
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:DescribeSecret",
                ])
                .resource(arn.clone()),
        }
    }
}

/// A container health check, run by the container agent.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthCheck {
    command: Vec<String>,
    interval: Duration,
    timeout: Duration,
    retries: u32,
    start_period: Option<Duration>,
}

impl HealthCheck {
    /// A check that runs `command` in a shell (`CMD-SHELL`); exit code 0 is
    /// healthy. Interval 30 s, timeout 5 s, 3 retries, as ECS defaults.
    pub fn shell(command: impl Into<String>) -> Self {
        Self {
            command: vec!["CMD-SHELL".to_owned(), command.into()],
            interval: Duration::from_secs(30),
            timeout: Duration::from_secs(5),
            retries: 3,
            start_period: None,
        }
    }

    /// Seconds between checks (5–300).
    ///
    /// CloudFormation default: 30 s.
    /// ecscdk default: 30 s, written out.
    #[must_use]
    pub fn interval(mut self, every: Duration) -> Self {
        self.interval = every;
        self
    }

    /// How long a check may take (2–60 s, the range the ECS API and its
    /// CloudFormation schema give).
    ///
    /// CloudFormation default: 5 s.
    /// ecscdk default: 5 s, written out.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Failures in a row before the container is unhealthy (1–10).
    ///
    /// CloudFormation default: 3.
    /// ecscdk default: 3, written out.
    #[must_use]
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// Grace period after start during which failures don't count (0–300 s).
    ///
    /// CloudFormation default: off (0 s).
    /// ecscdk default: omitted (off).
    #[must_use]
    pub fn start_period(mut self, period: Duration) -> Self {
        self.start_period = Some(period);
        self
    }
}

/// When a container may start, relative to another container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContainerCondition {
    /// The other container has started.
    Start,
    /// The other container has run to completion (any exit code).
    Complete,
    /// The other container has exited 0.
    Success,
    /// The other container's health check passed.
    Healthy,
}

/// How a container's output is collected.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LogDriver {
    /// `awslogs` to CloudWatch Logs, into a log group created for the
    /// container (`<container>/LogGroup`) unless one is given.
    AwsLogs {
        /// The stream prefix (`prefix/container/task-id`).
        stream_prefix: String,
        /// Retention of the created log group.
        retention: RetentionDays,
        /// An existing log group instead of a created one.
        log_group: Option<LogGroup>,
        /// Non-blocking delivery with this buffer size (e.g. `25m`).
        non_blocking_buffer: Option<String>,
    },
    /// FireLens: output goes to a Fluent Bit log router container of the
    /// same task (added by the task definition when missing), which ships it
    /// to CloudWatch Logs in a log group created for the container. The task
    /// role, which the router runs as, may write to that group.
    FireLensCloudWatch {
        /// The log stream prefix.
        stream_prefix: String,
        /// Retention of the created log group.
        retention: RetentionDays,
    },
}

impl LogDriver {
    /// `awslogs` with a created log group (30-day retention).
    pub fn aws_logs(stream_prefix: impl Into<String>) -> Self {
        Self::AwsLogs {
            stream_prefix: stream_prefix.into(),
            retention: RetentionDays::default(),
            log_group: None,
            non_blocking_buffer: None,
        }
    }

    /// FireLens to CloudWatch Logs through a Fluent Bit log router.
    pub fn firelens_cloudwatch(stream_prefix: impl Into<String>) -> Self {
        Self::FireLensCloudWatch {
            stream_prefix: stream_prefix.into(),
            retention: RetentionDays::default(),
        }
    }

    /// Sets the retention of the created log group.
    ///
    /// CloudFormation default: forever (`AWS::Logs::LogGroup` without
    /// `RetentionInDays`).
    /// ecscdk default: [`RetentionDays::OneMonth`]: logs on, but not kept
    /// (and paid for) forever.
    #[must_use]
    pub fn retention(mut self, days: RetentionDays) -> Self {
        match &mut self {
            Self::AwsLogs { retention, .. } | Self::FireLensCloudWatch { retention, .. } => {
                *retention = days
            }
        }
        self
    }

    /// Writes into an existing log group instead of creating one (`awslogs`
    /// only).
    ///
    /// CloudFormation default: not applicable (the `awslogs-group` option
    /// is required).
    /// ecscdk default: a log group created for the container.
    #[must_use]
    pub fn log_group(mut self, group: LogGroup) -> Self {
        if let Self::AwsLogs { log_group, .. } = &mut self {
            *log_group = Some(group);
        }
        self
    }

    /// Delivers logs without blocking the application, buffering up to
    /// `size` (e.g. `25m`); logs may be lost when the buffer is full
    /// (`awslogs` only).
    ///
    /// CloudFormation default: no `mode` option; ECS then applies the
    /// account setting `defaultLogDriverMode`.
    /// ecscdk default: omitted (no `mode` or `max-buffer-size` option).
    #[must_use]
    pub fn non_blocking(mut self, size: impl Into<String>) -> Self {
        if let Self::AwsLogs {
            non_blocking_buffer,
            ..
        } = &mut self
        {
            *non_blocking_buffer = Some(size.into());
        }
        self
    }

    pub(crate) fn is_firelens(&self) -> bool {
        matches!(self, Self::FireLensCloudWatch { .. })
    }
}

/// A resource limit (`ulimit`) of a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UlimitSetting {
    /// Which limit.
    pub name: UlimitName,
    /// Soft limit.
    pub soft: i64,
    /// Hard limit.
    pub hard: i64,
}

/// What the container checks need to know of the task definition a
/// container is rendered into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct TaskTraits {
    /// Fargate runs the task (`awsvpc` networking).
    pub(crate) fargate: bool,
    /// The task runs Windows.
    pub(crate) windows: bool,
    /// The task uses the `host` network mode: its containers share the
    /// instance's network namespace.
    pub(crate) host_network: bool,
}

/// The oldest Linux Fargate platform version a container setting runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PlatformFloor {
    /// The setter, as errors name it.
    pub(crate) setting: &'static str,
    /// The version, (major, minor).
    pub(crate) version: (u32, u32),
    /// What to do on an older platform.
    pub(crate) fix: &'static str,
}

/// Entry point of the container builder.
#[derive(Debug, Clone, Copy)]
pub struct Container;

impl Container {
    /// A container named `name` running `image`.
    pub fn builder(name: impl Into<String>, image: ContainerImage) -> ContainerBuilder {
        ContainerBuilder {
            name: name.into(),
            image,
            ports: Vec::new(),
            environment: BTreeMap::new(),
            environment_files: Vec::new(),
            secrets: BTreeMap::new(),
            repeated: Vec::new(),
            health_check: None,
            depends_on: Vec::new(),
            essential: true,
            command: None,
            entry_point: None,
            working_directory: None,
            user: None,
            start_timeout: None,
            stop_timeout: None,
            restart_policy: None,
            system_controls: Vec::new(),
            logging: Logging::Default,
            ulimits: Vec::new(),
            init_process: false,
            add_capabilities: Vec::new(),
            drop_capabilities: Vec::new(),
            privileged: false,
            readonly_root_filesystem: true,
            root_filesystem_chosen: false,
            memory_limit_mib: None,
            memory_reservation_mib: None,
            cpu_units: None,
            mount_points: Vec::new(),
            gpu_count: None,
            log_router: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Logging {
    Default,
    Driver(LogDriver),
    Off,
}

/// Describes one container; handed to a task definition's builder.
#[derive(Debug, Clone)]
#[must_use]
pub struct ContainerBuilder {
    pub(crate) name: String,
    image: ContainerImage,
    pub(crate) ports: Vec<PortMapping>,
    environment: BTreeMap<String, Value<String>>,
    environment_files: Vec<Value<String>>,
    secrets: BTreeMap<String, ContainerSecret>,
    health_check: Option<HealthCheck>,
    pub(crate) depends_on: Vec<(String, ContainerCondition)>,
    pub(crate) essential: bool,
    command: Option<Vec<String>>,
    entry_point: Option<Vec<String>>,
    working_directory: Option<String>,
    user: Option<String>,
    start_timeout: Option<Duration>,
    stop_timeout: Option<Duration>,
    restart_policy: Option<RestartPolicy>,
    system_controls: Vec<SystemControl>,
    logging: Logging,
    ulimits: Vec<UlimitSetting>,
    init_process: bool,
    add_capabilities: Vec<String>,
    drop_capabilities: Vec<String>,
    privileged: bool,
    pub(crate) readonly_root_filesystem: bool,
    /// Whether the builder chose the root filesystem's mode (no warning).
    root_filesystem_chosen: bool,
    pub(crate) memory_limit_mib: Option<u32>,
    pub(crate) memory_reservation_mib: Option<u32>,
    pub(crate) cpu_units: Option<u32>,
    pub(crate) mount_points: Vec<(String, String, bool)>,
    pub(crate) gpu_count: Option<u32>,
    log_router: bool,
    /// Names given twice to `env`, `secret` or `system_control` (the
    /// setter, the name): the second value would silently replace the
    /// first.
    repeated: Vec<(&'static str, String)>,
}

impl ContainerBuilder {
    /// Adds a port mapping.
    ///
    /// CloudFormation default: no ports.
    /// ecscdk default: no ports.
    pub fn port(mut self, mapping: PortMapping) -> Self {
        self.ports.push(mapping);
        self
    }

    /// Sets an environment variable. A name is set once: a second value,
    /// or a secret of the same name, fails at `build()`.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        let name = name.into();
        if self
            .environment
            .insert(name.clone(), value.into())
            .is_some()
        {
            self.repeated.push(("env", name));
        }
        self
    }

    /// Adds an environment file in S3 (its object ARN); the execution role
    /// may read it.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn environment_file(mut self, s3_object_arn: impl Into<Value<String>>) -> Self {
        self.environment_files.push(s3_object_arn.into());
        self
    }

    /// Exposes a secret as the environment variable `name`; the execution
    /// role may read exactly that secret. A name is set once, as with
    /// [`env`](Self::env).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn secret(mut self, name: impl Into<String>, secret: ContainerSecret) -> Self {
        let name = name.into();
        if self.secrets.insert(name.clone(), secret).is_some() {
            self.repeated.push(("secret", name));
        }
        self
    }

    /// The container health check.
    ///
    /// CloudFormation default: none (the image's `HEALTHCHECK` is ignored).
    /// ecscdk default: none.
    pub fn health_check(mut self, check: HealthCheck) -> Self {
        self.health_check = Some(check);
        self
    }

    /// Starts this container only once `container` reached `condition`
    /// (Fargate: platform 1.3.0 or later).
    ///
    /// CloudFormation default: no ordering.
    /// ecscdk default: no ordering.
    pub fn depends_on(
        mut self,
        container: impl Into<String>,
        condition: ContainerCondition,
    ) -> Self {
        self.depends_on.push((container.into(), condition));
        self
    }

    /// Whether the task stops when this container stops.
    ///
    /// CloudFormation default: `true`.
    /// ecscdk default: `true`.
    pub fn essential(mut self, essential: bool) -> Self {
        self.essential = essential;
        self
    }

    /// The command (replaces the image's `CMD`).
    ///
    /// CloudFormation default: the image's.
    /// ecscdk default: the image's.
    pub fn command<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.command = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// The entry point (replaces the image's `ENTRYPOINT`).
    ///
    /// CloudFormation default: the image's.
    /// ecscdk default: the image's.
    pub fn entry_point<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.entry_point = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// The working directory.
    ///
    /// CloudFormation default: the image's.
    /// ecscdk default: the image's.
    pub fn working_directory(mut self, dir: impl Into<String>) -> Self {
        self.working_directory = Some(dir.into());
        self
    }

    /// The user (`name`, `uid`, `uid:gid`, …).
    ///
    /// CloudFormation default: the image's (often root).
    /// ecscdk default: the image's.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// How long containers that depend on this one wait for it to reach
    /// their condition (started, complete, successful, healthy) before they
    /// give up, which stops the task (whole seconds; Fargate: 2 to 120 s,
    /// Linux platform 1.3.0 or later; EC2: container agent 1.26.0 or
    /// later).
    ///
    /// CloudFormation default: none (the container agent's
    /// `ECS_CONTAINER_START_TIMEOUT`).
    /// ecscdk default: omitted.
    pub fn start_timeout(mut self, timeout: Duration) -> Self {
        self.start_timeout = Some(timeout);
        self
    }

    /// How long ECS waits after SIGTERM before SIGKILL (Fargate: at most
    /// 120 s, platform 1.3.0 or later).
    ///
    /// CloudFormation default: 30 s.
    /// ecscdk default: omitted (30 s).
    pub fn stop_timeout(mut self, timeout: Duration) -> Self {
        self.stop_timeout = Some(timeout);
        self
    }

    /// Restarts the container in place when it exits, instead of stopping
    /// the task (see [`RestartPolicy`]; not for Windows containers on
    /// Fargate; Fargate platform 1.4.0 or later, container agent 1.86.0 or
    /// later on EC2).
    ///
    /// CloudFormation default: none (no restarts).
    /// ecscdk default: omitted (no restarts).
    pub fn restart_policy(mut self, policy: RestartPolicy) -> Self {
        self.restart_policy = Some(policy);
        self
    }

    /// Sets the kernel parameter `namespace` (a `sysctl` such as
    /// `net.ipv4.tcp_keepalive_time`) to `value` in the container. Only the
    /// parameters of the container's own namespaces: the IPC ones
    /// (`kernel.msgmax`, `kernel.msgmnb`, `kernel.msgmni`, `kernel.sem`,
    /// `kernel.shmall`, `kernel.shmmax`, `kernel.shmmni`,
    /// `kernel.shm_rmid_forced`, `fs.mqueue.*`) and, unless the task uses
    /// the `host` network mode, the network ones (`net.*`). Not for Windows
    /// containers; Fargate platform 1.4.0 or later. In `awsvpc` mode
    /// (Fargate) the task's containers share one network namespace, so a
    /// `net.*` value applies to all of them. A parameter is set once.
    ///
    /// CloudFormation default: none (the kernel's values).
    /// ecscdk default: none.
    pub fn system_control(
        mut self,
        namespace: impl Into<String>,
        value: impl Into<Value<String>>,
    ) -> Self {
        let namespace = namespace.into();
        if self
            .system_controls
            .iter()
            .any(|c| c.namespace == namespace)
        {
            self.repeated.push(("system_control", namespace.clone()));
        }
        self.system_controls.push(SystemControl {
            namespace,
            value: value.into(),
        });
        self
    }

    /// How output is logged.
    ///
    /// CloudFormation default: not collected.
    /// ecscdk default: `awslogs` with the container's name as stream prefix,
    /// into a log group kept 30 days: logs are on.
    pub fn logging(mut self, driver: LogDriver) -> Self {
        self.logging = Logging::Driver(driver);
        self
    }

    /// Turns logging off.
    ///
    /// CloudFormation default: not collected.
    /// ecscdk default: logging on (see [`logging`](Self::logging)).
    pub fn no_logging(mut self) -> Self {
        self.logging = Logging::Off;
        self
    }

    /// Adds a resource limit (Linux containers only).
    ///
    /// CloudFormation default: the Docker daemon's (on Fargate `nofile`
    /// 65535).
    /// ecscdk default: none.
    pub fn ulimit(mut self, limit: UlimitSetting) -> Self {
        self.ulimits.push(limit);
        self
    }

    /// Runs an init process (PID 1) that reaps zombies and forwards signals
    /// (Linux containers only).
    ///
    /// CloudFormation default: `false`.
    /// ecscdk default: `false`.
    pub fn init_process(mut self, enabled: bool) -> Self {
        self.init_process = enabled;
        self
    }

    /// Adds a Linux capability (Fargate allows only `SYS_PTRACE`; Linux
    /// containers only).
    ///
    /// CloudFormation default: Docker's default set.
    /// ecscdk default: none added.
    pub fn add_capability(mut self, capability: impl Into<String>) -> Self {
        self.add_capabilities.push(capability.into());
        self
    }

    /// Drops a Linux capability (e.g. `ALL`; Linux containers only).
    ///
    /// CloudFormation default: none dropped.
    /// ecscdk default: none dropped.
    pub fn drop_capability(mut self, capability: impl Into<String>) -> Self {
        self.drop_capabilities.push(capability.into());
        self
    }

    /// Runs the container privileged: root on the host, every capability
    /// and every device (security and networking agents ask for it). Synth
    /// warns ([`PRIVILEGED_WARNING`]), since adding the one capability the
    /// container needs with [`add_capability`](Self::add_capability) is
    /// usually enough; Fargate refuses it.
    ///
    /// CloudFormation default: `false`.
    /// ecscdk default: `false`.
    pub fn privileged(mut self) -> Self {
        self.privileged = true;
        self
    }

    /// Lets the container write to its root filesystem.
    ///
    /// CloudFormation default: writable.
    /// ecscdk default: read-only (`ReadonlyRootFilesystem: true`); mount
    /// volumes where the application writes, or call this.
    pub fn writable_root_filesystem(mut self) -> Self {
        self.readonly_root_filesystem = false;
        self.root_filesystem_chosen = true;
        self
    }

    /// Keeps the root filesystem read-only, as chosen: synth then does not
    /// warn about a container that mounts nothing writable (an image that
    /// writes nothing at run time).
    ///
    /// CloudFormation default: writable.
    /// ecscdk default: read-only, with a warning at synth when nothing
    /// writable is mounted.
    pub fn read_only_root_filesystem(mut self) -> Self {
        self.readonly_root_filesystem = true;
        self.root_filesystem_chosen = true;
        self
    }

    /// Hard memory limit, MiB; the container is killed above it.
    ///
    /// CloudFormation default: none (the task's memory).
    /// ecscdk default: none.
    pub fn memory_limit_mib(mut self, mib: u32) -> Self {
        self.memory_limit_mib = Some(mib);
        self
    }

    /// Soft memory limit, MiB, reserved for the container.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn memory_reservation_mib(mut self, mib: u32) -> Self {
        self.memory_reservation_mib = Some(mib);
        self
    }

    /// GPUs reserved for the container (EC2 and ECS Anywhere only; the
    /// instances need GPUs and a GPU AMI).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn gpu_count(mut self, gpus: u32) -> Self {
        self.gpu_count = Some(gpus);
        self
    }

    /// CPU units reserved for the container (1024 per vCPU).
    ///
    /// CloudFormation default: none (shares the task's).
    /// ecscdk default: none.
    pub fn cpu_units(mut self, units: u32) -> Self {
        self.cpu_units = Some(units);
        self
    }

    /// Mounts the task volume `volume` at `path`.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn mount(
        mut self,
        volume: impl Into<String>,
        path: impl Into<String>,
        read_only: bool,
    ) -> Self {
        self.mount_points
            .push((volume.into(), path.into(), read_only));
        self
    }

    /// Whether the container logs through FireLens.
    pub(crate) fn uses_firelens(&self) -> bool {
        matches!(&self.logging, Logging::Driver(d) if d.is_firelens())
    }

    /// Makes this container the task's FireLens log router (Fluent Bit).
    pub(crate) fn into_log_router(mut self) -> Self {
        self.log_router = true;
        self
    }

    /// The setting of this container that needs the newest Linux Fargate
    /// platform version, with that version.
    pub(crate) fn fargate_platform_floor(&self) -> Option<PlatformFloor> {
        let floor = |setting, version, fix| PlatformFloor {
            setting,
            version,
            fix,
        };
        // Newest floor first: the first setting used names the version the
        // task needs.
        [
            (
                self.restart_policy
                    .as_ref()
                    .is_some_and(RestartPolicy::is_enabled),
                floor(
                    "restart_policy",
                    (1, 4),
                    "ECS restarts containers on Fargate platform 1.4.0 or later; use `PlatformVersion::Latest` or `V1_4_0`",
                ),
            ),
            (
                !self.system_controls.is_empty(),
                floor(
                    "system_control",
                    (1, 4),
                    "ECS sets kernel parameters on Fargate platform 1.4.0 or later; use `PlatformVersion::Latest` or `V1_4_0`",
                ),
            ),
            (
                self.start_timeout.is_some(),
                floor(
                    "start_timeout",
                    (1, 3),
                    "a container start timeout needs Fargate platform 1.3.0 or later; use `PlatformVersion::Latest` or `V1_4_0`",
                ),
            ),
            (
                self.stop_timeout.is_some(),
                floor(
                    "stop_timeout",
                    (1, 3),
                    "a container stop timeout needs Fargate platform 1.3.0 or later; use `PlatformVersion::Latest` or `V1_4_0`",
                ),
            ),
            (
                !self.depends_on.is_empty(),
                floor(
                    "depends_on",
                    (1, 3),
                    "container dependencies need Fargate platform 1.3.0 or later; use `PlatformVersion::Latest` or `V1_4_0`",
                ),
            ),
        ]
        .into_iter()
        .find_map(|(used, floor)| used.then_some(floor))
    }

    /// Renders the container under the task definition `task`, creating its
    /// log group; returns the definition and the statements its execution
    /// role and its task role need.
    pub(crate) fn lower(
        self,
        stack: &mut Stack,
        task: NodeId,
        traits: TaskTraits,
    ) -> Result<Lowered> {
        let fargate = traits.fargate;
        let node = stack.scope_of_type(task, &self.name, "ecscdk.ecs.ContainerDefinition")?;
        // Windows containers have no read-only root filesystem: ECS refuses
        // the setting for them, so a Windows task writes none and warns of
        // nothing.
        if self.readonly_root_filesystem
            && !traits.windows
            && !self.root_filesystem_chosen
            && !self.mount_points.iter().any(|(_, _, read_only)| !read_only)
        {
            stack.add_warning(
                node,
                READ_ONLY_ROOT_WARNING,
                "the root filesystem is read-only (ecscdk's default) and nothing writable is mounted, so an image that writes at run time crash-loops (nginx and httpd write their cache, pid and temporary files); mount a scratch volume where it writes (`.mount(..)`), allow writes with `.writable_root_filesystem()`, or confirm with `.read_only_root_filesystem()`",
            );
        }
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        let mut grants = Vec::new();
        let mut task_grants = Vec::new();

        let (image, credentials) = match self.image {
            ContainerImage::Registry {
                image,
                credentials_secret_arn,
            } => {
                if image.trim().is_empty() {
                    return Err(invalid("image", "the image reference is empty; give `repository:tag` or `repository@sha256:digest`".to_owned()));
                }
                check_registry_credentials(credentials_secret_arn.as_ref())
                    .map_err(|reason| invalid("image", reason))?;
                let credentials = credentials_secret_arn.map(|arn| {
                    grants.push(
                        PolicyStatement::allow()
                            .actions([
                                "secretsmanager:GetSecretValue",
                                "secretsmanager:DescribeSecret",
                            ])
                            .resource(arn.clone()),
                    );
                    Value::Lit(RepositoryCredentials {
                        credentials_parameter: Some(arn),
                    })
                });
                (Value::Lit(image), credentials)
            }
            ContainerImage::Ecr {
                repository_arn,
                repository_uri,
                reference,
            } => {
                let image = ecr_image(&repository_arn, &repository_uri, &reference)
                    .map_err(|(property, reason)| invalid(property, reason))?;
                grants.extend(ecr_pull(repository_arn, REPOSITORY_PULL_ACTIONS));
                (image, None)
            }
            ContainerImage::Asset(asset) => {
                // The CDK's AssetImage: a DockerImageAsset named
                // `AssetImage` under the container, pulled by the
                // execution role from the asset repository only.
                let asset = asset.add(stack, node, "AssetImage")?;
                grants.extend(ecr_pull(asset.repository_arn(), ASSET_PULL_ACTIONS));
                (Value::Expr(asset.image_uri()), None)
            }
        };

        if let Some((setter, name)) = self.repeated.first() {
            return Err(invalid(
                setter,
                format!(
                    "{name:?} is set twice, and only the last value would reach the container; set it once"
                ),
            ));
        }
        for (name, secret) in &self.secrets {
            secret
                .check()
                .map_err(|reason| invalid("secret", format!("{name}: {reason}")))?;
        }
        if let Some(name) = self
            .secrets
            .keys()
            .find(|n| self.environment.contains_key(*n))
        {
            return Err(invalid(
                "secret",
                format!(
                    "{name:?} is both an environment variable and a secret, and ECS takes a name once; drop one of them"
                ),
            ));
        }

        let mut ports = Vec::with_capacity(self.ports.len());
        for (i, p) in self.ports.iter().enumerate() {
            let before = self.ports.get(..i).unwrap_or_default();
            // In awsvpc mode the host port is the container port.
            if before.iter().any(|b| {
                b.protocol == p.protocol
                    && b.container_port == p.container_port
                    && (fargate || b.host_port == p.host_port)
            }) {
                return Err(invalid(
                    "port",
                    format!(
                        "container port {}/{} is mapped twice; map each port once",
                        p.container_port,
                        match p.protocol {
                            Protocol::Tcp => "tcp",
                            Protocol::Udp => "udp",
                        }
                    ),
                ));
            }
            if let Some(name) = &p.name
                && before.iter().any(|b| b.name.as_ref() == Some(name))
            {
                return Err(invalid(
                    "port",
                    format!("two port mappings are named {name:?}; give each its own name"),
                ));
            }
            if p.container_port == 0 {
                return Err(invalid(
                    "port",
                    "container port 0 is not a port; use 1 to 65535".to_owned(),
                ));
            }
            if fargate && p.host_port.is_some_and(|h| h != p.container_port) {
                return Err(invalid(
                    "port",
                    format!(
                        "host port {} differs from container port {}; in awsvpc mode (Fargate) the host port is the container port: drop `host_port`",
                        p.host_port.unwrap_or_default(),
                        p.container_port
                    ),
                ));
            }
            if let Some(end) = p.range_end
                && end <= p.container_port
            {
                return Err(invalid(
                    "port",
                    format!(
                        "port range {}-{end} is empty; the last port must be above the first",
                        p.container_port
                    ),
                ));
            }
            ports.push(Value::Lit(CfnPortMapping {
                app_protocol: p.app_protocol.map(Value::Lit),
                container_port: if p.range_end.is_some() {
                    None
                } else {
                    Some(Value::Lit(i64::from(p.container_port)))
                },
                container_port_range: p
                    .range_end
                    .map(|end| Value::Lit(format!("{}-{end}", p.container_port))),
                host_port: p.host_port.map(|h| Value::Lit(i64::from(h))),
                name: p.name.clone().map(Value::Lit),
                protocol: Some(Value::Lit(match p.protocol {
                    Protocol::Tcp => CfnProtocol::Tcp,
                    Protocol::Udp => CfnProtocol::Udp,
                })),
            }));
        }

        let health_check = match self.health_check {
            None => None,
            Some(h) => {
                let secs = crate::units::whole_seconds;
                let checks = [
                    ("health_check.interval", secs(h.interval), 5, 300),
                    ("health_check.timeout", secs(h.timeout), 2, 60),
                    ("health_check.retries", i64::from(h.retries), 1, 10),
                    (
                        "health_check.start_period",
                        h.start_period.map_or(0, secs),
                        0,
                        300,
                    ),
                ];
                for (what, v, min, max) in checks {
                    if v < min || v > max {
                        return Err(invalid(
                            what,
                            format!("{v} is outside {min}..={max}, the range ECS accepts"),
                        ));
                    }
                }
                Some(Value::Lit(CfnHealthCheck {
                    command: Some(Value::Lit(h.command.into_iter().map(Value::Lit).collect())),
                    interval: Some(Value::Lit(secs(h.interval))),
                    retries: Some(Value::Lit(i64::from(h.retries))),
                    start_period: h.start_period.map(|d| Value::Lit(secs(d))),
                    timeout: Some(Value::Lit(secs(h.timeout))),
                }))
            }
        };

        if fargate && self.gpu_count.is_some() {
            return Err(invalid(
                "gpu_count",
                "Fargate has no GPUs; run the task on EC2 capacity with GPU instances".to_owned(),
            ));
        }
        let resource_requirements = self.gpu_count.filter(|g| *g > 0).map(|g| {
            Value::Lit(vec![Value::Lit(ResourceRequirement {
                value: Some(Value::Lit(g.to_string())),
                ..ResourceRequirement::new(ResourceRequirementType::Gpu)
            })])
        });
        if let Some(t) = self.stop_timeout
            && fargate
            && t.as_secs() > 120
        {
            return Err(invalid(
                "stop_timeout",
                format!("{} s is above Fargate's limit of 120 s", t.as_secs()),
            ));
        }
        if let Some(t) = self.start_timeout {
            if t.subsec_nanos() != 0 {
                return Err(invalid(
                    "start_timeout",
                    format!("{t:?} is not a whole number of seconds, which ECS takes"),
                ));
            }
            if fargate && !FARGATE_START_TIMEOUT_SECS.contains(&t.as_secs()) {
                return Err(invalid(
                    "start_timeout",
                    format!(
                        "{} s is outside {}..={} s, the range Fargate accepts",
                        t.as_secs(),
                        FARGATE_START_TIMEOUT_SECS.start(),
                        FARGATE_START_TIMEOUT_SECS.end()
                    ),
                ));
            }
        }
        let restart_policy = match &self.restart_policy {
            None => None,
            Some(policy) => {
                policy
                    .check()
                    .map_err(|reason| invalid("restart_policy", reason))?;
                if fargate && traits.windows {
                    return Err(Error::Unsupported {
                        path: path.clone(),
                        setting: "restart_policy",
                        situation: "in a Windows task on Fargate",
                        fix: "ECS restarts no Windows containers on Fargate; drop the policy (a service replaces a task whose essential container exits), or run the task on EC2 capacity",
                    });
                }
                Some(Value::Lit(policy.render()))
            }
        };
        if traits.windows && !self.system_controls.is_empty() {
            return Err(Error::Unsupported {
                path: path.clone(),
                setting: "system_control",
                situation: "in a Windows task",
                fix: "ECS sets no kernel parameters in Windows containers; drop the system controls, or run the task on Linux",
            });
        }
        if traits.windows {
            // ECS's container definition: `ulimits`, `linuxParameters` and
            // `privileged` are not supported for Windows containers.
            let linux_only = [
                ("ulimit", !self.ulimits.is_empty()),
                ("init_process", self.init_process),
                ("add_capability", !self.add_capabilities.is_empty()),
                ("drop_capability", !self.drop_capabilities.is_empty()),
                ("privileged", self.privileged),
            ];
            if let Some((setting, _)) = linux_only.into_iter().find(|(_, set)| *set) {
                return Err(Error::Unsupported {
                    path: path.clone(),
                    setting,
                    situation: "in a Windows task",
                    fix: "resource limits, the init process, capabilities and privileged mode are Linux settings that ECS refuses for Windows containers; drop the setting, or run the task on Linux",
                });
            }
        }
        for control in &self.system_controls {
            let namespace = control
                .kernel_namespace()
                .map_err(|reason| invalid("system_control", reason))?;
            if namespace == KernelNamespace::Network && traits.host_network {
                return Err(invalid(
                    "system_control",
                    format!(
                        "{:?} is a network parameter, and a task in `host` network mode shares the instance's network namespace, where ECS sets none; set it on the instance, or use the `bridge` or `awsvpc` network mode",
                        control.namespace
                    ),
                ));
            }
        }
        if self.privileged {
            if fargate {
                return Err(invalid(
                    "privileged",
                    "Fargate does not run privileged containers; add the capability the container needs with `add_capability(..)` (Fargate allows SYS_PTRACE), or run the task on EC2 or Managed Instances capacity".to_owned(),
                ));
            }
            stack.add_warning(
                node,
                PRIVILEGED_WARNING,
                "the container runs privileged: root on its instance with every capability and device; add only the capabilities it needs with `.add_capability(..)`, or acknowledge this warning",
            );
        }
        if fargate
            && let Some(cap) = self
                .add_capabilities
                .iter()
                .find(|c| c.as_str() != "SYS_PTRACE")
        {
            return Err(invalid(
                "add_capability",
                format!("Fargate only allows adding SYS_PTRACE, not {cap}"),
            ));
        }

        let log_configuration = match self.logging {
            Logging::Off => None,
            Logging::Default => Some(LogDriver::aws_logs(self.name.clone())),
            Logging::Driver(d) => Some(d),
        }
        .map(|driver| -> Result<Value<LogConfiguration>> {
            let region: Value<String> = match stack.environment().region() {
                Some(r) => Value::from(r),
                None => Pseudo::region().into(),
            };
            match driver {
                LogDriver::AwsLogs {
                    stream_prefix,
                    retention,
                    log_group,
                    non_blocking_buffer,
                } => {
                    let group = match log_group {
                        Some(g) => g,
                        None => LogGroup::builder("LogGroup")
                            .retention(retention)
                            .build_in(stack, node)?,
                    };
                    grants.push(
                        PolicyStatement::allow()
                            .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                            .resource(group.arn()),
                    );
                    let mut options = BTreeMap::new();
                    options.insert("awslogs-group".to_owned(), Value::from(group.name()));
                    options.insert(
                        "awslogs-stream-prefix".to_owned(),
                        Value::from(stream_prefix),
                    );
                    options.insert("awslogs-region".to_owned(), region);
                    if let Some(size) = non_blocking_buffer {
                        options.insert("mode".to_owned(), Value::from("non-blocking"));
                        options.insert("max-buffer-size".to_owned(), Value::from(size));
                    }
                    Ok(Value::Lit(LogConfiguration {
                        options: Some(Value::Lit(options)),
                        ..LogConfiguration::new("awslogs")
                    }))
                }
                LogDriver::FireLensCloudWatch {
                    stream_prefix,
                    retention,
                } => {
                    let group = LogGroup::builder("LogGroup")
                        .retention(retention)
                        .build_in(stack, node)?;
                    task_grants.push(
                        PolicyStatement::allow()
                            .actions([
                                "logs:CreateLogStream",
                                "logs:PutLogEvents",
                                "logs:DescribeLogStreams",
                            ])
                            .resource(group.arn()),
                    );
                    let mut options = BTreeMap::new();
                    options.insert("Name".to_owned(), Value::from("cloudwatch_logs"));
                    options.insert("region".to_owned(), region);
                    options.insert("log_group_name".to_owned(), Value::from(group.name()));
                    options.insert("log_stream_prefix".to_owned(), Value::from(stream_prefix));
                    options.insert("auto_create_group".to_owned(), Value::from("false"));
                    Ok(Value::Lit(LogConfiguration {
                        options: Some(Value::Lit(options)),
                        ..LogConfiguration::new("awsfirelens")
                    }))
                }
            }
        })
        .transpose()?;

        for arn in &self.environment_files {
            grants.push(
                PolicyStatement::allow()
                    .action("s3:GetObject")
                    .resource(arn.clone()),
            );
        }
        for secret in self.secrets.values() {
            grants.push(secret.grant());
        }

        let linux_parameters = if self.init_process
            || !self.add_capabilities.is_empty()
            || !self.drop_capabilities.is_empty()
        {
            let list = |v: Vec<String>| {
                (!v.is_empty()).then(|| Value::Lit(v.into_iter().map(Value::Lit).collect()))
            };
            let capabilities = (!self.add_capabilities.is_empty()
                || !self.drop_capabilities.is_empty())
            .then(|| {
                Value::Lit(KernelCapabilities {
                    add: list(self.add_capabilities),
                    drop: list(self.drop_capabilities),
                })
            });
            Some(Value::Lit(LinuxParameters {
                capabilities,
                init_process_enabled: self.init_process.then_some(Value::Lit(true)),
                ..LinuxParameters::default()
            }))
        } else {
            None
        };

        let strings =
            |v: Option<Vec<String>>| v.map(|v| Value::Lit(v.into_iter().map(Value::Lit).collect()));
        let definition = ContainerDefinition {
            command: strings(self.command),
            cpu: self.cpu_units.map(|c| Value::Lit(i64::from(c))),
            depends_on: (!self.depends_on.is_empty()).then(|| {
                Value::Lit(
                    self.depends_on
                        .iter()
                        .map(|(name, cond)| {
                            Value::Lit(ContainerDependency {
                                condition: Some(Value::Lit(match cond {
                                    ContainerCondition::Start => Condition::Start,
                                    ContainerCondition::Complete => Condition::Complete,
                                    ContainerCondition::Success => Condition::Success,
                                    ContainerCondition::Healthy => Condition::Healthy,
                                })),
                                container_name: Some(Value::from(name.as_str())),
                            })
                        })
                        .collect(),
                )
            }),
            entry_point: strings(self.entry_point),
            environment: (!self.environment.is_empty()).then(|| {
                Value::Lit(
                    self.environment
                        .into_iter()
                        .map(|(k, v)| {
                            Value::Lit(KeyValuePair {
                                name: Some(Value::Lit(k)),
                                value: Some(v),
                            })
                        })
                        .collect(),
                )
            }),
            environment_files: (!self.environment_files.is_empty()).then(|| {
                Value::Lit(
                    self.environment_files
                        .into_iter()
                        .map(|arn| {
                            Value::Lit(crate::cfn::ecs::task_definition::EnvironmentFile {
                                r#type: Some(Value::Lit(
                                    crate::cfn::ecs::task_definition::Type::S3,
                                )),
                                value: Some(arn),
                            })
                        })
                        .collect(),
                )
            }),
            essential: Some(Value::Lit(self.essential)),
            firelens_configuration: self.log_router.then(|| {
                Value::Lit(FirelensConfiguration {
                    options: None,
                    r#type: Some(Value::Lit(FirelensConfigurationType::Fluentbit)),
                })
            }),
            health_check,
            linux_parameters,
            log_configuration,
            memory: self.memory_limit_mib.map(|m| Value::Lit(i64::from(m))),
            resource_requirements,
            memory_reservation: self
                .memory_reservation_mib
                .map(|m| Value::Lit(i64::from(m))),
            mount_points: (!self.mount_points.is_empty()).then(|| {
                Value::Lit(
                    self.mount_points
                        .iter()
                        .map(|(volume, path, read_only)| {
                            Value::Lit(MountPoint {
                                container_path: Some(Value::from(path.as_str())),
                                read_only: Some(Value::Lit(*read_only)),
                                source_volume: Some(Value::from(volume.as_str())),
                            })
                        })
                        .collect(),
                )
            }),
            port_mappings: (!ports.is_empty()).then(|| Value::Lit(ports)),
            privileged: self.privileged.then_some(Value::Lit(true)),
            readonly_root_filesystem: (!traits.windows)
                .then_some(Value::Lit(self.readonly_root_filesystem)),
            repository_credentials: credentials,
            restart_policy,
            secrets: (!self.secrets.is_empty()).then(|| {
                Value::Lit(
                    self.secrets
                        .iter()
                        .map(|(name, s)| Value::Lit(CfnSecret::new(name.as_str(), s.value_from())))
                        .collect(),
                )
            }),
            start_timeout: self
                .start_timeout
                .map(|t| Value::Lit(crate::units::whole_seconds(t))),
            stop_timeout: self
                .stop_timeout
                .map(|t| Value::Lit(crate::units::whole_seconds(t))),
            system_controls: (!self.system_controls.is_empty()).then(|| {
                Value::Lit(
                    self.system_controls
                        .iter()
                        .map(|c| Value::Lit(c.render()))
                        .collect(),
                )
            }),
            ulimits: (!self.ulimits.is_empty()).then(|| {
                Value::Lit(
                    self.ulimits
                        .iter()
                        .map(|u| Value::Lit(Ulimit::new(u.hard, u.name, u.soft)))
                        .collect(),
                )
            }),
            user: self.user.map(Value::Lit),
            working_directory: self.working_directory.map(Value::Lit),
            ..ContainerDefinition::new(image, self.name.as_str())
        };
        Ok(Lowered {
            definition,
            execution_grants: grants,
            task_grants,
        })
    }
}

/// The start timeouts Fargate accepts, in seconds (ECS API reference and
/// CloudFormation, `ContainerDefinition.StartTimeout`).
const FARGATE_START_TIMEOUT_SECS: std::ops::RangeInclusive<u64> = 2..=120;

/// A container rendered for its task definition.
pub(crate) struct Lowered {
    pub(crate) definition: ContainerDefinition,
    pub(crate) execution_grants: Vec<PolicyStatement>,
    pub(crate) task_grants: Vec<PolicyStatement>,
}

// A repository's name in both: lowercase components separated by `/`, each
// of letters and digits joined by `.`, `_` or `-` (ECR's `CreateRepository`).

/// An ECR repository's ARN: (account, repository name).
static REPOSITORY_ARN: Pattern = Pattern::new(concat!(
    r"^arn:aws[a-z-]*:ecr:[a-z0-9-]+:(\d{12}):repository/(",
    r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*",
    r")$"
));

/// An ECR repository's URI, without a tag or a digest: (account, name).
static REPOSITORY_URI: Pattern = Pattern::new(concat!(
    r"^(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/(",
    r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*",
    r")$"
));

/// A Secrets Manager secret's ARN (complete, or partial without the random
/// suffix).
static SECRET_ARN: Pattern =
    Pattern::new(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$");

/// An SSM Parameter Store parameter's ARN.
static SSM_PARAMETER_ARN: Pattern =
    Pattern::new(r"^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9/_.-]+$");

/// `:tag` (Docker's rule: 1 to 128 characters) or `@sha256:<64 hex>`.
static IMAGE_REFERENCE: Pattern =
    Pattern::new(r"^(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$");

/// Checks what is known at synth of an ECR image: the ARN and the URI
/// well-formed and naming the same account and repository, and the tag or
/// digest. Returns the setting and the reason.
/// Checks the registry credentials of an image when their ARN is known at
/// synth: a Secrets Manager secret's. Returns the reason otherwise.
pub(crate) fn check_registry_credentials(
    arn: Option<&Value<String>>,
) -> std::result::Result<(), String> {
    match arn {
        Some(Value::Lit(arn)) if !SECRET_ARN.is_match(arn) => Err(format!(
            "the registry credentials {arn:?} are not a Secrets Manager secret ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>`)"
        )),
        _ => Ok(()),
    }
}

/// The image `reference` (`:tag` or `@sha256:…`) of an ECR repository,
/// checked as [`check_ecr_image`] checks it: a literal when the URI is one,
/// else joined at deploy. Returns the setting and the reason otherwise.
pub(crate) fn ecr_image(
    arn: &Value<String>,
    uri: &Value<String>,
    reference: &str,
) -> std::result::Result<Value<String>, (&'static str, String)> {
    check_ecr_image(arn, uri, reference)?;
    Ok(match uri {
        Value::Lit(uri) => Value::Lit(format!("{uri}{reference}")),
        expr => Expr::join("", [expr.clone(), Value::from(reference)]).into(),
    })
}

fn check_ecr_image(
    arn: &Value<String>,
    uri: &Value<String>,
    reference: &str,
) -> std::result::Result<(), (&'static str, String)> {
    if !IMAGE_REFERENCE.is_match(reference) {
        let what = if reference.starts_with('@') {
            "a digest is `sha256:` and 64 lowercase hexadecimal digits"
        } else {
            "a tag is 1 to 128 letters, digits, `_`, `.` or `-`, not starting with `.` or `-`"
        };
        return Err((
            "image",
            format!(
                "{:?} is not an image tag or digest: {what}",
                reference.get(1..).unwrap_or_default()
            ),
        ));
    }
    let arn_parts = match arn {
        Value::Lit(arn) => Some(REPOSITORY_ARN.two_groups(arn).ok_or_else(|| {
            (
                "image",
                format!(
                    "{arn:?} is not an ECR repository ARN (`arn:aws:ecr:<region>:<account>:repository/<name>`)"
                ),
            )
        })?),
        _ => None,
    };
    let uri_parts = match uri {
        Value::Lit(uri) => Some(REPOSITORY_URI.two_groups(uri).ok_or_else(|| {
            (
                "image",
                format!(
                    "{uri:?} is not an ECR repository URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`, without a tag)"
                ),
            )
        })?),
        _ => None,
    };
    if let (Some((arn_account, arn_name)), Some((uri_account, uri_name))) = (arn_parts, uri_parts)
        && (arn_account != uri_account || arn_name != uri_name)
    {
        return Err((
            "image",
            format!(
                "the ARN names repository {arn_name:?} of account {arn_account} and the URI {uri_name:?} of account {uri_account}; give the ARN and URI of one repository (the execution role may pull from the ARN's only)"
            ),
        ));
    }
    Ok(())
}

/// The pull actions on an image's repository, in the order the AWS CDK's
/// `Repository.grantPull` lists them.
const REPOSITORY_PULL_ACTIONS: [&str; 3] = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
];

/// The same actions in the order the CDK's minimized policies list them for
/// an asset image (its `AssetImage` grants them through another path).
const ASSET_PULL_ACTIONS: [&str; 3] = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
];

/// What an execution role needs to pull an image from an ECR repository:
/// `actions` on the repository, and `ecr:GetAuthorizationToken`, which
/// takes no resource.
fn ecr_pull(repository_arn: impl Into<Value<String>>, actions: [&str; 3]) -> [PolicyStatement; 2] {
    [
        PolicyStatement::allow()
            .actions(actions)
            .resource(repository_arn),
        PolicyStatement::allow()
            .action("ecr:GetAuthorizationToken")
            .resource("*"),
    ]
}
