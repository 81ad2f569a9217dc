//! Application and network load balancers.

use std::time::Duration;

use crate::cfn::elasticloadbalancingv2::load_balancer::{LoadBalancerAttribute, Scheme, Type};
use crate::cfn::elasticloadbalancingv2::{CfnLoadBalancer, CfnLoadBalancerRef};
use crate::ec2::{Connectable, Connections, SecurityGroup, SubnetSelection, Vpc};
use crate::synth::{Expr, NodeId, Value, logical_id};
use crate::{Error, Result, Stack};

/// Which kind of load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadBalancerType {
    /// An application load balancer (HTTP and HTTPS, layer 7).
    Application,
    /// A network load balancer (TCP, TLS and UDP, layer 4).
    Network,
}

impl LoadBalancerType {
    fn fqn(self) -> &'static str {
        match self {
            Self::Application => "ecscdk.elbv2.ApplicationLoadBalancer",
            Self::Network => "ecscdk.elbv2.NetworkLoadBalancer",
        }
    }
}

/// Entry point for application load balancers:
/// [`ApplicationLoadBalancer::builder`]. The built handle is a
/// [`LoadBalancer`].
///
/// CloudFormation: [AWS::ElasticLoadBalancingV2::LoadBalancer](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html)
#[derive(Debug, Clone, Copy)]
pub struct ApplicationLoadBalancer;

impl ApplicationLoadBalancer {
    /// A builder for an internet-facing application load balancer in `vpc`'s
    /// public subnets, with a security group of its own (child
    /// `SecurityGroup`) and its resource as the child `Resource`, as in the
    /// AWS CDK.
    pub fn builder(id: impl Into<String>, vpc: &Vpc) -> LoadBalancerBuilder {
        LoadBalancerBuilder::new(id.into(), vpc, LoadBalancerType::Application)
    }
}

/// Entry point for network load balancers: [`NetworkLoadBalancer::builder`].
/// The built handle is a [`LoadBalancer`].
///
/// CloudFormation: [AWS::ElasticLoadBalancingV2::LoadBalancer](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html)
#[derive(Debug, Clone, Copy)]
pub struct NetworkLoadBalancer;

impl NetworkLoadBalancer {
    /// A builder for an internet-facing network load balancer in `vpc`'s
    /// public subnets, with a security group of its own (child
    /// `SecurityGroup`), so targets can admit only the load balancer.
    pub fn builder(id: impl Into<String>, vpc: &Vpc) -> LoadBalancerBuilder {
        LoadBalancerBuilder::new(id.into(), vpc, LoadBalancerType::Network)
    }
}

/// A load balancer (application or network). Cheap to clone.
///
/// CloudFormation: [AWS::ElasticLoadBalancingV2::LoadBalancer](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html)
#[derive(Debug, Clone, PartialEq)]
pub struct LoadBalancer {
    node: NodeId,
    resource: CfnLoadBalancerRef,
    lb_type: LoadBalancerType,
    security_group: SecurityGroup,
    vpc: Vpc,
    internet_facing: bool,
}

