//! Listeners (HTTP, HTTPS with certificates by ARN, TCP, TLS, UDP), their
//! default actions (forward, redirect, fixed response) and listener rules.

use crate::cfn::elasticloadbalancingv2::listener::{Certificate, Protocol};
use crate::cfn::elasticloadbalancingv2::listener_rule::{
    HostHeaderConfig, PathPatternConfig, RuleCondition,
};
use crate::cfn::elasticloadbalancingv2::{
    CfnListener, CfnListenerCertificate, CfnListenerRef, CfnListenerRule, CfnListenerRuleRef,
    listener, listener_certificate, listener_rule,
};
use crate::ec2::{Peer, Port};
use crate::elbv2::{LoadBalancer, LoadBalancerType, TargetGroup, TargetGroupBuilder};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// What a listener keeps in its construct data: the priority each of its
/// rules took (priority → the rule's id), so that a second rule with a
/// taken priority fails at `build()` rather than at deploy (Elastic Load
/// Balancing refuses it: `PriorityInUse`).
#[derive(Debug, Default)]
struct RulePriorities(std::collections::BTreeMap<u32, String>);

/// The TLS policy ecscdk gives HTTPS and TLS listeners: TLS 1.3 and 1.2
/// with forward secrecy only.
pub const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// The protocol clients speak to a listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListenerProtocol {
    /// HTTP (application load balancers).
    Http,
    /// HTTPS, with a certificate (application load balancers).
    Https,
    /// TCP (network load balancers).
    Tcp,
    /// TLS, with a certificate (network load balancers).
    Tls,
    /// UDP (network load balancers).
    Udp,
}

impl ListenerProtocol {
    fn cfn(self) -> Protocol {
        match self {
            Self::Http => Protocol::Http,
            Self::Https => Protocol::Https,
            Self::Tcp => Protocol::Tcp,
            Self::Tls => Protocol::Tls,
            Self::Udp => Protocol::Udp,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Http => "HTTP",
            Self::Https => "HTTPS",
            Self::Tcp => "TCP",
            Self::Tls => "TLS",
            Self::Udp => "UDP",
        }
    }

    fn load_balancer(self) -> LoadBalancerType {
        match self {
            Self::Http | Self::Https => LoadBalancerType::Application,
            Self::Tcp | Self::Tls | Self::Udp => LoadBalancerType::Network,
        }
    }

    fn encrypted(self) -> bool {
        matches!(self, Self::Https | Self::Tls)
    }
}

/// What a listener or a rule does with a request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ListenerAction {
    /// Forwards to a target group.
    Forward {
        /// The target group's ARN.
        target_group_arn: Value<String>,
        /// Whether the target group speaks an application protocol.
        application: bool,
    },
    /// Forwards to several target groups, each a share of the requests in
    /// proportion to its weight (0 to 999): how blue/green, linear and
    /// canary deployments shift traffic (ECS moves the weights).
    WeightedForward {
        /// The target groups' ARNs and weights.
        groups: Vec<(Value<String>, u32)>,
        /// Whether the target groups speak an application protocol.
        application: bool,
    },
    /// Redirects (HTTP 301 when permanent, else 302); unset parts keep the
    /// request's.
    Redirect {
        /// `HTTP`, `HTTPS` or `#{protocol}`.
        protocol: Option<String>,
        /// The port, or `#{port}`.
        port: Option<String>,
        /// The host, or `#{host}`.
        host: Option<String>,
        /// The path, or `/#{path}`.
        path: Option<String>,
        /// Permanent (301) or temporary (302).
        permanent: bool,
    },
    /// Answers directly.
    FixedResponse {
        /// The HTTP status code (`2XX`, `4XX` or `5XX`).
        status_code: u16,
        /// The content type, e.g. `text/plain`.
        content_type: Option<String>,
        /// The body (at most 1024 characters).
        body: Option<String>,
    },
}

impl ListenerAction {
    /// Forwards to `group`.
    #[must_use]
    pub fn forward(group: &TargetGroup) -> Self {
        Self::Forward {
            target_group_arn: group.arn().into(),
            application: group.protocol().is_application(),
        }
    }

