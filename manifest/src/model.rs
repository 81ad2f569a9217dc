//! The manifest's data model: what a `ecscdk.yaml` (or `.toml`, `.json`)
//! holds. Every type mirrors a builder of the `ecscdk` crate, field for
//! setter, and [`crate::lower`] turns it into those builders, so a manifest
//! and the equivalent Rust program write the same templates.
//!
//! The doc comments here become the JSON Schema's descriptions
//! (`ecscdk.schema.json`), which editors show on hover: they state the
//! CloudFormation default and ecscdk's, as the builders' docs do.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::duration::Duration;

/// An ecscdk manifest: the stacks of one app.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ecscdk manifest")]
pub struct Manifest {
    /// The JSON Schema this file follows, for editors (ignored by ecscdk).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The file that keeps context lookups (availability zones and the
    /// like), relative to the manifest, as the CDK's `cdk.context.json`.
    ///
    /// ecscdk default: `cdk.context.json` next to the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_file: Option<String>,
    /// How a stack reads a value of another stack (a VPC or cluster of
    /// `vpc_from`/`cluster_from`, a security group of `allow_from`).
    ///
    /// ecscdk default: `strong`, as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_stack_references: Option<ReferenceStrength>,
    /// Named AWS environments (account and Region) that stacks deploy to.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub environments: IndexMap<String, Environment>,
    /// The stacks, by name, in the order the app adds them.
    pub stacks: IndexMap<String, StackSpec>,
}

/// How stacks refer to each other's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceStrength {
    /// `Export` and `Fn::ImportValue`: the producer cannot change or remove
    /// a value another stack imports (same account and Region only).
    Strong,
    /// Plain outputs read with `Fn::GetStackOutput`: no export locks the
    /// producer, and the consumer may be in another Region.
    Weak,
}

/// An AWS account and Region.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The 12-digit AWS account id.
    pub account: String,
    /// The Region, such as `us-east-1`.
    pub region: String,
}

/// One CloudFormation stack and what it holds.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StackSpec {
    /// The name of an entry of `environments` this stack deploys to.
    ///
    /// ecscdk default: none, an environment-agnostic stack (no context
    /// lookups; the account and Region come from the deploy's credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The stack's description.
    ///
    /// CloudFormation default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags applied to the stack and every resource in it that takes tags.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,
    /// GuardDuty Runtime Monitoring for the account and Region: a detector
    /// (one per account and Region) managing its agent on Fargate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardduty_detector: Option<DetectorSpec>,
    /// The VPC the cluster and its services run in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<VpcSpec>,
    /// Use the VPC of another stack of this manifest (named here, and
    /// listed before this one) instead of a `vpc` of this stack's own; the
    /// reference becomes a cross-stack reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_from: Option<String>,
    /// The ECS cluster. Needs `vpc` or `vpc_from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterSpec>,
    /// Run this stack's services in the cluster of another stack of this
    /// manifest (named here, and listed before this one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_from: Option<String>,
    /// Auto Scaling groups of ECS container instances, by construct id,
    /// each with a capacity provider of the cluster (`<id>Provider` unless
    /// named) that `ec2_services` place tasks on.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub auto_scaling_groups: IndexMap<String, AutoScalingGroupSpec>,
    /// ECS Managed Instances capacity providers of the cluster, by
    /// construct id, that `managed_instances_services` place tasks on.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub managed_instances_providers: IndexMap<String, ManagedInstancesProviderSpec>,
    /// SNS topics, by construct id, that alarms notify.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub topics: IndexMap<String, TopicSpec>,
    /// Fargate task definitions, by construct id, that `services` refer to
    /// with `task_definition` (a service can also hold its own, `task`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub task_definitions: IndexMap<String, TaskDefinitionSpec>,
    /// Services on the EC2 instances of `auto_scaling_groups`, by construct
    /// id (built before `services`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub ec2_services: IndexMap<String, Ec2ServiceSpec>,
    /// Services on ECS Managed Instances, by construct id (built before
    /// `services`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub managed_instances_services: IndexMap<String, ManagedInstancesServiceSpec>,
    /// Fargate services, by construct id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub services: IndexMap<String, ServiceSpec>,
    /// Fargate services behind an application load balancer of their own
    /// (the `ApplicationLoadBalancedFargateService` pattern), by construct id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub load_balanced_services: IndexMap<String, LoadBalancedServiceSpec>,
    /// Fargate services behind a network load balancer of their own (the
    /// `NetworkLoadBalancedFargateService` pattern), by construct id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub network_load_balanced_services: IndexMap<String, NetworkLoadBalancedServiceSpec>,
    /// Fargate services that work an SQS queue and scale on its backlog
    /// (the `QueueProcessingFargateService` pattern), by construct id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub queue_processing_services: IndexMap<String, QueueProcessingServiceSpec>,
    /// Fargate tasks run on a schedule by EventBridge Scheduler (the
    /// `ScheduledFargateTask` pattern), by construct id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub scheduled_tasks: IndexMap<String, ScheduledTaskSpec>,
    /// CloudWatch alarms, by construct id, on metrics of this stack's
    /// services and load balancers.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub alarms: IndexMap<String, AlarmSpec>,
    /// CloudWatch dashboards, by construct id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub dashboards: IndexMap<String, DashboardSpec>,
    /// Stack outputs: name → `<construct id>.<attribute>`, such as
    /// `Service.name`. Attributes: a service's `name` and `arn`; the
    /// cluster's `name` and `arn`; the VPC's `id`; a load-balanced
    /// service's `service_name` and `load_balancer_dns` (of either kind); a queue
    /// service's `queue_url`, `queue_arn` and `dead_letter_queue_url`; a
    /// scheduled task's `dead_letter_queue_url`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<String, String>,
}

/// A VPC with public and private subnets in each zone.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VpcSpec {
    /// The construct id.
    ///
    /// ecscdk default: `Vpc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The VPC's IPv4 range.
    ///
    /// CloudFormation default: none (`CidrBlock` or an IPAM pool is required).
    /// ecscdk default: `10.0.0.0/16`, as in the AWS CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// How many availability zones to use.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_azs: Option<u32>,
    /// How many NAT gateways give the private subnets their way out.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: one per zone, as in the AWS CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat_gateways: Option<u32>,
    /// A VPC that exists already, by id, instead of a new one (give no
    /// other field then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<ExistingVpcSpec>,
}

/// How much Container Insights collects for a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContainerInsights {
    /// Cluster- and service-level metrics.
    Enabled,
    /// Task- and container-level metrics as well.
    Enhanced,
    /// None.
    Disabled,
}

