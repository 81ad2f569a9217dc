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
use crate::cfn::ecs::{CfnCluster, CfnClusterCapacityProviderAssociations};
use crate::ec2::Vpc;
use crate::ecs::FargateCapacity;
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
        }
    }

    /// A cluster that exists outside this app, by name. Its ARN is built
    /// from the stack's partition, region and account.
    pub fn from_name(name: impl Into<String>) -> Self {
        let name = name.into();
        let arn = Expr::sub_with(
            "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${Name}",
            [("Name", Value::from(name.as_str()))],
        );
        Self {
            node: None,
            name: Value::from(name),
            arn: arn.into(),
            fargate_capacity_providers: true,
            vpc: None,
            default_namespace: None,
        }
    }

    /// The same imported cluster, whose tasks run in `vpc`.
    #[must_use]
    pub fn with_vpc(mut self, vpc: &Vpc) -> Self {
        self.vpc = Some(vpc.clone());
        self
    }

    /// The cluster's default Cloud Map namespace, if it has one.
    #[must_use]
    pub fn default_namespace(&self) -> Option<Namespace> {
        self.default_namespace
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
            &self.default_strategy,
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
            ..CfnCluster::default()
        };
        let resource = stack.add(node, "Resource", cluster)?;
        if self.fargate_capacity_providers {
            let strategy: Vec<Value<CapacityProviderStrategy>> = self
                .default_strategy
                .iter()
                .map(|item| {
                    Value::Lit(CapacityProviderStrategy {
                        base: item.base_tasks().map(|b| Value::Lit(i64::from(b))),
                        weight: Some(Value::Lit(i64::from(item.weight_value()))),
                        ..CapacityProviderStrategy::new(item.provider_name())
                    })
                })
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
            stack.add(node, "Cluster", associations)?;
        }
        Ok(Cluster {
            node: Some(node),
            name: resource.reference().into(),
            arn: resource.attr_arn().into(),
            fargate_capacity_providers: self.fargate_capacity_providers,
            vpc: self.vpc,
            default_namespace,
        })
    }
}
