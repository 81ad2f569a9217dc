//! Amazon EC2 networking: VPCs, subnets, security groups and connections.
//!
//! [`Vpc`] builds the AWS CDK's VPC layout with the same construct ids, so a
//! port of a CDK app keeps its logical IDs; [`SubnetSelection`] picks the
//! subnets a load balancer or service goes in; [`SecurityGroup`] and
//! [`Connections`] write typed rules ([`Peer`], [`Port`]).
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ec2::{Port, SecurityGroup, SubnetSelection, Vpc};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
//! let vpc = Vpc::builder("Vpc").max_azs(2).nat_gateways(1).build(&mut stack)?;
//!
//! let lb = SecurityGroup::builder("LbSecurityGroup", &vpc).allow_all_outbound(false).build(&mut stack)?;
//! lb.connections().allow_from_any_ipv4(&mut stack, Port::tcp(80), Some("HTTP from anywhere"))?;
//! let tasks = SecurityGroup::builder("TaskSecurityGroup", &vpc).build(&mut stack)?;
//! tasks.connections().allow_from(&mut stack, &lb, Port::tcp(8080), Some("Load balancer to target"))?;
//!
//! let public = vpc.select_subnets(&SubnetSelection::public())?;
//! stack.output("PublicSubnets", Expr::join(",", public.subnet_ids()))?;
//! # Ok(()) }
//! ```

mod cidr;
mod connections;
mod endpoint;
mod flow_log;
mod peer;
mod port;
mod restrict_default_sg;
mod security_group;
mod subnet;
mod vpc;

pub use connections::{Connectable, Connections};

use crate::Error;
use crate::synth::ConstructPath;

/// The error for a construct of one stack changed through another stack.
fn wrong_stack(path: &ConstructPath, property: &str, what: &str, given: &str) -> Error {
    let owner = path.as_str().split('/').next().unwrap_or_default();
    Error::InvalidProperty {
        path: path.clone(),
        property: property.to_owned(),
        reason: format!(
            "{what} belongs to stack `{owner}`, but stack `{given}` was given; pass `{owner}`, where its resources are written"
        ),
    }
}

/// `n` followed by `word`, pluralized.
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
pub use endpoint::{GatewayEndpointService, InterfaceEndpointService, VpcEndpoint};
pub use flow_log::FlowLogTraffic;
pub use peer::Peer;
pub use port::{Port, Protocol};
pub use security_group::{ImportedSecurityGroupBuilder, SecurityGroup, SecurityGroupBuilder};
pub use subnet::{
    SelectedSubnets, Subnet, SubnetConfiguration, SubnetData, SubnetLocation, SubnetSelection,
    SubnetType, ZoneSubnet,
};
pub use vpc::{
    AVAILABILITY_ZONES_PROVIDER, DEFAULT_CIDR, DEFAULT_MAX_AZS, ImportedSubnetGroup, MAX_AZS, Vpc,
    VpcAttributes, VpcBuilder, availability_zones_query,
};
