//! Amazon ECS: clusters and their capacity (Fargate and Fargate Spot, EC2
//! Auto Scaling groups, Managed Instances, ECS Anywhere servers), task
//! definitions for each, containers (images from a registry, ECR or a
//! Dockerfile; restart policies, kernel parameters), services, and their
//! scaling, load balancers and discovery; Express Mode services and Managed
//! Daemons.

mod asg;
mod capacity;
mod cluster;
mod container;
mod daemon;
mod deployment;
mod ec2_service;
mod ec2_task_definition;
mod express;
mod external;
mod fargate_service;
mod fargate_size;
mod fargate_task_definition;
mod managed_instances;
mod restart_policy;
pub(crate) mod service_base;
mod service_connect;
mod system_control;
pub(crate) mod task_definition_base;
mod volume;

pub use asg::{
    AmiFamily, AmiHardware, AsgCapacity, AsgCapacityProvider, AsgCapacityProviderBuilder,
    AutoScalingGroup, AutoScalingGroupBuilder, EcsOptimizedImage,
};
pub use capacity::{FargateCapacity, FargateProvider};
pub use cluster::{
    Cluster, ClusterAttributes, ClusterBuilder, ContainerInsights, ExecCommandLogging,
};
pub use container::{
    AppProtocol, Container, ContainerBuilder, ContainerCondition, ContainerImage, ContainerSecret,
    HealthCheck, LogDriver, PRIVILEGED_WARNING, PortMapping, Protocol, READ_ONLY_ROOT_WARNING,
    UlimitSetting,
};
pub use daemon::{
    Daemon, DaemonBuilder, DaemonNamespace, DaemonTaskDefinition, DaemonTaskDefinitionBuilder,
};
pub use deployment::{
    AlternateTarget, DeploymentStrategy, HookTimeoutAction, LifecycleHook, LifecycleStage,
};
pub use ec2_service::{
    BinpackResource, Ec2Service, Ec2ServiceBuilder, PlacementStrategy, ServicePlacementConstraint,
};
pub use ec2_task_definition::{
    DockerVolumeScope, Ec2NetworkMode, Ec2TaskDefinition, Ec2TaskDefinitionBuilder, Ec2Volume,
};
pub use express::{
    EXECUTION_POLICY as EXPRESS_EXECUTION_POLICY, ExpressContainer, ExpressScaling,
    ExpressScalingMetric, ExpressService, ExpressServiceBuilder,
    INFRASTRUCTURE_POLICY as EXPRESS_INFRASTRUCTURE_POLICY,
    LARGE_SIZE_WARNING as EXPRESS_SIZE_WARNING,
};
pub use external::{
    ExternalCapacity, ExternalCapacityBuilder, ExternalNetworkMode, ExternalService,
    ExternalServiceBuilder, ExternalTaskDefinition, ExternalTaskDefinitionBuilder,
};
pub(crate) use fargate_service::check_platform_version;
pub use fargate_service::{FargateService, FargateServiceBuilder, PlatformVersion};
pub use fargate_size::{FARGATE_SIZES, FargateCpu, FargateRow, FargateSize, InvalidFargateSize};
pub use fargate_task_definition::{FargateTaskDefinition, FargateTaskDefinitionBuilder};
pub use managed_instances::{
    AcceleratorManufacturer, AcceleratorType, CapacityOption, CpuManufacturer, Inclusion,
    InstanceGeneration, InstanceMonitoring, InstanceRequirements, LocalStorageType,
    ManagedInstancesCapacity, ManagedInstancesCapacityProvider,
    ManagedInstancesCapacityProviderBuilder, ManagedInstancesNetworkMode, ManagedInstancesService,
    ManagedInstancesServiceBuilder, ManagedInstancesTaskDefinition,
    ManagedInstancesTaskDefinitionBuilder,
};
pub use restart_policy::RestartPolicy;
pub use service_base::{
    CircuitBreaker, CloudMapOptions, NO_CIRCUIT_BREAKER_WARNING, ServiceScaling,
};
pub use service_connect::{AccessLogFormat, ServiceConnect, ServiceConnectPort, ServiceConnectTls};
pub use task_definition_base::{CpuArchitecture, OperatingSystem, Volume};
pub use volume::{EfsVolume, FsxWindowsVolume};
