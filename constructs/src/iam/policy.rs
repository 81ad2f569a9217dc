//! IAM policy documents, typed: statements with actions, resources,
//! principals and conditions, rendered as the JSON IAM expects.
//!
//! ```
//! use ecscdk::iam::{PolicyDocument, PolicyStatement, Principal};
//! let trust = PolicyDocument::new()
//!     .statement(PolicyStatement::allow().action("sts:AssumeRole").principal(Principal::service("ecs-tasks.amazonaws.com")));
//! assert_eq!(trust.statements().len(), 1);
//! ```

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::synth::{Operand, Render, Value};

/// The policy language version every document uses.
pub const POLICY_VERSION: &str = "2012-10-17";

/// Whether a statement allows or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

impl Effect {
    fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        }
    }
}

/// Who a statement of a trust or resource policy applies to.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Principal {
    /// An AWS service, e.g. `ecs-tasks.amazonaws.com`.
    Service(String),
    /// An account, user or role ARN (or an account id).
    Aws(Value<String>),
    /// A federated identity provider.
    Federated(Value<String>),
    /// Anyone (`"*"`); use only with conditions that narrow it.
    Anyone,
}

impl Principal {
    /// An AWS service principal.
    pub fn service(name: impl Into<String>) -> Self {
        Self::Service(name.into())
    }

    /// An account, user or role ARN.
    pub fn aws(arn: impl Into<Value<String>>) -> Self {
        Self::Aws(arn.into())
    }

    fn key(&self) -> &'static str {
        match self {
            Self::Service(_) => "Service",
            Self::Aws(_) | Self::Anyone => "AWS",
            Self::Federated(_) => "Federated",
        }
    }

    fn value(&self) -> Operand {
        match self {
            Self::Service(s) => Operand::Str(s.clone()),
            Self::Aws(v) | Self::Federated(v) => v.clone().into(),
            Self::Anyone => Operand::Str("*".to_owned()),
        }
    }
}

/// One statement of a policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyStatement {
    sid: Option<String>,
    effect: Effect,
    actions: Vec<String>,
    resources: Vec<Value<String>>,
    principals: Vec<Principal>,
    conditions: BTreeMap<String, BTreeMap<String, Operand>>,
}

impl PolicyStatement {
    fn with_effect(effect: Effect) -> Self {
        Self {
            sid: None,
            effect,
            actions: Vec::new(),
            resources: Vec::new(),
            principals: Vec::new(),
            conditions: BTreeMap::new(),
        }
    }

    /// A statement that allows.
    #[must_use]
    pub fn allow() -> Self {
        Self::with_effect(Effect::Allow)
    }

    /// A statement that denies.
    #[must_use]
    pub fn deny() -> Self {
        Self::with_effect(Effect::Deny)
    }

    /// `Sid`: the statement's id.
    ///
    /// CloudFormation default: not applicable (IAM: no `Sid`; it is
    /// optional).
    /// ecscdk default: omitted, which also lets the statement merge with
    /// others.
    #[must_use]
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// Adds an action such as `ecr:BatchGetImage` (duplicates are dropped).
    ///
    /// CloudFormation default: not applicable (IAM: `Action` is required).
    /// ecscdk default: no actions (`Action` omitted).
    #[must_use]
    pub fn action(mut self, action: impl Into<String>) -> Self {
        let action = action.into();
        if !self.actions.contains(&action) {
            self.actions.push(action);
        }
        self
    }

    /// Adds actions.
    ///
    /// CloudFormation default: not applicable (IAM: `Action` is required).
    /// ecscdk default: no actions (`Action` omitted).
    #[must_use]
    pub fn actions<A: Into<String>>(self, actions: impl IntoIterator<Item = A>) -> Self {
        actions.into_iter().fold(self, Self::action)
    }

    /// Adds a resource ARN (duplicates are dropped).
    ///
    /// CloudFormation default: not applicable (IAM: `Resource` is required
    /// in identity policies, absent in trust policies).
    /// ecscdk default: no resources (`Resource` omitted).
    #[must_use]
    pub fn resource(mut self, arn: impl Into<Value<String>>) -> Self {
        let arn = arn.into();
        if !self.resources.contains(&arn) {
            self.resources.push(arn);
        }
        self
    }

    /// Adds resource ARNs.
    ///
    /// CloudFormation default: not applicable (IAM: `Resource` is required
    /// in identity policies, absent in trust policies).
    /// ecscdk default: no resources (`Resource` omitted).
    #[must_use]
    pub fn resources<R: Into<Value<String>>>(self, arns: impl IntoIterator<Item = R>) -> Self {
        arns.into_iter().fold(self, Self::resource)
    }

    /// Adds a principal (trust and resource policies only).
    ///
    /// CloudFormation default: not applicable (IAM: `Principal` is required
    /// in trust and resource policies, absent in identity policies).
    /// ecscdk default: no principals (`Principal` omitted).
    #[must_use]
    pub fn principal(mut self, principal: Principal) -> Self {
        if !self.principals.contains(&principal) {
            self.principals.push(principal);
        }
        self
    }

