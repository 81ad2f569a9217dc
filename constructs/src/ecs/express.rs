//! ECS Express Mode: [`ExpressService`], a web service from an image and
//! two roles, for which ECS provisions the load balancer (an HTTPS listener
//! on 443 with a certificate on an AWS domain, shared by up to 25 Express
//! services of a VPC), the target group, security groups, auto scaling, a
//! log group and a deployment alarm.
//!
//! ```
//! use ecscdk::ec2::Vpc;
//! use ecscdk::ecs::{ContainerImage, ExpressContainer, ExpressScaling, ExpressService};
//! use ecscdk::prelude::*;
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
//! let vpc = Vpc::builder("Vpc").max_azs(2).build(&mut stack)?;
//! let web = ExpressService::builder(
//!     "Web",
//!     &vpc,
//!     ExpressContainer::new(ContainerImage::registry("public.ecr.aws/nginx/nginx:latest"))
//!         .port(80),
//! )
//! .public(true) // an internet-facing load balancer; private (internal) unless asked
//! .health_check_path("/")
//! .scaling(ExpressScaling::new(1..=4))
//! .build(&mut stack)?;
//! stack.output("Endpoint", web.endpoint())?;
//! # Ok(())
//! # }
//! ```
//!
//! CloudFormation: [AWS::ECS::ExpressGatewayService](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-expressgatewayservice.html).
//! Facts from the Amazon ECS Developer Guide ("Resources created by Amazon
//! ECS Express Mode services") and the ECS API's `CreateExpressGatewayService`.

use std::ops::RangeInclusive;

use crate::cfn::ecs::express_gateway_service::{
    CfnExpressGatewayService, CfnExpressGatewayServiceRef, ExpressGatewayContainer,
    ExpressGatewayRepositoryCredentials, ExpressGatewayScalingTarget,
    ExpressGatewayServiceAwsLogsConfiguration, ExpressGatewayServiceNetworkConfiguration,
    ExpressGatewayServiceScalingMetric, KeyValuePair, Secret,
};
use crate::ec2::{SecurityGroup, SubnetSelection, Vpc};
use crate::ecs::container::{check_registry_credentials, ecr_image};
use crate::ecs::{
    Cluster, ContainerImage, ContainerSecret, FargateSize, FargateTaskDefinition, Protocol,
};
use crate::iam::{PolicyStatement, Principal, Role};
use crate::logs::LogGroup;
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// The id of the warning about an Express Mode size above 4 vCPU or 8 GiB.
pub const LARGE_SIZE_WARNING: &str = "ecscdk:ecs:expressSize";

/// The AWS managed policy of the infrastructure role Express Mode assumes
/// (note the `service-role/` path and the lowercase "for").
pub const INFRASTRUCTURE_POLICY: &str =
    "service-role/AmazonECSInfrastructureRoleforExpressGatewayServices";

/// The AWS managed policy of the task execution role.
pub const EXECUTION_POLICY: &str = "service-role/AmazonECSTaskExecutionRolePolicy";

/// The container of an Express Mode service (ECS names it `Main`).
#[derive(Debug, Clone)]
#[must_use]
pub struct ExpressContainer {
    image: ContainerImage,
    port: Option<u16>,
    command: Option<Vec<String>>,
    environment: Vec<(String, Value<String>)>,
    secrets: Vec<(String, ContainerSecret)>,
    logs: Option<(LogGroup, String)>,
}

impl ExpressContainer {
    /// A container running `image`: a registry image (with credentials or
    /// not), an ECR repository's, or one built from a Dockerfile at deploy
    /// ([`ContainerImage::from_asset`]), whose asset is the service's child
    /// `AssetImage`.
    pub fn new(image: ContainerImage) -> Self {
        Self {
            image,
            port: None,
            command: None,
            environment: Vec::new(),
            secrets: Vec::new(),
            logs: None,
        }
    }

