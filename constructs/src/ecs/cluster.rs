//! `Cluster`: an ECS cluster, its settings and its Fargate capacity providers.
//!
//! CloudFormation: [AWS::ECS::Cluster](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-cluster.html),
//! [AWS::ECS::ClusterCapacityProviderAssociations](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-clustercapacityproviderassociations.html).

use crate::cfn::ecs::cluster::ServiceConnectDefaults;
use crate::cfn::ecs::cluster::{
    ClusterConfiguration, ClusterSettings, ExecuteCommandConfiguration,
    ExecuteCommandLogConfiguration, Logging,
};
use crate::cfn::ecs::cluster_capacity_provider_associations::CapacityProviderStrategy;
use crate::cfn::ecs::{
    CfnCluster, CfnClusterCapacityProviderAssociations, CfnClusterCapacityProviderAssociationsRef,
};
use crate::ec2::{SecurityGroup, Vpc};
use crate::ecs::FargateCapacity;
use crate::ecs::capacity::StrategyItem;
use crate::ecs::{AsgCapacity, AsgCapacityProvider};
use crate::servicediscovery::{HttpNamespace, Namespace, NamespaceType, PrivateDnsNamespace};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// CloudWatch Container Insights for a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ContainerInsights {
    /// Cluster- and service-level metrics.
    #[default]
    Enabled,
    /// Also task- and container-level metrics (Container Insights with
    /// enhanced observability).
    Enhanced,
    /// Off.
    Disabled,
}

impl ContainerInsights {
    fn as_str(self) -> &'static str {
        match self {
            Self::Enabled => "enabled",
            Self::Enhanced => "enhanced",
            Self::Disabled => "disabled",
        }
    }
}

/// Where ECS Exec session output goes.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum ExecCommandLogging {
    /// The awslogs configuration of each task definition (ECS's default).
    #[default]
    Default,
    /// Not logged.
    None,
    /// To a CloudWatch log group and/or an S3 bucket, encrypted.
    Override {
        /// The log group's name.
        log_group_name: Option<Value<String>>,
        /// The bucket's name.
        s3_bucket_name: Option<Value<String>>,
        /// A key prefix in the bucket.
        s3_key_prefix: Option<Value<String>>,
    },
}

/// An ECS cluster: a handle to a cluster of this app or an imported one.
///
/// Cheap to clone. Built clusters keep their `AWS::ECS::Cluster` as the child
/// `Resource` and their capacity-provider associations as the child
/// `Cluster`, as the AWS CDK does.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    node: Option<NodeId>,
    name: Value<String>,
    arn: Value<String>,
    fargate_capacity_providers: bool,
    vpc: Option<Vpc>,
    default_namespace: Option<Namespace>,
    /// An imported cluster's container instances' security groups.
    instance_groups: Vec<SecurityGroup>,
    /// Whether GuardDuty Runtime Monitoring manages this cluster's agent,
    /// by the cluster's `GuardDutyManaged` tag (`None`: untagged).
    runtime_monitoring: Option<bool>,
}

/// What is known of a cluster deployed elsewhere (another app, another
/// tool, the console), for [`Cluster::from_attributes`]: its name, and
/// optionally its ARN, the VPC its tasks run in, its container instances'
/// security groups and its default Cloud Map namespace (the AWS CDK's
/// `ClusterAttributes`).
///
/// ```
/// use ecscdk::prelude::*;
/// use ecscdk::ec2::{SecurityGroup, Vpc, VpcAttributes};
/// use ecscdk::ecs::{Cluster, ClusterAttributes};
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Api");
/// let vpc = Vpc::from_attributes(
///     &mut stack,
///     "Vpc",
///     VpcAttributes::new("vpc-0abc", ["us-east-1a", "us-east-1b"])
///         .private_subnet_ids(["subnet-3", "subnet-4"]),
/// )?;
/// let instances = SecurityGroup::import("Instances", "sg-0123456789abcdef0").build(&mut stack)?;
/// let cluster = Cluster::from_attributes(
///     ClusterAttributes::named("shared").vpc(&vpc).instance_security_group(&instances),
/// );
/// # let _ = cluster;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct ClusterAttributes {
    name: Value<String>,
    arn: Option<Value<String>>,
    vpc: Option<Vpc>,
    instance_groups: Vec<SecurityGroup>,
    default_namespace: Option<Namespace>,
    fargate_capacity_providers: bool,
}

