//! VPC endpoints: private access to AWS services from subnets without a
//! route to the internet (Fargate tasks in isolated subnets pull images
//! through the ECR and S3 endpoints and write logs through the Logs one).
//!
//! CloudFormation: [AWS::EC2::VPCEndpoint](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html).

use crate::cfn::ec2::vpc_endpoint::{self, VpcEndpointType};
use crate::cfn::ec2::{CfnVPCEndpoint, CfnVPCEndpointRef};
use crate::ec2::{Connectable, Connections, Peer, Port, SecurityGroup, SelectedSubnets, Vpc};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// An AWS service reached through an interface endpoint (an ENI in each
/// selected subnet).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InterfaceEndpointService {
    /// ECR's API (`ecr.api`): image manifests and authorization.
    EcrApi,
    /// ECR's Docker registry (`ecr.dkr`): image pulls.
    EcrDocker,
    /// CloudWatch Logs (`logs`): the `awslogs` driver and FireLens.
    CloudWatchLogs,
    /// CloudWatch metrics (`monitoring`).
    CloudWatchMonitoring,
    /// Secrets Manager (`secretsmanager`): container secrets.
    SecretsManager,
    /// Systems Manager (`ssm`): Parameter Store secrets.
    Ssm,
    /// Systems Manager messages (`ssmmessages`): ECS Exec.
    SsmMessages,
    /// KMS (`kms`).
    Kms,
    /// STS (`sts`).
    Sts,
    /// ECS's API (`ecs`).
    Ecs,
    /// X-Ray (`xray`).
    XRay,
    /// GuardDuty's runtime data (`guardduty-data`), where the Runtime
    /// Monitoring agent reports. Only for agents GuardDuty does not manage
    /// (installed by hand on EC2 instances): with automated agent
    /// management GuardDuty creates this endpoint itself, outside the stack.
    GuardDutyData,
    /// Another service, by the last part of its endpoint name
    /// (`com.amazonaws.{region}.{name}`), e.g. `sqs`.
    Other(String),
}

impl InterfaceEndpointService {
    /// The service's part of the endpoint name.
    #[must_use]
    pub fn short_name(&self) -> &str {
        match self {
            Self::EcrApi => "ecr.api",
            Self::EcrDocker => "ecr.dkr",
            Self::CloudWatchLogs => "logs",
            Self::CloudWatchMonitoring => "monitoring",
            Self::SecretsManager => "secretsmanager",
            Self::Ssm => "ssm",
            Self::SsmMessages => "ssmmessages",
            Self::Kms => "kms",
            Self::Sts => "sts",
            Self::Ecs => "ecs",
            Self::XRay => "xray",
            Self::GuardDutyData => "guardduty-data",
            Self::Other(name) => name,
        }
    }
}

/// An AWS service reached through a gateway endpoint (a route in each route
/// table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GatewayEndpointService {
    /// S3 (ECR stores image layers there).
    S3,
    /// DynamoDB.
    DynamoDb,
}

impl GatewayEndpointService {
    /// The service's part of the endpoint name.
    #[must_use]
    pub fn short_name(self) -> &'static str {
        match self {
            Self::S3 => "s3",
            Self::DynamoDb => "dynamodb",
        }
    }
}

/// A VPC endpoint. Cheap to clone.
#[derive(Debug, Clone, PartialEq)]
pub struct VpcEndpoint {
    node: NodeId,
    resource: CfnVPCEndpointRef,
    security_group: Option<SecurityGroup>,
}

impl VpcEndpoint {
    /// The endpoint's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The endpoint's `AWS::EC2::VPCEndpoint`.
    #[must_use]
    pub fn resource(&self) -> CfnVPCEndpointRef {
        self.resource
    }

