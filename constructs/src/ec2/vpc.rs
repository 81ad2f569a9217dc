//! `Vpc`: a VPC with the AWS CDK's layout: per Availability Zone one subnet
//! of each group (public and private by default), each with its route table
//! and association; an internet gateway; NAT gateways in the first public
//! subnets, to which the private subnets route; the default security group
//! stripped of its rules; flow logs.
//!
//! CloudFormation: [AWS::EC2::VPC](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpc.html),
//! [AWS::EC2::Subnet](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-subnet.html),
//! [AWS::EC2::NatGateway](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-natgateway.html).

use std::sync::Arc;

use crate::cfn::ec2::{
    CfnCarrierGateway, CfnEIP, CfnInternetGateway, CfnInternetGatewayRef, CfnNatGateway,
    CfnNatGatewayRef, CfnRoute, CfnRouteTable, CfnSubnet, CfnSubnetRouteTableAssociation, CfnVPC,
    CfnVPCGatewayAttachment, CfnVPCRef, carrier_gateway, eip, internet_gateway, nat_gateway,
    route_table, subnet, vpc,
};
use crate::ec2::cidr::{self, AllocationError, Cidr};
use crate::ec2::endpoint::{self, GatewayEndpointService, InterfaceEndpointService, VpcEndpoint};
use crate::ec2::flow_log::{self, FlowLogTraffic};
use crate::ec2::restrict_default_sg;
use crate::ec2::subnet::{
    SelectedSubnets, Subnet, SubnetConfiguration, SubnetData, SubnetLocation, SubnetSelection,
    SubnetType, ZoneSubnet,
};
use crate::logs::RetentionDays;
use crate::synth::context::ContextQuery;
use crate::synth::{ConstructPath, Expr, NodeId, ResourceRef, StackId, Value};
use crate::{Error, Result, Stack};

/// The range a VPC gets unless [`VpcBuilder::cidr`] gives another.
pub const DEFAULT_CIDR: &str = "10.0.0.0/16";

/// How many Availability Zones a VPC spans unless told otherwise.
pub const DEFAULT_MAX_AZS: usize = 2;

/// The most Availability Zones one VPC can span: no region has more (us-east-1
/// has six, `use1-az1` to `use1-az6`; AWS's "Regions and Availability Zones"
/// page). A VPC's subnets are per zone, so more would not deploy.
pub const MAX_AZS: usize = 6;

/// A VPC, built by [`Vpc::builder`] or imported with
/// [`Vpc::from_attributes`]. Cheap to clone (it shares its description of
/// subnets), and usable from any stack of the app: a reference from another
/// stack becomes an export and an import.
///
/// Its resource is the child `Resource`, its subnets `PublicSubnet1`, …,
/// `PrivateSubnet1`, …, as in the AWS CDK, so logical IDs carry over.
#[derive(Debug, Clone)]
pub struct Vpc(Arc<VpcInner>);

#[derive(Debug)]
struct VpcInner {
    path: ConstructPath,
    node: NodeId,
    resource: Option<CfnVPCRef>,
    vpc_id: Value<String>,
    cidr_block: Option<Value<String>>,
    availability_zones: Vec<Value<String>>,
    subnets: Vec<Subnet>,
    groups: Vec<(String, SubnetType)>,
    internet_gateway: Option<CfnInternetGatewayRef>,
    internet_connectivity: Vec<ResourceRef>,
    nat_gateways: Vec<CfnNatGatewayRef>,
    private_dns: bool,
    name_tag: String,
}

impl PartialEq for Vpc {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.node == other.0.node
    }
}

/// An interface or gateway endpoint requested on the builder.
#[derive(Debug, Clone)]
enum EndpointRequest {
    Interface(String, InterfaceEndpointService),
    Gateway(String, GatewayEndpointService),
}

impl Vpc {
    /// A builder for a VPC with construct id `id` and the AWS CDK's default
    /// layout (see [`VpcBuilder`]).
    pub fn builder(id: impl Into<String>) -> VpcBuilder {
        VpcBuilder {
            id: id.into(),
            cidr: DEFAULT_CIDR.to_owned(),
            max_azs: None,
            availability_zones: None,
            nat_gateways: None,
            subnets: None,
            dns_hostnames: true,
            dns_support: true,
            name: None,
            restrict_default_security_group: true,
            flow_logs: true,
            flow_log_retention: RetentionDays::default(),
            flow_log_traffic: FlowLogTraffic::All,
            endpoints: Vec::new(),
            zone_subnets: Vec::new(),
            zones_at_deploy_time: false,
        }
    }

    /// Imports an existing VPC by its ids. No resource is created; `id`
    /// becomes a construct (`ecscdk.ec2.ImportedVpc`) that names the VPC in
    /// errors and holds the endpoints added to it.
    ///
    /// # Errors
    /// [`Error::InvalidId`] or [`Error::DuplicateId`] for a bad or taken id;
    /// [`Error::InvalidProperty`] when no zone is given or a group's subnet
    /// (or route table) count is not a multiple of the zone count.
    pub fn from_attributes(stack: &mut Stack, id: &str, attributes: VpcAttributes) -> Result<Self> {
        let root = stack.root();
        let path = stack.path(root).child(id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        let zones = attributes.availability_zones.len();
        if zones == 0 {
            return Err(invalid(
                "availability_zones",
                "an imported VPC needs the Availability Zones of its subnets; list them in the order the subnets are given".to_owned(),
            ));
        }
        let mut subnets = Vec::new();
        let mut groups = Vec::new();
        for group in &attributes.groups {
            if group.subnet_ids.len() % zones != 0 {
                return Err(invalid(
                    "subnets",
                    format!(
                        "group {:?} has {} for {}; give one subnet per zone (or several per zone, zone by zone)",
                        group.name,
                        super::count(group.subnet_ids.len(), "subnet"),
                        super::count(zones, "Availability Zone"),
                    ),
                ));
            }
            if let Some(tables) = &group.route_table_ids
                && tables.len() != group.subnet_ids.len()
            {
                return Err(invalid(
                    "route_table_ids",
                    format!(
                        "group {:?} has {} but {}; give one route table per subnet",
                        group.name,
                        super::count(group.subnet_ids.len(), "subnet"),
                        super::count(tables.len(), "route table"),
                    ),
                ));
            }
            if groups
                .iter()
                .any(|(n, _): &(String, SubnetType)| *n == group.name)
            {
                return Err(invalid(
                    "subnets",
                    format!(
                        "two groups are named {:?}; give each group its own name",
                        group.name
                    ),
                ));
            }
            groups.push((group.name.clone(), group.subnet_type));
            for (i, subnet_id) in group.subnet_ids.iter().enumerate() {
                let az_index = i % zones;
                subnets.push(Subnet::from(SubnetData {
                    subnet_id: subnet_id.clone(),
                    availability_zone: attributes
                        .availability_zones
                        .get(az_index)
                        .cloned()
                        .unwrap_or_else(|| Value::Lit(String::new())),
                    az_index,
                    route_table_id: group
                        .route_table_ids
                        .as_ref()
                        .and_then(|t| t.get(i).cloned()),
                    subnet_type: group.subnet_type,
                    group_name: group.name.clone(),
                    cidr: None,
                    resource: None,
                    route_table: None,
                    internet_connectivity: Vec::new(),
                    location: SubnetLocation::AvailabilityZone,
                }));
            }
        }
        let node = stack.scope_of_type(root, id, "ecscdk.ec2.ImportedVpc")?;
        let name_tag = path.as_str().to_owned();
        Ok(Self(Arc::new(VpcInner {
            path,
            node,
            resource: None,
            vpc_id: attributes.vpc_id,
            cidr_block: attributes.cidr_block,
            availability_zones: attributes.availability_zones,
            subnets,
            groups,
            internet_gateway: None,
            internet_connectivity: Vec::new(),
            nat_gateways: Vec::new(),
            private_dns: true,
            name_tag,
        })))
    }

    /// The VPC's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.0.node
    }

