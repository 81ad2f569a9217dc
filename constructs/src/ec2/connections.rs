//! `Connections`: who may talk to whom, in terms of security groups, as the
//! AWS CDK's `Connections` does. Opening `a` to `b` writes the ingress rule on
//! `b`'s groups and the matching egress rule on `a`'s groups (skipped where
//! all outbound traffic is allowed).

use crate::ec2::security_group::Direction;
use crate::ec2::{Peer, Port, SecurityGroup};
use crate::synth::ConstructPath;
use crate::{Error, Result, Stack};

/// Something that has security groups (a service, a load balancer, an
/// endpoint) or is an address range.
pub trait Connectable {
    /// Its connections.
    fn connections(&self) -> Connections;
}

/// The security groups of a construct (or the address ranges a peer
/// stands for), and the port it serves on by default. Cheap to clone.
///
/// ```
/// use ecscdk::prelude::*;
/// use ecscdk::ec2::{Connectable, Port, SecurityGroup, Vpc};
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Web");
/// let vpc = Vpc::builder("Vpc").nat_gateways(1).build(&mut stack)?;
/// let lb = SecurityGroup::builder("Lb", &vpc).allow_all_outbound(false).build(&mut stack)?;
/// let service = SecurityGroup::builder("Service", &vpc).build(&mut stack)?;
/// // Ingress on the service's group from the load balancer's, and egress on
/// // the load balancer's group to the service's.
/// service.connections().allow_from(&mut stack, &lb, Port::tcp(80), Some("Load balancer to target"))?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Connections {
    groups: Vec<SecurityGroup>,
    peers: Vec<Peer>,
    default_port: Option<Port>,
    /// Set when the construct's security groups cannot be known here (an
    /// EC2 service in `bridge` mode whose instances are unknown): opening
    /// these connections is then an error naming the construct and the fix,
    /// rather than rules silently written nowhere.
    unknown: Option<(ConstructPath, &'static str)>,
}

impl Connections {
    /// The connections of these security groups.
    pub fn new(groups: impl IntoIterator<Item = SecurityGroup>) -> Self {
        Self {
            groups: groups.into_iter().collect(),
            peers: Vec::new(),
            default_port: None,
            unknown: None,
        }
    }

    /// The connections of the construct at `path` whose security groups
    /// cannot be known: every rule through them fails with
    /// [`Error::Missing`] carrying `fix`.
    pub(crate) fn unknown(path: ConstructPath, fix: &'static str) -> Self {
        Self {
            unknown: Some((path, fix)),
            ..Self::default()
        }
    }

    /// Whether the security groups are known (see `allow_from`'s errors).
    #[must_use]
    pub fn is_known(&self) -> bool {
        self.unknown.is_none()
    }

    /// An error when the groups are unknown.
    fn check_known(&self) -> Result<()> {
        match &self.unknown {
            None => Ok(()),
            Some((path, fix)) => Err(Error::Missing {
                path: path.clone(),
                what: "security groups",
                fix,
            }),
        }
    }

    /// The connections of an address range or prefix list (no group of its
    /// own: opening it only writes rules on the other side).
    #[must_use]
    pub fn from_peer(peer: Peer) -> Self {
        match peer {
            Peer::SecurityGroup(g) => Self::new([g]),
            other => Self {
                peers: vec![other],
                ..Self::default()
            },
        }
    }

    /// The port served by default (a service's container port, a load
    /// balancer's listener), for the `*_default_port_*` methods.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: none; the `*_default_port_*` methods then return an
    /// error.
    #[must_use]
    pub fn with_default_port(mut self, port: Port) -> Self {
        self.default_port = Some(port);
        self
    }

    /// Adds a security group.
    pub fn add_security_group(&mut self, group: SecurityGroup) {
        if !self.groups.contains(&group) {
            self.groups.push(group);
        }
    }

    /// The security groups.
    #[must_use]
    pub fn security_groups(&self) -> &[SecurityGroup] {
        &self.groups
    }

    /// The default port, if any.
    #[must_use]
    pub fn default_port(&self) -> Option<Port> {
        self.default_port
    }

