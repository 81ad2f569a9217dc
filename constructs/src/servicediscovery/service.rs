//! `DiscoveryService`: a Cloud Map service, the name under which a
//! namespace lists the instances of one application (ECS registers its
//! tasks there through the ECS service's `ServiceRegistries`).
//!
//! CloudFormation: [AWS::ServiceDiscovery::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-servicediscovery-service.html).

use std::time::Duration;

use crate::cfn::ecs::service::ServiceRegistry;
use crate::cfn::servicediscovery::service::{
    DnsConfig, DnsRecord, HealthCheckCustomConfig, RoutingPolicy as L1Routing, ServiceType,
    Type as L1Type,
};
use crate::cfn::servicediscovery::{CfnService, CfnServiceRef};
use crate::servicediscovery::{Namespace, NamespaceType};
use crate::synth::{ConstructPath, Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// The DNS records Cloud Map creates for each registered instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum DnsRecordType {
    /// An IPv4 address record (tasks in `awsvpc` network mode).
    #[default]
    A,
    /// An IPv6 address record.
    Aaaa,
    /// Both an A and an AAAA record.
    AAndAaaa,
    /// A service record with the port (needed for `bridge` and `host`
    /// network modes).
    Srv,
    /// A CNAME record (weighted routing only).
    Cname,
}

impl DnsRecordType {
    fn records(self) -> &'static [L1Type] {
        match self {
            Self::A => &[L1Type::A],
            Self::Aaaa => &[L1Type::Aaaa],
            Self::AAndAaaa => &[L1Type::A, L1Type::Aaaa],
            Self::Srv => &[L1Type::Srv],
            Self::Cname => &[L1Type::Cname],
        }
    }
}

/// How Route 53 answers a query for the service's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RoutingPolicy {
    /// Up to eight healthy records, chosen at random.
    Multivalue,
    /// One record, chosen at random among those registered.
    Weighted,
}

impl RoutingPolicy {
    fn to_l1(self) -> L1Routing {
        match self {
            Self::Multivalue => L1Routing::Multivalue,
            Self::Weighted => L1Routing::Weighted,
        }
    }
}

/// How instances of the service are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiscoveryType {
    /// Through the Cloud Map API only (`Type: HTTP`, no DNS records).
    Api,
    /// Through DNS queries and the API.
    DnsAndApi,
}

/// A Cloud Map service. A copyable handle; its resource is the child
/// `Resource`, as in the AWS CDK (an ECS service's is
/// `<service>/CloudmapService/Resource`).
///
/// CloudFormation: [AWS::ServiceDiscovery::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-servicediscovery-service.html).
///
/// ```
/// use ecscdk::prelude::*;
/// use ecscdk::servicediscovery::{DiscoveryService, DnsRecordType, PrivateDnsNamespace};
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Web");
/// let ns = PrivateDnsNamespace::builder("Namespace", "internal.example.com", "vpc-0123abcd").build(&mut stack)?;
/// let api = DiscoveryService::builder("Api", ns)
///     .name("api")
///     .dns_record_type(DnsRecordType::Srv)
///     .custom_health_check(1)
///     .build(&mut stack)?;
/// let registry = api.service_registry("web", 8080);
/// # let _ = registry;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscoveryService {
    node: NodeId,
    resource: CfnServiceRef,
    dns_record_type: Option<DnsRecordType>,
}

impl DiscoveryService {
    /// A builder for a service in `namespace` (a [`PrivateDnsNamespace`](crate::servicediscovery::PrivateDnsNamespace)
    /// or an [`HttpNamespace`](crate::servicediscovery::HttpNamespace)).
    pub fn builder(
        id: impl Into<String>,
        namespace: impl Into<Namespace>,
    ) -> DiscoveryServiceBuilder {
        DiscoveryServiceBuilder {
            id: id.into(),
            namespace: namespace.into(),
            name: None,
            description: None,
            dns_record_type: None,
            dns_ttl: None,
            routing_policy: None,
            failure_threshold: None,
            discovery_type: None,
        }
    }

    /// The service's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The service's `AWS::ServiceDiscovery::Service` resource.
    #[must_use]
    pub fn resource(self) -> CfnServiceRef {
        self.resource
    }

    /// The service's ARN, which an ECS service's `ServiceRegistries` entry
    /// takes as `RegistryArn`.
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        self.resource.attr_arn()
    }

    /// The service's id.
    #[must_use]
    pub fn id(self) -> Expr<String> {
        self.resource.attr_id()
    }

    /// The DNS record type, or `None` for a service found through the API
    /// only.
    #[must_use]
    pub fn dns_record_type(self) -> Option<DnsRecordType> {
        self.dns_record_type
    }

    /// Whether ECS must name the container and port it registers (SRV
    /// records carry the port).
    #[must_use]
    pub fn needs_container_port(self) -> bool {
        self.dns_record_type == Some(DnsRecordType::Srv)
    }

    /// The entry for an ECS service's `ServiceRegistries`, as the CDK's
    /// `enableCloudMap` renders it: the registry ARN, plus, for SRV records
    /// only, the container's name and port (for A and AAAA records ECS
    /// registers the task's IP address, and the container is not named).
    pub fn service_registry(
        self,
        container_name: impl Into<Value<String>>,
        container_port: u16,
    ) -> ServiceRegistry {
        let srv = self.needs_container_port();
        ServiceRegistry {
            registry_arn: Some(Value::from(self.arn())),
            container_name: srv.then(|| container_name.into()),
            container_port: srv.then(|| Value::Lit(i64::from(container_port))),
            ..ServiceRegistry::default()
        }
    }
}

