//! Amazon GuardDuty Runtime Monitoring for ECS: the account's detector with
//! the runtime-monitoring feature ([`RuntimeMonitoring`]), and per cluster
//! the `GuardDutyManaged` tag
//! ([`ClusterBuilder::runtime_monitoring`](crate::ecs::ClusterBuilder::runtime_monitoring)).
//!
//! What the agent needs, from the GuardDuty User Guide ("Prerequisites for
//! AWS Fargate (Amazon ECS only) support", "How Runtime Monitoring works
//! with Amazon ECS"):
//! - on Fargate, a task execution role, which pulls the agent's image from
//!   GuardDuty's ECR repository (`aws-guardduty-agent-fargate`) and which
//!   the agent reports as; without one, "the task starts without the
//!   GuardDuty security agent sidecar container";
//! - Linux, and platform version 1.4.0 or later;
//! - a way to ECR and S3 (a NAT gateway, or the ECR and S3 endpoints) and
//!   to the `guardduty-data` VPC endpoint, which GuardDuty creates itself
//!   for every VPC of a monitored cluster when it manages the agent (with a
//!   security group admitting the VPC's range on 443), and which needs the
//!   VPC's DNS support and host names on.
//!
//! A sidecar that cannot start never stops the task, so these are checked
//! at `build()`: a monitored cluster's Fargate service fails there when
//! the agent could not run, rather than running unwatched.

use crate::cfn::guardduty::CfnDetector;
use crate::cfn::guardduty::CfnDetectorRef;
use crate::cfn::guardduty::detector::{
    CFNFeatureAdditionalConfiguration, CFNFeatureConfiguration, CFNFeatureConfigurationName,
    CFNFeatureConfigurationStatus, FindingPublishingFrequency, Name, Status,
};
use crate::iam::PolicyStatement;
use crate::synth::{Expr, NodeId, Value};
use crate::{Result, Stack};

/// The cluster tag GuardDuty reads: `true` to manage the agent on the
/// cluster's tasks, `false` to keep it out.
pub const MANAGED_TAG: &str = "GuardDutyManaged";

/// The id of the warning about a Managed Instances service in a monitored
/// cluster (GuardDuty does not cover Managed Instances).
pub const MANAGED_INSTANCES_WARNING: &str = "ecscdk:guardduty:managedInstances";

/// The id of the warning that a stack creates the account's detector.
pub const DETECTOR_WARNING: &str = "ecscdk:guardduty:detector";

/// The name of the ECR repository GuardDuty's Fargate agent image is in
/// (one per Region, in an account of GuardDuty's).
const AGENT_REPOSITORY: &str = "aws-guardduty-agent-fargate";

/// What a Fargate task's execution role needs to pull GuardDuty's agent:
/// `ecr:GetAuthorizationToken` (which takes no resource) and the image-pull
/// actions on the agent's repository only, in whichever account GuardDuty
/// keeps it in the Region.
pub(crate) fn agent_pull_statements() -> [PolicyStatement; 2] {
    [
        PolicyStatement::allow()
            .action("ecr:GetAuthorizationToken")
            .resource("*"),
        PolicyStatement::allow()
            .actions([
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ])
            .resource(Expr::sub_with(
                format!("arn:${{AWS::Partition}}:ecr:*:*:repository/{AGENT_REPOSITORY}"),
                std::iter::empty::<(String, Value<String>)>(),
            )),
    ]
}

/// GuardDuty with Runtime Monitoring for an account and Region: an
/// `AWS::GuardDuty::Detector` with the `RUNTIME_MONITORING` feature, and
/// GuardDuty managing the agent on Fargate (and, if asked, on EC2
/// instances).
///
/// An account has one detector per Region: creating this one fails where
/// GuardDuty is already on (turned on in the console, or by an
/// organization's administrator). There, turn Runtime Monitoring on in that
/// detector, and tag the clusters only. The stack carries a warning saying
/// so (acknowledge it once checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimeMonitoring {
    node: NodeId,
    resource: CfnDetectorRef,
}

