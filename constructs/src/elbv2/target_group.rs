//! Target groups (target type `ip`, as Fargate tasks register) and their
//! health checks.

use std::time::Duration;

use crate::cfn::elasticloadbalancingv2::target_group::{
    HealthCheckProtocol, Matcher, Protocol, TargetGroupAttribute, TargetType,
};
use crate::cfn::elasticloadbalancingv2::{CfnTargetGroup, CfnTargetGroupRef};
use crate::cloudwatch::{Metric, Statistic};
use crate::ec2::Vpc;
use crate::elbv2::LoadBalancer;
use crate::synth::{ConstructPath, Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// The protocol a target group speaks to its targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TargetProtocol {
    /// HTTP (application load balancers).
    Http,
    /// HTTPS (application load balancers).
    Https,
    /// TCP (network load balancers).
    Tcp,
    /// UDP (network load balancers).
    Udp,
    /// TLS (network load balancers).
    Tls,
}

impl TargetProtocol {
    /// Whether an application load balancer can forward to it.
    #[must_use]
    pub fn is_application(self) -> bool {
        matches!(self, Self::Http | Self::Https)
    }

    pub(crate) fn cfn(self) -> Protocol {
        match self {
            Self::Http => Protocol::Http,
            Self::Https => Protocol::Https,
            Self::Tcp => Protocol::Tcp,
            Self::Udp => Protocol::Udp,
            Self::Tls => Protocol::Tls,
        }
    }
}

/// How the load balancer checks a target's health.
///
/// ```
/// use std::time::Duration;
/// use ecscdk::elbv2::HealthCheck;
/// let check = HealthCheck::http("/health")
///     .interval(Duration::from_secs(15))
///     .timeout(Duration::from_secs(5))
///     .healthy_threshold(2)
///     .success_codes("200-299");
/// # let _ = check;
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HealthCheck {
    protocol: Option<HealthCheckProtocol>,
    path: Option<String>,
    port: Option<String>,
    interval: Option<Duration>,
    timeout: Option<Duration>,
    healthy: Option<u32>,
    unhealthy: Option<u32>,
    codes: Option<String>,
}

impl HealthCheck {
    /// An HTTP check of `path` (e.g. `/health`).
    #[must_use]
    pub fn http(path: impl Into<String>) -> Self {
        Self {
            protocol: Some(HealthCheckProtocol::Http),
            path: Some(path.into()),
            ..Self::default()
        }
    }

    /// A check of `path` in the target group's own protocol (HTTP or HTTPS),
    /// written without `HealthCheckProtocol`, as the CDK's
    /// `healthCheck: { path }` is.
    #[must_use]
    pub fn path(path: impl Into<String>) -> Self {
        Self {
            path: Some(path.into()),
            ..Self::default()
        }
    }

    /// A TCP connection check (network load balancers).
    #[must_use]
    pub fn tcp() -> Self {
        Self {
            protocol: Some(HealthCheckProtocol::Tcp),
            ..Self::default()
        }
    }

