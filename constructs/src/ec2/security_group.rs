//! `SecurityGroup`: a security group with typed rules, rendered as the AWS
//! CDK renders them (rules on address ranges inside the group's resource,
//! rules between groups as resources of their own with the CDK's ids).
//!
//! CloudFormation: [AWS::EC2::SecurityGroup](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html),
//! [AWS::EC2::SecurityGroupIngress](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroupingress.html),
//! [AWS::EC2::SecurityGroupEgress](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroupegress.html).

use std::sync::Arc;

use crate::cfn::ec2::security_group::{Egress, Ingress};
use crate::cfn::ec2::{
    CfnSecurityGroup, CfnSecurityGroupEgress, CfnSecurityGroupIngress, CfnSecurityGroupRef,
};
use crate::ec2::{Connections, Peer, Port, Vpc};
use crate::synth::{ConstructPath, Expr, NodeId, StackId, Value, logical_id};
use crate::{Error, Result, Stack};

/// The egress rule the AWS CDK writes for "all outbound traffic".
const ALLOW_ALL_DESCRIPTION: &str = "Allow all outbound traffic by default";
/// The AWS CDK's egress rule that matches no traffic: it replaces the
/// allow-all rule EC2 gives every new group when outbound is not allowed.
const NO_TRAFFIC_CIDR: &str = "255.255.255.255/32";
const NO_TRAFFIC_DESCRIPTION: &str = "Disallow all traffic";

/// A security group. Cheap to clone; usable from any stack of the app.
///
/// Its resource is the child `Resource` of its construct, as in the AWS CDK.
#[derive(Debug, Clone)]
pub struct SecurityGroup(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    node: NodeId,
    path: ConstructPath,
    unique_id: String,
    resource: Option<CfnSecurityGroupRef>,
    group_id: Value<String>,
    allow_all_outbound: bool,
    mutable: bool,
}

impl PartialEq for SecurityGroup {
    fn eq(&self, other: &Self) -> bool {
        self.0.node == other.0.node
    }
}

/// Whether a rule lets traffic in or out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    In,
    Out,
}

impl Direction {
    fn word(self) -> &'static str {
        match self {
            Self::In => "from",
            Self::Out => "to",
        }
    }

    fn reversed(self) -> Self {
        match self {
            Self::In => Self::Out,
            Self::Out => Self::In,
        }
    }
}

impl SecurityGroup {
    /// A builder for a security group with construct id `id` in `vpc`.
    pub fn builder(id: impl Into<String>, vpc: &Vpc) -> SecurityGroupBuilder {
        SecurityGroupBuilder {
            id: id.into(),
            vpc_id: vpc.vpc_id(),
            description: None,
            name: None,
            allow_all_outbound: true,
        }
    }

    /// A builder that imports an existing group by id: rules added to it
    /// become resources of their own (`AWS::EC2::SecurityGroupIngress` /
    /// `Egress`) under the import's construct.
    pub fn import(
        id: impl Into<String>,
        group_id: impl Into<Value<String>>,
    ) -> ImportedSecurityGroupBuilder {
        ImportedSecurityGroupBuilder {
            id: id.into(),
            group_id: group_id.into(),
            allow_all_outbound: true,
            mutable: true,
        }
    }

