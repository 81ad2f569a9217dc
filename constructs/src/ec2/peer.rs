//! `Peer`: the other end of a security group rule.

use crate::ec2::SecurityGroup;
use crate::ec2::cidr::Cidr;
use crate::synth::{Operand, Value};

/// The other end of a security group rule: an address range, a managed
/// prefix list or a security group.
///
/// ```
/// use ecscdk::ec2::Peer;
/// let office = Peer::ipv4("203.0.113.0/24");
/// let anyone = Peer::any_ipv4();
/// # let _ = (office, anyone);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Peer {
    /// An IPv4 range in CIDR notation.
    Ipv4(Value<String>),
    /// An IPv6 range in CIDR notation.
    Ipv6(Value<String>),
    /// A managed prefix list, by id (`pl-…`).
    PrefixList(Value<String>),
    /// A security group: members of the group.
    SecurityGroup(SecurityGroup),
}

impl Peer {
    /// An IPv4 range (`10.0.0.0/16`; a single address is `/32`).
    pub fn ipv4(cidr: impl Into<Value<String>>) -> Self {
        Self::Ipv4(cidr.into())
    }

    /// Every IPv4 address (`0.0.0.0/0`).
    #[must_use]
    pub fn any_ipv4() -> Self {
        Self::ipv4("0.0.0.0/0")
    }

    /// An IPv6 range.
    pub fn ipv6(cidr: impl Into<Value<String>>) -> Self {
        Self::Ipv6(cidr.into())
    }

    /// Every IPv6 address (`::/0`).
    #[must_use]
    pub fn any_ipv6() -> Self {
        Self::ipv6("::/0")
    }

    /// A managed prefix list.
    pub fn prefix_list(id: impl Into<Value<String>>) -> Self {
        Self::PrefixList(id.into())
    }

    /// The members of a security group.
    #[must_use]
    pub fn security_group(group: &SecurityGroup) -> Self {
        Self::SecurityGroup(group.clone())
    }

    /// Whether the rule can be written inside the security group's own
    /// resource (address ranges and prefix lists) rather than as a resource
    /// of its own (security groups, which may be in another stack).
    pub(crate) fn inline(&self) -> bool {
        !matches!(self, Self::SecurityGroup(_))
    }

    /// The AWS CDK's `uniqueId` of the peer, for rule ids and default
    /// descriptions: the range or id, `{IndirectPeer}` when only known at
    /// deploy time, or a security group's unique id.
    pub(crate) fn unique_id(&self) -> String {
        match self {
            Self::Ipv4(v) | Self::Ipv6(v) | Self::PrefixList(v) => v
                .literal()
                .cloned()
                .unwrap_or_else(|| "{IndirectPeer}".to_owned()),
            Self::SecurityGroup(g) => g.unique_id().to_owned(),
        }
    }

    /// The peer's part of a default description: a literal, or the
    /// expression itself (the CDK joins a token into the text).
    pub(crate) fn description_part(&self) -> Value<String> {
        match self {
            Self::Ipv4(v) | Self::Ipv6(v) | Self::PrefixList(v) => v.clone(),
            Self::SecurityGroup(g) => Value::Lit(g.unique_id().to_owned()),
        }
    }

    /// Why a literal range is not acceptable, if it is not.
    pub(crate) fn problem(&self) -> Option<String> {
        match self {
            Self::Ipv4(Value::Lit(text)) => match Cidr::parse(text) {
                Err(reason) => Some(reason),
                Ok(c) if c.has_host_bits() => Some(format!(
                    "{text} has bits set after its /{} prefix; write it as {}",
                    c.mask,
                    c.canonical()
                )),
                Ok(_) => None,
            },
            Self::Ipv6(Value::Lit(text)) if !text.contains(':') || !text.contains('/') => Some(
                format!("{text:?} is not an IPv6 range in CIDR notation (`2001:db8::/32`)"),
            ),
            _ => None,
        }
    }

    /// The JSON of the range or group, for raw use.
    #[must_use]
    pub fn to_operand(&self) -> Operand {
        match self {
            Self::Ipv4(v) | Self::Ipv6(v) | Self::PrefixList(v) => v.clone().into(),
            Self::SecurityGroup(g) => g.group_id().into(),
        }
    }
}

impl From<&SecurityGroup> for Peer {
    fn from(group: &SecurityGroup) -> Self {
        Self::security_group(group)
    }
}

impl From<SecurityGroup> for Peer {
    fn from(group: SecurityGroup) -> Self {
        Self::SecurityGroup(group)
    }
}