    /// The port the container listens on, which the load balancer's target
    /// group and health check use.
    ///
    /// CloudFormation default: 80.
    /// ecscdk default: omitted (80).
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// The command (Docker's CMD).
    ///
    /// CloudFormation default: the image's.
    /// ecscdk default: the image's.
    pub fn command<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.command = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// An environment variable.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        self.environment.push((name.into(), value.into()));
        self
    }

    /// Sends the container's output to `group` (yours, with the retention
    /// and encryption you chose), in streams named after `stream_prefix`.
    /// The execution role's managed policy may write to any log group.
    ///
    /// CloudFormation default: a log group Express Mode creates.
    /// ecscdk default: omitted (Express Mode's log group).
    pub fn log_group(mut self, group: &LogGroup, stream_prefix: impl Into<String>) -> Self {
        self.logs = Some((*group, stream_prefix.into()));
        self
    }

    /// A secret as an environment variable, read at task start with the
    /// execution role, which is allowed to read that secret only.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn secret(mut self, name: impl Into<String>, secret: ContainerSecret) -> Self {
        self.secrets.push((name.into(), secret));
        self
    }
}

/// A metric Express Mode scales the task count on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpressScalingMetric {
    /// Average CPU use of the tasks, percent.
    AverageCpu,
    /// Average memory use of the tasks, percent.
    AverageMemory,
    /// Requests per target of the load balancer.
    RequestCountPerTarget,
}

/// The task count of an Express Mode service: a range, and the metric that
/// moves it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ExpressScaling {
    tasks: RangeInclusive<u32>,
    metric: Option<(ExpressScalingMetric, u32)>,
}

impl ExpressScaling {
    /// Between the range's ends, on ECS's default metric (average CPU at
    /// 60 %).
    pub fn new(tasks: RangeInclusive<u32>) -> Self {
        Self {
            tasks,
            metric: None,
        }
    }

    /// Keep `metric` near `target`: 1 to 100 (percent) for CPU and memory,
    /// 1 to 65,536 for requests per target.
    ///
    /// CloudFormation default: `AVERAGE_CPU` at 60.
    /// ecscdk default: omitted (ECS's).
    pub fn on(mut self, metric: ExpressScalingMetric, target: u32) -> Self {
        self.metric = Some((metric, target));
        self
    }
}

/// An ECS Express Mode service.
#[derive(Debug, Clone)]
pub struct ExpressService {
    node: NodeId,
    resource: CfnExpressGatewayServiceRef,
    execution_role: Option<Role>,
    infrastructure_role: Option<Role>,
}

impl ExpressService {
    /// A service of `container` in `vpc`; ECS writes the task definition.
    pub fn builder(
        id: impl Into<String>,
        vpc: &Vpc,
        container: ExpressContainer,
    ) -> ExpressServiceBuilder {
        Self::with_source(id.into(), Some(vpc), Source::Container(Box::new(container)))
    }

    /// A service of `container` where ECS puts it without a VPC: the
    /// account's default VPC, in its public subnets, behind an
    /// internet-facing load balancer, with public IP addresses on the
    /// tasks. Quick to try; give a VPC ([`builder`](Self::builder)) to keep
    /// a service private.
    pub fn in_default_vpc(
        id: impl Into<String>,
        container: ExpressContainer,
    ) -> ExpressServiceBuilder {
        Self::with_source(id.into(), None, Source::Container(Box::new(container)))
    }

    /// A service of a task definition of your own in `vpc`: Express Mode
    /// runs its container named `Main`, which must have exactly one TCP
    /// port mapping with a name. The task definition then sets the size
    /// and the roles.
    pub fn with_task_definition(
        id: impl Into<String>,
        vpc: &Vpc,
        task: &FargateTaskDefinition,
    ) -> ExpressServiceBuilder {
        Self::with_source(id.into(), Some(vpc), Source::TaskDefinition(task.clone()))
    }

