//! What the load-balanced patterns share, Fargate's and EC2's alike (the
//! AWS CDK keeps it in `application-load-balanced-service-base.ts` and
//! `network-load-balanced-service-base.ts`): the options every builder
//! takes ([`Common`], with a `workload` of what only one launch type takes),
//! the checks made before anything is built ([`plan`]), the load balancer
//! side ([`front`]: `LB`, `PublicListener`, `ECSGroup`, the certificate, the
//! HTTP redirect and the `DNS` record), the extra routes of the application
//! patterns ([`build_routes`]), the outputs, and the setters and accessors
//! every pattern has.

use std::time::Duration;

use crate::certificatemanager::{Certificate, CertificateValidation};
use crate::ecs::{AlternateTarget, CircuitBreaker, Cluster, ContainerBuilder, DeploymentStrategy};
use crate::elbv2::{
    ApplicationLoadBalancer, HealthCheck, Listener, ListenerAction, ListenerProtocol, ListenerRule,
    LoadBalancer, NetworkLoadBalancer, TargetGroup, TargetProtocol,
};
use crate::patterns::alb_targets::{self, Routes};
use crate::route53::{
    ARecord, CnameRecord, HostedZone, RecordTarget, check_domain_name, strip_dot,
};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// What the load-balanced patterns build (Fargate's and EC2's).
#[derive(Debug, Clone)]
pub(super) struct Parts<T, S> {
    pub(super) node: NodeId,
    pub(super) load_balancer: LoadBalancer,
    pub(super) listener: Listener,
    pub(super) redirect_listener: Option<Listener>,
    pub(super) target_group: TargetGroup,
    pub(super) task_definition: T,
    pub(super) service: S,
    pub(super) certificate: Option<Certificate>,
    pub(super) dns_record: Option<ARecord>,
    pub(super) production_rule: Option<ListenerRule>,
    pub(super) alternate_target_group: Option<TargetGroup>,
    pub(super) test_listener: Option<Listener>,
    pub(super) extra_listeners: Vec<Listener>,
    pub(super) extra_target_groups: Vec<TargetGroup>,
}

/// The options the load-balanced patterns share; `workload` holds what
/// only Fargate's or only EC2's take.
#[derive(Debug, Clone)]
pub(super) struct Common<W> {
    pub(super) id: String,
    pub(super) cluster: Cluster,
    pub(super) container: ContainerBuilder,
    pub(super) workload: W,
    pub(super) desired_count: Option<u32>,
    pub(super) circuit_breaker: Option<CircuitBreaker>,
    pub(super) min_healthy_percent: u32,
    pub(super) max_percent: u32,
    pub(super) public: bool,
    pub(super) certificates: Vec<Value<String>>,
    pub(super) managed_certificates: Vec<Certificate>,
    pub(super) domain_name: Option<String>,
    pub(super) domain_zone: Option<HostedZone>,
    pub(super) domain_record: DomainRecord,
    pub(super) listener_port: Option<u16>,
    pub(super) health_check: Option<HealthCheck>,
    pub(super) deregistration_delay: Option<Duration>,
    pub(super) routes: Routes,
    pub(super) execute_command: bool,
    pub(super) strategy: DeploymentStrategy,
    pub(super) bake_time: Option<Duration>,
    pub(super) test_listener_port: Option<u16>,
    pub(super) hooks: Vec<crate::ecs::LifecycleHook>,
}

impl<W: Default> Common<W> {
    pub(super) fn new(id: String, cluster: &Cluster, container: ContainerBuilder) -> Self {
        Self {
            id,
            cluster: cluster.clone(),
            container,
            workload: W::default(),
            desired_count: None,
            circuit_breaker: None,
            min_healthy_percent: 100,
            max_percent: 200,
            public: true,
            certificates: Vec::new(),
            managed_certificates: Vec::new(),
            domain_name: None,
            domain_zone: None,
            domain_record: DomainRecord::Alias,
            listener_port: None,
            health_check: None,
            deregistration_delay: None,
            routes: Routes::default(),
            execute_command: false,
            strategy: DeploymentStrategy::default(),
            bake_time: None,
            test_listener_port: None,
            hooks: Vec::new(),
        }
    }
}

