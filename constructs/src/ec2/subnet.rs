//! Subnets: the kinds a VPC has, how a group of them is configured, and how
//! a construct selects the ones it is placed in.

use crate::cfn::ec2::{CfnRouteTableRef, CfnSubnetRef};
use crate::synth::{ResourceRef, Value};
use std::sync::Arc;

/// What a subnet can reach and be reached from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SubnetType {
    /// Routed to an internet gateway: resources with a public IP are
    /// reachable from the internet. Load balancers and NAT gateways go here.
    Public,
    /// Private, with outbound internet access through a NAT gateway in a
    /// public subnet of the same Availability Zone (or the nearest one). The
    /// default place for tasks. The CDK's `PRIVATE_WITH_EGRESS`.
    PrivateWithEgress,
    /// No route out of the VPC. Tasks here need VPC endpoints to pull images
    /// and write logs. The CDK's `PRIVATE_ISOLATED`.
    Isolated,
}

impl SubnetType {
    /// The group name the AWS CDK gives a default group of this type
    /// (`Public`, `Private`, `Isolated`), also the value of the
    /// `aws-cdk:subnet-type` tag.
    #[must_use]
    pub fn default_name(self) -> &'static str {
        match self {
            Self::Public => "Public",
            Self::PrivateWithEgress => "Private",
            Self::Isolated => "Isolated",
        }
    }
}

/// One group of subnets: one subnet of this type in each Availability Zone
/// of the VPC, named `{name}Subnet{n}` (`PublicSubnet1`, …) as in the AWS
/// CDK.
///
/// ```
/// use ecscdk::ec2::{SubnetConfiguration, SubnetType};
/// let app = SubnetConfiguration::new("Application", SubnetType::PrivateWithEgress).cidr_mask(20);
/// # let _ = app;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct SubnetConfiguration {
    pub(crate) name: String,
    pub(crate) subnet_type: SubnetType,
    pub(crate) cidr_mask: Option<u8>,
    pub(crate) reserved: bool,
    pub(crate) map_public_ip_on_launch: Option<bool>,
}

impl SubnetConfiguration {
    /// A group called `name` (unique in the VPC; it prefixes the subnets'
    /// construct ids) of subnets of `subnet_type`.
    pub fn new(name: impl Into<String>, subnet_type: SubnetType) -> Self {
        Self {
            name: name.into(),
            subnet_type,
            cidr_mask: None,
            reserved: false,
            map_public_ip_on_launch: None,
        }
    }

    /// The group of the AWS CDK's default layout for `subnet_type`, named
    /// `Public`, `Private` or `Isolated`.
    pub fn default_for(subnet_type: SubnetType) -> Self {
        Self::new(subnet_type.default_name(), subnet_type)
    }

    /// The prefix length of each subnet of the group, 16 to 28 (a /24 holds
    /// 251 usable addresses; AWS keeps 5 of every subnet). Without it, the
    /// space left after the groups with a mask is split evenly among the
    /// others (the largest power of two that fits), as the AWS CDK does.
    ///
    /// CloudFormation default: none (`CidrBlock` is required).
    /// ecscdk default: an even share of the space left, as in the AWS CDK.
    pub fn cidr_mask(mut self, mask: u8) -> Self {
        self.cidr_mask = Some(mask);
        self
    }

    /// Reserves the group's address space without creating its subnets, so
    /// that subnets added later do not shift the ranges of the others.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: not reserved (the subnets are created).
    pub fn reserved(mut self) -> Self {
        self.reserved = true;
        self
    }

    /// Whether instances launched in a public subnet get a public IPv4
    /// address (`MapPublicIpOnLaunch`). Only public groups take it. Fargate
    /// tasks and load balancers choose their own addressing whatever it is.
    ///
    /// CloudFormation default: `false`.
    /// ecscdk default: `true` for public groups, as in the AWS CDK; `false` elsewhere.
    pub fn map_public_ip_on_launch(mut self, on: bool) -> Self {
        self.map_public_ip_on_launch = Some(on);
        self
    }

    /// The group's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The group's subnet type.
    #[must_use]
    pub fn subnet_type(&self) -> SubnetType {
        self.subnet_type
    }
}

