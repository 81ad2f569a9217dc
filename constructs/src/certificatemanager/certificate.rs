//! `Certificate`: a public certificate issued by AWS Certificate Manager.

use crate::cfn::certificatemanager::certificate::{
    CertificateTransparencyLoggingPreference, DomainValidationOption, Tag,
};
use crate::cfn::certificatemanager::{CfnCertificate, CfnCertificateRef};
use crate::route53::{HostedZone, check_domain_name, strip_dot};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// How ACM checks that the domain names are yours.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CertificateValidation {
    /// DNS validation with its records created by CloudFormation in a Route
    /// 53 hosted zone that holds every name: the stack waits until the
    /// certificate is issued, with no one to act.
    Dns(HostedZone),
    /// DNS validation with records you create yourself: the stack waits
    /// until they exist (CloudFormation shows them in the stack events).
    DnsManual,
    /// Email to the domains' registered contacts: the stack waits until
    /// someone follows the link.
    Email,
}

impl CertificateValidation {
    /// DNS validation with records created in `zone`.
    #[must_use]
    pub fn dns(zone: &HostedZone) -> Self {
        Self::Dns(zone.clone())
    }
}

/// A key algorithm of a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// RSA, 2048 bits.
    Rsa2048,
    /// ECDSA with the P-256 curve (`EC_prime256v1`).
    EcPrime256v1,
    /// ECDSA with the P-384 curve (`EC_secp384r1`).
    EcSecp384r1,
}

impl KeyAlgorithm {
    fn as_str(self) -> &'static str {
        match self {
            Self::Rsa2048 => "RSA_2048",
            Self::EcPrime256v1 => "EC_prime256v1",
            Self::EcSecp384r1 => "EC_secp384r1",
        }
    }
}

/// A public ACM certificate for a domain name and its alternative names. The
/// resource is the child `Resource` and carries a `Name` tag with the
/// construct path, as in the AWS CDK. Cheap to clone.
///
/// CloudFormation: [AWS::CertificateManager::Certificate](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html)
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    node: NodeId,
    resource: CfnCertificateRef,
    names: Vec<String>,
}

impl Certificate {
    /// A builder for a certificate with construct id `id` for `domain_name`
    /// (e.g. `www.example.com` or `*.example.com`), validated by
    /// `validation`.
    pub fn builder(
        id: impl Into<String>,
        domain_name: impl Into<String>,
        validation: CertificateValidation,
    ) -> CertificateBuilder {
        CertificateBuilder {
            id: id.into(),
            domain_name: domain_name.into(),
            validation,
            alternative_names: Vec::new(),
            transparency_logging: None,
            key_algorithm: None,
            name: None,
        }
    }

    /// The certificate's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The `AWS::CertificateManager::Certificate` resource.
    #[must_use]
    pub fn resource(&self) -> CfnCertificateRef {
        self.resource
    }

    /// The certificate's ARN (`Ref`).
    #[must_use]
    pub fn arn(&self) -> Expr<String> {
        self.resource.reference()
    }

    /// The names on the certificate: its domain name, then the alternative
    /// names, without trailing dots.
    #[must_use]
    pub fn domain_names(&self) -> &[String] {
        &self.names
    }

    /// Whether the certificate is valid for `host`: one of its names equals
    /// it, or a wildcard name (`*.example.com`) covers its leftmost label.
    #[must_use]
    pub fn covers(&self, host: &str) -> bool {
        let host = strip_dot(host).to_ascii_lowercase();
        self.names.iter().any(|name| {
            let name = name.to_ascii_lowercase();
            match name.strip_prefix("*.") {
                Some(parent) => host
                    .split_once('.')
                    .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
                None => name == host,
            }
        })
    }
}

/// Builds a [`Certificate`].
#[derive(Debug, Clone)]
#[must_use]
pub struct CertificateBuilder {
    id: String,
    domain_name: String,
    validation: CertificateValidation,
    alternative_names: Vec<String>,
    transparency_logging: Option<bool>,
    key_algorithm: Option<KeyAlgorithm>,
    name: Option<String>,
}

