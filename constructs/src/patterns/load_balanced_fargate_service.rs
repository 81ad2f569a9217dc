//! Fargate services behind an application or a network load balancer, as
//! the AWS CDK's `ApplicationLoadBalancedFargateService` and
//! `NetworkLoadBalancedFargateService`: child ids `LB` (with `SecurityGroup`
//! and `PublicListener`, whose target group is `ECSGroup`), `TaskDef` and
//! `Service`, and the outputs `LoadBalancerDNS` and `ServiceURL`. With a
//! domain, the alias record `DNS` and (application load balancer without a
//! certificate) the DNS-validated `Certificate`. The application patterns
//! take more listeners and target groups with path- and host-based rules
//! ([`ExtraListener`](crate::patterns::ExtraListener),
//! [`ExtraTarget`](crate::patterns::ExtraTarget)).

use std::time::Duration;

use crate::certificatemanager::Certificate;
use crate::ec2::{Connectable, Port, SubnetSelection};
use crate::ecs::{
    CircuitBreaker, Cluster, ContainerBuilder, FargateService, FargateSize, FargateTaskDefinition,
    Volume,
};
use crate::elbv2::{HealthCheck, Listener, LoadBalancer, TargetGroup};
use crate::patterns::alb_targets::{self, route_accessors, route_setters};
use crate::patterns::load_balanced_service_base::{
    Common, Kind, Parts, alb_setters, build_routes, front, lb_accessors, lb_setters, outputs, plan,
};
use crate::route53::{ARecord, HostedZone};
use crate::synth::{NodeId, Value};
use crate::{Error, Result, Stack};

/// What the Fargate patterns build.
type FargateParts = Parts<FargateTaskDefinition, FargateService>;

/// What the Fargate patterns alone take.
#[derive(Debug, Clone, Default)]
pub(super) struct FargateOptions {
    size: Option<FargateSize>,
    volumes: Vec<Volume>,
    assign_public_ip: bool,
    task_subnets: Option<SubnetSelection>,
}

