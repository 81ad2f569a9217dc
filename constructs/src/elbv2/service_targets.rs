//! ECS services as a listener's targets in one call, as the AWS CDK's
//! `listener.addTargets(id, { targets: [service.loadBalancerTarget({..})] })`:
//! the target group with the target type the tasks' network mode needs,
//! the listener's default action or a rule, the service's registration and
//! the security groups opened in both directions.

use std::time::Duration;

use crate::ec2::{Connectable, Port};
use crate::ecs::AlternateTarget;
use crate::ecs::service_base::{ServiceParts, TaskNetwork, served_port};
use crate::ecs::task_definition_base::ContainerInfo;
use crate::elbv2::{
    HealthCheck, Listener, ListenerAction, ListenerRule, LoadBalancerType, TargetGroup,
    TargetProtocol,
};
use crate::synth::Value;
use crate::{Error, Result, Stack};

/// An ECS service a load balancer can send traffic to: [`FargateService`],
/// [`Ec2Service`] and [`ManagedInstancesService`](crate::ecs::ManagedInstancesService).
///
/// [`FargateService`]: crate::ecs::FargateService
/// [`Ec2Service`]: crate::ecs::Ec2Service
pub trait LoadBalancedService: Connectable + sealed::Sealed {}

pub(crate) mod sealed {
    /// Only the service handles of this crate are targets.
    pub trait Sealed {
        /// What the built service kept.
        fn service_parts(&self) -> &crate::ecs::service_base::ServiceParts;
    }
}

/// What [`Listener::add_targets`] registers: one container port of an ECS
/// service, how the listener routes to it and how its health is checked.
///
/// ```
/// use ecscdk::prelude::*;
/// use ecscdk::ec2::Vpc;
/// use ecscdk::ecs::{Cluster, Container, ContainerImage, FargateService, FargateTaskDefinition, PortMapping};
/// use ecscdk::elbv2::{ApplicationLoadBalancer, HealthCheck, Listener, ListenerTargets};
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
/// # let mut app = App::new().context(
/// #     "availability-zones:account=123456789012:region=us-east-1",
/// #     serde_json::json!(["us-east-1a", "us-east-1b"]),
/// # );
/// let vpc = Vpc::builder("Vpc").build(&mut stack)?;
/// let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
/// let task = FargateTaskDefinition::builder("Task")
///     .container(
///         Container::builder("web", ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"))
///             .port(PortMapping::tcp(80))
///             .writable_root_filesystem(),
///     )
///     .build(&mut stack)?;
/// let service = FargateService::builder("Service", &cluster, &task).build(&mut stack)?;
/// let lb = ApplicationLoadBalancer::builder("LB", &vpc).internet_facing(true).build(&mut stack)?;
/// let listener = Listener::http("Listener", &lb).open(true).build(&mut stack)?;
/// // The target group `Listener/ECSGroup` (type ip), the listener's default
/// // action, the service's registration, and both security groups opened.
/// listener.add_targets(
///     &mut stack,
///     "ECS",
///     ListenerTargets::new(&service, "web", 80).health_check(HealthCheck::http("/")),
/// )?;
/// # app.add(stack)?;
/// # app.synth()?;
/// # Ok(()) }
/// ```
#[must_use]
pub struct ListenerTargets<'a> {
    service: &'a dyn LoadBalancedService,
    container: String,
    port: u16,
    protocol: Option<TargetProtocol>,
    priority: Option<u32>,
    paths: Vec<String>,
    hosts: Vec<String>,
    health_check: Option<HealthCheck>,
    deregistration_delay: Option<Duration>,
    test_listener: Option<&'a Listener>,
}

impl<'a> ListenerTargets<'a> {
    /// The tasks of `service`, reached on the port `container` maps as
    /// `container_port` (TCP; UDP with [`protocol`](Self::protocol)`(TargetProtocol::Udp)`).
    pub fn new(
        service: &'a dyn LoadBalancedService,
        container: impl Into<String>,
        container_port: u16,
    ) -> Self {
        Self {
            service,
            container: container.into(),
            port: container_port,
            protocol: None,
            priority: None,
            paths: Vec::new(),
            hosts: Vec::new(),
            health_check: None,
            deregistration_delay: None,
            test_listener: None,
        }
    }

