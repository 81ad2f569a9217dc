//! `FargateService`: keeps a number of tasks of a Fargate task definition
//! running, rolls out new revisions safely and registers tasks with load
//! balancers.
//!
//! CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html).
//!
//! Replacement trap: changing between a launch type and a capacity provider
//! strategy replaces the service (CloudFormation's
//! `conditionalCreateOnlyProperties`); so do `ServiceName`, `LaunchType` and
//! the load balancer's container name and port.

use std::time::Duration;

use crate::appscaling::{
    PredefinedMetric, ScalableTarget, Schedule, ServiceNamespace, StepScaling, TargetTracking,
};
use crate::cfn::ecs::CfnService;
use crate::cfn::ecs::CfnServiceRef;
use crate::cfn::ecs::service::{
    AssignPublicIp, AvailabilityZoneRebalancing, AwsVpcConfiguration, CapacityProviderStrategyItem,
    DeploymentAlarms, DeploymentCircuitBreaker, DeploymentConfiguration, LaunchType, LoadBalancer,
    NetworkConfiguration, PropagateTags,
};
use crate::ec2::{Connectable, Connections, Port, SecurityGroup, SubnetSelection};
use crate::ecs::{Cluster, FargateCapacity, FargateTaskDefinition, ServiceConnect};
use crate::iam::PolicyStatement;
use crate::servicediscovery::{DiscoveryService, DnsRecordType, Namespace, NamespaceType};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// What a failed deployment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CircuitBreaker {
    /// Stop a deployment whose tasks keep failing and roll back to the last
    /// working revision.
    #[default]
    Rollback,
    /// Stop a failing deployment but leave it in place.
    StopOnly,
    /// Keep trying (ECS's behaviour without a circuit breaker).
    Off,
}

impl CircuitBreaker {
    /// The `DeploymentCircuitBreaker` of a service, `None` when off.
    pub(crate) fn render(self) -> Option<Value<DeploymentCircuitBreaker>> {
        (self != Self::Off).then(|| {
            Value::Lit(DeploymentCircuitBreaker {
                enable: Value::Lit(true),
                reset_on_healthy_task: None,
                rollback: Value::Lit(self == Self::Rollback),
                threshold_configuration: None,
            })
        })
    }
}

/// What ECS Exec needs in a task role: the SSM message channels.
pub(crate) fn exec_command_statement() -> PolicyStatement {
    PolicyStatement::allow()
        .actions([
            "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel",
        ])
        .resource("*")
}

/// The Fargate platform version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PlatformVersion {
    /// `LATEST`.
    #[default]
    Latest,
    /// `1.4.0`.
    V1_4_0,
    /// Another version string.
    Other(String),
}

/// A load balancer target group the service registers its tasks with.
#[derive(Debug, Clone, PartialEq)]
struct Target {
    target_group_arn: Value<String>,
    container: String,
    port: u16,
    depends_on: Vec<crate::synth::ResourceRef>,
}

/// A Fargate service. Cheap to clone; its `AWS::ECS::Service` is the child
/// `Service`, as in the AWS CDK.
#[derive(Debug, Clone, PartialEq)]
pub struct FargateService {
    node: NodeId,
    resource: CfnServiceRef,
    cluster_name: Value<String>,
    security_groups: Vec<SecurityGroup>,
    default_port: Option<Port>,
}