    /// A service of a task definition of your own (as
    /// [`with_task_definition`](Self::with_task_definition)) in the
    /// account's default VPC (as [`in_default_vpc`](Self::in_default_vpc)).
    pub fn with_task_definition_in_default_vpc(
        id: impl Into<String>,
        task: &FargateTaskDefinition,
    ) -> ExpressServiceBuilder {
        Self::with_source(id.into(), None, Source::TaskDefinition(task.clone()))
    }

    fn with_source(id: String, vpc: Option<&Vpc>, source: Source) -> ExpressServiceBuilder {
        ExpressServiceBuilder {
            id,
            vpc: vpc.cloned(),
            source,
            cluster: None,
            size: None,
            health_check_path: None,
            scaling: None,
            public: None,
            subnets: None,
            security_groups: Vec::new(),
            service_name: None,
            infrastructure_role_arn: None,
            execution_role_arn: None,
            task_role_arn: None,
        }
    }

    /// The construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The L1 resource.
    #[must_use]
    pub fn resource(&self) -> CfnExpressGatewayServiceRef {
        self.resource
    }

    /// The service's ARN (`Ref`).
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The service's URL on its AWS-provided domain (`Endpoint`).
    #[must_use]
    pub fn endpoint(&self) -> Expr<String> {
        self.resource.attr_endpoint()
    }

    /// The execution role ecscdk created, if it created one.
    #[must_use]
    pub fn execution_role(&self) -> Option<Role> {
        self.execution_role
    }

    /// The infrastructure role ecscdk created, if it created one.
    #[must_use]
    pub fn infrastructure_role(&self) -> Option<Role> {
        self.infrastructure_role
    }
}

/// What an Express Mode service runs: exclusive in the ECS API.
#[derive(Debug, Clone)]
enum Source {
    Container(Box<ExpressContainer>),
    TaskDefinition(FargateTaskDefinition),
}

/// Builds an [`ExpressService`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ExpressServiceBuilder {
    id: String,
    /// `None`: the account's default VPC, ECS's choice.
    vpc: Option<Vpc>,
    source: Source,
    cluster: Option<Cluster>,
    size: Option<FargateSize>,
    health_check_path: Option<String>,
    scaling: Option<ExpressScaling>,
    public: Option<bool>,
    subnets: Option<SubnetSelection>,
    security_groups: Vec<SecurityGroup>,
    service_name: Option<String>,
    infrastructure_role_arn: Option<Value<String>>,
    execution_role_arn: Option<Value<String>>,
    task_role_arn: Option<Value<String>>,
}

impl ExpressServiceBuilder {
    /// The cluster the service runs in. Update requires replacement.
    ///
    /// CloudFormation default: `default` (ECS creates it when missing).
    /// ecscdk default: omitted (`default`).
    pub fn cluster(mut self, cluster: &Cluster) -> Self {
        self.cluster = Some(cluster.clone());
        self
    }

    /// The task's CPU and memory, one of Fargate's sizes (Express Mode
    /// runs its tasks on Fargate, x86-64). Synth warns above 4 vCPU or
    /// 8 GiB ([`LARGE_SIZE_WARNING`]), which Express Mode may refuse.
    ///
    /// CloudFormation default: 256 CPU units and 512 MiB.
    /// ecscdk default: omitted (256 and 512).
    pub fn size(mut self, size: FargateSize) -> Self {
        self.size = Some(size);
        self
    }

    /// The path the load balancer checks, starting with `/`.
    ///
    /// CloudFormation default: documented differently by the API (`/ping`),
    /// the registry schema and the guide (`/`).
    /// ecscdk default: `/`, written out.
    pub fn health_check_path(mut self, path: impl Into<String>) -> Self {
        self.health_check_path = Some(path.into());
        self
    }