impl ClusterAttributes {
    /// The cluster named `name` (a literal, or a parameter or import).
    pub fn named(name: impl Into<Value<String>>) -> Self {
        Self {
            name: name.into(),
            arn: None,
            vpc: None,
            instance_groups: Vec::new(),
            default_namespace: None,
            fargate_capacity_providers: true,
        }
    }

    /// The cluster's ARN, when it is not in the stack's account and Region
    /// (by default it is built from the stack's partition, Region, account
    /// and the name).
    ///
    /// CloudFormation default: none (an imported cluster creates nothing).
    /// ecscdk default: `arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/<name>`.
    pub fn arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.arn = Some(arn.into());
        self
    }

    /// The VPC the cluster's tasks run in: `awsvpc` services then take their
    /// subnets and create their security groups there. Without it, such
    /// services need `subnet_ids` and `security_group_ids`.
    ///
    /// CloudFormation default: none (an imported cluster creates nothing).
    /// ecscdk default: none.
    pub fn vpc(mut self, vpc: &Vpc) -> Self {
        self.vpc = Some(vpc.clone());
        self
    }

    /// A security group of the cluster's container instances: EC2 services
    /// in `bridge` or `host` network mode are reached through it (their
    /// `connections()`). Without any, opening such a service is an error.
    ///
    /// CloudFormation default: none (an imported cluster creates nothing).
    /// ecscdk default: none.
    pub fn instance_security_group(mut self, group: &SecurityGroup) -> Self {
        self.instance_groups.push(group.clone());
        self
    }

    /// The cluster's default Cloud Map namespace (Service Connect and Cloud
    /// Map registration use it unless a service names another).
    ///
    /// CloudFormation default: none (an imported cluster creates nothing).
    /// ecscdk default: none.
    pub fn default_namespace(mut self, namespace: impl Into<Namespace>) -> Self {
        self.default_namespace = Some(namespace.into());
        self
    }

    /// Whether the cluster has the `FARGATE` and `FARGATE_SPOT` capacity
    /// providers associated (assumed: they are on every cluster created in
    /// the console; say `false` to have Fargate strategies rejected).
    ///
    /// CloudFormation default: none (an imported cluster creates nothing).
    /// ecscdk default: `true`.
    pub fn fargate_capacity_providers(mut self, associated: bool) -> Self {
        self.fargate_capacity_providers = associated;
        self
    }
}

impl Cluster {
    /// A builder for a cluster with construct id `id`.
    pub fn builder(id: impl Into<String>) -> ClusterBuilder {
        ClusterBuilder {
            id: id.into(),
            name: None,
            insights: ContainerInsights::default(),
            vpc: None,
            namespace: None,
            fargate_capacity_providers: false,
            default_strategy: Vec::new(),
            exec: None,
            runtime_monitoring: None,
        }
    }

    /// A cluster that exists outside this app, by name. Its ARN is built
    /// from the stack's partition, region and account. Shorthand for
    /// [`from_attributes`](Self::from_attributes) with only a name.
    pub fn from_name(name: impl Into<String>) -> Self {
        Self::from_attributes(ClusterAttributes::named(name.into()))
    }

