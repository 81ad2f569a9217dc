//! Amazon ECS Managed Instances: EC2 instances that ECS chooses, launches,
//! patches and retires for a cluster ([`ManagedInstancesCapacityProvider`]),
//! task definitions for them ([`ManagedInstancesTaskDefinition`]) and
//! services on them ([`ManagedInstancesService`]).
//!
//! CloudFormation: [AWS::ECS::CapacityProvider](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-capacityprovider.html)
//! (`ManagedInstancesProvider`), [AWS::ECS::TaskDefinition](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html),
//! [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html).
//!
//! The rules ECS sets, and how they show here:
//!
//! - A Managed Instances provider belongs to one cluster (`ClusterName`, set
//!   when it is created): [`ManagedInstancesCapacityProvider::builder`] takes
//!   the cluster, so a provider can never be unregistered, and it is not
//!   listed in the cluster's capacity-provider associations (as in the AWS
//!   CDK).
//! - ECS assumes an infrastructure role (trusting `ecs.amazonaws.com`, with
//!   the AWS managed policy `AmazonECSInfrastructureRolePolicyForManagedInstances`)
//!   to launch instances with an instance profile. That managed policy only
//!   passes roles named `ecsInstanceRole*`; instead of a fixed role name, the
//!   infrastructure role gets `iam:PassRole` on exactly this provider's
//!   instance role.
//! - Task definitions require the `MANAGED_INSTANCES` compatibility and name
//!   a network mode, `awsvpc` or `host` ([`ManagedInstancesNetworkMode`]:
//!   the developer guide's Managed Instances networking page lists only
//!   these two; `bridge` is not offered, and neither is `none`, which only
//!   the API reference mentions).
//! - A service runs on Managed Instances through a capacity provider strategy
//!   (CloudFormation's `LaunchType` has no `MANAGED_INSTANCES` value), and a
//!   strategy holds one kind of provider: [`ManagedInstancesService`] takes
//!   only [`ManagedInstancesCapacity`] items, so a strategy mixing them with
//!   Fargate or Auto Scaling group providers does not compile.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ec2::Vpc;
//! use ecscdk::ecs::{
//!     Cluster, Container, ContainerImage, InstanceRequirements, ManagedInstancesCapacityProvider,
//!     ManagedInstancesNetworkMode, ManagedInstancesService, ManagedInstancesTaskDefinition,
//!     PortMapping,
//! };
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("S");
//! let vpc = Vpc::builder("Vpc").build(&mut stack)?;
//! let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
//! let provider = ManagedInstancesCapacityProvider::builder("Provider", &cluster)
//!     .instance_requirements(InstanceRequirements::new(2..=8, 4096..=32768))
//!     .build(&mut stack)?;
//! let task = ManagedInstancesTaskDefinition::builder("Task", ManagedInstancesNetworkMode::AwsVpc)
//!     .container(
//!         Container::builder("web", ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"))
//!             .port(PortMapping::tcp(80)),
//!     )
//!     .build(&mut stack)?;
//! let service = ManagedInstancesService::builder("Service", &cluster, &task)
//!     .capacity_provider_strategy([provider.strategy()])
//!     .build(&mut stack)?;
//! # let _ = service;
//! # Ok(()) }
//! ```

use std::ops::{Bound, RangeBounds};
use std::sync::Arc;
use std::time::Duration;

use crate::cfn::ecs::capacity_provider::{
    AcceleratorCountRequest, AcceleratorManufacturers, AcceleratorTypes, BareMetal,
    BurstablePerformance, CapacityOptionType, CpuManufacturers, InfrastructureOptimization,
    InstanceGenerations, InstanceLaunchTemplate, InstanceRequirementsRequest, LocalStorage,
    LocalStorageTypes, ManagedInstancesMonitoringOptions, ManagedInstancesNetworkConfiguration,
    ManagedInstancesProvider, ManagedInstancesStorageConfiguration, MemoryMiBRequest,
    PropagateTags as CfnPropagateTags, VCpuCountRangeRequest,
};
use crate::cfn::ecs::task_definition::{NetworkMode, RequiresCompatibilities, Volume as CfnVolume};
use crate::cfn::ecs::{
    CfnCapacityProvider, CfnCapacityProviderRef, CfnService, CfnTaskDefinition,
    CfnTaskDefinitionRef,
};
use crate::cfn::iam::CfnInstanceProfile;
use crate::ec2::{Connectable, Connections, SecurityGroup, SubnetSelection};
use crate::ecs::capacity::StrategyItem;
use crate::ecs::container::TaskTraits;
use crate::ecs::service_base::{
    Percents, ServiceCore, ServiceKind, ServiceParts, TaskNetwork, TaskView, deployment_setters,
    network_setters, render_strategy, replica_setters, scheduling, service_accessors,
};
use crate::ecs::task_definition_base::{
    ContainerInfo, LoweredTask, check_container_memory, check_mounted_volumes, default_family,
    lower_containers, task_definition_accessors, unique_container_names,
};
use crate::ecs::{Cluster, ContainerBuilder, ServiceScaling};
use crate::iam::{PolicyStatement, Principal, Role};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// The AWS managed policy ECS's infrastructure role needs for Managed
/// Instances.
const INFRASTRUCTURE_POLICY: &str = "AmazonECSInfrastructureRolePolicyForManagedInstances";

/// Whether instances of a kind are included, required or excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Inclusion {
    /// Allowed, not required.
    Included,
    /// Only these.
    Required,
    /// None of these.
    Excluded,
}

/// A CPU maker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CpuManufacturer {
    /// Intel.
    Intel,
    /// AMD.
    Amd,
    /// AWS (Graviton, ARM64).
    AmazonWebServices,
}

/// Current or previous instance generations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InstanceGeneration {
    /// Current generation.
    Current,
    /// Previous generation.
    Previous,
}

/// A kind of local instance storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LocalStorageType {
    /// Hard disks.
    Hdd,
    /// Solid-state drives.
    Ssd,
}

/// A kind of accelerator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AcceleratorType {
    /// GPUs.
    Gpu,
    /// FPGAs.
    Fpga,
    /// Inference accelerators.
    Inference,
}