    /// The task count and what scales it.
    ///
    /// CloudFormation default: 1 task (the guide says 1 to 20).
    /// ecscdk default: omitted (ECS's).
    pub fn scaling(mut self, scaling: ExpressScaling) -> Self {
        self.scaling = Some(scaling);
        self
    }

    /// Put the tasks and the load balancer in the VPC's public subnets,
    /// where the load balancer is internet-facing and the tasks get public
    /// IP addresses.
    ///
    /// CloudFormation default: the default VPC's public subnets when no
    /// subnets are given.
    /// ecscdk default: false: the VPC's private subnets and an internal
    /// load balancer, reachable from the VPC only (public in the default
    /// VPC, which cannot be made private).
    pub fn public(mut self, on: bool) -> Self {
        self.public = Some(on);
        self
    }

    /// The subnets of the tasks and the load balancer, instead of the
    /// VPC's public or private ones.
    ///
    /// CloudFormation default: the default VPC's public subnets.
    /// ecscdk default: the VPC's private subnets (public with `public`).
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = Some(selection);
        self
    }

    /// A security group of the tasks, in addition to the ones Express Mode
    /// creates (it adds a way in; it does not replace them).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_groups.push(group.clone());
        self
    }

    /// The service's name: up to 255 letters, digits, hyphens and
    /// underscores. Update requires replacement.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated).
    pub fn service_name(mut self, name: impl Into<String>) -> Self {
        self.service_name = Some(name.into());
        self
    }

    /// An existing infrastructure role instead of the one ecscdk creates.
    /// Update requires replacement.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: a role `InfrastructureRole` trusted by
    /// `ecs.amazonaws.com` with `AmazonECSInfrastructureRoleforExpressGatewayServices`.
    pub fn infrastructure_role_arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.infrastructure_role_arn = Some(arn.into());
        self
    }

    /// An existing task execution role instead of the one ecscdk creates.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: a role `ExecutionRole` trusted by
    /// `ecs-tasks.amazonaws.com` with `AmazonECSTaskExecutionRolePolicy`,
    /// and reads of the container's secrets.
    pub fn execution_role_arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.execution_role_arn = Some(arn.into());
        self
    }

    /// The role the application's code runs as.
    ///
    /// CloudFormation default: none (no AWS credentials in the task).
    /// ecscdk default: none.
    pub fn task_role_arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.task_role_arn = Some(arn.into());
        self
    }

    /// Adds the service at the stack's root.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for an image Express Mode cannot take
    /// here, a port of 0, a health check path not starting with `/`, a
    /// task range that is empty or ends at 0, a scaling target out of
    /// range, or a service name ECS refuses; [`Error::Unsupported`] for
    /// `public(false)`, subnets or security groups in the default VPC; the
    /// VPC's errors for subnets it does not have; [`Error::DuplicateId`]
    /// for a taken id.
    pub fn build(self, stack: &mut Stack) -> Result<ExpressService> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// As [`build`](Self::build), under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<ExpressService> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        let health_check_path = self.health_check_path.unwrap_or_else(|| "/".to_owned());
        if !health_check_path.starts_with('/') {
            return Err(invalid(
                "health_check_path",
                format!("{health_check_path:?} must start with `/`, such as `/health`"),
            ));
        }
        if let Some(scaling) = &self.scaling {
            let (min, max) = (*scaling.tasks.start(), *scaling.tasks.end());
            if min > max || max == 0 {
                return Err(invalid(
                    "scaling",
                    format!(
                        "{min}..={max} tasks; give a range whose end is at least its start and at least 1"
                    ),
                ));
            }
            if let Some((metric, target)) = scaling.metric {
                let (name, top) = match metric {
                    ExpressScalingMetric::AverageCpu => ("AVERAGE_CPU (percent)", 100),
                    ExpressScalingMetric::AverageMemory => ("AVERAGE_MEMORY (percent)", 100),
                    ExpressScalingMetric::RequestCountPerTarget => {
                        ("REQUEST_COUNT_PER_TARGET", 65_536)
                    }
                };
                if !(1..=top).contains(&target) {
                    return Err(invalid(
                        "scaling",
                        format!("a target of {target} for {name}; give 1 to {top}"),
                    ));
                }
            }
        }
        if let Some(name) = &self.service_name
            && !crate::validation::is_simple_name(name, 255)
        {
            return Err(invalid(
                "service_name",
                format!("{name:?}: use 1 to 255 letters, digits, hyphens and underscores"),
            ));
        }
        // What the service runs, checked before anything is added.
        let (container, task_definition_arn) = match self.source {
            Source::Container(container) => {
                if container.port == Some(0) {
                    return Err(invalid(
                        "port",
                        "port 0; give the port the container listens on (1 to 65535)".to_owned(),
                    ));
                }
                let image = image_of(&container.image)
                    .map_err(|(property, reason)| invalid(property, reason))?;
                (Some((container, image)), None)
            }
            Source::TaskDefinition(task) => {
                for (set, property) in [
                    (self.size.is_some(), "size"),
                    (self.execution_role_arn.is_some(), "execution_role_arn"),
                    (self.task_role_arn.is_some(), "task_role_arn"),
                ] {
                    if set {
                        return Err(invalid(
                            property,
                            "Express Mode takes it from the task definition when given one; set it on the task definition".to_owned(),
                        ));
                    }
                }
                check_main_container(&task).map_err(|reason| invalid("task_definition", reason))?;
                (None, Some(Value::from(task.arn())))
            }
        };
        let network_configuration = match &self.vpc {
            Some(vpc) => {
                let selection = self.subnets.unwrap_or_else(|| {
                    if self.public == Some(true) {
                        SubnetSelection::public()
                    } else {
                        SubnetSelection::private_with_egress()
                    }
                });
                let subnets = vpc.select_subnets(&selection)?.subnet_ids();
                let security_groups = (!self.security_groups.is_empty()).then(|| {
                    Value::Lit(
                        self.security_groups
                            .iter()
                            .map(SecurityGroup::group_id)
                            .collect(),
                    )
                });
                Some(Value::Lit(ExpressGatewayServiceNetworkConfiguration {
                    security_groups,
                    subnets: Some(Value::Lit(subnets)),
                }))
            }
            None => {
                let refused = [
                    (self.public == Some(false), "public"),
                    (self.subnets.is_some(), "vpc_subnets"),
                    (!self.security_groups.is_empty(), "security_group"),
                ];
                if let Some((_, setting)) = refused.into_iter().find(|(set, _)| *set) {
                    return Err(Error::Unsupported {
                        path,
                        setting,
                        situation: "in the default VPC",
                        fix: "ECS places a service without a VPC in the default VPC's public subnets, behind an internet-facing load balancer; build it in your VPC with `ExpressService::builder(id, &vpc, ..)` to choose subnets and security groups",
                    });
                }
                None
            }
        };

        let node = stack.scope_of_type(parent, &self.id, "ecscdk.ecs.ExpressService")?;
        if let Some(size) = self.size
            && (size.cpu_units() > 4096 || size.memory_mib() > 8192)
        {
            stack.add_warning(
                node,
                LARGE_SIZE_WARNING,
                format!(
                    "{} CPU units and {} MiB is a Fargate size that Express Mode may refuse: AWS documents no Express Mode range, and Terraform's provider accepts 256 to 4096 CPU units and 512 to 8192 MiB; use a `FargateService` for larger tasks, or acknowledge this warning",
                    size.cpu_units(),
                    size.memory_mib()
                ),
            );
        }
        let (infrastructure_role_arn, infrastructure_role) = match self.infrastructure_role_arn {
            Some(arn) => (arn, None),
            None => {
                let role = Role::builder(
                    "InfrastructureRole",
                    Principal::service("ecs.amazonaws.com"),
                )
                .managed_policy(INFRASTRUCTURE_POLICY)
                .build_in(stack, node)?;
                (role.arn().into(), Some(role))
            }
        };
        // A task definition of one's own brings its roles; a container gets
        // an execution role unless one is given.
        let execution_role = match (&container, &self.execution_role_arn) {
            (Some(_), None) => Some(
                Role::builder(
                    "ExecutionRole",
                    Principal::service("ecs-tasks.amazonaws.com"),
                )
                .managed_policy(EXECUTION_POLICY)
                .build_in(stack, node)?,
            ),
            _ => None,
        };
        let primary_container = match container {
            Some((container, image)) => {
                let (image, credentials) = match image {
                    ExpressImage::Known(image, credentials) => (image, credentials),
                    // Under the service, as a task definition's container
                    // holds its own.
                    ExpressImage::Asset(asset) => {
                        let asset = asset.add(stack, node, "AssetImage")?;
                        (Value::Expr(asset.image_uri()), None)
                    }
                };
                if let Some(role) = execution_role {
                    for (_, secret) in &container.secrets {
                        role.add_to_policy(stack, secret.grant())?;
                    }
                    if let Some(arn) = &credentials {
                        role.add_to_policy(
                            stack,
                            PolicyStatement::allow()
                                .actions([
                                    "secretsmanager:GetSecretValue",
                                    "secretsmanager:DescribeSecret",
                                ])
                                .resource(arn.clone()),
                        )?;
                    }
                }
                Some(Value::Lit(render_container(*container, image, credentials)))
            }
            None => None,
        };
        let execution_role_arn = self
            .execution_role_arn
            .or_else(|| execution_role.map(|role| role.arn().into()));
        let resource = stack.add(
            node,
            "Resource",
            CfnExpressGatewayService {
                cluster: self.cluster.map(|c| c.name()),
                cpu: self.size.map(|s| Value::Lit(s.cpu_units().to_string())),
                memory: self.size.map(|s| Value::Lit(s.memory_mib().to_string())),
                execution_role_arn,
                health_check_path: Some(Value::Lit(health_check_path)),
                network_configuration,
                primary_container,
                scaling_target: self.scaling.map(render_scaling),
                service_name: self.service_name.map(Value::Lit),
                task_definition_arn,
                task_role_arn: self.task_role_arn,
                ..CfnExpressGatewayService::new(infrastructure_role_arn)
            },
        )?;
        // Tasks start once the execution role may read the secrets and
        // registry credentials (the role itself is referenced already).
        if let Some(policy) = execution_role.and_then(|r| stack.child(r.node(), "DefaultPolicy")) {
            stack.add_node_dependency(resource.untyped().node(), policy)?;
        }
        Ok(ExpressService {
            node,
            resource,
            execution_role,
            infrastructure_role,
        })
    }
}