/// An ECS cluster in the stack's VPC.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    /// The construct id.
    ///
    /// ecscdk default: `Cluster`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The cluster's name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated), so the cluster can be replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Container Insights.
    ///
    /// CloudFormation default: the account setting (usually off).
    /// ecscdk default: `ContainerInsights::Enabled`: metrics on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_insights: Option<ContainerInsights>,
    /// Associate the `FARGATE` and `FARGATE_SPOT` capacity providers, which
    /// `capacity_provider_strategy` of services needs.
    ///
    /// CloudFormation default: no capacity providers.
    /// ecscdk default: not associated; services use the `FARGATE` launch type.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fargate_capacity_providers: bool,
    /// A Cloud Map namespace created with the cluster, used by Service
    /// Connect and `cloud_map` of services.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_cloud_map_namespace: Option<NamespaceSpec>,
    /// Tag the cluster for GuardDuty Runtime Monitoring's automatic agent
    /// management (`GuardDutyManaged`).
    ///
    /// CloudFormation default: no tag.
    /// ecscdk default: no tag (the account's setting decides).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub runtime_monitoring: bool,
}

/// A Cloud Map namespace.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamespaceSpec {
    /// The namespace's name, such as `internal` or `svc.local`.
    pub name: String,
    /// What the namespace resolves through.
    ///
    /// ecscdk default: `private_dns`, as the CDK.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<NamespaceKind>,
}

/// How a Cloud Map namespace resolves names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NamespaceKind {
    /// API calls only (enough for Service Connect).
    Http,
    /// API calls and DNS in the VPC.
    PrivateDns,
}

/// A Fargate task definition.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskDefinitionSpec {
    /// The construct id of a task definition written inside a service
    /// (`task`); under `task_definitions` the entry's key is its id.
    ///
    /// ecscdk default: the service's id followed by `Task`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// CPU units of the task: 256, 512, 1024, 2048, 4096, 8192 or 16384.
    ///
    /// CloudFormation default: none (required for Fargate).
    /// ecscdk default: .25 vCPU (256 units), as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Memory of the task in MiB, one of the sizes Fargate allows with `cpu`.
    ///
    /// CloudFormation default: none (required for Fargate).
    /// ecscdk default: the smallest memory Fargate offers with the task's
    /// CPU (512 MiB with .25 vCPU, as the CDK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u32>,
    /// The family name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: the CDK's: the unique id of the construct path
    /// including the stack (`Scale0Task0C8683D32`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The CPU architecture the task runs on.
    ///
    /// CloudFormation default: Linux on x86-64.
    /// ecscdk default: omitted (Linux on x86-64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<CpuArchitectureSpec>,
    /// The task's ephemeral storage, GiB (21 to 200).
    ///
    /// CloudFormation default: 20 GiB.
    /// ecscdk default: omitted (20 GiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage_gib: Option<u32>,
    /// Volumes the containers can mount.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<VolumeSpec>,
    /// The containers, by name, the first essential one being the one load
    /// balancers and Service Connect use by default.
    pub containers: IndexMap<String, ContainerSpec>,
}

/// A volume of a task.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VolumeSpec {
    /// The volume's name, which `mounts` of containers refer to.
    pub name: String,
    /// An Amazon EFS file system id (`fs-…`); without it, the volume is
    /// scratch space that lives as long as the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efs_file_system: Option<String>,
}

/// A container of a task.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContainerSpec {
    /// An image in a registry, such as `public.ecr.aws/nginx/nginx:1.27`.
    /// Give this or `build`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// An image built from a Dockerfile and pushed to the bootstrap ECR
    /// repository at deploy. Give this or `image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildSpec>,
    /// Ports the container listens on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortSpec>,
    /// Environment variables.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub environment: IndexMap<String, String>,
    /// Secrets, as environment variables, read by ECS at task start with
    /// the execution role.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub secrets: IndexMap<String, SecretSpec>,
    /// The command (Docker's CMD).
    ///
    /// CloudFormation default: the image's.
    /// ecscdk default: the image's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// The entry point (Docker's ENTRYPOINT).
    ///
    /// CloudFormation default: the image's.
    /// ecscdk default: the image's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<Vec<String>>,
    /// The working directory.
    ///
    /// CloudFormation default: the image's.
    /// ecscdk default: the image's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
    /// The user (and group) the process runs as.
    ///
    /// CloudFormation default: the image's (often root).
    /// ecscdk default: the image's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Whether the task stops when this container stops.
    ///
    /// CloudFormation default: `true`.
    /// ecscdk default: `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    /// A Docker health check.
    ///
    /// CloudFormation default: none (the image's `HEALTHCHECK` is ignored).
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<ContainerHealthCheck>,
    /// Logging to CloudWatch Logs through the `awslogs` driver.
    ///
    /// CloudFormation default: not collected.
    /// ecscdk default: `awslogs` with the container's name as stream prefix,
    /// into a log group kept 30 days: logs are on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logging: Option<LoggingSpec>,
    /// Mount the root filesystem read-only (`true`) or writable (`false`).
    /// Read-only needs volumes mounted where the process writes.
    ///
    /// CloudFormation default: writable.
    /// ecscdk default: read-only, with a warning at synth when nothing
    /// writable is mounted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_root_filesystem: Option<bool>,
    /// Volumes of the task mounted into the container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<MountSpec>,
    /// Hard memory limit of the container in MiB.
    ///
    /// CloudFormation default: none (the task's memory).
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit_mib: Option<u32>,
    /// Soft memory limit (reservation) of the container in MiB.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation_mib: Option<u32>,
    /// CPU units reserved for the container.
    ///
    /// CloudFormation default: none (shares the task's).
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// How long containers that depend on this one wait for it to reach
    /// their condition before they give up, which stops the task (whole
    /// seconds; Fargate: 2s to 120s, Linux platform 1.3.0 or later).
    ///
    /// CloudFormation default: none (the container agent's
    /// `ECS_CONTAINER_START_TIMEOUT`).
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_timeout: Option<Duration>,
    /// How long ECS waits after SIGTERM before it kills the process (on
    /// Fargate: at most 120s, Linux platform 1.3.0 or later).
    ///
    /// CloudFormation default: 30 s.
    /// ecscdk default: omitted (30 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<Duration>,
    /// Restarts the container in place when it exits, instead of stopping
    /// the task (not for Windows containers on Fargate; Fargate platform
    /// 1.4.0 or later).
    ///
    /// CloudFormation default: none (no restarts).
    /// ecscdk default: omitted (no restarts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<RestartPolicySpec>,
    /// Kernel parameters (`sysctl`) set in the container, each once: the
    /// IPC ones (`kernel.msgmax`, `kernel.msgmnb`, `kernel.msgmni`,
    /// `kernel.sem`, `kernel.shmall`, `kernel.shmmax`, `kernel.shmmni`,
    /// `kernel.shm_rmid_forced`, `fs.mqueue.*`) and, unless the task uses
    /// the `host` network mode, the network ones (`net.*`; on Fargate they
    /// apply to every container of the task). Not for Windows containers;
    /// Fargate platform 1.4.0 or later.
    ///
    /// CloudFormation default: none (the kernel's values).
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub system_controls: Vec<SystemControlSpec>,
}