fn build(
    common: Common<FargateOptions>,
    kind: &Kind,
    stack: &mut Stack,
    parent: NodeId,
) -> Result<FargateParts> {
    let plan = plan(&common, kind, stack, parent)?;
    let node = plan.node;

    let mut task = FargateTaskDefinition::builder("TaskDef");
    if let Some(size) = common.workload.size {
        task = task.size(size);
    }
    for volume in common.workload.volumes.clone() {
        task = task.volume(volume);
    }
    let task = task
        .container(common.container.clone())
        .build_in(stack, node)?;
    let Some((container, container_port)) = task
        .default_port()
        .map(|(c, p)| (c.to_owned(), p.container_port()))
    else {
        return Err(Error::Missing {
            path: stack.path(node),
            what: "container port",
            fix: "map the port the load balancer sends traffic to: `.port(PortMapping::tcp(80))` on the container",
        });
    };

    let front = front(&common, kind, &plan, stack, container_port, false)?;
    let routes = build_routes(&common, &plan, &front, stack, false)?;

    let mut service = FargateService::builder("Service", &common.cluster, &task)
        .min_healthy_percent(common.min_healthy_percent)
        .max_percent(common.max_percent)
        .assign_public_ip(common.workload.assign_public_ip)
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
    if let Some(selection) = common.workload.task_subnets {
        service = service.vpc_subnets(selection);
    }
    let service = service.build_in(stack, node)?;
    if kind.preserve_client_ip == Some(true) {
        // Tasks see the clients' addresses, not the load balancer's.
        service.connections().allow_from_any_ipv4(
            stack,
            Port::tcp(container_port),
            Some("Clients through the load balancer"),
        )?;
    } else {
        for port in alb_targets::target_ports(container_port, &routes, Port::tcp) {
            service.connections().allow_from(
                stack,
                &front.load_balancer,
                port,
                Some("Load balancer to target"),
            )?;
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

/// Setters of the load-balanced Fargate builders, with their docs: the
/// Fargate workload's, then [`lb_setters`]'.
macro_rules! fargate_lb_setters {
    () => {
        /// The task size (cpu and memory).
        ///
        /// CloudFormation default: none (required for Fargate).
        /// ecscdk default: 0.25 vCPU and 512 MiB, as the AWS CDK.
        pub fn size(mut self, size: FargateSize) -> Self {
            self.common.workload.size = Some(size);
            self
        }

        /// Adds a task volume (e.g. scratch space for a read-only root
        /// filesystem).
        ///
        /// CloudFormation default: no volumes.
        /// ecscdk default: no volumes.
        pub fn volume(mut self, volume: Volume) -> Self {
            self.common.workload.volumes.push(volume);
            self
        }

        /// Whether tasks get public IP addresses (for public subnets without NAT).
        ///
        /// CloudFormation default: disabled.
        /// ecscdk default: disabled.
        pub fn assign_public_ip(mut self, on: bool) -> Self {
            self.common.workload.assign_public_ip = on;
            self
        }

        /// The subnets the tasks run in.
        ///
        /// CloudFormation default: none (required).
        /// ecscdk default: the VPC's private subnets.
        pub fn task_subnets(mut self, selection: SubnetSelection) -> Self {
            self.common.workload.task_subnets = Some(selection);
            self
        }

        lb_setters!();
    };
}

/// Accessors of the load-balanced Fargate patterns: [`lb_accessors`]', then
/// the Fargate task definition and service.
macro_rules! fargate_lb_accessors {
    () => {
        lb_accessors!();

        /// The task definition (child `TaskDef`).
        #[must_use]
        pub fn task_definition(&self) -> &FargateTaskDefinition {
            &self.parts.task_definition
        }

        /// The service (child `Service`): scale it with
        /// [`FargateService::auto_scale`].
        #[must_use]
        pub fn service(&self) -> &FargateService {
            &self.parts.service
        }
    };
}

/// A Fargate service behind an application load balancer: HTTP on port 80,
/// or HTTPS on 443 with a certificate and HTTP redirected to HTTPS. The load
/// balancer's security group admits only the listener ports; the service's
/// only the load balancer.
///
/// CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html) behind an [AWS::ElasticLoadBalancingV2::LoadBalancer](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html)
#[derive(Debug, Clone)]
pub struct ApplicationLoadBalancedFargateService {
    parts: FargateParts,
}

impl ApplicationLoadBalancedFargateService {
    /// A builder for the pattern `id` running `container` in `cluster`
    /// (which needs a VPC). The container's first port mapping receives
    /// the traffic; to keep the AWS CDK's ids, name it `web` and log with
    /// `LogDriver::aws_logs(id)`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        container: ContainerBuilder,
    ) -> ApplicationLoadBalancedFargateServiceBuilder {
        ApplicationLoadBalancedFargateServiceBuilder {
            common: Common::new(id.into(), cluster, container),
            idle_timeout: None,
            redirect_http: None,
        }
    }

    fargate_lb_accessors!();
    route_accessors!();

    /// The HTTP listener redirecting to HTTPS (child
    /// `LB/PublicRedirectListener`), when there is one.
    #[must_use]
    pub fn redirect_listener(&self) -> Option<&Listener> {
        self.parts.redirect_listener.as_ref()
    }

    /// The certificate created for the domain name (child `Certificate`),
    /// when the pattern created one.
    #[must_use]
    pub fn certificate(&self) -> Option<&Certificate> {
        self.parts.certificate.as_ref()
    }
}

/// Builds an [`ApplicationLoadBalancedFargateService`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ApplicationLoadBalancedFargateServiceBuilder {
    common: Common<FargateOptions>,
    idle_timeout: Option<Duration>,
    redirect_http: Option<bool>,
}

impl ApplicationLoadBalancedFargateServiceBuilder {
    fargate_lb_setters!();
    route_setters!();
    alb_setters!();

    /// Adds the pattern directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] when the cluster has no VPC, the container maps
    /// no port, or only one of domain name and zone is given;
    /// [`Error::InvalidProperty`] for a domain name outside its zone;
    /// [`Error::InvalidProperty`] for an extra listener whose name or port
    /// is taken, or a target on a port the container does not map, on an
    /// unknown listener, with a priority outside 1 to 50000 or taken on its
    /// listener, a priority without conditions (or the reverse, then
    /// [`Error::Missing`]), a second default of a listener, or more than
    /// five target groups in all;
    /// [`Error::Unsupported`] for an HTTP redirect without a certificate;
    /// [`Error::Conflict`] for given certificates none of which is valid
    /// for the domain name; the
    /// errors of the certificate and record builders; and the errors of the load balancer, listener, target
    /// group, task definition and service builders, with their paths.
    pub fn build(self, stack: &mut Stack) -> Result<ApplicationLoadBalancedFargateService> {
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
    ) -> Result<ApplicationLoadBalancedFargateService> {
        let encrypted = !self.common.certificates.is_empty() || self.common.domain_name.is_some();
        let kind = Kind {
            fqn: "ecscdk.patterns.ApplicationLoadBalancedFargateService",
            application: true,
            idle_timeout: self.idle_timeout,
            redirect_http: self.redirect_http.unwrap_or(encrypted),
            preserve_client_ip: None,
        };
        Ok(ApplicationLoadBalancedFargateService {
            parts: build(self.common, &kind, stack, parent)?,
        })
    }
}

/// A Fargate service behind a network load balancer: TCP on port 80, or TLS
/// on 443 with a certificate. The load balancer has a security group of its
/// own admitting only the listener port; the service admits only the load
/// balancer (or, with client IP preservation, any IPv4 address on the
/// container port).
///
/// CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html) behind an [AWS::ElasticLoadBalancingV2::LoadBalancer](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html)
#[derive(Debug, Clone)]
pub struct NetworkLoadBalancedFargateService {
    parts: FargateParts,
}

impl NetworkLoadBalancedFargateService {
    /// A builder for the pattern `id` running `container` in `cluster`
    /// (which needs a VPC). The container's first port mapping receives
    /// the traffic.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        container: ContainerBuilder,
    ) -> NetworkLoadBalancedFargateServiceBuilder {
        NetworkLoadBalancedFargateServiceBuilder {
            common: Common::new(id.into(), cluster, container),
            preserve_client_ip: None,
        }
    }

    fargate_lb_accessors!();
}