/// Where an Express Mode container's image comes from, checked.
enum ExpressImage {
    /// A registry or ECR image, with registry credentials or not.
    Known(Value<String>, Option<Value<String>>),
    /// An image built from a Dockerfile, added once the service's node
    /// exists.
    Asset(crate::ecr_assets::AssetImage),
}

/// The image of an Express Mode container, or why Express Mode cannot take
/// it. The execution role's managed policy pulls from any ECR repository of
/// the account, the asset repository included.
fn image_of(image: &ContainerImage) -> std::result::Result<ExpressImage, (&'static str, String)> {
    match image {
        ContainerImage::Registry {
            image,
            credentials_secret_arn,
        } => {
            if image.trim().is_empty() {
                return Err((
                    "image",
                    "the image reference is empty; give `repository:tag`".to_owned(),
                ));
            }
            check_registry_credentials(credentials_secret_arn.as_ref())
                .map_err(|reason| ("image", reason))?;
            Ok(ExpressImage::Known(
                Value::Lit(image.clone()),
                credentials_secret_arn.clone(),
            ))
        }
        ContainerImage::Ecr {
            repository_arn,
            repository_uri,
            reference,
        } => Ok(ExpressImage::Known(
            ecr_image(repository_arn, repository_uri, reference)?,
            None,
        )),
        ContainerImage::Asset(asset) => Ok(ExpressImage::Asset(asset.clone())),
    }
}