    /// A cluster deployed elsewhere, so services of this app can run in it:
    /// the service renders `Cluster: <name>` and depends on nothing of the
    /// cluster's. Capacity providers cannot be associated with it here (do
    /// that where it is defined). Its ARN, unless given, is built from the
    /// stack's partition, Region and account.
    ///
    /// `awsvpc` services on an imported cluster without a VPC need explicit
    /// `subnet_ids` and `security_group_ids`; EC2 services in `bridge` or
    /// `host` mode are reached through the instance security groups given
    /// here (none: their `connections()` refuse to open).
    pub fn from_attributes(attributes: ClusterAttributes) -> Self {
        let arn = attributes.arn.unwrap_or_else(|| {
            Expr::sub_with(
                "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${Name}",
                [("Name", attributes.name.clone())],
            )
            .into()
        });
        Self {
            node: None,
            name: attributes.name,
            arn,
            fargate_capacity_providers: attributes.fargate_capacity_providers,
            vpc: attributes.vpc,
            default_namespace: attributes.default_namespace,
            instance_groups: attributes.instance_groups,
            runtime_monitoring: None,
        }
    }

    /// The same imported cluster, whose tasks run in `vpc`.
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: the VPC given in the cluster's attributes, if any.
    #[must_use]
    pub fn with_vpc(mut self, vpc: &Vpc) -> Self {
        self.vpc = Some(vpc.clone());
        self
    }

    /// The security groups of the container instances, as a service of
    /// `stack` sees them: an imported cluster's given groups, or the groups
    /// of the Auto Scaling groups associated so far with a cluster built in
    /// `stack`; `None` for a cluster of another stack (its state is not
    /// readable here).
    pub(crate) fn instance_security_groups(&self, stack: &Stack) -> Option<Vec<SecurityGroup>> {
        match self.node {
            None => Some(self.instance_groups.clone()),
            Some(node) => stack
                .construct_data::<ClusterState>(node)
                .map(|s| s.instance_groups.clone()),
        }
    }

    /// The cluster's default Cloud Map namespace, if it has one.
    #[must_use]
    pub fn default_namespace(&self) -> Option<Namespace> {
        self.default_namespace
    }

    /// The cluster's metric `name` in the `AWS/ECS` namespace with the
    /// dimension `ClusterName`, averaged over 5 minutes, as the CDK's
    /// `cluster.metric(name)`.
    pub fn metric(&self, name: impl Into<String>) -> crate::cloudwatch::Metric {
        crate::cloudwatch::Metric::new("AWS/ECS", name).dimension("ClusterName", self.name())
    }

    /// The share of the cluster's registered CPU that tasks reserve
    /// (`CPUReservation`, EC2 capacity), as the CDK's
    /// `metricCpuReservation()`.
    pub fn metric_cpu_reservation(&self) -> crate::cloudwatch::Metric {
        self.metric("CPUReservation")
    }

    /// The share of the cluster's registered memory that tasks reserve
    /// (`MemoryReservation`, EC2 capacity), as the CDK's
    /// `metricMemoryReservation()`.
    pub fn metric_memory_reservation(&self) -> crate::cloudwatch::Metric {
        self.metric("MemoryReservation")
    }

    /// Whether GuardDuty Runtime Monitoring is to manage the cluster's
    /// security agent (its `GuardDutyManaged` tag; `None` when untagged,
    /// and for imported clusters).
    #[must_use]
    pub fn runtime_monitoring(&self) -> Option<bool> {
        self.runtime_monitoring
    }

    /// The VPC the cluster's tasks run in, if known.
    #[must_use]
    pub fn vpc(&self) -> Option<&Vpc> {
        self.vpc.as_ref()
    }

    /// The cluster's construct node (`None` for an imported cluster).
    #[must_use]
    pub fn node(&self) -> Option<NodeId> {
        self.node
    }

    /// The cluster's name.
    #[must_use]
    pub fn name(&self) -> Value<String> {
        self.name.clone()
    }

    /// The cluster's ARN.
    #[must_use]
    pub fn arn(&self) -> Value<String> {
        self.arn.clone()
    }

    /// Whether services may use the `FARGATE` and `FARGATE_SPOT` capacity
    /// providers (built clusters: after `fargate_capacity_providers()`;
    /// imported clusters are assumed to have them).
    #[must_use]
    pub fn has_fargate_capacity_providers(&self) -> bool {
        self.fargate_capacity_providers
    }
}