    /// The group's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.0.node
    }

    /// The stack the group belongs to.
    #[must_use]
    pub fn stack_id(&self) -> StackId {
        self.0.node.stack()
    }

    /// The group's construct path.
    #[must_use]
    pub fn path(&self) -> &ConstructPath {
        &self.0.path
    }

    /// The group's `AWS::EC2::SecurityGroup` (`None` when imported).
    #[must_use]
    pub fn resource(&self) -> Option<CfnSecurityGroupRef> {
        self.0.resource
    }

    /// The group's id (`Fn::GetAtt GroupId`), what `SecurityGroups` /
    /// `SecurityGroupIds` properties take.
    #[must_use]
    pub fn group_id(&self) -> Value<String> {
        self.0.group_id.clone()
    }

    /// The AWS CDK's unique id of the group's construct (its path through
    /// the logical-ID function, e.g. `WebServiceSecurityGroup95566217`… with
    /// the stack id in front), used in the ids of rules that name it.
    #[must_use]
    pub fn unique_id(&self) -> &str {
        &self.0.unique_id
    }

    /// Whether all outbound traffic is allowed (then egress rules are not
    /// written: the allow-all rule covers them).
    #[must_use]
    pub fn allows_all_outbound(&self) -> bool {
        self.0.allow_all_outbound
    }

    /// The group's connections, to open it to or from others.
    #[must_use]
    pub fn connections(&self) -> Connections {
        Connections::new([self.clone()])
    }

    /// Lets traffic from `peer` on `port` in. A rule on an address range is
    /// written into the group's resource; a rule on another security group
    /// is a resource `from {peer}:{port}` under this group.
    ///
    /// `description` defaults to `from {peer}:{port}`, as in the AWS CDK.
    /// A rule already present (same peer and port) is not added again.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a malformed range or port range, or
    /// when `stack` is not the group's stack.
    pub fn add_ingress_rule(
        &self,
        stack: &mut Stack,
        peer: impl Into<Peer>,
        port: Port,
        description: Option<&str>,
    ) -> Result<()> {
        self.add_rule(stack, Direction::In, &peer.into(), port, description, false)
    }

    /// Lets traffic to `peer` on `port` out. Ignored while the group allows
    /// all outbound traffic. Otherwise written as
    /// [`add_ingress_rule`](Self::add_ingress_rule) writes ingress rules
    /// (`to {peer}:{port}`); the first IPv4 rule replaces the "Disallow all
    /// traffic" placeholder, also when it is a resource of its own (as in
    /// the CDK: CloudFormation removes a group's default allow-all egress
    /// rule once a standalone egress rule is added to it).
    ///
    /// # Errors
    /// As [`add_ingress_rule`](Self::add_ingress_rule), and
    /// [`Error::InvalidProperty`] for an all-traffic rule to anywhere (allow
    /// all outbound traffic on the builder instead).
    pub fn add_egress_rule(
        &self,
        stack: &mut Stack,
        peer: impl Into<Peer>,
        port: Port,
        description: Option<&str>,
    ) -> Result<()> {
        self.add_rule(
            stack,
            Direction::Out,
            &peer.into(),
            port,
            description,
            false,
        )
    }

    /// Adds a rule; `remote` marks the mirror rule that [`Connections`] adds
    /// on the other side, which the AWS CDK places in this group's stack when
    /// the two groups are in different stacks.
    pub(crate) fn add_rule(
        &self,
        stack: &mut Stack,
        direction: Direction,
        peer: &Peer,
        port: Port,
        description: Option<&str>,
        remote: bool,
    ) -> Result<()> {
        let property = match direction {
            Direction::In => "ingress rule",
            Direction::Out => "egress rule",
        };
        if let Some(reason) = peer.problem().or_else(|| port.problem()) {
            return Err(Error::InvalidProperty {
                path: self.0.path.clone(),
                property: property.to_owned(),
                reason,
            });
        }
        if !self.0.mutable {
            return Ok(());
        }
        if direction == Direction::Out
            && self.0.allow_all_outbound
            && !matches!(peer, Peer::Ipv6(_))
        {
            return Ok(());
        }
        let description: Value<String> = match description {
            Some(d) => Value::Lit(d.to_owned()),
            None => default_description(direction, peer, port),
        };
        // The first IPv4 egress rule replaces the placeholder, also when it
        // is a resource of its own (the CDK's `removeNoTrafficRule`):
        // CloudFormation drops a group's default egress rule once a
        // standalone rule is added to it, so the group stays closed but for
        // its rules. A group of another stack keeps its placeholder.
        if direction == Direction::Out
            && !matches!(peer, Peer::Ipv6(_))
            && !peer.inline()
            && let Some(resource) = self.0.resource
            && self.stack_id() == stack.stack_id()
        {
            let props = stack.properties_mut::<CfnSecurityGroup>(resource)?;
            if let Some(Value::Lit(rules)) = &mut props.security_group_egress {
                rules.retain(|r| !is_no_traffic(r));
                if rules.is_empty() {
                    props.security_group_egress = None;
                }
            }
        }
        if let (true, Some(resource)) = (peer.inline(), self.0.resource) {
            if self.stack_id() != stack.stack_id() {
                return Err(super::wrong_stack(
                    &self.0.path,
                    property,
                    "the security group",
                    stack.id(),
                ));
            }
            if direction == Direction::Out && is_all_traffic_anywhere(peer, port) {
                return Err(Error::InvalidProperty {
                    path: self.0.path.clone(),
                    property: property.to_owned(),
                    reason: "an all-traffic egress rule to anywhere cannot be added rule by rule; build the group with `allow_all_outbound(true)`".to_owned(),
                });
            }
            let props = stack.properties_mut::<CfnSecurityGroup>(resource)?;
            match direction {
                Direction::In => {
                    let rule = ingress_rule(peer, port, description);
                    let list = props
                        .security_group_ingress
                        .get_or_insert_with(|| Value::Lit(Vec::new()));
                    if let Value::Lit(rules) = list
                        && !rules.iter().any(|r| same_ingress(r, &rule))
                    {
                        rules.push(Value::Lit(rule));
                    }
                }
                Direction::Out => {
                    let rule = egress_rule(peer, port, description);
                    let list = props
                        .security_group_egress
                        .get_or_insert_with(|| Value::Lit(Vec::new()));
                    if let Value::Lit(rules) = list {
                        rules.retain(|r| !is_no_traffic(r));
                        if !rules.iter().any(|r| same_egress(r, &rule)) {
                            rules.push(Value::Lit(rule));
                        }
                    }
                }
            }
            return Ok(());
        }
        // A resource of its own: under this group, or, for the mirror rule of
        // a group in another stack, under that group (the CDK's
        // `determineRuleScope`).
        let (scope, id, scope_path) = match peer {
            Peer::SecurityGroup(other) if remote && other.stack_id() != self.stack_id() => (
                other.node(),
                format!(
                    "{}:{port} {}",
                    self.0.unique_id,
                    direction.reversed().word()
                ),
                other.path().clone(),
            ),
            _ => (
                self.0.node,
                format!("{} {}:{port}", direction.word(), peer.unique_id()).replace('/', "_"),
                self.0.path.clone(),
            ),
        };
        if scope.stack() != stack.stack_id() {
            return Err(super::wrong_stack(
                &scope_path,
                property,
                "the security group",
                stack.id(),
            ));
        }
        if stack.child(scope, &id).is_some() {
            return Ok(());
        }
        let (from_port, to_port) = port_range(port);
        match direction {
            Direction::In => {
                let (cidr_ip, cidr_ipv6, prefix, group) = peer_fields(peer);
                stack.add(
                    scope,
                    &id,
                    CfnSecurityGroupIngress {
                        cidr_ip,
                        cidr_ipv6,
                        description: Some(description),
                        from_port,
                        group_id: Some(self.group_id()),
                        source_prefix_list_id: prefix,
                        source_security_group_id: group,
                        to_port,
                        ..CfnSecurityGroupIngress::new(port.protocol().as_str())
                    },
                )?;
            }
            Direction::Out => {
                let (cidr_ip, cidr_ipv6, prefix, group) = peer_fields(peer);
                stack.add(
                    scope,
                    &id,
                    CfnSecurityGroupEgress {
                        cidr_ip,
                        cidr_ipv6,
                        description: Some(description),
                        destination_prefix_list_id: prefix,
                        destination_security_group_id: group,
                        from_port,
                        to_port,
                        ..CfnSecurityGroupEgress::new(self.group_id(), port.protocol().as_str())
                    },
                )?;
            }
        }
        Ok(())
    }
}

