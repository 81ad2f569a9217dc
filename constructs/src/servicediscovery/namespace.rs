//! Cloud Map namespaces: a private DNS namespace (names resolvable inside a
//! VPC) and an HTTP namespace (discovery through the API only, as Service
//! Connect uses).
//!
//! CloudFormation: [AWS::ServiceDiscovery::PrivateDnsNamespace](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-servicediscovery-privatednsnamespace.html),
//! [AWS::ServiceDiscovery::HttpNamespace](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-servicediscovery-httpnamespace.html).

use crate::cfn::servicediscovery::{
    CfnHttpNamespace, CfnHttpNamespaceRef, CfnPrivateDnsNamespace, CfnPrivateDnsNamespaceRef,
};
use crate::synth::{ConstructPath, Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// What a namespace keeps in its stack: its name, which CloudFormation
/// cannot return.
#[derive(Debug)]
struct NamespaceName(String);

/// The kind of a namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NamespaceType {
    /// Instances are found through DNS queries inside a VPC, or the API.
    DnsPrivate,
    /// Instances are found through the API only.
    Http,
}

/// A Cloud Map namespace of either kind, as a service takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Namespace {
    /// A private DNS namespace.
    PrivateDns(PrivateDnsNamespace),
    /// An HTTP namespace.
    Http(HttpNamespace),
}

impl Namespace {
    /// The namespace's id (`Fn::GetAtt Id`), which services take as
    /// `NamespaceId`.
    #[must_use]
    pub fn id(self) -> Expr<String> {
        match self {
            Self::PrivateDns(n) => n.id(),
            Self::Http(n) => n.id(),
        }
    }

    /// The namespace's ARN.
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        match self {
            Self::PrivateDns(n) => n.arn(),
            Self::Http(n) => n.arn(),
        }
    }

    /// The namespace's kind.
    #[must_use]
    pub fn namespace_type(self) -> NamespaceType {
        match self {
            Self::PrivateDns(_) => NamespaceType::DnsPrivate,
            Self::Http(_) => NamespaceType::Http,
        }
    }

    /// The namespace's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        match self {
            Self::PrivateDns(n) => n.node,
            Self::Http(n) => n.node,
        }
    }

    /// The namespace's name, as given to its builder.
    #[must_use]
    pub fn name(self, stack: &Stack) -> Option<&str> {
        stack
            .construct_data::<NamespaceName>(self.node())
            .map(|n| n.0.as_str())
    }
}

impl From<PrivateDnsNamespace> for Namespace {
    fn from(n: PrivateDnsNamespace) -> Self {
        Self::PrivateDns(n)
    }
}

impl From<HttpNamespace> for Namespace {
    fn from(n: HttpNamespace) -> Self {
        Self::Http(n)
    }
}

/// A private DNS namespace: a Route 53 private hosted zone of the VPC in
/// which Cloud Map registers its services' records. A copyable handle; its
/// resource is the child `Resource`, as in the AWS CDK.
///
/// CloudFormation: [AWS::ServiceDiscovery::PrivateDnsNamespace](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-servicediscovery-privatednsnamespace.html).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrivateDnsNamespace {
    node: NodeId,
    resource: CfnPrivateDnsNamespaceRef,
}

impl PrivateDnsNamespace {
    /// A builder for the namespace `name` (a domain name such as
    /// `internal.example.com`) in the VPC `vpc_id`.
    pub fn builder(
        id: impl Into<String>,
        name: impl Into<String>,
        vpc_id: impl Into<Value<String>>,
    ) -> PrivateDnsNamespaceBuilder {
        PrivateDnsNamespaceBuilder {
            id: id.into(),
            name: name.into(),
            vpc_id: vpc_id.into(),
            description: None,
        }
    }

    /// The namespace's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The namespace's `AWS::ServiceDiscovery::PrivateDnsNamespace` resource.
    #[must_use]
    pub fn resource(self) -> CfnPrivateDnsNamespaceRef {
        self.resource
    }

    /// The namespace's id (`Fn::GetAtt Id`).
    #[must_use]
    pub fn id(self) -> Expr<String> {
        self.resource.attr_id()
    }

    /// The namespace's ARN.
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        self.resource.attr_arn()
    }

    /// The id of the private hosted zone Cloud Map created.
    #[must_use]
    pub fn hosted_zone_id(self) -> Expr<String> {
        self.resource.attr_hosted_zone_id()
    }

    /// The namespace's name, as given to its builder.
    #[must_use]
    pub fn name(self, stack: &Stack) -> Option<&str> {
        Namespace::from(self).name(stack)
    }
}

/// Builds a [`PrivateDnsNamespace`].
#[derive(Debug, Clone)]
#[must_use]
pub struct PrivateDnsNamespaceBuilder {
    id: String,
    name: String,
    vpc_id: Value<String>,
    description: Option<String>,
}

