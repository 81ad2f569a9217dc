//! More listeners and target groups for the application-load-balanced
//! patterns, as the AWS CDK's `ApplicationMultipleTargetGroups*Service`
//! routes them: each [`ExtraTarget`] is a target group of one container
//! port under a listener (`PublicListener` or an [`ExtraListener`], by
//! name), with the CDK's child ids `ECSTargetGroup<container><port>Group`
//! and, with a priority and path or host conditions, the listener rule
//! `ECSTargetGroup<container><port>Rule`. A target without conditions is
//! its listener's default; a listener has one default, and `PublicListener`
//! already forwards to `ECSGroup` by default.
//!
//! The service's security group (or the instances', for EC2 tasks on their
//! hosts) admits the load balancer on each target's port; the load
//! balancer's admits only the listener ports.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::ec2::{Port, Vpc};
use crate::ecs::ContainerBuilder;
use crate::elbv2::{
    HealthCheck, Listener, ListenerAction, ListenerProtocol, ListenerRule, LoadBalancer,
    TargetGroup, TargetProtocol,
};
use crate::synth::{ConstructPath, NodeId, ResourceRef, Value};
use crate::{Error, Result, Stack};

/// The child id of the pattern's own listener.
const PUBLIC_LISTENER: &str = "PublicListener";

/// The most target groups the ECS service of a pattern registers with
/// (ECS quota: five load balancer target groups per service).
const MAX_TARGET_GROUPS: usize = 5;

/// A listener the pattern adds to its load balancer beside
/// `PublicListener`, as the child `LB/<name>`; [`ExtraTarget`]s name it.
/// Without a default target it answers 404 to requests no rule matches.
///
/// ```
/// use ecscdk::patterns::ExtraListener;
/// let admin = ExtraListener::http("Admin").port(8080);
/// let tls = ExtraListener::https("Secure", "arn:aws:acm:us-east-1:123456789012:certificate/abc")
///     .port(8443);
/// # let _ = (admin, tls);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraListener {
    name: String,
    protocol: ListenerProtocol,
    port: u16,
    certificates: Vec<Value<String>>,
    ssl_policy: Option<String>,
}

impl ExtraListener {
    /// An HTTP listener `name` on port 80.
    #[must_use]
    pub fn http(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            protocol: ListenerProtocol::Http,
            port: 80,
            certificates: Vec::new(),
            ssl_policy: None,
        }
    }

    /// An HTTPS listener `name` on port 443 with the ACM certificate
    /// `certificate_arn`.
    #[must_use]
    pub fn https(name: impl Into<String>, certificate_arn: impl Into<Value<String>>) -> Self {
        Self {
            protocol: ListenerProtocol::Https,
            port: 443,
            certificates: vec![certificate_arn.into()],
            ..Self::http(name)
        }
    }

    /// The port the listener listens on (unique on the load balancer).
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: 80 for HTTP, 443 for HTTPS.
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Adds an ACM certificate (served by SNI beside the first).
    ///
    /// CloudFormation default: none (required for HTTPS).
    /// ecscdk default: the one given to [`https`](Self::https).
    #[must_use]
    pub fn certificate_arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.certificates.push(arn.into());
        self
    }

    /// The security policy of an HTTPS listener.
    ///
    /// CloudFormation default: `ELBSecurityPolicy-2016-08` (allows TLS 1.0).
    /// ecscdk default: [`TLS_POLICY`](crate::elbv2::TLS_POLICY) (TLS 1.3 and 1.2).
    #[must_use]
    pub fn ssl_policy(mut self, policy: impl Into<String>) -> Self {
        self.ssl_policy = Some(policy.into());
        self
    }
}

/// A target group the pattern adds for one port the container maps,
/// forwarded to by a listener rule (a priority and path or host
/// conditions) or, without conditions, by default on a listener that has
/// no default yet. The ECS service registers its tasks in it on that port.
///
/// ```
/// use ecscdk::prelude::*;
/// use ecscdk::ec2::Vpc;
/// use ecscdk::ecs::{Cluster, Container, ContainerImage, PortMapping};
/// use ecscdk::patterns::{ApplicationLoadBalancedFargateService, ExtraListener, ExtraTarget};
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Web");
/// let vpc = Vpc::builder("Vpc").nat_gateways(1).build(&mut stack)?;
/// let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
/// let app = Container::builder("web", ContainerImage::registry("public.ecr.aws/example/app:1"))
///     .port(PortMapping::tcp(8080)) // `ECSGroup`, PublicListener's default
///     .port(PortMapping::tcp(9000))
///     .port(PortMapping::tcp(9100));
/// let web = ApplicationLoadBalancedFargateService::builder("Web", &cluster, app)
///     // LB/PublicListener/ECSTargetGroupweb9000Group and …Rule
///     .target(ExtraTarget::port(9000).priority(10).path_pattern("/api/*"))
///     // LB/Admin on port 8081, forwarding to port 9100 by default
///     .listener(ExtraListener::http("Admin").port(8081))
///     .target(ExtraTarget::port(9100).listener("Admin"))
///     .build(&mut stack)?;
/// assert_eq!(web.extra_target_groups().len(), 2);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraTarget {
    container_port: u16,
    listener: Option<String>,
    priority: Option<u32>,
    paths: Vec<String>,
    hosts: Vec<String>,
    health_check: Option<HealthCheck>,
}