    /// The stack the VPC belongs to.
    #[must_use]
    pub fn stack_id(&self) -> StackId {
        self.0.node.stack()
    }

    /// The VPC's construct path.
    #[must_use]
    pub fn path(&self) -> &ConstructPath {
        &self.0.path
    }

    /// The VPC's `AWS::EC2::VPC` resource (`None` when imported).
    #[must_use]
    pub fn resource(&self) -> Option<CfnVPCRef> {
        self.0.resource
    }

    /// The VPC's id.
    #[must_use]
    pub fn vpc_id(&self) -> Value<String> {
        self.0.vpc_id.clone()
    }

    /// The VPC's IPv4 range (a literal for a VPC built here), when known.
    #[must_use]
    pub fn cidr_block(&self) -> Option<Value<String>> {
        self.0.cidr_block.clone()
    }

    /// The VPC's default security group (`None` when imported).
    #[must_use]
    pub fn default_security_group(&self) -> Option<Expr<String>> {
        self.0.resource.map(CfnVPCRef::attr_default_security_group)
    }

    /// The Availability Zones the VPC's subnets are in, in order.
    #[must_use]
    pub fn availability_zones(&self) -> &[Value<String>] {
        &self.0.availability_zones
    }

    /// Every subnet, group by group, zone by zone.
    #[must_use]
    pub fn subnets(&self) -> &[Subnet] {
        &self.0.subnets
    }

    /// The subnet groups: name and type, in order.
    #[must_use]
    pub fn subnet_groups(&self) -> &[(String, SubnetType)] {
        &self.0.groups
    }

    /// The public subnets.
    pub fn public_subnets(&self) -> impl Iterator<Item = &Subnet> {
        self.of_type(SubnetType::Public)
    }

    /// The private subnets with egress.
    pub fn private_subnets(&self) -> impl Iterator<Item = &Subnet> {
        self.of_type(SubnetType::PrivateWithEgress)
    }

    /// The isolated subnets.
    pub fn isolated_subnets(&self) -> impl Iterator<Item = &Subnet> {
        self.of_type(SubnetType::Isolated)
    }

    /// The subnets of type `t` in the Region's Availability Zones (zone
    /// subnets are selected by group).
    fn of_type(&self, t: SubnetType) -> impl Iterator<Item = &Subnet> {
        self.0
            .subnets
            .iter()
            .filter(move |s| s.subnet_type == t && !s.location.is_edge())
    }

    /// The internet gateway, if the VPC has one.
    #[must_use]
    pub fn internet_gateway(&self) -> Option<CfnInternetGatewayRef> {
        self.0.internet_gateway
    }

    /// The NAT gateways, in the order of the public subnets they are in.
    #[must_use]
    pub fn nat_gateways(&self) -> &[CfnNatGatewayRef] {
        &self.0.nat_gateways
    }

    /// The internet gateway and its attachment: what a resource that needs
    /// the internet at creation depends on when it is not placed in
    /// subnets (in subnets, use [`SelectedSubnets::internet_connectivity`]).
    #[must_use]
    pub fn internet_connectivity(&self) -> &[ResourceRef] {
        &self.0.internet_connectivity
    }

    /// The subnets `selection` picks.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] (property `subnet selection`, at the VPC's
    /// path) when the selection names a type or group the VPC does not have,
    /// filters zones that are only known at deploy time, or picks nothing.
    pub fn select_subnets(&self, selection: &SubnetSelection) -> Result<SelectedSubnets> {
        let fail = |reason: String| Error::InvalidProperty {
            path: self.0.path.clone(),
            property: "subnet selection".to_owned(),
            reason,
        };
        let mut picked: Vec<Subnet> = if let Some(explicit) = &selection.subnets {
            explicit.clone()
        } else if let Some(group) = &selection.group {
            let found: Vec<Subnet> = self
                .0
                .subnets
                .iter()
                .filter(|s| &s.group_name == group)
                .cloned()
                .collect();
            if found.is_empty() {
                let names: Vec<&str> = self.0.groups.iter().map(|(n, _)| n.as_str()).collect();
                return Err(fail(format!(
                    "the VPC has no subnet group named {group:?} (it has: {}); use one of those names",
                    list_or_none(&names)
                )));
            }
            found
        } else {
            let wanted = selection.subnet_type.or_else(|| {
                [
                    SubnetType::PrivateWithEgress,
                    SubnetType::Isolated,
                    SubnetType::Public,
                ]
                .into_iter()
                .find(|t| self.of_type(*t).next().is_some())
            });
            let Some(wanted) = wanted else {
                return Err(fail(
                    "the VPC has no subnets; give it at least one subnet group".to_owned(),
                ));
            };
            let found: Vec<Subnet> = self.of_type(wanted).cloned().collect();
            if found.is_empty() {
                let mut types: Vec<&str> = Vec::new();
                for s in &self.0.subnets {
                    let t = type_name(s.subnet_type);
                    if !types.contains(&t) {
                        types.push(t);
                    }
                }
                return Err(fail(format!(
                    "the VPC has no {} subnets (it has: {}); select another type, or add a subnet group of this type to the VPC",
                    type_name(wanted),
                    list_or_none(&types)
                )));
            }
            found
        };
        if let Some(zones) = &selection.availability_zones {
            if picked
                .iter()
                .any(|s| s.availability_zone.literal().is_none())
            {
                return Err(fail(
                    "the subnets' Availability Zones are known only at synth (from the context) or at deploy (Fn::GetAZs), so they cannot be filtered by name while building; give the VPC `availability_zones` to filter by zone".to_owned(),
                ));
            }
            picked.retain(|s| {
                s.availability_zone
                    .literal()
                    .is_some_and(|az| zones.iter().any(|z| z == az))
            });
            if picked.is_empty() {
                return Err(fail(format!(
                    "no selected subnet is in {}; pick zones of the VPC",
                    zones.join(", ")
                )));
            }
        }
        if selection.one_per_az {
            let mut seen = Vec::new();
            picked.retain(|s| {
                if seen.contains(&s.az_index) {
                    false
                } else {
                    seen.push(s.az_index);
                    true
                }
            });
        }
        if picked.is_empty() {
            return Err(fail(
                "the selection picks no subnet; select at least one".to_owned(),
            ));
        }
        Ok(SelectedSubnets { subnets: picked })
    }

    /// Adds an interface endpoint for `service` under the VPC: a security
    /// group (`{id}/SecurityGroup`) open on 443 to the VPC's range and the
    /// endpoint (`{id}/Resource`) in the default subnets, one per zone, with
    /// private DNS, as the AWS CDK's `addInterfaceEndpoint` does.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] when `stack` is not the VPC's stack; an id
    /// error; [`Error::Missing`] for an imported VPC without a CIDR block;
    /// [`Error::Unsupported`] for a VPC with DNS support or hostnames
    /// turned off; [`Error::InvalidProperty`] when no subnet can hold it.
    pub fn add_interface_endpoint(
        &self,
        stack: &mut Stack,
        id: &str,
        service: InterfaceEndpointService,
    ) -> Result<VpcEndpoint> {
        self.check_stack(stack)?;
        let subnets = self.select_subnets(&SubnetSelection::default_subnets().one_per_az())?;
        endpoint::interface(stack, self, id, &service, &subnets)
    }

    /// Adds a gateway endpoint for `service` (S3, DynamoDB) under the VPC,
    /// routed from every subnet's route table.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] when `stack` is not the VPC's stack or no
    /// subnet has a known route table; an id error.
    pub fn add_gateway_endpoint(
        &self,
        stack: &mut Stack,
        id: &str,
        service: GatewayEndpointService,
    ) -> Result<VpcEndpoint> {
        self.check_stack(stack)?;
        endpoint::gateway(stack, self, id, service)
    }