    /// The port checked, when it is not the traffic port.
    ///
    /// CloudFormation default: the traffic port.
    /// ecscdk default: omitted (the traffic port).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port.to_string());
        self
    }

    /// Time between checks (5 to 300 seconds).
    ///
    /// CloudFormation default: 30 seconds (HTTP target groups).
    /// ecscdk default: omitted.
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = Some(interval);
        self
    }

    /// Time without a response after which a check fails (2 to 120 seconds,
    /// shorter than the interval).
    ///
    /// CloudFormation default: 5 seconds (HTTP target groups).
    /// ecscdk default: omitted.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Consecutive successes that make a target healthy (2 to 10).
    ///
    /// CloudFormation default: 5 (HTTP target groups).
    /// ecscdk default: omitted.
    #[must_use]
    pub fn healthy_threshold(mut self, count: u32) -> Self {
        self.healthy = Some(count);
        self
    }

    /// Consecutive failures that make a target unhealthy (2 to 10).
    ///
    /// CloudFormation default: 2 (HTTP target groups).
    /// ecscdk default: omitted.
    #[must_use]
    pub fn unhealthy_threshold(mut self, count: u32) -> Self {
        self.unhealthy = Some(count);
        self
    }

    /// The HTTP codes of a healthy response (`200`, `200,202`, `200-299`):
    /// 200 to 499 for an application load balancer's targets, 200 to 599
    /// for a network load balancer's (checked at `build()`).
    ///
    /// CloudFormation default: 200 (network load balancers: 200-399).
    /// ecscdk default: omitted (Elastic Load Balancing's).
    #[must_use]
    pub fn success_codes(mut self, codes: impl Into<String>) -> Self {
        self.codes = Some(codes.into());
        self
    }

    fn check(&self, path: &ConstructPath, protocol: TargetProtocol) -> Result<()> {
        let invalid = |reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: "health_check".to_owned(),
            reason,
        };
        let secs = |d: Duration| d.as_secs();
        if let Some(i) = self.interval
            && (!(5..=300).contains(&secs(i)) || i.subsec_nanos() != 0)
        {
            return Err(invalid(format!(
                "interval {i:?} is not a whole number of seconds from 5 to 300"
            )));
        }
        if let Some(t) = self.timeout
            && (!(2..=120).contains(&secs(t)) || t.subsec_nanos() != 0)
        {
            return Err(invalid(format!(
                "timeout {t:?} is not a whole number of seconds from 2 to 120"
            )));
        }
        if let (Some(i), Some(t)) = (self.interval, self.timeout)
            && t >= i
        {
            return Err(invalid(format!(
                "timeout {t:?} is not shorter than the interval {i:?}; a check would overlap the next"
            )));
        }
        for (what, n) in [("healthy", self.healthy), ("unhealthy", self.unhealthy)] {
            if let Some(n) = n
                && !(2..=10).contains(&n)
            {
                return Err(invalid(format!("{what} threshold {n} is outside 2 to 10")));
            }
        }
        let http_check = matches!(
            self.protocol,
            Some(HealthCheckProtocol::Http | HealthCheckProtocol::Https)
        ) || (self.protocol.is_none() && protocol.is_application());
        if !http_check && (self.path.is_some() || self.codes.is_some()) {
            return Err(invalid(
                "a path or success codes need an HTTP or HTTPS check; use `HealthCheck::http(path)`"
                    .to_owned(),
            ));
        }
        if let Some(codes) = &self.codes {
            // Elastic Load Balancing's ranges for `Matcher.HttpCode`
            // (AWS::ElasticLoadBalancingV2::TargetGroup Matcher).
            let (max, kind) = if protocol.is_application() {
                (499, "an application")
            } else {
                (599, "a network")
            };
            let valid = codes.split(',').all(|item| {
                let mut bounds = item.splitn(2, '-').map(str::parse::<u16>);
                match (bounds.next(), bounds.next()) {
                    (Some(Ok(code)), None) => (200..=max).contains(&code),
                    (Some(Ok(low)), Some(Ok(high))) => 200 <= low && low <= high && high <= max,
                    _ => false,
                }
            });
            if !valid {
                return Err(invalid(format!(
                    "success codes {codes:?} are not HTTP codes {kind} load balancer accepts: 200 to {max}, written `200`, `200,202` or `200-299`"
                )));
            }
        }
        if self.protocol == Some(HealthCheckProtocol::Tcp) && protocol.is_application() {
            return Err(invalid(
                "application load balancers check targets over HTTP or HTTPS; use `HealthCheck::http(path)`"
                    .to_owned(),
            ));
        }
        Ok(())
    }
}

/// A target group of IP targets (Fargate tasks register their IPs). Cheap to
/// clone.
///
/// CloudFormation: [AWS::ElasticLoadBalancingV2::TargetGroup](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-targetgroup.html)
#[derive(Debug, Clone, PartialEq)]
pub struct TargetGroup {
    node: NodeId,
    resource: CfnTargetGroupRef,
    protocol: TargetProtocol,
    port: u16,
}

impl TargetGroup {
    /// A builder for a target group speaking `protocol` to `port` of targets
    /// in `vpc`.
    pub fn builder(
        id: impl Into<String>,
        vpc: &Vpc,
        protocol: TargetProtocol,
        port: u16,
    ) -> TargetGroupBuilder {
        TargetGroupBuilder {
            id: id.into(),
            vpc_id: vpc.vpc_id(),
            protocol,
            port,
            health_check: None,
            deregistration_delay: None,
            preserve_client_ip: None,
            name: None,
            instance_targets: false,
        }
    }

    /// An HTTP target group (for an application load balancer).
    pub fn http(id: impl Into<String>, vpc: &Vpc, port: u16) -> TargetGroupBuilder {
        Self::builder(id, vpc, TargetProtocol::Http, port)
    }

    /// A TCP target group (for a network load balancer).
    pub fn tcp(id: impl Into<String>, vpc: &Vpc, port: u16) -> TargetGroupBuilder {
        Self::builder(id, vpc, TargetProtocol::Tcp, port)
    }

    /// The target group's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::ElasticLoadBalancingV2::TargetGroup` resource.
    #[must_use]
    pub fn resource(&self) -> CfnTargetGroupRef {
        self.resource
    }

    /// The target group's ARN (`Ref`).
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The `targetgroup/…` full name (CloudWatch dimensions).
    #[must_use]
    pub fn full_name(&self) -> Expr<String> {
        self.resource.attr_target_group_full_name()
    }

