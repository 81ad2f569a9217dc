//! `Queue`: an SQS queue, encrypted at rest by default, reachable only over
//! TLS by default, with an optional dead-letter queue.
//!
//! CloudFormation: [AWS::SQS::Queue](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html),
//! [AWS::SQS::QueuePolicy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queuepolicy.html).

use std::time::Duration;

use crate::appscaling::{Metric, Statistic};
use crate::cfn::sqs::{CfnQueue, CfnQueuePolicy, CfnQueuePolicyRef, CfnQueueRef};
use crate::iam::{PolicyDocument, PolicyStatement, Principal, Role};
use crate::synth::{Expr, NodeId, Operand, Value};
use crate::{Error, Result, Stack};

/// How a queue's messages are encrypted at rest.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum QueueEncryption {
    /// With keys SQS owns and manages (SSE-SQS, `SqsManagedSseEnabled`).
    #[default]
    SqsManaged,
    /// With a KMS key, by ARN, alias ARN or alias (`alias/aws/sqs` for the
    /// AWS managed key). Consumers are also granted `kms:Decrypt` on it and
    /// producers `kms:GenerateDataKey`, when the key is given by ARN.
    Kms(Value<String>),
    /// Not encrypted. Use only for data that is public anyway.
    Unencrypted,
}

/// What the queue keeps in its stack for grants and its resource policy.
#[derive(Debug)]
struct QueueInfo {
    kms_key: Option<Value<String>>,
    policy: Option<(CfnQueuePolicyRef, PolicyDocument)>,
}

/// An SQS queue. A copyable handle; its resource is the child `Resource` and
/// its policy `Policy/Resource`, as in the AWS CDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queue {
    node: NodeId,
    resource: CfnQueueRef,
    fifo: bool,
}

impl Queue {
    /// A builder for a queue with construct id `id`.
    pub fn builder(id: impl Into<String>) -> QueueBuilder {
        QueueBuilder {
            id: id.into(),
            name: None,
            fifo: false,
            visibility_timeout: None,
            retention_period: None,
            delivery_delay: None,
            receive_wait_time: None,
            dead_letter: None,
            encryption: QueueEncryption::default(),
            enforce_tls: true,
        }
    }

    /// The queue's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The `AWS::SQS::Queue` resource.
    #[must_use]
    pub fn resource(self) -> CfnQueueRef {
        self.resource
    }

