//! `Topic`: an SNS topic, encrypted at rest with a KMS key that CloudWatch
//! alarms may publish with, and its subscriptions.
//!
//! CloudFormation: [AWS::SNS::Topic](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-topic.html),
//! [AWS::SNS::Subscription](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-subscription.html),
//! [AWS::KMS::Key](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html).

use crate::cfn::kms::CfnKey;
use crate::cfn::sns::{CfnSubscription, CfnTopic, CfnTopicRef};
use crate::iam::{PolicyDocument, PolicyStatement, Principal};
use crate::synth::{DeletionPolicy, Expr, NodeId, Pseudo, UpdateReplacePolicy, Value};
use crate::{Error, Result, Stack};

/// How a topic's messages are encrypted at rest.
///
/// SNS encrypts with a KMS key, and whoever publishes needs to use that key:
/// the AWS managed key (`alias/aws/sns`) lets only principals of the
/// account use it, so CloudWatch alarms (and EventBridge) cannot publish to
/// a topic it encrypts. ecscdk's default is therefore a key of the topic's
/// own whose policy lets CloudWatch publish.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum TopicEncryption {
    /// A customer managed KMS key created with the topic (`<id>/Key`),
    /// rotated yearly, administered by the account, usable by CloudWatch to
    /// publish alarm notifications. A customer managed key costs about
    /// 1 USD a month; it is scheduled for deletion (7 days) with the stack.
    #[default]
    OwnKey,
    /// A KMS key you manage, by ARN, alias ARN or alias. Its policy must let
    /// the publishers use it (`kms:Decrypt`, `kms:GenerateDataKey*`); with
    /// `alias/aws/sns` CloudWatch cannot publish, and an alarm action on
    /// such a topic fails at `build()`.
    Kms(Value<String>),
    /// Not encrypted (the CloudFormation and AWS CDK default).
    Unencrypted,
}

impl TopicEncryption {
    /// Whether the key is the AWS managed `alias/aws/sns`, which CloudWatch
    /// cannot use.
    fn is_aws_managed(&self) -> bool {
        matches!(self, Self::Kms(Value::Lit(key)) if key == "alias/aws/sns" || key.ends_with(":alias/aws/sns"))
    }
}

/// An SNS topic. A copyable handle; its resource is the child `Resource`
/// (as the AWS CDK's `sns.Topic`), its key `Key/Resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    node: NodeId,
    resource: CfnTopicRef,
    cloudwatch_can_publish: bool,
}

/// A protocol and endpoint a topic delivers to.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Subscription {
    /// An email address; the owner confirms by a link in a first email.
    Email(String),
    /// An HTTPS endpoint; it confirms by visiting the URL SNS posts first.
    Https(String),
    /// An SQS queue, by ARN; its policy must let the topic send.
    Sqs(Value<String>),
    /// A Lambda function, by ARN; it must let SNS invoke it.
    Lambda(Value<String>),
}

impl Subscription {
    /// The SNS protocol, and the word of the construct id.
    fn protocol(&self) -> (&'static str, &'static str) {
        match self {
            Self::Email(_) => ("email", "Email"),
            Self::Https(_) => ("https", "Https"),
            Self::Sqs(_) => ("sqs", "Sqs"),
            Self::Lambda(_) => ("lambda", "Lambda"),
        }
    }

    fn endpoint(&self) -> Value<String> {
        match self {
            Self::Email(s) | Self::Https(s) => Value::Lit(s.clone()),
            Self::Sqs(v) | Self::Lambda(v) => v.clone(),
        }
    }

    fn problem(&self) -> Option<String> {
        match self {
            Self::Email(address) => {
                let ok = address
                    .split_once('@')
                    .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
                (!ok).then(|| format!("{address:?} is not an email address"))
            }
            Self::Https(url) => (!url.starts_with("https://")).then(|| {
                format!("{url:?} is not an https:// URL; SNS delivers over HTTPS only here")
            }),
            Self::Sqs(Value::Lit(arn)) if !arn.starts_with("arn:") => {
                Some(format!("{arn:?} is not a queue ARN"))
            }
            Self::Lambda(Value::Lit(arn)) if !arn.starts_with("arn:") => {
                Some(format!("{arn:?} is not a function ARN"))
            }
            _ => None,
        }
    }
}

impl Topic {
    /// A builder for a topic with construct id `id`.
    pub fn builder(id: impl Into<String>) -> TopicBuilder {
        TopicBuilder {
            id: id.into(),
            name: None,
            display_name: None,
            encryption: TopicEncryption::default(),
            subscriptions: Vec::new(),
        }
    }

    /// The topic's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The `AWS::SNS::Topic` resource.
    #[must_use]
    pub fn resource(self) -> CfnTopicRef {
        self.resource
    }

    /// The topic's ARN (`Ref`), for alarm actions.
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        self.resource.reference()
    }

    /// The topic's name (`Fn::GetAtt TopicName`).
    #[must_use]
    pub fn name(self) -> Expr<String> {
        self.resource.untyped().attr_as("TopicName")
    }

    /// Whether CloudWatch alarms can publish to the topic (false when it is
    /// encrypted with the AWS managed key `alias/aws/sns`).
    #[must_use]
    pub fn cloudwatch_can_publish(self) -> bool {
        self.cloudwatch_can_publish
    }
}