/// What a built cluster keeps in the stack: its associations and its ASG
/// providers.
#[derive(Debug)]
struct ClusterState {
    associations: Option<CfnClusterCapacityProviderAssociationsRef>,
    asg_providers: Vec<NodeId>,
    /// The security groups of the associated providers' instances.
    instance_groups: Vec<SecurityGroup>,
    fargate_default: bool,
}

fn render_item(item: &StrategyItem) -> Value<CapacityProviderStrategy> {
    Value::Lit(CapacityProviderStrategy {
        base: item.base.map(|b| Value::Lit(i64::from(b))),
        weight: Some(Value::Lit(i64::from(item.weight))),
        ..CapacityProviderStrategy::new(item.name.clone())
    })
}

impl Cluster {
    fn state<'a>(&self, stack: &'a mut Stack, what: &'static str) -> Result<&'a mut ClusterState> {
        let Some(node) = self.node else {
            return Err(Error::Unsupported {
                path: stack.path(stack.root()),
                setting: what,
                situation: "on an imported cluster",
                fix: "an imported cluster's capacity providers are managed where it is defined; associate the provider there",
            });
        };
        if node.stack() != stack.root().stack() {
            return Err(Error::Unsupported {
                path: stack.path(stack.root()),
                setting: what,
                situation: "on a cluster of another stack",
                fix: "a cluster and its ASG capacity providers must share a stack: the associations reference the provider and the instances' user data and role reference the cluster, so split stacks would depend on each other (a deadly embrace CloudFormation cannot deploy or delete); build the Auto Scaling group and its provider in the cluster's stack",
            });
        }
        let path = stack.path(node);
        stack
            .construct_data_mut::<ClusterState>(node)
            .ok_or(Error::Missing {
                path,
                what: "cluster state",
                fix: "build the cluster with `Cluster::builder(..).build(..)`",
            })
    }

    /// Associates an Auto Scaling group capacity provider with the cluster
    /// (in the child `Cluster`, the `AWS::ECS::ClusterCapacityProviderAssociations`,
    /// created if the cluster has none yet), writes the cluster into the
    /// instances' user data and grants the instance role what the ECS agent
    /// needs for this cluster.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for an imported cluster, or a cluster and
    /// provider in different stacks (rejected instead of a circular dependency at
    /// deploy); [`Error::DuplicateId`](crate::Error::DuplicateId) when the
    /// provider is already associated.
    pub fn add_asg_capacity_provider(
        &self,
        stack: &mut Stack,
        provider: &AsgCapacityProvider,
    ) -> Result<()> {
        if provider.node().stack() != stack.root().stack() {
            return Err(Error::Unsupported {
                path: stack.path(stack.root()),
                setting: "add_asg_capacity_provider",
                situation: "with a capacity provider of another stack",
                fix: "a cluster and its ASG capacity providers must share a stack: the associations reference the provider and the instances' user data and role reference the cluster, so split stacks would depend on each other (a deadly embrace CloudFormation cannot deploy or delete); build the Auto Scaling group and its provider in the cluster's stack",
            });
        }
        let state = self.state(stack, "add_asg_capacity_provider")?;
        if state.asg_providers.contains(&provider.node()) {
            let path = stack.path(provider.node());
            return Err(Error::InvalidProperty {
                path,
                property: "add_asg_capacity_provider".to_owned(),
                reason: "the provider is already associated with this cluster".to_owned(),
            });
        }
        state.asg_providers.push(provider.node());
        let existing = state.associations;
        let instance_groups = provider.auto_scaling_group().connections(stack);
        let state = self.state(stack, "add_asg_capacity_provider")?;
        for group in instance_groups.security_groups() {
            if !state.instance_groups.contains(group) {
                state.instance_groups.push(group.clone());
            }
        }
        let name: Value<String> = provider.name().into();
        match existing {
            Some(handle) => {
                let props =
                    stack.properties_mut::<CfnClusterCapacityProviderAssociations>(handle)?;
                match &mut props.capacity_providers {
                    Some(Value::Lit(list)) => list.push(name),
                    other => *other = Some(Value::Lit(vec![name])),
                }
            }
            None => {
                let node = self.node.unwrap_or(stack.root());
                let cluster_ref = self.name.clone();
                let associations = CfnClusterCapacityProviderAssociations {
                    capacity_providers: Some(Value::Lit(vec![name])),
                    ..CfnClusterCapacityProviderAssociations::new(
                        cluster_ref,
                        Value::Lit(Vec::new()),
                    )
                };
                let handle = stack.add(node, "Cluster", associations)?;
                self.state(stack, "add_asg_capacity_provider")?.associations = Some(handle);
            }
        }
        provider.join_cluster(stack, self.name.clone(), self.arn.clone())
    }