impl FargateService {
    /// A builder for a service of `task` in `cluster`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        task: &FargateTaskDefinition,
    ) -> FargateServiceBuilder {
        FargateServiceBuilder {
            id: id.into(),
            cluster: cluster.clone(),
            task: task.clone(),
            desired_count: None,
            min_healthy_percent: 100,
            max_percent: 200,
            circuit_breaker: CircuitBreaker::default(),
            alarms: None,
            strategy: Vec::new(),
            platform_version: None,
            subnets: Vec::new(),
            subnet_selection: None,
            security_groups: Vec::new(),
            groups: Vec::new(),
            assign_public_ip: false,
            grace_period: None,
            execute_command: false,
            service_name: None,
            rebalancing: None,
            targets: Vec::new(),
            service_connect: None,
            cloud_map: None,
        }
    }

    /// The service's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::ECS::Service` resource.
    #[must_use]
    pub fn resource(&self) -> CfnServiceRef {
        self.resource
    }

    /// The service's ARN (`Ref`).
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The service's name.
    #[must_use]
    pub fn name(&self) -> Expr<String> {
        self.resource.attr_name()
    }

    /// The name of the cluster the service runs in.
    #[must_use]
    pub fn cluster_name(&self) -> Value<String> {
        self.cluster_name.clone()
    }

    /// Scales the service's task count between `capacity`'s bounds: creates
    /// the scalable target `TaskCount/Target` (as the CDK's
    /// `autoScaleTaskCount`), to which scaling policies are then added.
    ///
    /// ```
    /// # use ecscdk::prelude::*;
    /// # use ecscdk::ecs::*;
    /// # fn main() -> ecscdk::Result<()> {
    /// # let mut stack = Stack::new("S");
    /// # let cluster = Cluster::builder("C").build(&mut stack)?;
    /// # let task = FargateTaskDefinition::builder("T").container(Container::builder("a", ContainerImage::registry("a:1"))).build(&mut stack)?;
    /// # let service = FargateService::builder("Svc", &cluster, &task).subnet_ids(["s"]).security_group_ids(["g"]).build(&mut stack)?;
    /// service.auto_scale(&mut stack, 2..=10)?.on_cpu(70.0)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] when the minimum is above the maximum or
    /// the maximum is 0; [`Error::DuplicateId`] when the service already
    /// scales.
    pub fn auto_scale<'a>(
        &self,
        stack: &'a mut Stack,
        capacity: std::ops::RangeInclusive<u32>,
    ) -> Result<ServiceScaling<'a>> {
        let scope = stack.scope_of_type(self.node, "TaskCount", "ecscdk.ecs.ScalableTaskCount")?;
        let target = ScalableTarget::builder(
            "Target",
            ServiceNamespace::Ecs,
            ScalableTarget::ecs_service_resource_id(self.cluster_name.clone(), self.name()),
            "ecs:service:DesiredCount",
            *capacity.start(),
            *capacity.end(),
        )
        .build_in(stack, scope)?;
        Ok(ServiceScaling { stack, target })
    }
}

/// The service's security groups, with the default container port as the
/// connections' default port: `service.connections().allow_from(&mut stack,
/// &lb, port, ..)`.
impl Connectable for FargateService {
    fn connections(&self) -> Connections {
        let connections = Connections::new(self.security_groups.iter().cloned());
        match self.default_port {
            Some(port) => connections.with_default_port(port),
            None => connections,
        }
    }
}

/// The task count of a service being scaled: add policies to it.
#[derive(Debug)]
pub struct ServiceScaling<'a> {
    stack: &'a mut Stack,
    target: ScalableTarget,
}