    /// The target group's metric `name` as seen through `load_balancer`
    /// (the namespace `AWS/ApplicationELB` or `AWS/NetworkELB`, the
    /// dimensions `LoadBalancer` and `TargetGroup` by full name), summed
    /// over 5 minutes. A target group's metrics are reported per load
    /// balancer, so the load balancer it is attached to must be given.
    pub fn metric(&self, load_balancer: &LoadBalancer, name: impl Into<String>) -> Metric {
        load_balancer
            .metric(name)
            .dimension("TargetGroup", self.full_name())
    }

    /// How many targets fail their health checks (`UnHealthyHostCount`):
    /// the maximum over each minute.
    pub fn metric_unhealthy_host_count(&self, load_balancer: &LoadBalancer) -> Metric {
        self.metric(load_balancer, "UnHealthyHostCount")
            .statistic(Statistic::Maximum)
            .period(Duration::from_secs(60))
    }

    /// How many targets pass their health checks (`HealthyHostCount`): the
    /// minimum over each minute.
    pub fn metric_healthy_host_count(&self, load_balancer: &LoadBalancer) -> Metric {
        self.metric(load_balancer, "HealthyHostCount")
            .statistic(Statistic::Minimum)
            .period(Duration::from_secs(60))
    }

    /// How many 5XX responses the targets sent (`HTTPCode_Target_5XX_Count`,
    /// application load balancers), summed over each minute.
    pub fn metric_target_5xx_count(&self, load_balancer: &LoadBalancer) -> Metric {
        self.metric(load_balancer, "HTTPCode_Target_5XX_Count")
            .period(Duration::from_secs(60))
    }

    /// How many requests the targets received (`RequestCount`, application
    /// load balancers), summed over each minute.
    pub fn metric_request_count(&self, load_balancer: &LoadBalancer) -> Metric {
        self.metric(load_balancer, "RequestCount")
            .period(Duration::from_secs(60))
    }

    /// How long targets take to answer, seconds (`TargetResponseTime`,
    /// application load balancers), averaged over each minute.
    pub fn metric_target_response_time(&self, load_balancer: &LoadBalancer) -> Metric {
        self.metric(load_balancer, "TargetResponseTime")
            .statistic(Statistic::Average)
            .period(Duration::from_secs(60))
    }

    /// The protocol spoken to targets.
    #[must_use]
    pub fn protocol(&self) -> TargetProtocol {
        self.protocol
    }

    /// The port of the targets.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// Builds a [`TargetGroup`].
#[derive(Debug, Clone)]
#[must_use]
pub struct TargetGroupBuilder {
    id: String,
    vpc_id: Value<String>,
    protocol: TargetProtocol,
    port: u16,
    health_check: Option<HealthCheck>,
    deregistration_delay: Option<Duration>,
    preserve_client_ip: Option<bool>,
    name: Option<String>,
    instance_targets: bool,
}

impl TargetGroupBuilder {
    /// The same target group under another construct id (the alternate
    /// group of a blue/green service).
    pub(crate) fn renamed(mut self, id: String) -> Self {
        self.id = id;
        self
    }

    /// Registers EC2 instances, on the port each target names (ECS tasks in
    /// `bridge` or `host` network mode, on their host port), instead of IP
    /// addresses.
    ///
    /// The health check port is then written as `traffic-port` unless the
    /// check names one.
    ///
    /// CloudFormation default: `instance`.
    /// ecscdk default: `ip` (Fargate and `awsvpc` tasks).
    pub fn instance_targets(mut self) -> Self {
        self.instance_targets = true;
        self
    }

    /// How targets are checked.
    ///
    /// CloudFormation default: HTTP `/` every 30 s for HTTP groups, TCP for TCP groups.
    /// ecscdk default: omitted (Elastic Load Balancing's defaults).
    pub fn health_check(mut self, check: HealthCheck) -> Self {
        self.health_check = Some(check);
        self
    }

    /// How long a deregistering target keeps its in-flight requests
    /// (`deregistration_delay.timeout_seconds`, 0 to 3600 seconds).
    ///
    /// CloudFormation default: 300 seconds.
    /// ecscdk default: omitted (300 seconds).
    pub fn deregistration_delay(mut self, delay: Duration) -> Self {
        self.deregistration_delay = Some(delay);
        self
    }

    /// Whether a network load balancer passes the client's IP address to IP
    /// targets (`preserve_client_ip.enabled`; TCP and TLS only). Targets then
    /// see clients, not the load balancer: their security group must admit
    /// the clients.
    ///
    /// CloudFormation default: off for IP targets over TCP and TLS.
    /// ecscdk default: omitted (off).
    pub fn preserve_client_ip(mut self, on: bool) -> Self {
        self.preserve_client_ip = Some(on);
        self
    }