fn default_description(direction: Direction, peer: &Peer, port: Port) -> Value<String> {
    let head = format!("{} ", direction.word());
    let tail = format!(":{port}");
    match peer.description_part() {
        Value::Lit(p) => Value::Lit(format!("{head}{p}{tail}")),
        Value::Expr(e) => Value::Expr(Expr::join(
            "",
            [Value::Lit(head), Value::Expr(e), Value::Lit(tail)],
        )),
    }
}

fn port_range(port: Port) -> (Option<Value<i64>>, Option<Value<i64>>) {
    match port.range() {
        Some((a, b)) => (Some(Value::Lit(a)), Some(Value::Lit(b))),
        None => (None, None),
    }
}

type PeerFields = (
    Option<Value<String>>,
    Option<Value<String>>,
    Option<Value<String>>,
    Option<Value<String>>,
);

/// `(CidrIp, CidrIpv6, prefix list, security group)` of a rule on `peer`.
fn peer_fields(peer: &Peer) -> PeerFields {
    match peer {
        Peer::Ipv4(c) => (Some(c.clone()), None, None, None),
        Peer::Ipv6(c) => (None, Some(c.clone()), None, None),
        Peer::PrefixList(p) => (None, None, Some(p.clone()), None),
        Peer::SecurityGroup(g) => (None, None, None, Some(g.group_id())),
    }
}