    fn check_stack(&self, stack: &Stack) -> Result<()> {
        if self.stack_id() == stack.stack_id() {
            Ok(())
        } else {
            Err(super::wrong_stack(
                &self.0.path,
                "endpoint",
                "the VPC",
                stack.id(),
            ))
        }
    }

    pub(crate) fn private_dns(&self) -> bool {
        self.0.private_dns
    }

    /// The `Name` tag of the VPC's own resources.
    pub(crate) fn name_tag(&self) -> &str {
        &self.0.name_tag
    }
}

fn type_name(t: SubnetType) -> &'static str {
    match t {
        SubnetType::Public => "`Public`",
        SubnetType::PrivateWithEgress => "`PrivateWithEgress`",
        SubnetType::Isolated => "`Isolated`",
    }
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// Builds a [`Vpc`].
///
/// The default layout is the AWS CDK's: range `10.0.0.0/16`; per zone a
/// `Public` and a `Private` (with egress) subnet, the range split evenly
/// (four /18s for two zones); one NAT gateway per zone; DNS support and
/// hostnames on. ecscdk adds two secure defaults the CDK leaves off: flow
/// logs to CloudWatch Logs, and (as the CDK's recommended flags do) a
/// custom resource that strips the default security group's rules.
///
/// ```
/// use ecscdk::prelude::*;
/// use ecscdk::ec2::{SubnetSelection, Vpc};
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Network");
/// let vpc = Vpc::builder("Vpc").max_azs(2).nat_gateways(1).build(&mut stack)?;
/// let private = vpc.select_subnets(&SubnetSelection::default())?;
/// assert_eq!(private.subnet_ids().len(), 2);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct VpcBuilder {
    id: String,
    cidr: String,
    max_azs: Option<usize>,
    availability_zones: Option<Vec<String>>,
    nat_gateways: Option<usize>,
    subnets: Option<Vec<SubnetConfiguration>>,
    dns_hostnames: bool,
    dns_support: bool,
    name: Option<String>,
    restrict_default_security_group: bool,
    flow_logs: bool,
    flow_log_retention: RetentionDays,
    flow_log_traffic: FlowLogTraffic,
    endpoints: Vec<EndpointRequest>,
    zone_subnets: Vec<ZoneSubnet>,
    zones_at_deploy_time: bool,
}

impl VpcBuilder {
    /// The VPC's IPv4 range, `/16` to `/28`, without host bits
    /// (`10.0.0.0/16`). Subnet ranges are carved from it as the AWS CDK does.
    ///
    /// CloudFormation default: none (`CidrBlock` or an IPAM pool is required).
    /// ecscdk default: `10.0.0.0/16`, as in the AWS CDK.
    pub fn cidr(mut self, cidr: impl Into<String>) -> Self {
        self.cidr = cidr.into();
        self
    }

    /// How many Availability Zones the VPC spans: the first zones of the
    /// region. When the stack's environment names an account and a region,
    /// they are the zones the account sees there, read from the app's
    /// context (`cdk.context.json`, key
    /// `availability-zones:account=…:region=…`, looked up once and saved, as
    /// in the AWS CDK; see [`ecscdk::synth::context`](crate::synth::context))
    /// and written into the template by name. Otherwise they are taken at
    /// deploy time with `Fn::Select` of `Fn::GetAZs`. Either way the region
    /// must offer that many; name the zones with
    /// [`availability_zones`](Self::availability_zones) to choose them.
    ///
    /// The default is the count every region offers; the AWS CDK uses 3
    /// with an environment (fewer if the region has fewer), 2 without: a
    /// port of a CDK VPC that left `maxAzs` unset in a concrete environment
    /// sets `max_azs(3)`.
    ///
    /// At most [`MAX_AZS`], checked at `build()`.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: 2.
    pub fn max_azs(mut self, count: usize) -> Self {
        self.max_azs = Some(count);
        self
    }

    /// Takes the zones at deploy time (`Fn::GetAZs`) even when the stack's
    /// environment is concrete, instead of reading them from the context:
    /// what ecscdk wrote before it had context, so a VPC deployed then keeps
    /// a template without changes. The zones then cannot be filtered by
    /// name at build time.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: off; the zones are read from the context when the
    /// environment is concrete.
    pub fn zones_at_deploy_time(mut self) -> Self {
        self.zones_at_deploy_time = true;
        self
    }

    /// The Availability Zones, by name (`us-east-1a`), in order. Excludes
    /// [`max_azs`](Self::max_azs).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: the first [`DEFAULT_MAX_AZS`] zones, chosen at deploy time.
    pub fn availability_zones<S: Into<String>>(
        mut self,
        zones: impl IntoIterator<Item = S>,
    ) -> Self {
        self.availability_zones = Some(zones.into_iter().map(Into::into).collect());
        self
    }

    /// How many NAT gateways to create, at most one per zone, in the first
    /// public subnets; each private subnet routes to the one in its zone, or
    /// else to one of the others. 0 makes the default layout public and
    /// isolated (tasks there need VPC endpoints).
    ///
    /// One per zone keeps each zone's egress independent of the others, at
    /// the price of one gateway (and its hourly charge) per zone.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: one per zone, as in the AWS CDK.
    pub fn nat_gateways(mut self, count: usize) -> Self {
        self.nat_gateways = Some(count);
        self
    }

    /// Adds a subnet group; once one is given the default groups are not
    /// created.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: `Public` and `Private` (with egress); `Public` and `Isolated` with 0 NAT gateways.
    pub fn subnet_group(mut self, group: SubnetConfiguration) -> Self {
        self.subnets.get_or_insert_with(Vec::new).push(group);
        self
    }

    /// Adds subnet groups; see [`subnet_group`](Self::subnet_group).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: see [`subnet_group`](Self::subnet_group).
    pub fn subnet_groups(mut self, groups: impl IntoIterator<Item = SubnetConfiguration>) -> Self {
        self.subnets.get_or_insert_with(Vec::new).extend(groups);
        self
    }

    /// Whether instances get public DNS hostnames (`EnableDnsHostnames`);
    /// needs DNS support. Interface endpoints with private DNS need both.
    ///
    /// CloudFormation default: `false`.
    /// ecscdk default: `true`, as in the AWS CDK.
    pub fn enable_dns_hostnames(mut self, on: bool) -> Self {
        self.dns_hostnames = on;
        self
    }

    /// Adds a subnet in a named Local Zone or Wavelength Zone, or on an
    /// Outpost (see [`ZoneSubnet`]); select it with
    /// [`SubnetSelection::group`] of its name.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: none (subnets only in the Region's Availability Zones).
    pub fn zone_subnet(mut self, subnet: ZoneSubnet) -> Self {
        self.zone_subnets.push(subnet);
        self
    }

    /// Whether the Amazon DNS server answers in the VPC (`EnableDnsSupport`).
    ///
    /// CloudFormation default: `true`.
    /// ecscdk default: `true`.
    pub fn enable_dns_support(mut self, on: bool) -> Self {
        self.dns_support = on;
        self
    }

