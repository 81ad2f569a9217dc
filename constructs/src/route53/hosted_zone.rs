//! `HostedZone`: a Route 53 hosted zone that exists outside the app, taken
//! as an input by its id and name, and the domain-name rules records and
//! certificates check against it.

use crate::synth::{ConstructPath, Value};
use crate::{Error, Result};

/// A public or private Route 53 hosted zone managed outside the app (as the
/// AWS CDK's `HostedZone.fromHostedZoneAttributes`): its id and its name.
///
/// CloudFormation: referenced by [AWS::Route53::RecordSet](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53-recordset.html) and [AWS::CertificateManager::Certificate](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html)
///
/// ```
/// use ecscdk::route53::HostedZone;
/// let zone = HostedZone::from_attributes("Z0123456789ABCDEFGHIJ", "example.com");
/// assert!(zone.contains("www.example.com"));
/// assert!(!zone.contains("www.example.org"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct HostedZone {
    id: Value<String>,
    name: String,
}

impl HostedZone {
    /// The zone with id `hosted_zone_id` (e.g. `Z0123456789ABCDEFGHIJ`, or an
    /// expression such as a parameter or an import) and name `zone_name`
    /// (e.g. `example.com`; a trailing dot is dropped). Both are checked
    /// where the zone is used.
    pub fn from_attributes(
        hosted_zone_id: impl Into<Value<String>>,
        zone_name: impl Into<String>,
    ) -> Self {
        let name: String = zone_name.into();
        let name = name.strip_suffix('.').map_or(name.clone(), str::to_owned);
        Self {
            id: hosted_zone_id.into(),
            name,
        }
    }

    /// The zone's id.
    #[must_use]
    pub fn hosted_zone_id(&self) -> Value<String> {
        self.id.clone()
    }

    /// The zone's name, without a trailing dot.
    #[must_use]
    pub fn zone_name(&self) -> &str {
        &self.name
    }

    /// Whether `domain_name` (with or without a trailing dot, any case) is the
    /// zone's apex or a name below it.
    #[must_use]
    pub fn contains(&self, domain_name: &str) -> bool {
        let name = strip_dot(domain_name).to_ascii_lowercase();
        let zone = self.name.to_ascii_lowercase();
        name == zone || name.ends_with(&format!(".{zone}"))
    }

    /// The fully qualified form of `record_name`, as the AWS CDK's
    /// `determineFullyQualifiedDomainName`: a name ending in `.` is kept, a
    /// name equal to or ending in the zone's name (in any case) gets a
    /// trailing dot, any other name is taken as relative to the zone.
    #[must_use]
    pub fn qualify(&self, record_name: &str) -> String {
        if record_name.ends_with('.') {
            return record_name.to_owned();
        }
        if self.contains(record_name) {
            return format!("{record_name}.");
        }
        format!("{record_name}.{}.", self.name)
    }

    /// Checks the zone's id and name, reporting at `path`.
    pub(crate) fn check(&self, path: &ConstructPath) -> Result<()> {
        if let Value::Lit(id) = &self.id
            && (id.is_empty()
                || id.len() > 32
                || !id
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        {
            return Err(Error::InvalidProperty {
                path: path.clone(),
                property: "hosted_zone_id".to_owned(),
                reason: format!(
                    "{id:?} is not a hosted zone id; give the id Route 53 shows (e.g. `Z0123456789ABCDEFGHIJ`), without `/hostedzone/`"
                ),
            });
        }
        check_domain_name(path, "zone_name", &self.name, false)
    }
}

/// `name` without one trailing dot.
pub(crate) fn strip_dot(name: &str) -> &str {
    name.strip_suffix('.').unwrap_or(name)
}

/// Checks a DNS name (a trailing dot allowed): 1 to 253 characters, labels
/// of 1 to 63 letters, digits, `-` or `_`, and, where `wildcard` allows it,
/// a leftmost label `*`.
pub(crate) fn check_domain_name(
    path: &ConstructPath,
    property: &str,
    name: &str,
    wildcard: bool,
) -> Result<()> {
    let invalid = |reason: String| Error::InvalidProperty {
        path: path.clone(),
        property: property.to_owned(),
        reason,
    };
    let bare = strip_dot(name);
    if bare.is_empty() || bare.len() > 253 {
        return Err(invalid(format!(
            "{name:?} is not a domain name: it has 1 to 253 characters"
        )));
    }
    for (i, label) in bare.split('.').enumerate() {
        if label == "*" && i == 0 && wildcard {
            continue;
        }
        if label.is_empty()
            || label.len() > 63
            || !label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(invalid(format!(
                "{name:?} is not a domain name: each dot-separated label has 1 to 63 letters, digits, `-` or `_`{}",
                if wildcard {
                    " (a leftmost `*` is a wildcard)"
                } else {
                    ""
                }
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifies_names_as_the_cdk() {
        let zone = HostedZone::from_attributes("Z1", "example.com.");
        assert_eq!(zone.zone_name(), "example.com");
        assert_eq!(zone.qualify("www"), "www.example.com.");
        assert_eq!(zone.qualify("www.example.com"), "www.example.com.");
        assert_eq!(zone.qualify("example.com"), "example.com.");
        assert_eq!(zone.qualify("other.org."), "other.org.");
        assert_eq!(zone.qualify("WWW.Example.COM"), "WWW.Example.COM.");
    }

    #[test]
    fn contains_the_apex_and_names_below_only() {
        let zone = HostedZone::from_attributes("Z1", "example.com");
        assert!(zone.contains("example.com."));
        assert!(zone.contains("A.B.Example.COM"));
        assert!(!zone.contains("badexample.com"));
        assert!(!zone.contains("example.org"));
    }
}