    /// Forwards to `groups` by weight, as the CDK's
    /// `ListenerAction.weightedForward`: for a blue/green service's
    /// production rule, the primary group at 100 and the alternate at 0.
    #[must_use]
    pub fn weighted_forward<'a>(groups: impl IntoIterator<Item = (&'a TargetGroup, u32)>) -> Self {
        let groups: Vec<(&TargetGroup, u32)> = groups.into_iter().collect();
        Self::WeightedForward {
            application: groups.iter().all(|(g, _)| g.protocol().is_application()),
            groups: groups
                .into_iter()
                .map(|(g, w)| (Value::from(g.arn()), w))
                .collect(),
        }
    }

    /// Redirects HTTP to HTTPS on port 443, permanently (301).
    #[must_use]
    pub fn redirect_to_https() -> Self {
        Self::Redirect {
            protocol: Some("HTTPS".to_owned()),
            port: Some("443".to_owned()),
            host: None,
            path: None,
            permanent: true,
        }
    }

    /// Answers with `status_code` and a plain-text `body`.
    #[must_use]
    pub fn fixed_response(status_code: u16, body: Option<&str>) -> Self {
        Self::FixedResponse {
            status_code,
            content_type: body.map(|_| "text/plain".to_owned()),
            body: body.map(str::to_owned),
        }
    }

    fn application_only(&self) -> bool {
        match self {
            Self::Forward { application, .. } | Self::WeightedForward { application, .. } => {
                *application
            }
            Self::Redirect { .. } | Self::FixedResponse { .. } => true,
        }
    }

    fn check(&self, path: &crate::synth::ConstructPath, property: &str) -> Result<()> {
        if let Self::WeightedForward { groups, .. } = self {
            if !(1..=5).contains(&groups.len()) {
                return Err(Error::InvalidProperty {
                    path: path.clone(),
                    property: property.to_owned(),
                    reason: format!(
                        "{} target groups; a weighted forward takes 1 to 5",
                        groups.len()
                    ),
                });
            }
            if let Some((_, w)) = groups.iter().find(|(_, w)| *w > 999) {
                return Err(Error::InvalidProperty {
                    path: path.clone(),
                    property: property.to_owned(),
                    reason: format!("weight {w} is outside 0 to 999"),
                });
            }
        }
        if let Self::FixedResponse {
            status_code, body, ..
        } = self
        {
            if !matches!(status_code, 200..=299 | 400..=599) {
                return Err(Error::InvalidProperty {
                    path: path.clone(),
                    property: property.to_owned(),
                    reason: format!(
                        "fixed response status {status_code} is not a 2XX, 4XX or 5XX code"
                    ),
                });
            }
            if body.as_ref().is_some_and(|b| b.chars().count() > 1024) {
                return Err(Error::InvalidProperty {
                    path: path.clone(),
                    property: property.to_owned(),
                    reason: "a fixed response body has at most 1024 characters".to_owned(),
                });
            }
        }
        Ok(())
    }
}

/// Renders an action into the `Action` type of a listener or a rule (same
/// shape, one type per resource in the generated L1).
macro_rules! render_action {
    ($module:ident, $action:expr) => {{
        use $module::{
            Action, FixedResponseConfig, ForwardConfig, RedirectConfig, StatusCode,
            TargetGroupTuple, Type,
        };
        match $action {
            ListenerAction::Forward {
                target_group_arn, ..
            } => Action {
                target_group_arn: Some(target_group_arn.clone()),
                ..Action::new(Type::Forward)
            },
            ListenerAction::WeightedForward { groups, .. } => Action {
                forward_config: Some(Value::Lit(ForwardConfig {
                    target_groups: Some(Value::Lit(
                        groups
                            .iter()
                            .map(|(arn, weight)| {
                                Value::Lit(TargetGroupTuple {
                                    target_group_arn: Some(arn.clone()),
                                    weight: Some(Value::Lit(i64::from(*weight))),
                                })
                            })
                            .collect(),
                    )),
                    ..ForwardConfig::default()
                })),
                ..Action::new(Type::Forward)
            },
            ListenerAction::Redirect {
                protocol,
                port,
                host,
                path,
                permanent,
            } => Action {
                redirect_config: Some(Value::Lit(RedirectConfig {
                    host: host.clone().map(Value::Lit),
                    path: path.clone().map(Value::Lit),
                    port: port.clone().map(Value::Lit),
                    protocol: protocol.clone().map(Value::Lit),
                    ..RedirectConfig::new(if *permanent {
                        StatusCode::Http301
                    } else {
                        StatusCode::Http302
                    })
                })),
                ..Action::new(Type::Redirect)
            },
            ListenerAction::FixedResponse {
                status_code,
                content_type,
                body,
            } => Action {
                fixed_response_config: Some(Value::Lit(FixedResponseConfig {
                    content_type: content_type.clone().map(Value::Lit),
                    message_body: body.clone().map(Value::Lit),
                    ..FixedResponseConfig::new(status_code.to_string())
                })),
                ..Action::new(Type::FixedResponse)
            },
        }
    }};
}