    /// The protocol the load balancer speaks to the tasks.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: HTTP on an application load balancer, TCP on a
    /// network one (the CDK's choice).
    pub fn protocol(mut self, protocol: TargetProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// The priority of the listener rule that forwards here (1 to 50000,
    /// unique on the listener); needs a condition
    /// ([`path_pattern`](Self::path_pattern), [`host_header`](Self::host_header)).
    ///
    /// CloudFormation default: none (required for a rule).
    /// ecscdk default: none: no rule, the targets are the listener's
    /// default action.
    pub fn priority(mut self, priority: u32) -> Self {
        self.priority = Some(priority);
        self
    }

    /// Forwards requests whose path matches `pattern` (a rule condition;
    /// application load balancers).
    ///
    /// CloudFormation default: no condition.
    /// ecscdk default: none.
    pub fn path_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.paths.push(pattern.into());
        self
    }

    /// Forwards requests whose `Host` header matches `host` (a rule
    /// condition; application load balancers).
    ///
    /// CloudFormation default: no condition.
    /// ecscdk default: none.
    pub fn host_header(mut self, host: impl Into<String>) -> Self {
        self.hosts.push(host.into());
        self
    }

    /// The target group's health check.
    ///
    /// CloudFormation default: the target group's (HTTP `/` every 30 s on an
    /// application load balancer).
    /// ecscdk default: the target group's.
    pub fn health_check(mut self, check: HealthCheck) -> Self {
        self.health_check = Some(check);
        self
    }

    /// The listener test traffic arrives on, for a service deployed
    /// blue/green, linearly or by canary: a rule `<id>TestRule` on it, with
    /// the same priority and conditions, reaches the new revision before
    /// production traffic does (ECS moves its weights first).
    ///
    /// CloudFormation default: no test traffic.
    /// ecscdk default: no test traffic.
    pub fn test_listener(mut self, listener: &'a Listener) -> Self {
        self.test_listener = Some(listener);
        self
    }

    /// How long a deregistered task keeps its connections.
    ///
    /// CloudFormation default: 300 s.
    /// ecscdk default: 300 s.
    pub fn deregistration_delay(mut self, delay: Duration) -> Self {
        self.deregistration_delay = Some(delay);
        self
    }
}

/// The ECS quota on target groups per service.
const MAX_TARGET_GROUPS: usize = 5;