    /// The `Name` tag of the VPC and its internet gateway.
    ///
    /// CloudFormation default: no tag.
    /// ecscdk default: the construct path (`Network/Vpc`), as in the AWS CDK.
    pub fn vpc_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether a custom resource (`Custom::VpcRestrictDefaultSG`, with a
    /// Lambda provider shared by the stack's VPCs) removes every rule of the
    /// VPC's default security group, so that nothing placed in it by mistake
    /// is reachable. Deleting it (turning this off) restores the rules. The
    /// handler is inline here, so no asset bucket is needed.
    ///
    /// CloudFormation default: the default group allows its members and all outbound traffic.
    /// ecscdk default: on, as with the AWS CDK's recommended flags.
    pub fn restrict_default_security_group(mut self, on: bool) -> Self {
        self.restrict_default_security_group = on;
        self
    }

    /// Whether the VPC's traffic is logged to a CloudWatch Logs group
    /// (`FlowLog`, with its `LogGroup` and `IAMRole`, as the AWS CDK's
    /// `addFlowLog('FlowLog')` names them). Flow logs are how an incident is
    /// investigated, and security baselines (AWS Security Hub EC2.6, checkov
    /// CKV2_AWS_11) require them; the group keeps events for
    /// [`flow_log_retention`](Self::flow_log_retention).
    ///
    /// CloudFormation default: no flow log.
    /// ecscdk default: on (the AWS CDK: off).
    pub fn flow_logs(mut self, on: bool) -> Self {
        self.flow_logs = on;
        self
    }

    /// How long the flow log's group keeps events.
    ///
    /// CloudFormation default: forever.
    /// ecscdk default: [`RetentionDays::OneMonth`].
    pub fn flow_log_retention(mut self, retention: RetentionDays) -> Self {
        self.flow_log_retention = retention;
        self
    }

    /// Which traffic the flow log records (`TrafficType`).
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: [`FlowLogTraffic::All`], as in the AWS CDK.
    pub fn flow_log_traffic(mut self, traffic: FlowLogTraffic) -> Self {
        self.flow_log_traffic = traffic;
        self
    }

    /// Adds an interface endpoint (see [`Vpc::add_interface_endpoint`]).
    ///
    /// CloudFormation default: no endpoint.
    /// ecscdk default: none.
    pub fn interface_endpoint(
        mut self,
        id: impl Into<String>,
        service: InterfaceEndpointService,
    ) -> Self {
        self.endpoints
            .push(EndpointRequest::Interface(id.into(), service));
        self
    }

    /// Adds a gateway endpoint (see [`Vpc::add_gateway_endpoint`]).
    ///
    /// CloudFormation default: no endpoint.
    /// ecscdk default: none.
    pub fn gateway_endpoint(
        mut self,
        id: impl Into<String>,
        service: GatewayEndpointService,
    ) -> Self {
        self.endpoints
            .push(EndpointRequest::Gateway(id.into(), service));
        self
    }

    /// Adds what Fargate tasks in subnets without a NAT gateway need to pull
    /// images from ECR and write logs: interface endpoints `EcrApiEndpoint`,
    /// `EcrDockerEndpoint` and `LogsEndpoint`, and the gateway endpoint
    /// `S3Endpoint` (image layers are stored in S3). Add
    /// `SecretsManager`/`Ssm` endpoints too when containers read secrets.
    ///
    /// CloudFormation default: no endpoint.
    /// ecscdk default: none.
    pub fn fargate_endpoints(self) -> Self {
        self.interface_endpoint("EcrApiEndpoint", InterfaceEndpointService::EcrApi)
            .interface_endpoint("EcrDockerEndpoint", InterfaceEndpointService::EcrDocker)
            .interface_endpoint("LogsEndpoint", InterfaceEndpointService::CloudWatchLogs)
            .gateway_endpoint("S3Endpoint", GatewayEndpointService::S3)
    }

    /// Adds the VPC directly under the stack.
    ///
    /// # Errors
    /// Every problem of the configuration at once ([`Error::Many`] when
    /// several), each naming the VPC's path:
    /// [`Error::InvalidProperty`] for a malformed or out-of-range CIDR, a
    /// subnet mask outside 16–28 or larger than the VPC, subnet groups that
    /// do not fit in the range, a duplicate or malformed group name or zone,
    /// zones of another region, `max_azs` 0, or private subnets without a NAT
    /// gateway; [`Error::Conflict`] for `max_azs` with `availability_zones`
    /// or DNS hostnames without DNS support; [`Error::Unsupported`] for
    /// interface endpoints without DNS, or `map_public_ip_on_launch` on a
    /// group that is not public; [`Error::Missing`]
    /// for NAT gateways without a public group. Then
    /// [`Error::InvalidId`]/[`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<Vpc> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the VPC under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Vpc> {
        let path = stack.path(parent).child(&self.id);
        let plan = self.plan(stack, &path)?;
        self.check_zone_subnets(&plan, &path)?;
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ec2.Vpc")?;
        let name_tag = self
            .name
            .clone()
            .unwrap_or_else(|| path.as_str().to_owned());

        let resource = stack.add(
            node,
            "Resource",
            CfnVPC {
                cidr_block: Some(Value::Lit(plan.cidr.to_string())),
                enable_dns_hostnames: Some(Value::Lit(self.dns_hostnames)),
                enable_dns_support: Some(Value::Lit(self.dns_support)),
                instance_tenancy: Some(Value::Lit(vpc::InstanceTenancy::Default)),
                tags: Some(Value::Lit(vec![Value::Lit(vpc::Tag::new(
                    "Name",
                    name_tag.clone(),
                ))])),
                ..CfnVPC::default()
            },
        )?;
        let vpc_id = resource.reference();

        // Subnets, their route tables and associations.
        let mut subnets: Vec<Subnet> = Vec::new();
        for planned in &plan.subnets {
            let scope = stack.scope_of_type(node, &planned.construct_id, "ecscdk.ec2.Subnet")?;
            let subnet_path = stack.path(scope).as_str().to_owned();
            let group = &planned.group;
            let cfn_subnet = stack.add(
                scope,
                "Subnet",
                CfnSubnet {
                    availability_zone: Some(planned.az.clone()),
                    cidr_block: Some(Value::Lit(planned.cidr.to_string())),
                    map_public_ip_on_launch: Some(Value::Lit(planned.map_public_ip)),
                    tags: Some(Value::Lit(vec![
                        Value::Lit(subnet::Tag::new("aws-cdk:subnet-name", group.name.clone())),
                        Value::Lit(subnet::Tag::new(
                            "aws-cdk:subnet-type",
                            group.subnet_type.default_name(),
                        )),
                        Value::Lit(subnet::Tag::new("Name", subnet_path.clone())),
                    ])),
                    ..CfnSubnet::new(vpc_id.clone())
                },
            )?;
            let table = stack.add(
                scope,
                "RouteTable",
                CfnRouteTable {
                    tags: Some(Value::Lit(vec![Value::Lit(route_table::Tag::new(
                        "Name",
                        subnet_path,
                    ))])),
                    ..CfnRouteTable::new(vpc_id.clone())
                },
            )?;
            let association = stack.add(
                scope,
                "RouteTableAssociation",
                CfnSubnetRouteTableAssociation::new(table.reference(), cfn_subnet.reference()),
            )?;
            subnets.push(Subnet::from(SubnetData {
                subnet_id: cfn_subnet.reference().into(),
                availability_zone: planned.az.clone(),
                az_index: planned.az_index,
                route_table_id: Some(table.reference().into()),
                subnet_type: group.subnet_type,
                group_name: group.name.clone(),
                cidr: Some(planned.cidr.to_string()),
                resource: Some(cfn_subnet),
                route_table: Some(table),
                internet_connectivity: vec![association.untyped()],
                location: SubnetLocation::AvailabilityZone,
            }));
        }

        // The internet gateway, the public default routes, the NAT gateways
        // and the private default routes.
        let mut internet_gateway = None;
        let mut internet_connectivity = Vec::new();
        let mut nat_gateways: Vec<(usize, CfnNatGatewayRef)> = Vec::new();
        if plan.internet_gateway {
            let igw = stack.add(
                node,
                "IGW",
                CfnInternetGateway {
                    tags: Some(Value::Lit(vec![Value::Lit(internet_gateway::Tag::new(
                        "Name",
                        name_tag.clone(),
                    ))])),
                },
            )?;
            let attachment = stack.add(
                node,
                "VPCGW",
                CfnVPCGatewayAttachment {
                    internet_gateway_id: Some(igw.reference().into()),
                    ..CfnVPCGatewayAttachment::new(vpc_id.clone())
                },
            )?;
            internet_gateway = Some(igw);
            internet_connectivity = vec![igw.untyped(), attachment.untyped()];
            let mut nats_left = plan.nat_gateways;
            for (planned, subnet) in plan.subnets.iter().zip(subnets.iter_mut()) {
                if subnet.subnet_type != SubnetType::Public {
                    continue;
                }
                let (Some(scope), Some(table)) =
                    (stack.child(node, &planned.construct_id), subnet.route_table)
                else {
                    continue;
                };
                let route = stack.add(
                    scope,
                    "DefaultRoute",
                    CfnRoute {
                        destination_cidr_block: Some(Value::Lit("0.0.0.0/0".to_owned())),
                        gateway_id: Some(igw.reference().into()),
                        ..CfnRoute::new(table.reference())
                    },
                )?;
                stack.resource_options(route)?.depends_on(attachment);
                subnet.internet_connectivity.push(route.untyped());
                if nats_left > 0 {
                    nats_left -= 1;
                    let subnet_path = stack.path(scope).as_str().to_owned();
                    let eip = stack.add(
                        scope,
                        "EIP",
                        CfnEIP {
                            domain: Some(Value::Lit("vpc".to_owned())),
                            tags: Some(Value::Lit(vec![Value::Lit(eip::Tag::new(
                                "Name",
                                subnet_path.clone(),
                            ))])),
                            ..CfnEIP::default()
                        },
                    )?;
                    let nat = stack.add(
                        scope,
                        "NATGateway",
                        CfnNatGateway {
                            allocation_id: Some(eip.attr_allocation_id().into()),
                            subnet_id: Some(subnet.subnet_id.clone()),
                            tags: Some(Value::Lit(vec![Value::Lit(nat_gateway::Tag::new(
                                "Name",
                                subnet_path,
                            ))])),
                            ..CfnNatGateway::default()
                        },
                    )?;
                    let options = stack.resource_options(nat)?;
                    for dep in &subnet.internet_connectivity {
                        options.depends_on(*dep);
                    }
                    nat_gateways.push((subnet.az_index, nat));
                }
            }
            // Each private subnet routes to the gateway of its zone, or else
            // to the others in turn (the CDK's `PrefSet.pick`).
            let mut round_robin = 0usize;
            for (planned, subnet) in plan.subnets.iter().zip(subnets.iter_mut()) {
                if subnet.subnet_type != SubnetType::PrivateWithEgress || nat_gateways.is_empty() {
                    continue;
                }
                let (Some(scope), Some(table)) =
                    (stack.child(node, &planned.construct_id), subnet.route_table)
                else {
                    continue;
                };
                let same_zone = nat_gateways.iter().find(|(az, _)| *az == subnet.az_index);
                let chosen = same_zone.or_else(|| {
                    let i = round_robin % nat_gateways.len();
                    round_robin += 1;
                    nat_gateways.get(i)
                });
                let Some(&(_, nat)) = chosen else { continue };
                let route = stack.add(
                    scope,
                    "DefaultRoute",
                    CfnRoute {
                        destination_cidr_block: Some(Value::Lit("0.0.0.0/0".to_owned())),
                        nat_gateway_id: Some(nat.reference().into()),
                        ..CfnRoute::new(table.reference())
                    },
                )?;
                subnet.internet_connectivity.push(route.untyped());
            }
        }

        let mut groups: Vec<(String, SubnetType)> = plan
            .groups
            .iter()
            .filter(|g| !g.reserved)
            .map(|g| (g.name.clone(), g.subnet_type))
            .collect();
        if !self.zone_subnets.is_empty() {
            let gateways = ZoneGateways {
                vpc_id: vpc_id.clone().into(),
                internet_gateway,
                internet_connectivity: internet_connectivity.clone(),
                nat_gateway: nat_gateways.first().map(|(_, n)| *n),
                name_tag: name_tag.clone(),
            };
            for subnet in self.add_zone_subnets(stack, node, &gateways)? {
                if !groups.iter().any(|(n, _)| n == &subnet.group_name) {
                    groups.push((subnet.group_name.clone(), subnet.subnet_type));
                }
                subnets.push(subnet);
            }
        }

        let built = Vpc(Arc::new(VpcInner {
            path: path.clone(),
            node,
            resource: Some(resource),
            vpc_id: vpc_id.into(),
            cidr_block: Some(Value::Lit(plan.cidr.to_string())),
            availability_zones: plan.zones.clone(),
            subnets,
            groups,
            internet_gateway,
            internet_connectivity,
            nat_gateways: nat_gateways.into_iter().map(|(_, n)| n).collect(),
            private_dns: self.dns_hostnames && self.dns_support,
            name_tag: name_tag.clone(),
        }));

        for request in &self.endpoints {
            match request {
                EndpointRequest::Gateway(id, service) => {
                    built.add_gateway_endpoint(stack, id, *service)?;
                }
                EndpointRequest::Interface(id, service) => {
                    built.add_interface_endpoint(stack, id, service.clone())?;
                }
            }
        }
        if self.flow_logs {
            flow_log::add(
                stack,
                node,
                built.vpc_id(),
                &name_tag,
                self.flow_log_retention,
                self.flow_log_traffic,
            )?;
        }
        if self.restrict_default_security_group {
            restrict_default_sg::add(stack, node, resource)?;
        }
        Ok(built)
    }

