//! EC2 capacity for a cluster: an Auto Scaling group of ECS-optimized
//! instances ([`AutoScalingGroup`]) and the capacity provider over it
//! ([`AsgCapacityProvider`]), associated with a cluster by
//! [`Cluster::add_asg_capacity_provider`].
//!
//! CloudFormation: [AWS::AutoScaling::AutoScalingGroup](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-autoscalinggroup.html),
//! [AWS::EC2::LaunchTemplate](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-launchtemplate.html),
//! [AWS::ECS::CapacityProvider](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-capacityprovider.html).
//!
//! Lifecycle: a service on an ASG provider depends on the cluster's
//! capacity-provider associations, which reference the provider, which
//! references the group; so CloudFormation creates them group → provider →
//! associations → service and deletes them the other way round. With
//! managed termination protection on, the group's instances are protected
//! from scale-in: a `destroy` must first let the services drain (deleting the
//! services does that) before the group can terminate its instances.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ec2::Vpc;
//! use ecscdk::ecs::{AsgCapacityProvider, AutoScalingGroup, Cluster, EcsOptimizedImage};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("S");
//! let vpc = Vpc::builder("Vpc").build(&mut stack)?;
//! let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
//! let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium")
//!     .machine_image(EcsOptimizedImage::amazon_linux_2023())
//!     .capacity(0, 10)
//!     .build(&mut stack)?;
//! let provider = AsgCapacityProvider::builder("AsgProvider", &asg).build(&mut stack)?;
//! cluster.add_asg_capacity_provider(&mut stack, &provider)?;
//! # Ok(()) }
//! ```

use crate::cfn::autoscaling::CfnAutoScalingGroup;
use crate::cfn::autoscaling::CfnAutoScalingGroupRef;
use crate::cfn::autoscaling::auto_scaling_group::{
    InstancesDistribution, LaunchTemplate as AsgLaunchTemplate, LaunchTemplateOverrides,
    LaunchTemplateSpecification, MixedInstancesPolicy, TagProperty,
};
use crate::cfn::ec2::launch_template::{
    self, BlockDeviceMapping, Ebs, HttpEndpoint, HttpTokens, IamInstanceProfile,
    LaunchTemplateData, LaunchTemplateTagSpecification, MetadataOptions, Monitoring,
    NetworkInterface, ResourceType, TagSpecification,
};
use crate::cfn::ec2::security_group;
use crate::cfn::ec2::{CfnLaunchTemplate, CfnLaunchTemplateRef, CfnSecurityGroup};
use crate::cfn::ecs::capacity_provider::{
    AutoScalingGroupProvider, ManagedDraining, ManagedScaling, ManagedTerminationProtection, Status,
};
use crate::cfn::ecs::{CfnCapacityProvider, CfnCapacityProviderRef};
use crate::cfn::iam::CfnInstanceProfile;
use crate::cfn::iam::role::{self, CfnRole};
use crate::ec2::{Connections, SecurityGroup, SubnetSelection, Vpc};
use crate::iam::{Principal, Role};
use crate::synth::{Expr, NodeId, Operand, ParameterSpec, Value};
use crate::{Error, Result, Stack};

/// The operating system of an ECS-optimized AMI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AmiFamily {
    /// Amazon Linux 2023.
    AmazonLinux2023,
    /// Amazon Linux 2.
    AmazonLinux2,
    /// Bottlerocket (`aws-ecs-2` variants), configured with TOML user data.
    Bottlerocket,
    /// Windows Server 2019 Core (x86-64 only), joined with PowerShell user
    /// data; for Windows task definitions of the same operating system.
    WindowsServer2019Core,
    /// Windows Server 2019 Full (x86-64 only).
    WindowsServer2019Full,
    /// Windows Server 2022 Core (x86-64 only).
    WindowsServer2022Core,
    /// Windows Server 2022 Full (x86-64 only).
    WindowsServer2022Full,
}

impl AmiFamily {
    /// The operating system the family's instances run, as task
    /// definitions name it.
    #[must_use]
    pub fn operating_system(self) -> crate::ecs::OperatingSystem {
        use crate::ecs::OperatingSystem as Os;
        match self {
            Self::AmazonLinux2023 | Self::AmazonLinux2 | Self::Bottlerocket => Os::Linux,
            Self::WindowsServer2019Core => Os::WindowsServer2019Core,
            Self::WindowsServer2019Full => Os::WindowsServer2019Full,
            Self::WindowsServer2022Core => Os::WindowsServer2022Core,
            Self::WindowsServer2022Full => Os::WindowsServer2022Full,
        }
    }

    fn is_windows(self) -> bool {
        self.operating_system() != crate::ecs::OperatingSystem::Linux
    }
}

/// The hardware an ECS-optimized AMI is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum AmiHardware {
    /// x86-64.
    #[default]
    Standard,
    /// 64-bit ARM (Graviton).
    Arm64,
    /// x86-64 with NVIDIA GPU drivers.
    Gpu,
    /// AWS Inferentia/Trainium (Neuron); not offered for Bottlerocket.
    Neuron,
}