/// Builds a [`DiscoveryService`].
#[derive(Debug, Clone)]
#[must_use]
pub struct DiscoveryServiceBuilder {
    id: String,
    namespace: Namespace,
    name: Option<String>,
    description: Option<String>,
    dns_record_type: Option<DnsRecordType>,
    dns_ttl: Option<Duration>,
    routing_policy: Option<RoutingPolicy>,
    failure_threshold: Option<u32>,
    discovery_type: Option<DiscoveryType>,
}

impl DiscoveryServiceBuilder {
    /// The service's name: the first label of its DNS name
    /// (`api` in `api.internal.example.com`).
    ///
    /// CloudFormation default: generated by CloudFormation.
    /// ecscdk default: omitted (generated).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The service's description (at most 1,024 characters).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: omitted.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// The DNS records of each instance. DNS namespaces only.
    ///
    /// CloudFormation default: none (required in `DnsConfig`).
    /// ecscdk default: [`DnsRecordType::A`] in a DNS namespace, as the CDK.
    pub fn dns_record_type(mut self, record_type: DnsRecordType) -> Self {
        self.dns_record_type = Some(record_type);
        self
    }

    /// How long resolvers cache the records (whole seconds). DNS namespaces
    /// only.
    ///
    /// CloudFormation default: none (required in `DnsConfig`).
    /// ecscdk default: 60 seconds, as the CDK.
    pub fn dns_ttl(mut self, ttl: Duration) -> Self {
        self.dns_ttl = Some(ttl);
        self
    }

    /// How Route 53 answers queries. DNS namespaces only.
    ///
    /// CloudFormation default: `WEIGHTED`.
    /// ecscdk default: `MULTIVALUE`, or `WEIGHTED` for CNAME records, as the CDK.
    pub fn routing_policy(mut self, policy: RoutingPolicy) -> Self {
        self.routing_policy = Some(policy);
        self
    }

    /// Turns on a custom health check (`HealthCheckCustomConfig`), whose
    /// status ECS reports for its tasks; `failure_threshold` is 1 to 10 (Cloud
    /// Map now always uses 1). Set once: it cannot change after creation.
    ///
    /// CloudFormation default: none (no health check).
    /// ecscdk default: omitted (an ECS service's Cloud Map service sets 1, as the CDK's `enableCloudMap` does).
    pub fn custom_health_check(mut self, failure_threshold: u32) -> Self {
        self.failure_threshold = Some(failure_threshold);
        self
    }

    /// How instances are found. `Type: HTTP` is rendered only when
    /// [`DiscoveryType::Api`] is chosen, as the CDK renders it.
    ///
    /// CloudFormation default: DNS and API in a DNS namespace, API in an HTTP namespace.
    /// ecscdk default: omitted (the same).
    pub fn discovery_type(mut self, discovery: DiscoveryType) -> Self {
        self.discovery_type = Some(discovery);
        self
    }