/// An accelerator maker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AcceleratorManufacturer {
    /// AWS (Inferentia, Trainium).
    AmazonWebServices,
    /// AMD.
    Amd,
    /// Habana.
    Habana,
    /// NVIDIA.
    Nvidia,
    /// Xilinx.
    Xilinx,
}

/// How often CloudWatch gets instance metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InstanceMonitoring {
    /// Every 5 minutes, free.
    Basic,
    /// Every minute, charged.
    Detailed,
}

/// How the instances are bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CapacityOption {
    /// On-Demand instances.
    OnDemand,
    /// Spot instances: cheaper, interruptible.
    Spot,
}

impl Inclusion {
    /// The value of a CloudFormation enum of the same three choices.
    fn pick<T>(self, included: T, required: T, excluded: T) -> T {
        match self {
            Self::Included => included,
            Self::Required => required,
            Self::Excluded => excluded,
        }
    }
}

/// A list property of the instance requirements, omitted when empty.
fn list<T, U>(items: &[T], render: impl Fn(&T) -> Value<U>) -> Option<Value<Vec<Value<U>>>> {
    (!items.is_empty()).then(|| Value::Lit(items.iter().map(render).collect()))
}

/// Splits a range of whole numbers into a minimum and an optional maximum
/// (an open end means no maximum; `..` starts at 0).
fn bounds(range: &impl RangeBounds<u32>) -> (u32, Option<u32>) {
    let min = match range.start_bound() {
        Bound::Included(n) => *n,
        Bound::Excluded(n) => n.saturating_add(1),
        Bound::Unbounded => 0,
    };
    let max = match range.end_bound() {
        Bound::Included(n) => Some(*n),
        Bound::Excluded(n) => Some(n.saturating_sub(1)),
        Bound::Unbounded => None,
    };
    (min, max)
}

/// Which instance types ECS may launch, by attributes (EC2 attribute-based
/// instance type selection): vCPU and memory ranges are required, the rest
/// narrows the choice. ECS picks the cheapest types that fit the tasks.
///
/// ```
/// use ecscdk::ecs::{CpuManufacturer, InstanceGeneration, InstanceRequirements};
/// let graviton = InstanceRequirements::new(2..=16, 4096..)
///     .cpu_manufacturer(CpuManufacturer::AmazonWebServices)
///     .instance_generation(InstanceGeneration::Current);
/// # let _ = graviton;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct InstanceRequirements {
    vcpus: (u32, Option<u32>),
    memory_mib: (u32, Option<u32>),
    cpu_manufacturers: Vec<CpuManufacturer>,
    generations: Vec<InstanceGeneration>,
    allowed_types: Vec<String>,
    excluded_types: Vec<String>,
    bare_metal: Option<Inclusion>,
    burstable: Option<Inclusion>,
    local_storage: Option<Inclusion>,
    local_storage_types: Vec<LocalStorageType>,
    accelerator_types: Vec<AcceleratorType>,
    accelerator_manufacturers: Vec<AcceleratorManufacturer>,
    accelerator_count: Option<(u32, Option<u32>)>,
}

impl InstanceRequirements {
    /// Instances with `vcpus` vCPUs and `memory_mib` MiB of memory, e.g.
    /// `2..=8` and `4096..` (an open end means no maximum).
    pub fn new(vcpus: impl RangeBounds<u32>, memory_mib: impl RangeBounds<u32>) -> Self {
        Self {
            vcpus: bounds(&vcpus),
            memory_mib: bounds(&memory_mib),
            cpu_manufacturers: Vec::new(),
            generations: Vec::new(),
            allowed_types: Vec::new(),
            excluded_types: Vec::new(),
            bare_metal: None,
            burstable: None,
            local_storage: None,
            local_storage_types: Vec::new(),
            accelerator_types: Vec::new(),
            accelerator_manufacturers: Vec::new(),
            accelerator_count: None,
        }
    }

    /// Adds a CPU maker the instances may have.
    ///
    /// CloudFormation default: any.
    /// ecscdk default: any.
    pub fn cpu_manufacturer(mut self, manufacturer: CpuManufacturer) -> Self {
        self.cpu_manufacturers.push(manufacturer);
        self
    }

    /// Adds an instance generation the instances may be of.
    ///
    /// CloudFormation default: current and previous.
    /// ecscdk default: omitted (current and previous).
    pub fn instance_generation(mut self, generation: InstanceGeneration) -> Self {
        self.generations.push(generation);
        self
    }

    /// Allows only instance types matching these names (`*` is a wildcard:
    /// `m5.*`, `c7g.*`); cannot be combined with excluded types.
    ///
    /// CloudFormation default: all types that match the other attributes.
    /// ecscdk default: all types that match the other attributes.
    pub fn allowed_instance_types<S: Into<String>>(
        mut self,
        types: impl IntoIterator<Item = S>,
    ) -> Self {
        self.allowed_types.extend(types.into_iter().map(Into::into));
        self
    }

    /// Never launches instance types matching these names (`*` is a
    /// wildcard); cannot be combined with allowed types.
    ///
    /// CloudFormation default: none excluded.
    /// ecscdk default: none excluded.
    pub fn excluded_instance_types<S: Into<String>>(
        mut self,
        types: impl IntoIterator<Item = S>,
    ) -> Self {
        self.excluded_types
            .extend(types.into_iter().map(Into::into));
        self
    }

    /// Bare-metal instance types.
    ///
    /// CloudFormation default: excluded.
    /// ecscdk default: omitted (excluded).
    pub fn bare_metal(mut self, inclusion: Inclusion) -> Self {
        self.bare_metal = Some(inclusion);
        self
    }

    /// Burstable (T) instance types.
    ///
    /// CloudFormation default: excluded.
    /// ecscdk default: omitted (excluded).
    pub fn burstable_performance(mut self, inclusion: Inclusion) -> Self {
        self.burstable = Some(inclusion);
        self
    }

    /// Instance types with local (instance store) disks.
    ///
    /// CloudFormation default: included.
    /// ecscdk default: omitted (included).
    pub fn local_storage(mut self, inclusion: Inclusion) -> Self {
        self.local_storage = Some(inclusion);
        self
    }

    /// Adds a kind of local disk the instances may have.
    ///
    /// CloudFormation default: HDD and SSD.
    /// ecscdk default: omitted (HDD and SSD).
    pub fn local_storage_type(mut self, kind: LocalStorageType) -> Self {
        self.local_storage_types.push(kind);
        self
    }

