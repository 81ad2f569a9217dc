//! `ARecord`: an IPv4 address record, usually an alias to a load balancer;
//! `CnameRecord`: a name answering as another name.

use std::time::Duration;

use crate::cfn::route53::record_set::AliasTarget;
use crate::cfn::route53::{CfnRecordSet, CfnRecordSetRef};
use crate::elbv2::{LoadBalancer, LoadBalancerType};
use crate::route53::HostedZone;
use crate::route53::{check_domain_name, strip_dot};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// What a record answers with.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordTarget {
    target: Target,
}

#[derive(Debug, Clone, PartialEq)]
enum Target {
    Alias {
        dns_name: Value<String>,
        hosted_zone_id: Value<String>,
        evaluate_target_health: Option<bool>,
    },
    Values(Vec<Value<String>>),
}

impl RecordTarget {
    /// An alias to a load balancer, as the AWS CDK's `LoadBalancerTarget`:
    /// `dualstack.` and the DNS name of an application load balancer, the
    /// plain DNS name of an (IPv4) network load balancer, in the load
    /// balancer's canonical hosted zone. (aws-cdk-lib 2.276 still prefixes
    /// network load balancers too, a name that does not resolve for an IPv4
    /// one: aws/aws-cdk#16987, fixed in its later `LoadBalancerTarget`.)
    #[must_use]
    pub fn load_balancer(lb: &LoadBalancer) -> Self {
        let dns_name: Value<String> = match lb.load_balancer_type() {
            LoadBalancerType::Network => lb.dns_name().into(),
            _ => Expr::join(
                "",
                vec![Value::from("dualstack."), Value::from(lb.dns_name())],
            )
            .into(),
        };
        Self {
            target: Target::Alias {
                dns_name,
                hosted_zone_id: lb.canonical_hosted_zone_id().into(),
                evaluate_target_health: None,
            },
        }
    }

    /// IPv4 addresses (a plain record with a TTL).
    pub fn ip_addresses<V: Into<Value<String>>>(addresses: impl IntoIterator<Item = V>) -> Self {
        Self {
            target: Target::Values(addresses.into_iter().map(Into::into).collect()),
        }
    }

    /// For an alias: whether the record inherits the health of its target
    /// (Route 53 then answers only while the load balancer has healthy
    /// targets). No effect on IP addresses.
    ///
    /// CloudFormation default: false.
    /// ecscdk default: omitted (false), as the AWS CDK.
    #[must_use]
    pub fn evaluate_target_health(mut self, on: bool) -> Self {
        if let Target::Alias {
            evaluate_target_health,
            ..
        } = &mut self.target
        {
            *evaluate_target_health = Some(on);
        }
        self
    }
}

/// An `A` record in a hosted zone. A copyable handle; its resource is the
/// child `Resource`, as in the AWS CDK.
///
/// CloudFormation: [AWS::Route53::RecordSet](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordset.html)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ARecord {
    node: NodeId,
    resource: CfnRecordSetRef,
}

impl ARecord {
    /// A builder for an `A` record with construct id `id` in `zone`,
    /// answering with `target`.
    pub fn builder(
        id: impl Into<String>,
        zone: &HostedZone,
        target: RecordTarget,
    ) -> ARecordBuilder {
        ARecordBuilder {
            id: id.into(),
            zone: zone.clone(),
            target,
            record_name: None,
            ttl: None,
            comment: None,
        }
    }

    /// The record's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The `AWS::Route53::RecordSet` resource.
    #[must_use]
    pub fn resource(self) -> CfnRecordSetRef {
        self.resource
    }

    /// The record's domain name (`Ref`).
    #[must_use]
    pub fn domain_name(self) -> Expr<String> {
        self.resource.reference()
    }
}

/// Builds an [`ARecord`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ARecordBuilder {
    id: String,
    zone: HostedZone,
    target: RecordTarget,
    record_name: Option<String>,
    ttl: Option<Duration>,
    comment: Option<String>,
}

impl ARecordBuilder {
    /// The record's name: relative to the zone (`www`), or fully qualified
    /// inside it (`www.example.com`, with or without the trailing dot).
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: the zone's apex, as the AWS CDK.
    pub fn record_name(mut self, name: impl Into<String>) -> Self {
        self.record_name = Some(name.into());
        self
    }

    /// How long resolvers cache the answer (IP addresses only: an alias
    /// takes its target's).
    ///
    /// CloudFormation default: none (required for non-alias records).
    /// ecscdk default: 30 minutes for IP addresses, as the AWS CDK; omitted for an alias.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// A comment on the record.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: omitted.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Adds the record directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a malformed zone id or name, a record
    /// name that is not a domain name or lies outside the zone, no IP
    /// address, or a TTL over 2147483647 seconds; [`Error::Unsupported`] for a
    /// TTL on an alias; [`Error::InvalidId`] or [`Error::DuplicateId`] for a
    /// bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<ARecord> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the record under `parent` (how a load-balanced pattern adds its
    /// `DNS` record).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<ARecord> {
        let (node, resource) = build_record(
            stack,
            parent,
            RecordSpec {
                id: &self.id,
                fqn: "ecscdk.route53.ARecord",
                record_type: "A",
                zone: &self.zone,
                record_name: self.record_name.as_deref(),
                target: self.target.target,
                ttl: self.ttl,
                comment: self.comment,
            },
        )?;
        Ok(ARecord { node, resource })
    }
}

/// What both record builders render.
struct RecordSpec<'a> {
    id: &'a str,
    fqn: &'static str,
    record_type: &'static str,
    zone: &'a HostedZone,
    record_name: Option<&'a str>,
    target: Target,
    ttl: Option<Duration>,
    comment: Option<String>,
}