/// Builds a [`Topic`].
#[derive(Debug, Clone)]
#[must_use]
pub struct TopicBuilder {
    id: String,
    name: Option<String>,
    display_name: Option<String>,
    encryption: TopicEncryption,
    subscriptions: Vec<Subscription>,
}

impl TopicBuilder {
    /// The topic's name (1 to 256 letters, digits, `-` and `_`); a fixed
    /// name makes a replacement fail.
    ///
    /// CloudFormation default: generated from the stack and logical ID.
    /// ecscdk default: generated.
    pub fn topic_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The name shown as the sender of SMS and email notifications (at most
    /// 100 characters).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// How messages are encrypted at rest.
    ///
    /// CloudFormation default: not encrypted.
    /// ecscdk default: [`TopicEncryption::OwnKey`], a key CloudWatch may use.
    pub fn encryption(mut self, encryption: TopicEncryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// Delivers the topic's messages to `subscription` (the child
    /// `<Protocol>Subscription<N>`, N counting from 1 per protocol).
    ///
    /// CloudFormation default: no subscriptions.
    /// ecscdk default: none.
    pub fn subscription(mut self, subscription: Subscription) -> Self {
        self.subscriptions.push(subscription);
        self
    }

    /// Adds the topic at the stack's root.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a name or display name SNS refuses,
    /// or a subscription endpoint of the wrong form; [`Error::DuplicateId`]
    /// for a taken id.
    pub fn build(self, stack: &mut Stack) -> Result<Topic> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// As [`build`](Self::build), under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Topic> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if let Some(name) = &self.name
            && !crate::validation::is_simple_name(name, 256)
        {
            return Err(invalid(
                "topic_name",
                format!("{name:?} must have 1 to 256 letters, digits, hyphens or underscores"),
            ));
        }
        if let Some(display) = &self.display_name
            && display.chars().count() > 100
        {
            return Err(invalid(
                "display_name",
                format!("{} characters; at most 100", display.chars().count()),
            ));
        }
        if let Some(problem) = self.subscriptions.iter().find_map(Subscription::problem) {
            return Err(invalid("subscription", problem));
        }
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.sns.Topic")?;
        let cloudwatch_can_publish = !self.encryption.is_aws_managed();
        let key = match self.encryption {
            TopicEncryption::OwnKey => Some(Value::from(own_key(stack, node)?)),
            TopicEncryption::Kms(key) => Some(key),
            TopicEncryption::Unencrypted => None,
        };
        let resource = stack.add(
            node,
            "Resource",
            CfnTopic {
                display_name: self.display_name.map(Value::Lit),
                kms_master_key_id: key,
                topic_name: self.name.map(Value::Lit),
                ..CfnTopic::default()
            },
        )?;
        let topic = Topic {
            node,
            resource,
            cloudwatch_can_publish,
        };
        let mut counts = std::collections::BTreeMap::<&str, u32>::new();
        for subscription in &self.subscriptions {
            let (protocol, label) = subscription.protocol();
            let n = counts.entry(protocol).or_default();
            *n += 1;
            stack.add(
                node,
                &format!("{label}Subscription{n}"),
                CfnSubscription {
                    endpoint: Some(subscription.endpoint()),
                    ..CfnSubscription::new(protocol, topic.arn())
                },
            )?;
        }
        Ok(topic)
    }
}

/// The topic's own key `Key/Resource` and its ARN: the account administers
/// it (as the AWS CDK's `kms.Key` default policy), CloudWatch may encrypt
/// with it to publish alarm notifications, and it rotates yearly.
fn own_key(stack: &mut Stack, topic: NodeId) -> Result<Expr<String>> {
    let account_root = Value::from(Expr::join(
        "",
        [
            Value::from("arn:"),
            Value::from(Pseudo::partition()),
            Value::from(":iam::"),
            Value::from(Pseudo::account_id()),
            Value::from(":root"),
        ],
    ));
    let policy = PolicyDocument::new()
        .statement(
            PolicyStatement::allow()
                .action("kms:*")
                .principal(Principal::aws(account_root))
                .resource("*"),
        )
        .statement(
            PolicyStatement::allow()
                .sid("CloudWatchAlarmsPublish")
                .actions(["kms:Decrypt", "kms:GenerateDataKey*"])
                .principal(Principal::service("cloudwatch.amazonaws.com"))
                .resource("*"),
        );
    let scope = stack.scope_of_type(topic, "Key", "ecscdk.kms.Key")?;
    let key = stack.add(
        scope,
        "Resource",
        CfnKey {
            description: Some(Value::from("Encrypts an SNS topic's messages at rest")),
            enable_key_rotation: Some(Value::Lit(true)),
            key_policy: Some(policy.into()),
            pending_window_in_days: Some(Value::Lit(7)),
            ..CfnKey::default()
        },
    )?;
    stack
        .resource_options(key)?
        .deletion_policy(DeletionPolicy::Delete)
        .update_replace_policy(UpdateReplacePolicy::Delete);
    Ok(key.attr_arn())
}