    /// Adds a kind of accelerator the instances may have.
    ///
    /// CloudFormation default: any.
    /// ecscdk default: any.
    pub fn accelerator_type(mut self, kind: AcceleratorType) -> Self {
        self.accelerator_types.push(kind);
        self
    }

    /// Adds an accelerator maker the instances may have.
    ///
    /// CloudFormation default: any.
    /// ecscdk default: any.
    pub fn accelerator_manufacturer(mut self, manufacturer: AcceleratorManufacturer) -> Self {
        self.accelerator_manufacturers.push(manufacturer);
        self
    }

    /// How many accelerators (GPUs, …) an instance has, e.g. `1..=4`; `0..=0`
    /// excludes accelerated instances.
    ///
    /// CloudFormation default: any number.
    /// ecscdk default: omitted (any number).
    pub fn accelerator_count(mut self, count: impl RangeBounds<u32>) -> Self {
        self.accelerator_count = Some(bounds(&count));
        self
    }

    fn check(&self, invalid: &dyn Fn(String) -> Error) -> Result<()> {
        for (what, (min, max)) in [
            ("vCPU", Some(self.vcpus)),
            ("memory (MiB)", Some(self.memory_mib)),
            ("accelerator count", self.accelerator_count),
        ]
        .into_iter()
        .filter_map(|(w, r)| r.map(|r| (w, r)))
        {
            if let Some(max) = max
                && min > max
            {
                return Err(invalid(format!(
                    "the {what} range starts at {min}, above its end {max}; give `min..=max` with min <= max"
                )));
            }
        }
        if self.vcpus.0 == 0 {
            return Err(invalid(
                "the vCPU range starts at 0; every instance has at least 1 vCPU, start it at 1 or more"
                    .to_owned(),
            ));
        }
        for list in [&self.allowed_types, &self.excluded_types] {
            if list.len() > 400 {
                return Err(invalid(format!(
                    "{} instance types are listed; EC2 accepts at most 400",
                    list.len()
                )));
            }
            if let Some(bad) = list.iter().find(|t| {
                t.is_empty()
                    || t.len() > 30
                    || !t
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '*')
            }) {
                return Err(invalid(format!(
                    "{bad:?} is not an instance type pattern: 1 to 30 letters, digits, `.` and `*` (e.g. `m7g.*`)"
                )));
            }
        }
        Ok(())
    }

    fn render(&self) -> InstanceRequirementsRequest {
        let int = |n: u32| Value::Lit(i64::from(n));
        let names = |types: &[String]| list(types, |t| Value::from(t.as_str()));
        InstanceRequirementsRequest {
            accelerator_count: self.accelerator_count.map(|(min, max)| {
                Value::Lit(AcceleratorCountRequest {
                    max: max.map(int),
                    min: Some(int(min)),
                })
            }),
            accelerator_manufacturers: list(&self.accelerator_manufacturers, |m| {
                Value::Lit(match m {
                    AcceleratorManufacturer::AmazonWebServices => {
                        AcceleratorManufacturers::AmazonWebServices
                    }
                    AcceleratorManufacturer::Amd => AcceleratorManufacturers::Amd,
                    AcceleratorManufacturer::Habana => AcceleratorManufacturers::Habana,
                    AcceleratorManufacturer::Nvidia => AcceleratorManufacturers::Nvidia,
                    AcceleratorManufacturer::Xilinx => AcceleratorManufacturers::Xilinx,
                })
            }),
            accelerator_types: list(&self.accelerator_types, |t| {
                Value::Lit(match t {
                    AcceleratorType::Gpu => AcceleratorTypes::Gpu,
                    AcceleratorType::Fpga => AcceleratorTypes::Fpga,
                    AcceleratorType::Inference => AcceleratorTypes::Inference,
                })
            }),
            allowed_instance_types: names(&self.allowed_types),
            bare_metal: self.bare_metal.map(|i| {
                Value::Lit(i.pick(
                    BareMetal::Included,
                    BareMetal::Required,
                    BareMetal::Excluded,
                ))
            }),
            burstable_performance: self.burstable.map(|i| {
                Value::Lit(i.pick(
                    BurstablePerformance::Included,
                    BurstablePerformance::Required,
                    BurstablePerformance::Excluded,
                ))
            }),
            cpu_manufacturers: list(&self.cpu_manufacturers, |m| {
                Value::Lit(match m {
                    CpuManufacturer::Intel => CpuManufacturers::Intel,
                    CpuManufacturer::Amd => CpuManufacturers::Amd,
                    CpuManufacturer::AmazonWebServices => CpuManufacturers::AmazonWebServices,
                })
            }),
            excluded_instance_types: names(&self.excluded_types),
            instance_generations: list(&self.generations, |g| {
                Value::Lit(match g {
                    InstanceGeneration::Current => InstanceGenerations::Current,
                    InstanceGeneration::Previous => InstanceGenerations::Previous,
                })
            }),
            local_storage: self.local_storage.map(|i| {
                Value::Lit(i.pick(
                    LocalStorage::Included,
                    LocalStorage::Required,
                    LocalStorage::Excluded,
                ))
            }),
            local_storage_types: list(&self.local_storage_types, |t| {
                Value::Lit(match t {
                    LocalStorageType::Hdd => LocalStorageTypes::Hdd,
                    LocalStorageType::Ssd => LocalStorageTypes::Ssd,
                })
            }),
            ..InstanceRequirementsRequest::new(
                MemoryMiBRequest {
                    max: self.memory_mib.1.map(int),
                    min: int(self.memory_mib.0),
                },
                VCpuCountRangeRequest {
                    max: self.vcpus.1.map(int),
                    min: int(self.vcpus.0),
                },
            )
        }
    }
}

/// An ECS Managed Instances capacity provider: ECS launches, patches and
/// retires EC2 instances for one cluster's tasks. Cheap to copy.
///
/// Children, as the AWS CDK names them: `{id}Role` (the infrastructure
/// role), `InstanceRole`, `InstanceProfile`, and the `AWS::ECS::CapacityProvider`
/// named like the construct; plus `SecurityGroup` when none is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ManagedInstancesCapacityProvider {
    node: NodeId,
    resource: CfnCapacityProviderRef,
    cluster: Option<NodeId>,
    infrastructure_role: Role,
    instance_role: Role,
}