/// One subnet of a VPC, created by [`Vpc`](crate::ec2::Vpc) or imported.
/// Cheap to clone: clones share one [`SubnetData`] (every service of a VPC
/// selects its subnets, so a large app clones them thousands of times).
#[derive(Debug, Clone, PartialEq)]
pub struct Subnet(Arc<SubnetData>);

impl From<SubnetData> for Subnet {
    fn from(data: SubnetData) -> Self {
        Self(Arc::new(data))
    }
}

impl std::ops::Deref for Subnet {
    type Target = SubnetData;
    fn deref(&self) -> &SubnetData {
        &self.0
    }
}

/// Changes the subnet being built (shared data is copied first).
impl std::ops::DerefMut for Subnet {
    fn deref_mut(&mut self) -> &mut SubnetData {
        Arc::make_mut(&mut self.0)
    }
}

/// What a [`Subnet`] holds; read it through the subnet's methods.
#[derive(Debug, Clone, PartialEq)]
pub struct SubnetData {
    pub(crate) subnet_id: Value<String>,
    pub(crate) availability_zone: Value<String>,
    pub(crate) az_index: usize,
    pub(crate) route_table_id: Option<Value<String>>,
    pub(crate) subnet_type: SubnetType,
    pub(crate) group_name: String,
    pub(crate) cidr: Option<String>,
    pub(crate) resource: Option<CfnSubnetRef>,
    pub(crate) route_table: Option<CfnRouteTableRef>,
    pub(crate) internet_connectivity: Vec<ResourceRef>,
    pub(crate) location: SubnetLocation,
}

impl Subnet {
    /// Where the subnet is: an Availability Zone of the Region, a Local
    /// Zone, a Wavelength Zone or an Outpost.
    #[must_use]
    pub fn location(&self) -> &SubnetLocation {
        &self.location
    }

    /// The subnet's id (`Ref` of its `AWS::EC2::Subnet`, or the imported
    /// value).
    #[must_use]
    pub fn subnet_id(&self) -> Value<String> {
        self.subnet_id.clone()
    }

    /// The subnet's Availability Zone.
    #[must_use]
    pub fn availability_zone(&self) -> &Value<String> {
        &self.availability_zone
    }

    /// The id of the subnet's route table, when known.
    #[must_use]
    pub fn route_table_id(&self) -> Option<Value<String>> {
        self.route_table_id.clone()
    }

    /// The subnet's type.
    #[must_use]
    pub fn subnet_type(&self) -> SubnetType {
        self.subnet_type
    }

    /// The name of the subnet's group.
    #[must_use]
    pub fn group_name(&self) -> &str {
        &self.group_name
    }

    /// The subnet's IPv4 range, when known at synth.
    #[must_use]
    pub fn ipv4_cidr_block(&self) -> Option<&str> {
        self.cidr.as_deref()
    }

    /// The subnet's `AWS::EC2::Subnet` resource (`None` when imported).
    #[must_use]
    pub fn resource(&self) -> Option<CfnSubnetRef> {
        self.resource
    }

    /// The subnet's `AWS::EC2::RouteTable` resource (`None` when imported).
    #[must_use]
    pub fn route_table(&self) -> Option<CfnRouteTableRef> {
        self.route_table
    }

    /// The resources that give the subnet its route out (its route-table
    /// association and default route): what a construct placed here
    /// depends on when it needs the internet while it is created.
    #[must_use]
    pub fn internet_connectivity(&self) -> &[ResourceRef] {
        &self.internet_connectivity
    }
}

/// Which subnets of a VPC a construct is placed in. The default selects the
/// private subnets (with egress), else the isolated ones, else the public
/// ones, as the AWS CDK does.
///
/// ```
/// use ecscdk::ec2::{SubnetSelection, SubnetType};
/// let public = SubnetSelection::subnet_type(SubnetType::Public);
/// let app = SubnetSelection::group("Application").one_per_az();
/// # let _ = (public, app);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[must_use]
pub struct SubnetSelection {
    pub(crate) subnet_type: Option<SubnetType>,
    pub(crate) group: Option<String>,
    pub(crate) subnets: Option<Vec<Subnet>>,
    pub(crate) availability_zones: Option<Vec<String>>,
    pub(crate) one_per_az: bool,
}