impl Listener {
    /// Sends traffic to an ECS service, as the CDK's `addTargets` with a
    /// service's `loadBalancerTarget`: creates the target group `<id>Group`
    /// under the listener with the target type the tasks need (`ip` for
    /// `awsvpc` tasks, `instance` for `bridge` and `host`), forwards to it
    /// by default or, with a priority and conditions, through the rule
    /// `<id>Rule`; registers the service with it (after the listener or
    /// rule, with the CDK's 60 s health-check grace period unless one is
    /// set); and opens the load balancer's security group to the tasks on
    /// the port they are reached on, and theirs to it ("Load balancer to
    /// target", the CDK's rules and ids). Returns the target group.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] (on `<listener>/<id>Group`) for a
    /// container the task definition lacks, a port it does not map over
    /// TCP (UDP for UDP targets), a priority outside 1 to 50000 or without a condition,
    /// conditions without a priority or on a network load balancer, a
    /// protocol of the other kind of load balancer, a default when the
    /// listener already forwards to a target group, or a sixth target
    /// group of one service; the errors of the target group, the rule and
    /// the security-group rules built.
    pub fn add_targets(
        &self,
        stack: &mut Stack,
        id: &str,
        targets: ListenerTargets<'_>,
    ) -> Result<TargetGroup> {
        let parts: &ServiceParts = targets.service.service_parts();
        if self.node().stack() != stack.stack_id() || parts.node.stack() != stack.stack_id() {
            // Named by whichever of the two is of this stack.
            let path = if self.node().stack() == stack.stack_id() {
                stack.path(self.node()).child(&format!("{id}Group"))
            } else {
                stack.path(parts.node)
            };
            return Err(Error::Unsupported {
                path,
                setting: "add_targets",
                situation: "with a listener and a service that are not both of this stack",
                fix: "the target group and rule go under the listener and the registration on the service: pass the stack that holds both, or build a `TargetGroup` in the listener's stack, register it with the service's `load_balancer_target` and open its `connections()` to the load balancer",
            });
        }
        let path = stack.path(self.node()).child(&format!("{id}Group"));
        let invalid = |reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: "targets".to_owned(),
            reason,
        };
        let service_path = stack.path(parts.node);
        let container = parts
            .containers
            .iter()
            .find(|c| c.name == targets.container)
            .ok_or_else(|| {
                let names: Vec<&str> = parts.containers.iter().map(|c| c.name.as_str()).collect();
                invalid(format!(
                    "the task definition of {service_path} has no container {:?}; name one of {names:?}",
                    targets.container
                ))
            })?;
        let lb = self.load_balancer();
        let application = lb.load_balancer_type() == LoadBalancerType::Application;
        let protocol = targets.protocol.unwrap_or(if application {
            TargetProtocol::Http
        } else {
            TargetProtocol::Tcp
        });
        let udp = protocol == TargetProtocol::Udp;
        let mapping = mapping_of(container, targets.port, udp).ok_or_else(|| {
            let (name, ctor) = if udp { ("UDP", "udp") } else { ("TCP", "tcp") };
            invalid(format!(
                "container {:?} maps no {name} port {}; add `.port(PortMapping::{ctor}({}))` to it",
                container.name, targets.port, targets.port
            ))
        })?;
        let fits = match protocol {
            TargetProtocol::Http | TargetProtocol::Https => application,
            TargetProtocol::Tcp | TargetProtocol::Udp | TargetProtocol::Tls => !application,
        };
        if !fits {
            let name = protocol.cfn().as_str();
            return Err(invalid(format!(
                "an {} load balancer cannot send {name} to its targets; use {}",
                if application {
                    "application"
                } else {
                    "network"
                },
                if application {
                    "HTTP or HTTPS"
                } else {
                    "TCP, UDP or TLS"
                }
            )));
        }
        let conditions = !targets.paths.is_empty() || !targets.hosts.is_empty();
        if conditions && !application {
            return Err(invalid(
                "a network load balancer has no rules, so no path or host conditions; drop them, or use an application load balancer".to_owned(),
            ));
        }
        match (targets.priority, conditions) {
            (Some(p), _) if !(1..=50_000).contains(&p) => {
                return Err(invalid(format!("priority {p} is outside 1 to 50000")));
            }
            (Some(p), _) if let Some(other) = self.rule_with_priority(stack, p) => {
                return Err(invalid(format!(
                    "rule `{other}` of the listener already has priority {p}; give each rule of a listener its own priority"
                )));
            }
            (Some(p), false) => {
                return Err(invalid(format!(
                    "priority {p} without a condition; add `.path_pattern(..)` or `.host_header(..)`, or drop the priority to make the targets the listener's default"
                )));
            }
            (None, true) => {
                return Err(invalid(
                    "path or host conditions make a listener rule, which needs `.priority(..)` (1 to 50000, unique on the listener)".to_owned(),
                ));
            }
            (None, false) if self.target_group().is_some() => {
                return Err(invalid(
                    "the listener already forwards to its target group by default; give these targets `.priority(..)` and a condition".to_owned(),
                ));
            }
            _ => {}
        }
        let shifting = parts.strategy.shifts_traffic();
        if shifting && !application {
            return Err(Error::Unsupported {
                path,
                setting: "add_targets",
                situation: "for a blue/green, linear or canary service behind a network load balancer",
                fix: "build the two target groups and the listener forwarding to both yourself, and register them with the service's `load_balancer_target(..)` and `alternate_target(AlternateTarget::new(..).production_listener(..))`",
            });
        }
        if shifting && targets.priority.is_none() {
            return Err(invalid(format!(
                "{service_path} deploys {}, and ECS shifts traffic by the weights of a listener rule; give the targets `.priority(..)` and a condition (`.path_pattern(\"/*\")` for everything)",
                parts.strategy.as_str()
            )));
        }
        if let Some(test) = targets.test_listener {
            if !shifting {
                return Err(invalid(format!(
                    "{service_path} deploys with rolling updates, which send no test traffic; drop `.test_listener(..)`, or give the service a blue/green, linear or canary `deployment_strategy`"
                )));
            }
            if test.load_balancer().node() != lb.node() || test.node() == self.node() {
                return Err(invalid(
                    "the test listener must be another listener of the same load balancer"
                        .to_owned(),
                ));
            }
        }
        // Network mode `none` maps no port, so it never gets here.
        let reached_on =
            served_port(parts.network, mapping).unwrap_or_else(|| Port::tcp(targets.port));
        let registered = stack
            .properties::<crate::cfn::ecs::CfnService>(parts.resource)?
            .load_balancers
            .as_ref()
            .map_or(0, |l| match l {
                Value::Lit(items) => items.len(),
                Value::Expr(_) => 0,
            });
        if registered >= MAX_TARGET_GROUPS {
            return Err(invalid(format!(
                "{service_path} is registered with {registered} target groups already; ECS allows {MAX_TARGET_GROUPS} per service"
            )));
        }