    /// The endpoint's id.
    #[must_use]
    pub fn endpoint_id(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The security group of an interface endpoint.
    #[must_use]
    pub fn security_group(&self) -> Option<&SecurityGroup> {
        self.security_group.as_ref()
    }
}

impl Connectable for VpcEndpoint {
    fn connections(&self) -> Connections {
        let connections = Connections::new(self.security_group.iter().cloned());
        connections.with_default_port(Port::tcp(443))
    }
}

/// `com.amazonaws.{region}.{name}`, with the stack's region when it is fixed.
fn service_name(stack: &Stack, short: &str) -> Value<String> {
    match stack.environment().region() {
        Some(region) => Value::Lit(format!("com.amazonaws.{region}.{short}")),
        None => Value::Expr(Expr::sub(format!("com.amazonaws.${{AWS::Region}}.{short}"))),
    }
}

fn name_tag(vpc: &Vpc) -> Value<Vec<Value<vpc_endpoint::Tag>>> {
    Value::Lit(vec![Value::Lit(vpc_endpoint::Tag::new(
        "Name",
        vpc.name_tag().to_owned(),
    ))])
}

/// Adds an interface endpoint under the VPC (see
/// [`Vpc::add_interface_endpoint`]).
pub(crate) fn interface(
    stack: &mut Stack,
    vpc: &Vpc,
    id: &str,
    service: &InterfaceEndpointService,
    subnets: &SelectedSubnets,
) -> Result<VpcEndpoint> {
    let Some(cidr) = vpc.cidr_block() else {
        return Err(Error::Missing {
            path: vpc.path().clone(),
            what: "cidr_block",
            fix: "an interface endpoint opens port 443 to the VPC's range; give the imported VPC's `cidr_block`",
        });
    };
    if !vpc.private_dns() {
        return Err(Error::Unsupported {
            path: vpc.path().clone(),
            setting: "add_interface_endpoint",
            situation: "with DNS support or hostnames turned off",
            fix: "interface endpoints answer under the services' own names through private DNS, which needs DNS support and hostnames; turn both on",
        });
    }
    let node = stack.scope_of_type(vpc.node(), id, "ecscdk.ec2.InterfaceVpcEndpoint")?;
    // The endpoint only answers: no outbound rule is needed (the AWS CDK
    // allows all outbound traffic here).
    let group = SecurityGroup::builder("SecurityGroup", vpc)
        .allow_all_outbound(false)
        .build_in(stack, node)?;
    group.add_ingress_rule(stack, Peer::ipv4(cidr), Port::tcp(443), None)?;
    let resource = stack.add(
        node,
        "Resource",
        CfnVPCEndpoint {
            private_dns_enabled: Some(Value::Lit(true)),
            security_group_ids: Some(Value::Lit(vec![group.group_id()])),
            service_name: Some(service_name(stack, service.short_name())),
            subnet_ids: Some(Value::Lit(subnets.subnet_ids())),
            tags: Some(name_tag(vpc)),
            vpc_endpoint_type: Some(Value::Lit(VpcEndpointType::Interface)),
            ..CfnVPCEndpoint::new(vpc.vpc_id())
        },
    )?;
    Ok(VpcEndpoint {
        node,
        resource,
        security_group: Some(group),
    })
}

/// Adds a gateway endpoint under the VPC, routed from every route table
/// (see [`Vpc::add_gateway_endpoint`]).
pub(crate) fn gateway(
    stack: &mut Stack,
    vpc: &Vpc,
    id: &str,
    service: GatewayEndpointService,
) -> Result<VpcEndpoint> {
    let mut tables: Vec<Value<String>> = Vec::new();
    for table in vpc.subnets().iter().filter_map(|s| s.route_table_id()) {
        if !tables.contains(&table) {
            tables.push(table);
        }
    }
    if tables.is_empty() {
        return Err(Error::InvalidProperty {
            path: vpc.path().clone(),
            property: "gateway endpoint".to_owned(),
            reason: "no subnet has a known route table to route to the endpoint; give the imported subnets' route tables".to_owned(),
        });
    }
    let node = stack.scope_of_type(vpc.node(), id, "ecscdk.ec2.GatewayVpcEndpoint")?;
    let resource = stack.add(
        node,
        "Resource",
        CfnVPCEndpoint {
            route_table_ids: Some(Value::Lit(tables)),
            service_name: Some(service_name(stack, service.short_name())),
            vpc_endpoint_type: Some(Value::Lit(VpcEndpointType::Gateway)),
            ..CfnVPCEndpoint::new(vpc.vpc_id())
        },
    )?;
    Ok(VpcEndpoint {
        node,
        resource,
        security_group: None,
    })
}
