//! `LogGroup`: a CloudWatch Logs log group.
//!
//! CloudFormation: [AWS::Logs::LogGroup](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html).

use crate::cfn::logs::{CfnLogGroup, CfnLogGroupRef};
use crate::iam::{PolicyStatement, Role};
use crate::logs::RetentionDays;
use crate::synth::{Expr, NodeId, Value};
use crate::{Result, Stack};

/// A log group. A copyable handle; its resource is the child `Resource`, as
/// in the AWS CDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogGroup {
    node: NodeId,
    resource: CfnLogGroupRef,
}

impl LogGroup {
    /// A builder for a log group with construct id `id`.
    pub fn builder(id: impl Into<String>) -> LogGroupBuilder {
        LogGroupBuilder {
            id: id.into(),
            retention: RetentionDays::default(),
            retain_on_delete: true,
            kms_key_arn: None,
            name: None,
        }
    }

    /// The log group's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The log group's `AWS::Logs::LogGroup` resource.
    #[must_use]
    pub fn resource(self) -> CfnLogGroupRef {
        self.resource
    }

    /// The log group's name (`Ref`).
    #[must_use]
    pub fn name(self) -> Expr<String> {
        self.resource.reference()
    }

    /// The log group's ARN.
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        self.resource.attr_arn()
    }

    /// Lets `role` write events to this group (create streams and put
    /// events), nothing else.
    ///
    /// # Errors
    /// [`Error::ForeignHandle`](crate::Error::ForeignHandle) when the role
    /// belongs to another stack than `stack`.
    pub fn grant_write(self, stack: &mut Stack, role: Role) -> Result<()> {
        role.add_to_policy(
            stack,
            PolicyStatement::allow()
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(self.arn()),
        )
    }

    /// Lets `role` read this group's events, nothing else.
    ///
    /// # Errors
    /// As [`grant_write`](Self::grant_write).
    pub fn grant_read(self, stack: &mut Stack, role: Role) -> Result<()> {
        role.add_to_policy(
            stack,
            PolicyStatement::allow()
                .actions([
                    "logs:DescribeLogStreams",
                    "logs:GetLogEvents",
                    "logs:FilterLogEvents",
                    "logs:GetLogRecord",
                ])
                .resource(self.arn()),
        )
    }
}

/// Builds a [`LogGroup`].
#[derive(Debug, Clone)]
#[must_use]
pub struct LogGroupBuilder {
    id: String,
    retention: RetentionDays,
    retain_on_delete: bool,
    kms_key_arn: Option<Value<String>>,
    name: Option<Value<String>>,
}

impl LogGroupBuilder {
    /// How long events are kept.
    ///
    /// CloudFormation default: forever.
    /// ecscdk default: [`RetentionDays::OneMonth`]: logs on, but not kept (and
    /// paid for) forever.
    pub fn retention(mut self, retention: RetentionDays) -> Self {
        self.retention = retention;
        self
    }

    /// Whether the log group is kept when it leaves the stack or the stack is
    /// deleted (`DeletionPolicy`/`UpdateReplacePolicy` `Retain`).
    ///
    /// CloudFormation default: deleted.
    /// ecscdk default: kept, as the CDK does: logs outlive a mistaken delete.
    pub fn retain_on_delete(mut self, retain: bool) -> Self {
        self.retain_on_delete = retain;
        self
    }

    /// Encrypts the log events with a KMS key (its ARN); the key policy must
    /// let CloudWatch Logs use it.
    ///
    /// CloudFormation default: encrypted with a key CloudWatch Logs owns.
    /// ecscdk default: omitted (the service-owned key).
    pub fn kms_key_arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.kms_key_arn = Some(arn.into());
        self
    }

    /// The log group's name.
    ///
    /// CloudFormation default: generated from the stack and logical ID.
    /// ecscdk default: omitted (generated), so the group can be replaced.
    pub fn log_group_name(mut self, name: impl Into<Value<String>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds the log group directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidId`](crate::Error::InvalidId) or
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<LogGroup> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the log group under `parent` (how a container adds its
    /// `LogGroup`).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<LogGroup> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.logs.LogGroup")?;
        let group = CfnLogGroup {
            retention_in_days: Some(Value::Lit(i64::from(self.retention.days()))),
            kms_key_id: self.kms_key_arn,
            log_group_name: self.name,
            ..CfnLogGroup::default()
        };
        let resource = stack.add(node, "Resource", group)?;
        stack
            .resource_options(resource)?
            .retain(self.retain_on_delete);
        Ok(LogGroup { node, resource })
    }
}