/// Whether ECS restarts a container that exits, in place, without
/// replacing its task.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestartPolicySpec {
    /// `true` restarts the container whenever it exits, except with an
    /// ignored exit code; `false` writes `Enabled: false`, no restarts (as
    /// without a policy), and takes no exit codes or attempt period.
    pub enabled: bool,
    /// Exit codes on which ECS does not restart the container, such as 0
    /// for a process that finished its work (at most 50).
    ///
    /// CloudFormation default: no exit code ignored.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored_exit_codes: Vec<i32>,
    /// How long the container must have run before ECS restarts it (whole
    /// seconds, 1m to 30m); a container that exits sooner is not
    /// restarted, so a crash loop ends.
    ///
    /// CloudFormation default: 300 s.
    /// ecscdk default: omitted (300 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt_period: Option<Duration>,
}

/// A kernel parameter of a container and its value.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemControlSpec {
    /// The parameter, as `sysctl` names it, such as
    /// `net.ipv4.tcp_keepalive_time`.
    pub namespace: String,
    /// The value, as `sysctl` takes it, such as `"500"`.
    pub value: String,
}

/// An image built from a directory holding a Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildSpec {
    /// The build context, relative to the manifest's directory.
    pub context: String,
    /// The Dockerfile, relative to the context.
    ///
    /// ecscdk default: `Dockerfile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<String>,
    /// Build arguments (`--build-arg`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub args: IndexMap<String, String>,
    /// The stage of a multi-stage Dockerfile to build (`--target`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The platform to build for: `linux/amd64` or `linux/arm64`.
    ///
    /// ecscdk default: the builder's own platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<BuildPlatform>,
}

/// A platform to build an image for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum BuildPlatform {
    /// x86-64.
    #[serde(rename = "linux/amd64")]
    LinuxAmd64,
    /// 64-bit ARM (Graviton).
    #[serde(rename = "linux/arm64")]
    LinuxArm64,
}

/// A port a container listens on.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortSpec {
    /// The container port.
    pub port: u16,
    /// The protocol.
    ///
    /// CloudFormation default: `tcp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<PortProtocol>,
    /// A name for the port, which Service Connect refers to.
    ///
    /// CloudFormation default: no name.
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The application protocol, for Service Connect's metrics.
    ///
    /// CloudFormation default: none (Service Connect then handles the port
    /// as plain TCP).
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<AppProtocol>,
}

/// A transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PortProtocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

/// An application protocol of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppProtocol {
    /// HTTP/1.1.
    Http,
    /// HTTP/2.
    Http2,
    /// gRPC.
    Grpc,
}

/// Where a secret comes from. Give exactly one source.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretSpec {
    /// An SSM parameter: its name (`/app/db-password`) or ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssm_parameter: Option<String>,
    /// A Secrets Manager secret's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_manager: Option<String>,
    /// With `secrets_manager`: one key of the secret's JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_key: Option<String>,
}

/// A container health check, run by the container runtime.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContainerHealthCheck {
    /// A shell command (run with `CMD-SHELL`); exit code 0 means healthy.
    pub command: String,
    /// Time between checks, 5s to 300s.
    ///
    /// CloudFormation default: 30 s.
    /// ecscdk default: 30 s, written out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Duration>,
    /// How long a check may take, 2s to 60s.
    ///
    /// CloudFormation default: 5 s.
    /// ecscdk default: 5 s, written out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    /// Failures in a row before the container is unhealthy, 1 to 10.
    ///
    /// CloudFormation default: 3.
    /// ecscdk default: 3, written out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// Grace period after start during which failures do not count, up
    /// to 300s.
    ///
    /// CloudFormation default: off (0 s).
    /// ecscdk default: omitted (off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period: Option<Duration>,
}

/// Logging to CloudWatch Logs with the `awslogs` driver.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoggingSpec {
    /// The stream prefix; streams are named `<prefix>/<container>/<task id>`.
    pub stream_prefix: String,
    /// Days the log group keeps events: one of CloudWatch Logs' retention
    /// periods (1, 3, 5, 7, 14, 30, 60, 90, …, 3653).
    ///
    /// CloudFormation default: forever.
    /// ecscdk default: 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
}

/// A volume mounted into a container.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MountSpec {
    /// The name of a volume of the task.
    pub volume: String,
    /// The path in the container.
    pub path: String,
    /// Mount it read-only.
    ///
    /// CloudFormation default: false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

/// What a deployment does when its tasks keep failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CircuitBreaker {
    /// Stop the deployment and roll back to the last one that worked.
    Rollback,
    /// Stop the deployment, leaving it failed.
    StopOnly,
    /// Keep trying.
    Off,
}

/// A Fargate capacity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FargateProvider {
    /// On-demand Fargate.
    Fargate,
    /// Fargate Spot: cheaper, interruptible.
    FargateSpot,
}

/// One entry of a capacity provider strategy.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityEntry {
    /// The capacity provider.
    pub provider: FargateProvider,
    /// Tasks placed on this provider before weights count.
    ///
    /// CloudFormation default: 0.
    /// ecscdk default: omitted (0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<u32>,
    /// The provider's share of the tasks beyond the bases.
    ///
    /// CloudFormation default: 0 (a provider of weight 0 gets no tasks
    /// beyond its base).
    /// ecscdk default: 1, so that an item without a base places tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

/// Which subnets of the VPC the tasks run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubnetKind {
    /// Subnets with an internet gateway route (needs a public IP to reach
    /// the internet).
    Public,
    /// Subnets behind NAT gateways.
    Private,
    /// Subnets with no route out.
    Isolated,
}

