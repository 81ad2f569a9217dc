//! `ScalableTarget`: something Application Auto Scaling resizes (an ECS
//! service's desired count, …), with its scheduled actions.
//!
//! CloudFormation: [AWS::ApplicationAutoScaling::ScalableTarget](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalabletarget.html).

use crate::appscaling::{
    ScalingPolicy, Schedule, StepScaling, StepScalingPolicy, TargetTracking, concat, step_scaling,
    target_tracking,
};
use crate::cfn::applicationautoscaling::scalable_target::{
    ScalableDimension, ScalableTargetAction, ScheduledAction,
};
use crate::cfn::applicationautoscaling::{CfnScalableTarget, CfnScalableTargetRef};
use crate::synth::{ConstructPath, Expr, NodeId, Value};
use crate::{Error, Result, Stack};

pub use crate::cfn::applicationautoscaling::scalable_target::ServiceNamespace;

/// The most scaling policies one scalable target may have (an Application
/// Auto Scaling quota).
const MAX_POLICIES: usize = 50;

/// The most scheduled actions one scalable target may have (an Application
/// Auto Scaling quota).
const MAX_SCHEDULED_ACTIONS: usize = 200;

/// What a target keeps in its stack: the names of its scaling policies,
/// which must be unique per target (a second policy of the same name would
/// silently replace the first).
#[derive(Debug, Default)]
struct TargetState {
    policy_names: Vec<String>,
}

/// A scalable target: the resource, dimension and capacity bounds that
/// Application Auto Scaling works within. A copyable handle; its resource is
/// the child `Resource`, and its policies are children of it
/// (`Target/Cpu/Resource`), as in the AWS CDK.
///
/// CloudFormation: [AWS::ApplicationAutoScaling::ScalableTarget](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalabletarget.html).
///
/// ```
/// use ecscdk::prelude::*;
/// use ecscdk::appscaling::{PredefinedMetric, ScalableTarget, ServiceNamespace, TargetTracking};
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Web");
/// let resource_id = ScalableTarget::ecs_service_resource_id("prod", "web");
/// let target = ScalableTarget::builder("Target", ServiceNamespace::Ecs, resource_id, "ecs:service:DesiredCount", 2, 10)
///     .build(&mut stack)?;
/// target.scale_to_track(&mut stack, "Cpu", TargetTracking::predefined(PredefinedMetric::EcsServiceAverageCpuUtilization, 70.0))?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalableTarget {
    node: NodeId,
    resource: CfnScalableTargetRef,
    namespace: ServiceNamespace,
}

impl ScalableTarget {
    /// A builder for a target that scales `scalable_dimension`
    /// (`ecs:service:DesiredCount`) of `resource_id` (for an ECS service
    /// `service/<cluster>/<service>`, see
    /// [`ecs_service_resource_id`](Self::ecs_service_resource_id)) between
    /// `min` and `max`.
    pub fn builder(
        id: impl Into<String>,
        namespace: ServiceNamespace,
        resource_id: impl Into<Value<String>>,
        scalable_dimension: &str,
        min: u32,
        max: u32,
    ) -> ScalableTargetBuilder {
        ScalableTargetBuilder {
            id: id.into(),
            namespace,
            resource_id: resource_id.into(),
            dimension: scalable_dimension.to_owned(),
            min,
            max,
            role_arn: None,
        }
    }

    /// The resource id of an ECS service, `service/<cluster>/<service>`,
    /// rendered as the CDK renders it: one `Fn::Join` with an empty
    /// delimiter whose literal parts are merged
    /// (`["service/", {"Ref": "Cluster…"}, "/", {"Fn::GetAtt": [.., "Name"]}]`),
    /// or a plain string when both names are literals.
    pub fn ecs_service_resource_id(
        cluster_name: impl Into<Value<String>>,
        service_name: impl Into<Value<String>>,
    ) -> Value<String> {
        concat([
            Value::from("service/"),
            cluster_name.into(),
            Value::from("/"),
            service_name.into(),
        ])
    }

    /// The target's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The target's `AWS::ApplicationAutoScaling::ScalableTarget` resource.
    #[must_use]
    pub fn resource(self) -> CfnScalableTargetRef {
        self.resource
    }