/// An ECS-optimized AMI, resolved at deploy time from the public SSM
/// parameter AWS keeps current (a template parameter of type
/// `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`, as the CDK does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EcsOptimizedImage {
    family: AmiFamily,
    hardware: AmiHardware,
}

impl EcsOptimizedImage {
    /// Amazon Linux 2023 on x86-64.
    #[must_use]
    pub fn amazon_linux_2023() -> Self {
        Self::new(AmiFamily::AmazonLinux2023, AmiHardware::Standard)
    }

    /// Amazon Linux 2 on x86-64.
    #[must_use]
    pub fn amazon_linux_2() -> Self {
        Self::new(AmiFamily::AmazonLinux2, AmiHardware::Standard)
    }

    /// Bottlerocket on x86-64.
    #[must_use]
    pub fn bottlerocket() -> Self {
        Self::new(AmiFamily::Bottlerocket, AmiHardware::Standard)
    }

    /// Any family on any hardware (Bottlerocket has no Neuron variant:
    /// rejected at build).
    #[must_use]
    pub fn new(family: AmiFamily, hardware: AmiHardware) -> Self {
        Self { family, hardware }
    }

    /// The same family on other hardware.
    ///
    /// CloudFormation default: not applicable (the launch template's image
    /// ID is the resolved SSM parameter of this family and hardware).
    /// ecscdk default: the hardware given to the constructor;
    /// [`AmiHardware::Standard`] for the family shortcuts.
    #[must_use]
    pub fn hardware(mut self, hardware: AmiHardware) -> Self {
        self.hardware = hardware;
        self
    }

    /// The family.
    #[must_use]
    pub fn family(self) -> AmiFamily {
        self.family
    }

    /// The operating system of the instances it boots.
    #[must_use]
    pub fn operating_system(self) -> crate::ecs::OperatingSystem {
        self.family.operating_system()
    }

    /// The CPU architecture of the instances it boots.
    #[must_use]
    pub fn cpu_architecture(self) -> crate::ecs::CpuArchitecture {
        match self.hardware {
            AmiHardware::Arm64 => crate::ecs::CpuArchitecture::Arm64,
            _ => crate::ecs::CpuArchitecture::X86_64,
        }
    }

    /// The public SSM parameter holding the AMI id, `None` for a combination
    /// AWS does not publish.
    #[must_use]
    pub fn ssm_parameter_name(self) -> Option<&'static str> {
        use AmiFamily::{
            AmazonLinux2, AmazonLinux2023, Bottlerocket, WindowsServer2019Core,
            WindowsServer2019Full, WindowsServer2022Core, WindowsServer2022Full,
        };
        use AmiHardware::{Arm64, Gpu, Neuron, Standard};
        Some(match (self.family, self.hardware) {
            (WindowsServer2019Core, Standard) => {
                "/aws/service/ami-windows-latest/Windows_Server-2019-English-Core-ECS_Optimized/image_id"
            }
            (WindowsServer2019Full, Standard) => {
                "/aws/service/ami-windows-latest/Windows_Server-2019-English-Full-ECS_Optimized/image_id"
            }
            (WindowsServer2022Core, Standard) => {
                "/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id"
            }
            (WindowsServer2022Full, Standard) => {
                "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized/image_id"
            }
            (
                WindowsServer2019Core
                | WindowsServer2019Full
                | WindowsServer2022Core
                | WindowsServer2022Full,
                _,
            ) => return None,
            (AmazonLinux2023, Standard) => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
            }
            (AmazonLinux2023, Arm64) => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
            }
            (AmazonLinux2023, Gpu) => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id"
            }
            (AmazonLinux2023, Neuron) => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2023/neuron/recommended/image_id"
            }
            (AmazonLinux2, Standard) => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
            }
            (AmazonLinux2, Arm64) => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id"
            }
            (AmazonLinux2, Gpu) => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended/image_id"
            }
            (AmazonLinux2, Neuron) => {
                "/aws/service/ecs/optimized-ami/amazon-linux-2/inf/recommended/image_id"
            }
            (Bottlerocket, Standard) => {
                "/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id"
            }
            (Bottlerocket, Arm64) => "/aws/service/bottlerocket/aws-ecs-2/arm64/latest/image_id",
            (Bottlerocket, Gpu) => {
                "/aws/service/bottlerocket/aws-ecs-2-nvidia/x86_64/latest/image_id"
            }
            (Bottlerocket, Neuron) => return None,
        })
    }

    /// The template parameter's id as the CDK names it
    /// (`SsmParameterValue<name>C96584B6F00A464EAD1953AFF4B05118Parameter`).
    fn parameter_id(name: &str) -> String {
        let cleaned: String = name
            .replace('/', "--")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        format!("SsmParameterValue{cleaned}C96584B6F00A464EAD1953AFF4B05118Parameter")
    }

    /// `Ref` of the stack's parameter for this AMI, added on first use.
    fn image_id(stack: &mut Stack, name: &str) -> Result<Expr<String>> {
        let id = Self::parameter_id(name);
        let root = stack.root();
        if let Some(node) = stack.child(root, &id)
            && let Some(SsmImage(param)) = stack.construct_data::<SsmImage>(node)
        {
            return Ok(param.value());
        }
        let param = stack.parameter(
            &id,
            ParameterSpec::aws_type("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
                .default(name),
        )?;
        if let Some(node) = stack.child(root, &id) {
            stack.set_construct_data(node, SsmImage(param))?;
        }
        Ok(param.value())
    }
}