fn build_record(
    stack: &mut Stack,
    parent: NodeId,
    spec: RecordSpec<'_>,
) -> Result<(NodeId, CfnRecordSetRef)> {
    let path = stack.path(parent).child(spec.id);
    spec.zone.check(&path)?;
    let name = spec
        .zone
        .qualify(spec.record_name.unwrap_or(spec.zone.zone_name()));
    check_domain_name(&path, "record_name", &name, true)?;
    if !spec.zone.contains(&name) {
        return Err(Error::InvalidProperty {
            path,
            property: "record_name".to_owned(),
            reason: format!(
                "{name:?} is outside the hosted zone {:?}; name a record inside the zone, or use the zone of that domain",
                spec.zone.zone_name()
            ),
        });
    }
    if spec.record_type == "CNAME" && strip_dot(&name).eq_ignore_ascii_case(spec.zone.zone_name()) {
        return Err(Error::InvalidProperty {
            path,
            property: "record_name".to_owned(),
            reason: format!(
                "{name:?} is the zone's apex, where DNS allows no CNAME; name a record below it, or use an alias `ARecord`"
            ),
        });
    }
    let mut record = CfnRecordSet {
        hosted_zone_id: Some(spec.zone.hosted_zone_id()),
        comment: spec.comment.map(Value::Lit),
        ..CfnRecordSet::new(name, spec.record_type)
    };
    match spec.target {
        Target::Alias {
            dns_name,
            hosted_zone_id,
            evaluate_target_health,
        } => {
            if spec.ttl.is_some() {
                return Err(Error::Unsupported {
                    path,
                    setting: "ttl",
                    situation: "on an alias record",
                    fix: "an alias record takes its target's TTL; drop `.ttl(..)`",
                });
            }
            record.alias_target = Some(Value::Lit(AliasTarget {
                evaluate_target_health: evaluate_target_health.map(Value::Lit),
                ..AliasTarget::new(dns_name, hosted_zone_id)
            }));
        }
        Target::Values(values) => {
            if values.is_empty() {
                return Err(Error::InvalidProperty {
                    path,
                    property: "target".to_owned(),
                    reason: "no IP address; give at least one".to_owned(),
                });
            }
            let ttl = spec.ttl.map_or(1800, |t| t.as_secs());
            if ttl > 2_147_483_647 {
                return Err(Error::InvalidProperty {
                    path,
                    property: "ttl".to_owned(),
                    reason: format!("{ttl} seconds is over the maximum of 2147483647"),
                });
            }
            record.resource_records = Some(Value::Lit(values));
            record.ttl = Some(Value::Lit(ttl.to_string()));
        }
    }
    let node = stack.scope_of_type(parent, spec.id, spec.fqn)?;
    let resource = stack.add(node, "Resource", record)?;
    Ok((node, resource))
}

/// A `CNAME` record in a hosted zone: its name answers as another domain
/// name (e.g. a load balancer's), for resolvers or tools that do not follow
/// Route 53 aliases. A copyable handle; its resource is the child
/// `Resource`, as in the AWS CDK.
///
/// CloudFormation: [AWS::Route53::RecordSet](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordset.html)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CnameRecord {
    node: NodeId,
    resource: CfnRecordSetRef,
}

impl CnameRecord {
    /// A builder for a `CNAME` record with construct id `id` in `zone`,
    /// answering with `domain_name`.
    pub fn builder(
        id: impl Into<String>,
        zone: &HostedZone,
        domain_name: impl Into<Value<String>>,
    ) -> CnameRecordBuilder {
        CnameRecordBuilder {
            id: id.into(),
            zone: zone.clone(),
            domain_name: domain_name.into(),
            record_name: None,
            ttl: None,
            comment: None,
        }
    }

    /// The record's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The `AWS::Route53::RecordSet` resource.
    #[must_use]
    pub fn resource(self) -> CfnRecordSetRef {
        self.resource
    }

    /// The record's domain name (`Ref`).
    #[must_use]
    pub fn domain_name(self) -> Expr<String> {
        self.resource.reference()
    }
}

/// Builds a [`CnameRecord`].
#[derive(Debug, Clone)]
#[must_use]
pub struct CnameRecordBuilder {
    id: String,
    zone: HostedZone,
    domain_name: Value<String>,
    record_name: Option<String>,
    ttl: Option<Duration>,
    comment: Option<String>,
}

impl CnameRecordBuilder {
    /// The record's name: relative to the zone (`www`), or fully qualified
    /// inside it (`www.example.com`, with or without the trailing dot); not
    /// the zone's apex.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: the zone's apex, which is rejected: name the record.
    pub fn record_name(mut self, name: impl Into<String>) -> Self {
        self.record_name = Some(name.into());
        self
    }

    /// How long resolvers cache the answer.
    ///
    /// CloudFormation default: none (required for non-alias records).
    /// ecscdk default: 30 minutes, as the AWS CDK.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// A comment on the record.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: omitted.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Adds the record directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a malformed zone id or name, a record
    /// name that is not a domain name, lies outside the zone or is its
    /// apex, or a TTL over 2147483647 seconds; [`Error::InvalidId`] or
    /// [`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<CnameRecord> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the record under `parent` (how a load-balanced pattern adds its
    /// `DNS` record).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<CnameRecord> {
        let (node, resource) = build_record(
            stack,
            parent,
            RecordSpec {
                id: &self.id,
                fqn: "ecscdk.route53.CnameRecord",
                record_type: "CNAME",
                zone: &self.zone,
                record_name: self.record_name.as_deref(),
                target: Target::Values(vec![self.domain_name]),
                ttl: self.ttl,
                comment: self.comment,
            },
        )?;
        Ok(CnameRecord { node, resource })
    }
}