    /// Adds a condition: `operator` (e.g. `StringEquals`) on `key` (e.g.
    /// `aws:SourceAccount`).
    ///
    /// CloudFormation default: not applicable (IAM: no `Condition`; the
    /// statement always applies).
    /// ecscdk default: no conditions (`Condition` omitted).
    #[must_use]
    pub fn condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<Operand>,
    ) -> Self {
        self.conditions
            .entry(operator.into())
            .or_default()
            .insert(key.into(), value.into());
        self
    }

    /// The actions.
    #[must_use]
    pub fn action_list(&self) -> &[String] {
        &self.actions
    }

    /// The resources.
    #[must_use]
    pub fn resource_list(&self) -> &[Value<String>] {
        &self.resources
    }

    /// Whether `other` differs from this statement only in its resources, so
    /// the two can be merged into one (as the CDK's `minimizePolicies` does).
    fn merges_with(&self, other: &Self) -> bool {
        self.sid.is_none()
            && other.sid.is_none()
            && self.effect == other.effect
            && self.actions == other.actions
            && self.principals == other.principals
            && self.conditions == other.conditions
    }

    /// The statement as IAM JSON: keys in the CDK's order (`Action`,
    /// `Condition`, `Effect`, `Principal`, `Resource`, `Sid`); one action or
    /// resource is written as a string, several as a list.
    #[must_use]
    pub fn to_operand(&self) -> Operand {
        let mut pairs: Vec<(&str, Operand)> = Vec::new();
        if !self.actions.is_empty() {
            pairs.push((
                "Action",
                one_or_list(self.actions.iter().map(|a| Operand::Str(a.clone()))),
            ));
        }
        if !self.conditions.is_empty() {
            let conditions = self.conditions.iter().map(|(op, keys)| {
                (
                    op.clone(),
                    Operand::map(keys.iter().map(|(k, v)| (k.clone(), v.clone()))),
                )
            });
            pairs.push(("Condition", Operand::map(conditions)));
        }
        pairs.push(("Effect", Operand::from(self.effect.as_str())));
        if !self.principals.is_empty() {
            let mut by_kind: BTreeMap<&str, Vec<Operand>> = BTreeMap::new();
            for p in &self.principals {
                by_kind.entry(p.key()).or_default().push(p.value());
            }
            let principal = by_kind.into_iter().map(|(k, vs)| (k, one_or_list(vs)));
            pairs.push(("Principal", Operand::map(principal)));
        }
        if !self.resources.is_empty() {
            pairs.push((
                "Resource",
                one_or_list(self.resources.iter().cloned().map(Operand::from)),
            ));
        }
        if let Some(sid) = &self.sid {
            pairs.push(("Sid", Operand::from(sid.as_str())));
        }
        Operand::map(pairs)
    }
}

/// Written as [`PolicyStatement::to_operand`]'s tree would be, without
/// building it.
impl Serialize for PolicyStatement {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if !self.actions.is_empty() {
            map.serialize_entry("Action", &OneOrList(&self.actions))?;
        }
        if !self.conditions.is_empty() {
            map.serialize_entry("Condition", &self.conditions)?;
        }
        map.serialize_entry("Effect", self.effect.as_str())?;
        if !self.principals.is_empty() {
            map.serialize_entry("Principal", &Principals(&self.principals))?;
        }
        if !self.resources.is_empty() {
            map.serialize_entry("Resource", &OneOrList(&self.resources))?;
        }
        if let Some(sid) = &self.sid {
            map.serialize_entry("Sid", sid)?;
        }
        map.end()
    }
}

/// One item as itself, several as a list.
struct OneOrList<'a, T>(&'a [T]);

impl<T: Serialize> Serialize for OneOrList<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }
}

/// Principals by kind, kinds in key order, each kind's in the order added.
struct Principals<'a>(&'a [Principal]);

impl Serialize for Principals<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct OfKind<'a>(&'a [Principal], &'static str);
        impl Serialize for OfKind<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut of_kind = self.0.iter().filter(|p| p.key() == self.1);
                let count = self.0.iter().filter(|p| p.key() == self.1).count();
                if count == 1
                    && let Some(one) = of_kind.next()
                {
                    return one.serialize(s);
                }
                let mut seq = s.serialize_seq(Some(count))?;
                for p in of_kind {
                    seq.serialize_element(p)?;
                }
                seq.end()
            }
        }
        let mut map = s.serialize_map(None)?;
        // `Principal::key`'s values, sorted.
        for kind in ["AWS", "Federated", "Service"] {
            if self.0.iter().any(|p| p.key() == kind) {
                map.serialize_entry(kind, &OfKind(self.0, kind))?;
            }
        }
        map.end()
    }
}

impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Service(name) => s.serialize_str(name),
            Self::Aws(v) | Self::Federated(v) => v.serialize(s),
            Self::Anyone => s.serialize_str("*"),
        }
    }
}

fn one_or_list(items: impl IntoIterator<Item = Operand>) -> Operand {
    let mut items: Vec<Operand> = items.into_iter().collect();
    if items.len() == 1 {
        items.pop().unwrap_or(Operand::Null)
    } else {
        Operand::List(items)
    }
}