impl CertificateBuilder {
    /// Adds an alternative name (`SubjectAlternativeNames`), e.g. the apex
    /// beside `www`.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn alternative_name(mut self, name: impl Into<String>) -> Self {
        self.alternative_names.push(name.into());
        self
    }

    /// Whether the certificate is logged in public certificate transparency
    /// logs (browsers distrust unlogged certificates).
    ///
    /// CloudFormation default: enabled.
    /// ecscdk default: omitted (enabled).
    pub fn transparency_logging(mut self, on: bool) -> Self {
        self.transparency_logging = Some(on);
        self
    }

    /// The key algorithm.
    ///
    /// CloudFormation default: RSA 2048.
    /// ecscdk default: omitted (RSA 2048, which every client accepts).
    pub fn key_algorithm(mut self, algorithm: KeyAlgorithm) -> Self {
        self.key_algorithm = Some(algorithm);
        self
    }

    /// The `Name` tag (a certificate has no name of its own).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: the construct path, as the AWS CDK.
    pub fn certificate_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds the certificate directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a domain name over 64 characters, a
    /// name that is not a domain name, more than 100 alternative names, a
    /// name outside the validating hosted zone or a malformed zone;
    /// [`Error::InvalidId`] or [`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<Certificate> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the certificate under `parent` (how a load-balanced pattern adds
    /// its `Certificate`).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Certificate> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        let domain = strip_dot(&self.domain_name).to_owned();
        check_domain_name(&path, "domain_name", &domain, true)?;
        if domain.len() > 64 {
            return Err(invalid(
                "domain_name",
                format!(
                    "{domain:?} has {} characters; ACM takes at most 64 in the domain name: use a shorter one (or a wildcard) and put this one in `.alternative_name(..)`",
                    domain.len()
                ),
            ));
        }
        let mut alternatives = Vec::new();
        for name in &self.alternative_names {
            check_domain_name(&path, "alternative_name", name, true)?;
            alternatives.push(strip_dot(name).to_owned());
        }
        if alternatives.len() > 100 {
            return Err(invalid(
                "alternative_name",
                format!(
                    "{} alternative names; a certificate takes at most 100",
                    alternatives.len()
                ),
            ));
        }
        let names: Vec<String> = std::iter::once(domain.clone())
            .chain(alternatives.iter().cloned())
            .collect();
        let (method, options) = match &self.validation {
            CertificateValidation::Dns(zone) => {
                zone.check(&path)?;
                if let Some(outside) = names.iter().find(|n| !zone.contains(n)) {
                    return Err(invalid(
                        "validation",
                        format!(
                            "{outside:?} is outside the hosted zone {:?}, so its validation record cannot go there; use the zone of that domain or `CertificateValidation::DnsManual`",
                            zone.zone_name()
                        ),
                    ));
                }
                // As the AWS CDK: a wildcard whose base name is also on the
                // certificate shares its validation record.
                let options: Vec<_> = names
                    .iter()
                    .filter(|n| {
                        n.strip_prefix("*.")
                            .is_none_or(|base| !names.iter().any(|m| m == base))
                    })
                    .map(|n| {
                        Value::Lit(DomainValidationOption {
                            domain_name: Some(Value::from(n.as_str())),
                            hosted_zone_id: Some(zone.hosted_zone_id()),
                            validation_domain: None,
                        })
                    })
                    .collect();
                ("DNS", Some(Value::Lit(options)))
            }
            CertificateValidation::DnsManual => ("DNS", None),
            CertificateValidation::Email => ("EMAIL", None),
        };
        let node =
            stack.scope_of_type(parent, &self.id, "ecscdk.certificatemanager.Certificate")?;
        let name_tag = self
            .name
            .unwrap_or_else(|| stack.path(node).as_str().chars().take(255).collect());
        let resource = stack.add(
            node,
            "Resource",
            CfnCertificate {
                subject_alternative_names: (!alternatives.is_empty()).then(|| {
                    Value::Lit(
                        alternatives
                            .iter()
                            .map(|n| Value::from(n.as_str()))
                            .collect(),
                    )
                }),
                domain_validation_options: options,
                validation_method: Some(Value::from(method)),
                certificate_transparency_logging_preference: self.transparency_logging.map(|on| {
                    Value::Lit(if on {
                        CertificateTransparencyLoggingPreference::Enabled
                    } else {
                        CertificateTransparencyLoggingPreference::Disabled
                    })
                }),
                key_algorithm: self.key_algorithm.map(|k| Value::from(k.as_str())),
                tags: Some(Value::Lit(vec![Value::Lit(Tag::new("Name", name_tag))])),
                ..CfnCertificate::new(domain)
            },
        )?;
        Ok(Certificate {
            node,
            resource,
            names,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(names: &[&str]) -> Certificate {
        let mut stack = Stack::new("Web");
        let zone = HostedZone::from_attributes("Z1", "example.com");
        let mut b = Certificate::builder("Cert", names[0], CertificateValidation::dns(&zone));
        for n in &names[1..] {
            b = b.alternative_name(*n);
        }
        b.build(&mut stack).unwrap()
    }

    #[test]
    fn covers_exact_names_and_one_wildcard_label() {
        let c = cert(&["*.example.com", "example.com"]);
        assert!(c.covers("www.example.com"));
        assert!(c.covers("EXAMPLE.com."));
        assert!(!c.covers("a.b.example.com"));
        assert!(!c.covers("example.org"));
    }
}