    /// The service namespace the target belongs to.
    #[must_use]
    pub fn namespace(self) -> ServiceNamespace {
        self.namespace
    }

    /// The target's id (`Ref`), which scaling policies take as
    /// `ScalingTargetId`.
    #[must_use]
    pub fn target_id(self) -> Expr<String> {
        self.resource.reference()
    }

    /// Registers the names of new scaling policies of the target, after
    /// checking that they are new and within the quota; `path` is the new
    /// policy's.
    pub(crate) fn claim_policy_names(
        self,
        stack: &mut Stack,
        path: &ConstructPath,
        names: &[String],
    ) -> Result<()> {
        let Some(state) = stack.construct_data_mut::<TargetState>(self.node) else {
            return Ok(());
        };
        if let Some(taken) = names.iter().find(|n| state.policy_names.contains(n)) {
            return Err(Error::InvalidProperty {
                path: path.clone(),
                property: "policy_name".into(),
                reason: format!(
                    "the scalable target already has a policy named {taken}, which this one would replace; give each policy its own name"
                ),
            });
        }
        if state.policy_names.len() + names.len() > MAX_POLICIES {
            return Err(Error::InvalidProperty {
                path: path.clone(),
                property: "scaling policies".into(),
                reason: format!(
                    "a scalable target has at most {MAX_POLICIES} scaling policies (an Application Auto Scaling quota); this one would make {}",
                    state.policy_names.len() + names.len()
                ),
            });
        }
        state.policy_names.extend(names.iter().cloned());
        Ok(())
    }

    /// Adds a target tracking policy, child `id` of the target (its
    /// `AWS::ApplicationAutoScaling::ScalingPolicy` is `id/Resource`), that
    /// keeps a metric near a value.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`], [`Error::Conflict`] or [`Error::Missing`]
    /// for a policy Application Auto Scaling would reject (see
    /// [`TargetTracking`]), a policy name the target already has or a 51st
    /// policy; [`Error::DuplicateId`] when the target already has a child
    /// `id`.
    pub fn scale_to_track(
        self,
        stack: &mut Stack,
        id: &str,
        policy: TargetTracking,
    ) -> Result<ScalingPolicy> {
        target_tracking::build(self, stack, id, policy)
    }

    /// Adds a step scaling policy on a metric, child `id` of the target: the
    /// CDK's `scaleOnMetric`. Depending on the steps it creates
    /// `id/LowerPolicy` and `id/LowerAlarm` (scale in), and `id/UpperPolicy`
    /// and `id/UpperAlarm` (scale out), each with its `Resource`.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] or [`Error::Conflict`] for steps or alarm
    /// settings AWS would reject (see [`StepScaling`]) or a 51st policy;
    /// [`Error::DuplicateId`] when the target already has a child `id`.
    pub fn scale_on_metric(
        self,
        stack: &mut Stack,
        id: &str,
        policy: StepScaling,
    ) -> Result<StepScalingPolicy> {
        step_scaling::build(self, stack, id, policy)
    }

