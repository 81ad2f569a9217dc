//! AWS Cloud Map: namespaces (private DNS, HTTP) and the services in them,
//! for ECS service discovery and Service Connect, with the AWS CDK's child
//! ids and defaults.
//!
//! ```
//! use std::time::Duration;
//! use ecscdk::prelude::*;
//! use ecscdk::servicediscovery::{DiscoveryService, HttpNamespace, PrivateDnsNamespace};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let dns = PrivateDnsNamespace::builder("Namespace", "internal.example.com", "vpc-0123abcd").build(&mut stack)?;
//! let api = DiscoveryService::builder("Api", dns)
//!     .name("api")
//!     .dns_ttl(Duration::from_secs(10))
//!     .custom_health_check(1)
//!     .build(&mut stack)?;
//! stack.output("ApiRegistry", api.arn())?;
//! let mesh = HttpNamespace::builder("Mesh", "mesh").build(&mut stack)?;
//! stack.output("MeshArn", mesh.arn())?;
//! # Ok(()) }
//! ```

mod namespace;
mod service;

pub use namespace::{
    HttpNamespace, HttpNamespaceBuilder, Namespace, NamespaceType, PrivateDnsNamespace,
    PrivateDnsNamespaceBuilder,
};
pub use service::{
    DiscoveryService, DiscoveryServiceBuilder, DiscoveryType, DnsRecordType, RoutingPolicy,
};