/// How a load-balanced pattern publishes its domain name in the hosted zone
/// (the AWS CDK's `ApplicationLoadBalancedServiceRecordType`); the record is
/// the pattern's child `DNS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DomainRecord {
    /// An alias `A` record to the load balancer: answered with its current
    /// addresses, free of charge, and possible at the zone's apex.
    #[default]
    Alias,
    /// A `CNAME` record to the load balancer's DNS name (30-minute TTL),
    /// for DNS tooling that does not follow Route 53 aliases; not at the
    /// zone's apex.
    Cname,
    /// No record: the name is published elsewhere.
    NoRecord,
}

/// Pattern-specific steps of the build.
pub(super) struct Kind {
    pub(super) fqn: &'static str,
    pub(super) application: bool,
    pub(super) idle_timeout: Option<Duration>,
    pub(super) redirect_http: bool,
    pub(super) preserve_client_ip: Option<bool>,
}

/// What is decided before anything is built: the pattern's node, the VPC,
/// the domain and whether the listener is encrypted.
pub(super) struct Plan {
    pub(super) node: NodeId,
    pub(super) vpc: crate::ec2::Vpc,
    domain: Option<(String, HostedZone)>,
    create_certificate: bool,
    pub(super) encrypted: bool,
}

/// The load balancer side of a pattern.
pub(super) struct Front {
    pub(super) load_balancer: LoadBalancer,
    pub(super) listener: Listener,
    pub(super) redirect_listener: Option<Listener>,
    pub(super) target_group: TargetGroup,
    pub(super) certificate: Option<Certificate>,
    pub(super) dns_record: Option<ARecord>,
    pub(super) cname_record: Option<CnameRecord>,
    /// Blue/green, linear and canary deployments: the rule ECS shifts
    /// production traffic with, and the service's alternate target.
    pub(super) production_rule: Option<ListenerRule>,
    pub(super) alternate: Option<AlternateTarget>,
    pub(super) alternate_target_group: Option<TargetGroup>,
    pub(super) test_listener: Option<Listener>,
}

impl Front {
    /// What the service's registration with the target group waits for:
    /// the listener (a production rule is referenced by the service's
    /// alternate target, which orders it already).
    pub(super) fn registration_depends_on(&self) -> Vec<crate::synth::ResourceRef> {
        vec![self.listener.resource().into()]
    }
}

/// Checks what needs no resources and creates the pattern's node.
pub(super) fn plan<W>(
    common: &Common<W>,
    kind: &Kind,
    stack: &mut Stack,
    parent: NodeId,
) -> Result<Plan> {
    let path = stack.path(parent).child(&common.id);
    let Some(vpc) = common.cluster.vpc().cloned() else {
        return Err(Error::Missing {
            path,
            what: "cluster VPC",
            fix: "give the cluster a VPC with `Cluster::builder(..).vpc(&vpc)`: the load balancer is placed in it",
        });
    };
    let domain = check_domain(common, &path)?;
    // An application load balancer with a domain and no certificate gets a
    // DNS-validated one, as the AWS CDK's pattern with `protocol: HTTPS`.
    let create_certificate = kind.application && domain.is_some() && common.certificates.is_empty();
    if create_certificate
        && let Some((name, _)) = &domain
        && name.len() > 64
    {
        return Err(Error::InvalidProperty {
            path,
            property: "domain_name".to_owned(),
            reason: format!(
                "{name:?} has {} characters, over the 64 ACM takes in a certificate's domain name; build a certificate for a shorter name that covers it (e.g. a wildcard of its parent domain) and pass it with `.certificate(..)`",
                name.len()
            ),
        });
    }
    check_deployment(common, kind, &path)?;
    let encrypted = !common.certificates.is_empty() || create_certificate;
    if kind.redirect_http && !encrypted {
        return Err(Error::Unsupported {
            path,
            setting: "redirect_http",
            situation: "without a certificate",
            fix: "a redirect to HTTPS needs an HTTPS listener: add `.certificate_arn(..)`",
        });
    }
    if kind.application {
        let public_port = common
            .listener_port
            .unwrap_or(if encrypted { 443 } else { 80 });
        alb_targets::check(
            &common.routes,
            &common.container,
            &path,
            public_port,
            kind.redirect_http,
        )?;
    }
    let node = stack.scope_of_type(parent, &common.id, kind.fqn)?;
    Ok(Plan {
        node,
        vpc,
        domain,
        create_certificate,
        encrypted,
    })
}