        let mut group =
            TargetGroup::builder(format!("{id}Group"), lb.vpc(), protocol, targets.port);
        if parts.network != TaskNetwork::AwsVpc {
            group = group.instance_targets();
        }
        if let Some(check) = targets.health_check {
            group = group.health_check(check);
        }
        if let Some(delay) = targets.deregistration_delay {
            group = group.deregistration_delay(delay);
        }
        let alternate_group = if shifting {
            Some(
                group
                    .clone()
                    .renamed(format!("{id}AlternateGroup"))
                    .build_in(stack, self.node())?,
            )
        } else {
            None
        };
        let group = group.build_in(stack, self.node())?;
        let action = match &alternate_group {
            Some(alt) => ListenerAction::weighted_forward([(&group, 100), (alt, 0)]),
            None => ListenerAction::forward(&group),
        };
        let mut alternate = None;
        let after = match targets.priority {
            Some(priority) => {
                let rule_on = |listener: &Listener, name: String| {
                    let mut rule = ListenerRule::builder(name, listener, priority, action.clone());
                    for host in &targets.hosts {
                        rule = rule.host_header(host.as_str());
                    }
                    for pattern in &targets.paths {
                        rule = rule.path_pattern(pattern.as_str());
                    }
                    rule
                };
                let rule = rule_on(self, format!("{id}Rule")).build(stack)?;
                if let Some(alt) = &alternate_group {
                    let mut target = AlternateTarget::new(format!("{id}AlternateTarget"), alt)
                        .production_rule(&rule);
                    if let Some(test) = targets.test_listener {
                        let test_rule = rule_on(test, format!("{id}TestRule")).build(stack)?;
                        target = target.test_rule(&test_rule);
                    }
                    alternate = Some(target);
                    // The alternate target references the rules: no
                    // dependency to add.
                    None
                } else {
                    Some(rule.node())
                }
            }
            None => {
                self.set_default_action(stack, ListenerAction::forward(&group))?;
                Some(self.node())
            }
        };
        parts.register(
            stack,
            &container.name,
            targets.port,
            &group,
            alternate.as_ref(),
            after,
        )?;
        targets.service.connections().allow_from(
            stack,
            lb,
            reached_on,
            Some("Load balancer to target"),
        )?;
        Ok(group)
    }
}

/// The TCP (or UDP) mapping of `port` in `container`.
fn mapping_of(container: &ContainerInfo, port: u16, udp: bool) -> Option<&crate::ecs::PortMapping> {
    let wanted = if udp {
        crate::ecs::Protocol::Udp
    } else {
        crate::ecs::Protocol::Tcp
    };
    container
        .ports
        .iter()
        .find(|p| p.container_port() == port && p.protocol() == wanted)
}