    /// The strategy services use when they name none, over ASG providers
    /// associated with the cluster.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the cluster has a Fargate default strategy
    /// (ECS does not mix the two kinds); [`Error::Unsupported`] for an
    /// imported cluster or a provider that is not associated;
    /// [`Error::InvalidProperty`] for an invalid strategy.
    pub fn set_default_asg_strategy(
        &self,
        stack: &mut Stack,
        strategy: impl IntoIterator<Item = AsgCapacity>,
    ) -> Result<()> {
        let items: Vec<AsgCapacity> = strategy.into_iter().collect();
        let state = self.state(stack, "set_default_asg_strategy")?;
        let fargate_default = state.fargate_default;
        let associated = state.asg_providers.clone();
        let associations = state.associations;
        let node = self.node.unwrap_or(stack.root());
        if fargate_default {
            return Err(Error::Conflict {
                path: stack.path(node),
                first: "set_default_asg_strategy",
                second: "default_capacity_provider_strategy",
                fix: "ECS does not mix Fargate and Auto Scaling group providers in one strategy; keep one default strategy",
            });
        }
        if items
            .iter()
            .any(|i| !associated.contains(&i.provider().node()))
        {
            return Err(Error::Unsupported {
                path: stack.path(node),
                setting: "set_default_asg_strategy",
                situation: "with a provider not associated with the cluster",
                fix: "call `cluster.add_asg_capacity_provider(..)` with the provider first",
            });
        }
        let rendered: Vec<StrategyItem> = items.iter().map(AsgCapacity::item).collect();
        crate::ecs::capacity::check_strategy(stack, node, "set_default_asg_strategy", &rendered)?;
        if let Some(handle) = associations {
            stack
                .properties_mut::<CfnClusterCapacityProviderAssociations>(handle)?
                .default_capacity_provider_strategy =
                Value::Lit(rendered.iter().map(render_item).collect());
        }
        Ok(())
    }

    /// Whether `provider` is associated with this (built) cluster.
    pub(crate) fn has_asg_provider(&self, stack: &Stack, provider: &AsgCapacityProvider) -> bool {
        self.node
            .and_then(|n| stack.construct_data::<ClusterState>(n))
            .is_some_and(|s| s.asg_providers.contains(&provider.node()))
    }

    /// Orders a service after the cluster's capacity-provider associations,
    /// so it is created after them and deleted before them (a service whose
    /// provider is not yet, or no longer, associated fails).
    pub(crate) fn order_service(&self, stack: &mut Stack, service: NodeId) -> Result<()> {
        let associations = self
            .node
            .and_then(|n| stack.construct_data::<ClusterState>(n))
            .and_then(|s| s.associations);
        match associations {
            Some(handle) => stack.add_node_dependency(service, handle.untyped().node()),
            None => Ok(()),
        }
    }
}

/// Builds a [`Cluster`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ClusterBuilder {
    id: String,
    vpc: Option<Vpc>,
    namespace: Option<(String, NamespaceType)>,
    name: Option<Value<String>>,
    insights: ContainerInsights,
    fargate_capacity_providers: bool,
    default_strategy: Vec<FargateCapacity>,
    exec: Option<(Option<Value<String>>, ExecCommandLogging)>,
    runtime_monitoring: Option<bool>,
}