/// A policy document: a version and statements.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyDocument {
    statements: Vec<PolicyStatement>,
}

impl PolicyDocument {
    /// An empty document.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a statement; a statement that differs from an earlier one only in
    /// its resources is merged into it, and an exact duplicate is dropped.
    ///
    /// CloudFormation default: not applicable (IAM: `Statement` is
    /// required).
    /// ecscdk default: no statements.
    #[must_use]
    pub fn statement(mut self, statement: PolicyStatement) -> Self {
        self.add(statement);
        self
    }

    /// Adds a statement, merging as [`statement`](Self::statement) does.
    pub fn add(&mut self, statement: PolicyStatement) {
        if let Some(existing) = self
            .statements
            .iter_mut()
            .find(|s| s.merges_with(&statement))
        {
            for r in statement.resources {
                if !existing.resources.contains(&r) {
                    existing.resources.push(r);
                }
            }
        } else {
            // Most documents hold one statement (every trust policy does):
            // room for exactly one at first, not the four a first push
            // reserves, which left 384 unused bytes in each document.
            if self.statements.capacity() == 0 {
                self.statements.reserve_exact(1);
            }
            self.statements.push(statement);
        }
    }

    /// The statements.
    #[must_use]
    pub fn statements(&self) -> &[PolicyStatement] {
        &self.statements
    }

    /// Whether the document has no statement.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The document as IAM JSON (`Statement`, then `Version`, as the CDK
    /// writes it).
    #[must_use]
    pub fn to_operand(&self) -> Operand {
        Operand::map([
            (
                "Statement",
                Operand::List(
                    self.statements
                        .iter()
                        .map(PolicyStatement::to_operand)
                        .collect(),
                ),
            ),
            ("Version", Operand::from(POLICY_VERSION)),
        ])
    }
}

/// Written as [`PolicyDocument::to_operand`]'s tree would be, without
/// building it.
impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("Statement", &self.statements)?;
        map.serialize_entry("Version", POLICY_VERSION)?;
        map.end()
    }
}

/// A document in a resource's properties stays a document until synth
/// writes it: changing it costs no operand tree.
impl Render for PolicyDocument {
    fn to_operand(&self) -> Operand {
        PolicyDocument::to_operand(self)
    }
}

impl From<PolicyDocument> for Operand {
    fn from(document: PolicyDocument) -> Self {
        Operand::rendered(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_differing_only_in_resources_merge() {
        let doc = PolicyDocument::new()
            .statement(
                PolicyStatement::allow()
                    .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                    .resource("a"),
            )
            .statement(
                PolicyStatement::allow()
                    .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                    .resource("b"),
            )
            .statement(
                PolicyStatement::allow()
                    .action("ecr:GetAuthorizationToken")
                    .resource("*"),
            );
        assert_eq!(doc.statements().len(), 2);
        assert_eq!(doc.statements()[0].resource_list().len(), 2);
    }

    #[test]
    fn a_document_writes_what_its_operand_tree_writes() {
        let doc = PolicyDocument::new()
            .statement(
                PolicyStatement::allow()
                    .actions(["s3:GetObject", "s3:PutObject"])
                    .resource("arn:aws:s3:::b/*")
                    .principal(Principal::service("ecs-tasks.amazonaws.com"))
                    .principal(Principal::aws("arn:aws:iam::123456789012:root"))
                    .principal(Principal::Anyone)
                    .principal(Principal::Federated(Value::from(
                        "cognito-identity.amazonaws.com",
                    )))
                    .principal(Principal::service("events.amazonaws.com"))
                    .condition("StringEquals", "aws:SourceAccount", "123456789012")
                    .condition("StringEquals", "aws:SourceArn", Operand::list(["a", "b"]))
                    .condition("Bool", "aws:SecureTransport", false),
            )
            .statement(
                PolicyStatement::deny()
                    .sid("NoDelete")
                    .action("s3:DeleteObject")
                    .resources(["arn:aws:s3:::b", "arn:aws:s3:::c"]),
            )
            .statement(PolicyStatement::allow().action("sts:AssumeRole"));
        let direct = serde_json::to_string_pretty(&doc).unwrap();
        let tree = serde_json::to_string_pretty(&doc.to_operand()).unwrap();
        assert_eq!(direct, tree);
        assert!(direct.contains("\"AWS\": [") && direct.contains("\"Sid\": \"NoDelete\""));
        assert_eq!(Operand::from(doc.clone()), doc.to_operand());
    }

    #[test]
    fn one_action_is_a_string_and_several_a_list() {
        let s = PolicyStatement::allow()
            .action("sts:AssumeRole")
            .principal(Principal::service("ecs-tasks.amazonaws.com"))
            .to_operand();
        assert_eq!(
            s,
            Operand::map([
                ("Action", Operand::from("sts:AssumeRole")),
                ("Effect", Operand::from("Allow")),
                (
                    "Principal",
                    Operand::map([("Service", "ecs-tasks.amazonaws.com")])
                ),
            ])
        );
    }
}