    /// The queue's ARN.
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        self.resource.attr_arn()
    }

    /// The queue's URL (`Ref`).
    #[must_use]
    pub fn url(self) -> Expr<String> {
        self.resource.reference()
    }

    /// The queue's name (`Fn::GetAtt` of `QueueName`, as the CDK reads it).
    #[must_use]
    pub fn name(self) -> Expr<String> {
        self.resource.untyped().attr_as("QueueName")
    }

    /// Whether this is a FIFO queue.
    #[must_use]
    pub fn is_fifo(self) -> bool {
        self.fifo
    }

    /// The number of messages available for retrieval: the maximum over 5
    /// minutes, as the CDK's `metricApproximateNumberOfMessagesVisible`.
    pub fn metric_visible_messages(self) -> Metric {
        Metric::new("AWS/SQS", "ApproximateNumberOfMessagesVisible")
            .dimension("QueueName", self.name())
            .statistic(Statistic::Maximum)
            .period(Duration::from_secs(300))
    }

    /// The queue's metric `name` in the `AWS/SQS` namespace with the
    /// dimension `QueueName`, averaged over 5 minutes, as the CDK's
    /// `queue.metric(name)`.
    pub fn metric(self, name: impl Into<String>) -> Metric {
        Metric::new("AWS/SQS", name).dimension("QueueName", self.name())
    }

    /// The age of the oldest message not yet deleted, seconds: the maximum
    /// over 5 minutes, as the CDK's `metricApproximateAgeOfOldestMessage`.
    /// The figure that shows consumers falling behind.
    pub fn metric_oldest_message_age(self) -> Metric {
        self.metric("ApproximateAgeOfOldestMessage")
            .statistic(Statistic::Maximum)
    }

    /// The queue's KMS key by ARN, when it has one.
    pub(crate) fn kms_key(self, stack: &Stack) -> Option<Value<String>> {
        stack
            .construct_data::<QueueInfo>(self.node)
            .and_then(|info| info.kms_key.clone())
            .filter(|key| !matches!(key, Value::Lit(k) if k.starts_with("alias/")))
    }

    /// Adds a statement to the queue's resource policy, creating the policy
    /// (`Policy/Resource`, as the CDK's `addToResourcePolicy`) on first use.
    ///
    /// # Errors
    /// [`Error::WrongHandle`] when the queue is not of this stack.
    pub fn add_to_resource_policy(
        self,
        stack: &mut Stack,
        statement: PolicyStatement,
    ) -> Result<()> {
        let Some(info) = stack.construct_data_mut::<QueueInfo>(self.node) else {
            return Err(Error::WrongHandle {
                path: stack.path(stack.root()),
                expected: "a queue",
            });
        };
        if let Some((resource, document)) = &mut info.policy {
            document.add(statement);
            let (resource, rendered) = (*resource, document.clone());
            stack
                .properties_mut::<CfnQueuePolicy>(resource)?
                .policy_document = rendered.into();
            return Ok(());
        }
        let document = PolicyDocument::new().statement(statement);
        let scope = stack.scope_of_type(self.node, "Policy", "ecscdk.sqs.QueuePolicy")?;
        let resource = stack.add(
            scope,
            "Resource",
            CfnQueuePolicy::new(document.clone(), Value::Lit(vec![Value::from(self.url())])),
        )?;
        if let Some(info) = stack.construct_data_mut::<QueueInfo>(self.node) {
            info.policy = Some((resource, document));
        }
        Ok(())
    }

    /// Lets `role` consume messages: `sqs:ChangeMessageVisibility`,
    /// `sqs:DeleteMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` and
    /// `sqs:ReceiveMessage` on this queue only (as the CDK's
    /// `grantConsumeMessages`, in its order), and `kms:Decrypt` on its KMS
    /// key if it has one.
    ///
    /// # Errors
    /// [`Error::ForeignHandle`] when the role belongs to another stack than
    /// `stack`.
    pub fn grant_consume_messages(self, stack: &mut Stack, role: Role) -> Result<()> {
        role.add_to_policy(
            stack,
            PolicyStatement::allow()
                // In the order the CDK renders them (sorted).
                .actions([
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                    "sqs:ReceiveMessage",
                ])
                .resource(self.arn()),
        )?;
        if let Some(key) = self.kms_key(stack) {
            role.add_to_policy(
                stack,
                PolicyStatement::allow().action("kms:Decrypt").resource(key),
            )?;
        }
        Ok(())
    }

    /// Lets `role` send messages: `sqs:SendMessage`, `sqs:GetQueueAttributes`
    /// and `sqs:GetQueueUrl` on this queue only, and `kms:Decrypt` and
    /// `kms:GenerateDataKey` on its KMS key if it has one.
    ///
    /// # Errors
    /// As [`grant_consume_messages`](Self::grant_consume_messages).
    pub fn grant_send_messages(self, stack: &mut Stack, role: Role) -> Result<()> {
        role.add_to_policy(
            stack,
            PolicyStatement::allow()
                .actions([
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                    "sqs:SendMessage",
                ])
                .resource(self.arn()),
        )?;
        if let Some(key) = self.kms_key(stack) {
            role.add_to_policy(
                stack,
                PolicyStatement::allow()
                    .actions(["kms:Decrypt", "kms:GenerateDataKey"])
                    .resource(key),
            )?;
        }
        Ok(())
    }
}

/// Builds a [`Queue`].
#[derive(Debug, Clone)]
#[must_use]
pub struct QueueBuilder {
    id: String,
    name: Option<String>,
    fifo: bool,
    visibility_timeout: Option<Duration>,
    retention_period: Option<Duration>,
    delivery_delay: Option<Duration>,
    receive_wait_time: Option<Duration>,
    dead_letter: Option<(Queue, u32)>,
    encryption: QueueEncryption,
    enforce_tls: bool,
}

