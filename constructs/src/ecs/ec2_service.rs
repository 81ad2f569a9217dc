//! `Ec2Service`: runs an [`Ec2TaskDefinition`] on the container instances
//! of a cluster's Auto Scaling group capacity providers, as replicas or one
//! task per instance (daemon), placed by typed strategies and constraints.
//!
//! CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html).
//!
//! Its capacity provider strategy holds only [`AsgCapacity`] items: a
//! strategy mixing Fargate and Auto Scaling group providers, which ECS
//! rejects, does not compile.
//!
//! The service depends on the cluster's capacity-provider associations, so
//! CloudFormation creates it after its provider is associated and deletes it
//! before the association goes.

use std::time::Duration;

use crate::cfn::ecs::service::{
    AssignPublicIp, AwsVpcConfiguration, CapacityProviderStrategyItem, DeploymentConfiguration,
    LaunchType, LoadBalancer, NetworkConfiguration, PlacementConstraint, PlacementConstraintType,
    PlacementStrategy as CfnPlacementStrategy, PlacementStrategyType, PropagateTags,
    SchedulingStrategy,
};
use crate::cfn::ecs::{CfnService, CfnServiceRef};
use crate::ec2::{SecurityGroup, SubnetSelection};
use crate::ecs::capacity::StrategyItem;
use crate::ecs::ec2_task_definition::check_member_of;
use crate::ecs::fargate_service::exec_command_statement;
use crate::ecs::{AsgCapacity, CircuitBreaker, Cluster, Ec2NetworkMode, Ec2TaskDefinition};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// How tasks are spread over instances.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlacementStrategy {
    /// Evenly over the values of an attribute (`spread`), e.g.
    /// `attribute:ecs.availability-zone` or `instanceId`.
    Spread(String),
    /// Onto as few instances as fit, by `memory` or `cpu` (`binpack`).
    Binpack(BinpackResource),
    /// Randomly.
    Random,
}

impl PlacementStrategy {
    /// Spread over Availability Zones.
    #[must_use]
    pub fn spread_across_zones() -> Self {
        Self::Spread("attribute:ecs.availability-zone".to_owned())
    }

    /// Spread over instances.
    #[must_use]
    pub fn spread_across_instances() -> Self {
        Self::Spread("instanceId".to_owned())
    }
}

/// What [`PlacementStrategy::Binpack`] packs by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BinpackResource {
    /// Memory.
    Memory,
    /// CPU.
    Cpu,
}

/// Which instances may run the service's tasks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServicePlacementConstraint {
    /// Each task on a different instance (`distinctInstance`).
    DistinctInstance,
    /// Instances matching a cluster query language expression (`memberOf`).
    MemberOf(String),
}

/// An EC2 service. Cheap to clone; its `AWS::ECS::Service` is the child
/// `Service`, as in the AWS CDK.
#[derive(Debug, Clone, PartialEq)]
pub struct Ec2Service {
    node: NodeId,
    resource: CfnServiceRef,
}