struct SsmImage(crate::synth::Parameter<String>);

/// An Auto Scaling group of container instances: a launch template with an
/// ECS-optimized AMI, an instance role and profile, a security group, IMDSv2
/// required and encrypted root volumes. Cheap to copy.
///
/// Children, as the CDK names them: `InstanceSecurityGroup`, `InstanceRole`,
/// `InstanceProfile`, `LaunchTemplate`, `ASG`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AutoScalingGroup {
    node: NodeId,
    resource: CfnAutoScalingGroupRef,
    launch_template: CfnLaunchTemplateRef,
    role: Role,
    family: AmiFamily,
    hardware: AmiHardware,
    has_gpu_types: Option<bool>,
}

impl AutoScalingGroup {
    /// A builder for a group in `vpc` of `instance_type` instances.
    pub fn builder(
        id: impl Into<String>,
        vpc: &Vpc,
        instance_type: impl Into<String>,
    ) -> AutoScalingGroupBuilder {
        AutoScalingGroupBuilder {
            id: id.into(),
            vpc: vpc.clone(),
            instance_types: vec![instance_type.into()],
            image: EcsOptimizedImage::amazon_linux_2023(),
            min: 0,
            max: 1,
            desired: None,
            subnets: None,
            spot: None,
            security_groups: Vec::new(),
        }
    }

    /// The group's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::AutoScaling::AutoScalingGroup` resource.
    #[must_use]
    pub fn resource(&self) -> CfnAutoScalingGroupRef {
        self.resource
    }

    /// The group's name (`Ref`).
    #[must_use]
    pub fn name(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The role the instances run as.
    #[must_use]
    pub fn role(&self) -> Role {
        self.role
    }

    /// The ECS-optimized AMI the instances boot.
    #[must_use]
    pub fn machine_image(&self) -> EcsOptimizedImage {
        EcsOptimizedImage::new(self.family, self.hardware)
    }

    /// Whether every instance type is known to have GPUs (`None` when some
    /// type is unknown).
    #[must_use]
    pub fn has_gpus(&self) -> Option<bool> {
        self.has_gpu_types
    }

    /// The instances' security groups (what tasks in `bridge` and `host`
    /// network mode are reached through), read from `stack`, the group's
    /// stack; empty from another stack.
    #[must_use]
    pub fn connections(&self, stack: &Stack) -> Connections {
        Connections::new(
            stack
                .construct_data::<InstanceGroups>(self.node)
                .map(|g| g.0.clone())
                .unwrap_or_default(),
        )
    }
}

/// The security groups of a group's instances, kept in the stack.
struct InstanceGroups(Vec<SecurityGroup>);

/// Instance families with NVIDIA GPUs (prefixes of the instance type).
const GPU_FAMILIES: &[&str] = &[
    "p2.", "p3.", "p3dn.", "p4d.", "p4de.", "p5.", "p5e.", "p5en.", "g3.", "g3s.", "g4dn.", "g5.",
    "g5g.", "g6.", "g6e.", "gr6.",
];

/// The EC2 instance types some region offers (`constructs/data/`, from
/// cfn-lint's data; see the file's header).
const INSTANCE_TYPES: &str = include_str!("../../data/ec2-instance-types.txt");

fn known_instance_types() -> impl Iterator<Item = &'static str> {
    INSTANCE_TYPES.lines().filter(|l| !l.starts_with('#'))
}

/// Whether some region offers `instance_type` (cfn-lint's E3628, without
/// the region).
fn is_instance_type(instance_type: &str) -> bool {
    known_instance_types().any(|t| t == instance_type)
}

/// Why `instance_type` is rejected, with the sizes of its family when the
/// family exists.
fn unknown_instance_type(instance_type: &str) -> String {
    let family = instance_type.split('.').next().unwrap_or_default();
    let sizes: Vec<&str> = known_instance_types()
        .filter(|t| t.split('.').next() == Some(family))
        .collect();
    if sizes.is_empty() {
        format!(
            "{instance_type:?} is not an EC2 instance type any region offers; give one such as `t3.medium` or `m7g.large`"
        )
    } else {
        format!(
            "{instance_type:?} is not an EC2 instance type; the {family} family has {}",
            sizes.join(", ")
        )
    }
}