/// A listener of a load balancer. Cheap to clone.
///
/// CloudFormation: [AWS::ElasticLoadBalancingV2::Listener](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-listener.html)
#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    node: NodeId,
    resource: CfnListenerRef,
    protocol: ListenerProtocol,
    port: u16,
    target_group: Option<TargetGroup>,
    load_balancer: LoadBalancer,
}

impl Listener {
    /// A builder for a listener of `lb` speaking `protocol` on `port`.
    pub fn builder(
        id: impl Into<String>,
        lb: &LoadBalancer,
        protocol: ListenerProtocol,
        port: u16,
    ) -> ListenerBuilder {
        ListenerBuilder {
            id: id.into(),
            lb: lb.clone(),
            protocol,
            port,
            certificates: Vec::new(),
            ssl_policy: None,
            default_action: None,
            target_group: None,
            open: true,
        }
    }

    /// An HTTP listener on port 80.
    pub fn http(id: impl Into<String>, lb: &LoadBalancer) -> ListenerBuilder {
        Self::builder(id, lb, ListenerProtocol::Http, 80)
    }

    /// An HTTPS listener on port 443 with the ACM certificate `certificate_arn`.
    pub fn https(
        id: impl Into<String>,
        lb: &LoadBalancer,
        certificate_arn: impl Into<Value<String>>,
    ) -> ListenerBuilder {
        Self::builder(id, lb, ListenerProtocol::Https, 443).certificate_arn(certificate_arn)
    }

    /// A TCP listener on `port`.
    pub fn tcp(id: impl Into<String>, lb: &LoadBalancer, port: u16) -> ListenerBuilder {
        Self::builder(id, lb, ListenerProtocol::Tcp, port)
    }

    /// A TLS listener on `port` with the ACM certificate `certificate_arn`.
    pub fn tls(
        id: impl Into<String>,
        lb: &LoadBalancer,
        port: u16,
        certificate_arn: impl Into<Value<String>>,
    ) -> ListenerBuilder {
        Self::builder(id, lb, ListenerProtocol::Tls, port).certificate_arn(certificate_arn)
    }