/// The `PrimaryContainer` of a checked container.
fn render_container(
    container: ExpressContainer,
    image: Value<String>,
    credentials: Option<Value<String>>,
) -> ExpressGatewayContainer {
    let environment = (!container.environment.is_empty()).then(|| {
        Value::Lit(
            container
                .environment
                .into_iter()
                .map(|(name, value)| {
                    Value::Lit(KeyValuePair {
                        name: Value::Lit(name),
                        value,
                    })
                })
                .collect(),
        )
    });
    let secrets = (!container.secrets.is_empty()).then(|| {
        Value::Lit(
            container
                .secrets
                .iter()
                .map(|(name, secret)| {
                    Value::Lit(Secret {
                        name: Value::Lit(name.clone()),
                        value_from: secret.value_from(),
                    })
                })
                .collect(),
        )
    });
    ExpressGatewayContainer {
        command: container
            .command
            .map(|c| Value::Lit(c.into_iter().map(Value::Lit).collect())),
        container_port: container.port.map(|p| Value::Lit(i64::from(p))),
        environment,
        image,
        repository_credentials: credentials.map(|arn| {
            Value::Lit(ExpressGatewayRepositoryCredentials {
                credentials_parameter: arn,
            })
        }),
        secrets,
        aws_logs_configuration: container.logs.map(|(group, prefix)| {
            Value::Lit(ExpressGatewayServiceAwsLogsConfiguration {
                log_group: group.name().into(),
                log_stream_prefix: Value::Lit(prefix),
            })
        }),
    }
}