/// The most seconds SQS accepts for a visibility timeout (12 hours).
const MAX_VISIBILITY_SECS: u64 = 43_200;
/// The retention period's bounds: 1 minute to 14 days.
const RETENTION_SECS: std::ops::RangeInclusive<u64> = 60..=1_209_600;
/// The longest delivery delay: 15 minutes.
const MAX_DELAY_SECS: u64 = 900;
/// The longest long-polling wait: 20 seconds.
const MAX_WAIT_SECS: u64 = 20;
/// The bounds of a redrive policy's `maxReceiveCount`.
const RECEIVE_COUNT: std::ops::RangeInclusive<u32> = 1..=1000;

impl QueueBuilder {
    /// The queue's name: 1 to 80 letters, digits, hyphens and underscores,
    /// ending in `.fifo` for a FIFO queue. Naming a queue prevents its
    /// replacement.
    ///
    /// CloudFormation default: generated from the stack and logical ID.
    /// ecscdk default: omitted (generated).
    pub fn queue_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether the queue is FIFO (exactly-once, ordered per message group).
    ///
    /// CloudFormation default: standard queue.
    /// ecscdk default: standard queue.
    pub fn fifo(mut self, on: bool) -> Self {
        self.fifo = on;
        self
    }

    /// How long a received message stays hidden from other consumers (whole
    /// seconds, at most 12 hours): longer than the processing takes.
    ///
    /// CloudFormation default: 30 seconds.
    /// ecscdk default: omitted (30 seconds).
    pub fn visibility_timeout(mut self, timeout: Duration) -> Self {
        self.visibility_timeout = Some(timeout);
        self
    }

    /// How long messages are kept (whole seconds, 1 minute to 14 days).
    ///
    /// CloudFormation default: 4 days.
    /// ecscdk default: omitted (4 days).
    pub fn retention_period(mut self, period: Duration) -> Self {
        self.retention_period = Some(period);
        self
    }

    /// How long new messages stay invisible (whole seconds, at most 15
    /// minutes).
    ///
    /// CloudFormation default: 0 seconds.
    /// ecscdk default: omitted (0 seconds).
    pub fn delivery_delay(mut self, delay: Duration) -> Self {
        self.delivery_delay = Some(delay);
        self
    }

    /// How long a receive call waits for a message (long polling; whole
    /// seconds, at most 20).
    ///
    /// CloudFormation default: 0 seconds (short polling).
    /// ecscdk default: omitted (short polling).
    pub fn receive_message_wait_time(mut self, wait: Duration) -> Self {
        self.receive_wait_time = Some(wait);
        self
    }

    /// Moves a message to `queue` after `max_receive_count` (1 to 1000)
    /// receives without a delete.
    ///
    /// CloudFormation default: no dead-letter queue.
    /// ecscdk default: none.
    pub fn dead_letter_queue(mut self, queue: &Queue, max_receive_count: u32) -> Self {
        self.dead_letter = Some((*queue, max_receive_count));
        self
    }