impl ExtraTarget {
    /// A target group for `container_port`, a port the container maps.
    #[must_use]
    pub fn port(container_port: u16) -> Self {
        Self {
            container_port,
            listener: None,
            priority: None,
            paths: Vec::new(),
            hosts: Vec::new(),
            health_check: None,
        }
    }

    /// The listener, by name: `PublicListener` or an [`ExtraListener`]'s.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: `PublicListener`, as the AWS CDK's first listener.
    #[must_use]
    pub fn listener(mut self, name: impl Into<String>) -> Self {
        self.listener = Some(name.into());
        self
    }

    /// The rule's priority, 1 to 50000, unique on its listener (the lowest
    /// matching rule wins); required with conditions.
    ///
    /// CloudFormation default: none (required for a rule).
    /// ecscdk default: none (the listener's default target).
    #[must_use]
    pub fn priority(mut self, priority: u32) -> Self {
        self.priority = Some(priority);
        self
    }

    /// Adds a path pattern the rule matches (`*` and `?` wildcards).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[must_use]
    pub fn path_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.paths.push(pattern.into());
        self
    }

    /// Adds a host name the rule matches in the `Host` header (`*` and `?`
    /// wildcards).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    #[must_use]
    pub fn host_header(mut self, host: impl Into<String>) -> Self {
        self.hosts.push(host.into());
        self
    }

    /// How the target group checks the tasks on this port.
    ///
    /// CloudFormation default: HTTP `/`.
    /// ecscdk default: the pattern's `health_check`, if it has one.
    #[must_use]
    pub fn health_check(mut self, check: HealthCheck) -> Self {
        self.health_check = Some(check);
        self
    }

    fn listener_name(&self) -> &str {
        self.listener.as_deref().unwrap_or(PUBLIC_LISTENER)
    }

    /// The CDK's `addTargets` id of the target.
    fn child_id(&self, container: &str) -> String {
        format!("ECSTargetGroup{container}{}", self.container_port)
    }
}

/// The extra listeners and targets of an application pattern.
#[derive(Debug, Clone, Default)]
pub(super) struct Routes {
    pub(super) listeners: Vec<ExtraListener>,
    pub(super) targets: Vec<ExtraTarget>,
}

/// A target group the routes built, with the container port it receives
/// and the resource the service must wait for (the rule or listener that
/// ties the group to the load balancer).
pub(super) struct Routed {
    pub(super) group: TargetGroup,
    pub(super) container_port: u16,
    pub(super) depends_on: ResourceRef,
}

/// What the routes built.
#[derive(Default)]
pub(super) struct Built {
    pub(super) listeners: Vec<Listener>,
    pub(super) targets: Vec<Routed>,
}