/// What the pattern's deployment strategy needs of the load balancer.
fn check_deployment<W>(
    common: &Common<W>,
    kind: &Kind,
    path: &crate::synth::ConstructPath,
) -> Result<()> {
    let shifts = common.strategy.shifts_traffic();
    if shifts && !kind.application {
        return Err(Error::Unsupported {
            path: path.clone(),
            setting: "deployment_strategy",
            situation: "in a network load-balanced pattern",
            fix: "the pattern shifts traffic through listener rules, which network load balancers lack; use the application pattern, or build the service with `load_balancer_target(..)` and `alternate_target(..)` yourself",
        });
    }
    if shifts && (!common.routes.listeners.is_empty() || !common.routes.targets.is_empty()) {
        return Err(Error::Unsupported {
            path: path.clone(),
            setting: "deployment_strategy",
            situation: "with extra listeners or routes",
            fix: "each route would need its own alternate target group and rules; deploy with rolling updates, or build the routes with `Listener::add_targets`, which creates them",
        });
    }
    if let Some(port) = common.test_listener_port {
        if !shifts {
            return Err(Error::Conflict {
                path: path.clone(),
                first: "test_listener_port",
                second: "the rolling deployment strategy",
                fix: "test traffic reaches a new revision only in blue/green, linear and canary deployments: choose one with `deployment_strategy(..)`, or drop the test listener",
            });
        }
        let taken = common
            .listener_port
            .map_or(port == 80 || port == 443, |p| p == port)
            || (kind.redirect_http && port == 80);
        if taken {
            return Err(Error::InvalidProperty {
                path: path.clone(),
                property: "test_listener_port".to_owned(),
                reason: format!(
                    "port {port} is taken by another listener of the load balancer; choose another (8080 is usual)"
                ),
            });
        }
    }
    Ok(())
}