/// A Fargate service running a task definition of the stack.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// The construct id of an entry of `task_definitions`, for a task
    /// definition shared with others. Give this or `task`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    /// The service's own task definition, built just before the service.
    /// Give this or `task_definition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskDefinitionSpec>,
    /// How many tasks to keep running.
    ///
    /// CloudFormation default: 1 on create; on update an omitted count keeps
    /// the current one.
    /// ecscdk default: omitted, so a redeploy never resets a count that auto
    /// scaling changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    /// The deployment circuit breaker.
    ///
    /// CloudFormation default: no circuit breaker.
    /// ecscdk default: `CircuitBreaker::Rollback`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit_breaker: Option<CircuitBreaker>,
    /// Lower bound of running tasks during a deployment, in percent of
    /// `desired_count`.
    ///
    /// CloudFormation default: 100.
    /// ecscdk default: 100 (the AWS CDK uses 50 when it is not set, and
    /// warns that it does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_healthy_percent: Option<u32>,
    /// Upper bound of tasks during a deployment, in percent.
    ///
    /// CloudFormation default: 200.
    /// ecscdk default: 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<u32>,
    /// The service's name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Allow `ecs execute-command` into the tasks.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enable_execute_command: bool,
    /// Capacity providers and their shares; the cluster needs
    /// `fargate_capacity_providers`.
    ///
    /// CloudFormation default: the cluster's default strategy, or the launch
    /// type.
    /// ecscdk default: the `FARGATE` launch type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityEntry>,
    /// The Fargate platform version the tasks run on: `LATEST`, or a
    /// version such as `1.4.0`. A container setting the version does not
    /// have (a restart policy before 1.4.0, say) is refused with the fix.
    ///
    /// CloudFormation default: `LATEST`.
    /// ecscdk default: omitted (`LATEST`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    /// Give each task a public IP address.
    ///
    /// CloudFormation default: `DISABLED`.
    /// ecscdk default: `DISABLED`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assign_public_ip: bool,
    /// Which subnets the tasks run in.
    ///
    /// CloudFormation default: none (required for awsvpc).
    /// ecscdk default: the VPC's default subnets (private with egress, else
    /// isolated, else public), as the CDK chooses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnets: Option<SubnetKind>,
    /// Service Connect: the ports this service offers (none for a client
    /// only), in the cluster's default namespace.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_connect: Option<ServiceConnectSpec>,
    /// Register the tasks in the cluster's Cloud Map namespace under this
    /// name (`<name>.<namespace>` in DNS for a private DNS namespace).
    ///
    /// CloudFormation default: no registration.
    /// ecscdk default: no registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_map: Option<CloudMapSpec>,
    /// Let other services of this stack reach this one's tasks on a port.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_from: Vec<AllowFromSpec>,
    /// Target-tracking auto scaling of the task count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<AutoScalingSpec>,
    /// AWS's recommended alarms for an ECS service: CPU and memory above
    /// 80 % and no running task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_alarms: Option<RecommendedAlarmsSpec>,
}

/// AWS's recommended alarms of a service.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendedAlarmsSpec {
    /// The construct id of an entry of `topics` the alarms notify (when
    /// they fire and when they recover).
    ///
    /// ecscdk default: no notification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
}

/// Service Connect in the cluster's default namespace.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceConnectSpec {
    /// The named ports the service offers; none makes it a client only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ServiceConnectPortSpec>,
}

/// A port offered through Service Connect.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceConnectPortSpec {
    /// The `name` of a port of the task's containers.
    pub port_name: String,
    /// The name registered in Cloud Map.
    ///
    /// ecscdk default: the port name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_name: Option<String>,
    /// The DNS name clients use.
    ///
    /// ecscdk default: the discovery name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
    /// The port clients use with `dns_name`.
    ///
    /// ecscdk default: the container port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_port: Option<u16>,
    /// The proxy's per-request timeout (HTTP ports).
    ///
    /// CloudFormation default: 15s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_request_timeout: Option<Duration>,
}

/// An ingress rule from another service of the stack.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowFromSpec {
    /// The construct id of an entry of `services`.
    pub service: String,
    /// The stack of that service, when it is another stack of this
    /// manifest (listed before this one).
    ///
    /// ecscdk default: this stack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// The TCP port.
    pub port: u16,
    /// The rule's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Target-tracking auto scaling between a minimum and a maximum.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoScalingSpec {
    /// The fewest tasks.
    pub min: u32,
    /// The most tasks.
    pub max: u32,
    /// Keep average CPU use at this percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_percent: Option<f64>,
    /// Keep average memory use at this percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_percent: Option<f64>,
}

/// A health check of a target group.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetHealthCheck {
    /// The check's protocol: `http` (with `path`) or `tcp` (a connection,
    /// network load balancers).
    ///
    /// ecscdk default: the target group's own protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<HealthCheckProtocol>,
    /// The port the check connects to.
    ///
    /// CloudFormation default: the traffic port.
    /// ecscdk default: omitted (the traffic port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The HTTP path.
    ///
    /// CloudFormation default: `/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Time between checks.
    ///
    /// CloudFormation default: 30 seconds (HTTP target groups).
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Duration>,
    /// How long a check may take.
    ///
    /// CloudFormation default: 5 seconds (HTTP target groups).
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    /// Successes in a row before a target is healthy.
    ///
    /// CloudFormation default: 5 (HTTP target groups).
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthy_threshold: Option<u32>,
    /// Failures in a row before a target is unhealthy.
    ///
    /// CloudFormation default: 2 (HTTP target groups).
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unhealthy_threshold: Option<u32>,
    /// The HTTP codes that mean healthy, such as `200` or `200-299`.
    ///
    /// CloudFormation default: 200 (network load balancers: 200-399).
    /// ecscdk default: omitted (Elastic Load Balancing's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_codes: Option<String>,
}

/// The protocol of a target group's health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthCheckProtocol {
    /// An HTTP request of `path`.
    Http,
    /// A TCP connection.
    Tcp,
}

/// An existing Route 53 public hosted zone.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostedZoneSpec {
    /// The zone's id, such as `Z0123456789ABCDEFGHIJ`.
    pub id: String,
    /// The zone's domain name, such as `example.com`.
    pub name: String,
}