    /// Adds a scheduled action named `id` to the target's
    /// `ScheduledActions`, as the CDK's `scaleOnSchedule` does: at the
    /// scheduled times the target's capacity bounds become `min` and/or
    /// `max` (pass `None` to leave one unchanged).
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for an invalid schedule, name, window or
    /// time zone, `min` above `max`, a name the target already has for
    /// another action, or a 201st action; [`Error::Missing`] when both are
    /// `None`.
    pub fn scale_on_schedule(
        self,
        stack: &mut Stack,
        id: &str,
        schedule: Schedule,
        min: impl Into<Option<u32>>,
        max: impl Into<Option<u32>>,
    ) -> Result<()> {
        let (min, max) = (min.into(), max.into());
        let path = stack.path(self.node);
        let invalid = |reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: format!("scale_on_schedule({id})"),
            reason,
        };
        if let Some(reason) = scheduled_action_name_problem(id) {
            return Err(invalid(reason));
        }
        let expression = schedule.expression().map_err(&invalid)?;
        if let Some(reason) = schedule.window_problem() {
            return Err(invalid(reason));
        }
        match (min, max) {
            (None, None) => {
                return Err(Error::Missing {
                    path,
                    what: "min or max of the scheduled action",
                    fix: "give the scheduled action a new min capacity, a new max capacity, or both",
                });
            }
            (Some(lo), Some(hi)) if lo > hi => {
                return Err(invalid(format!(
                    "min capacity {lo} is above max capacity {hi}; lower min or raise max"
                )));
            }
            _ => {}
        }
        let mut action = ScheduledAction::new(expression, id);
        action.scalable_target_action = Some(Value::Lit(ScalableTargetAction {
            max_capacity: max.map(|v| Value::Lit(i64::from(v))),
            min_capacity: min.map(|v| Value::Lit(i64::from(v))),
        }));
        action.start_time = schedule.start_time.map(Value::from);
        action.end_time = schedule.end_time.map(Value::from);
        action.timezone = schedule.timezone.map(Value::from);
        let target = stack.properties_mut::<CfnScalableTarget>(self.resource)?;
        // The target's actions are only ever set here, as a literal list.
        let mut actions = match target.scheduled_actions.take() {
            Some(Value::Lit(list)) => list,
            _ => Vec::new(),
        };
        let taken = actions.iter().any(|a| {
            a.literal()
                .and_then(|a| a.scheduled_action_name.literal())
                .is_some_and(|name| name == id)
        });
        let full = actions.len() >= MAX_SCHEDULED_ACTIONS;
        if !taken && !full {
            actions.push(Value::Lit(action));
        }
        target.scheduled_actions = Some(Value::Lit(actions));
        if taken {
            return Err(invalid(format!(
                "the target already has a scheduled action named {id}; give each scheduled action its own id"
            )));
        }
        if full {
            return Err(invalid(format!(
                "a scalable target has at most {MAX_SCHEDULED_ACTIONS} scheduled actions (an Application Auto Scaling quota); merge some"
            )));
        }
        Ok(())
    }
}

/// What Application Auto Scaling rejects in a scheduled action's name: at
/// most 256 characters, no `:`, `/`, `|` or control characters, no leading
/// or trailing space.
fn scheduled_action_name_problem(name: &str) -> Option<String> {
    let bad_char = name
        .chars()
        .any(|c| matches!(c, ':' | '/' | '|') || c.is_control());
    if name.is_empty() || name.chars().count() > 256 || bad_char || name.trim() != name {
        return Some(format!(
            "scheduled action name {name:?} must have 1 to 256 characters, without `:`, `/`, `|`, control characters or surrounding spaces; choose another id"
        ));
    }
    None
}

/// Every scalable dimension the registry schema knows, to read the
/// `scalable_dimension` string.
const DIMENSIONS: [ScalableDimension; 25] = [
    ScalableDimension::AppstreamFleetDesiredCapacity,
    ScalableDimension::CassandraTableReadCapacityUnits,
    ScalableDimension::CassandraTableWriteCapacityUnits,
    ScalableDimension::ComprehendDocumentClassifierEndpointDesiredInferenceUnits,
    ScalableDimension::ComprehendEntityRecognizerEndpointDesiredInferenceUnits,
    ScalableDimension::CustomResourceResourceTypeProperty,
    ScalableDimension::DynamodbIndexReadCapacityUnits,
    ScalableDimension::DynamodbIndexWriteCapacityUnits,
    ScalableDimension::DynamodbTableReadCapacityUnits,
    ScalableDimension::DynamodbTableWriteCapacityUnits,
    ScalableDimension::Ec2CapacityReservationAvailableInstances,
    ScalableDimension::Ec2SpotFleetRequestTargetCapacity,
    ScalableDimension::EcsServiceDesiredCount,
    ScalableDimension::ElasticacheCacheClusterNodes,
    ScalableDimension::ElasticacheReplicationGroupNodeGroups,
    ScalableDimension::ElasticacheReplicationGroupReplicas,
    ScalableDimension::ElasticmapreduceInstancegroupInstanceCount,
    ScalableDimension::KafkaBrokerStorageVolumeSize,
    ScalableDimension::LambdaFunctionProvisionedConcurrency,
    ScalableDimension::NeptuneClusterReadReplicaCount,
    ScalableDimension::RdsClusterReadReplicaCount,
    ScalableDimension::SagemakerInferenceComponentDesiredCopyCount,
    ScalableDimension::SagemakerVariantDesiredInstanceCount,
    ScalableDimension::SagemakerVariantDesiredProvisionedConcurrency,
    ScalableDimension::WorkspacesWorkspacespoolDesiredUserSessions,
];