impl LoadBalancer {
    /// The load balancer's construct node (listeners go under it).
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::ElasticLoadBalancingV2::LoadBalancer` resource.
    #[must_use]
    pub fn resource(&self) -> CfnLoadBalancerRef {
        self.resource
    }

    /// Application or network.
    #[must_use]
    pub fn load_balancer_type(&self) -> LoadBalancerType {
        self.lb_type
    }

    /// Whether it is internet-facing (else internal).
    #[must_use]
    pub fn internet_facing(&self) -> bool {
        self.internet_facing
    }

    /// The load balancer's ARN (`Ref`).
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The load balancer's DNS name.
    #[must_use]
    pub fn dns_name(&self) -> Expr<String> {
        self.resource.attr_dns_name()
    }

    /// The Route 53 hosted zone id of the load balancer (for alias records).
    #[must_use]
    pub fn canonical_hosted_zone_id(&self) -> Expr<String> {
        self.resource.attr_canonical_hosted_zone_id()
    }

    /// The `app/…` or `net/…` full name (CloudWatch dimensions).
    #[must_use]
    pub fn full_name(&self) -> Expr<String> {
        self.resource.attr_load_balancer_full_name()
    }

    /// The load balancer's metric `name` (namespace `AWS/ApplicationELB` or
    /// `AWS/NetworkELB`, dimension `LoadBalancer`), summed over 5 minutes,
    /// as the CDK's `loadBalancer.metric(name)`: every target group's
    /// traffic together, whichever group a blue/green deployment has made
    /// primary.
    pub fn metric(&self, name: impl Into<String>) -> crate::cloudwatch::Metric {
        let namespace = match self.load_balancer_type() {
            LoadBalancerType::Application => "AWS/ApplicationELB",
            LoadBalancerType::Network => "AWS/NetworkELB",
        };
        crate::cloudwatch::Metric::new(namespace, name)
            .dimension("LoadBalancer", self.full_name())
            .statistic(crate::cloudwatch::Statistic::Sum)
    }

    /// How many 5XX responses the targets sent (`HTTPCode_Target_5XX_Count`,
    /// application load balancers), summed over each minute.
    pub fn metric_target_5xx_count(&self) -> crate::cloudwatch::Metric {
        self.metric("HTTPCode_Target_5XX_Count")
            .period(Duration::from_secs(60))
    }

    /// How many 5XX responses the load balancer itself sent
    /// (`HTTPCode_ELB_5XX_Count`: no healthy target, a target that failed
    /// to answer), summed over each minute.
    pub fn metric_elb_5xx_count(&self) -> crate::cloudwatch::Metric {
        self.metric("HTTPCode_ELB_5XX_Count")
            .period(Duration::from_secs(60))
    }

    /// The load balancer's security group.
    #[must_use]
    pub fn security_group(&self) -> &SecurityGroup {
        &self.security_group
    }

    /// The VPC it is in.
    #[must_use]
    pub fn vpc(&self) -> &Vpc {
        &self.vpc
    }
}

/// The load balancer's security group: `service.connections().allow_from(&mut
/// stack, &lb, port, ..)` admits the load balancer and lets it reach the
/// service.
impl Connectable for LoadBalancer {
    fn connections(&self) -> Connections {
        self.security_group.connections()
    }
}

/// Builds a [`LoadBalancer`]; made by [`ApplicationLoadBalancer::builder`] or
/// [`NetworkLoadBalancer::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct LoadBalancerBuilder {
    id: String,
    vpc: Vpc,
    lb_type: LoadBalancerType,
    internet_facing: bool,
    subnets: Option<SubnetSelection>,
    name: Option<String>,
    deletion_protection: bool,
    drop_invalid_header_fields: bool,
    idle_timeout: Option<Duration>,
    cross_zone: Option<bool>,
    access_logs: Option<(String, Option<String>)>,
}

impl LoadBalancerBuilder {
    fn new(id: String, vpc: &Vpc, lb_type: LoadBalancerType) -> Self {
        Self {
            id,
            vpc: vpc.clone(),
            lb_type,
            internet_facing: true,
            subnets: None,
            name: None,
            deletion_protection: false,
            drop_invalid_header_fields: true,
            idle_timeout: None,
            cross_zone: None,
            access_logs: None,
        }
    }

    /// Whether the load balancer is reachable from the internet (in public
    /// subnets, `Scheme` `internet-facing`) or internal (private subnets).
    /// Changing it replaces the load balancer.
    ///
    /// CloudFormation default: internet-facing.
    /// ecscdk default: internet-facing, as in the AWS CDK's patterns.
    pub fn internet_facing(mut self, on: bool) -> Self {
        self.internet_facing = on;
        self
    }

    /// The subnets the load balancer is placed in.
    ///
    /// CloudFormation default: none (required for these load balancers).
    /// ecscdk default: the VPC's public subnets when internet-facing, its private ones otherwise.
    pub fn vpc_subnets(mut self, selection: SubnetSelection) -> Self {
        self.subnets = Some(selection);
        self
    }