impl ServiceScaling<'_> {
    /// The scalable target, for policies this type has no shortcut for.
    #[must_use]
    pub fn target(&self) -> ScalableTarget {
        self.target
    }

    /// Keeps average CPU utilization near `percent` (policy `Cpu`).
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_to_track`].
    pub fn on_cpu(&mut self, percent: f64) -> Result<&mut Self> {
        self.track(
            "Cpu",
            TargetTracking::predefined(PredefinedMetric::EcsServiceAverageCpuUtilization, percent),
        )
    }

    /// Keeps average memory utilization near `percent` (policy `Memory`).
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_to_track`].
    pub fn on_memory(&mut self, percent: f64) -> Result<&mut Self> {
        self.track(
            "Memory",
            TargetTracking::predefined(
                PredefinedMetric::EcsServiceAverageMemoryUtilization,
                percent,
            ),
        )
    }

    /// Keeps ALB requests per target near `requests` (policy `Requests`);
    /// `resource_label` is `app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>`.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_to_track`].
    pub fn on_request_count(
        &mut self,
        resource_label: impl Into<Value<String>>,
        requests: f64,
    ) -> Result<&mut Self> {
        self.track(
            "Requests",
            TargetTracking::predefined(PredefinedMetric::AlbRequestCountPerTarget, requests)
                .resource_label(resource_label),
        )
    }

    /// Adds a target-tracking policy with construct id `id`.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_to_track`].
    pub fn track(&mut self, id: &str, policy: TargetTracking) -> Result<&mut Self> {
        self.target.scale_to_track(self.stack, id, policy)?;
        Ok(self)
    }

    /// Adds a step-scaling policy (with its alarms) on a CloudWatch metric.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_on_metric`].
    pub fn on_metric(&mut self, id: &str, policy: StepScaling) -> Result<&mut Self> {
        self.target.scale_on_metric(self.stack, id, policy)?;
        Ok(self)
    }

    /// Adds a scheduled action that sets the capacity bounds.
    ///
    /// # Errors
    /// As [`ScalableTarget::scale_on_schedule`].
    pub fn on_schedule(
        &mut self,
        id: &str,
        schedule: Schedule,
        min: Option<u32>,
        max: Option<u32>,
    ) -> Result<&mut Self> {
        self.target
            .scale_on_schedule(self.stack, id, schedule, min, max)?;
        Ok(self)
    }
}

/// Builds a [`FargateService`].
#[derive(Debug, Clone)]
#[must_use]
pub struct FargateServiceBuilder {
    id: String,
    cluster: Cluster,
    task: FargateTaskDefinition,
    desired_count: Option<u32>,
    min_healthy_percent: u32,
    max_percent: u32,
    circuit_breaker: CircuitBreaker,
    alarms: Option<(Vec<Value<String>>, bool)>,
    strategy: Vec<FargateCapacity>,
    platform_version: Option<PlatformVersion>,
    subnets: Vec<Value<String>>,
    subnet_selection: Option<SubnetSelection>,
    security_groups: Vec<Value<String>>,
    groups: Vec<SecurityGroup>,
    assign_public_ip: bool,
    grace_period: Option<Duration>,
    execute_command: bool,
    service_name: Option<Value<String>>,
    rebalancing: Option<bool>,
    targets: Vec<Target>,
    service_connect: Option<ServiceConnect>,
    cloud_map: Option<CloudMapOptions>,
}

/// How a service registers its tasks in AWS Cloud Map (as the CDK's
/// `cloudMapOptions`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CloudMapOptions {
    name: Option<String>,
    namespace: Option<Namespace>,
    dns_record_type: Option<DnsRecordType>,
    dns_ttl: Option<Duration>,
}

impl CloudMapOptions {
    /// Registration under `name` in the cluster's default namespace, with
    /// `A` records (the task's IP address) and a 60 s TTL.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: Some(name.into()),
            ..Self::default()
        }
    }

    /// Registers in `namespace` instead of the cluster's default one.
    #[must_use]
    pub fn namespace(mut self, namespace: impl Into<Namespace>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// The DNS record type (`SRV` records also carry the container port).
    #[must_use]
    pub fn dns_record_type(mut self, record_type: DnsRecordType) -> Self {
        self.dns_record_type = Some(record_type);
        self
    }

    /// How long resolvers cache the records.
    #[must_use]
    pub fn dns_ttl(mut self, ttl: Duration) -> Self {
        self.dns_ttl = Some(ttl);
        self
    }
}

