//! EC2 services behind an application or a network load balancer, as the
//! AWS CDK's `ApplicationLoadBalancedEc2Service` and
//! `NetworkLoadBalancedEc2Service`: child ids `LB` (with `SecurityGroup` and
//! `PublicListener`, whose target group is `ECSGroup`), `TaskDef` (in
//! `bridge` network mode, the CDK's default for EC2) and `Service`, and the
//! outputs `LoadBalancerDNS` and `ServiceURL`.
//!
//! By default the tasks get dynamic host ports: the target group registers
//! `instance` targets, and the security groups of the Auto Scaling groups
//! named in the capacity provider strategy admit the load balancer's
//! security group, and only it, on the ephemeral port range 32768-65535, as
//! the CDK does. In `host` mode they admit it on the container port; in
//! `awsvpc` mode the targets are `ip` and the service's own security group
//! admits it.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ec2::Vpc;
//! use ecscdk::ecs::{AsgCapacityProvider, AutoScalingGroup, Cluster, Container, ContainerImage, PortMapping};
//! use ecscdk::patterns::ApplicationLoadBalancedEc2Service;
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let vpc = Vpc::builder("Vpc").nat_gateways(1).build(&mut stack)?;
//! let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
//! let asg = AutoScalingGroup::builder("Asg", &vpc, "t3.medium").capacity(1, 4).build(&mut stack)?;
//! let provider = AsgCapacityProvider::builder("Provider", &asg).build(&mut stack)?;
//! cluster.add_asg_capacity_provider(&mut stack, &provider)?;
//! let web = ApplicationLoadBalancedEc2Service::builder(
//!     "Web",
//!     &cluster,
//!     Container::builder("web", ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"))
//!         .memory_limit_mib(256)
//!         .writable_root_filesystem()
//!         .port(PortMapping::tcp(80)),
//! )
//! .capacity_provider_strategy([provider.strategy()])
//! .desired_count(2)
//! .build(&mut stack)?;
//! # let _ = web;
//! # Ok(()) }
//! ```

use std::time::Duration;

use crate::certificatemanager::Certificate;
use crate::ec2::{Connectable, Port};
use crate::ecs::{
    AsgCapacity, CircuitBreaker, Cluster, ContainerBuilder, Ec2NetworkMode, Ec2Service,
    Ec2TaskDefinition, Ec2Volume, PlacementStrategy, ServicePlacementConstraint,
};
use crate::elbv2::{HealthCheck, Listener, LoadBalancer, TargetGroup};
use crate::patterns::alb_targets::{self, route_accessors, route_setters};
use crate::patterns::load_balanced_service_base::{
    Common, Kind, Parts, alb_setters, build_routes, front, lb_accessors, lb_setters, outputs, plan,
};
use crate::route53::{ARecord, HostedZone};
use crate::synth::{NodeId, Value};
use crate::{Error, Result, Stack};

/// The ephemeral host ports Docker gives bridge-mode tasks, which the CDK
/// opens to the load balancer.
const EPHEMERAL_PORTS: (u16, u16) = (32768, 65535);

/// What only the EC2 patterns take.
#[derive(Debug, Clone, Default)]
struct Ec2Options {
    network_mode: Option<Ec2NetworkMode>,
    volumes: Vec<Ec2Volume>,
    strategy: Vec<AsgCapacity>,
    placement_strategies: Vec<PlacementStrategy>,
    placement_constraints: Vec<ServicePlacementConstraint>,
}

type Ec2Parts = Parts<Ec2TaskDefinition, Ec2Service>;