/// A Fargate service behind an application load balancer of its own.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancedServiceSpec {
    /// The container's name.
    ///
    /// ecscdk default: `web`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    /// The container that receives the traffic, on its first port.
    pub container: ContainerSpec,
    /// CPU units of the task (see `task_definitions`).
    ///
    /// ecscdk default: 256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Memory of the task in MiB.
    ///
    /// ecscdk default: the smallest the CPU allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u32>,
    /// Volumes of the task.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<VolumeSpec>,
    /// How many tasks to keep running.
    ///
    /// CloudFormation default: 1 on create.
    /// ecscdk default: omitted, so a redeploy never resets a scaled service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    /// The deployment circuit breaker.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: on with rollback, as the service's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit_breaker: Option<CircuitBreaker>,
    /// An internet-facing load balancer (false: internal).
    ///
    /// CloudFormation default: internet-facing.
    /// ecscdk default: internet-facing, as the AWS CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_load_balancer: Option<bool>,
    /// The listener's port.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: 443 with a certificate, else 80.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_port: Option<u16>,
    /// An ACM certificate's ARN: the listener speaks HTTPS.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none (plain text on port 80).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_arn: Option<String>,
    /// A domain name for the service, such as `www.example.com`; with
    /// `domain_zone`, an alias record to the load balancer and (without
    /// `certificate_arn`) a DNS-validated certificate.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none (the load balancer's DNS name only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// The hosted zone of `domain_name`.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_zone: Option<HostedZoneSpec>,
    /// With HTTPS, also listen on 80 and redirect to HTTPS.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: on with a certificate or a domain (the AWS CDK's is off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_http: Option<bool>,
    /// How long the load balancer keeps an idle connection.
    ///
    /// CloudFormation default: 60 seconds.
    /// ecscdk default: omitted (60 seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<Duration>,
    /// Lower bound of running tasks during a deployment, in percent.
    ///
    /// CloudFormation default: 100 %.
    /// ecscdk default: 100 % (the AWS CDK's patterns use 50 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_healthy_percent: Option<u32>,
    /// Upper bound of tasks during a deployment, in percent.
    ///
    /// CloudFormation default: 200 %.
    /// ecscdk default: 200 %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<u32>,
    /// How ECS rolls out a new task definition: `rolling` (replace tasks
    /// in place), or, with the alternate target group and production rule
    /// the pattern then creates, `blue_green`, `linear` or `canary`.
    ///
    /// CloudFormation default: `ROLLING`.
    /// ecscdk default: `DeploymentStrategy::Rolling`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_strategy: Option<DeploymentStrategySpec>,
    /// How long a traffic-shifting deployment waits with all traffic on the
    /// new tasks before it ends (and the old ones stop).
    ///
    /// CloudFormation default: 15 minutes for blue/green, linear and
    /// canary deployments; none for rolling ones.
    /// ecscdk default: omitted (ECS's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bake_time: Option<Duration>,
    /// A port of a test listener that reaches the new tasks during a
    /// traffic-shifting deployment, closed to all but `load_balancer_ingress`.
    ///
    /// CloudFormation default: no test listener.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_listener_port: Option<u16>,
    /// Lifecycle hooks of a deployment: pauses, or Lambda functions ECS
    /// invokes at deployment stages.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lifecycle_hooks: Vec<LifecycleHookSpec>,
    /// Extra ingress to the load balancer, such as testers to the test
    /// listener.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancer_ingress: Vec<IngressSpec>,
    /// AWS's recommended alarms for the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_alarms: Option<RecommendedAlarmsSpec>,
    /// The target group's health check.
    ///
    /// CloudFormation default: HTTP `/` (application) or TCP (network).
    /// ecscdk default: omitted (Elastic Load Balancing's defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<TargetHealthCheck>,
    /// How long the load balancer drains a deregistered task.
    ///
    /// CloudFormation default: 300 seconds.
    /// ecscdk default: omitted (300 seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deregistration_delay: Option<Duration>,
    /// Allow `ecs execute-command` into the tasks.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off, as the AWS CDK.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enable_execute_command: bool,
    /// Give each task a public IP address.
    ///
    /// CloudFormation default: disabled.
    /// ecscdk default: disabled.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assign_public_ip: bool,
    /// Which subnets the tasks run in.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: the VPC's private subnets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnets: Option<SubnetKind>,
    /// Target-tracking auto scaling of the task count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<AutoScalingSpec>,
}

/// A Fargate service behind a network load balancer of its own (TCP).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkLoadBalancedServiceSpec {
    /// The container's name.
    ///
    /// ecscdk default: `web`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    /// The container that receives the traffic, on its first port.
    pub container: ContainerSpec,
    /// CPU units of the task (see `task_definitions`).
    ///
    /// ecscdk default: 256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Memory of the task in MiB.
    ///
    /// ecscdk default: the smallest the CPU allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u32>,
    /// Volumes of the task.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<VolumeSpec>,
    /// How many tasks to keep running.
    ///
    /// CloudFormation default: 1 on create.
    /// ecscdk default: omitted, so a redeploy never resets a scaled service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    /// The deployment circuit breaker.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: on with rollback, as the service's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit_breaker: Option<CircuitBreaker>,
    /// An internet-facing load balancer (false: internal).
    ///
    /// CloudFormation default: internet-facing.
    /// ecscdk default: internet-facing, as the AWS CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_load_balancer: Option<bool>,
    /// The listener's port.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: 443 with a certificate, else 80.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_port: Option<u16>,
    /// A domain name for the service; with `domain_zone`, an alias record
    /// to the load balancer.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none (the load balancer's DNS name only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// The hosted zone of `domain_name`.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_zone: Option<HostedZoneSpec>,
    /// The target group's health check.
    ///
    /// CloudFormation default: HTTP `/` (application) or TCP (network).
    /// ecscdk default: omitted (Elastic Load Balancing's defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<TargetHealthCheck>,
    /// How long the load balancer drains a deregistered task.
    ///
    /// CloudFormation default: 300 seconds.
    /// ecscdk default: omitted (300 seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deregistration_delay: Option<Duration>,
    /// Keep the clients' source addresses.
    ///
    /// CloudFormation default: off for IP targets.
    /// ecscdk default: omitted (off): the service admits only the load balancer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preserve_client_ip: Option<bool>,
    /// Allow `ecs execute-command` into the tasks.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off, as the AWS CDK.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enable_execute_command: bool,
    /// Give each task a public IP address.
    ///
    /// CloudFormation default: disabled.
    /// ecscdk default: disabled.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assign_public_ip: bool,
    /// Which subnets the tasks run in.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: the VPC's private subnets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnets: Option<SubnetKind>,
    /// Target-tracking auto scaling of the task count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<AutoScalingSpec>,
}

/// A Fargate service working an SQS queue, scaled on its backlog.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueProcessingServiceSpec {
    /// The container's name.
    ///
    /// ecscdk default: `QueueProcessingContainer`, as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    /// The worker's container; it gets `QUEUE_NAME` in its environment.
    pub container: ContainerSpec,
    /// CPU units of the task.
    ///
    /// ecscdk default: 256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Memory of the task in MiB.
    ///
    /// ecscdk default: the smallest the CPU allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u32>,
    /// How long a received message stays hidden from other workers.
    ///
    /// CloudFormation default: 30 seconds.
    /// ecscdk default: omitted (30 seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_timeout: Option<Duration>,
    /// How long the queue keeps a message.
    ///
    /// CloudFormation default: 4 days.
    /// ecscdk default: 14 days, as the AWS CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<Duration>,
    /// Receives before a message moves to the dead-letter queue.
    ///
    /// CloudFormation default: no dead-letter queue.
    /// ecscdk default: 3, as the AWS CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_receive_count: Option<u32>,
    /// The fewest and most tasks, as `[min, max]`.
    ///
    /// CloudFormation default: none (required by the scalable target).
    /// ecscdk default: 1..=2, as the AWS CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<[u32; 2]>,
    /// The deployment circuit breaker.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: on with rollback, as the services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit_breaker: Option<CircuitBreaker>,
    /// Capacity providers and their shares.
    ///
    /// CloudFormation default: the cluster's default strategy, or the launch type.
    /// ecscdk default: the `FARGATE` launch type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<CapacityEntry>,
    /// Allow `ecs execute-command` into the tasks.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off, as the AWS CDK.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enable_execute_command: bool,
    /// Give each task a public IP address.
    ///
    /// CloudFormation default: disabled.
    /// ecscdk default: disabled.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assign_public_ip: bool,
    /// Which subnets the tasks run in.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: the VPC's private subnets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnets: Option<SubnetKind>,
}