    /// What a rule on the other side names: each group, then each range.
    fn rule_peers(&self) -> impl Iterator<Item = Peer> + '_ {
        self.groups
            .iter()
            .map(Peer::security_group)
            .chain(self.peers.iter().cloned())
    }

    /// Lets `other` reach these groups on `port`: ingress on each of these
    /// groups from each of `other`'s, and egress on each of `other`'s groups
    /// to each of these (unless it allows all outbound traffic). `stack` is
    /// the stack of these groups; when `other`'s groups are in another
    /// stack, their mirror rules are written here, as the AWS CDK does.
    ///
    /// `description` defaults to `from {peer}:{port}` / `to {peer}:{port}`.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a malformed range or port range, or
    /// when `stack` is not the groups' stack (or a rule would change the
    /// resource of a group of another stack); [`Error::Missing`] when either
    /// side's security groups are unknown (an EC2 service in `bridge` or
    /// `host` mode whose instances' groups cannot be known).
    pub fn allow_from(
        &self,
        stack: &mut Stack,
        other: &impl Connectable,
        port: Port,
        description: Option<&str>,
    ) -> Result<()> {
        let other = other.connections();
        self.check_known()?;
        other.check_known()?;
        for group in &self.groups {
            for peer in other.rule_peers() {
                group.add_rule(stack, Direction::In, &peer, port, description, false)?;
            }
        }
        for group in &other.groups {
            for peer in self.rule_peers() {
                group.add_rule(stack, Direction::Out, &peer, port, description, true)?;
            }
        }
        Ok(())
    }

    /// Lets these groups reach `other` on `port`: egress on each of these
    /// groups (unless it allows all outbound traffic) and ingress on each of
    /// `other`'s groups. `stack` is the stack of these groups.
    ///
    /// # Errors
    /// As [`allow_from`](Self::allow_from).
    pub fn allow_to(
        &self,
        stack: &mut Stack,
        other: &impl Connectable,
        port: Port,
        description: Option<&str>,
    ) -> Result<()> {
        let other = other.connections();
        self.check_known()?;
        other.check_known()?;
        for group in &self.groups {
            for peer in other.rule_peers() {
                group.add_rule(stack, Direction::Out, &peer, port, description, false)?;
            }
        }
        for group in &other.groups {
            for peer in self.rule_peers() {
                group.add_rule(stack, Direction::In, &peer, port, description, true)?;
            }
        }
        Ok(())
    }

    /// Lets any IPv4 address reach these groups on `port`.
    ///
    /// # Errors
    /// As [`allow_from`](Self::allow_from).
    pub fn allow_from_any_ipv4(
        &self,
        stack: &mut Stack,
        port: Port,
        description: Option<&str>,
    ) -> Result<()> {
        self.allow_from(stack, &Peer::any_ipv4(), port, description)
    }

    /// Lets the members of these groups reach each other on `port`.
    ///
    /// # Errors
    /// As [`allow_from`](Self::allow_from).
    pub fn allow_internally(
        &self,
        stack: &mut Stack,
        port: Port,
        description: Option<&str>,
    ) -> Result<()> {
        self.check_known()?;
        for group in &self.groups {
            for peer in self.rule_peers() {
                group.add_rule(stack, Direction::In, &peer, port, description, false)?;
                group.add_rule(stack, Direction::Out, &peer, port, description, false)?;
            }
        }
        Ok(())
    }

    /// Lets `other` reach these groups on their default port.
    ///
    /// # Errors
    /// [`Error::Missing`] when there is no default port; then as
    /// [`allow_from`](Self::allow_from).
    pub fn allow_default_port_from(
        &self,
        stack: &mut Stack,
        other: &impl Connectable,
        description: Option<&str>,
    ) -> Result<()> {
        let port = self.require_default_port(stack)?;
        self.allow_from(stack, other, port, description)
    }

    /// Lets these groups reach `other` on `other`'s default port.
    ///
    /// # Errors
    /// [`Error::Missing`] when `other` has no default port; then as
    /// [`allow_to`](Self::allow_to).
    pub fn allow_to_default_port(
        &self,
        stack: &mut Stack,
        other: &impl Connectable,
        description: Option<&str>,
    ) -> Result<()> {
        let target = other.connections();
        let port = target.require_default_port(stack)?;
        self.allow_to(stack, &target, port, description)
    }

    fn require_default_port(&self, stack: &Stack) -> Result<Port> {
        self.check_known()?;
        self.default_port.ok_or_else(|| Error::Missing {
            path: self
                .groups
                .first()
                .map_or_else(|| stack.path(stack.root()), |g| g.path().clone()),
            what: "default port",
            fix: "give the connections a default port, or name the port with `allow_from`/`allow_to`",
        })
    }
}

impl Connectable for Connections {
    fn connections(&self) -> Connections {
        self.clone()
    }
}

impl Connectable for SecurityGroup {
    fn connections(&self) -> Connections {
        SecurityGroup::connections(self)
    }
}

impl Connectable for Peer {
    fn connections(&self) -> Connections {
        Connections::from_peer(self.clone())
    }
}

impl<T: Connectable + ?Sized> Connectable for &T {
    fn connections(&self) -> Connections {
        (**self).connections()
    }
}