impl ClusterBuilder {
    /// The VPC the cluster's tasks run in: services take their subnets and
    /// create their security groups there.
    ///
    /// CloudFormation default: none (a cluster has no VPC of its own).
    /// ecscdk default: none; services then need `subnet_ids` and
    /// `security_group_ids`.
    pub fn vpc(mut self, vpc: &Vpc) -> Self {
        self.vpc = Some(vpc.clone());
        self
    }

    /// The cluster's name.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated), so the cluster can be replaced.
    pub fn cluster_name(mut self, name: impl Into<Value<String>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// GuardDuty Runtime Monitoring of the cluster's tasks, by the tag
    /// GuardDuty reads (`GuardDutyManaged`): `true` has GuardDuty add its
    /// security agent to the tasks even when the account's automated agent
    /// management is off; `false` keeps it out when it is on. Runtime
    /// Monitoring itself is turned on per account and Region
    /// ([`RuntimeMonitoring`](crate::guardduty::RuntimeMonitoring)). With
    /// `true`, the Fargate services of the cluster are checked at `build()`
    /// for what the agent needs (an execution role, Linux, platform 1.4.0
    /// or later), and their execution role may pull the agent's image.
    ///
    /// CloudFormation default: no tag.
    /// ecscdk default: no tag (the account's setting decides).
    pub fn runtime_monitoring(mut self, managed: bool) -> Self {
        self.runtime_monitoring = Some(managed);
        self
    }

    /// CloudWatch Container Insights.
    ///
    /// CloudFormation default: the account setting (usually off).
    /// ecscdk default: [`ContainerInsights::Enabled`]: metrics on.
    pub fn container_insights(mut self, insights: ContainerInsights) -> Self {
        self.insights = insights;
        self
    }

    /// Associates the `FARGATE` and `FARGATE_SPOT` capacity providers, so
    /// services can use a capacity provider strategy.
    ///
    /// CloudFormation default: no capacity providers.
    /// ecscdk default: not associated; services use the `FARGATE` launch type.
    pub fn fargate_capacity_providers(mut self) -> Self {
        self.fargate_capacity_providers = true;
        self
    }

    /// The strategy services use when they name none; implies
    /// [`fargate_capacity_providers`](Self::fargate_capacity_providers).
    ///
    /// CloudFormation default: empty.
    /// ecscdk default: empty.
    pub fn default_capacity_provider_strategy(
        mut self,
        strategy: impl IntoIterator<Item = FargateCapacity>,
    ) -> Self {
        self.fargate_capacity_providers = true;
        self.default_strategy = strategy.into_iter().collect();
        self
    }

    /// A default Cloud Map namespace (`DefaultServiceDiscoveryNamespace`, as
    /// the CDK's `addDefaultCloudMapNamespace`): services register in it and
    /// Service Connect uses it unless they name another. A private DNS
    /// namespace needs the cluster's VPC.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn default_cloud_map_namespace(
        mut self,
        name: impl Into<String>,
        kind: NamespaceType,
    ) -> Self {
        self.namespace = Some((name.into(), kind));
        self
    }

    /// ECS Exec settings: a KMS key (ARN) to encrypt sessions and where
    /// session output is logged.
    ///
    /// CloudFormation default: no encryption key; default logging.
    /// ecscdk default: omitted.
    pub fn execute_command(
        mut self,
        kms_key_arn: Option<Value<String>>,
        logging: ExecCommandLogging,
    ) -> Self {
        self.exec = Some((kms_key_arn, logging));
        self
    }