fn ingress_rule(peer: &Peer, port: Port, description: Value<String>) -> Ingress {
    let (cidr_ip, cidr_ipv6, prefix, group) = peer_fields(peer);
    let (from_port, to_port) = port_range(port);
    Ingress {
        cidr_ip,
        cidr_ipv6,
        description: Some(description),
        from_port,
        source_prefix_list_id: prefix,
        source_security_group_id: group,
        to_port,
        ..Ingress::new(port.protocol().as_str())
    }
}

fn egress_rule(peer: &Peer, port: Port, description: Value<String>) -> Egress {
    let (cidr_ip, cidr_ipv6, prefix, group) = peer_fields(peer);
    let (from_port, to_port) = port_range(port);
    Egress {
        cidr_ip,
        cidr_ipv6,
        description: Some(description),
        destination_prefix_list_id: prefix,
        destination_security_group_id: group,
        from_port,
        to_port,
        ..Egress::new(port.protocol().as_str())
    }
}

/// Rules compare as CloudFormation compares them: descriptions aside.
fn same_ingress(a: &Value<Ingress>, b: &Ingress) -> bool {
    match a {
        Value::Lit(a) => {
            Ingress {
                description: None,
                ..a.clone()
            } == Ingress {
                description: None,
                ..b.clone()
            }
        }
        Value::Expr(_) => false,
    }
}

fn same_egress(a: &Value<Egress>, b: &Egress) -> bool {
    match a {
        Value::Lit(a) => {
            Egress {
                description: None,
                ..a.clone()
            } == Egress {
                description: None,
                ..b.clone()
            }
        }
        Value::Expr(_) => false,
    }
}

fn is_no_traffic(rule: &Value<Egress>) -> bool {
    matches!(rule, Value::Lit(r) if r.cidr_ip.as_ref().and_then(Value::literal).map(String::as_str) == Some(NO_TRAFFIC_CIDR)
        && r.description.as_ref().and_then(Value::literal).map(String::as_str) == Some(NO_TRAFFIC_DESCRIPTION))
}

fn is_all_traffic_anywhere(peer: &Peer, port: Port) -> bool {
    let anywhere = match peer {
        Peer::Ipv4(Value::Lit(c)) => c == "0.0.0.0/0",
        Peer::Ipv6(Value::Lit(c)) => c == "::/0",
        _ => false,
    };
    anywhere && port.range().is_none()
}

/// The characters EC2 accepts in a group description.
fn description_problem(text: &str) -> Option<String> {
    if text.len() > 255 {
        return Some(format!(
            "the description has {} characters; at most 255 are allowed",
            text.len()
        ));
    }
    let bad: String = text
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(*c)))
        .collect();
    if bad.is_empty() {
        None
    } else {
        Some(format!(
            "the description holds characters EC2 rejects ({bad:?}); use letters, digits, spaces and ._-:/()#,@[]+=&;{{}}!$*"
        ))
    }
}

/// Builds a [`SecurityGroup`].
///
/// ```
/// use ecscdk::prelude::*;
/// use ecscdk::ec2::{Peer, Port, SecurityGroup, Vpc};
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Web");
/// let vpc = Vpc::builder("Vpc").nat_gateways(1).build(&mut stack)?;
/// let lb = SecurityGroup::builder("LbSecurityGroup", &vpc).allow_all_outbound(false).build(&mut stack)?;
/// lb.add_ingress_rule(&mut stack, Peer::any_ipv4(), Port::tcp(443), Some("HTTPS from anywhere"))?;
/// let app = SecurityGroup::builder("AppSecurityGroup", &vpc).build(&mut stack)?;
/// app.connections().allow_from(&mut stack, &lb, Port::tcp(8080), None)?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SecurityGroupBuilder {
    id: String,
    vpc_id: Value<String>,
    description: Option<String>,
    name: Option<String>,
    allow_all_outbound: bool,
}

impl SecurityGroupBuilder {
    /// The group's description (`GroupDescription`; at most 255 of the
    /// characters EC2 accepts). Changing it replaces the group.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: the construct path, as in the AWS CDK.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// The group's name (`GroupName`). A fixed name prevents replacement
    /// while the old group is still in use; leave it generated.
    ///
    /// CloudFormation default: generated from the stack and logical ID.
    /// ecscdk default: omitted (generated).
    pub fn security_group_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether all outbound traffic is allowed. When it is not, the group
    /// starts with the AWS CDK's rule that matches no traffic (EC2 would
    /// otherwise add an allow-all rule) and egress rules are written one by
    /// one. Allowing it lets tasks reach ECR, logs and their dependencies out
    /// of the box; restrict it where the destinations are known.
    ///
    /// CloudFormation default: all outbound traffic allowed.
    /// ecscdk default: allowed, as in the AWS CDK.
    pub fn allow_all_outbound(mut self, allow: bool) -> Self {
        self.allow_all_outbound = allow;
        self
    }