impl Ec2Service {
    /// A builder for a service of `task` in `cluster`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        task: &Ec2TaskDefinition,
    ) -> Ec2ServiceBuilder {
        Ec2ServiceBuilder {
            id: id.into(),
            cluster: cluster.clone(),
            task: task.clone(),
            desired_count: None,
            daemon: false,
            min_healthy_percent: None,
            max_percent: None,
            circuit_breaker: CircuitBreaker::default(),
            strategy: Vec::new(),
            placement_strategies: Vec::new(),
            placement_constraints: Vec::new(),
            subnet_selection: None,
            security_groups: Vec::new(),
            execute_command: false,
            service_name: None,
            targets: Vec::new(),
            grace_period: None,
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
}

/// Builds an [`Ec2Service`].
#[derive(Debug, Clone)]
#[must_use]
pub struct Ec2ServiceBuilder {
    id: String,
    cluster: Cluster,
    task: Ec2TaskDefinition,
    desired_count: Option<u32>,
    daemon: bool,
    min_healthy_percent: Option<u32>,
    max_percent: Option<u32>,
    circuit_breaker: CircuitBreaker,
    strategy: Vec<AsgCapacity>,
    placement_strategies: Vec<PlacementStrategy>,
    placement_constraints: Vec<ServicePlacementConstraint>,
    subnet_selection: Option<SubnetSelection>,
    security_groups: Vec<SecurityGroup>,
    execute_command: bool,
    service_name: Option<Value<String>>,
    targets: Vec<(Value<String>, String, u16)>,
    grace_period: Option<Duration>,
}

impl Ec2ServiceBuilder {
    /// How many tasks to run (replica services only).
    ///
    /// CloudFormation default: 1 on create.
    /// ecscdk default: omitted, so a redeploy never resets a count that auto
    /// scaling changed.
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = Some(count);
        self
    }

    /// One task on every container instance (`DAEMON` scheduling).
    ///
    /// CloudFormation default: `REPLICA`.
    /// ecscdk default: `REPLICA`.
    pub fn daemon(mut self) -> Self {
        self.daemon = true;
        self
    }

    /// The share of the desired count that must stay running during a
    /// deployment, percent.
    ///
    /// CloudFormation default: 100 (replica), 0 (daemon).
    /// ecscdk default: 100 for replicas, 0 for daemons.
    pub fn min_healthy_percent(mut self, percent: u32) -> Self {
        self.min_healthy_percent = Some(percent);
        self
    }

    /// How far above the desired count a deployment may go, percent.
    ///
    /// CloudFormation default: 200 (replica), 100 (daemon).
    /// ecscdk default: 200 for replicas, 100 for daemons.
    pub fn max_percent(mut self, percent: u32) -> Self {
        self.max_percent = Some(percent);
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

    /// Runs the tasks on Auto Scaling group capacity providers by this
    /// strategy (each associated with the cluster).
    ///
    /// CloudFormation default: the cluster's default strategy, or the launch
    /// type.
    /// ecscdk default: the `EC2` launch type.
    pub fn capacity_provider_strategy(
        mut self,
        strategy: impl IntoIterator<Item = AsgCapacity>,
    ) -> Self {
        self.strategy = strategy.into_iter().collect();
        self
    }

    /// Adds a placement strategy (applied in order).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn placement_strategy(mut self, strategy: PlacementStrategy) -> Self {
        self.placement_strategies.push(strategy);
        self
    }

    /// Adds a placement constraint.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn placement_constraint(mut self, constraint: ServicePlacementConstraint) -> Self {
        self.placement_constraints.push(constraint);
        self
    }

    /// Which subnets of the cluster's VPC the tasks run in (`awsvpc` task
    /// definitions only).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: the VPC's default subnets.
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnet_selection = Some(selection);
        self
    }

    /// A security group of the tasks (`awsvpc` task definitions only).
    ///
    /// CloudFormation default: the VPC's default security group.
    /// ecscdk default: a created group `SecurityGroup` with all egress.
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_groups.push(group.clone());
        self
    }

    /// ECS Exec into running containers; the task role gets the SSM messages
    /// permissions.
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

    /// Registers `container`:`port` with a target group (`instance` targets
    /// with dynamic host ports in bridge mode, `ip` targets in awsvpc mode).
    ///
    /// CloudFormation default: no load balancer.
    /// ecscdk default: no load balancer.
    pub fn load_balancer_target(
        mut self,
        target_group_arn: impl Into<Value<String>>,
        container: impl Into<String>,
        port: u16,
    ) -> Self {
        self.targets
            .push((target_group_arn.into(), container.into(), port));
        self
    }

    /// How long ECS ignores failing load-balancer health checks of a new
    /// task.
    ///
    /// CloudFormation default: 0 (with a load balancer).
    /// ecscdk default: 60 s with a load balancer, else omitted.
    pub fn health_check_grace_period(mut self, period: Duration) -> Self {
        self.grace_period = Some(period);
        self
    }

    /// Adds the service directly under the stack.
    ///
    /// # Errors
    /// [`Error::Conflict`] for a daemon with a desired count, a capacity
    /// provider strategy, or a placement strategy; a provider not associated
    /// with the cluster; a grace period without a load balancer;
    /// [`Error::InvalidProperty`] for deployment percentages ECS rejects, an
    /// invalid strategy, a `memberOf` expression that does not parse, a GPU
    /// task on a provider whose instance types have no GPUs, or a load
    /// balancer target naming an unknown container or port;
    /// [`Error::Missing`] for an `awsvpc` task on a cluster without a VPC.
    pub fn build(self, stack: &mut Stack) -> Result<Ec2Service> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the service under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Ec2Service> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ecs.Ec2Service")?;
        self.check(stack, node)?;
        let (min_default, max_default) = if self.daemon { (0, 100) } else { (100, 200) };
        let network_configuration = if self.task.network_mode() == Ec2NetworkMode::AwsVpc {
            let Some(vpc) = self.cluster.vpc() else {
                return Err(Error::Missing {
                    path: stack.path(node),
                    what: "cluster vpc",
                    fix: "an awsvpc task needs subnets: give the cluster `.vpc(&vpc)`",
                });
            };
            let subnets = vpc
                .select_subnets(&self.subnet_selection.clone().unwrap_or_default())?
                .subnet_ids();
            let mut groups = self.security_groups.clone();
            if groups.is_empty() {
                groups.push(SecurityGroup::builder("SecurityGroup", vpc).build_in(stack, node)?);
            }
            Some(Value::Lit(NetworkConfiguration {
                awsvpc_configuration: Some(Value::Lit(AwsVpcConfiguration {
                    assign_public_ip: Some(Value::Lit(AssignPublicIp::Disabled)),
                    security_groups: Some(Value::Lit(
                        groups.iter().map(SecurityGroup::group_id).collect(),
                    )),
                    subnets: Some(Value::Lit(subnets)),
                })),
            }))
        } else {
            None
        };
        if self.execute_command {
            self.task
                .task_role()
                .add_to_policy(stack, exec_command_statement())?;
        }
        let circuit_breaker = self.circuit_breaker.render();
        let (launch_type, strategy) = if self.strategy.is_empty() {
            (Some(Value::Lit(LaunchType::Ec2)), None)
        } else {
            let items = self
                .strategy
                .iter()
                .map(|item| {
                    let item = item.item();
                    Value::Lit(CapacityProviderStrategyItem {
                        base: item.base.map(|b| Value::Lit(i64::from(b))),
                        capacity_provider: Some(item.name),
                        weight: Some(Value::Lit(i64::from(item.weight))),
                    })
                })
                .collect();
            (None, Some(Value::Lit(items)))
        };
        let placement_strategies: Vec<Value<CfnPlacementStrategy>> = self
            .placement_strategies
            .iter()
            .map(|s| {
                Value::Lit(match s {
                    PlacementStrategy::Spread(field) => CfnPlacementStrategy {
                        field: Some(Value::from(field.as_str())),
                        r#type: Value::Lit(PlacementStrategyType::Spread),
                    },
                    PlacementStrategy::Binpack(resource) => CfnPlacementStrategy {
                        field: Some(Value::from(match resource {
                            BinpackResource::Memory => "memory",
                            BinpackResource::Cpu => "cpu",
                        })),
                        r#type: Value::Lit(PlacementStrategyType::Binpack),
                    },
                    PlacementStrategy::Random => CfnPlacementStrategy {
                        field: None,
                        r#type: Value::Lit(PlacementStrategyType::Random),
                    },
                })
            })
            .collect();
        let placement_constraints: Vec<Value<PlacementConstraint>> = self
            .placement_constraints
            .iter()
            .map(|c| {
                Value::Lit(match c {
                    ServicePlacementConstraint::DistinctInstance => PlacementConstraint {
                        expression: None,
                        r#type: Value::Lit(PlacementConstraintType::DistinctInstance),
                    },
                    ServicePlacementConstraint::MemberOf(e) => PlacementConstraint {
                        expression: Some(Value::from(e.as_str())),
                        r#type: Value::Lit(PlacementConstraintType::MemberOf),
                    },
                })
            })
            .collect();
        let has_lb = !self.targets.is_empty();
        let grace = self
            .grace_period
            .or(has_lb.then_some(Duration::from_secs(60)));
        let service = CfnService {
            capacity_provider_strategy: strategy,
            cluster: Some(self.cluster.name()),
            deployment_configuration: Some(Value::Lit(DeploymentConfiguration {
                deployment_circuit_breaker: circuit_breaker,
                maximum_percent: Some(Value::Lit(i64::from(
                    self.max_percent.unwrap_or(max_default),
                ))),
                minimum_healthy_percent: Some(Value::Lit(i64::from(
                    self.min_healthy_percent.unwrap_or(min_default),
                ))),
                ..DeploymentConfiguration::default()
            })),
            desired_count: self.desired_count.map(|c| Value::Lit(i64::from(c))),
            enable_ecs_managed_tags: Some(Value::Lit(true)),
            enable_execute_command: self.execute_command.then_some(Value::Lit(true)),
            health_check_grace_period_seconds: grace
                .map(|g| Value::Lit(i64::try_from(g.as_secs()).unwrap_or(i64::MAX))),
            launch_type,
            load_balancers: Some(Value::Lit(
                self.targets
                    .iter()
                    .map(|(arn, container, port)| {
                        Value::Lit(LoadBalancer {
                            container_name: Some(Value::from(container.as_str())),
                            container_port: Some(Value::Lit(i64::from(*port))),
                            target_group_arn: Some(arn.clone()),
                            ..LoadBalancer::default()
                        })
                    })
                    .collect(),
            )),
            network_configuration,
            placement_constraints: (!placement_constraints.is_empty())
                .then(|| Value::Lit(placement_constraints)),
            placement_strategies: (!placement_strategies.is_empty())
                .then(|| Value::Lit(placement_strategies)),
            propagate_tags: Some(Value::Lit(PropagateTags::Service)),
            scheduling_strategy: Some(Value::Lit(if self.daemon {
                SchedulingStrategy::Daemon
            } else {
                SchedulingStrategy::Replica
            })),
            service_name: self.service_name,
            task_definition: Some(self.task.arn().into()),
            ..CfnService::default()
        };
        let resource = stack.add(node, "Service", service)?;
        // As the CDK: the task role outlives the service on delete.
        stack.add_node_dependency(node, self.task.task_role().node())?;
        self.cluster.order_service(stack, node)?;
        Ok(Ec2Service { node, resource })
    }

    fn check(&self, stack: &Stack, node: NodeId) -> Result<()> {
        let path = stack.path(node);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        let conflict = |first, second, fix| Error::Conflict {
            path: path.clone(),
            first,
            second,
            fix,
        };
        if self.daemon {
            if self.desired_count.is_some() {
                return Err(conflict(
                    "daemon",
                    "desired_count",
                    "a daemon service runs one task per instance; drop the desired count",
                ));
            }
            if !self.strategy.is_empty() {
                return Err(conflict(
                    "daemon",
                    "capacity_provider_strategy",
                    "ECS does not run daemon services on capacity providers; drop the strategy (the EC2 launch type is used)",
                ));
            }
            if !self.placement_strategies.is_empty() {
                return Err(conflict(
                    "daemon",
                    "placement_strategy",
                    "a daemon places one task on every instance; drop the placement strategy",
                ));
            }
        }
        let (min, max) = if self.daemon { (0, 100) } else { (100, 200) };
        let min = self.min_healthy_percent.unwrap_or(min);
        let max = self.max_percent.unwrap_or(max);
        if min > max || min > 100 {
            return Err(invalid(
                "min_healthy_percent",
                format!("minimum healthy {min}% is above the maximum {max}% or 100%"),
            ));
        }
        if !self.daemon && max < 100 {
            return Err(invalid(
                "max_percent",
                format!("{max}% is below 100%; ECS requires at least 100% for replica services"),
            ));
        }
        if !self.strategy.is_empty() {
            let items: Vec<StrategyItem> = self.strategy.iter().map(AsgCapacity::item).collect();
            crate::ecs::capacity::check_strategy(
                stack,
                node,
                "capacity_provider_strategy",
                &items,
            )?;
            for item in &self.strategy {
                if !self.cluster.has_asg_provider(stack, &item.provider()) {
                    return Err(conflict(
                        "capacity_provider_strategy",
                        "provider not associated with the cluster",
                        "call `cluster.add_asg_capacity_provider(&mut stack, &provider)` first",
                    ));
                }
                if self.task.gpu_count() > 0
                    && item.provider().auto_scaling_group().has_gpus() == Some(false)
                {
                    return Err(invalid(
                        "capacity_provider_strategy",
                        format!(
                            "the task reserves {} GPU(s), but the provider's instance types have none; use GPU instances (g5, p4d, ..) with a GPU AMI",
                            self.task.gpu_count()
                        ),
                    ));
                }
            }
        }
        for c in &self.placement_constraints {
            if let ServicePlacementConstraint::MemberOf(e) = c {
                check_member_of(e).map_err(|reason| invalid("placement_constraint", reason))?;
            }
        }
        if self.grace_period.is_some() && self.targets.is_empty() {
            return Err(conflict(
                "health_check_grace_period",
                "no load balancer",
                "a grace period only applies to load-balancer health checks; attach a target group or drop the grace period",
            ));
        }
        for (_, container, port) in &self.targets {
            let found = self.task.containers().iter().find(|c| &c.name == container);
            match found {
                None => {
                    return Err(invalid(
                        "load_balancer_target",
                        format!("the task definition has no container {container:?}"),
                    ));
                }
                Some(c) if !c.ports.iter().any(|p| p.container_port() == *port) => {
                    return Err(invalid(
                        "load_balancer_target",
                        format!("container {container:?} maps no port {port}"),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}