/// Whether an instance type has GPUs, where known: `None` for a family this
/// list does not know.
fn has_gpu(instance_type: &str) -> Option<bool> {
    if GPU_FAMILIES.iter().any(|f| instance_type.starts_with(f)) {
        return Some(true);
    }
    let known_cpu = [
        "t2.", "t3.", "t3a.", "t4g.", "m5.", "m5a.", "m6i.", "m6g.", "m7i.", "m7g.", "c5.", "c6i.",
        "c6g.", "c7i.", "c7g.", "r5.", "r6i.", "r6g.", "r7i.", "r7g.",
    ];
    known_cpu
        .iter()
        .any(|f| instance_type.starts_with(f))
        .then_some(false)
}

/// Builds an [`AutoScalingGroup`].
#[derive(Debug, Clone)]
#[must_use]
pub struct AutoScalingGroupBuilder {
    id: String,
    vpc: Vpc,
    instance_types: Vec<String>,
    image: EcsOptimizedImage,
    min: u32,
    max: u32,
    desired: Option<u32>,
    subnets: Option<SubnetSelection>,
    spot: Option<(u32, u32)>,
    security_groups: Vec<SecurityGroup>,
}

impl AutoScalingGroupBuilder {
    /// The AMI: an ECS-optimized image, resolved at deploy time.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: Amazon Linux 2023 on x86-64.
    pub fn machine_image(mut self, image: EcsOptimizedImage) -> Self {
        self.image = image;
        self
    }

    /// More instance types: with two or more, the group uses a mixed
    /// instances policy that launches any of them. Each must be a type some
    /// region offers (cfn-lint's list, checked at `build()`; whether the
    /// stack's region offers it is not checked).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: only the type given to `builder`.
    pub fn instance_type(mut self, instance_type: impl Into<String>) -> Self {
        self.instance_types.push(instance_type.into());
        self
    }

    /// The minimum and maximum number of instances.
    ///
    /// CloudFormation default: none (both required).
    /// ecscdk default: 0 and 1.
    pub fn capacity(mut self, min: u32, max: u32) -> Self {
        self.min = min;
        self.max = max;
        self
    }

    /// The number of instances to start with (within min..=max); with
    /// managed scaling, leave it unset so ECS scales the group.
    ///
    /// CloudFormation default: the minimum.
    /// ecscdk default: omitted.
    pub fn desired_capacity(mut self, count: u32) -> Self {
        self.desired = Some(count);
        self
    }

