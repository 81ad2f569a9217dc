//! Amazon ECS: clusters, Fargate capacity, task definitions, containers and
//! services.

mod capacity;
mod cluster;
mod container;
mod fargate_service;
mod fargate_size;
mod fargate_task_definition;
mod service_connect;

pub use capacity::{FargateCapacity, FargateProvider};
pub use cluster::{Cluster, ClusterBuilder, ContainerInsights, ExecCommandLogging};
pub use container::{
    AppProtocol, Container, ContainerBuilder, ContainerCondition, ContainerImage, ContainerSecret,
    HealthCheck, LogDriver, PortMapping, Protocol, UlimitSetting,
};
pub use fargate_service::{
    CircuitBreaker, CloudMapOptions, FargateService, FargateServiceBuilder, PlatformVersion,
    ServiceScaling,
};
pub use fargate_size::{FARGATE_SIZES, FargateCpu, FargateRow, FargateSize, InvalidFargateSize};
pub use fargate_task_definition::{
    CpuArchitecture, FargateTaskDefinition, FargateTaskDefinitionBuilder, OperatingSystem, Volume,
};
pub use service_connect::{ServiceConnect, ServiceConnectPort, ServiceConnectTls};
