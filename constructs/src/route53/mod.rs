//! Route 53: hosted zones managed outside the app (taken by id and name)
//! and records in them (`A`, such as an alias to a load balancer, and
//! `CNAME`), with the AWS CDK's child ids and name rules.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::ec2::Vpc;
//! use ecscdk::elbv2::ApplicationLoadBalancer;
//! use ecscdk::route53::{ARecord, HostedZone, RecordTarget};
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let vpc = Vpc::builder("Vpc").nat_gateways(1).build(&mut stack)?;
//! let lb = ApplicationLoadBalancer::builder("LB", &vpc).build(&mut stack)?;
//! let zone = HostedZone::from_attributes("Z0123456789ABCDEFGHIJ", "example.com");
//! let record = ARecord::builder("DNS", &zone, RecordTarget::load_balancer(&lb))
//!     .record_name("www")
//!     .build(&mut stack)?;
//! stack.output("Domain", record.domain_name())?;
//! # Ok(()) }
//! ```

mod hosted_zone;
mod record;

pub use hosted_zone::HostedZone;
pub(crate) use hosted_zone::check_domain_name;
pub(crate) use hosted_zone::strip_dot;
pub use record::{ARecord, ARecordBuilder, CnameRecord, CnameRecordBuilder, RecordTarget};