/// Builds a [`ScalableTarget`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ScalableTargetBuilder {
    id: String,
    namespace: ServiceNamespace,
    resource_id: Value<String>,
    dimension: String,
    min: u32,
    max: u32,
    role_arn: Option<Value<String>>,
}

impl ScalableTargetBuilder {
    /// The IAM role Application Auto Scaling assumes to resize the target.
    /// Since 2021 CloudFormation uses the service's service-linked role
    /// (created on first use) when `RoleARN` is omitted; the CDK renders that
    /// role's ARN instead, which names the same role.
    ///
    /// CloudFormation default: the service-linked role.
    /// ecscdk default: omitted (the service-linked role); an ECS service's
    /// `auto_scale` writes that role's ARN, as the CDK does.
    pub fn role_arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }

    /// Adds the target directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for `min` above `max`, a `max` of 0, an
    /// unknown scalable dimension or one of another service namespace, or an
    /// ECS resource id not shaped `service/<cluster>/<service>`;
    /// [`Error::InvalidId`] or [`Error::DuplicateId`] for a bad or taken id.
    pub fn build(self, stack: &mut Stack) -> Result<ScalableTarget> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the target under `parent` (how an ECS service adds
    /// `TaskCount/Target`).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<ScalableTarget> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.into(),
            reason,
        };
        if self.max == 0 {
            return Err(invalid(
                "max_capacity",
                "max capacity is 0, so the target could never run anything; give a max of at least 1".into(),
            ));
        }
        if self.min > self.max {
            return Err(invalid(
                "min_capacity",
                format!(
                    "min capacity {} is above max capacity {}; lower min or raise max",
                    self.min, self.max
                ),
            ));
        }
        let Some(dimension) = DIMENSIONS.iter().find(|d| d.as_str() == self.dimension) else {
            return Err(invalid(
                "scalable_dimension",
                format!(
                    "{:?} is not a scalable dimension; use one of {}",
                    self.dimension,
                    ScalableDimension::VALUES.join(", ")
                ),
            ));
        };
        let prefix = self.dimension.split(':').next().unwrap_or_default();
        if prefix != self.namespace.as_str() {
            return Err(invalid(
                "scalable_dimension",
                format!(
                    "{} belongs to service namespace {prefix}, not {}; pick a dimension of the target's namespace",
                    self.dimension,
                    self.namespace.as_str()
                ),
            ));
        }
        if self.namespace == ServiceNamespace::Ecs
            && let Value::Lit(id) = &self.resource_id
        {
            let parts: Vec<&str> = id.split('/').collect();
            if !matches!(parts.as_slice(), ["service", c, s] if !c.is_empty() && !s.is_empty()) {
                return Err(invalid(
                    "resource_id",
                    format!(
                        "{id:?} is not an ECS service resource id; write service/<cluster name>/<service name> (see ScalableTarget::ecs_service_resource_id)"
                    ),
                ));
            }
        }
        let mut target = CfnScalableTarget::new(
            i64::from(self.max),
            i64::from(self.min),
            self.resource_id,
            *dimension,
            self.namespace,
        );
        target.role_arn = self.role_arn;
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.appscaling.ScalableTarget")?;
        let resource = stack.add(node, "Resource", target)?;
        stack.set_construct_data(node, TargetState::default())?;
        Ok(ScalableTarget {
            node,
            resource,
            namespace: self.namespace,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_dimension_is_known() {
        let ours: Vec<&str> = DIMENSIONS.iter().map(|d| d.as_str()).collect();
        assert_eq!(ours, ScalableDimension::VALUES);
    }

    #[test]
    fn literal_parts_merge() {
        assert_eq!(
            ScalableTarget::ecs_service_resource_id("prod", "web"),
            Value::Lit("service/prod/web".to_owned())
        );
    }
}