/// A Fargate task run on a schedule.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledTaskSpec {
    /// The container's name.
    ///
    /// ecscdk default: `ScheduledContainer`, as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    /// The task's container.
    pub container: ContainerSpec,
    /// CPU units of the task.
    ///
    /// ecscdk default: 256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Memory of the task in MiB.
    ///
    /// ecscdk default: the smallest the CPU allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u32>,
    /// When it runs: an EventBridge Scheduler expression,
    /// `cron(minutes hours day-of-month month day-of-week year)`,
    /// `rate(N minutes|hours|days)` or `at(yyyy-mm-ddThh:mm:ss)`.
    pub schedule: String,
    /// The IANA time zone of the schedule, such as `Europe/Paris`.
    ///
    /// CloudFormation default: UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The schedule's description.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How many tasks each run starts.
    ///
    /// CloudFormation default: 1.
    /// ecscdk default: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_count: Option<u32>,
    /// Retries of a run that could not start, 0 to 185.
    ///
    /// CloudFormation default: 185.
    /// ecscdk default: 185, written explicitly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_attempts: Option<u32>,
    /// How long a run may wait to be started, 60s to 24h.
    ///
    /// CloudFormation default: 86400 seconds.
    /// ecscdk default: 24 hours, written explicitly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_event_age: Option<Duration>,
    /// Whether the schedule is on.
    ///
    /// CloudFormation default: enabled.
    /// ecscdk default: enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The Fargate platform version the tasks run on: `LATEST`, or a
    /// version such as `1.4.0`. A container setting the version does not
    /// have (a restart policy before 1.4.0, say) is refused with the fix.
    ///
    /// CloudFormation default: `LATEST`.
    /// ecscdk default: omitted (`LATEST`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    /// Give each task a public IP address.
    ///
    /// CloudFormation default: disabled.
    /// ecscdk default: disabled.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assign_public_ip: bool,
    /// Which subnets the tasks run in.
    ///
    /// CloudFormation default: none (required for awsvpc tasks).
    /// ecscdk default: the VPC's private subnets, as the AWS CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnets: Option<SubnetKind>,
}

/// How a deployment replaces tasks.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeploymentStrategySpec {
    /// The kind of deployment.
    #[serde(rename = "type")]
    pub kind: DeploymentKind,
    /// `linear`: the share of traffic moved at each step; `canary`: the
    /// share moved first. In percent, 0.1 to 100 in tenths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// `linear`: the wait between steps; `canary`: the wait after the
    /// first share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bake: Option<Duration>,
}

/// A kind of ECS deployment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeploymentKind {
    /// Replace tasks in place, within the deployment bounds.
    #[default]
    Rolling,
    /// Start the new tasks beside the old, then move all traffic at once.
    BlueGreen,
    /// Move traffic in equal steps (`percent`, `bake` between them).
    Linear,
    /// Move `percent` of the traffic, wait `bake`, then the rest.
    Canary,
}

/// A deployment stage a lifecycle hook runs at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStageSpec {
    /// Before ECS starts the new tasks.
    ReconcileService,
    /// Before the new tasks scale up.
    PreScaleUp,
    /// After the new tasks scaled up.
    PostScaleUp,
    /// While test traffic moves to the new tasks.
    TestTrafficShift,
    /// After test traffic moved.
    PostTestTrafficShift,
    /// Before production traffic moves.
    PreProductionTrafficShift,
    /// While production traffic moves.
    ProductionTrafficShift,
    /// After production traffic moved.
    PostProductionTrafficShift,
}

/// What ECS does when a hook times out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HookTimeoutActionSpec {
    /// Roll the deployment back.
    Rollback,
    /// Go on with the deployment.
    Continue,
}

/// A lifecycle hook: a pause, or a Lambda function ECS invokes.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LifecycleHookSpec {
    /// The stages the hook runs at.
    pub stages: Vec<LifecycleStageSpec>,
    /// A Lambda function's ARN; without it, the hook pauses the deployment
    /// until it is resumed or times out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda: Option<String>,
    /// A Lambda hook's construct id (its role is `<service>/<id>Role`).
    ///
    /// ecscdk default: `Hook<n>`, n counted from 1 over the hooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// How long ECS waits for the hook, with `on_timeout`.
    ///
    /// CloudFormation default: ECS's.
    /// ecscdk default: ECS's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    /// What ECS does when `timeout` passes.
    ///
    /// ecscdk default: `rollback`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_timeout: Option<HookTimeoutActionSpec>,
}

/// Ingress from an IPv4 range on a TCP port.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IngressSpec {
    /// The range, such as `203.0.113.0/24`.
    pub cidr: String,
    /// The TCP port.
    pub port: u16,
    /// The rule's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// GuardDuty's detector with Runtime Monitoring.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetectorSpec {
    /// The construct id.
    ///
    /// ecscdk default: `GuardDuty`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Let GuardDuty manage its agent on Fargate.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fargate_agent_management: Option<bool>,
    /// Let GuardDuty manage its agent on EC2 instances.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ec2_agent_management: Option<bool>,
    /// Silence the warning that an account has one detector per Region
    /// (creating this one fails where another exists).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub acknowledge_warning: bool,
}

/// An SNS topic, encrypted with a KMS key of its own that CloudWatch may
/// use.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    /// The topic's name.
    ///
    /// CloudFormation default: generated from the stack and logical ID.
    /// ecscdk default: generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_name: Option<String>,
    /// The display name of its messages.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Email addresses subscribed (each confirms by mail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email: Vec<String>,
    /// HTTPS endpoints subscribed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub https: Vec<String>,
    /// SQS queues subscribed, by ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sqs: Vec<String>,
    /// Lambda functions subscribed, by ARN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lambda: Vec<String>,
}

/// How an alarm compares the metric with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComparisonSpec {
    /// `>=`.
    GreaterThanOrEqual,
    /// `>`.
    GreaterThan,
    /// `<`.
    LessThan,
    /// `<=`.
    LessThanOrEqual,
}

/// How an alarm treats periods without data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TreatMissingDataSpec {
    /// As breaching the threshold.
    Breaching,
    /// As within the threshold.
    NotBreaching,
    /// Keep the current state.
    Ignore,
    /// As missing.
    Missing,
}