    /// Adds the group directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a description or name EC2 rejects;
    /// [`Error::InvalidId`] or [`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<SecurityGroup> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the group under `parent` (how a service adds its
    /// `SecurityGroup`).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<SecurityGroup> {
        let path = stack.path(parent).child(&self.id);
        let description = self
            .description
            .clone()
            .unwrap_or_else(|| path.as_str().to_owned());
        if let Some(reason) = description_problem(&description) {
            return Err(Error::InvalidProperty {
                path,
                property: "description".to_owned(),
                reason,
            });
        }
        if let Some(name) = &self.name
            && (name.is_empty() || name.len() > 255 || name.to_ascii_lowercase().starts_with("sg-"))
        {
            return Err(Error::InvalidProperty {
                path,
                property: "security_group_name".to_owned(),
                reason: format!(
                    "{name:?} is not a group name EC2 accepts: 1 to 255 characters, not starting with `sg-`"
                ),
            });
        }
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ec2.SecurityGroup")?;
        let default_egress = if self.allow_all_outbound {
            Egress {
                cidr_ip: Some(Value::Lit("0.0.0.0/0".to_owned())),
                description: Some(Value::Lit(ALLOW_ALL_DESCRIPTION.to_owned())),
                ..Egress::new("-1")
            }
        } else {
            Egress {
                cidr_ip: Some(Value::Lit(NO_TRAFFIC_CIDR.to_owned())),
                description: Some(Value::Lit(NO_TRAFFIC_DESCRIPTION.to_owned())),
                from_port: Some(Value::Lit(252)),
                to_port: Some(Value::Lit(86)),
                ..Egress::new("icmp")
            }
        };
        let resource = stack.add(
            node,
            "Resource",
            CfnSecurityGroup {
                group_name: self.name.map(Value::Lit),
                security_group_egress: Some(Value::Lit(vec![Value::Lit(default_egress)])),
                vpc_id: Some(self.vpc_id),
                ..CfnSecurityGroup::new(description)
            },
        )?;
        Ok(SecurityGroup(Arc::new(Inner {
            node,
            unique_id: unique_id(&path),
            path,
            resource: Some(resource),
            group_id: resource.attr_group_id().into(),
            allow_all_outbound: self.allow_all_outbound,
            mutable: true,
        })))
    }
}

/// Builds an imported [`SecurityGroup`]; see [`SecurityGroup::import`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ImportedSecurityGroupBuilder {
    id: String,
    group_id: Value<String>,
    allow_all_outbound: bool,
    mutable: bool,
}

impl ImportedSecurityGroupBuilder {
    /// Whether the group allows all outbound traffic (then egress rules are
    /// not written).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: `true`, as in the AWS CDK.
    pub fn allow_all_outbound(mut self, allow: bool) -> Self {
        self.allow_all_outbound = allow;
        self
    }

    /// Whether rules may be added to the group; when not, rules that would
    /// change it are skipped (the group is managed elsewhere).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: `true`, as in the AWS CDK.
    pub fn mutable(mut self, mutable: bool) -> Self {
        self.mutable = mutable;
        self
    }

    /// Adds the import's construct directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidId`] or [`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<SecurityGroup> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the import's construct under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<SecurityGroup> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ec2.ImportedSecurityGroup")?;
        let path = stack.path(node);
        Ok(SecurityGroup(Arc::new(Inner {
            node,
            unique_id: unique_id(&path),
            path,
            resource: None,
            group_id: self.group_id,
            allow_all_outbound: self.allow_all_outbound,
            mutable: self.mutable,
        })))
    }
}

/// The AWS CDK's `Names.nodeUniqueId`: the logical-ID function over the
/// construct path, stack id included.
pub(crate) fn unique_id(path: &ConstructPath) -> String {
    let components: Vec<&str> = path.as_str().split('/').collect();
    logical_id(&components)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_checked_against_the_ec2_charset() {
        assert!(description_problem("Web/Service/SecurityGroup").is_none());
        assert!(description_problem("héllo").is_some());
        assert!(description_problem(&"a".repeat(256)).is_some());
    }
}