    /// Adds the cluster directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidId`](crate::Error::InvalidId) or
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) for a bad or taken id;
    /// [`Error::InvalidProperty`](crate::Error::InvalidProperty) for a default strategy the capacity
    /// providers reject (more than one base, all weights zero).
    pub fn build(self, stack: &mut Stack) -> Result<Cluster> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the cluster under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Cluster> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ecs.Cluster")?;
        crate::ecs::capacity::check_strategy(
            stack,
            node,
            "default_capacity_provider_strategy",
            &self
                .default_strategy
                .iter()
                .map(|i| i.item())
                .collect::<Vec<_>>(),
        )?;
        let configuration = self.exec.map(|(kms, logging)| {
            let (logging, log_configuration) = match logging {
                ExecCommandLogging::Default => (Logging::Default, None),
                ExecCommandLogging::None => (Logging::None, None),
                ExecCommandLogging::Override {
                    log_group_name,
                    s3_bucket_name,
                    s3_key_prefix,
                } => (
                    Logging::Override,
                    Some(Value::Lit(ExecuteCommandLogConfiguration {
                        cloud_watch_encryption_enabled: log_group_name
                            .as_ref()
                            .map(|_| Value::Lit(true)),
                        cloud_watch_log_group_name: log_group_name,
                        s3_encryption_enabled: s3_bucket_name.as_ref().map(|_| Value::Lit(true)),
                        s3_bucket_name,
                        s3_key_prefix,
                    })),
                ),
            };
            Value::Lit(ClusterConfiguration {
                execute_command_configuration: Some(Value::Lit(ExecuteCommandConfiguration {
                    kms_key_id: kms,
                    log_configuration,
                    logging: Some(Value::Lit(logging)),
                })),
                ..ClusterConfiguration::default()
            })
        });
        let default_namespace = match self.namespace {
            None => None,
            Some((name, NamespaceType::Http)) => Some(Namespace::from(
                HttpNamespace::builder("DefaultServiceDiscoveryNamespace", name)
                    .build_in(stack, node)?,
            )),
            Some((name, _)) => {
                let Some(vpc) = &self.vpc else {
                    return Err(Error::Missing {
                        path: stack.path(node),
                        what: "vpc",
                        fix: "a private DNS namespace lives in a VPC: give the cluster `.vpc(&vpc)`, or use NamespaceType::Http",
                    });
                };
                Some(Namespace::from(
                    PrivateDnsNamespace::builder(
                        "DefaultServiceDiscoveryNamespace",
                        name,
                        vpc.vpc_id(),
                    )
                    .build_in(stack, node)?,
                ))
            }
        };
        let cluster = CfnCluster {
            service_connect_defaults: default_namespace.map(|ns| {
                Value::Lit(ServiceConnectDefaults {
                    namespace: Some(ns.arn().into()),
                })
            }),
            cluster_name: self.name,
            cluster_settings: Some(Value::Lit(vec![Value::Lit(ClusterSettings {
                name: Some(Value::from("containerInsights")),
                value: Some(Value::from(self.insights.as_str())),
            })])),
            configuration,
            tags: self.runtime_monitoring.map(|on| {
                Value::Lit(vec![Value::Lit(crate::cfn::ecs::cluster::Tag {
                    key: Some(Value::from(crate::guardduty::MANAGED_TAG)),
                    value: Some(Value::from(if on { "true" } else { "false" })),
                })])
            }),
            ..CfnCluster::default()
        };
        let resource = stack.add(node, "Resource", cluster)?;
        let mut associations_ref = None;
        if self.fargate_capacity_providers {
            let strategy: Vec<Value<CapacityProviderStrategy>> = self
                .default_strategy
                .iter()
                .map(|item| render_item(&item.item()))
                .collect();
            let associations = CfnClusterCapacityProviderAssociations {
                capacity_providers: Some(Value::Lit(vec![
                    Value::from("FARGATE"),
                    Value::from("FARGATE_SPOT"),
                ])),
                ..CfnClusterCapacityProviderAssociations::new(
                    resource.reference(),
                    Value::Lit(strategy),
                )
            };
            associations_ref = Some(stack.add(node, "Cluster", associations)?);
        }
        stack.set_construct_data(
            node,
            ClusterState {
                associations: associations_ref,
                asg_providers: Vec::new(),
                instance_groups: Vec::new(),
                fargate_default: !self.default_strategy.is_empty(),
            },
        )?;
        Ok(Cluster {
            node: Some(node),
            name: resource.reference().into(),
            arn: resource.attr_arn().into(),
            fargate_capacity_providers: self.fargate_capacity_providers,
            vpc: self.vpc,
            default_namespace,
            instance_groups: Vec::new(),
            runtime_monitoring: self.runtime_monitoring,
        })
    }
}