/// Builds the load balancer (`LB`), its listener (`PublicListener`) with
/// the target group (`ECSGroup`) of `container_port` (`instance` targets
/// for EC2 tasks in bridge mode, else `ip`), the certificate, the HTTP
/// redirect and the alias record.
pub(super) fn front<W>(
    common: &Common<W>,
    kind: &Kind,
    plan: &Plan,
    stack: &mut Stack,
    container_port: u16,
    instance_targets: bool,
) -> Result<Front> {
    let (node, vpc, domain) = (plan.node, &plan.vpc, &plan.domain);
    let lb = if kind.application {
        let mut builder =
            ApplicationLoadBalancer::builder("LB", vpc).internet_facing(common.public);
        if let Some(timeout) = kind.idle_timeout {
            builder = builder.idle_timeout(timeout);
        }
        builder.build_in(stack, node)?
    } else {
        NetworkLoadBalancer::builder("LB", vpc)
            .internet_facing(common.public)
            .build_in(stack, node)?
    };

    let (protocol, default_port, target_protocol) = match (kind.application, plan.encrypted) {
        (true, true) => (ListenerProtocol::Https, 443, TargetProtocol::Http),
        (true, false) => (ListenerProtocol::Http, 80, TargetProtocol::Http),
        (false, true) => (ListenerProtocol::Tls, 443, TargetProtocol::Tcp),
        (false, false) => (ListenerProtocol::Tcp, 80, TargetProtocol::Tcp),
    };
    // An internal load balancer's target group gets its own id, as the AWS
    // CDK's recommended `@aws-cdk/aws-ecs-patterns:uniqueTargetGroupId`
    // flag does for ALBs (aws/aws-cdk#35508) and ecscdk does for NLBs too:
    // flipping the scheme replaces the load balancer, and a target group
    // kept across that replacement fails the update with
    // `TargetGroupAssociationLimit` (aws/aws-cdk#33253).
    let group_id = if common.public {
        "ECSGroup"
    } else {
        "ECSPrivateGroup"
    };
    let mut group = TargetGroup::builder(group_id, vpc, target_protocol, container_port);
    if instance_targets {
        group = group.instance_targets();
    }
    if let Some(check) = common.health_check.clone() {
        group = group.health_check(check);
    }
    if let Some(delay) = common.deregistration_delay {
        group = group.deregistration_delay(delay);
    }
    if let Some(on) = kind.preserve_client_ip {
        group = group.preserve_client_ip(on);
    }
    let certificate = match (domain, plan.create_certificate) {
        (Some((name, zone)), true) => Some(
            Certificate::builder("Certificate", name, CertificateValidation::dns(zone))
                .build_in(stack, node)?,
        ),
        _ => None,
    };
    let mut certificates = common.certificates.clone();
    if let Some(cert) = &certificate {
        certificates.push(cert.arn().into());
    }
    let group_template = group.clone();
    let certificate_arns = certificates.clone();
    let mut listener = Listener::builder(
        "PublicListener",
        &lb,
        protocol,
        common.listener_port.unwrap_or(default_port),
    )
    .target_group(group);
    for arn in certificates {
        listener = listener.certificate_arn(arn);
    }
    let listener = listener.build(stack)?;
    let Some(target_group) = listener.target_group().cloned() else {
        return Err(Error::Missing {
            path: stack.path(listener.node()),
            what: "target group",
            fix: "an internal invariant: the listener builds its target group",
        });
    };
    let shifting = if common.strategy.shifts_traffic() {
        Some(traffic_shifting(
            common,
            stack,
            &lb,
            &listener,
            &target_group,
            group_template,
            certificate_arns,
        )?)
    } else {
        None
    };
    let redirect_listener = if kind.redirect_http {
        Some(
            Listener::http("PublicRedirectListener", &lb)
                .default_action(ListenerAction::redirect_to_https())
                .build(stack)?,
        )
    } else {
        None
    };

    let (mut dns_record, mut cname_record) = (None, None);
    if let Some((name, zone)) = domain {
        match common.domain_record {
            DomainRecord::Alias => {
                dns_record = Some(
                    ARecord::builder("DNS", zone, RecordTarget::load_balancer(&lb))
                        .record_name(name)
                        .build_in(stack, node)?,
                );
            }
            DomainRecord::Cname => {
                cname_record = Some(
                    CnameRecord::builder("DNS", zone, lb.dns_name())
                        .record_name(name)
                        .build_in(stack, node)?,
                );
            }
            DomainRecord::NoRecord => {}
        }
    }
    Ok(Front {
        load_balancer: lb,
        listener,
        redirect_listener,
        target_group,
        certificate,
        dns_record,
        cname_record,
        production_rule: shifting.as_ref().map(|s| s.rule.clone()),
        alternate: shifting.as_ref().map(|s| s.alternate.clone()),
        alternate_target_group: shifting.as_ref().map(|s| s.group.clone()),
        test_listener: shifting.and_then(|s| s.test_listener),
    })
}

/// What [`traffic_shifting`] builds.
struct Shifting {
    group: TargetGroup,
    rule: ListenerRule,
    alternate: AlternateTarget,
    test_listener: Option<Listener>,
}