    /// The listener's construct node (its target groups and rules go under it).
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::ElasticLoadBalancingV2::Listener` resource.
    #[must_use]
    pub fn resource(&self) -> CfnListenerRef {
        self.resource
    }

    /// The listener's ARN (`Ref`).
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The protocol.
    #[must_use]
    pub fn protocol(&self) -> ListenerProtocol {
        self.protocol
    }

    /// The port.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The load balancer the listener belongs to.
    #[must_use]
    pub fn load_balancer(&self) -> &LoadBalancer {
        &self.load_balancer
    }

    /// The id of the rule of this listener (built by ecscdk in `stack`)
    /// that has `priority`, if any.
    pub(crate) fn rule_with_priority(&self, stack: &Stack, priority: u32) -> Option<String> {
        stack
            .construct_data::<RulePriorities>(self.node)
            .and_then(|taken| taken.0.get(&priority).cloned())
    }

    /// The target group built with [`ListenerBuilder::target_group`].
    #[must_use]
    pub fn target_group(&self) -> Option<&TargetGroup> {
        self.target_group.as_ref()
    }

    /// Replaces the default action (how a target group created under the
    /// listener, as the AWS CDK places it, becomes its default).
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for an action the listener's load balancer
    /// cannot take or a bad fixed response; [`Error::ForeignHandle`] when
    /// `stack` is not the listener's.
    pub fn set_default_action(&self, stack: &mut Stack, action: ListenerAction) -> Result<()> {
        check_action(stack, self.node, self.protocol, &action, "default_action")?;
        let rendered = render_action!(listener, &action);
        stack
            .properties_mut::<CfnListener>(self.resource)?
            .default_actions = Value::Lit(vec![Value::Lit(rendered)]);
        Ok(())
    }
}

fn check_action(
    stack: &Stack,
    node: NodeId,
    protocol: ListenerProtocol,
    action: &ListenerAction,
    property: &str,
) -> Result<()> {
    let path = stack.path(node);
    action.check(&path, property)?;
    let on_alb = protocol.load_balancer() == LoadBalancerType::Application;
    if action.application_only() != on_alb {
        return Err(Error::InvalidProperty {
            path,
            property: property.to_owned(),
            reason: if on_alb {
                "an application load balancer forwards only to HTTP or HTTPS target groups"
                    .to_owned()
            } else {
                "a network load balancer only forwards, to TCP, TLS or UDP target groups".to_owned()
            },
        });
    }
    Ok(())
}

/// Builds a [`Listener`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ListenerBuilder {
    id: String,
    lb: LoadBalancer,
    protocol: ListenerProtocol,
    port: u16,
    certificates: Vec<Value<String>>,
    ssl_policy: Option<String>,
    default_action: Option<ListenerAction>,
    target_group: Option<TargetGroupBuilder>,
    open: bool,
}

impl ListenerBuilder {
    /// Builds `group` under the listener (as the AWS CDK's `addTargets`
    /// places it) and forwards to it by default.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: no target group.
    pub fn target_group(mut self, group: TargetGroupBuilder) -> Self {
        self.target_group = Some(group);
        self
    }

    /// Adds an ACM certificate by ARN: the first is the default certificate
    /// (`Certificates`), further ones go to a `ListenerCertificate` child
    /// `Certificates` (SNI).
    ///
    /// CloudFormation default: none (required for HTTPS and TLS).
    /// ecscdk default: none.
    pub fn certificate_arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.certificates.push(arn.into());
        self
    }

    /// The security policy of an HTTPS or TLS listener.
    ///
    /// CloudFormation default: `ELBSecurityPolicy-2016-08` (allows TLS 1.0).
    /// ecscdk default: [`TLS_POLICY`] (TLS 1.3 and 1.2).
    pub fn ssl_policy(mut self, policy: impl Into<String>) -> Self {
        self.ssl_policy = Some(policy.into());
        self
    }

    /// What the listener does with requests no rule matches.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: a fixed 404 response until one is set (see [`Listener::set_default_action`]); network listeners must be given one.
    pub fn default_action(mut self, action: ListenerAction) -> Self {
        self.default_action = Some(action);
        self
    }

    /// Whether the load balancer's security group admits anyone (IPv4) on
    /// the listener's port.
    ///
    /// CloudFormation default: not applicable (a security group rule).
    /// ecscdk default: open, as the AWS CDK's `open: true`.
    pub fn open(mut self, open: bool) -> Self {
        self.open = open;
        self
    }

    /// Adds the listener under its load balancer, as the AWS CDK does.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for port 0, a protocol the load balancer
    /// does not speak or an action it cannot take; [`Error::Missing`] for an
    /// HTTPS or TLS listener without a certificate, or a network listener
    /// without a default action; [`Error::Unsupported`] for a certificate or
    /// TLS policy on a plain-text listener; [`Error::Conflict`] for both a
    /// default action and a target group; [`Error::DuplicateId`] for a taken id; the errors of
    /// [`TargetGroupBuilder::build`].
    pub fn build(self, stack: &mut Stack) -> Result<Listener> {
        let parent = self.lb.node();
        let path = stack.path(parent).child(&self.id);
        if self.port == 0 {
            return Err(Error::InvalidProperty {
                path,
                property: "port".to_owned(),
                reason: "port 0 is not a port; use 1 to 65535".to_owned(),
            });
        }
        if self.protocol.load_balancer() != self.lb.load_balancer_type() {
            return Err(Error::InvalidProperty {
                path,
                property: "protocol".to_owned(),
                reason: format!(
                    "{} load balancer has no {} listeners; use {}",
                    match self.lb.load_balancer_type() {
                        LoadBalancerType::Application => "an application",
                        LoadBalancerType::Network => "a network",
                    },
                    self.protocol.as_str(),
                    match self.lb.load_balancer_type() {
                        LoadBalancerType::Application => "HTTP or HTTPS",
                        LoadBalancerType::Network => "TCP, TLS or UDP",
                    }
                ),
            });
        }
        if self.protocol.encrypted() && self.certificates.is_empty() {
            return Err(Error::Missing {
                path,
                what: "certificate",
                fix: "an HTTPS or TLS listener needs an ACM certificate: `.certificate_arn(..)`",
            });
        }
        if !self.protocol.encrypted() && !self.certificates.is_empty() {
            return Err(Error::Unsupported {
                path,
                setting: "certificate_arn",
                situation: "with a plain-text protocol",
                fix: "use HTTPS or TLS, or drop the certificate",
            });
        }
        if !self.protocol.encrypted() && self.ssl_policy.is_some() {
            return Err(Error::Unsupported {
                path,
                setting: "ssl_policy",
                situation: "with a plain-text protocol",
                fix: "use HTTPS or TLS, or drop the policy",
            });
        }
        if self.default_action.is_some() && self.target_group.is_some() {
            return Err(Error::Conflict {
                path,
                first: "default_action",
                second: "target_group",
                fix: "the target group becomes the default action; drop one of them",
            });
        }
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.elbv2.Listener")?;
        let target_group = match self.target_group {
            Some(group) => Some(group.build_in(stack, node)?),
            None => None,
        };
        let action = match (self.default_action, &target_group) {
            (Some(a), _) => a,
            (None, Some(group)) => ListenerAction::forward(group),
            (None, None) if self.protocol.load_balancer() == LoadBalancerType::Application => {
                ListenerAction::fixed_response(404, None)
            }
            (None, None) => {
                return Err(Error::Missing {
                    path,
                    what: "default action",
                    fix: "give a network listener `.target_group(..)` or `.default_action(..)`",
                });
            }
        };
        check_action(stack, node, self.protocol, &action, "default_action")?;
        let rendered = render_action!(listener, &action);
        let mut certificates = self.certificates.into_iter();
        let first = certificates.next();
        let resource = stack.add(
            node,
            "Resource",
            CfnListener {
                certificates: first.map(|arn| {
                    Value::Lit(vec![Value::Lit(Certificate {
                        certificate_arn: Some(arn),
                    })])
                }),
                port: Some(Value::Lit(i64::from(self.port))),
                protocol: Some(Value::Lit(self.protocol.cfn())),
                ssl_policy: self
                    .protocol
                    .encrypted()
                    .then(|| Value::Lit(self.ssl_policy.unwrap_or_else(|| TLS_POLICY.to_owned()))),
                ..CfnListener::new(vec![Value::Lit(rendered)], self.lb.arn())
            },
        )?;
        let rest: Vec<_> = certificates
            .map(|arn| {
                Value::Lit(listener_certificate::Certificate {
                    certificate_arn: Some(arn),
                })
            })
            .collect();
        if !rest.is_empty() {
            stack.add(
                node,
                "Certificates",
                CfnListenerCertificate {
                    certificates: Value::Lit(rest),
                    listener_arn: resource.reference().into(),
                },
            )?;
        }
        if self.open {
            let port = match self.protocol {
                ListenerProtocol::Udp => Port::udp(self.port),
                _ => Port::tcp(self.port),
            };
            self.lb.security_group().add_ingress_rule(
                stack,
                Peer::any_ipv4(),
                port,
                Some(&format!("Allow from anyone on port {}", self.port)),
            )?;
        }
        Ok(Listener {
            node,
            resource,
            protocol: self.protocol,
            port: self.port,
            target_group,
            load_balancer: self.lb,
        })
    }
}

/// A rule of an application listener: requests matching its conditions
/// (path patterns, host names) get its action, rules checked by ascending
/// priority.
///
/// CloudFormation: [AWS::ElasticLoadBalancingV2::ListenerRule](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-listenerrule.html)
#[derive(Debug, Clone, PartialEq)]
pub struct ListenerRule {
    node: NodeId,
    resource: CfnListenerRuleRef,
}

impl ListenerRule {
    /// A builder for a rule of `listener` with `priority` (1 to 50000,
    /// unique per listener) taking `action`.
    pub fn builder(
        id: impl Into<String>,
        listener: &Listener,
        priority: u32,
        action: ListenerAction,
    ) -> ListenerRuleBuilder {
        ListenerRuleBuilder {
            id: id.into(),
            listener: listener.clone(),
            priority,
            action,
            paths: Vec::new(),
            hosts: Vec::new(),
        }
    }

    /// The rule's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::ElasticLoadBalancingV2::ListenerRule` resource.
    #[must_use]
    pub fn resource(&self) -> CfnListenerRuleRef {
        self.resource
    }