    /// Checks the zone subnets against the planned VPC: names, ranges,
    /// zones, and the gateways their routes need; collects every problem.
    fn check_zone_subnets(&self, plan: &Plan, path: &ConstructPath) -> Result<()> {
        let mut errors = Vec::new();
        let invalid = |reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: "zone_subnet".to_owned(),
            reason,
        };
        let mut taken: Vec<(Cidr, String)> = plan
            .subnets
            .iter()
            .map(|p| (p.cidr, p.construct_id.clone()))
            .collect();
        for (i, z) in self.zone_subnets.iter().enumerate() {
            let label = format!("zone subnet {:?} ({})", z.name, z.zone());
            if z.zone().trim().is_empty() {
                errors.push(invalid(format!(
                    "{label} names no zone; give the zone's name, e.g. `us-west-2-lax-1a`"
                )));
            }
            if plan.groups.iter().any(|g| g.name == z.name) {
                errors.push(invalid(format!(
                    "{label} takes the name of a subnet group of the Region's zones; give zone subnets a name of their own"
                )));
            }
            if let Some(other) = self.zone_subnets[..i]
                .iter()
                .find(|o| o.name == z.name && o.subnet_type != z.subnet_type)
            {
                errors.push(invalid(format!(
                    "{label} is {} but an earlier subnet of its group is {}; one group has one type",
                    z.subnet_type.default_name(),
                    other.subnet_type.default_name()
                )));
            }
            match Cidr::parse(&z.cidr) {
                Err(reason) => errors.push(invalid(format!("{label}: {reason}"))),
                Ok(c) if !(16..=28).contains(&c.mask) || c.has_host_bits() => {
                    errors.push(invalid(format!(
                        "{label}: {} is not a /16 to /28 block without host bits (e.g. {})",
                        z.cidr,
                        c.canonical()
                    )));
                }
                Ok(c) => {
                    if u64::from(c.address) < u64::from(plan.cidr.address)
                        || c.last() > plan.cidr.last()
                    {
                        errors.push(invalid(format!(
                            "{label}: {c} is outside the VPC's range {}",
                            plan.cidr
                        )));
                    } else if let Some((_, other)) = taken.iter().find(|(t, _)| {
                        u64::from(t.address) <= c.last() && u64::from(c.address) <= t.last()
                    }) {
                        errors.push(invalid(format!(
                            "{label}: {c} overlaps the range of subnet {other}; pick free addresses of the VPC's range (the default layout fills it: give the subnet groups a `cidr_mask` to leave room)"
                        )));
                    }
                    taken.push((c, label.clone()));
                }
            }
            match (&z.location, z.subnet_type) {
                (SubnetLocation::WavelengthZone(_), SubnetType::PrivateWithEgress) => {
                    errors.push(invalid(format!(
                        "{label}: a Wavelength Zone has no NAT gateways, so no private subnet with egress; use SubnetType::Public (through a carrier gateway) or SubnetType::Isolated"
                    )));
                }
                (SubnetLocation::WavelengthZone(_), _) | (_, SubnetType::Isolated) => {}
                (_, SubnetType::Public) if !plan.internet_gateway => {
                    errors.push(Error::Missing {
                        path: path.clone(),
                        what: "internet gateway",
                        fix: "a public Local Zone or Outpost subnet routes to the VPC's internet gateway: give the VPC a public subnet group",
                    });
                }
                (_, SubnetType::PrivateWithEgress) if plan.nat_gateways == 0 => {
                    errors.push(Error::Missing {
                        path: path.clone(),
                        what: "NAT gateway",
                        fix: "a private Local Zone or Outpost subnet with egress routes to a NAT gateway of the VPC: give the VPC `nat_gateways(1)` or more, or make the subnet isolated",
                    });
                }
                _ => {}
            }
        }
        match Error::from_list(errors) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Adds the zone subnets (checked by `check_zone_subnets`), each with its
    /// route table, association and default route, and the carrier gateway
    /// when a Wavelength subnet is public.
    fn add_zone_subnets(
        &self,
        stack: &mut Stack,
        node: NodeId,
        gateways: &ZoneGateways,
    ) -> Result<Vec<Subnet>> {
        let mut carrier_gateway = None;
        let mut zones: Vec<&str> = Vec::new();
        let mut built: Vec<Subnet> = Vec::new();
        for z in &self.zone_subnets {
            let index = built.iter().filter(|s| s.group_name == z.name).count() + 1;
            let zone_index = match zones.iter().position(|n| *n == z.zone()) {
                Some(i) => i,
                None => {
                    zones.push(z.zone());
                    zones.len() - 1
                }
            };
            let cidr = Cidr::parse(&z.cidr)
                .map_err(|reason| Error::InvalidProperty {
                    path: stack.path(node),
                    property: "zone_subnet".to_owned(),
                    reason,
                })?
                .to_string();
            let scope = stack.scope_of_type(
                node,
                &format!("{}Subnet{index}", z.name),
                "ecscdk.ec2.Subnet",
            )?;
            let subnet_path = stack.path(scope).as_str().to_owned();
            let public = z.subnet_type == SubnetType::Public;
            let wavelength = matches!(z.location, SubnetLocation::WavelengthZone(_));
            let cfn_subnet = stack.add(
                scope,
                "Subnet",
                CfnSubnet {
                    availability_zone: Some(Value::from(z.zone())),
                    cidr_block: Some(Value::Lit(cidr.clone())),
                    // Wavelength instances get carrier IPs from their network
                    // interface, not public IPs from the subnet.
                    map_public_ip_on_launch: Some(Value::Lit(public && !wavelength)),
                    outpost_arn: match &z.location {
                        SubnetLocation::Outpost { outpost_arn, .. } => Some(outpost_arn.clone()),
                        _ => None,
                    },
                    tags: Some(Value::Lit(vec![
                        Value::Lit(subnet::Tag::new("aws-cdk:subnet-name", z.name.clone())),
                        Value::Lit(subnet::Tag::new(
                            "aws-cdk:subnet-type",
                            z.subnet_type.default_name(),
                        )),
                        Value::Lit(subnet::Tag::new("Name", subnet_path.clone())),
                    ])),
                    ..CfnSubnet::new(gateways.vpc_id.clone())
                },
            )?;
            let table = stack.add(
                scope,
                "RouteTable",
                CfnRouteTable {
                    tags: Some(Value::Lit(vec![Value::Lit(route_table::Tag::new(
                        "Name",
                        subnet_path,
                    ))])),
                    ..CfnRouteTable::new(gateways.vpc_id.clone())
                },
            )?;
            let association = stack.add(
                scope,
                "RouteTableAssociation",
                CfnSubnetRouteTableAssociation::new(table.reference(), cfn_subnet.reference()),
            )?;
            let mut connectivity = vec![association.untyped()];
            let default_route = |target: CfnRoute| CfnRoute {
                destination_cidr_block: Some(Value::Lit("0.0.0.0/0".to_owned())),
                ..target
            };
            let route = match (z.subnet_type, wavelength) {
                (SubnetType::Public, true) => {
                    let cgw = match carrier_gateway {
                        Some(c) => c,
                        None => {
                            let c = stack.add(
                                node,
                                "CarrierGateway",
                                CfnCarrierGateway {
                                    tags: Some(Value::Lit(vec![Value::Lit(
                                        carrier_gateway::Tag {
                                            key: Some(Value::from("Name")),
                                            value: Some(Value::from(gateways.name_tag.as_str())),
                                        },
                                    )])),
                                    ..CfnCarrierGateway::new(gateways.vpc_id.clone())
                                },
                            )?;
                            carrier_gateway = Some(c);
                            c
                        }
                    };
                    Some(stack.add(
                        scope,
                        "DefaultRoute",
                        default_route(CfnRoute {
                            carrier_gateway_id: Some(cgw.reference().into()),
                            ..CfnRoute::new(table.reference())
                        }),
                    )?)
                }
                (SubnetType::Public, false) => match gateways.internet_gateway {
                    Some(igw) => {
                        let route = stack.add(
                            scope,
                            "DefaultRoute",
                            default_route(CfnRoute {
                                gateway_id: Some(igw.reference().into()),
                                ..CfnRoute::new(table.reference())
                            }),
                        )?;
                        let options = stack.resource_options(route)?;
                        for dep in &gateways.internet_connectivity {
                            if dep.node() != igw.untyped().node() {
                                options.depends_on(*dep);
                            }
                        }
                        Some(route)
                    }
                    None => None,
                },
                (SubnetType::PrivateWithEgress, false) => match gateways.nat_gateway {
                    Some(nat) => Some(stack.add(
                        scope,
                        "DefaultRoute",
                        default_route(CfnRoute {
                            nat_gateway_id: Some(nat.reference().into()),
                            ..CfnRoute::new(table.reference())
                        }),
                    )?),
                    None => None,
                },
                _ => None,
            };
            if let Some(route) = route {
                connectivity.push(route.untyped());
            }
            built.push(Subnet::from(SubnetData {
                subnet_id: cfn_subnet.reference().into(),
                availability_zone: Value::from(z.zone()),
                az_index: 1000 + zone_index,
                route_table_id: Some(table.reference().into()),
                subnet_type: z.subnet_type,
                group_name: z.name.clone(),
                cidr: Some(cidr),
                resource: Some(cfn_subnet),
                route_table: Some(table),
                internet_connectivity: connectivity,
                location: z.location.clone(),
            }));
        }
        Ok(built)
    }