impl RuntimeMonitoring {
    /// A builder for the detector `id`.
    pub fn builder(id: impl Into<String>) -> RuntimeMonitoringBuilder {
        RuntimeMonitoringBuilder {
            id: id.into(),
            fargate_agent: true,
            ec2_agent: false,
            frequency: None,
        }
    }

    /// The construct node (parent of `Resource`).
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The `AWS::GuardDuty::Detector` resource.
    #[must_use]
    pub fn resource(self) -> CfnDetectorRef {
        self.resource
    }

    /// The detector's id (`Ref`).
    #[must_use]
    pub fn detector_id(self) -> Expr<String> {
        self.resource.reference()
    }
}

/// Builds a [`RuntimeMonitoring`].
#[derive(Debug, Clone)]
#[must_use]
pub struct RuntimeMonitoringBuilder {
    id: String,
    fargate_agent: bool,
    ec2_agent: bool,
    frequency: Option<FindingPublishingFrequency>,
}

impl RuntimeMonitoringBuilder {
    /// Whether GuardDuty adds its agent to the tasks of every ECS cluster
    /// on Fargate (clusters tagged `GuardDutyManaged=false` excepted); off,
    /// only the clusters tagged `true` get it.
    ///
    /// CloudFormation default: off.
    /// ecscdk default: on.
    pub fn fargate_agent_management(mut self, on: bool) -> Self {
        self.fargate_agent = on;
        self
    }

    /// Whether GuardDuty installs its agent on EC2 instances (through
    /// Systems Manager: the instances must be managed by it; ECS-optimized
    /// AMI 20230929 or later).
    ///
    /// CloudFormation default: off.
    /// ecscdk default: off.
    pub fn ec2_agent_management(mut self, on: bool) -> Self {
        self.ec2_agent = on;
        self
    }

    /// How often updated findings are published to EventBridge: 15
    /// minutes, an hour or six hours.
    ///
    /// CloudFormation default: six hours.
    /// ecscdk default: omitted (six hours).
    pub fn finding_publishing_frequency(mut self, every_15_minutes: bool) -> Self {
        self.frequency = Some(if every_15_minutes {
            FindingPublishingFrequency::FifteenMinutes
        } else {
            FindingPublishingFrequency::SixHours
        });
        self
    }

    /// Adds the detector at the stack's root.
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) for a taken id.
    pub fn build(self, stack: &mut Stack) -> Result<RuntimeMonitoring> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// As [`build`](Self::build), under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<RuntimeMonitoring> {
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.guardduty.RuntimeMonitoring")?;
        let status = |on: bool| {
            if on {
                Status::Enabled
            } else {
                Status::Disabled
            }
        };
        let feature = CFNFeatureConfiguration {
            additional_configuration: Some(Value::Lit(vec![
                Value::Lit(CFNFeatureAdditionalConfiguration {
                    name: Some(Value::Lit(Name::EcsFargateAgentManagement)),
                    status: Some(Value::Lit(status(self.fargate_agent))),
                }),
                Value::Lit(CFNFeatureAdditionalConfiguration {
                    name: Some(Value::Lit(Name::Ec2AgentManagement)),
                    status: Some(Value::Lit(status(self.ec2_agent))),
                }),
            ])),
            ..CFNFeatureConfiguration::new(
                CFNFeatureConfigurationName::RuntimeMonitoring,
                CFNFeatureConfigurationStatus::Enabled,
            )
        };
        let resource = stack.add(
            node,
            "Resource",
            CfnDetector {
                features: Some(Value::Lit(vec![Value::Lit(feature)])),
                finding_publishing_frequency: self.frequency.map(Value::Lit),
                ..CfnDetector::new(true)
            },
        )?;
        stack.add_warning(
            node,
            DETECTOR_WARNING,
            "this stack creates the account's GuardDuty detector for its Region; an account has one, so the deploy fails where GuardDuty is already on (the console, an organization's administrator): there, turn Runtime Monitoring on in that detector and tag the clusters only (`runtime_monitoring(true)`); acknowledge this warning once checked",
        );
        Ok(RuntimeMonitoring { node, resource })
    }
}