impl ManagedInstancesCapacityProvider {
    /// A builder for a provider of `cluster` (which becomes its
    /// `ClusterName`). The instances go in the cluster's VPC.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
    ) -> ManagedInstancesCapacityProviderBuilder {
        ManagedInstancesCapacityProviderBuilder {
            id: id.into(),
            cluster: cluster.clone(),
            subnets: None,
            security_groups: Vec::new(),
            requirements: None,
            storage_gib: None,
            monitoring: None,
            capacity_option: None,
            propagate_tags: false,
            scale_in_after: None,
            name: None,
        }
    }

    /// The provider's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::ECS::CapacityProvider` resource.
    #[must_use]
    pub fn resource(&self) -> CfnCapacityProviderRef {
        self.resource
    }

    /// The provider's name (`Ref`).
    #[must_use]
    pub fn name(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The role ECS assumes to manage the instances.
    #[must_use]
    pub fn infrastructure_role(&self) -> Role {
        self.infrastructure_role
    }

    /// The role the instances run as (in the instance profile).
    #[must_use]
    pub fn instance_role(&self) -> Role {
        self.instance_role
    }

    /// The node of the cluster the provider serves (`None` for an
    /// imported cluster).
    pub(crate) fn cluster(&self) -> Option<NodeId> {
        self.cluster
    }

    /// An item of a strategy on this provider: weight 1, no base.
    #[must_use]
    pub fn strategy(&self) -> ManagedInstancesCapacity {
        ManagedInstancesCapacity {
            provider: *self,
            base: None,
            weight: 1,
        }
    }
}

/// Builds a [`ManagedInstancesCapacityProvider`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ManagedInstancesCapacityProviderBuilder {
    id: String,
    cluster: Cluster,
    subnets: Option<SubnetSelection>,
    security_groups: Vec<SecurityGroup>,
    requirements: Option<InstanceRequirements>,
    storage_gib: Option<u32>,
    monitoring: Option<InstanceMonitoring>,
    capacity_option: Option<CapacityOption>,
    propagate_tags: bool,
    scale_in_after: Option<Option<Duration>>,
    name: Option<Value<String>>,
}