fn build(
    common: Common<Ec2Options>,
    kind: &Kind,
    stack: &mut Stack,
    parent: NodeId,
) -> Result<Ec2Parts> {
    let network_mode = common
        .workload
        .network_mode
        .unwrap_or(Ec2NetworkMode::Bridge);
    let on_instances = match network_mode {
        Ec2NetworkMode::Bridge | Ec2NetworkMode::Host => true,
        Ec2NetworkMode::AwsVpc => false,
        other => {
            return Err(Error::InvalidProperty {
                path: stack.path(parent).child(&common.id),
                property: "network_mode".to_owned(),
                reason: format!(
                    "a load balancer needs the tasks reachable: use bridge (the default), host or awsvpc, not {}",
                    other.as_str()
                ),
            });
        }
    };
    if on_instances && common.workload.strategy.is_empty() {
        return Err(Error::Missing {
            path: stack.path(parent).child(&common.id),
            what: "capacity provider strategy",
            fix: "name the Auto Scaling group capacity providers the tasks run on, `.capacity_provider_strategy([provider.strategy()])`, so their instances' security groups admit the load balancer on the tasks' host ports",
        });
    }
    if on_instances
        && common
            .workload
            .strategy
            .iter()
            .any(|item| item.provider().auto_scaling_group().node().stack() != stack.root().stack())
    {
        return Err(Error::Unsupported {
            path: stack.path(parent).child(&common.id),
            setting: "capacity_provider_strategy",
            situation: "with an Auto Scaling group of another stack",
            fix: "the instances' security group must admit the load balancer, a rule written in the group's stack: build the pattern in the stack of the cluster's Auto Scaling groups",
        });
    }
    let plan = plan(&common, kind, stack, parent)?;
    let node = plan.node;

    let mut task = Ec2TaskDefinition::builder("TaskDef", network_mode);
    for volume in common.workload.volumes.clone() {
        task = task.volume(volume);
    }
    let task = task
        .container(common.container.clone())
        .build_in(stack, node)?;
    let Some((container, container_port, host_port)) = task
        .default_port()
        .map(|(c, p)| (c.to_owned(), p.container_port(), p.host_port))
    else {
        return Err(Error::Missing {
            path: stack.path(node),
            what: "container port",
            fix: "map the port the load balancer sends traffic to: `.port(PortMapping::tcp(80))` on the container",
        });
    };

    let front = front(&common, kind, &plan, stack, container_port, on_instances)?;
    let routes = build_routes(&common, &plan, &front, stack, on_instances)?;

    let mut service = Ec2Service::builder("Service", &common.cluster, &task)
        .min_healthy_percent(common.min_healthy_percent)
        .max_percent(common.max_percent)
        .capacity_provider_strategy(common.workload.strategy.clone())
        .load_balancer_target(
            front.target_group.arn(),
            container.clone(),
            container_port,
            front.registration_depends_on(),
        )
        .deployment_strategy(common.strategy);
    if let Some(alternate) = front.alternate.clone() {
        service = service.alternate_target(alternate);
    }
    if let Some(bake) = common.bake_time {
        service = service.bake_time(bake);
    }
    for hook in common.hooks.clone() {
        service = service.lifecycle_hook(hook);
    }
    for routed in &routes.targets {
        service = service.load_balancer_target(
            routed.group.arn(),
            container.clone(),
            routed.container_port,
            [routed.depends_on],
        );
    }
    if let Some(count) = common.desired_count {
        service = service.desired_count(count);
    }
    if let Some(breaker) = common.circuit_breaker {
        service = service.circuit_breaker(breaker);
    }
    if common.execute_command {
        service = service.enable_execute_command();
    }
    for s in common.workload.placement_strategies.clone() {
        service = service.placement_strategy(s);
    }
    for c in common.workload.placement_constraints.clone() {
        service = service.placement_constraint(c);
    }
    let service = service.build_in(stack, node)?;

    // Bridge mode: the tasks listen on their instances, on a fixed host
    // port or on one Docker picks from the ephemeral range; host mode: on
    // the container port; awsvpc: on their own interfaces.
    let port_of = |port: u16| {
        let host_port = if port == container_port {
            host_port
        } else {
            common
                .container
                .ports
                .iter()
                .find(|p| p.container_port() == port)
                .and_then(|p| p.host_port)
        };
        match (network_mode, host_port) {
            (Ec2NetworkMode::Bridge, Some(h)) if h != 0 => Port::tcp(h),
            (Ec2NetworkMode::Bridge, _) => Port::tcp_range(EPHEMERAL_PORTS.0, EPHEMERAL_PORTS.1),
            _ => Port::tcp(port),
        }
    };
    let ports = alb_targets::target_ports(container_port, &routes, port_of);
    let mut targets = Vec::new();
    if on_instances {
        for item in &common.workload.strategy {
            let group = item.provider().auto_scaling_group();
            if !targets.iter().any(|(n, _)| *n == group.node()) {
                targets.push((group.node(), group.connections(stack)));
            }
        }
    } else {
        targets.push((service.node(), service.connections()));
    }
    for (_, instances) in targets {
        for &port in &ports {
            if kind.preserve_client_ip == Some(true) {
                // Instances see the clients' addresses, not the load balancer's.
                instances.allow_from_any_ipv4(
                    stack,
                    port,
                    Some("Clients through the load balancer"),
                )?;
            } else {
                instances.allow_from(
                    stack,
                    &front.load_balancer,
                    port,
                    Some("Load balancer to target"),
                )?;
            }
        }
    }

    outputs(stack, kind, &plan, &front)?;
    Ok(Parts {
        node,
        load_balancer: front.load_balancer,
        listener: front.listener,
        redirect_listener: front.redirect_listener,
        target_group: front.target_group,
        task_definition: task,
        service,
        certificate: front.certificate,
        dns_record: front.dns_record,
        production_rule: front.production_rule,
        alternate_target_group: front.alternate_target_group,
        test_listener: front.test_listener,
        extra_listeners: routes.listeners,
        extra_target_groups: routes.targets.into_iter().map(|r| r.group).collect(),
    })
}