    /// The target group's name (at most 32 letters, digits and hyphens). A
    /// fixed name prevents replacement; leave it generated.
    ///
    /// CloudFormation default: generated.
    /// ecscdk default: omitted (generated).
    pub fn target_group_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds the target group directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for port 0, a health check Elastic Load
    /// Balancing rejects, a deregistration delay above 3600 seconds or a bad
    /// name; [`Error::Unsupported`] for client IP preservation on an HTTP or
    /// UDP group; [`Error::DuplicateId`] for a taken id.
    pub fn build(self, stack: &mut Stack) -> Result<TargetGroup> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the target group under `parent` (the AWS CDK puts a listener's
    /// target group under the listener).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<TargetGroup> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if self.port == 0 {
            return Err(invalid(
                "port",
                "port 0 is not a port; use 1 to 65535".to_owned(),
            ));
        }
        if let Some(check) = &self.health_check {
            check.check(&path, self.protocol)?;
        }
        if let Some(delay) = self.deregistration_delay
            && (delay.as_secs() > 3600 || delay.subsec_nanos() != 0)
        {
            return Err(invalid(
                "deregistration_delay",
                format!("{delay:?} is not a whole number of seconds from 0 to 3600"),
            ));
        }
        if let Some(name) = &self.name
            && (name.is_empty()
                || name.len() > 32
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                || name.starts_with('-')
                || name.ends_with('-'))
        {
            return Err(invalid(
                "target_group_name",
                format!(
                    "{name:?} is not a target group name: 1 to 32 letters, digits or hyphens, not starting or ending with `-`"
                ),
            ));
        }
        if self.preserve_client_ip.is_some()
            && !matches!(self.protocol, TargetProtocol::Tcp | TargetProtocol::Tls)
        {
            return Err(Error::Unsupported {
                path,
                setting: "preserve_client_ip",
                situation: "on an HTTP, HTTPS or UDP target group",
                fix: "client IP preservation is a setting of TCP and TLS target groups; drop it",
            });
        }

        let node = stack.scope_of_type(parent, &self.id, "ecscdk.elbv2.TargetGroup")?;
        let attribute = |key: &str, value: String| {
            Value::Lit(TargetGroupAttribute {
                key: Some(Value::Lit(key.to_owned())),
                value: Some(Value::Lit(value)),
            })
        };
        let mut attributes = Vec::new();
        if let Some(delay) = self.deregistration_delay {
            attributes.push(attribute(
                "deregistration_delay.timeout_seconds",
                delay.as_secs().to_string(),
            ));
        }
        if self.protocol.is_application() {
            // As the CDK writes it for application target groups.
            attributes.push(attribute("stickiness.enabled", "false".to_owned()));
        }
        if let Some(on) = self.preserve_client_ip {
            attributes.push(attribute("preserve_client_ip.enabled", on.to_string()));
        }
        let check = self.health_check.unwrap_or_default();
        let secs = |d: Option<Duration>| d.map(|d| Value::Lit(crate::units::whole_seconds(d)));
        let resource = stack.add(
            node,
            "Resource",
            CfnTargetGroup {
                health_check_interval_seconds: secs(check.interval),
                health_check_path: check.path.map(Value::Lit),
                // Instance targets of ECS tasks with dynamic host ports are
                // checked on the port they were registered with; written out,
                // as cfn-lint's E3049 asks.
                health_check_port: check.port.map(Value::Lit).or_else(|| {
                    self.instance_targets
                        .then(|| Value::Lit("traffic-port".to_owned()))
                }),
                health_check_protocol: check.protocol.map(Value::Lit),
                health_check_timeout_seconds: secs(check.timeout),
                healthy_threshold_count: check.healthy.map(|n| Value::Lit(i64::from(n))),
                matcher: check.codes.map(|codes| {
                    Value::Lit(Matcher {
                        http_code: Some(Value::Lit(codes)),
                        ..Matcher::default()
                    })
                }),
                name: self.name.map(Value::Lit),
                port: Some(Value::Lit(i64::from(self.port))),
                protocol: Some(Value::Lit(self.protocol.cfn())),
                target_group_attributes: (!attributes.is_empty()).then(|| Value::Lit(attributes)),
                target_type: Some(Value::Lit(if self.instance_targets {
                    TargetType::Instance
                } else {
                    TargetType::Ip
                })),
                unhealthy_threshold_count: check.unhealthy.map(|n| Value::Lit(i64::from(n))),
                vpc_id: Some(self.vpc_id),
                ..CfnTargetGroup::default()
            },
        )?;
        Ok(TargetGroup {
            node,
            resource,
            protocol: self.protocol,
            port: self.port,
        })
    }
}