/// A CloudWatch alarm on a metric of the stack.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlarmSpec {
    /// `<construct id>.<metric>`: a service's (or a pattern's service's)
    /// `cpu_utilization`, `memory_utilization`, `running_task_count`,
    /// `desired_task_count`, `pending_task_count`; a load-balanced
    /// service's `target_5xx_count` and `elb_5xx_count`; a queue service's
    /// `oldest_message_age` and `visible_messages`.
    pub metric: String,
    /// The threshold.
    pub threshold: f64,
    /// The period each data point of the metric covers.
    ///
    /// CloudFormation default: none (required by an alarm on a metric).
    /// ecscdk default: 5 minutes, as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Duration>,
    /// How the metric's values within a period are combined.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: `Statistic::Average`, as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<StatisticSpec>,
    /// How the metric compares with the threshold.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: `Comparison::GreaterThanOrEqual`, as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<ComparisonSpec>,
    /// Periods evaluated.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_periods: Option<u32>,
    /// Breaching periods among them that fire the alarm.
    ///
    /// CloudFormation default: all the evaluated periods.
    /// ecscdk default: omitted (all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datapoints_to_alarm: Option<u32>,
    /// How periods without data count.
    ///
    /// CloudFormation default: `missing`.
    /// ecscdk default: omitted (`missing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat_missing_data: Option<TreatMissingDataSpec>,
    /// The alarm's description.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The alarm's name.
    ///
    /// CloudFormation default: a name made from the stack and logical ID.
    /// ecscdk default: CloudFormation's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_name: Option<String>,
    /// The construct id of an entry of `topics` notified when the alarm
    /// fires.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_topic: Option<String>,
    /// The construct id of an entry of `topics` notified when it recovers.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok_topic: Option<String>,
    /// Watch the deployments of a service of this stack (its construct id)
    /// with this alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_alarm_of: Option<String>,
    /// With `deployment_alarm_of`: roll a deployment back when the alarm
    /// fires.
    ///
    /// ecscdk default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<bool>,
}

/// A CloudWatch dashboard of rows.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardSpec {
    /// The dashboard's rows, top to bottom.
    pub rows: Vec<DashboardRowSpec>,
}

/// A row of a dashboard: Markdown text, or the standard row about a service
/// (CPU, memory, task counts, and the states of its recommended alarms).
/// Give `markdown` or `service`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardRowSpec {
    /// Markdown text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// The text widget's width, 1 to 24 grid columns.
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// The text widget's height in grid rows.
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 2, as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// The construct id of a service (or pattern) of this stack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

/// An Amazon ECS-optimized AMI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmiSpec {
    /// The operating system.
    ///
    /// ecscdk default: `amazon_linux_2023`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<AmiFamilySpec>,
    /// The hardware the image is built for.
    ///
    /// ecscdk default: `standard` (x86-64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware: Option<AmiHardwareSpec>,
}

/// The operating system of an ECS-optimized AMI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AmiFamilySpec {
    /// Amazon Linux 2023.
    #[serde(rename = "amazon_linux_2023")]
    AmazonLinux2023,
    /// Amazon Linux 2.
    #[serde(rename = "amazon_linux_2")]
    AmazonLinux2,
    /// Bottlerocket.
    Bottlerocket,
}

/// The hardware of an ECS-optimized AMI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AmiHardwareSpec {
    /// x86-64.
    Standard,
    /// 64-bit ARM (Graviton).
    Arm64,
    /// NVIDIA GPUs.
    Gpu,
    /// AWS Inferentia and Trainium.
    Neuron,
}

/// An Auto Scaling group of ECS container instances.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoScalingGroupSpec {
    /// The instance type, such as `t3.medium`.
    pub instance_type: String,
    /// The ECS-optimized AMI.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: Amazon Linux 2023 on x86-64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_image: Option<AmiSpec>,
    /// The fewest instances.
    ///
    /// CloudFormation default: none (both required).
    /// ecscdk default: 0 and 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_capacity: Option<u32>,
    /// The most instances.
    ///
    /// CloudFormation default: none (both required).
    /// ecscdk default: 0 and 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<u32>,
    /// How many instances to start with.
    ///
    /// CloudFormation default: the minimum.
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_capacity: Option<u32>,
    /// The group's capacity provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<AsgProviderSpec>,
}

/// The capacity provider of an Auto Scaling group.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AsgProviderSpec {
    /// The construct id, which `capacity_provider_strategy` entries name.
    ///
    /// ecscdk default: the group's id followed by `Provider`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Let ECS scale the group to the tasks' needs.
    ///
    /// CloudFormation default: `DISABLED`.
    /// ecscdk default: enabled (as the CDK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_scaling: Option<bool>,
    /// How full ECS keeps the instances, in percent.
    ///
    /// CloudFormation default: 100.
    /// ecscdk default: 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_capacity_percent: Option<u32>,
    /// Keep instances with tasks from being terminated on scale-in.
    ///
    /// CloudFormation default: `DISABLED`.
    /// ecscdk default: enabled (as the CDK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_termination_protection: Option<bool>,
    /// Drain an instance's tasks before it is terminated.
    ///
    /// CloudFormation default: `ENABLED`.
    /// ecscdk default: omitted (enabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_draining: Option<bool>,
    /// The capacity provider's name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_name: Option<String>,
}

/// An ECS Managed Instances capacity provider: instances AWS chooses,
/// launches and patches within the requirements given.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagedInstancesProviderSpec {
    /// vCPUs of an instance, as `[min, max]`.
    pub vcpus: [u32; 2],
    /// Memory of an instance in MiB, as `[min, max]`.
    pub memory_mib: [u32; 2],
    /// CPU makers allowed.
    ///
    /// CloudFormation default: any.
    /// ecscdk default: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpu_manufacturers: Vec<CpuManufacturerSpec>,
    /// Only instance types of the current generation.
    ///
    /// CloudFormation default: current and previous.
    /// ecscdk default: omitted (current and previous).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub current_generation: bool,
    /// The size of the tasks' volume of each instance, GiB.
    ///
    /// CloudFormation default: ECS's (80 GiB, per the AWS CDK).
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_volume_storage_gib: Option<u32>,
    /// Copy the capacity provider's tags to its instances.
    ///
    /// CloudFormation default: `NONE`.
    /// ecscdk default: omitted (not copied).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub propagate_tags: bool,
    /// The capacity provider's name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_provider_name: Option<String>,
}

/// A CPU maker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CpuManufacturerSpec {
    /// Intel.
    Intel,
    /// AMD.
    Amd,
    /// AWS (Graviton).
    AmazonWebServices,
}

/// A share of a capacity provider of this stack in a strategy.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderShare {
    /// The construct id of a capacity provider of this stack (an
    /// `auto_scaling_groups` provider, or a `managed_instances_providers`
    /// entry).
    pub provider: String,
    /// Tasks placed on this provider before weights count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<u32>,
    /// The provider's share of the tasks beyond the bases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