/// What blue/green, linear and canary deployments need behind the public
/// listener: the alternate target group `PublicListener/ECSAlternateGroup`
/// (a copy of the primary one), the rule `PublicListener/ProductionRule`
/// (priority 1, every path) forwarding to both by weight, and with a test
/// port the listener `TestListener` (not opened to anyone: open its
/// `connections()` to the testers) and its rule `TestListener/TestRule`.
/// Every action forwards: ECS fails a deployment through an application
/// listener that mixes forward actions with others.
fn traffic_shifting<W>(
    common: &Common<W>,
    stack: &mut Stack,
    lb: &LoadBalancer,
    listener: &Listener,
    primary: &TargetGroup,
    template: crate::elbv2::TargetGroupBuilder,
    certificates: Vec<Value<String>>,
) -> Result<Shifting> {
    let alternate_group = template
        .renamed("ECSAlternateGroup".to_owned())
        .build_in(stack, listener.node())?;
    let action = ListenerAction::weighted_forward([(primary, 100), (&alternate_group, 0)]);
    let rule = ListenerRule::builder("ProductionRule", listener, 1, action.clone())
        .path_pattern("/*")
        .build(stack)?;
    let mut alternate =
        AlternateTarget::new("AlternateTarget", &alternate_group).production_rule(&rule);
    let test_listener = match common.test_listener_port {
        Some(port) => {
            // Forward actions only: ECS fails a deployment through a
            // listener that mixes them with others (fixed responses,
            // redirects).
            let mut test = Listener::builder("TestListener", lb, listener.protocol(), port)
                .default_action(action.clone())
                .open(false);
            for arn in certificates {
                test = test.certificate_arn(arn);
            }
            let test = test.build(stack)?;
            let test_rule = ListenerRule::builder("TestRule", &test, 1, action)
                .path_pattern("/*")
                .build(stack)?;
            alternate = alternate.test_rule(&test_rule);
            Some(test)
        }
        None => None,
    };
    Ok(Shifting {
        group: alternate_group,
        rule,
        alternate,
        test_listener,
    })
}

/// The outputs `LoadBalancerDNS` and (application load balancer)
/// `ServiceURL`.
pub(super) fn outputs(stack: &mut Stack, kind: &Kind, plan: &Plan, front: &Front) -> Result<()> {
    let node = plan.node;
    stack.output_in(node, "LoadBalancerDNS", front.load_balancer.dns_name())?;
    if kind.application {
        let scheme = if plan.encrypted {
            "https://"
        } else {
            "http://"
        };
        let host = match (front.dns_record, front.cname_record) {
            (Some(alias), _) => alias.domain_name(),
            (None, Some(cname)) => cname.domain_name(),
            (None, None) => front.load_balancer.dns_name(),
        };
        let url: Vec<Value<String>> = vec![Value::from(scheme), host.into()];
        stack.output_in(node, "ServiceURL", Expr::join("", url))?;
    }
    Ok(())
}

/// Checks the domain settings: both or neither of name and zone, the name
/// inside the zone, and covered by a given [`Certificate`].
fn check_domain<W>(
    common: &Common<W>,
    path: &crate::synth::ConstructPath,
) -> Result<Option<(String, HostedZone)>> {
    let (name, zone) = match (&common.domain_name, &common.domain_zone) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(Error::Missing {
                path: path.clone(),
                what: "domain_zone",
                fix: "give the hosted zone the record goes in: `.domain_zone(&HostedZone::from_attributes(id, name))`",
            });
        }
        (None, Some(_)) => {
            return Err(Error::Missing {
                path: path.clone(),
                what: "domain_name",
                fix: "name the service inside the zone, e.g. `.domain_name(\"www.example.com\")`, or drop `.domain_zone(..)`",
            });
        }
        (Some(name), Some(zone)) => (strip_dot(name), zone),
    };
    zone.check(path)?;
    check_domain_name(path, "domain_name", name, false)?;
    if !zone.contains(name) {
        return Err(Error::InvalidProperty {
            path: path.clone(),
            property: "domain_name".to_owned(),
            reason: format!(
                "{name:?} is outside the hosted zone {:?}; name the service inside the zone, or give the zone of that domain",
                zone.zone_name()
            ),
        });
    }
    if !common.managed_certificates.is_empty()
        && !common.managed_certificates.iter().any(|c| c.covers(name))
    {
        return Err(Error::Conflict {
            path: path.clone(),
            first: "certificate",
            second: "domain_name",
            fix: "no given certificate is valid for the domain name: add the name (or a wildcard) to a certificate, or drop `.certificate(..)` to have one created",
        });
    }
    Ok(Some((name.to_owned(), zone.clone())))
}

