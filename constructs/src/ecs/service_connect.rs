//! Service Connect: services find each other by name through a Cloud Map
//! namespace, with a proxy ECS runs beside each task.
//!
//! ```
//! use std::time::Duration;
//! use ecscdk::ecs::{ServiceConnect, ServiceConnectPort};
//! // Serve the container port named `api` as `api:8080` to clients in the namespace.
//! let sc = ServiceConnect::in_namespace("internal")
//!     .port(ServiceConnectPort::named("api").alias("api", 8080).per_request_timeout(Duration::from_secs(15)));
//! # let _ = sc;
//! ```
//!
//! Where it runs (checked when the service is built): tasks in `awsvpc` or
//! `bridge` network mode on Fargate (platform 1.4.0 or later) and on Linux
//! EC2 instances; not in `host` or `none` mode, not on Windows (`nat`), not
//! on ECS Anywhere (`ExternalService` has no Service Connect setter) nor on
//! Managed Instances; TLS between proxies only in `awsvpc` mode.
//!
//! The proxy's own logs, and its access logs, go to a CloudWatch log group:
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ecs::{AccessLogFormat, ServiceConnect};
//! use ecscdk::logs::LogGroup;
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let proxy_logs = LogGroup::builder("ProxyLogs").build(&mut stack)?;
//! let sc = ServiceConnect::in_cluster_namespace()
//!     .log_group(proxy_logs, "proxy")
//!     .access_logs(AccessLogFormat::Json, false);
//! # let _ = sc;
//! # Ok(()) }
//! ```

use std::time::Duration;

use std::collections::BTreeMap;

use crate::cfn::ecs::service::{
    Format, IncludeQueryParameters, LogConfiguration, ServiceConnectAccessLogConfiguration,
    ServiceConnectClientAlias, ServiceConnectConfiguration, ServiceConnectService,
    ServiceConnectTlsCertificateAuthority, ServiceConnectTlsConfiguration, TimeoutConfiguration,
};
use crate::logs::LogGroup;
use crate::synth::{Pseudo, Value};

/// The format of Service Connect access logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccessLogFormat {
    /// Human-readable lines (`TEXT`).
    Text,
    /// One JSON object per request (`JSON`), for log analysis tools.
    Json,
}

/// TLS between Service Connect proxies, with certificates from AWS Private CA.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConnectTls {
    /// The AWS Private CA authority's ARN.
    pub private_ca_arn: Value<String>,
    /// A KMS key (ARN) to encrypt the private key; AWS-owned when `None`.
    pub kms_key_arn: Option<Value<String>>,
    /// The infrastructure role ECS uses to issue certificates.
    pub role_arn: Value<String>,
}

/// One port of the service offered through Service Connect: a named port
/// mapping of the task's containers.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConnectPort {
    pub(crate) port_name: String,
    pub(crate) discovery_name: Option<String>,
    alias: Option<(String, u16)>,
    per_request_timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    pub(crate) tls: Option<ServiceConnectTls>,
}

impl ServiceConnectPort {
    /// The port mapping named `port_name` (see `PortMapping::name`).
    pub fn named(port_name: impl Into<String>) -> Self {
        Self {
            port_name: port_name.into(),
            discovery_name: None,
            alias: None,
            per_request_timeout: None,
            idle_timeout: None,
            tls: None,
        }
    }

    /// The name in Cloud Map (default: the port name).
    ///
    /// CloudFormation default: the port mapping's name.
    /// ecscdk default: omitted (the port mapping's name).
    #[must_use]
    pub fn discovery_name(mut self, name: impl Into<String>) -> Self {
        self.discovery_name = Some(name.into());
        self
    }

    /// The DNS name and port clients use (default: the discovery name and the
    /// container port).
    ///
    /// CloudFormation default: no client alias.
    /// ecscdk default: omitted.
    #[must_use]
    pub fn alias(mut self, dns_name: impl Into<String>, port: u16) -> Self {
        self.alias = Some((dns_name.into(), port));
        self
    }

    /// How long one request may take (HTTP, HTTP/2 and gRPC only).
    ///
    /// CloudFormation default: none set (the Service Connect proxy's own
    /// default applies).
    /// ecscdk default: omitted.
    #[must_use]
    pub fn per_request_timeout(mut self, timeout: Duration) -> Self {
        self.per_request_timeout = Some(timeout);
        self
    }

    /// How long an idle connection stays open.
    ///
    /// CloudFormation default: 5 minutes for HTTP, HTTP/2 and gRPC; 1 hour
    /// for TCP.
    /// ecscdk default: omitted.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// TLS between proxies.
    ///
    /// CloudFormation default: no TLS between proxies.
    /// ecscdk default: omitted (no TLS).
    #[must_use]
    pub fn tls(mut self, tls: ServiceConnectTls) -> Self {
        self.tls = Some(tls);
        self
    }