/// Setters of the EC2 builders, with their docs.
macro_rules! ec2_setters {
    () => {
        /// The task definition's network mode: `bridge` (dynamic host ports
        /// on the instances), `host` (the container port on the instances)
        /// or `awsvpc` (an interface and security group per task, `ip`
        /// targets).
        ///
        /// CloudFormation default: `bridge`.
        /// ecscdk default: `bridge`, as the AWS CDK's EC2 patterns.
        pub fn network_mode(mut self, mode: Ec2NetworkMode) -> Self {
            self.common.workload.network_mode = Some(mode);
            self
        }

        /// Adds a task volume (e.g. scratch space for a read-only root
        /// filesystem, or an EFS file system).
        ///
        /// CloudFormation default: no volumes.
        /// ecscdk default: no volumes.
        pub fn volume(mut self, volume: impl Into<Ec2Volume>) -> Self {
            self.common.workload.volumes.push(volume.into());
            self
        }

        /// The Auto Scaling group capacity providers the tasks run on (each
        /// associated with the cluster); in `bridge` and `host` mode their
        /// instances' security groups admit the load balancer on the tasks'
        /// host ports.
        ///
        /// CloudFormation default: the cluster's default strategy, or the
        /// launch type.
        /// ecscdk default: none (required in `bridge` and `host` mode; the
        /// `EC2` launch type in `awsvpc` mode).
        pub fn capacity_provider_strategy(
            mut self,
            strategy: impl IntoIterator<Item = AsgCapacity>,
        ) -> Self {
            self.common.workload.strategy = strategy.into_iter().collect();
            self
        }

        /// Adds a placement strategy (applied in order).
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none.
        pub fn placement_strategy(mut self, strategy: PlacementStrategy) -> Self {
            self.common.workload.placement_strategies.push(strategy);
            self
        }

        /// Adds a placement constraint.
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none.
        pub fn placement_constraint(mut self, constraint: ServicePlacementConstraint) -> Self {
            self.common.workload.placement_constraints.push(constraint);
            self
        }

        lb_setters!();
    };
}

/// Accessors of the EC2 patterns.
macro_rules! ec2_accessors {
    () => {
        lb_accessors!();

        /// The task definition (child `TaskDef`).
        #[must_use]
        pub fn task_definition(&self) -> &Ec2TaskDefinition {
            &self.parts.task_definition
        }

        /// The service (child `Service`): scale it with
        /// [`Ec2Service::auto_scale`].
        #[must_use]
        pub fn service(&self) -> &Ec2Service {
            &self.parts.service
        }
    };
}

/// An EC2 service behind an application load balancer: HTTP on port 80, or
/// HTTPS on 443 with a certificate and HTTP redirected to HTTPS. The load
/// balancer's security group admits only the listener ports; the instances'
/// only the load balancer, on the tasks' host ports.
///
/// CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html) behind an [AWS::ElasticLoadBalancingV2::LoadBalancer](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html)
#[derive(Debug, Clone)]
pub struct ApplicationLoadBalancedEc2Service {
    parts: Ec2Parts,
}

impl ApplicationLoadBalancedEc2Service {
    /// A builder for the pattern `id` running `container` (with a memory
    /// limit or reservation) in `cluster` (which needs a VPC and an Auto
    /// Scaling group capacity provider). The container's first port mapping
    /// receives the traffic; to keep the AWS CDK's ids, name it `web`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        container: ContainerBuilder,
    ) -> ApplicationLoadBalancedEc2ServiceBuilder {
        ApplicationLoadBalancedEc2ServiceBuilder {
            common: Common::new(id.into(), cluster, container),
            idle_timeout: None,
            redirect_http: None,
        }
    }

    ec2_accessors!();
    route_accessors!();

    /// The HTTP listener redirecting to HTTPS (child
    /// `LB/PublicRedirectListener`), when there is one.
    #[must_use]
    pub fn redirect_listener(&self) -> Option<&Listener> {
        self.parts.redirect_listener.as_ref()
    }

    /// The DNS-validated certificate the pattern created for its domain
    /// (child `Certificate`), when it created one.
    #[must_use]
    pub fn certificate(&self) -> Option<&Certificate> {
        self.parts.certificate.as_ref()
    }
}

/// Builds an [`ApplicationLoadBalancedEc2Service`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ApplicationLoadBalancedEc2ServiceBuilder {
    common: Common<Ec2Options>,
    idle_timeout: Option<Duration>,
    redirect_http: Option<bool>,
}