/// Builds the extra listeners and target groups of an application pattern
/// ([`Routes`]) on the load balancer side `front` has built; the target
/// groups take the pattern's health check and deregistration delay, and
/// `instance_targets` as its own group.
pub(super) fn build_routes<W>(
    common: &Common<W>,
    plan: &Plan,
    front: &Front,
    stack: &mut Stack,
    instance_targets: bool,
) -> Result<alb_targets::Built> {
    let site = alb_targets::Site {
        node: plan.node,
        vpc: &plan.vpc,
        load_balancer: &front.load_balancer,
        public_listener: &front.listener,
        container: &common.container.name,
        health_check: common.health_check.as_ref(),
        deregistration_delay: common.deregistration_delay,
        instance_targets,
    };
    alb_targets::build(&common.routes, &site, stack)
}

/// Setters every load-balanced pattern shares (Fargate's and EC2's),
/// with their docs: `self.common` is a [`Common`].
macro_rules! lb_setters {
    () => {
        /// How many tasks run.
        ///
        /// CloudFormation default: 1 on create.
        /// ecscdk default: omitted, so a redeploy never resets a scaled service.
        pub fn desired_count(mut self, count: u32) -> Self {
            self.common.desired_count = Some(count);
            self
        }

        /// The deployment circuit breaker.
        ///
        /// CloudFormation default: off.
        /// ecscdk default: on with rollback, as the service's.
        pub fn circuit_breaker(mut self, breaker: CircuitBreaker) -> Self {
            self.common.circuit_breaker = Some(breaker);
            self
        }

        /// How the service rolls out a new revision. Blue/green, linear
        /// and canary strategies (application load balancers) add the
        /// alternate target group `LB/PublicListener/ECSAlternateGroup` and
        /// the rule `LB/PublicListener/ProductionRule` (priority 1, every
        /// path) forwarding to both by weight, which ECS shifts.
        ///
        /// CloudFormation default: `ROLLING`.
        /// ecscdk default: [`DeploymentStrategy::Rolling`](crate::ecs::DeploymentStrategy::Rolling).
        pub fn deployment_strategy(mut self, strategy: crate::ecs::DeploymentStrategy) -> Self {
            self.common.strategy = strategy;
            self
        }

        /// How long the old revision stays, ready to roll back to, after
        /// the new one takes all traffic (whole minutes, at most a day).
        ///
        /// CloudFormation default: 15 minutes for blue/green, linear and
        /// canary deployments; none for rolling ones.
        /// ecscdk default: omitted (ECS's).
        pub fn bake_time(mut self, bake_time: Duration) -> Self {
            self.common.bake_time = Some(bake_time);
            self
        }

        /// A listener `LB/TestListener` on `port` whose rule sends test
        /// traffic to the new revision before production traffic moves
        /// (blue/green, linear and canary strategies). It is open to no one:
        /// open its `connections()` to the testers.
        ///
        /// CloudFormation default: no test listener.
        /// ecscdk default: none.
        pub fn test_listener_port(mut self, port: u16) -> Self {
            self.common.test_listener_port = Some(port);
            self
        }

        /// Runs a Lambda function, or pauses, at stages of blue/green,
        /// linear and canary deployments (see
        /// [`LifecycleHook`](crate::ecs::LifecycleHook)). Repeatable.
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none.
        pub fn lifecycle_hook(mut self, hook: crate::ecs::LifecycleHook) -> Self {
            self.common.hooks.push(hook);
            self
        }

        /// The share of tasks kept healthy during a deployment.
        ///
        /// CloudFormation default: 100 %.
        /// ecscdk default: 100 % (the AWS CDK's patterns use 50 %).
        pub fn min_healthy_percent(mut self, percent: u32) -> Self {
            self.common.min_healthy_percent = percent;
            self
        }

        /// The most tasks, as a share of the desired count, during a deployment.
        ///
        /// CloudFormation default: 200 %.
        /// ecscdk default: 200 %.
        pub fn max_percent(mut self, percent: u32) -> Self {
            self.common.max_percent = percent;
            self
        }

        /// Whether the load balancer is internet-facing (else internal).
        ///
        /// An internal load balancer's target group has the child id
        /// `ECSPrivate` instead of `ECS` (the CDK's `uniqueTargetGroupId`
        /// flag), so switching between the two replaces the target group
        /// with the load balancer and the update succeeds.
        ///
        /// CloudFormation default: internet-facing.
        /// ecscdk default: internet-facing, as the AWS CDK.
        pub fn public_load_balancer(mut self, on: bool) -> Self {
            self.common.public = on;
            self
        }

        /// Adds an ACM certificate by ARN: the listener becomes encrypted
        /// (HTTPS or TLS) on port 443; further certificates are served by SNI.
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none (plain text on port 80).
        pub fn certificate_arn(mut self, arn: impl Into<Value<String>>) -> Self {
            self.common.certificates.push(arn.into());
            self
        }

        /// Adds an ACM certificate built in this app: as
        /// [`certificate_arn`](Self::certificate_arn), and with a
        /// [`domain_name`](Self::domain_name), one of the given certificates
        /// must be valid for it (checked at build).
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none (plain text on port 80).
        pub fn certificate(mut self, certificate: &Certificate) -> Self {
            self.common.certificates.push(certificate.arn().into());
            self.common.managed_certificates.push(certificate.clone());
            self
        }

        /// The service's domain name inside [`domain_zone`](Self::domain_zone)
        /// (e.g. `www.example.com`): an alias record `DNS` points it at the
        /// load balancer and `ServiceURL` uses it. With an application load
        /// balancer and no certificate given, a DNS-validated certificate
        /// `Certificate` is created for it, so the service speaks HTTPS on
        /// 443 and redirects HTTP.
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none (the load balancer's DNS name only).
        pub fn domain_name(mut self, name: impl Into<String>) -> Self {
            self.common.domain_name = Some(name.into());
            self
        }

        /// The Route 53 hosted zone of [`domain_name`](Self::domain_name),
        /// which holds the alias record and the certificate's validation
        /// records.
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none.
        pub fn domain_zone(mut self, zone: &HostedZone) -> Self {
            self.common.domain_zone = Some(zone.clone());
            self
        }

        /// How [`domain_name`](Self::domain_name) is published in the
        /// zone: an alias record, a `CNAME`, or no record (the certificate
        /// is still created and validated in the zone).
        ///
        /// CloudFormation default: not applicable.
        /// ecscdk default: [`DomainRecord::Alias`](crate::patterns::DomainRecord::Alias), as the AWS CDK.
        pub fn domain_record(mut self, record: crate::patterns::DomainRecord) -> Self {
            self.common.domain_record = record;
            self
        }

        /// The listener's port.
        ///
        /// CloudFormation default: none (required).
        /// ecscdk default: 443 with a certificate, else 80.
        pub fn listener_port(mut self, port: u16) -> Self {
            self.common.listener_port = Some(port);
            self
        }

        /// How the target group checks the tasks.
        ///
        /// CloudFormation default: HTTP `/` (application) or TCP (network).
        /// ecscdk default: omitted (Elastic Load Balancing's defaults).
        pub fn health_check(mut self, check: HealthCheck) -> Self {
            self.common.health_check = Some(check);
            self
        }

        /// ECS Exec: `aws ecs execute-command` into the running tasks; the
        /// task role gets the SSM messages permissions it needs. The
        /// container's root filesystem must be writable (or have scratch
        /// volumes where the agent writes), checked by the service at
        /// `build()`.
        ///
        /// CloudFormation default: off.
        /// ecscdk default: off, as the AWS CDK.
        pub fn enable_execute_command(mut self) -> Self {
            self.common.execute_command = true;
            self
        }

        /// How long a stopping task keeps its in-flight requests.
        ///
        /// CloudFormation default: 300 seconds.
        /// ecscdk default: omitted (300 seconds).
        pub fn deregistration_delay(mut self, delay: Duration) -> Self {
            self.common.deregistration_delay = Some(delay);
            self
        }
    };
}
pub(super) use lb_setters;

/// Accessors every load-balanced pattern shares: `self.parts` is a
/// [`Parts`].
macro_rules! lb_accessors {
    () => {
        /// The pattern's construct node.
        #[must_use]
        pub fn node(&self) -> NodeId {
            self.parts.node
        }

        /// The load balancer (child `LB`).
        #[must_use]
        pub fn load_balancer(&self) -> &LoadBalancer {
            &self.parts.load_balancer
        }

        /// The listener (child `LB/PublicListener`).
        #[must_use]
        pub fn listener(&self) -> &Listener {
            &self.parts.listener
        }

        /// The target group (child `LB/PublicListener/ECSGroup`).
        #[must_use]
        pub fn target_group(&self) -> &TargetGroup {
            &self.parts.target_group
        }

        /// The alias record of the domain name (child `DNS`), when one was
        /// given.
        #[must_use]
        pub fn dns_record(&self) -> Option<ARecord> {
            self.parts.dns_record
        }

        /// The rule ECS shifts production traffic with (child
        /// `LB/PublicListener/ProductionRule`), under a blue/green, linear
        /// or canary strategy.
        #[must_use]
        pub fn production_rule(&self) -> Option<&crate::elbv2::ListenerRule> {
            self.parts.production_rule.as_ref()
        }

        /// The alternate target group (child
        /// `LB/PublicListener/ECSAlternateGroup`), under a blue/green,
        /// linear or canary strategy.
        #[must_use]
        pub fn alternate_target_group(&self) -> Option<&TargetGroup> {
            self.parts.alternate_target_group.as_ref()
        }

        /// The test listener (child `LB/TestListener`), when a test port was
        /// given; closed to everyone until its `connections()` are opened.
        #[must_use]
        pub fn test_listener(&self) -> Option<&Listener> {
            self.parts.test_listener.as_ref()
        }
    };
}
pub(super) use lb_accessors;

/// Setters only the application-load-balanced builders have, with their
/// docs: `self.idle_timeout` and `self.redirect_http` are options.
macro_rules! alb_setters {
    () => {
        /// How long the load balancer keeps idle connections.
        ///
        /// CloudFormation default: 60 seconds.
        /// ecscdk default: omitted (60 seconds).
        pub fn idle_timeout(mut self, timeout: Duration) -> Self {
            self.idle_timeout = Some(timeout);
            self
        }

        /// Whether an HTTP listener on port 80 redirects to HTTPS (needs a
        /// certificate or a domain).
        ///
        /// CloudFormation default: not applicable.
        /// ecscdk default: on with a certificate or a domain (the AWS CDK's is off).
        pub fn redirect_http(mut self, on: bool) -> Self {
            self.redirect_http = Some(on);
            self
        }
    };
}
pub(super) use alb_setters;