/// The network mode of a task on EC2 instances.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ec2NetworkModeSpec {
    /// Docker's bridge, with dynamic or fixed host ports.
    #[default]
    Bridge,
    /// The instance's network.
    Host,
    /// An elastic network interface per task.
    Awsvpc,
    /// No network.
    None,
}

/// A task definition for EC2 instances.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ec2TaskSpec {
    /// The construct id.
    ///
    /// ecscdk default: the service's id followed by `Task`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The network mode.
    pub network_mode: Ec2NetworkModeSpec,
    /// CPU units of the task.
    ///
    /// CloudFormation default: none (only the containers' reservations count).
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Memory of the task in MiB.
    ///
    /// CloudFormation default: none (each container needs a memory limit or
    /// reservation).
    /// ecscdk default: omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u32>,
    /// The family name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: the CDK's: the unique id of the construct path
    /// including the stack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Volumes the containers can mount.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<VolumeSpec>,
    /// The containers, by name.
    pub containers: IndexMap<String, ContainerSpec>,
}

/// An ECS service on the EC2 instances of the stack's Auto Scaling groups.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ec2ServiceSpec {
    /// The service's task definition.
    pub task: Ec2TaskSpec,
    /// How many tasks to keep running.
    ///
    /// CloudFormation default: 1 on create.
    /// ecscdk default: omitted, so a redeploy never resets a count that auto
    /// scaling changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    /// One task on every instance (a daemon) instead of a desired count.
    ///
    /// CloudFormation default: `REPLICA`.
    /// ecscdk default: `REPLICA`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub daemon: bool,
    /// The deployment circuit breaker.
    ///
    /// CloudFormation default: no circuit breaker.
    /// ecscdk default: `CircuitBreaker::Rollback`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit_breaker: Option<CircuitBreaker>,
    /// Lower bound of running tasks during a deployment, in percent.
    ///
    /// CloudFormation default: 100 (replica), 0 (daemon).
    /// ecscdk default: 100 for replicas, 0 for daemons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_healthy_percent: Option<u32>,
    /// Upper bound of tasks during a deployment, in percent.
    ///
    /// CloudFormation default: 200 (replica), 100 (daemon).
    /// ecscdk default: 200 for replicas, 100 for daemons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<u32>,
    /// The service's name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Allow `ecs execute-command` into the tasks.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enable_execute_command: bool,
    /// The Auto Scaling group providers and their shares.
    ///
    /// CloudFormation default: the cluster's default strategy, or the launch
    /// type.
    /// ecscdk default: the `EC2` launch type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<ProviderShare>,
    /// Target-tracking auto scaling of the task count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<AutoScalingSpec>,
}

/// The network mode of a task on ECS Managed Instances.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ManagedInstancesNetworkModeSpec {
    /// An elastic network interface per task.
    #[default]
    Awsvpc,
    /// The instance's network.
    Host,
}

/// A task definition for ECS Managed Instances.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagedInstancesTaskSpec {
    /// The construct id.
    ///
    /// ecscdk default: the service's id followed by `Task`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The network mode.
    pub network_mode: ManagedInstancesNetworkModeSpec,
    /// CPU units of the task.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: 256, as the AWS CDK's `ManagedInstancesTaskDefinition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Memory of the task in MiB.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: 512, as the AWS CDK's `ManagedInstancesTaskDefinition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u32>,
    /// The family name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: the CDK's: the unique id of the construct path
    /// including the stack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Scratch volumes the containers can mount, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scratch_volumes: Vec<String>,
    /// The containers, by name.
    pub containers: IndexMap<String, ContainerSpec>,
}

/// An ECS service on the stack's Managed Instances capacity providers.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagedInstancesServiceSpec {
    /// The service's task definition.
    pub task: ManagedInstancesTaskSpec,
    /// How many tasks to keep running.
    ///
    /// CloudFormation default: 1 on create; on update an omitted count keeps
    /// the current one.
    /// ecscdk default: omitted, so a redeploy never resets a count that auto
    /// scaling changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    /// The deployment circuit breaker.
    ///
    /// CloudFormation default: no circuit breaker.
    /// ecscdk default: `CircuitBreaker::Rollback`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit_breaker: Option<CircuitBreaker>,
    /// Lower bound of running tasks during a deployment, in percent.
    ///
    /// CloudFormation default: 100.
    /// ecscdk default: 100 (the AWS CDK uses 50 when it is not set, and
    /// warns that it does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_healthy_percent: Option<u32>,
    /// Upper bound of tasks during a deployment, in percent.
    ///
    /// CloudFormation default: 200.
    /// ecscdk default: 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<u32>,
    /// The service's name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Allow `ecs execute-command` into the tasks.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enable_execute_command: bool,
    /// The Managed Instances providers and their shares.
    ///
    /// CloudFormation default: the cluster's default strategy.
    /// ecscdk default: none (required).
    pub capacity_provider_strategy: Vec<ProviderShare>,
    /// Target-tracking auto scaling of the task count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<AutoScalingSpec>,
}

/// A VPC that exists already.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExistingVpcSpec {
    /// The VPC's id, `vpc-…`.
    pub id: String,
    /// The Availability Zones of its subnets, in the order the subnets of
    /// each kind are listed.
    pub availability_zones: Vec<String>,
    /// Its IPv4 range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// Its public subnets, by id, one per zone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public_subnets: Vec<String>,
    /// Its private subnets (with a route out through NAT), by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_subnets: Vec<String>,
    /// Its isolated subnets (no route out), by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub isolated_subnets: Vec<String>,
}

/// A CPU architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CpuArchitectureSpec {
    /// x86-64.
    X86_64,
    /// 64-bit ARM (Graviton).
    Arm64,
}

/// How a service registers its tasks in Cloud Map.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudMapSpec {
    /// The name the tasks register under.
    pub name: String,
    /// The DNS records: `a` or `srv`.
    ///
    /// CloudFormation default: none (required in `DnsConfig`).
    /// ecscdk default: `A` in `awsvpc` network mode, `SRV` in `bridge` and
    /// `host` modes, as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_record_type: Option<DnsRecordTypeSpec>,
    /// How long resolvers cache the records.
    ///
    /// CloudFormation default: none (required in `DnsConfig`).
    /// ecscdk default: 60 seconds, as the CDK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_ttl: Option<Duration>,
}

/// The DNS records of a Cloud Map service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DnsRecordTypeSpec {
    /// IPv4 addresses.
    A,
    /// Host and port.
    Srv,
}

/// How a metric's values within a period are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatisticSpec {
    /// The mean.
    Average,
    /// The lowest value.
    Minimum,
    /// The highest value.
    Maximum,
    /// The total.
    Sum,
    /// The number of values.
    SampleCount,
}