/// The container rules of a task definition Express Mode runs.
fn check_main_container(task: &FargateTaskDefinition) -> std::result::Result<(), String> {
    let names = task.container_names().join(", ");
    let Some(main) = task.containers().iter().find(|c| c.name == "Main") else {
        return Err(format!(
            "Express Mode runs the container named `Main` and the task definition has {names}; name its serving container `Main`"
        ));
    };
    match main.ports.as_slice() {
        [port] if port.protocol == Protocol::Tcp && port.name.is_some() => Ok(()),
        [port] if port.protocol != Protocol::Tcp => Err(
            "the `Main` container's port is not TCP; Express Mode's load balancer sends HTTP".to_owned(),
        ),
        [_] => Err("the `Main` container's port has no name; give it one (`PortMapping::tcp(80).name(\"http\")`)".to_owned()),
        ports => Err(format!(
            "the `Main` container has {} port mappings; Express Mode needs exactly one, TCP and named",
            ports.len()
        )),
    }
}

/// The `ScalingTarget` of a checked scaling.
fn render_scaling(scaling: ExpressScaling) -> Value<ExpressGatewayScalingTarget> {
    let (metric, target) = match scaling.metric {
        Some((metric, target)) => (
            Some(Value::Lit(match metric {
                ExpressScalingMetric::AverageCpu => ExpressGatewayServiceScalingMetric::AverageCpu,
                ExpressScalingMetric::AverageMemory => {
                    ExpressGatewayServiceScalingMetric::AverageMemory
                }
                ExpressScalingMetric::RequestCountPerTarget => {
                    ExpressGatewayServiceScalingMetric::RequestCountPerTarget
                }
            })),
            Some(Value::Lit(i64::from(target))),
        ),
        None => (None, None),
    };
    Value::Lit(ExpressGatewayScalingTarget {
        auto_scaling_metric: metric,
        auto_scaling_target_value: target,
        max_task_count: Some(Value::Lit(i64::from(*scaling.tasks.end()))),
        min_task_count: Some(Value::Lit(i64::from(*scaling.tasks.start()))),
    })
}