    fn render(&self) -> ServiceConnectService {
        let secs = |d: Duration| Value::Lit(crate::units::whole_seconds(d));
        let timeout =
            (self.per_request_timeout.is_some() || self.idle_timeout.is_some()).then(|| {
                Value::Lit(TimeoutConfiguration {
                    idle_timeout_seconds: self.idle_timeout.map(secs),
                    per_request_timeout_seconds: self.per_request_timeout.map(secs),
                })
            });
        ServiceConnectService {
            client_aliases: self.alias.as_ref().map(|(dns, port)| {
                Value::Lit(vec![Value::Lit(ServiceConnectClientAlias {
                    dns_name: Some(Value::from(dns.as_str())),
                    ..ServiceConnectClientAlias::new(i64::from(*port))
                })])
            }),
            discovery_name: self.discovery_name.clone().map(Value::Lit),
            timeout,
            tls: self.tls.as_ref().map(|t| {
                Value::Lit(ServiceConnectTlsConfiguration {
                    issuer_certificate_authority: Value::Lit(
                        ServiceConnectTlsCertificateAuthority {
                            aws_pca_authority_arn: Some(t.private_ca_arn.clone()),
                        },
                    ),
                    kms_key: t.kms_key_arn.clone(),
                    role_arn: Some(t.role_arn.clone()),
                })
            }),
            ..ServiceConnectService::new(self.port_name.as_str())
        }
    }
}

/// A service's Service Connect settings: the namespace, and the ports it
/// serves (none: a client only).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConnect {
    pub(crate) namespace: Option<Value<String>>,
    pub(crate) ports: Vec<ServiceConnectPort>,
    pub(crate) log_group: Option<(LogGroup, String)>,
    pub(crate) access_logs: Option<(AccessLogFormat, bool)>,
}

impl ServiceConnect {
    /// Service Connect in the Cloud Map namespace `namespace` (its name or
    /// ARN).
    pub fn in_namespace(namespace: impl Into<Value<String>>) -> Self {
        Self {
            namespace: Some(namespace.into()),
            ports: Vec::new(),
            log_group: None,
            access_logs: None,
        }
    }

    /// Service Connect in the cluster's default namespace (see
    /// `ClusterBuilder::default_cloud_map_namespace`).
    #[must_use]
    pub fn in_cluster_namespace() -> Self {
        Self {
            namespace: None,
            ports: Vec::new(),
            log_group: None,
            access_logs: None,
        }
    }

    /// Serves a port through Service Connect.
    ///
    /// CloudFormation default: no `Services` (the service is a client only).
    /// ecscdk default: none (a client only).
    #[must_use]
    pub fn port(mut self, port: ServiceConnectPort) -> Self {
        self.ports.push(port);
        self
    }

    /// Sends the Service Connect proxy's logs to `group` with the `awslogs`
    /// driver, in streams under `stream_prefix`; the task definition's
    /// execution role, which ships them, may then write to the group (and
    /// nothing else of it), so the task definition needs one.
    ///
    /// CloudFormation default: the proxy's logs are not collected.
    /// ecscdk default: not collected.
    #[must_use]
    pub fn log_group(mut self, group: LogGroup, stream_prefix: impl Into<String>) -> Self {
        self.log_group = Some((group, stream_prefix.into()));
        self
    }

    /// Access logs of the proxy: one entry per request or connection served
    /// (timing, response code, upstream), in `format`, with the HTTP query
    /// string when `include_query_parameters` (mind tokens and personal data
    /// in query strings). They go where the proxy's logs go, so they need
    /// [`log_group`](Self::log_group).
    ///
    /// CloudFormation default: no access logs; query parameters `DISABLED`.
    /// ecscdk default: no access logs.
    #[must_use]
    pub fn access_logs(mut self, format: AccessLogFormat, include_query_parameters: bool) -> Self {
        self.access_logs = Some((format, include_query_parameters));
        self
    }

    /// The configuration, in `namespace` unless one was named.
    pub(crate) fn render(
        &self,
        cluster_namespace: Option<Value<String>>,
    ) -> ServiceConnectConfiguration {
        ServiceConnectConfiguration {
            namespace: self.namespace.clone().or(cluster_namespace),
            services: (!self.ports.is_empty())
                .then(|| Value::Lit(self.ports.iter().map(|p| Value::Lit(p.render())).collect())),
            log_configuration: self.log_group.as_ref().map(|(group, prefix)| {
                let options = BTreeMap::from([
                    ("awslogs-group".to_owned(), Value::from(group.name())),
                    ("awslogs-region".to_owned(), Value::from(Pseudo::region())),
                    (
                        "awslogs-stream-prefix".to_owned(),
                        Value::from(prefix.as_str()),
                    ),
                ]);
                Value::Lit(LogConfiguration {
                    log_driver: Some(Value::from("awslogs")),
                    options: Some(Value::Lit(options)),
                    ..LogConfiguration::default()
                })
            }),
            access_log_configuration: self.access_logs.map(|(format, query)| {
                Value::Lit(ServiceConnectAccessLogConfiguration {
                    include_query_parameters: Some(Value::Lit(if query {
                        IncludeQueryParameters::Enabled
                    } else {
                        IncludeQueryParameters::Disabled
                    })),
                    ..ServiceConnectAccessLogConfiguration::new(match format {
                        AccessLogFormat::Text => Format::Text,
                        AccessLogFormat::Json => Format::Json,
                    })
                })
            }),
            ..ServiceConnectConfiguration::new(true)
        }
    }
}