/// Builds a [`NetworkLoadBalancedFargateService`].
#[derive(Debug, Clone)]
#[must_use]
pub struct NetworkLoadBalancedFargateServiceBuilder {
    common: Common<FargateOptions>,
    preserve_client_ip: Option<bool>,
}

impl NetworkLoadBalancedFargateServiceBuilder {
    fargate_lb_setters!();

    /// Whether tasks see the clients' IP addresses. The service's security
    /// group then admits any IPv4 address on the container port, since
    /// traffic no longer comes from the load balancer's group.
    ///
    /// CloudFormation default: off for IP targets.
    /// ecscdk default: omitted (off): the service admits only the load balancer.
    pub fn preserve_client_ip(mut self, on: bool) -> Self {
        self.preserve_client_ip = Some(on);
        self
    }

    /// Adds the pattern directly under the stack.
    ///
    /// # Errors
    /// [`Error::Missing`] when the cluster has no VPC, the container maps
    /// no port, or only one of domain name and zone is given;
    /// [`Error::InvalidProperty`] for a domain name outside its zone;
    /// [`Error::Conflict`] for given certificates none of which is valid
    /// for the domain name; the errors of the record builder; and the
    /// errors of the load balancer, listener, target group,
    /// task definition and service builders, with their paths.
    pub fn build(self, stack: &mut Stack) -> Result<NetworkLoadBalancedFargateService> {
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
    ) -> Result<NetworkLoadBalancedFargateService> {
        let kind = Kind {
            fqn: "ecscdk.patterns.NetworkLoadBalancedFargateService",
            application: false,
            idle_timeout: None,
            redirect_http: false,
            preserve_client_ip: self.preserve_client_ip,
        };
        Ok(NetworkLoadBalancedFargateService {
            parts: build(self.common, &kind, stack, parent)?,
        })
    }
}
