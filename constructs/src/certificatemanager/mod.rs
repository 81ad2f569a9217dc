//! AWS Certificate Manager: public certificates validated by DNS records in
//! a Route 53 hosted zone (or by hand, or by email), for HTTPS and TLS
//! listeners.
//!
//! ```
//! use ecscdk::prelude::*;
//! use ecscdk::certificatemanager::{Certificate, CertificateValidation};
//! use ecscdk::route53::HostedZone;
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let zone = HostedZone::from_attributes("Z0123456789ABCDEFGHIJ", "example.com");
//! let cert = Certificate::builder("Certificate", "www.example.com", CertificateValidation::dns(&zone))
//!     .alternative_name("example.com")
//!     .build(&mut stack)?;
//! assert!(cert.covers("www.example.com"));
//! # Ok(()) }
//! ```

mod certificate;

pub use certificate::{Certificate, CertificateBuilder, CertificateValidation, KeyAlgorithm};