impl PrivateDnsNamespaceBuilder {
    /// The namespace's description (at most 1,024 characters).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: omitted.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Adds the namespace directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a name that is not a domain name or a
    /// description over 1,024 characters; [`Error::InvalidId`] or
    /// [`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<PrivateDnsNamespace> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the namespace under `parent` (how a cluster adds its
    /// `DefaultServiceDiscoveryNamespace`).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<PrivateDnsNamespace> {
        let path = stack.path(parent).child(&self.id);
        if let Some(reason) = domain_name_problem(&self.name) {
            return Err(invalid(&path, "name", reason));
        }
        check_description(&path, self.description.as_deref())?;
        let node = stack.scope_of_type(
            parent,
            &self.id,
            "ecscdk.servicediscovery.PrivateDnsNamespace",
        )?;
        let namespace = CfnPrivateDnsNamespace {
            description: self.description.map(Value::from),
            vpc: Some(self.vpc_id),
            ..CfnPrivateDnsNamespace::new(self.name.as_str())
        };
        let resource = stack.add(node, "Resource", namespace)?;
        stack.set_construct_data(node, NamespaceName(self.name))?;
        Ok(PrivateDnsNamespace { node, resource })
    }
}

/// An HTTP namespace: services in it are found through the Cloud Map API
/// only (`DiscoverInstances`), as ECS Service Connect does. A copyable
/// handle; its resource is the child `Resource`, as in the AWS CDK.
///
/// CloudFormation: [AWS::ServiceDiscovery::HttpNamespace](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-servicediscovery-httpnamespace.html).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpNamespace {
    node: NodeId,
    resource: CfnHttpNamespaceRef,
}

impl HttpNamespace {
    /// A builder for the namespace `name`.
    pub fn builder(id: impl Into<String>, name: impl Into<String>) -> HttpNamespaceBuilder {
        HttpNamespaceBuilder {
            id: id.into(),
            name: name.into(),
            description: None,
        }
    }

    /// The namespace's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The namespace's `AWS::ServiceDiscovery::HttpNamespace` resource.
    #[must_use]
    pub fn resource(self) -> CfnHttpNamespaceRef {
        self.resource
    }

    /// The namespace's id (`Fn::GetAtt Id`).
    #[must_use]
    pub fn id(self) -> Expr<String> {
        self.resource.attr_id()
    }

    /// The namespace's ARN (what a cluster's Service Connect defaults take).
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        self.resource.attr_arn()
    }

    /// The namespace's name, as given to its builder.
    #[must_use]
    pub fn name(self, stack: &Stack) -> Option<&str> {
        Namespace::from(self).name(stack)
    }
}

/// Builds an [`HttpNamespace`].
#[derive(Debug, Clone)]
#[must_use]
pub struct HttpNamespaceBuilder {
    id: String,
    name: String,
    description: Option<String>,
}

impl HttpNamespaceBuilder {
    /// The namespace's description (at most 1,024 characters).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: omitted.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Adds the namespace directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a name Cloud Map rejects (1 to 1,024
    /// visible ASCII characters) or a description over 1,024 characters;
    /// [`Error::InvalidId`] or [`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<HttpNamespace> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the namespace under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<HttpNamespace> {
        let path = stack.path(parent).child(&self.id);
        let n = self.name.chars().count();
        if n == 0 || n > 1024 || !self.name.chars().all(|c| c.is_ascii_graphic()) {
            return Err(invalid(
                &path,
                "name",
                format!(
                    "HTTP namespace name {:?} must have 1 to 1024 visible ASCII characters (no spaces)",
                    self.name
                ),
            ));
        }
        check_description(&path, self.description.as_deref())?;
        let node =
            stack.scope_of_type(parent, &self.id, "ecscdk.servicediscovery.HttpNamespace")?;
        let namespace = CfnHttpNamespace {
            description: self.description.map(Value::from),
            ..CfnHttpNamespace::new(self.name.as_str())
        };
        let resource = stack.add(node, "Resource", namespace)?;
        stack.set_construct_data(node, NamespaceName(self.name))?;
        Ok(HttpNamespace { node, resource })
    }
}

fn invalid(path: &ConstructPath, property: &str, reason: String) -> Error {
    Error::InvalidProperty {
        path: path.clone(),
        property: property.into(),
        reason,
    }
}

fn check_description(path: &ConstructPath, description: Option<&str>) -> Result<()> {
    match description {
        Some(d) if d.chars().count() > 1024 => Err(invalid(
            path,
            "description",
            format!(
                "a description has at most 1024 characters, not {}; shorten it",
                d.chars().count()
            ),
        )),
        _ => Ok(()),
    }
}

/// What Route 53 rejects in a private zone's domain name: at most 253
/// characters (a trailing dot aside), labels of 1 to 63 letters, digits,
/// `-` or `_`, not starting or ending with `-`.
fn domain_name_problem(name: &str) -> Option<String> {
    let bare = name.strip_suffix('.').unwrap_or(name);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if bare.is_empty() || bare.len() > 253 || !bare.split('.').all(label_ok) {
        return Some(format!(
            "{name:?} is not a domain name; write labels of letters, digits, `-` or `_` (1 to 63 each, not starting or ending with `-`) joined by dots, at most 253 characters, e.g. internal.example.com"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names() {
        assert!(domain_name_problem("internal.example.com").is_none());
        assert!(domain_name_problem("local").is_none());
        assert!(domain_name_problem("svc.local.").is_none());
        assert!(domain_name_problem("").is_some());
        assert!(domain_name_problem("a..b").is_some());
        assert!(domain_name_problem("-a.b").is_some());
        assert!(domain_name_problem("a b").is_some());
        assert!(domain_name_problem(&"a".repeat(64)).is_some());
    }
}