    /// The load balancer's name (`Name`; at most 32 letters, digits and
    /// hyphens, not starting or ending with a hyphen nor starting with
    /// `internal-`). A fixed name prevents replacement; leave it generated.
    ///
    /// CloudFormation default: generated from the stack and logical ID.
    /// ecscdk default: omitted (generated).
    pub fn load_balancer_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether deletion protection is on (`deletion_protection.enabled`).
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off (written explicitly, as the AWS CDK does), so `destroy` works.
    pub fn deletion_protection(mut self, on: bool) -> Self {
        self.deletion_protection = on;
        self
    }

    /// Whether an application load balancer drops HTTP headers with invalid
    /// names (`routing.http.drop_invalid_header_fields.enabled`), a request
    /// smuggling defence.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: on (application load balancers only).
    pub fn drop_invalid_header_fields(mut self, on: bool) -> Self {
        self.drop_invalid_header_fields = on;
        self
    }

    /// How long an application load balancer keeps an idle connection open
    /// (`idle_timeout.timeout_seconds`, 1 to 4000 seconds).
    ///
    /// CloudFormation default: 60 seconds.
    /// ecscdk default: omitted (60 seconds).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// Whether a network load balancer spreads traffic across zones
    /// (`load_balancing.cross_zone.enabled`).
    ///
    /// CloudFormation default: off for network load balancers.
    /// ecscdk default: omitted (off).
    pub fn cross_zone(mut self, on: bool) -> Self {
        self.cross_zone = Some(on);
        self
    }

    /// Writes access logs to an S3 bucket (`access_logs.s3.*`); the bucket's
    /// policy must let Elastic Load Balancing write to it.
    ///
    /// CloudFormation default: no access logs.
    /// ecscdk default: no access logs (a bucket and its policy are the user's choice).
    pub fn access_logs(mut self, bucket: impl Into<String>, prefix: Option<&str>) -> Self {
        self.access_logs = Some((bucket.into(), prefix.map(str::to_owned)));
        self
    }

    /// Adds the load balancer directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a name Elastic Load Balancing rejects,
    /// an idle timeout outside 1 to 4000 seconds, no subnets to place the
    /// load balancer in, or (application) subnets in one zone only;
    /// [`Error::Unsupported`] for an idle timeout on a network
    /// load balancer or cross-zone on an application one;
    /// [`Error::DuplicateId`] for a taken id.
    pub fn build(self, stack: &mut Stack) -> Result<LoadBalancer> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the load balancer under `parent` (how a pattern adds its `LB`).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<LoadBalancer> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if let Some(name) = &self.name {
            let ok = !name.is_empty()
                && name.len() <= 32
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !name.starts_with('-')
                && !name.ends_with('-')
                && !name.starts_with("internal-");
            if !ok {
                return Err(invalid(
                    "load_balancer_name",
                    format!(
                        "{name:?} is not a load balancer name: 1 to 32 letters, digits or hyphens, not starting or ending with `-` nor starting with `internal-`"
                    ),
                ));
            }
        }
        let is_alb = self.lb_type == LoadBalancerType::Application;
        if let Some(timeout) = self.idle_timeout {
            if !is_alb {
                return Err(Error::Unsupported {
                    path,
                    setting: "idle_timeout",
                    situation: "on a network load balancer",
                    fix: "network load balancers have a fixed TCP idle timeout; drop `idle_timeout`",
                });
            }
            if !(1..=4000).contains(&timeout.as_secs()) || timeout.subsec_nanos() != 0 {
                return Err(invalid(
                    "idle_timeout",
                    format!("{timeout:?} is not a whole number of seconds from 1 to 4000"),
                ));
            }
        }
        if self.cross_zone.is_some() && is_alb {
            return Err(Error::Unsupported {
                path,
                setting: "cross_zone",
                situation: "on an application load balancer",
                fix: "application load balancers always balance across zones; drop `cross_zone`",
            });
        }
        let selection = self.subnets.clone().unwrap_or_else(|| {
            if self.internet_facing {
                SubnetSelection::public()
            } else {
                SubnetSelection::private_with_egress()
            }
        });
        let selected = self.vpc.select_subnets(&selection).map_err(|e| {
            invalid(
                "vpc_subnets",
                format!("no subnets to place the load balancer in: {e}"),
            )
        })?;
        if selected.subnet_ids().is_empty() {
            return Err(invalid(
                "vpc_subnets",
                "the selection matches no subnet; choose subnets of the VPC".to_owned(),
            ));
        }
        // Elastic Load Balancing refuses an application load balancer in
        // fewer than two Availability Zones (cfn-lint E3680).
        let zones = selected.availability_zones();
        let two_zones = zones
            .first()
            .is_some_and(|first| zones.iter().any(|z| z != first));
        if is_alb && !two_zones {
            return Err(invalid(
                "vpc_subnets",
                "an application load balancer needs subnets in at least two Availability Zones, and the selection spans one; give the VPC two zones (`max_azs(2)`) or select subnets in two".to_owned(),
            ));
        }