impl FargateServiceBuilder {
    /// How many tasks to run.
    ///
    /// CloudFormation default: 1 on create; on update an omitted count keeps
    /// the current one.
    /// ecscdk default: omitted, so a redeploy never resets a count that auto
    /// scaling changed.
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = Some(count);
        self
    }

    /// The share of the desired count that must stay running during a
    /// deployment, percent.
    ///
    /// CloudFormation default: 100.
    /// ecscdk default: 100 (the AWS CDK silently uses 50).
    pub fn min_healthy_percent(mut self, percent: u32) -> Self {
        self.min_healthy_percent = percent;
        self
    }

    /// How far above the desired count a deployment may go, percent.
    ///
    /// CloudFormation default: 200.
    /// ecscdk default: 200.
    pub fn max_percent(mut self, percent: u32) -> Self {
        self.max_percent = percent;
        self
    }

    /// What happens when a deployment's tasks keep failing.
    ///
    /// CloudFormation default: no circuit breaker.
    /// ecscdk default: [`CircuitBreaker::Rollback`].
    pub fn circuit_breaker(mut self, breaker: CircuitBreaker) -> Self {
        self.circuit_breaker = breaker;
        self
    }

    /// CloudWatch alarms (names) that fail a deployment when they go off,
    /// rolling back if `rollback`.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn deployment_alarms<V: Into<Value<String>>>(
        mut self,
        alarm_names: impl IntoIterator<Item = V>,
        rollback: bool,
    ) -> Self {
        self.alarms = Some((alarm_names.into_iter().map(Into::into).collect(), rollback));
        self
    }

    /// Runs the tasks on `FARGATE` / `FARGATE_SPOT` by this strategy instead
    /// of the `FARGATE` launch type; the cluster needs the Fargate capacity
    /// providers. Switching between the two replaces the service.
    ///
    /// CloudFormation default: the cluster's default strategy, or the launch
    /// type.
    /// ecscdk default: the `FARGATE` launch type.
    pub fn capacity_provider_strategy(
        mut self,
        strategy: impl IntoIterator<Item = FargateCapacity>,
    ) -> Self {
        self.strategy = strategy.into_iter().collect();
        self
    }

    /// The Fargate platform version.
    ///
    /// CloudFormation default: `LATEST`.
    /// ecscdk default: omitted (`LATEST`).
    pub fn platform_version(mut self, version: PlatformVersion) -> Self {
        self.platform_version = Some(version);
        self
    }

    /// Which subnets of the cluster's VPC the tasks run in.
    ///
    /// CloudFormation default: none (required for awsvpc).
    /// ecscdk default: the VPC's default subnets (private with egress, else
    /// isolated, else public), as the CDK chooses.
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnet_selection = Some(selection);
        self
    }

    /// The tasks' security groups; none given creates one.
    ///
    /// CloudFormation default: the VPC's default security group.
    /// ecscdk default: a security group `SecurityGroup` of the service with
    /// no ingress (open it with `connections()`) and all egress, as the CDK.
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.groups.push(group.clone());
        self
    }

    /// The subnets the tasks run in, by id (instead of the cluster's VPC).
    ///
    /// CloudFormation default: none (required for awsvpc).
    /// ecscdk default: from the cluster's VPC.
    pub fn subnet_ids<V: Into<Value<String>>>(
        mut self,
        subnets: impl IntoIterator<Item = V>,
    ) -> Self {
        self.subnets.extend(subnets.into_iter().map(Into::into));
        self
    }

    /// Security groups of the tasks, by id (in addition to
    /// [`security_group`](Self::security_group)).
    ///
    /// CloudFormation default: the VPC's default security group.
    /// ecscdk default: a created security group (see `security_group`).
    pub fn security_group_ids<V: Into<Value<String>>>(
        mut self,
        groups: impl IntoIterator<Item = V>,
    ) -> Self {
        self.security_groups
            .extend(groups.into_iter().map(Into::into));
        self
    }

    /// Gives each task a public IP (needed in public subnets without NAT).
    ///
    /// CloudFormation default: `DISABLED`.
    /// ecscdk default: `DISABLED`.
    pub fn assign_public_ip(mut self, assign: bool) -> Self {
        self.assign_public_ip = assign;
        self
    }

    /// How long ECS ignores failing load-balancer health checks of a new
    /// task; only with a load balancer.
    ///
    /// CloudFormation default: 0 (with a load balancer).
    /// ecscdk default: 60 s when a load balancer is attached (as the CDK),
    /// else omitted.
    pub fn health_check_grace_period(mut self, period: Duration) -> Self {
        self.grace_period = Some(period);
        self
    }

    /// ECS Exec: `aws ecs execute-command` into running containers; the task
    /// role gets the SSM messages permissions it needs.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    pub fn enable_execute_command(mut self) -> Self {
        self.execute_command = true;
        self
    }

    /// The service's name; changing it replaces the service.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated).
    pub fn service_name(mut self, name: impl Into<Value<String>>) -> Self {
        self.service_name = Some(name.into());
        self
    }

    /// Availability Zone rebalancing: ECS moves tasks to even out AZs.
    ///
    /// CloudFormation default: `DISABLED` for existing services, `ENABLED`
    /// for new ones (ECS's current default).
    /// ecscdk default: omitted.
    pub fn availability_zone_rebalancing(mut self, enabled: bool) -> Self {
        self.rebalancing = Some(enabled);
        self
    }

    /// Registers the tasks' `container`:`port` with a target group (target
    /// type `ip`); `depends_on` lists resources the service must wait for
    /// (the listener, so the target group is attached to a load balancer).
    ///
    /// CloudFormation default: no load balancer.
    /// ecscdk default: no load balancer.
    pub fn load_balancer_target(
        mut self,
        target_group_arn: impl Into<Value<String>>,
        container: impl Into<String>,
        port: u16,
        depends_on: impl IntoIterator<Item = crate::synth::ResourceRef>,
    ) -> Self {
        self.targets.push(Target {
            target_group_arn: target_group_arn.into(),
            container: container.into(),
            port,
            depends_on: depends_on.into_iter().collect(),
        });
        self
    }

    /// Service Connect: the namespace and the named ports the service serves
    /// to other services (none: a client only).
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    pub fn service_connect(mut self, config: ServiceConnect) -> Self {
        self.service_connect = Some(config);
        self
    }

    /// Registers the tasks in AWS Cloud Map (a Cloud Map service
    /// `CloudmapService` of the service, with a custom health check ECS
    /// updates, as the CDK does).
    ///
    /// CloudFormation default: no registration.
    /// ecscdk default: no registration.
    pub fn cloud_map(mut self, options: CloudMapOptions) -> Self {
        self.cloud_map = Some(options);
        self
    }

    /// Adds the service directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a minimum healthy percent above the
    /// maximum or above 100, a load-balancer target naming an unknown
    /// container or port, or an invalid capacity provider strategy;
    /// [`Error::Conflict`] for a health check grace period without a load
    /// balancer, a capacity provider strategy on a cluster without the
    /// Fargate capacity providers, or ECS Exec with a container whose root
    /// filesystem is read-only and that mounts no writable volume;
    /// [`Error::Missing`] without subnets or security groups.
    pub fn build(self, stack: &mut Stack) -> Result<FargateService> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the service under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<FargateService> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ecs.FargateService")?;
        self.check(stack, node)?;
        let (subnets, groups) = self.network(stack, node)?;
        let mut security_group_ids: Vec<Value<String>> =
            groups.iter().map(SecurityGroup::group_id).collect();
        security_group_ids.extend(self.security_groups.iter().cloned());
        let default_port = self.task.default_port().map(|(_, p)| match p.protocol() {
            crate::ecs::Protocol::Tcp => Port::tcp(p.container_port()),
            crate::ecs::Protocol::Udp => Port::udp(p.container_port()),
        });

        if self.execute_command {
            self.task
                .task_role()
                .add_to_policy(stack, exec_command_statement())?;
        }

        let has_lb = !self.targets.is_empty();
        let grace = match (self.grace_period, has_lb) {
            (Some(g), _) => Some(g),
            (None, true) => Some(Duration::from_secs(60)),
            (None, false) => None,
        };
        let circuit_breaker = self.circuit_breaker.render();
        let alarms = self.alarms.map(|(names, rollback)| {
            Value::Lit(DeploymentAlarms {
                alarm_names: Value::Lit(names),
                enable: Value::Lit(true),
                rollback: Value::Lit(rollback),
            })
        });
        let (launch_type, strategy) = if self.strategy.is_empty() {
            (Some(Value::Lit(LaunchType::Fargate)), None)
        } else {
            let items = self
                .strategy
                .iter()
                .map(|item| {
                    Value::Lit(CapacityProviderStrategyItem {
                        base: item.base_tasks().map(|b| Value::Lit(i64::from(b))),
                        capacity_provider: Some(Value::from(item.provider_name())),
                        weight: Some(Value::Lit(i64::from(item.weight_value()))),
                    })
                })
                .collect();
            (None, Some(Value::Lit(items)))
        };
        let service_registries = match &self.cloud_map {
            None => None,
            Some(options) => {
                let Some(namespace) = options.namespace.or(self.cluster.default_namespace()) else {
                    return Err(Error::Missing {
                        path: stack.path(node),
                        what: "Cloud Map namespace",
                        fix: "give the cluster `.default_cloud_map_namespace(..)`, or the options `.namespace(..)`",
                    });
                };
                let mut builder =
                    DiscoveryService::builder("CloudmapService", namespace).custom_health_check(1);
                if let Some(name) = &options.name {
                    builder = builder.name(name.as_str());
                }
                if namespace.namespace_type() != NamespaceType::Http {
                    builder = builder
                        .dns_record_type(options.dns_record_type.unwrap_or(DnsRecordType::A));
                    if let Some(ttl) = options.dns_ttl {
                        builder = builder.dns_ttl(ttl);
                    }
                }
                let discovery = builder.build_in(stack, node)?;
                let (container, port) = self
                    .task
                    .default_port()
                    .map_or((String::new(), 0), |(c, p)| {
                        (c.to_owned(), p.container_port())
                    });
                if discovery.needs_container_port() && container.is_empty() {
                    return Err(Error::InvalidProperty {
                        path: stack.path(node),
                        property: "cloud_map".to_owned(),
                        reason: "SRV records carry a port, but no essential container maps one; add a port mapping"
                            .to_owned(),
                    });
                }
                Some(Value::Lit(vec![Value::Lit(
                    discovery.service_registry(container.as_str(), port),
                )]))
            }
        };
        let load_balancers: Vec<Value<LoadBalancer>> = self
            .targets
            .iter()
            .map(|t| {
                Value::Lit(LoadBalancer {
                    container_name: Some(Value::from(t.container.as_str())),
                    container_port: Some(Value::Lit(i64::from(t.port))),
                    target_group_arn: Some(t.target_group_arn.clone()),
                    ..LoadBalancer::default()
                })
            })
            .collect();
        let service = CfnService {
            availability_zone_rebalancing: self.rebalancing.map(|on| {
                Value::Lit(if on {
                    AvailabilityZoneRebalancing::Enabled
                } else {
                    AvailabilityZoneRebalancing::Disabled
                })
            }),
            capacity_provider_strategy: strategy,
            cluster: Some(self.cluster.name()),
            deployment_configuration: Some(Value::Lit(DeploymentConfiguration {
                alarms,
                deployment_circuit_breaker: circuit_breaker,
                maximum_percent: Some(Value::Lit(i64::from(self.max_percent))),
                minimum_healthy_percent: Some(Value::Lit(i64::from(self.min_healthy_percent))),
                ..DeploymentConfiguration::default()
            })),
            desired_count: self.desired_count.map(|c| Value::Lit(i64::from(c))),
            enable_ecs_managed_tags: Some(Value::Lit(true)),
            enable_execute_command: self.execute_command.then_some(Value::Lit(true)),
            health_check_grace_period_seconds: grace
                .map(|g| Value::Lit(i64::try_from(g.as_secs()).unwrap_or(i64::MAX))),
            launch_type,
            // An explicit empty list, as the CDK writes it: removing the last
            // target group then really detaches it.
            load_balancers: Some(Value::Lit(load_balancers)),
            network_configuration: Some(Value::Lit(NetworkConfiguration {
                awsvpc_configuration: Some(Value::Lit(AwsVpcConfiguration {
                    assign_public_ip: Some(Value::Lit(if self.assign_public_ip {
                        AssignPublicIp::Enabled
                    } else {
                        AssignPublicIp::Disabled
                    })),
                    security_groups: Some(Value::Lit(security_group_ids)),
                    subnets: Some(Value::Lit(subnets)),
                })),
            })),
            platform_version: self.platform_version.map(|v| {
                Value::Lit(match v {
                    PlatformVersion::Latest => "LATEST".to_owned(),
                    PlatformVersion::V1_4_0 => "1.4.0".to_owned(),
                    PlatformVersion::Other(s) => s,
                })
            }),
            propagate_tags: Some(Value::Lit(PropagateTags::Service)),
            service_connect_configuration: self.service_connect.as_ref().map(|sc| {
                Value::Lit(sc.render(self.cluster.default_namespace().map(|ns| ns.arn().into())))
            }),
            service_registries,
            service_name: self.service_name,
            task_definition: Some(self.task.arn().into()),
            ..CfnService::default()
        };
        let resource = stack.add(node, "Service", service)?;
        let options = stack.resource_options(resource)?;
        for t in &self.targets {
            for dep in &t.depends_on {
                options.depends_on(*dep);
            }
        }

        // As the CDK: everything of the service (its security group, its
        // scaling) depends on the task role and its policy, so the role
        // outlives the service on delete and draining tasks keep their
        // permissions.
        stack.add_node_dependency(node, self.task.task_role().node())?;
        self.cluster.order_service(stack, node)?;
        Ok(FargateService {
            node,
            resource,
            cluster_name: self.cluster.name(),
            security_groups: groups,
            default_port,
        })
    }

    fn check(&self, stack: &Stack, node: NodeId) -> Result<()> {
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if self.min_healthy_percent > self.max_percent {
            return Err(invalid(
                "min_healthy_percent",
                format!(
                    "minimum healthy {}% is above the maximum {}%; a deployment could never start a task",
                    self.min_healthy_percent, self.max_percent
                ),
            ));
        }
        if self.min_healthy_percent > 100 {
            return Err(invalid(
                "min_healthy_percent",
                format!("{}% is above 100%", self.min_healthy_percent),
            ));
        }
        if self.max_percent < 100 {
            return Err(invalid(
                "max_percent",
                format!(
                    "{}% is below 100%; ECS requires at least 100% for replica services",
                    self.max_percent
                ),
            ));
        }
        if self.grace_period.is_some() && self.targets.is_empty() {
            return Err(Error::Conflict {
                path,
                first: "health_check_grace_period",
                second: "no load balancer",
                fix: "a grace period only applies to load-balancer health checks; attach a target group or drop the grace period",
            });
        }
        if !self.strategy.is_empty() {
            crate::ecs::capacity::check_strategy(
                stack,
                node,
                "capacity_provider_strategy",
                &self.strategy.iter().map(|i| i.item()).collect::<Vec<_>>(),
            )?;
            if !self.cluster.has_fargate_capacity_providers() {
                return Err(Error::Conflict {
                    path,
                    first: "capacity_provider_strategy",
                    second: "cluster without Fargate capacity providers",
                    fix: "call `.fargate_capacity_providers()` on the cluster's builder",
                });
            }
        }
        for t in &self.targets {
            let container = self
                .task
                .containers()
                .iter()
                .find(|c| c.name == t.container);
            match container {
                None => {
                    return Err(invalid(
                        "load_balancer_target",
                        format!("the task definition has no container {:?}", t.container),
                    ));
                }
                Some(c) if !c.ports.iter().any(|p| p.container_port() == t.port) => {
                    return Err(invalid(
                        "load_balancer_target",
                        format!(
                            "container {:?} maps no port {}; add `.port(PortMapping::tcp({}))` to it",
                            t.container, t.port, t.port
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        if let Some(sc) = &self.service_connect {
            if sc.namespace.is_none() && self.cluster.default_namespace().is_none() {
                return Err(Error::Missing {
                    path,
                    what: "Service Connect namespace",
                    fix: "give the cluster `.default_cloud_map_namespace(..)`, or use `ServiceConnect::in_namespace(..)`",
                });
            }
            for port in &sc.ports {
                let named = self.task.containers().iter().any(|c| {
                    c.ports
                        .iter()
                        .any(|p| p.port_name() == Some(port.port_name.as_str()))
                });
                if !named {
                    return Err(invalid(
                        "service_connect",
                        format!(
                            "no container maps a port named {:?}; name the port mapping with `PortMapping::tcp(..).name({:?})`",
                            port.port_name, port.port_name
                        ),
                    ));
                }
            }
        }
        if self.execute_command
            && self
                .task
                .containers()
                .iter()
                .any(|c| c.readonly_root_filesystem && !c.writable_mounts)
        {
            return Err(Error::Conflict {
                path,
                first: "enable_execute_command",
                second: "read-only root filesystem",
                fix: "the ECS Exec agent writes to /managed-agents, /var/lib/amazon/ssm and /var/log/amazon/ssm: mount writable scratch volumes there, or make the root filesystem writable",
            });
        }
        if self.subnets.is_empty() && self.cluster.vpc().is_none() {
            return Err(Error::Missing {
                path,
                what: "subnet_ids",
                fix: "give the cluster a VPC with `.vpc(&vpc)`, or the service its subnets with `.subnet_ids(..)`",
            });
        }
        if !self.subnets.is_empty() && self.subnet_selection.is_some() {
            return Err(Error::Conflict {
                path,
                first: "subnet_ids",
                second: "vpc_subnets",
                fix: "choose subnets either by id or by selection from the cluster's VPC",
            });
        }
        if self.security_groups.is_empty() && self.groups.is_empty() && self.cluster.vpc().is_none()
        {
            return Err(Error::Missing {
                path,
                what: "security_group_ids",
                fix: "give the cluster a VPC with `.vpc(&vpc)` (a security group is then created), or the service its groups",
            });
        }
        Ok(())
    }

    /// The subnets and security groups of the tasks: given, or from the
    /// cluster's VPC (creating the service's security group).
    fn network(
        &self,
        stack: &mut Stack,
        node: NodeId,
    ) -> Result<(Vec<Value<String>>, Vec<SecurityGroup>)> {
        let subnets = if self.subnets.is_empty() {
            match self.cluster.vpc() {
                Some(vpc) => vpc
                    .select_subnets(&self.subnet_selection.clone().unwrap_or_default())?
                    .subnet_ids(),
                None => Vec::new(),
            }
        } else {
            self.subnets.clone()
        };
        let mut groups = self.groups.clone();
        if groups.is_empty()
            && self.security_groups.is_empty()
            && let Some(vpc) = self.cluster.vpc()
        {
            groups.push(SecurityGroup::builder("SecurityGroup", vpc).build_in(stack, node)?);
        }
        Ok((subnets, groups))
    }
}