    /// Which subnets of the VPC the instances run in.
    ///
    /// CloudFormation default: none (required without Availability Zones).
    /// ecscdk default: the VPC's default subnets (private with egress first).
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = Some(selection);
        self
    }

    /// Spot instances: `on_demand_base` instances on demand, then
    /// `on_demand_percent` percent of the rest on demand and the others Spot
    /// (a mixed instances policy).
    ///
    /// CloudFormation default: on demand only.
    /// ecscdk default: on demand only.
    pub fn spot(mut self, on_demand_base: u32, on_demand_percent: u32) -> Self {
        self.spot = Some((on_demand_base, on_demand_percent));
        self
    }

    /// The instances' security group instead of a created one.
    ///
    /// CloudFormation default: the VPC's default security group.
    /// ecscdk default: a group `InstanceSecurityGroup` with no ingress and
    /// all egress, as the CDK.
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_groups.push(group.clone());
        self
    }

    /// Adds the group directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a minimum above the maximum, a desired
    /// capacity outside min..=max, an empty instance type, or an AMI variant
    /// AWS does not publish (Bottlerocket on Neuron), or public Wavelength
    /// Zone subnets mixed with others (their instances get a carrier IP);
    /// errors of the VPC's subnet selection.
    pub fn build(self, stack: &mut Stack) -> Result<AutoScalingGroup> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the group under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<AutoScalingGroup> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.autoscaling.AutoScalingGroup")?;
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if self.min > self.max {
            return Err(invalid(
                "capacity",
                format!(
                    "minimum {} is above maximum {}; the group could never settle",
                    self.min, self.max
                ),
            ));
        }
        if let Some(d) = self.desired
            && !(self.min..=self.max).contains(&d)
        {
            return Err(invalid(
                "desired_capacity",
                format!(
                    "{d} is outside the group's capacity {}..={}; set it within, or leave it unset",
                    self.min, self.max
                ),
            ));
        }
        if self.instance_types.iter().any(|t| t.trim().is_empty()) {
            return Err(invalid(
                "instance_type",
                "an instance type is empty; give one such as `t3.medium`".to_owned(),
            ));
        }
        if let Some(unknown) = self.instance_types.iter().find(|t| !is_instance_type(t)) {
            return Err(invalid("instance_type", unknown_instance_type(unknown)));
        }
        if let Some((_, pct)) = self.spot
            && pct > 100
        {
            return Err(invalid(
                "spot",
                format!("on-demand percentage {pct} is above 100"),
            ));
        }
        let Some(parameter) = self.image.ssm_parameter_name() else {
            return Err(invalid(
                "machine_image",
                if self.image.family.is_windows() {
                    "AWS publishes Windows ECS-optimized AMIs for x86-64 without GPU or Neuron support only; use AmiHardware::Standard".to_owned()
                } else {
                    "AWS publishes no Bottlerocket ECS AMI for Neuron; use Amazon Linux 2023 (AmiHardware::Neuron) instead".to_owned()
                },
            ));
        };
        let selected = self
            .vpc
            .select_subnets(&self.subnets.clone().unwrap_or_default())?;
        // Instances in a public Wavelength Zone subnet reach the internet
        // (and ECS) only through a carrier IP on their network interface,
        // which EC2 cannot give in any other subnet.
        let carrier = selected
            .subnets()
            .iter()
            .filter(|s| {
                s.subnet_type() == crate::ec2::SubnetType::Public
                    && matches!(s.location(), crate::ec2::SubnetLocation::WavelengthZone(_))
            })
            .count();
        if carrier > 0 && carrier != selected.subnets().len() {
            return Err(invalid(
                "vpc_subnets",
                "public Wavelength Zone subnets cannot be mixed with others in one group: their instances need a carrier IP, which other subnets cannot give; select only the Wavelength subnets".to_owned(),
            ));
        }
        let carrier = carrier > 0;
        let subnets = selected.subnet_ids();

        let mut groups = self.security_groups.clone();
        if groups.is_empty() {
            let group =
                SecurityGroup::builder("InstanceSecurityGroup", &self.vpc).build_in(stack, node)?;
            if let Some(resource) = group.resource() {
                stack.properties_mut::<CfnSecurityGroup>(resource)?.tags =
                    Some(Value::Lit(vec![Value::Lit(security_group::Tag::new(
                        "Name",
                        path.as_str(),
                    ))]));
            }
            groups.push(group);
        }
        stack.set_construct_data(node, InstanceGroups(groups.clone()))?;
        let role = Role::builder("InstanceRole", Principal::service("ec2.amazonaws.com"))
            .build_in(stack, node)?;
        let profile = stack.add(
            node,
            "InstanceProfile",
            CfnInstanceProfile::new(Value::Lit(vec![Value::from(role.name())])),
        )?;
        let image_id = EcsOptimizedImage::image_id(stack, parameter)?;
        let encrypted = |device: &str| {
            Value::Lit(BlockDeviceMapping {
                device_name: Some(Value::from(device)),
                ebs: Some(Value::Lit(Ebs {
                    encrypted: Some(Value::Lit(true)),
                    ..Ebs::default()
                })),
                ..BlockDeviceMapping::default()
            })
        };
        // Windows AMIs boot from /dev/sda1.
        let mut devices = vec![encrypted(if self.image.family.is_windows() {
            "/dev/sda1"
        } else {
            "/dev/xvda"
        })];
        if self.image.family == AmiFamily::Bottlerocket {
            devices.push(encrypted("/dev/xvdb"));
        }
        // The CDK tags the group's resources with its path (`Tags.of(asg)`),
        // and the launch template's own and its instances' and volumes'
        // with the template's path.
        let launch_template_name = format!("{path}/LaunchTemplate");
        stack.properties_mut::<CfnRole>(role.resource())?.tags =
            Some(Value::Lit(vec![Value::Lit(role::Tag::new(
                "Name",
                path.as_str(),
            ))]));
        let mixed = self.instance_types.len() > 1 || self.spot.is_some();
        let data = LaunchTemplateData {
            block_device_mappings: Some(Value::Lit(devices)),
            iam_instance_profile: Some(Value::Lit(IamInstanceProfile {
                arn: Some(profile.attr_arn().into()),
                name: None,
            })),
            image_id: Some(image_id.into()),
            instance_type: (!mixed).then(|| Value::from(self.instance_types[0].as_str())),
            metadata_options: Some(Value::Lit(MetadataOptions {
                http_endpoint: Some(Value::Lit(HttpEndpoint::Enabled)),
                http_tokens: Some(Value::Lit(HttpTokens::Required)),
                ..MetadataOptions::default()
            })),
            monitoring: Some(Value::Lit(Monitoring {
                enabled: Some(Value::Lit(false)),
            })),
            network_interfaces: carrier.then(|| {
                Value::Lit(vec![Value::Lit(NetworkInterface {
                    associate_carrier_ip_address: Some(Value::Lit(true)),
                    device_index: Some(Value::Lit(0)),
                    groups: Some(Value::Lit(
                        groups.iter().map(SecurityGroup::group_id).collect(),
                    )),
                    ..NetworkInterface::default()
                })])
            }),
            // With a network interface, its groups are the instance's.
            security_group_ids: (!carrier)
                .then(|| Value::Lit(groups.iter().map(SecurityGroup::group_id).collect())),
            tag_specifications: Some(Value::Lit(
                [ResourceType::Instance, ResourceType::Volume]
                    .into_iter()
                    .map(|resource_type| {
                        Value::Lit(TagSpecification {
                            resource_type: Some(Value::Lit(resource_type)),
                            tags: Some(name_tag(&launch_template_name)),
                        })
                    })
                    .collect(),
            )),
            ..LaunchTemplateData::default()
        };
        let lt_scope = stack.scope_of_type(node, "LaunchTemplate", "ecscdk.ec2.LaunchTemplate")?;
        let launch_template = stack.add(
            lt_scope,
            "Resource",
            CfnLaunchTemplate {
                tag_specifications: Some(Value::Lit(vec![Value::Lit(
                    LaunchTemplateTagSpecification {
                        resource_type: Some(Value::Lit(ResourceType::LaunchTemplate)),
                        tags: Some(name_tag(&launch_template_name)),
                    },
                )])),
                ..CfnLaunchTemplate::new(data)
            },
        )?;
        // Instances start only once their role has its policy (as the CDK).
        stack.add_node_dependency(lt_scope, role.node())?;
        let spec = LaunchTemplateSpecification {
            launch_template_id: Some(launch_template.reference().into()),
            ..LaunchTemplateSpecification::new(launch_template.attr_latest_version_number())
        };
        let (launch_template_prop, mixed_policy) = if mixed {
            let overrides = self
                .instance_types
                .iter()
                .map(|t| {
                    Value::Lit(LaunchTemplateOverrides {
                        instance_type: Some(Value::from(t.as_str())),
                        ..LaunchTemplateOverrides::default()
                    })
                })
                .collect();
            let distribution = self.spot.map(|(base, pct)| {
                Value::Lit(InstancesDistribution {
                    on_demand_base_capacity: Some(Value::Lit(i64::from(base))),
                    on_demand_percentage_above_base_capacity: Some(Value::Lit(i64::from(pct))),
                    spot_allocation_strategy: Some(Value::from("price-capacity-optimized")),
                    ..InstancesDistribution::default()
                })
            });
            (
                None,
                Some(Value::Lit(MixedInstancesPolicy {
                    instances_distribution: distribution,
                    ..MixedInstancesPolicy::new(AsgLaunchTemplate {
                        overrides: Some(Value::Lit(overrides)),
                        ..AsgLaunchTemplate::new(spec)
                    })
                })),
            )
        } else {
            (Some(Value::Lit(spec)), None)
        };
        let group = CfnAutoScalingGroup {
            desired_capacity: self.desired.map(|d| Value::Lit(d.to_string())),
            launch_template: launch_template_prop,
            mixed_instances_policy: mixed_policy,
            tags: Some(Value::Lit(vec![Value::Lit(TagProperty::new(
                "Name",
                true,
                path.as_str().to_owned(),
            ))])),
            vpc_zone_identifier: Some(Value::Lit(subnets)),
            ..CfnAutoScalingGroup::new(self.max.to_string(), self.min.to_string())
        };
        let resource = stack.add(node, "ASG", group)?;
        // The CDK's default: a scheduled action does not reset the group's
        // sizes to the template's on every stack update.
        stack
            .resource_options(resource)?
            .update_policy(Operand::map([(
                "AutoScalingScheduledAction",
                Operand::map([("IgnoreUnmodifiedGroupSizeProperties", true)]),
            )]));
        let has_gpu_types = self
            .instance_types
            .iter()
            .map(|t| has_gpu(t))
            .try_fold(true, |all, g| g.map(|g| all && g));
        Ok(AutoScalingGroup {
            node,
            resource,
            launch_template,
            role,
            family: self.image.family,
            hardware: self.image.hardware,
            has_gpu_types,
        })
    }
}