impl ApplicationLoadBalancedEc2ServiceBuilder {
    ec2_setters!();
    route_setters!();
    alb_setters!();

    /// Adds the pattern directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] without a capacity provider strategy, when the
    /// cluster has no VPC or the container maps no port;
    /// [`Error::InvalidProperty`] for an extra listener whose name or port
    /// is taken, or a target on a port the container does not map, on an
    /// unknown listener, with a priority outside 1 to 50000 or taken on its
    /// listener, a priority without conditions (or the reverse, then
    /// [`Error::Missing`]), a second default of a listener, or more than
    /// five target groups in all;
    /// [`Error::Unsupported`] for an HTTP redirect without a certificate or
    /// an Auto Scaling group in another stack than the pattern's;
    /// [`Error::Conflict`] for given certificates none of which is valid
    /// for the domain name; and
    /// the errors of the load balancer, listener, target group, task
    /// definition and service builders, with their paths.
    pub fn build(self, stack: &mut Stack) -> Result<ApplicationLoadBalancedEc2Service> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the pattern under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(
        self,
        stack: &mut Stack,
        parent: NodeId,
    ) -> Result<ApplicationLoadBalancedEc2Service> {
        let encrypted = !self.common.certificates.is_empty() || self.common.domain_name.is_some();
        let kind = Kind {
            fqn: "ecscdk.patterns.ApplicationLoadBalancedEc2Service",
            application: true,
            idle_timeout: self.idle_timeout,
            redirect_http: self.redirect_http.unwrap_or(encrypted),
            preserve_client_ip: None,
        };
        Ok(ApplicationLoadBalancedEc2Service {
            parts: build(self.common, &kind, stack, parent)?,
        })
    }
}

/// An EC2 service behind a network load balancer: TCP on port 80, or TLS on
/// 443 with a certificate. The load balancer has a security group of its own
/// admitting only the listener port; the instances admit only the load
/// balancer on the tasks' host ports (or, with client IP preservation, any
/// IPv4 address on them).
///
/// CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html) behind an [AWS::ElasticLoadBalancingV2::LoadBalancer](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html)
#[derive(Debug, Clone)]
pub struct NetworkLoadBalancedEc2Service {
    parts: Ec2Parts,
}

impl NetworkLoadBalancedEc2Service {
    /// A builder for the pattern `id` running `container` (with a memory
    /// limit or reservation) in `cluster` (which needs a VPC and an Auto
    /// Scaling group capacity provider). The container's first port mapping
    /// receives the traffic.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        container: ContainerBuilder,
    ) -> NetworkLoadBalancedEc2ServiceBuilder {
        NetworkLoadBalancedEc2ServiceBuilder {
            common: Common::new(id.into(), cluster, container),
            preserve_client_ip: None,
        }
    }

    ec2_accessors!();
}

/// Builds a [`NetworkLoadBalancedEc2Service`].
#[derive(Debug, Clone)]
#[must_use]
pub struct NetworkLoadBalancedEc2ServiceBuilder {
    common: Common<Ec2Options>,
    preserve_client_ip: Option<bool>,
}

impl NetworkLoadBalancedEc2ServiceBuilder {
    ec2_setters!();

    /// Whether the instances see the clients' IP addresses. Their security
    /// groups then admit any IPv4 address on the tasks' host ports, since
    /// traffic no longer comes from the load balancer's group.
    ///
    /// CloudFormation default: on for instance targets.
    /// ecscdk default: off (written explicitly): the instances admit only
    /// the load balancer.
    pub fn preserve_client_ip(mut self, on: bool) -> Self {
        self.preserve_client_ip = Some(on);
        self
    }

    /// Adds the pattern directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] without a capacity provider strategy, when the
    /// cluster has no VPC or the container maps no port; [`Error::Unsupported`]
    /// for an Auto Scaling group in another stack than the pattern's;
    /// [`Error::Conflict`] for given certificates none of which is valid
    /// for the domain name; and the
    /// errors of the load balancer, listener, target group, task definition
    /// and service builders, with their paths.
    pub fn build(self, stack: &mut Stack) -> Result<NetworkLoadBalancedEc2Service> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the pattern under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(
        self,
        stack: &mut Stack,
        parent: NodeId,
    ) -> Result<NetworkLoadBalancedEc2Service> {
        let kind = Kind {
            fqn: "ecscdk.patterns.NetworkLoadBalancedEc2Service",
            application: false,
            idle_timeout: None,
            redirect_http: false,
            // Instance targets preserve client IPs unless told otherwise.
            preserve_client_ip: Some(self.preserve_client_ip.unwrap_or(false)),
        };
        Ok(NetworkLoadBalancedEc2Service {
            parts: build(self.common, &kind, stack, parent)?,
        })
    }
}