    /// Adds the service directly under the stack.
    ///
    /// # Errors
    /// [`Error::Conflict`] for DNS settings in an HTTP namespace or with
    /// API-only discovery, DNS discovery in an HTTP namespace, or CNAME
    /// records with multivalue routing; [`Error::InvalidProperty`] for a
    /// name Cloud Map rejects, a TTL that is not whole seconds, a failure
    /// threshold outside 1 to 10 or a description over 1,024 characters;
    /// [`Error::InvalidId`] or [`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<DiscoveryService> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the service under `parent` (how an ECS service adds its
    /// `CloudmapService`).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<DiscoveryService> {
        let path = stack.path(parent).child(&self.id);
        let http = self.namespace.namespace_type() == NamespaceType::Http;
        let dns_setting = [
            self.dns_record_type.map(|_| "dns_record_type"),
            self.dns_ttl.map(|_| "dns_ttl"),
            self.routing_policy.map(|_| "routing_policy"),
        ]
        .into_iter()
        .flatten()
        .next();
        if http && self.discovery_type == Some(DiscoveryType::DnsAndApi) {
            return Err(Error::Conflict {
                path,
                first: "discovery_type",
                second: "namespace",
                fix: "an HTTP namespace has no DNS; use DiscoveryType::Api or a private DNS namespace",
            });
        }
        if let Some(setting) = dns_setting {
            if http {
                return Err(Error::Conflict {
                    path,
                    first: setting,
                    second: "namespace",
                    fix: "an HTTP namespace has no DNS records; remove the DNS settings or use a private DNS namespace",
                });
            }
            if self.discovery_type == Some(DiscoveryType::Api) {
                return Err(Error::Conflict {
                    path,
                    first: setting,
                    second: "discovery_type",
                    fix: "a service discovered through the API only has no DNS records; remove the DNS settings or use DiscoveryType::DnsAndApi",
                });
            }
        }
        let record_type = self.dns_record_type.unwrap_or_default();
        if record_type == DnsRecordType::Cname
            && self.routing_policy == Some(RoutingPolicy::Multivalue)
        {
            return Err(Error::Conflict {
                path,
                first: "dns_record_type",
                second: "routing_policy",
                fix: "CNAME records need weighted routing; use RoutingPolicy::Weighted or another record type",
            });
        }
        if let Some(name) = &self.name
            && let Some(reason) = service_name_problem(name)
        {
            return Err(invalid(&path, "name", reason));
        }
        if let Some(d) = &self.description
            && d.chars().count() > 1024
        {
            return Err(invalid(
                &path,
                "description",
                format!(
                    "a description has at most 1024 characters, not {}; shorten it",
                    d.chars().count()
                ),
            ));
        }
        let ttl = self.dns_ttl.unwrap_or(Duration::from_secs(60));
        let ttl_secs = u32::try_from(ttl.as_secs())
            .ok()
            .filter(|s| ttl.subsec_nanos() == 0 && i32::try_from(*s).is_ok());
        let Some(ttl_secs) = ttl_secs else {
            return Err(invalid(
                &path,
                "dns_ttl",
                format!(
                    "TTL {ttl:?} is not a whole number of seconds up to 2147483647; round it to seconds"
                ),
            ));
        };
        if let Some(t) = self.failure_threshold
            && !(1..=10).contains(&t)
        {
            return Err(invalid(
                &path,
                "custom_health_check",
                format!("failure threshold {t} is outside 1 to 10; Cloud Map uses 1, so pass 1"),
            ));
        }

        let dns = !http && self.discovery_type != Some(DiscoveryType::Api);
        let namespace_id = self.namespace.id();
        let dns_config = dns.then(|| {
            let routing = self
                .routing_policy
                .unwrap_or(if record_type == DnsRecordType::Cname {
                    RoutingPolicy::Weighted
                } else {
                    RoutingPolicy::Multivalue
                });
            let records = record_type
                .records()
                .iter()
                .map(|t| Value::Lit(DnsRecord::new(f64::from(ttl_secs), *t)))
                .collect::<Vec<_>>();
            DnsConfig {
                namespace_id: Some(Value::from(namespace_id.clone())),
                routing_policy: Some(Value::Lit(routing.to_l1())),
                ..DnsConfig::new(Value::Lit(records))
            }
        });
        let service = CfnService {
            description: self.description.map(Value::from),
            dns_config: dns_config.map(Value::Lit),
            health_check_custom_config: self.failure_threshold.map(|t| {
                Value::Lit(HealthCheckCustomConfig {
                    failure_threshold: Some(Value::Lit(f64::from(t))),
                })
            }),
            name: self.name.map(Value::from),
            namespace_id: Some(Value::from(namespace_id)),
            r#type: (self.discovery_type == Some(DiscoveryType::Api))
                .then_some(Value::Lit(ServiceType::Http)),
            ..CfnService::default()
        };
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.servicediscovery.Service")?;
        let resource = stack.add(node, "Resource", service)?;
        Ok(DiscoveryService {
            node,
            resource,
            dns_record_type: dns.then_some(record_type),
        })
    }
}

fn invalid(path: &ConstructPath, property: &str, reason: String) -> Error {
    Error::InvalidProperty {
        path: path.clone(),
        property: property.into(),
        reason,
    }
}

/// What Cloud Map rejects in a service name: at most 127 characters of
/// dot-separated labels, each 1 to 63 letters, digits, `-` or `_`, not
/// starting or ending with `-` (a one-character label is a letter or digit).
fn service_name_problem(name: &str) -> Option<String> {
    let label_ok = |l: &str| match l.len() {
        0 => false,
        1 => l.chars().all(|c| c.is_ascii_alphanumeric()),
        2..=63 => {
            l.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                && !l.starts_with('-')
                && !l.ends_with('-')
        }
        _ => false,
    };
    if name == "." || (name.len() <= 127 && name.split('.').all(label_ok)) {
        return None;
    }
    Some(format!(
        "service name {name:?} is not one Cloud Map accepts; write dot-separated labels of letters, digits, `-` or `_` (1 to 63 each, not starting or ending with `-`), at most 127 characters"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names() {
        for ok in ["api", "_http._tcp", "web-1", "a", "x.y"] {
            assert!(service_name_problem(ok).is_none(), "{ok}");
        }
        for bad in ["", "-api", "api-", "a b", "_", "a..b", &"a".repeat(64)] {
            assert!(service_name_problem(bad).is_some(), "{bad}");
        }
    }
}