    /// How messages are encrypted at rest.
    ///
    /// CloudFormation default: SSE-SQS.
    /// ecscdk default: [`QueueEncryption::SqsManaged`], written explicitly.
    pub fn encryption(mut self, encryption: QueueEncryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// Whether a queue policy (`Policy`) denies every request not sent over
    /// TLS (`aws:SecureTransport` false), as the CDK's `enforceSSL`.
    ///
    /// CloudFormation default: no queue policy.
    /// ecscdk default: on (the AWS CDK's is off).
    pub fn enforce_tls(mut self, on: bool) -> Self {
        self.enforce_tls = on;
        self
    }

    /// Adds the queue directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a name SQS rejects, a duration out of
    /// its range or not whole seconds, or a max receive count outside 1 to
    /// 1000; [`Error::Unsupported`] for a dead-letter queue whose type (FIFO or
    /// standard) differs from the queue's; [`Error::InvalidId`] or
    /// [`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<Queue> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the queue under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Queue> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if let Some(name) = &self.name
            && let Some(why) = name_problem(name, self.fifo)
        {
            return Err(invalid("queue_name", why));
        }
        let seconds =
            |property: &str, d: Option<Duration>, range: std::ops::RangeInclusive<u64>| {
                d.map(|d| {
                    if d.subsec_nanos() != 0 || !range.contains(&d.as_secs()) {
                        Err(invalid(
                            property,
                            format!(
                                "{d:?} is not a whole number of seconds from {} to {}",
                                range.start(),
                                range.end()
                            ),
                        ))
                    } else {
                        Ok(Value::Lit(crate::units::whole_seconds(d)))
                    }
                })
                .transpose()
            };
        let visibility_timeout = seconds(
            "visibility_timeout",
            self.visibility_timeout,
            0..=MAX_VISIBILITY_SECS,
        )?;
        let retention = seconds("retention_period", self.retention_period, RETENTION_SECS)?;
        let delay = seconds("delivery_delay", self.delivery_delay, 0..=MAX_DELAY_SECS)?;
        let wait = seconds(
            "receive_message_wait_time",
            self.receive_wait_time,
            0..=MAX_WAIT_SECS,
        )?;
        let redrive = match self.dead_letter {
            None => None,
            Some((dlq, count)) => {
                if !RECEIVE_COUNT.contains(&count) {
                    return Err(invalid(
                        "dead_letter_queue",
                        format!("max receive count {count} is not from 1 to 1000"),
                    ));
                }
                if dlq.fifo != self.fifo {
                    return Err(Error::Unsupported {
                        path,
                        setting: "dead_letter_queue",
                        situation: if self.fifo {
                            "with a standard dead-letter queue for a FIFO queue"
                        } else {
                            "with a FIFO dead-letter queue for a standard queue"
                        },
                        fix: "a dead-letter queue must be of the same type as its source queue: make both FIFO or both standard",
                    });
                }
                Some(Operand::map([
                    ("deadLetterTargetArn", Operand::from(dlq.arn())),
                    ("maxReceiveCount", Operand::from(count)),
                ]))
            }
        };
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.sqs.Queue")?;
        let (sse, kms_key) = match &self.encryption {
            QueueEncryption::SqsManaged => (Some(Value::Lit(true)), None),
            QueueEncryption::Kms(key) => (None, Some(key.clone())),
            QueueEncryption::Unencrypted => (Some(Value::Lit(false)), None),
        };
        let queue = CfnQueue {
            fifo_queue: self.fifo.then_some(Value::Lit(true)),
            kms_master_key_id: kms_key.clone(),
            message_retention_period: retention,
            delay_seconds: delay,
            queue_name: self.name.map(Value::from),
            receive_message_wait_time_seconds: wait,
            redrive_policy: redrive,
            sqs_managed_sse_enabled: sse,
            visibility_timeout,
            ..CfnQueue::default()
        };
        let resource = stack.add(node, "Resource", queue)?;
        let handle = Queue {
            node,
            resource,
            fifo: self.fifo,
        };
        stack.set_construct_data(
            node,
            QueueInfo {
                kms_key,
                policy: None,
            },
        )?;
        if self.enforce_tls {
            handle.add_to_resource_policy(
                stack,
                PolicyStatement::deny()
                    .action("sqs:*")
                    .condition("Bool", "aws:SecureTransport", "false")
                    .principal(Principal::Anyone)
                    .resource(handle.arn()),
            )?;
        }
        Ok(handle)
    }
}

/// What SQS rejects in a queue name, if anything.
fn name_problem(name: &str, fifo: bool) -> Option<String> {
    let base = if fifo {
        match name.strip_suffix(".fifo") {
            Some(base) => base,
            None => {
                return Some(format!("FIFO queue name {name:?} must end in `.fifo`"));
            }
        }
    } else {
        name
    };
    if name.is_empty() || name.len() > 80 {
        return Some(format!(
            "queue name {name:?} has {} characters; give 1 to 80",
            name.len()
        ));
    }
    if base.is_empty()
        || !base
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Some(format!(
            "queue name {name:?} may hold only letters, digits, hyphens and underscores{}",
            if fifo { " before `.fifo`" } else { "" }
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_sqs_rules() {
        assert!(name_problem("jobs-1_a", false).is_none());
        assert!(name_problem("jobs.fifo", true).is_none());
        assert!(name_problem("jobs", true).is_some());
        assert!(name_problem("jobs.fifo", false).is_some());
        assert!(name_problem("", false).is_some());
        assert!(name_problem(&"a".repeat(81), false).is_some());
        assert!(name_problem("a b", false).is_some());
    }
}