/// Checks the routes before anything is built: unique listener names and
/// ports, targets on mapped ports and known listeners, one target per port
/// and listener, at most 5 condition values of 128 characters, priorities
/// in range and unique per listener, conditions with priorities, one
/// default per listener, and at most five target groups for the service.
pub(super) fn check(
    routes: &Routes,
    container: &ContainerBuilder,
    path: &ConstructPath,
    public_port: u16,
    redirect: bool,
) -> Result<()> {
    let invalid = |property: &str, reason: String| Error::InvalidProperty {
        path: path.clone(),
        property: property.to_owned(),
        reason,
    };
    // Listener name → (port, has a default target).
    let mut listeners: BTreeMap<&str, (u16, bool)> = BTreeMap::new();
    listeners.insert(PUBLIC_LISTENER, (public_port, true));
    let mut ports = vec![(public_port, PUBLIC_LISTENER)];
    if redirect {
        ports.push((80, "PublicRedirectListener"));
    }
    for listener in &routes.listeners {
        if listener.name == "PublicRedirectListener" || listeners.contains_key(&*listener.name) {
            return Err(invalid(
                "listener",
                format!(
                    "a listener is already named {:?}; give each listener its own name",
                    listener.name
                ),
            ));
        }
        if listener.port == 0 {
            return Err(invalid(
                "listener",
                format!(
                    "listener {:?} has port 0, which is not a port; use 1 to 65535",
                    listener.name
                ),
            ));
        }
        if let Some((_, other)) = ports.iter().find(|(p, _)| *p == listener.port) {
            return Err(invalid(
                "listener",
                format!(
                    "listener {:?} and listener {other:?} both listen on port {}; a load balancer has one listener per port",
                    listener.name, listener.port
                ),
            ));
        }
        ports.push((listener.port, &listener.name));
        listeners.insert(&listener.name, (listener.port, false));
    }
    if 1 + routes.targets.len() > MAX_TARGET_GROUPS {
        return Err(invalid(
            "target",
            format!(
                "{} target groups (`ECSGroup` and {} targets); an ECS service registers with at most {MAX_TARGET_GROUPS}",
                1 + routes.targets.len(),
                routes.targets.len()
            ),
        ));
    }
    // (listener, priority) → container port.
    let mut priorities: BTreeMap<(&str, u32), u16> = BTreeMap::new();
    let mut groups: Vec<(&str, u16)> = Vec::new();
    for target in &routes.targets {
        let port = target.container_port;
        if !container
            .ports
            .iter()
            .any(|p| p.container_port() == port && p.protocol() == crate::ecs::Protocol::Tcp)
        {
            return Err(invalid(
                "target",
                format!(
                    "container {:?} maps no TCP port {port}; add `.port(PortMapping::tcp({port}))` to it",
                    container.name
                ),
            ));
        }
        let name = target.listener_name();
        let Some((_, has_default)) = listeners.get_mut(name) else {
            let known: Vec<&str> = ports
                .iter()
                .map(|(_, n)| *n)
                .filter(|n| *n != "PublicRedirectListener")
                .collect();
            return Err(invalid(
                "target",
                format!(
                    "the target on port {port} names listener {name:?}, which the pattern does not have; use one of {known:?} or add `.listener(ExtraListener::http({name:?}))`"
                ),
            ));
        };
        if groups.contains(&(name, port)) {
            return Err(invalid(
                "target",
                format!(
                    "two targets for port {port} on listener {name:?} would share the target group `ECSTargetGroup{}{port}Group`; route both paths or hosts with one target",
                    container.name
                ),
            ));
        }
        groups.push((name, port));
        let values = target.paths.len() + target.hosts.len();
        if values > 5 {
            return Err(invalid(
                "target",
                format!(
                    "the target on port {port} has {values} path and host values; a rule takes at most 5"
                ),
            ));
        }
        if let Some(long) = target
            .paths
            .iter()
            .chain(&target.hosts)
            .find(|v| v.len() > 128)
        {
            return Err(invalid(
                "target",
                format!(
                    "the target on port {port} matches {long:?}, longer than the 128 characters of a rule condition"
                ),
            ));
        }
        let conditions = values > 0;
        match (target.priority, conditions) {
            (Some(priority), true) => {
                if !(1..=50_000).contains(&priority) {
                    return Err(invalid(
                        "target",
                        format!(
                            "the target on port {port} has priority {priority}, outside 1 to 50000"
                        ),
                    ));
                }
                if let Some(other) = priorities.insert((name, priority), port) {
                    return Err(invalid(
                        "target",
                        format!(
                            "the targets on ports {other} and {port} both have priority {priority} on listener {name:?}; give each rule of a listener its own priority"
                        ),
                    ));
                }
            }
            (Some(priority), false) => {
                return Err(invalid(
                    "target",
                    format!(
                        "the target on port {port} has priority {priority} but no condition; add `.path_pattern(..)` or `.host_header(..)`, or drop the priority to make it the listener's default"
                    ),
                ));
            }
            (None, true) => {
                return Err(Error::Missing {
                    path: path.clone(),
                    what: "target priority",
                    fix: "a target with path or host conditions is a listener rule: give it `.priority(..)`, 1 to 50000 and unique on its listener",
                });
            }
            (None, false) => {
                if *has_default {
                    return Err(invalid(
                        "target",
                        format!(
                            "the target on port {port} has no conditions, so it would be the default of listener {name:?}, which already has one; give it `.priority(..)` and `.path_pattern(..)` or `.host_header(..)`"
                        ),
                    ));
                }
                *has_default = true;
            }
        }
    }
    Ok(())
}

/// Where the routes are built: the pattern's node and load balancer side,
/// and what every target group takes from the pattern.
pub(super) struct Site<'a> {
    /// The pattern's node.
    pub(super) node: NodeId,
    pub(super) vpc: &'a Vpc,
    pub(super) load_balancer: &'a LoadBalancer,
    /// The pattern's own listener, `PublicListener`.
    pub(super) public_listener: &'a Listener,
    /// The name of the container the targets send traffic to.
    pub(super) container: &'a str,
    /// The pattern's health check, for targets without one of their own.
    pub(super) health_check: Option<&'a HealthCheck>,
    pub(super) deregistration_delay: Option<Duration>,
    /// `instance` targets (EC2 tasks on their hosts' network), else `ip`.
    pub(super) instance_targets: bool,
}