impl SubnetSelection {
    /// The VPC's default choice (see the type's docs).
    pub fn default_subnets() -> Self {
        Self::default()
    }

    /// Every subnet of one type.
    pub fn subnet_type(subnet_type: SubnetType) -> Self {
        Self {
            subnet_type: Some(subnet_type),
            ..Self::default()
        }
    }

    /// The public subnets.
    pub fn public() -> Self {
        Self::subnet_type(SubnetType::Public)
    }

    /// The private subnets with egress.
    pub fn private_with_egress() -> Self {
        Self::subnet_type(SubnetType::PrivateWithEgress)
    }

    /// The isolated subnets.
    pub fn isolated() -> Self {
        Self::subnet_type(SubnetType::Isolated)
    }

    /// Every subnet of the named group.
    pub fn group(name: impl Into<String>) -> Self {
        Self {
            group: Some(name.into()),
            ..Self::default()
        }
    }

    /// Exactly these subnets.
    pub fn subnets(subnets: impl IntoIterator<Item = Subnet>) -> Self {
        Self {
            subnets: Some(subnets.into_iter().collect()),
            ..Self::default()
        }
    }

    /// Keeps only subnets in these Availability Zones (by name, e.g.
    /// `us-east-1a`; the VPC's zones must be named, not looked up at deploy
    /// time).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: all of the selected subnets' zones.
    pub fn in_availability_zones<S: Into<String>>(
        mut self,
        zones: impl IntoIterator<Item = S>,
    ) -> Self {
        self.availability_zones = Some(zones.into_iter().map(Into::into).collect());
        self
    }

    /// Keeps at most one subnet per Availability Zone (the first of each).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: off (every selected subnet of each zone).
    pub fn one_per_az(mut self) -> Self {
        self.one_per_az = true;
        self
    }
}

/// The subnets a [`SubnetSelection`] picked, ready to be put in a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectedSubnets {
    pub(crate) subnets: Vec<Subnet>,
}

impl SelectedSubnets {
    /// The subnets.
    #[must_use]
    pub fn subnets(&self) -> &[Subnet] {
        &self.subnets
    }

    /// Their ids, in order: the value of a `Subnets` / `SubnetIds` property.
    #[must_use]
    pub fn subnet_ids(&self) -> Vec<Value<String>> {
        self.subnets.iter().map(Subnet::subnet_id).collect()
    }

    /// Their Availability Zones, in order.
    #[must_use]
    pub fn availability_zones(&self) -> Vec<Value<String>> {
        self.subnets
            .iter()
            .map(|s| s.availability_zone.clone())
            .collect()
    }

    /// Whether any of them is public.
    #[must_use]
    pub fn has_public(&self) -> bool {
        self.subnets
            .iter()
            .any(|s| s.subnet_type == SubnetType::Public)
    }

    /// The first subnet outside the Region's Availability Zones (in a Local
    /// Zone, a Wavelength Zone or on an Outpost), if any: AWS Fargate does not
    /// run there, so a Fargate service or task placed in it cannot start.
    #[must_use]
    pub fn edge_subnet(&self) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.location.is_edge())
    }

    /// The route-table associations and default routes of the subnets, in
    /// order: add them as `DependsOn` of a resource that needs the internet
    /// while it is created (an internet-facing load balancer does).
    #[must_use]
    pub fn internet_connectivity(&self) -> Vec<ResourceRef> {
        let mut out: Vec<ResourceRef> = Vec::new();
        for r in self
            .subnets
            .iter()
            .flat_map(|s| s.internet_connectivity.iter())
        {
            if !out.contains(r) {
                out.push(*r);
            }
        }
        out
    }
}