        let node = stack.scope_of_type(parent, &self.id, self.lb_type.fqn())?;
        let unique = logical_id(&path.as_str().split('/').collect::<Vec<_>>());
        let security_group = SecurityGroup::builder("SecurityGroup", &self.vpc)
            .description(format!(
                "Automatically created Security Group for ELB {unique}"
            ))
            .allow_all_outbound(false)
            .build_in(stack, node)?;

        let attribute = |key: &str, value: String| {
            Value::Lit(LoadBalancerAttribute {
                key: Some(Value::Lit(key.to_owned())),
                value: Some(Value::Lit(value)),
            })
        };
        let mut attributes = vec![attribute(
            "deletion_protection.enabled",
            self.deletion_protection.to_string(),
        )];
        if is_alb {
            attributes.push(attribute(
                "routing.http.drop_invalid_header_fields.enabled",
                self.drop_invalid_header_fields.to_string(),
            ));
        }
        if let Some(timeout) = self.idle_timeout {
            attributes.push(attribute(
                "idle_timeout.timeout_seconds",
                timeout.as_secs().to_string(),
            ));
        }
        if let Some(on) = self.cross_zone {
            attributes.push(attribute(
                "load_balancing.cross_zone.enabled",
                on.to_string(),
            ));
        }
        if let Some((bucket, prefix)) = &self.access_logs {
            attributes.push(attribute("access_logs.s3.enabled", "true".to_owned()));
            attributes.push(attribute("access_logs.s3.bucket", bucket.clone()));
            if let Some(prefix) = prefix {
                attributes.push(attribute("access_logs.s3.prefix", prefix.clone()));
            }
        }
        let resource = stack.add(
            node,
            "Resource",
            CfnLoadBalancer {
                load_balancer_attributes: Some(Value::Lit(attributes)),
                name: self.name.clone().map(Value::Lit),
                scheme: Some(Value::Lit(if self.internet_facing {
                    Scheme::InternetFacing
                } else {
                    Scheme::Internal
                })),
                security_groups: Some(Value::Lit(vec![security_group.group_id()])),
                subnets: Some(Value::Lit(selected.subnet_ids())),
                r#type: Some(Value::Lit(if is_alb {
                    Type::Application
                } else {
                    Type::Network
                })),
                ..CfnLoadBalancer::default()
            },
        )?;
        if self.internet_facing {
            // As the CDK: an internet-facing load balancer waits for the
            // routes to the internet gateway, or it fails to create.
            let options = stack.resource_options(resource)?;
            for dep in selected.internet_connectivity() {
                options.depends_on(dep);
            }
        }
        Ok(LoadBalancer {
            node,
            resource,
            lb_type: self.lb_type,
            security_group,
            vpc: self.vpc,
            internet_facing: self.internet_facing,
        })
    }
}