    /// The rule's ARN (`Ref`).
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.resource.reference()
    }
}

/// Builds a [`ListenerRule`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ListenerRuleBuilder {
    id: String,
    listener: Listener,
    priority: u32,
    action: ListenerAction,
    paths: Vec<String>,
    hosts: Vec<String>,
}

impl ListenerRuleBuilder {
    /// Matches requests whose path matches `pattern` (`*` and `?` wildcards).
    ///
    /// CloudFormation default: none (at least one condition is required).
    /// ecscdk default: none.
    pub fn path_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.paths.push(pattern.into());
        self
    }

    /// Matches requests whose `Host` header matches `host` (`*` and `?`
    /// wildcards).
    ///
    /// CloudFormation default: none (at least one condition is required).
    /// ecscdk default: none.
    pub fn host_header(mut self, host: impl Into<String>) -> Self {
        self.hosts.push(host.into());
        self
    }

    /// Adds the rule under its listener.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a priority outside 1 to 50000 or one
    /// another rule of the listener has, a rule of a network listener, more than 5 condition values or a value over
    /// 128 characters, or an action the listener cannot take;
    /// [`Error::Missing`] without a condition; [`Error::DuplicateId`] for a
    /// taken id.
    pub fn build(self, stack: &mut Stack) -> Result<ListenerRule> {
        let parent = self.listener.node();
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if self.listener.protocol().load_balancer() != LoadBalancerType::Application {
            return Err(invalid(
                "listener",
                "network listeners have no rules; add another listener instead".to_owned(),
            ));
        }
        if !(1..=50_000).contains(&self.priority) {
            return Err(invalid(
                "priority",
                format!("{} is outside 1 to 50000", self.priority),
            ));
        }
        if let Some(other) = self.listener.rule_with_priority(stack, self.priority) {
            return Err(invalid(
                "priority",
                format!(
                    "rule `{other}` of the listener already has priority {}; give each rule of a listener its own priority",
                    self.priority
                ),
            ));
        }
        if self.paths.is_empty() && self.hosts.is_empty() {
            return Err(Error::Missing {
                path,
                what: "condition",
                fix: "add `.path_pattern(..)` or `.host_header(..)`",
            });
        }
        if self.paths.len() + self.hosts.len() > 5 {
            return Err(invalid(
                "conditions",
                format!(
                    "{} condition values; a rule takes at most 5",
                    self.paths.len() + self.hosts.len()
                ),
            ));
        }
        if let Some(long) = self.paths.iter().chain(&self.hosts).find(|v| v.len() > 128) {
            return Err(invalid(
                "conditions",
                format!("{long:?} is longer than 128 characters"),
            ));
        }
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.elbv2.ListenerRule")?;
        check_action(
            stack,
            node,
            self.listener.protocol(),
            &self.action,
            "action",
        )?;
        let lits = |v: Vec<String>| Value::Lit(v.into_iter().map(Value::Lit).collect());
        let mut conditions = Vec::new();
        if !self.hosts.is_empty() {
            conditions.push(Value::Lit(RuleCondition {
                field: Some(Value::Lit("host-header".to_owned())),
                host_header_config: Some(Value::Lit(HostHeaderConfig {
                    values: Some(lits(self.hosts)),
                    ..HostHeaderConfig::default()
                })),
                ..RuleCondition::default()
            }));
        }
        if !self.paths.is_empty() {
            conditions.push(Value::Lit(RuleCondition {
                field: Some(Value::Lit("path-pattern".to_owned())),
                path_pattern_config: Some(Value::Lit(PathPatternConfig {
                    values: Some(lits(self.paths)),
                    ..PathPatternConfig::default()
                })),
                ..RuleCondition::default()
            }));
        }
        let rendered = render_action!(listener_rule, &self.action);
        let resource = stack.add(
            node,
            "Resource",
            CfnListenerRule {
                listener_arn: Some(self.listener.arn().into()),
                ..CfnListenerRule::new(
                    vec![Value::Lit(rendered)],
                    conditions,
                    i64::from(self.priority),
                )
            },
        )?;
        match stack.construct_data_mut::<RulePriorities>(parent) {
            Some(taken) => {
                taken.0.insert(self.priority, self.id);
            }
            None => stack.set_construct_data(
                parent,
                RulePriorities(std::collections::BTreeMap::from([(self.priority, self.id)])),
            )?,
        }
        Ok(ListenerRule { node, resource })
    }
}