/// Where a subnet is.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SubnetLocation {
    /// An Availability Zone of the Region (every subnet of a
    /// [`SubnetConfiguration`] group).
    AvailabilityZone,
    /// A Local Zone, e.g. `us-west-2-lax-1a`: AWS infrastructure in a
    /// metropolitan area, reached from the Region's VPC.
    LocalZone(String),
    /// A Wavelength Zone, e.g. `us-east-1-wl1-bos-wlz-1`: AWS infrastructure
    /// in a carrier's 5G network; public traffic goes through a carrier
    /// gateway.
    WavelengthZone(String),
    /// An AWS Outpost in an Availability Zone of the Region.
    Outpost {
        /// The Availability Zone the Outpost is anchored to.
        availability_zone: String,
        /// The Outpost's ARN.
        outpost_arn: Value<String>,
    },
}

impl SubnetLocation {
    /// Whether the subnet is outside the Region's Availability Zones (a
    /// Local Zone, a Wavelength Zone or an Outpost), where Fargate does not
    /// run: capacity there is EC2 instances.
    #[must_use]
    pub fn is_edge(&self) -> bool {
        !matches!(self, Self::AvailabilityZone)
    }
}

/// A subnet a VPC adds in a named Local Zone or Wavelength Zone, or on an
/// Outpost, with [`VpcBuilder::zone_subnet`](crate::ec2::VpcBuilder::zone_subnet).
/// Its range is given (it must lie in the VPC's range, outside every other
/// subnet), so adding one never shifts the ranges of the others; the default
/// layout fills the VPC's range, so give the groups a
/// [`cidr_mask`](SubnetConfiguration::cidr_mask) to leave room.
///
/// Zone subnets of one `name` form a group, named `{name}Subnet1`,
/// `{name}Subnet2`, … in the order added, and are selected with
/// [`SubnetSelection::group`]; the default selection and
/// [`SubnetSelection::subnet_type`] keep to the Region's Availability Zones.
///
/// Routing: a public subnet routes to the VPC's internet gateway (a Local
/// Zone or an Outpost) or to a carrier gateway the VPC creates (a
/// Wavelength Zone); a private subnet with egress routes to the VPC's first
/// NAT gateway (not in a Wavelength Zone, which has no NAT); an isolated
/// one has no default route.
///
/// ```
/// use ecscdk::ec2::{SubnetType, ZoneSubnet};
/// let lax = ZoneSubnet::local_zone("Lax", "us-west-2-lax-1a", SubnetType::Public, "10.0.200.0/24");
/// # let _ = lax;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct ZoneSubnet {
    pub(crate) name: String,
    pub(crate) location: SubnetLocation,
    pub(crate) subnet_type: SubnetType,
    pub(crate) cidr: String,
}

impl ZoneSubnet {
    /// A subnet of group `name` in the Local Zone `zone` (opt the account
    /// in to the zone group first), with range `cidr`.
    pub fn local_zone(
        name: impl Into<String>,
        zone: impl Into<String>,
        subnet_type: SubnetType,
        cidr: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            location: SubnetLocation::LocalZone(zone.into()),
            subnet_type,
            cidr: cidr.into(),
        }
    }

    /// A subnet of group `name` in the Wavelength Zone `zone` (public or
    /// isolated), with range `cidr`.
    pub fn wavelength_zone(
        name: impl Into<String>,
        zone: impl Into<String>,
        subnet_type: SubnetType,
        cidr: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            location: SubnetLocation::WavelengthZone(zone.into()),
            subnet_type,
            cidr: cidr.into(),
        }
    }

    /// A subnet of group `name` on the Outpost `outpost_arn`, anchored to
    /// the Availability Zone `availability_zone`, with range `cidr`.
    pub fn outpost(
        name: impl Into<String>,
        availability_zone: impl Into<String>,
        outpost_arn: impl Into<Value<String>>,
        subnet_type: SubnetType,
        cidr: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            location: SubnetLocation::Outpost {
                availability_zone: availability_zone.into(),
                outpost_arn: outpost_arn.into(),
            },
            subnet_type,
            cidr: cidr.into(),
        }
    }

    /// The zone the subnet is created in (for an Outpost, its Availability
    /// Zone).
    pub(crate) fn zone(&self) -> &str {
        match &self.location {
            SubnetLocation::LocalZone(z) | SubnetLocation::WavelengthZone(z) => z,
            SubnetLocation::Outpost {
                availability_zone, ..
            } => availability_zone,
            SubnetLocation::AvailabilityZone => "",
        }
    }
}
