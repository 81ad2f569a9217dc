//! `Role`: an IAM role with a trust policy, managed policies and a default
//! inline policy that grants add statements to.
//!
//! CloudFormation: [AWS::IAM::Role](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html),
//! [AWS::IAM::Policy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-policy.html).

use std::sync::Arc;

use crate::cfn::iam::{CfnPolicy, CfnPolicyRef, CfnRole, CfnRoleRef};
use crate::iam::{PolicyDocument, PolicyStatement, Principal};
use crate::synth::{Expr, NodeId, Operand, Value};
use crate::{Result, Stack};

/// An IAM role. A copyable handle; its resource is the child `Resource`, and
/// its default policy (created by the first grant) is
/// `DefaultPolicy/Resource`, as in the AWS CDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    node: NodeId,
    resource: CfnRoleRef,
}

/// What a role keeps in its stack: the default policy, once created. Its
/// document is shared with the policy's `PolicyDocument` property, which
/// synth writes from it ([`Operand::Rendered`]).
#[derive(Debug)]
struct DefaultPolicy {
    resource: CfnPolicyRef,
    document: Arc<PolicyDocument>,
}

impl Role {
    /// A builder for a role that `assumed_by` may assume.
    pub fn builder(id: impl Into<String>, assumed_by: Principal) -> RoleBuilder {
        RoleBuilder {
            id: id.into(),
            assumed_by,
            managed_policies: Vec::new(),
            description: None,
        }
    }

    /// The role's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The role's `AWS::IAM::Role` resource.
    #[must_use]
    pub fn resource(self) -> CfnRoleRef {
        self.resource
    }

    /// The role's ARN.
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        self.resource.attr_arn()
    }

    /// The role's name (`Ref`).
    #[must_use]
    pub fn name(self) -> Expr<String> {
        self.resource.reference()
    }

    /// Adds a statement to the role's default policy, creating the policy
    /// (`DefaultPolicy/Resource`, named by its logical ID as the CDK names
    /// it) on first use. Statements that differ only in resources merge.
    ///
    /// # Errors
    /// [`Error::ForeignHandle`](crate::Error::ForeignHandle) when the role
    /// belongs to another stack than `stack`.
    pub fn add_to_policy(self, stack: &mut Stack, statement: PolicyStatement) -> Result<()> {
        if let Some(resource) = stack
            .construct_data::<DefaultPolicy>(self.node)
            .map(|p| p.resource)
        {
            // Out of the property first, so that the document has one
            // owner and changes in place.
            stack.properties_mut::<CfnPolicy>(resource)?.policy_document = Operand::Null;
            let Some(policy) = stack.construct_data_mut::<DefaultPolicy>(self.node) else {
                return Ok(());
            };
            Arc::make_mut(&mut policy.document).add(statement);
            let document = Arc::clone(&policy.document);
            stack.properties_mut::<CfnPolicy>(resource)?.policy_document =
                Operand::Rendered(document);
            return Ok(());
        }
        let scope = stack.scope_of_type(self.node, "DefaultPolicy", "ecscdk.iam.Policy")?;
        let document = Arc::new(PolicyDocument::new().statement(statement));
        let policy = CfnPolicy {
            roles: Some(Value::Lit(vec![Value::from(self.name())])),
            ..CfnPolicy::new(Operand::Rendered(document.clone()), String::new())
        };
        let resource = stack.add(scope, "Resource", policy)?;
        // The CDK names the policy after its own logical ID.
        let name = stack.logical_id_of(resource.untyped().node());
        stack.properties_mut::<CfnPolicy>(resource)?.policy_name = Value::from(name);
        stack.set_construct_data(self.node, DefaultPolicy { resource, document })
    }
}

/// Builds a [`Role`].
#[derive(Debug, Clone)]
#[must_use]
pub struct RoleBuilder {
    id: String,
    assumed_by: Principal,
    managed_policies: Vec<String>,
    description: Option<String>,
}

impl RoleBuilder {
    /// Attaches an AWS managed policy by name, e.g.
    /// `service-role/AmazonECSTaskExecutionRolePolicy`.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none; grants add least-privilege statements instead.
    pub fn managed_policy(mut self, name: impl Into<String>) -> Self {
        self.managed_policies.push(name.into());
        self
    }

    /// The role's description.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: omitted.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Adds the role directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidId`](crate::Error::InvalidId) or
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<Role> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the role under `parent` (how a task definition adds its
    /// `TaskRole` and `ExecutionRole`).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Role> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.iam.Role")?;
        let trust = PolicyDocument::new().statement(
            PolicyStatement::allow()
                .action("sts:AssumeRole")
                .principal(self.assumed_by),
        );
        let mut role = CfnRole::new(trust);
        role.description = self.description.map(Value::from);
        if !self.managed_policies.is_empty() {
            let arns: Vec<Value<String>> = self
                .managed_policies
                .iter()
                .map(|name| {
                    Value::from(Expr::sub_with(
                        format!("arn:${{AWS::Partition}}:iam::aws:policy/{name}"),
                        std::iter::empty::<(String, Value<String>)>(),
                    ))
                })
                .collect();
            role.managed_policy_arns = Some(Value::Lit(arns));
        }
        let resource = stack.add(node, "Resource", role)?;
        Ok(Role { node, resource })
    }
}