    /// Checks the configuration and computes zones, ranges and gateways,
    /// collecting every problem.
    fn plan(&self, stack: &Stack, path: &ConstructPath) -> Result<Plan> {
        let mut errors = Vec::new();
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };

        let vpc_cidr = match Cidr::parse(&self.cidr) {
            Ok(c) if !(cidr::MIN_MASK..=cidr::MAX_MASK).contains(&c.mask) => {
                errors.push(invalid(
                    "cidr",
                    format!(
                        "{c} is a /{}; a VPC's range is /16 (65,536 addresses) to /28 (16)",
                        c.mask
                    ),
                ));
                None
            }
            Ok(c) if c.has_host_bits() => {
                errors.push(invalid(
                    "cidr",
                    format!(
                        "{} has bits set after its /{} prefix; write it as {}",
                        self.cidr,
                        c.mask,
                        c.canonical()
                    ),
                ));
                None
            }
            Ok(c) => Some(c),
            Err(reason) => {
                errors.push(invalid("cidr", reason));
                None
            }
        };

        // Availability Zones.
        let region = stack.environment().region().map(str::to_owned);
        let zones: Vec<Value<String>> = match (&self.availability_zones, self.max_azs) {
            (Some(_), Some(_)) => {
                errors.push(Error::Conflict {
                    path: path.clone(),
                    first: "max_azs",
                    second: "availability_zones",
                    fix: "give either a zone count or the zones themselves",
                });
                Vec::new()
            }
            (Some(names), None) => {
                if names.is_empty() {
                    errors.push(invalid(
                        "availability_zones",
                        "no zone is given; list at least one zone such as `us-east-1a`".to_owned(),
                    ));
                }
                if names.len() > MAX_AZS {
                    errors.push(invalid(
                        "availability_zones",
                        format!(
                            "{} zones are listed, and no region has more than {MAX_AZS}; list the region's zones you want, at most {MAX_AZS}",
                            names.len()
                        ),
                    ));
                }
                for (i, name) in names.iter().enumerate().take(MAX_AZS) {
                    if names.get(..i).is_some_and(|before| before.contains(name)) {
                        errors.push(invalid(
                            "availability_zones",
                            format!("{name:?} is listed twice; list each zone once"),
                        ));
                    }
                    if let Some(region) = &region
                        && !(name.len() > region.len() && name.starts_with(region.as_str()))
                    {
                        errors.push(invalid(
                            "availability_zones",
                            format!(
                                "{name:?} is not a zone of the stack's region {region}; zones are named after their region (`{region}a`)"
                            ),
                        ));
                    }
                }
                // Past the bound the build fails; the rest checks what fits.
                names
                    .iter()
                    .take(MAX_AZS)
                    .map(|n| Value::Lit(n.clone()))
                    .collect()
            }
            (None, count) => {
                let count = count.unwrap_or(DEFAULT_MAX_AZS);
                if count == 0 {
                    errors.push(invalid(
                        "max_azs",
                        "0 zones leave the VPC without subnets; span at least 1 zone (2 for high availability)".to_owned(),
                    ));
                }
                if count > MAX_AZS {
                    errors.push(invalid(
                        "max_azs",
                        format!(
                            "{count} zones: no region has more than {MAX_AZS}; span at most {MAX_AZS} (the zones are chosen at deploy, so the region must have that many)"
                        ),
                    ));
                }
                let env = stack.environment();
                let lookup = match (env.account(), env.region()) {
                    (Some(account), Some(region)) if !self.zones_at_deploy_time => {
                        Some(availability_zones_query(account, region))
                    }
                    _ => None,
                };
                (0..count.min(MAX_AZS))
                    .map(|i| match &lookup {
                        // The CDK's `Stack.availabilityZones` with a concrete
                        // environment: the looked-up zones, in their order.
                        Some(query) => Value::from(Expr::<String>::from_context_item(
                            query.clone(),
                            i,
                            format!(
                                "the region has fewer zones than the VPC spans ({count}); span fewer (`max_azs`) or name the zones (`availability_zones`)"
                            ),
                        )),
                        None => Value::from(Expr::<String>::select(
                            i64::try_from(i).unwrap_or(i64::MAX),
                            Expr::get_azs(),
                        )),
                    })
                    .collect()
            }
        };
        let zone_count = zones.len();