/// An ECS capacity provider over an [`AutoScalingGroup`]: ECS scales the
/// group to fit the tasks (managed scaling) and keeps it from terminating
/// instances that run tasks (managed termination protection). Cheap to copy;
/// its resource is the child named like the construct, as in the CDK.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AsgCapacityProvider {
    node: NodeId,
    resource: CfnCapacityProviderRef,
    group: AutoScalingGroup,
}

impl AsgCapacityProvider {
    /// A builder for a provider over `group`.
    pub fn builder(id: impl Into<String>, group: &AutoScalingGroup) -> AsgCapacityProviderBuilder {
        AsgCapacityProviderBuilder {
            id: id.into(),
            group: *group,
            managed_scaling: true,
            target_capacity: 100,
            step_sizes: None,
            warmup: None,
            termination_protection: true,
            draining: None,
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

    /// The Auto Scaling group.
    #[must_use]
    pub fn auto_scaling_group(&self) -> AutoScalingGroup {
        self.group
    }

    /// An item of a strategy on this provider: weight 1, no base.
    #[must_use]
    pub fn strategy(&self) -> AsgCapacity {
        AsgCapacity {
            provider: *self,
            base: None,
            weight: 1,
        }
    }

    /// Writes the cluster into the instances' user data and gives their
    /// role what the ECS agent needs for this cluster.
    pub(crate) fn join_cluster(
        &self,
        stack: &mut Stack,
        cluster_name: Value<String>,
        cluster_arn: Value<String>,
    ) -> Result<()> {
        let user_data: Expr<String> = match self.group.family {
            AmiFamily::Bottlerocket => Expr::join(
                "",
                [
                    Value::from("[settings.ecs]\ncluster = \""),
                    cluster_name,
                    Value::from(if self.group.hardware == AmiHardware::Gpu {
                        "\"\nenable-gpu-support = true"
                    } else {
                        "\""
                    }),
                ],
            ),
            // As the CDK configures Windows container instances: the
            // agent with task IAM roles and the awslogs driver.
            family if family.is_windows() => Expr::join(
                "",
                [
                    Value::from(
                        "<powershell>\nImport-Module ECSTools\n[Environment]::SetEnvironmentVariable(\"ECS_CLUSTER\", \"",
                    ),
                    cluster_name.clone(),
                    Value::from(
                        "\", \"Machine\")\n[Environment]::SetEnvironmentVariable(\"ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE\", \"true\", \"Machine\")\n[Environment]::SetEnvironmentVariable(\"ECS_AVAILABLE_LOGGING_DRIVERS\", '[\"json-file\",\"awslogs\"]', \"Machine\")\n[Environment]::SetEnvironmentVariable(\"ECS_ENABLE_TASK_IAM_ROLE\", \"true\", \"Machine\")\nInitialize-ECSAgent -Cluster '",
                    ),
                    cluster_name,
                    Value::from("' -EnableTaskIAMRole\n</powershell>"),
                ],
            ),
            _ => Expr::join(
                "",
                [
                    Value::from("#!/bin/bash\necho ECS_CLUSTER="),
                    cluster_name,
                    Value::from(" >> /etc/ecs/ecs.config"),
                ],
            ),
        };
        let lt = stack.properties_mut::<CfnLaunchTemplate>(self.group.launch_template)?;
        if let Value::Lit(data) = &mut lt.launch_template_data {
            data.user_data = Some(Expr::base64(user_data).into());
        }
        use crate::iam::PolicyStatement;
        let role = self.group.role;
        role.add_to_policy(
            stack,
            PolicyStatement::allow()
                .actions([
                    "ecs:DeregisterContainerInstance",
                    "ecs:RegisterContainerInstance",
                    "ecs:Submit*",
                ])
                .resource(cluster_arn.clone()),
        )?;
        role.add_to_policy(
            stack,
            PolicyStatement::allow()
                .actions(["ecs:Poll", "ecs:StartTelemetrySession"])
                .resource("*")
                .condition("ArnEquals", "ecs:cluster", cluster_arn),
        )?;
        // Both take no resource-level permissions. Unlike the CDK (and the
        // managed AmazonEC2ContainerServiceforEC2Role), no
        // `logs:CreateLogStream`/`logs:PutLogEvents` on `*`: only tasks
        // without an execution role log through the instance role, and every
        // task definition here logs through its execution role, granted on
        // its own log group.
        role.add_to_policy(
            stack,
            PolicyStatement::allow()
                .actions(["ecr:GetAuthorizationToken", "ecs:DiscoverPollEndpoint"])
                .resource("*"),
        )
    }
}

/// Builds an [`AsgCapacityProvider`].
#[derive(Debug, Clone)]
#[must_use]
pub struct AsgCapacityProviderBuilder {
    id: String,
    group: AutoScalingGroup,
    managed_scaling: bool,
    target_capacity: u32,
    step_sizes: Option<(u32, u32)>,
    warmup: Option<std::time::Duration>,
    termination_protection: bool,
    draining: Option<bool>,
    name: Option<Value<String>>,
}

impl AsgCapacityProviderBuilder {
    /// Managed scaling: ECS scales the group to fit the tasks.
    ///
    /// CloudFormation default: `DISABLED`.
    /// ecscdk default: enabled (as the CDK).
    pub fn managed_scaling(mut self, enabled: bool) -> Self {
        self.managed_scaling = enabled;
        self
    }

    /// How full managed scaling keeps the group, percent (1–100).
    ///
    /// CloudFormation default: 100.
    /// ecscdk default: 100.
    pub fn target_capacity_percent(mut self, percent: u32) -> Self {
        self.target_capacity = percent;
        self
    }

    /// The fewest and most instances managed scaling adds or removes at once
    /// (1–10,000).
    ///
    /// CloudFormation default: 1 and 10,000.
    /// ecscdk default: omitted.
    pub fn scaling_step_sizes(mut self, min: u32, max: u32) -> Self {
        self.step_sizes = Some((min, max));
        self
    }

    /// How long a new instance takes to contribute to the group's metrics.
    ///
    /// CloudFormation default: 300 s.
    /// ecscdk default: omitted.
    pub fn instance_warmup(mut self, warmup: std::time::Duration) -> Self {
        self.warmup = Some(warmup);
        self
    }

    /// Managed termination protection: instances running tasks are not
    /// terminated on scale-in (sets the group's scale-in protection, which
    /// it requires). Needs managed scaling.
    ///
    /// CloudFormation default: `DISABLED`.
    /// ecscdk default: enabled (as the CDK).
    pub fn managed_termination_protection(mut self, enabled: bool) -> Self {
        self.termination_protection = enabled;
        self
    }

    /// Managed draining: ECS drains an instance's tasks before the group
    /// terminates it.
    ///
    /// CloudFormation default: `ENABLED`.
    /// ecscdk default: omitted (enabled).
    pub fn managed_draining(mut self, enabled: bool) -> Self {
        self.draining = Some(enabled);
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
    /// [`Error::InvalidProperty`] for a target capacity outside 1–100, step
    /// sizes outside 1–10,000 or in the wrong order, or a reserved name;
    /// [`Error::Conflict`] for termination protection without managed
    /// scaling; [`Error::Unsupported`] for a group of another stack.
    pub fn build(self, stack: &mut Stack) -> Result<AsgCapacityProvider> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the provider under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<AsgCapacityProvider> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ecs.AsgCapacityProvider")?;
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if self.group.node.stack() != node.stack() {
            return Err(Error::Unsupported {
                path,
                setting: "AsgCapacityProvider::builder",
                situation: "with an Auto Scaling group of another stack",
                fix: "build the capacity provider in the stack of its Auto Scaling group: the provider turns managed termination protection on in the group",
            });
        }
        if !(1..=100).contains(&self.target_capacity) {
            return Err(invalid(
                "target_capacity_percent",
                format!("{}% is outside 1..=100", self.target_capacity),
            ));
        }
        if let Some((min, max)) = self.step_sizes
            && (min == 0 || max > 10_000 || min > max)
        {
            return Err(invalid(
                "scaling_step_sizes",
                format!("{min}..{max} is not a range within 1..=10000"),
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
        if self.termination_protection && !self.managed_scaling {
            return Err(Error::Conflict {
                path,
                first: "managed_termination_protection",
                second: "managed_scaling(false)",
                fix: "managed termination protection needs managed scaling; enable it or turn protection off",
            });
        }
        let scaling = ManagedScaling {
            instance_warmup_period: self
                .warmup
                .map(|w| Value::Lit(crate::units::whole_seconds(w))),
            maximum_scaling_step_size: self.step_sizes.map(|(_, m)| Value::Lit(i64::from(m))),
            minimum_scaling_step_size: self.step_sizes.map(|(m, _)| Value::Lit(i64::from(m))),
            status: Some(Value::Lit(if self.managed_scaling {
                Status::Enabled
            } else {
                Status::Disabled
            })),
            target_capacity: self
                .managed_scaling
                .then(|| Value::Lit(i64::from(self.target_capacity))),
        };
        let provider = CfnCapacityProvider {
            auto_scaling_group_provider: Some(Value::Lit(AutoScalingGroupProvider {
                managed_draining: self.draining.map(|on| {
                    Value::Lit(if on {
                        ManagedDraining::Enabled
                    } else {
                        ManagedDraining::Disabled
                    })
                }),
                managed_scaling: Some(Value::Lit(scaling)),
                managed_termination_protection: Some(Value::Lit(if self.termination_protection {
                    ManagedTerminationProtection::Enabled
                } else {
                    ManagedTerminationProtection::Disabled
                })),
                ..AutoScalingGroupProvider::new(self.group.name())
            })),
            name: self.name,
            ..CfnCapacityProvider::default()
        };
        let resource = stack.add(node, &self.id, provider)?;
        if self.termination_protection {
            stack
                .properties_mut::<CfnAutoScalingGroup>(self.group.resource)?
                .new_instances_protected_from_scale_in = Some(Value::Lit(true));
        }
        Ok(AsgCapacityProvider {
            node,
            resource,
            group: self.group,
        })
    }
}

/// One item of a capacity provider strategy on an Auto Scaling group
/// provider. A strategy of these cannot hold a [`FargateCapacity`](crate::ecs::FargateCapacity): ECS
/// rejects mixing the two kinds, and so does the compiler.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AsgCapacity {
    provider: AsgCapacityProvider,
    base: Option<u32>,
    weight: u32,
}

impl AsgCapacity {
    /// How many tasks, at least, run on this provider.
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
    pub fn provider(&self) -> AsgCapacityProvider {
        self.provider
    }

    pub(crate) fn item(&self) -> crate::ecs::capacity::StrategyItem {
        crate::ecs::capacity::StrategyItem {
            label: format!("capacity provider {:?}", self.provider.node),
            name: Value::from(self.provider.name()),
            base: self.base,
            weight: self.weight,
        }
    }
}

/// A `Name` tag for a launch template's tag specifications.
fn name_tag(name: &str) -> Value<Vec<Value<launch_template::Tag>>> {
    Value::Lit(vec![Value::Lit(launch_template::Tag::new("Name", name))])
}