impl ManagedInstancesCapacityProviderBuilder {
    /// Which subnets of the cluster's VPC the instances are launched in.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: the VPC's default subnets (private first).
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = Some(selection);
        self
    }

    /// Adds a security group of the instances.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: a created group `SecurityGroup` with all egress and
    /// no ingress.
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_groups.push(group.clone());
        self
    }

    /// Which instance types ECS may launch, by attributes.
    ///
    /// CloudFormation default: ECS picks general-purpose types.
    /// ecscdk default: omitted (ECS picks general-purpose types).
    pub fn instance_requirements(mut self, requirements: InstanceRequirements) -> Self {
        self.requirements = Some(requirements);
        self
    }

    /// The size of each instance's volume for images, logs and task data,
    /// GiB (at least 1).
    ///
    /// CloudFormation default: ECS's (80 GiB, per the AWS CDK).
    /// ecscdk default: omitted.
    pub fn task_volume_storage_gib(mut self, gib: u32) -> Self {
        self.storage_gib = Some(gib);
        self
    }

    /// CloudWatch monitoring of the instances.
    ///
    /// CloudFormation default: basic.
    /// ecscdk default: omitted (basic).
    pub fn monitoring(mut self, monitoring: InstanceMonitoring) -> Self {
        self.monitoring = Some(monitoring);
        self
    }

    /// On-Demand or Spot instances.
    ///
    /// CloudFormation default: On-Demand.
    /// ecscdk default: omitted (On-Demand).
    pub fn capacity_option(mut self, option: CapacityOption) -> Self {
        self.capacity_option = Some(option);
        self
    }

    /// Copies the provider's tags to the instances it launches.
    ///
    /// CloudFormation default: `NONE`.
    /// ecscdk default: omitted (not copied).
    pub fn propagate_tags(mut self) -> Self {
        self.propagate_tags = true;
        self
    }

    /// How long an idle or underused instance waits before ECS optimizes it
    /// away (0–3600 s); `None` turns the optimization off.
    ///
    /// CloudFormation default: ECS's optimization delay.
    /// ecscdk default: omitted.
    pub fn scale_in_after(mut self, delay: Option<Duration>) -> Self {
        self.scale_in_after = Some(delay);
        self
    }

    /// The provider's name (may not start with `aws`, `ecs` or `fargate`).
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated).
    pub fn capacity_provider_name(mut self, name: impl Into<Value<String>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds the provider directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] when the cluster has no VPC; [`Error::InvalidProperty`]
    /// for instance requirements EC2 rejects (a range whose start is above
    /// its end, 0 vCPUs, an instance type pattern with other characters),
    /// a volume of 0 GiB, a scale-in delay above 3600 s, or a reserved name;
    /// [`Error::Conflict`] for allowed and excluded instance types together;
    /// errors of the VPC's subnet selection.
    pub fn build(self, stack: &mut Stack) -> Result<ManagedInstancesCapacityProvider> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the provider under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(
        self,
        stack: &mut Stack,
        parent: NodeId,
    ) -> Result<ManagedInstancesCapacityProvider> {
        let node = stack.scope_of_type(
            parent,
            &self.id,
            "ecscdk.ecs.ManagedInstancesCapacityProvider",
        )?;
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        let Some(vpc) = self.cluster.vpc().cloned() else {
            return Err(Error::Missing {
                path,
                what: "cluster vpc",
                fix: "Managed Instances are launched in the cluster's VPC: give the cluster `.vpc(&vpc)`",
            });
        };
        if let Some(r) = &self.requirements {
            if !r.allowed_types.is_empty() && !r.excluded_types.is_empty() {
                return Err(Error::Conflict {
                    path,
                    first: "allowed_instance_types",
                    second: "excluded_instance_types",
                    fix: "EC2 takes one list of instance type patterns: keep either the allowed or the excluded types",
                });
            }
            r.check(&|reason| invalid("instance_requirements", reason))?;
        }
        if self.storage_gib == Some(0) {
            return Err(invalid(
                "task_volume_storage_gib",
                "0 GiB is no volume; give at least 1 GiB (ECS's default is 80)".to_owned(),
            ));
        }
        if let Some(Some(delay)) = self.scale_in_after
            && delay.as_secs() > 3600
        {
            return Err(invalid(
                "scale_in_after",
                format!(
                    "{} s is above ECS's limit of 3600 s; give 0 to 3600 s, or None to turn the optimization off",
                    delay.as_secs()
                ),
            ));
        }
        if let Some(Value::Lit(name)) = &self.name {
            let lower = name.to_ascii_lowercase();
            if ["aws", "ecs", "fargate"]
                .iter()
                .any(|p| lower.starts_with(p))
            {
                return Err(invalid(
                    "capacity_provider_name",
                    format!("{name:?} starts with a prefix ECS reserves (aws, ecs, fargate)"),
                ));
            }
        }
        let subnets = vpc
            .select_subnets(&self.subnets.clone().unwrap_or_default())?
            .subnet_ids();
        let mut groups = self.security_groups.clone();
        if groups.is_empty() {
            groups.push(SecurityGroup::builder("SecurityGroup", &vpc).build_in(stack, node)?);
        }

        let infrastructure_role = Role::builder(
            format!("{}Role", self.id),
            Principal::service("ecs.amazonaws.com"),
        )
        .managed_policy(INFRASTRUCTURE_POLICY)
        .build_in(stack, node)?;
        let instance_role = Role::builder("InstanceRole", Principal::service("ec2.amazonaws.com"))
            .build_in(stack, node)?;
        // The scoped-down statements the AWS CDK gives the instance role in
        // place of AmazonECSInstanceRolePolicyForManagedInstances.
        let cluster_arn = self.cluster.arn();
        let container_instances = Value::from(Expr::sub(
            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:container-instance/*",
        ));
        for statement in [
            PolicyStatement::allow()
                .action("ecs:DiscoverPollEndpoint")
                .resource("*"),
            PolicyStatement::allow()
                .action("ecs:RegisterContainerInstance")
                .resource(cluster_arn.clone()),
            PolicyStatement::allow()
                .action("ecs:Poll")
                .resource(container_instances.clone()),
            PolicyStatement::allow()
                .actions(["ecs:PutSystemLogEvents", "ecs:StartTelemetrySession"])
                .resource(container_instances),
            PolicyStatement::allow()
                .actions([
                    "ecs:SubmitAttachmentStateChanges",
                    "ecs:SubmitTaskStateChange",
                ])
                .resource(cluster_arn),
        ] {
            instance_role.add_to_policy(stack, statement)?;
        }
        let profile_scope =
            stack.scope_of_type(node, "InstanceProfile", "ecscdk.iam.InstanceProfile")?;
        let profile = stack.add(
            profile_scope,
            "Resource",
            CfnInstanceProfile::new(Value::Lit(vec![Value::from(instance_role.name())])),
        )?;
        infrastructure_role.add_to_policy(
            stack,
            PolicyStatement::allow()
                .action("iam:PassRole")
                .resource(instance_role.arn())
                .condition("StringEquals", "iam:PassedToService", "ec2.amazonaws.com"),
        )?;

        let template = InstanceLaunchTemplate {
            capacity_option_type: self.capacity_option.map(|o| {
                Value::Lit(match o {
                    CapacityOption::OnDemand => CapacityOptionType::OnDemand,
                    CapacityOption::Spot => CapacityOptionType::Spot,
                })
            }),
            instance_requirements: self.requirements.as_ref().map(|r| Value::Lit(r.render())),
            monitoring: self.monitoring.map(|m| {
                Value::Lit(match m {
                    InstanceMonitoring::Basic => ManagedInstancesMonitoringOptions::Basic,
                    InstanceMonitoring::Detailed => ManagedInstancesMonitoringOptions::Detailed,
                })
            }),
            storage_configuration: self
                .storage_gib
                .map(|g| Value::Lit(ManagedInstancesStorageConfiguration::new(i64::from(g)))),
            ..InstanceLaunchTemplate::new(
                profile.attr_arn(),
                ManagedInstancesNetworkConfiguration::new(
                    Value::Lit(groups.iter().map(SecurityGroup::group_id).collect()),
                    Value::Lit(subnets),
                ),
            )
        };
        let provider = CfnCapacityProvider {
            cluster_name: Some(self.cluster.name()),
            managed_instances_provider: Some(Value::Lit(ManagedInstancesProvider {
                infrastructure_optimization: self.scale_in_after.map(|delay| {
                    Value::Lit(InfrastructureOptimization {
                        scale_in_after: Some(Value::Lit(match delay {
                            Some(d) => i64::try_from(d.as_secs()).unwrap_or(3600),
                            None => -1,
                        })),
                    })
                }),
                propagate_tags: self
                    .propagate_tags
                    .then_some(Value::Lit(CfnPropagateTags::CapacityProvider)),
                ..ManagedInstancesProvider::new(infrastructure_role.arn(), template)
            })),
            name: self.name,
            ..CfnCapacityProvider::default()
        };
        let resource = stack.add(node, &self.id, provider)?;
        // The provider starts launching once both roles hold their policies
        // (the roles themselves are referenced already).
        let provider_node = resource.untyped().node();
        for role in [infrastructure_role, instance_role] {
            if let Some(policy) = stack.child(role.node(), "DefaultPolicy") {
                stack.add_node_dependency(provider_node, policy)?;
            }
        }
        Ok(ManagedInstancesCapacityProvider {
            node,
            resource,
            cluster: self.cluster.node(),
            infrastructure_role,
            instance_role,
        })
    }
}

/// One item of a capacity provider strategy on a Managed Instances provider.
/// A strategy of these cannot hold Fargate or Auto Scaling group items: ECS
/// takes one kind of provider per strategy, and so does the compiler.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ManagedInstancesCapacity {
    provider: ManagedInstancesCapacityProvider,
    base: Option<u32>,
    weight: u32,
}

impl ManagedInstancesCapacity {
    /// How many tasks, at least, run on this provider (only one item of a
    /// strategy may have a base).
    ///
    /// CloudFormation default: 0.
    /// ecscdk default: omitted (0).
    #[must_use]
    pub fn base(mut self, tasks: u32) -> Self {
        self.base = Some(tasks);
        self
    }

    /// The share of tasks beyond the bases.
    ///
    /// CloudFormation default: 0 (a provider of weight 0 gets no tasks
    /// beyond its base).
    /// ecscdk default: 1, so that an item without a base places tasks.
    #[must_use]
    pub fn weight(mut self, weight: u32) -> Self {
        self.weight = weight;
        self
    }

    /// The provider.
    #[must_use]
    pub fn provider(&self) -> ManagedInstancesCapacityProvider {
        self.provider
    }

    fn item(&self) -> StrategyItem {
        StrategyItem {
            label: format!("capacity provider {:?}", self.provider.node),
            name: Value::from(self.provider.name()),
            base: self.base,
            weight: self.weight,
        }
    }
}

/// The Docker networking of a Managed Instances task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ManagedInstancesNetworkMode {
    /// Each task gets its own elastic network interface (`ip` load-balancer
    /// targets; the host port is the container port).
    AwsVpc,
    /// The instance's network stack: the host port is the container port.
    Host,
}

/// A task definition for Managed Instances (`requiresCompatibilities`
/// `MANAGED_INSTANCES`). Cheap to clone; children as in the CDK
/// (`Resource`, `TaskRole`, `ExecutionRole`, one per container).
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedInstancesTaskDefinition {
    node: NodeId,
    resource: CfnTaskDefinitionRef,
    task_role: Role,
    execution_role: Option<Role>,
    network_mode: ManagedInstancesNetworkMode,
    cpu: u32,
    memory_mib: u32,
    containers: Arc<[ContainerInfo]>,
}

impl ManagedInstancesTaskDefinition {
    /// A builder for a task definition with construct id `id`.
    pub fn builder(
        id: impl Into<String>,
        network_mode: ManagedInstancesNetworkMode,
    ) -> ManagedInstancesTaskDefinitionBuilder {
        ManagedInstancesTaskDefinitionBuilder {
            id: id.into(),
            network_mode,
            cpu: 256,
            memory_mib: 512,
            containers: Vec::new(),
            volumes: Vec::new(),
            family: None,
        }
    }

    task_definition_accessors!();

    /// The network mode.
    #[must_use]
    pub fn network_mode(&self) -> ManagedInstancesNetworkMode {
        self.network_mode
    }

    /// The task's CPU units.
    #[must_use]
    pub fn cpu(&self) -> u32 {
        self.cpu
    }

    /// The task's memory, MiB.
    #[must_use]
    pub fn memory_mib(&self) -> u32 {
        self.memory_mib
    }
}

/// Builds a [`ManagedInstancesTaskDefinition`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ManagedInstancesTaskDefinitionBuilder {
    id: String,
    network_mode: ManagedInstancesNetworkMode,
    cpu: u32,
    memory_mib: u32,
    containers: Vec<ContainerBuilder>,
    volumes: Vec<String>,
    family: Option<String>,
}

impl ManagedInstancesTaskDefinitionBuilder {
    /// Adds scratch space named `name` that containers can mount (with
    /// [`ContainerBuilder::mount`]), emptied when the task stops: how a
    /// container with a read-only root filesystem gets writable paths.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn scratch_volume(mut self, name: impl Into<String>) -> Self {
        self.volumes.push(name.into());
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

    /// The task's CPU units (1024 = 1 vCPU).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: 256, as the AWS CDK's `ManagedInstancesTaskDefinition`.
    pub fn cpu(mut self, units: u32) -> Self {
        self.cpu = units;
        self
    }

    /// The task's memory, MiB.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: 512, as the AWS CDK's `ManagedInstancesTaskDefinition`.
    pub fn memory_mib(mut self, mib: u32) -> Self {
        self.memory_mib = mib;
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

    /// Adds the task definition directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] without containers; [`Error::InvalidProperty`] for
    /// duplicate container or volume names, a mount of an unknown volume, a
    /// CPU or memory of 0, a container asking
    /// for more memory than the task has, a host port the network mode does
    /// not allow (in `awsvpc` and `host` it is the container port), and the
    /// container checks of [`ContainerBuilder`].
    pub fn build(self, stack: &mut Stack) -> Result<ManagedInstancesTaskDefinition> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the task definition under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(
        self,
        stack: &mut Stack,
        parent: NodeId,
    ) -> Result<ManagedInstancesTaskDefinition> {
        let node = stack.scope_of_type(
            parent,
            &self.id,
            "ecscdk.ecs.ManagedInstancesTaskDefinition",
        )?;
        let path = stack.path(node);
        if self.containers.is_empty() {
            return Err(Error::Missing {
                path,
                what: "container",
                fix: "add one with `.container(Container::builder(name, image))`",
            });
        }
        self.check(&|property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        })?;
        let LoweredTask {
            task_role,
            execution_role,
            definitions,
            infos,
        } = lower_containers(
            stack,
            node,
            self.containers,
            None,
            TaskTraits {
                host_network: self.network_mode == ManagedInstancesNetworkMode::Host,
                ..TaskTraits::default()
            },
        )?;
        let family = self.family.unwrap_or_else(|| default_family(stack, node));
        let definition = CfnTaskDefinition {
            container_definitions: Some(Value::Lit(definitions)),
            cpu: Some(Value::Lit(self.cpu.to_string())),
            execution_role_arn: execution_role.map(|r| Value::from(r.arn())),
            family: Some(Value::Lit(family)),
            memory: Some(Value::Lit(self.memory_mib.to_string())),
            network_mode: Some(Value::Lit(match self.network_mode {
                ManagedInstancesNetworkMode::AwsVpc => NetworkMode::Awsvpc,
                ManagedInstancesNetworkMode::Host => NetworkMode::Host,
            })),
            requires_compatibilities: Some(Value::Lit(vec![Value::Lit(
                RequiresCompatibilities::ManagedInstances,
            )])),
            task_role_arn: Some(task_role.arn().into()),
            volumes: (!self.volumes.is_empty()).then(|| {
                Value::Lit(
                    self.volumes
                        .iter()
                        .map(|name| {
                            Value::Lit(CfnVolume {
                                name: Some(Value::from(name.as_str())),
                                ..CfnVolume::default()
                            })
                        })
                        .collect(),
                )
            }),
            ..CfnTaskDefinition::default()
        };
        let resource = stack.add(node, "Resource", definition)?;
        Ok(ManagedInstancesTaskDefinition {
            node,
            resource,
            task_role,
            execution_role,
            network_mode: self.network_mode,
            cpu: self.cpu,
            memory_mib: self.memory_mib,
            containers: infos.into(),
        })
    }

    fn check(&self, invalid: &dyn Fn(&str, String) -> Error) -> Result<()> {
        unique_container_names(&self.containers, invalid)?;
        check_mounted_volumes(
            self.volumes.iter().map(String::as_str),
            "scratch_volume",
            &self.containers,
            "task definition",
            &|v| format!("add it with `.scratch_volume({v:?})`"),
            invalid,
        )?;
        if self.cpu == 0 || self.memory_mib == 0 {
            return Err(invalid(
                if self.cpu == 0 { "cpu" } else { "memory_mib" },
                "0 reserves nothing; give the task at least 1 (the CDK's defaults are 256 CPU units and 512 MiB)".to_owned(),
            ));
        }
        check_container_memory(&self.containers, self.memory_mib, invalid)?;
        for c in &self.containers {
            for p in &c.ports {
                let reason = match p.host_port {
                    Some(h) if h != p.container_port => Some(format!(
                        "host port {h} differs from container port {}; in the awsvpc and host network modes the host port is the container port: drop `host_port`",
                        p.container_port
                    )),
                    _ => None,
                };
                if let Some(reason) = reason {
                    return Err(invalid("port", reason));
                }
            }
        }
        Ok(())
    }
}

/// A service on Managed Instances. Cheap to clone; its `AWS::ECS::Service`
/// is the child `Service`, as in the AWS CDK. It shares the service core of
/// Fargate and EC2 services (deployments, load balancers, Cloud Map,
/// Service Connect, ECS Exec, auto scaling).
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedInstancesService {
    parts: ServiceParts,
}

impl ManagedInstancesService {
    /// A builder for a service of `task` in `cluster`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        task: &ManagedInstancesTaskDefinition,
    ) -> ManagedInstancesServiceBuilder {
        ManagedInstancesServiceBuilder {
            core: ServiceCore::new(id.into(), cluster.clone()),
            task: task.clone(),
            strategy: Vec::new(),
        }
    }

    service_accessors!();

    /// Scales the service's task count between `capacity`'s bounds: creates
    /// the scalable target `TaskCount/Target` (as the CDK's
    /// `autoScaleTaskCount`), to which scaling policies are then added. ECS
    /// launches and retires the instances the tasks need by itself.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] when the minimum is above the maximum,
    /// the maximum is 0, or the service's desired count lies outside the
    /// range; [`Error::DuplicateId`] when the service already scales.
    pub fn auto_scale<'a>(
        &self,
        stack: &'a mut Stack,
        capacity: std::ops::RangeInclusive<u32>,
    ) -> Result<ServiceScaling<'a>> {
        self.parts.auto_scale(stack, capacity)
    }
}

/// The service's security groups (`awsvpc` network mode), with the default
/// container port as the connections' default port. In `host` mode the
/// tasks use their instances' security groups (the provider's), so these
/// connections are empty.
impl Connectable for ManagedInstancesService {
    fn connections(&self) -> Connections {
        self.parts.connections()
    }
}

/// Builds a [`ManagedInstancesService`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ManagedInstancesServiceBuilder {
    core: ServiceCore,
    task: ManagedInstancesTaskDefinition,
    strategy: Vec<ManagedInstancesCapacity>,
}

impl ManagedInstancesServiceBuilder {
    replica_setters!();
    deployment_setters!();
    network_setters!();

    /// Runs the tasks on Managed Instances providers of the service's
    /// cluster by this strategy (required: CloudFormation has no
    /// `MANAGED_INSTANCES` launch type).
    ///
    /// CloudFormation default: the cluster's default strategy.
    /// ecscdk default: none (required).
    pub fn capacity_provider_strategy(
        mut self,
        strategy: impl IntoIterator<Item = ManagedInstancesCapacity>,
    ) -> Self {
        self.strategy = strategy.into_iter().collect();
        self
    }

    /// Adds the service directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] without a capacity provider strategy, for an
    /// `awsvpc` task without subnets or security groups, or a Cloud Map or
    /// Service Connect namespace; [`Error::Unsupported`] for a provider of
    /// another cluster, Service Connect (which ECS does not offer on
    /// Managed Instances), subnets or security groups for a `host` task, a
    /// grace period without a load balancer, or ECS Exec with a read-only
    /// root filesystem; [`Error::InvalidProperty`] for deployment
    /// percentages ECS rejects, an invalid strategy, a load balancer target
    /// naming an unknown container or port, or Cloud Map records the network
    /// mode cannot carry.
    pub fn build(self, stack: &mut Stack) -> Result<ManagedInstancesService> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the service under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<ManagedInstancesService> {
        let node =
            stack.scope_of_type(parent, &self.core.id, "ecscdk.ecs.ManagedInstancesService")?;
        let task = TaskView {
            arn: self.task.arn(),
            task_role: self.task.task_role(),
            containers: self.task.containers(),
            network: match self.task.network_mode() {
                ManagedInstancesNetworkMode::AwsVpc => TaskNetwork::AwsVpc,
                ManagedInstancesNetworkMode::Host => TaskNetwork::Host,
            },
            memory_mib: Some(self.task.memory_mib),
            kind: ServiceKind::ManagedInstances,
        };
        self.check(stack, node)?;
        self.core.check(stack, node, &task, Percents::REPLICA)?;
        let strategy: Vec<StrategyItem> = self
            .strategy
            .iter()
            .map(ManagedInstancesCapacity::item)
            .collect();
        let specific = CfnService {
            // Never empty: `check` requires a strategy.
            capacity_provider_strategy: render_strategy(&strategy),
            scheduling_strategy: scheduling(false),
            ..CfnService::default()
        };
        if self.core.cluster.runtime_monitoring() == Some(true) {
            stack.add_warning(
                node,
                crate::guardduty::MANAGED_INSTANCES_WARNING,
                "GuardDuty Runtime Monitoring does not cover tasks on ECS Managed Instances: this service's tasks run unwatched although its cluster is tagged GuardDutyManaged=true; run them on Fargate or EC2 capacity to have them watched, or acknowledge this warning",
            );
        }
        let parts = self
            .core
            .build(stack, node, &task, Percents::REPLICA, specific)?;
        let service = parts.resource.untyped().node();
        for item in &self.strategy {
            add_service(stack, &item.provider(), service)?;
        }
        Ok(ManagedInstancesService { parts })
    }

    /// The Managed-Instances-only checks: the strategy and its cluster.
    fn check(&self, stack: &Stack, node: NodeId) -> Result<()> {
        let path = stack.path(node);
        if self.strategy.is_empty() {
            return Err(Error::Missing {
                path,
                what: "capacity provider strategy",
                fix: "a service runs on Managed Instances only through a strategy: add `.capacity_provider_strategy([provider.strategy()])`",
            });
        }
        if self.core.service_connect.is_some() {
            return Err(Error::Unsupported {
                path,
                setting: "service_connect",
                situation: "on Managed Instances",
                fix: "ECS does not offer Service Connect to services on Managed Instances; register in Cloud Map with `.cloud_map(..)`, or run the service on Fargate or EC2",
            });
        }
        let items: Vec<StrategyItem> = self
            .strategy
            .iter()
            .map(ManagedInstancesCapacity::item)
            .collect();
        crate::ecs::capacity::check_strategy(stack, node, "capacity_provider_strategy", &items)?;
        if self
            .strategy
            .iter()
            .any(|i| i.provider().cluster != self.core.cluster.node())
        {
            return Err(Error::Unsupported {
                path,
                setting: "capacity_provider_strategy",
                situation: "with a provider of another cluster",
                fix: "a Managed Instances provider serves only the cluster it was built for; build one with `ManagedInstancesCapacityProvider::builder(id, &cluster)` for this service's cluster",
            });
        }
        Ok(())
    }
}

/// The daemons and services of a provider's stack that run on it: each
/// service waits for each daemon in CloudFormation, whichever was built
/// first, so that ECS never launches an instance for a service before the
/// daemon exists (the daemon's arrival would replace it).
#[derive(Debug, Default)]
struct ProviderWorkloads {
    daemons: Vec<NodeId>,
    services: Vec<NodeId>,
}

/// Records the daemon resource `daemon` on `provider` and orders the
/// provider's services after it. Nothing is recorded for a provider of
/// another stack: that stack deploys first.
pub(crate) fn add_daemon(
    stack: &mut Stack,
    provider: &ManagedInstancesCapacityProvider,
    daemon: NodeId,
) -> Result<()> {
    if provider.node.stack() != stack.stack_id() {
        return Ok(());
    }
    let workloads = workloads(stack, provider.node)?;
    workloads.daemons.push(daemon);
    let services = workloads.services.clone();
    for service in services {
        stack.add_node_dependency(service, daemon)?;
    }
    Ok(())
}

/// Records the service resource `service` on `provider` and orders it
/// after the provider's daemons.
fn add_service(
    stack: &mut Stack,
    provider: &ManagedInstancesCapacityProvider,
    service: NodeId,
) -> Result<()> {
    if provider.node.stack() != stack.stack_id() {
        return Ok(());
    }
    let workloads = workloads(stack, provider.node)?;
    if workloads.services.contains(&service) {
        return Ok(());
    }
    workloads.services.push(service);
    let daemons = workloads.daemons.clone();
    for daemon in daemons {
        stack.add_node_dependency(service, daemon)?;
    }
    Ok(())
}

fn workloads(stack: &mut Stack, provider: NodeId) -> Result<&mut ProviderWorkloads> {
    let path = stack.path(provider);
    if stack
        .construct_data::<ProviderWorkloads>(provider)
        .is_none()
    {
        stack.set_construct_data(provider, ProviderWorkloads::default())?;
    }
    stack
        .construct_data_mut::<ProviderWorkloads>(provider)
        .ok_or(Error::Missing {
            path,
            what: "provider state",
            fix: "build the provider with `ManagedInstancesCapacityProvider::builder`",
        })
}

impl crate::elbv2::sealed::Sealed for ManagedInstancesService {
    fn service_parts(&self) -> &ServiceParts {
        &self.parts
    }
}

impl crate::elbv2::LoadBalancedService for ManagedInstancesService {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_requirements_render_every_attribute() {
        let requirements = InstanceRequirements::new(2..=8, 4096..)
            .cpu_manufacturer(CpuManufacturer::AmazonWebServices)
            .cpu_manufacturer(CpuManufacturer::Amd)
            .instance_generation(InstanceGeneration::Current)
            .allowed_instance_types(["m7g.*", "c7g.*"])
            .bare_metal(Inclusion::Excluded)
            .burstable_performance(Inclusion::Required)
            .local_storage(Inclusion::Included)
            .local_storage_type(LocalStorageType::Ssd)
            .accelerator_type(AcceleratorType::Gpu)
            .accelerator_manufacturer(AcceleratorManufacturer::Nvidia)
            .accelerator_count(1..=4);
        let rendered = serde_json::to_value(requirements.render()).unwrap_or_default();
        assert_eq!(
            rendered,
            serde_json::json!({
                "AcceleratorCount": {"Max": 4, "Min": 1},
                "AcceleratorManufacturers": ["nvidia"],
                "AcceleratorTypes": ["gpu"],
                "AllowedInstanceTypes": ["m7g.*", "c7g.*"],
                "BareMetal": "excluded",
                "BurstablePerformance": "required",
                "CpuManufacturers": ["amazon-web-services", "amd"],
                "InstanceGenerations": ["current"],
                "LocalStorage": "included",
                "LocalStorageTypes": ["ssd"],
                "MemoryMiB": {"Min": 4096},
                "VCpuCount": {"Max": 8, "Min": 2},
            })
        );
        let excluded = InstanceRequirements::new(1..=2, 1024..=2048)
            .excluded_instance_types(["t2.*"])
            .render();
        let excluded = serde_json::to_value(excluded).unwrap_or_default();
        assert_eq!(
            excluded["ExcludedInstanceTypes"],
            serde_json::json!(["t2.*"])
        );
        assert!(excluded.get("CpuManufacturers").is_none(), "{excluded}");
    }

    #[test]
    fn ranges_become_min_and_optional_max() {
        assert_eq!(bounds(&(2..=8)), (2, Some(8)));
        assert_eq!(bounds(&(2..8)), (2, Some(7)));
        assert_eq!(bounds(&(4096..)), (4096, None));
        assert_eq!(bounds(&(..)), (0, None));
    }
}