        // Subnet groups.
        let groups: Vec<SubnetConfiguration> = match &self.subnets {
            Some(groups) => groups.clone(),
            None if self.nat_gateways == Some(0) => vec![
                SubnetConfiguration::default_for(SubnetType::Public),
                SubnetConfiguration::default_for(SubnetType::Isolated),
            ],
            None => vec![
                SubnetConfiguration::default_for(SubnetType::Public),
                SubnetConfiguration::default_for(SubnetType::PrivateWithEgress),
            ],
        };
        for (i, g) in groups.iter().enumerate() {
            if g.name.is_empty() || g.name.contains('/') {
                errors.push(invalid(
                    "subnet_group",
                    format!(
                        "group name {:?} cannot name subnets (`{{name}}Subnet1`); use a non-empty name without `/`",
                        g.name
                    ),
                ));
            }
            if groups
                .get(..i)
                .is_some_and(|before| before.iter().any(|b| b.name == g.name))
            {
                errors.push(invalid(
                    "subnet_group",
                    format!(
                        "two groups are named {:?}; give each group its own name",
                        g.name
                    ),
                ));
            }
            if let Some(mask) = g.cidr_mask {
                if !(cidr::MIN_MASK..=cidr::MAX_MASK).contains(&mask) {
                    errors.push(invalid(
                        "cidr_mask",
                        format!(
                            "group {:?} asks for /{mask} subnets; a subnet is /16 to /28",
                            g.name
                        ),
                    ));
                } else if let Some(v) = vpc_cidr
                    && mask < v.mask
                {
                    errors.push(invalid(
                        "cidr_mask",
                        format!(
                            "group {:?} asks for /{mask} subnets, larger than the VPC's /{}; use a mask of {} or more",
                            g.name, v.mask, v.mask
                        ),
                    ));
                }
            }
            if g.map_public_ip_on_launch.is_some() && g.subnet_type != SubnetType::Public {
                errors.push(Error::Unsupported {
                    path: path.clone(),
                    setting: "map_public_ip_on_launch",
                    situation: "on a subnet group that is not public",
                    fix: "only public subnets can give instances a public IP; drop the setting or make the group public",
                });
            }
        }
        let active = |t: SubnetType| groups.iter().any(|g| g.subnet_type == t && !g.reserved);
        let has_private = active(SubnetType::PrivateWithEgress);
        let has_public = active(SubnetType::Public);

        // NAT gateways (the CDK's `determineNatGatewayCount`).
        let nat_gateways = match self.nat_gateways {
            Some(n) => n.min(zone_count),
            None if has_private => zone_count,
            None => 0,
        };
        if nat_gateways == 0 && has_private && zone_count > 0 {
            errors.push(invalid(
                "nat_gateways",
                "private subnets with egress need a NAT gateway; set `nat_gateways` to 1 or more, or make the group `Isolated` (add `fargate_endpoints()` so tasks there can pull images and write logs)".to_owned(),
            ));
        }
        if nat_gateways > 0 && !has_public {
            errors.push(Error::Missing {
                path: path.clone(),
                what: "a public subnet group",
                fix: "NAT gateways are placed in public subnets; add a `Public` group or set `nat_gateways(0)`",
            });
        }
        if self.dns_hostnames && !self.dns_support {
            errors.push(Error::Conflict {
                path: path.clone(),
                first: "enable_dns_hostnames",
                second: "enable_dns_support(false)",
                fix: "DNS hostnames need DNS support; turn both on or both off",
            });
        }
        if !(self.dns_hostnames && self.dns_support)
            && self
                .endpoints
                .iter()
                .any(|e| matches!(e, EndpointRequest::Interface(..)))
        {
            errors.push(Error::Unsupported {
                path: path.clone(),
                setting: "interface_endpoint",
                situation: "with DNS support or hostnames turned off",
                fix: "interface endpoints answer under the services' own names through private DNS, which needs DNS support and hostnames; turn both on",
            });
        }