/// Builds the extra listeners under the load balancer and each target's
/// group under its listener, with its rule or as the listener's default.
pub(super) fn build(routes: &Routes, site: &Site<'_>, stack: &mut Stack) -> Result<Built> {
    let mut built = Built::default();
    for spec in &routes.listeners {
        let mut listener = Listener::builder(
            spec.name.clone(),
            site.load_balancer,
            spec.protocol,
            spec.port,
        );
        for arn in spec.certificates.clone() {
            listener = listener.certificate_arn(arn);
        }
        if let Some(policy) = spec.ssl_policy.clone() {
            listener = listener.ssl_policy(policy);
        }
        built.listeners.push(listener.build(stack)?);
    }
    let container = site.container;
    for target in &routes.targets {
        let name = target.listener_name();
        let listener = if name == PUBLIC_LISTENER {
            site.public_listener
        } else {
            let index = routes.listeners.iter().position(|l| l.name == name);
            match index.and_then(|i| built.listeners.get(i)) {
                Some(listener) => listener,
                None => {
                    return Err(Error::Missing {
                        path: stack.path(site.node),
                        what: "listener",
                        fix: "an internal invariant: targets name listeners checked before the build",
                    });
                }
            }
        };
        let id = target.child_id(container);
        let mut group = TargetGroup::builder(
            format!("{id}Group"),
            site.vpc,
            TargetProtocol::Http,
            target.container_port,
        );
        if site.instance_targets {
            group = group.instance_targets();
        }
        if let Some(check) = target.health_check.clone().or(site.health_check.cloned()) {
            group = group.health_check(check);
        }
        if let Some(delay) = site.deregistration_delay {
            group = group.deregistration_delay(delay);
        }
        let group = group.build_in(stack, listener.node())?;
        let depends_on = match target.priority {
            Some(priority) => {
                let mut rule = ListenerRule::builder(
                    format!("{id}Rule"),
                    listener,
                    priority,
                    ListenerAction::forward(&group),
                );
                for host in &target.hosts {
                    rule = rule.host_header(host.clone());
                }
                for path in &target.paths {
                    rule = rule.path_pattern(path.clone());
                }
                rule.build(stack)?.resource().into()
            }
            None => {
                listener.set_default_action(stack, ListenerAction::forward(&group))?;
                listener.resource().into()
            }
        };
        built.targets.push(Routed {
            group,
            container_port: target.container_port,
            depends_on,
        });
    }
    Ok(built)
}

/// The distinct ports the load balancer reaches the tasks on: the
/// pattern's own first, then each target's, as `port_of` maps a container
/// port.
pub(super) fn target_ports(main: u16, built: &Built, port_of: impl Fn(u16) -> Port) -> Vec<Port> {
    let mut ports = vec![port_of(main)];
    for routed in &built.targets {
        let port = port_of(routed.container_port);
        if !ports.contains(&port) {
            ports.push(port);
        }
    }
    ports
}

/// Setters of the application patterns for extra listeners and targets:
/// `self.common.routes` is a [`Routes`].
macro_rules! route_setters {
    () => {
        /// Adds a listener beside `PublicListener` (child `LB/<name>`),
        /// which [`target`](Self::target)s name; the load balancer's
        /// security group admits its port.
        ///
        /// CloudFormation default: not applicable.
        /// ecscdk default: none (`PublicListener` and the HTTP redirect only).
        pub fn listener(mut self, listener: crate::patterns::ExtraListener) -> Self {
            self.common.routes.listeners.push(listener);
            self
        }

        /// Adds a target group for another port the container maps, under
        /// its listener, routed by a rule or as that listener's default;
        /// the service registers with it and admits the load balancer on
        /// that port.
        ///
        /// CloudFormation default: not applicable.
        /// ecscdk default: none (the first port mapping's `ECSGroup` only).
        pub fn target(mut self, target: crate::patterns::ExtraTarget) -> Self {
            self.common.routes.targets.push(target);
            self
        }
    };
}
pub(super) use route_setters;

/// Accessors of the application patterns for extra listeners and
/// targets: `self.parts` is a `Parts`.
macro_rules! route_accessors {
    () => {
        /// The extra listeners (children `LB/<name>`), in the order given.
        #[must_use]
        pub fn extra_listeners(&self) -> &[Listener] {
            &self.parts.extra_listeners
        }

        /// The target groups of the extra targets (children
        /// `LB/<listener>/ECSTargetGroup<container><port>Group`), in the
        /// order given.
        #[must_use]
        pub fn extra_target_groups(&self) -> &[TargetGroup] {
            &self.parts.extra_target_groups
        }
    };
}
pub(super) use route_accessors;