        // Ranges.
        let mut requests = Vec::new();
        for g in &groups {
            for _ in 0..zone_count {
                requests.push(g.cidr_mask);
            }
        }
        let mut planned = Vec::new();
        if let Some(v) = vpc_cidr
            && errors.is_empty()
        {
            match cidr::allocate(v, &requests) {
                Ok(blocks) => {
                    let mut blocks = blocks.into_iter();
                    for g in &groups {
                        for (az_index, az) in zones.iter().enumerate() {
                            let Some(block) = blocks.next() else { break };
                            if g.reserved {
                                continue;
                            }
                            planned.push(PlannedSubnet {
                                construct_id: format!("{}Subnet{}", g.name, az_index + 1),
                                group: g.clone(),
                                az: az.clone(),
                                az_index,
                                cidr: block,
                                map_public_ip: g.subnet_type == SubnetType::Public
                                    && g.map_public_ip_on_launch.unwrap_or(true),
                            });
                        }
                    }
                }
                Err(AllocationError::NoRoom { mask, vpc }) => errors.push(invalid(
                    "subnet_group",
                    format!(
                        "the subnets do not fit in {vpc}: no room is left for a /{mask}; use a larger VPC range, larger masks, fewer zones or fewer groups"
                    ),
                )),
                Err(AllocationError::TooSmall { count, remaining }) => errors.push(invalid(
                    "subnet_group",
                    format!(
                        "{count} subnets without a `cidr_mask` share the {remaining} addresses left in {v}, less than a /28 each; use a larger VPC range, give masks, or use fewer zones or groups"
                    ),
                )),
            }
        }
        if let Some(e) = Error::from_list(errors) {
            return Err(e);
        }
        let internet_gateway = groups
            .iter()
            .any(|g| g.subnet_type != SubnetType::Isolated && !g.reserved);
        Ok(Plan {
            cidr: vpc_cidr.unwrap_or(Cidr {
                address: 0,
                mask: 16,
            }),
            zones,
            groups,
            subnets: planned,
            nat_gateways,
            internet_gateway,
        })
    }
}

/// What `build` creates, decided before anything is added.
struct Plan {
    cidr: Cidr,
    zones: Vec<Value<String>>,
    groups: Vec<SubnetConfiguration>,
    subnets: Vec<PlannedSubnet>,
    nat_gateways: usize,
    internet_gateway: bool,
}

/// What the zone subnets' routes point at.
struct ZoneGateways {
    vpc_id: Value<String>,
    internet_gateway: Option<CfnInternetGatewayRef>,
    internet_connectivity: Vec<ResourceRef>,
    nat_gateway: Option<CfnNatGatewayRef>,
    name_tag: String,
}

struct PlannedSubnet {
    construct_id: String,
    group: SubnetConfiguration,
    az: Value<String>,
    az_index: usize,
    cidr: Cidr,
    map_public_ip: bool,
}

/// What is known of a VPC created outside the app, for
/// [`Vpc::from_attributes`]. Subnets are listed group by group; within a
/// group, zone by zone in the order of `availability_zones` (subnet `i` is in
/// zone `i % zones`).
///
/// ```
/// use ecscdk::ec2::VpcAttributes;
/// let attrs = VpcAttributes::new("vpc-0abc", ["us-east-1a", "us-east-1b"])
///     .cidr_block("10.1.0.0/16")
///     .public_subnet_ids(["subnet-1", "subnet-2"])
///     .private_subnet_ids(["subnet-3", "subnet-4"]);
/// # let _ = attrs;
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct VpcAttributes {
    vpc_id: Value<String>,
    availability_zones: Vec<Value<String>>,
    cidr_block: Option<Value<String>>,
    groups: Vec<ImportedSubnetGroup>,
}

/// A group of subnets of an imported VPC.
#[derive(Debug, Clone)]
#[must_use]
pub struct ImportedSubnetGroup {
    name: String,
    subnet_type: SubnetType,
    subnet_ids: Vec<Value<String>>,
    route_table_ids: Option<Vec<Value<String>>>,
}

impl ImportedSubnetGroup {
    /// A group called `name` of subnets of `subnet_type`, by id.
    pub fn new<V: Into<Value<String>>>(
        name: impl Into<String>,
        subnet_type: SubnetType,
        subnet_ids: impl IntoIterator<Item = V>,
    ) -> Self {
        Self {
            name: name.into(),
            subnet_type,
            subnet_ids: subnet_ids.into_iter().map(Into::into).collect(),
            route_table_ids: None,
        }
    }

    /// The route tables of the subnets, one per subnet in the same order
    /// (gateway endpoints need them).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: none (unknown; a gateway endpoint in the VPC is then
    /// an error).
    pub fn route_table_ids<V: Into<Value<String>>>(
        mut self,
        ids: impl IntoIterator<Item = V>,
    ) -> Self {
        self.route_table_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }
}

impl VpcAttributes {
    /// A VPC `vpc_id` whose subnets are in `availability_zones`.
    pub fn new<V: Into<Value<String>>>(
        vpc_id: impl Into<Value<String>>,
        availability_zones: impl IntoIterator<Item = V>,
    ) -> Self {
        Self {
            vpc_id: vpc_id.into(),
            availability_zones: availability_zones.into_iter().map(Into::into).collect(),
            cidr_block: None,
            groups: Vec::new(),
        }
    }

    /// The VPC's IPv4 range (interface endpoints open their port to it).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: none (unknown; an interface endpoint in the VPC is
    /// then an error).
    pub fn cidr_block(mut self, cidr: impl Into<Value<String>>) -> Self {
        self.cidr_block = Some(cidr.into());
        self
    }

    /// The public subnets, as the group `Public`.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: none (no such group).
    pub fn public_subnet_ids<V: Into<Value<String>>>(
        self,
        ids: impl IntoIterator<Item = V>,
    ) -> Self {
        self.subnet_group(ImportedSubnetGroup::new("Public", SubnetType::Public, ids))
    }

    /// The private subnets with egress, as the group `Private`.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: none (no such group).
    pub fn private_subnet_ids<V: Into<Value<String>>>(
        self,
        ids: impl IntoIterator<Item = V>,
    ) -> Self {
        self.subnet_group(ImportedSubnetGroup::new(
            "Private",
            SubnetType::PrivateWithEgress,
            ids,
        ))
    }

    /// The isolated subnets, as the group `Isolated`.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: none (no such group).
    pub fn isolated_subnet_ids<V: Into<Value<String>>>(
        self,
        ids: impl IntoIterator<Item = V>,
    ) -> Self {
        self.subnet_group(ImportedSubnetGroup::new(
            "Isolated",
            SubnetType::Isolated,
            ids,
        ))
    }

    /// Adds a group of subnets.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: no groups (the VPC has no subnets to select).
    pub fn subnet_group(mut self, group: ImportedSubnetGroup) -> Self {
        self.groups.push(group);
        self
    }
}

/// The CDK's lookup of the Availability Zones an account sees in a region
/// (`Stack.availabilityZones`; the CDK CLI keeps the zones that
/// `DescribeAvailabilityZones` reports `available`, in its order).
#[must_use]
pub fn availability_zones_query(account: &str, region: &str) -> ContextQuery {
    ContextQuery::new(
        AVAILABILITY_ZONES_PROVIDER,
        [("account", account), ("region", region)],
        format!("the Availability Zones of account {account} in {region}"),
        serde_json::json!([
            format!("{region}a"),
            format!("{region}b"),
            format!("{region}c")
        ]),
    )
}

/// The CDK's name of the Availability Zones lookup
/// (`ContextProvider.AVAILABILITY_ZONE_PROVIDER`).
pub const AVAILABILITY_ZONES_PROVIDER: &str = "availability-zones";
