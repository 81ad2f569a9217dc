//! Target tracking: a scaling policy that keeps a metric near a value.
//!
//! CloudFormation: [AWS::ApplicationAutoScaling::ScalingPolicy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalingpolicy.html).

use std::time::Duration;

use crate::appscaling::{Metric, ScalableTarget, ServiceNamespace, concat, policy_name, seconds};
use crate::cfn::applicationautoscaling::scaling_policy::{
    CustomizedMetricSpecification, PolicyType, PredefinedMetricSpecification,
    PredefinedMetricSpecificationPredefinedMetricType as L1Metric,
    TargetTrackingScalingPolicyConfiguration,
};
use crate::cfn::applicationautoscaling::{CfnScalingPolicy, CfnScalingPolicyRef};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// A metric Application Auto Scaling predefines for target tracking. Each
/// belongs to one or more service namespaces; using it on a target of
/// another namespace is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PredefinedMetric {
    /// An ECS service's average CPU utilization, in percent.
    EcsServiceAverageCpuUtilization,
    /// An ECS service's average CPU utilization from high-resolution
    /// (sub-minute) data, in percent.
    EcsServiceAverageCpuUtilizationHighResolution,
    /// An ECS service's average memory utilization, in percent.
    EcsServiceAverageMemoryUtilization,
    /// An ECS service's average memory utilization from high-resolution
    /// data, in percent.
    EcsServiceAverageMemoryUtilizationHighResolution,
    /// Requests per target of an Application Load Balancer target group
    /// (ECS services, Spot Fleets); needs a
    /// [`resource_label`](TargetTracking::resource_label).
    AlbRequestCountPerTarget,
    /// AppStream fleet capacity utilization.
    AppStreamAverageCapacityUtilization,
    /// Keyspaces table read capacity utilization.
    CassandraReadCapacityUtilization,
    /// Keyspaces table write capacity utilization.
    CassandraWriteCapacityUtilization,
    /// Comprehend endpoint inference utilization.
    ComprehendInferenceUtilization,
    /// DynamoDB read capacity utilization.
    DynamoDbReadCapacityUtilization,
    /// DynamoDB write capacity utilization.
    DynamoDbWriteCapacityUtilization,
    /// Spot Fleet average CPU utilization.
    Ec2SpotFleetRequestAverageCpuUtilization,
    /// Spot Fleet average network in.
    Ec2SpotFleetRequestAverageNetworkIn,
    /// Spot Fleet average network out.
    Ec2SpotFleetRequestAverageNetworkOut,
    /// ElastiCache database capacity usage counted for eviction.
    ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage,
    /// ElastiCache database memory usage counted for eviction.
    ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage,
    /// ElastiCache database memory usage.
    ElastiCacheDatabaseMemoryUsagePercentage,
    /// ElastiCache engine CPU utilization.
    ElastiCacheEngineCpuUtilization,
    /// ElastiCache primary engine CPU utilization.
    ElastiCachePrimaryEngineCpuUtilization,
    /// ElastiCache replica engine CPU utilization.
    ElastiCacheReplicaEngineCpuUtilization,
    /// MSK broker storage utilization.
    KafkaBrokerStorageUtilization,
    /// Lambda provisioned concurrency utilization.
    LambdaProvisionedConcurrencyUtilization,
    /// Neptune reader average CPU utilization.
    NeptuneReaderAverageCpuUtilization,
    /// Aurora reader average CPU utilization.
    RdsReaderAverageCpuUtilization,
    /// Aurora reader average database connections.
    RdsReaderAverageDatabaseConnections,
    /// SageMaker inference component concurrent requests per copy.
    SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution,
    /// SageMaker inference component invocations per copy.
    SageMakerInferenceComponentInvocationsPerCopy,
    /// SageMaker variant concurrent requests per model.
    SageMakerVariantConcurrentRequestsPerModelHighResolution,
    /// SageMaker variant invocations per instance.
    SageMakerVariantInvocationsPerInstance,
    /// SageMaker variant provisioned concurrency utilization.
    SageMakerVariantProvisionedConcurrencyUtilization,
    /// WorkSpaces pool user sessions capacity utilization.
    WorkSpacesAverageUserSessionsCapacityUtilization,
}

use PredefinedMetric as P;
use ServiceNamespace as N;

/// Each predefined metric, its L1 value and the namespaces it applies to.
const METRICS: [(PredefinedMetric, L1Metric, &[ServiceNamespace]); 31] = [
    (
        P::EcsServiceAverageCpuUtilization,
        L1Metric::ECSServiceAverageCPUUtilization,
        &[N::Ecs],
    ),
    (
        P::EcsServiceAverageCpuUtilizationHighResolution,
        L1Metric::ECSServiceAverageCPUUtilizationHighResolution,
        &[N::Ecs],
    ),
    (
        P::EcsServiceAverageMemoryUtilization,
        L1Metric::ECSServiceAverageMemoryUtilization,
        &[N::Ecs],
    ),
    (
        P::EcsServiceAverageMemoryUtilizationHighResolution,
        L1Metric::ECSServiceAverageMemoryUtilizationHighResolution,
        &[N::Ecs],
    ),
    (
        P::AlbRequestCountPerTarget,
        L1Metric::ALBRequestCountPerTarget,
        &[N::Ecs, N::Ec2],
    ),
    (
        P::AppStreamAverageCapacityUtilization,
        L1Metric::AppStreamAverageCapacityUtilization,
        &[N::Appstream],
    ),
    (
        P::CassandraReadCapacityUtilization,
        L1Metric::CassandraReadCapacityUtilization,
        &[N::Cassandra],
    ),
    (
        P::CassandraWriteCapacityUtilization,
        L1Metric::CassandraWriteCapacityUtilization,
        &[N::Cassandra],
    ),
    (
        P::ComprehendInferenceUtilization,
        L1Metric::ComprehendInferenceUtilization,
        &[N::Comprehend],
    ),
    (
        P::DynamoDbReadCapacityUtilization,
        L1Metric::DynamoDBReadCapacityUtilization,
        &[N::Dynamodb],
    ),
    (
        P::DynamoDbWriteCapacityUtilization,
        L1Metric::DynamoDBWriteCapacityUtilization,
        &[N::Dynamodb],
    ),
    (
        P::Ec2SpotFleetRequestAverageCpuUtilization,
        L1Metric::EC2SpotFleetRequestAverageCPUUtilization,
        &[N::Ec2],
    ),
    (
        P::Ec2SpotFleetRequestAverageNetworkIn,
        L1Metric::EC2SpotFleetRequestAverageNetworkIn,
        &[N::Ec2],
    ),
    (
        P::Ec2SpotFleetRequestAverageNetworkOut,
        L1Metric::EC2SpotFleetRequestAverageNetworkOut,
        &[N::Ec2],
    ),
    (
        P::ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage,
        L1Metric::ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage,
        &[N::Elasticache],
    ),
    (
        P::ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage,
        L1Metric::ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage,
        &[N::Elasticache],
    ),
    (
        P::ElastiCacheDatabaseMemoryUsagePercentage,
        L1Metric::ElastiCacheDatabaseMemoryUsagePercentage,
        &[N::Elasticache],
    ),
    (
        P::ElastiCacheEngineCpuUtilization,
        L1Metric::ElastiCacheEngineCPUUtilization,
        &[N::Elasticache],
    ),
    (
        P::ElastiCachePrimaryEngineCpuUtilization,
        L1Metric::ElastiCachePrimaryEngineCPUUtilization,
        &[N::Elasticache],
    ),
    (
        P::ElastiCacheReplicaEngineCpuUtilization,
        L1Metric::ElastiCacheReplicaEngineCPUUtilization,
        &[N::Elasticache],
    ),
    (
        P::KafkaBrokerStorageUtilization,
        L1Metric::KafkaBrokerStorageUtilization,
        &[N::Kafka],
    ),
    (
        P::LambdaProvisionedConcurrencyUtilization,
        L1Metric::LambdaProvisionedConcurrencyUtilization,
        &[N::Lambda],
    ),
    (
        P::NeptuneReaderAverageCpuUtilization,
        L1Metric::NeptuneReaderAverageCPUUtilization,
        &[N::Neptune],
    ),
    (
        P::RdsReaderAverageCpuUtilization,
        L1Metric::RDSReaderAverageCPUUtilization,
        &[N::Rds],
    ),
    (
        P::RdsReaderAverageDatabaseConnections,
        L1Metric::RDSReaderAverageDatabaseConnections,
        &[N::Rds],
    ),
    (
        P::SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution,
        L1Metric::SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution,
        &[N::Sagemaker],
    ),
    (
        P::SageMakerInferenceComponentInvocationsPerCopy,
        L1Metric::SageMakerInferenceComponentInvocationsPerCopy,
        &[N::Sagemaker],
    ),
    (
        P::SageMakerVariantConcurrentRequestsPerModelHighResolution,
        L1Metric::SageMakerVariantConcurrentRequestsPerModelHighResolution,
        &[N::Sagemaker],
    ),
    (
        P::SageMakerVariantInvocationsPerInstance,
        L1Metric::SageMakerVariantInvocationsPerInstance,
        &[N::Sagemaker],
    ),
    (
        P::SageMakerVariantProvisionedConcurrencyUtilization,
        L1Metric::SageMakerVariantProvisionedConcurrencyUtilization,
        &[N::Sagemaker],
    ),
    (
        P::WorkSpacesAverageUserSessionsCapacityUtilization,
        L1Metric::WorkSpacesAverageUserSessionsCapacityUtilization,
        &[N::Workspaces],
    ),
];

impl PredefinedMetric {
    fn entry(self) -> (L1Metric, &'static [ServiceNamespace]) {
        METRICS.iter().find(|(m, _, _)| *m == self).map_or(
            (L1Metric::ECSServiceAverageCPUUtilization, &[][..]),
            |(_, l1, ns)| (*l1, *ns),
        )
    }

    /// The metric type as Application Auto Scaling spells it
    /// (`ECSServiceAverageCPUUtilization`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.entry().0.as_str()
    }

    /// Whether this is an ECS service's CPU or memory utilization, in
    /// percent (at most 100).
    fn is_ecs_utilization(self) -> bool {
        matches!(
            self,
            Self::EcsServiceAverageCpuUtilization
                | Self::EcsServiceAverageCpuUtilizationHighResolution
                | Self::EcsServiceAverageMemoryUtilization
                | Self::EcsServiceAverageMemoryUtilizationHighResolution
        )
    }

    /// The service namespaces whose targets can track this metric.
    #[must_use]
    pub fn namespaces(self) -> &'static [ServiceNamespace] {
        self.entry().1
    }
}

/// What a target tracking policy tracks.
#[derive(Debug, Clone, PartialEq)]
enum Tracked {
    Predefined(PredefinedMetric),
    Custom(Metric),
}

/// A target tracking scaling policy: keep a metric near `target_value`,
/// scaling out above it and in below it. Add it with
/// [`ScalableTarget::scale_to_track`].
///
/// Checked when added: the target value is positive, cooldowns are whole
/// seconds, a predefined metric belongs to the target's service namespace,
/// [`PredefinedMetric::AlbRequestCountPerTarget`] has a resource label and
/// no other metric has one, the policy name is 1 to 256 printable
/// characters.
///
/// ```
/// use std::time::Duration;
/// use ecscdk::appscaling::{PredefinedMetric, TargetTracking};
///
/// let cpu = TargetTracking::predefined(PredefinedMetric::EcsServiceAverageCpuUtilization, 70.0)
///     .scale_in_cooldown(Duration::from_secs(300))
///     .scale_out_cooldown(Duration::from_secs(60));
/// # let _ = cpu;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct TargetTracking {
    tracked: Tracked,
    target_value: f64,
    scale_in_cooldown: Option<Duration>,
    scale_out_cooldown: Option<Duration>,
    disable_scale_in: bool,
    resource_label: Option<Value<String>>,
    policy_name: Option<String>,
}

impl TargetTracking {
    fn of(tracked: Tracked, target_value: f64) -> Self {
        Self {
            tracked,
            target_value,
            scale_in_cooldown: None,
            scale_out_cooldown: None,
            disable_scale_in: false,
            resource_label: None,
            policy_name: None,
        }
    }

    /// Tracks a predefined metric (`PredefinedMetricSpecification`).
    pub fn predefined(metric: PredefinedMetric, target_value: f64) -> Self {
        Self::of(Tracked::Predefined(metric), target_value)
    }

    /// Tracks a metric of your own (`CustomizedMetricSpecification`: its
    /// namespace, name, dimensions and statistic). The metric must grow with
    /// load and shrink when capacity is added.
    pub fn custom(metric: Metric, target_value: f64) -> Self {
        Self::of(Tracked::Custom(metric), target_value)
    }

    /// The resource label of an [`PredefinedMetric::AlbRequestCountPerTarget`]
    /// metric: `app/<lb name>/<lb id>/targetgroup/<tg name>/<tg id>`; see
    /// [`alb_resource_label`](Self::alb_resource_label).
    ///
    /// CloudFormation default: none (required by `ALBRequestCountPerTarget`).
    /// ecscdk default: omitted.
    pub fn resource_label(mut self, label: impl Into<Value<String>>) -> Self {
        self.resource_label = Some(label.into());
        self
    }

    /// How long after a scale-in another scale-in may start (whole seconds).
    ///
    /// CloudFormation default: 300 seconds for ECS services (0 for some other targets).
    /// ecscdk default: omitted.
    pub fn scale_in_cooldown(mut self, cooldown: Duration) -> Self {
        self.scale_in_cooldown = Some(cooldown);
        self
    }

    /// How long after a scale-out another scale-out may start (whole
    /// seconds).
    ///
    /// CloudFormation default: 300 seconds for ECS services (0 for some other targets).
    /// ecscdk default: omitted.
    pub fn scale_out_cooldown(mut self, cooldown: Duration) -> Self {
        self.scale_out_cooldown = Some(cooldown);
        self
    }

    /// Whether the policy never removes capacity (it only scales out).
    ///
    /// CloudFormation default: false.
    /// ecscdk default: omitted (false).
    pub fn disable_scale_in(mut self, disable: bool) -> Self {
        self.disable_scale_in = disable;
        self
    }

    /// The policy's name; unique per scalable target.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: the policy construct's unique id (its path from the stack down, as a logical ID), as the CDK names it.
    pub fn policy_name(mut self, name: impl Into<String>) -> Self {
        self.policy_name = Some(name.into());
        self
    }

    /// The resource label of an Application Load Balancer's target group,
    /// `<lb full name>/<tg full name>` (from the load balancer's
    /// `LoadBalancerFullName` and the target group's `TargetGroupFullName`
    /// attributes), rendered as the CDK renders it.
    pub fn alb_resource_label(
        load_balancer_full_name: impl Into<Value<String>>,
        target_group_full_name: impl Into<Value<String>>,
    ) -> Value<String> {
        concat([
            load_balancer_full_name.into(),
            Value::from("/"),
            target_group_full_name.into(),
        ])
    }
}

/// A scaling policy of a scalable target. A copyable handle; its
/// `AWS::ApplicationAutoScaling::ScalingPolicy` is the child `Resource`.
///
/// CloudFormation: [AWS::ApplicationAutoScaling::ScalingPolicy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalingpolicy.html).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalingPolicy {
    node: NodeId,
    resource: CfnScalingPolicyRef,
}

impl ScalingPolicy {
    /// The policy's construct node.
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The policy's `AWS::ApplicationAutoScaling::ScalingPolicy` resource.
    #[must_use]
    pub fn resource(self) -> CfnScalingPolicyRef {
        self.resource
    }

    /// The policy's ARN (its `Ref`), e.g. for an alarm action.
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        self.resource.reference()
    }
}

pub(crate) fn build(
    target: ScalableTarget,
    stack: &mut Stack,
    id: &str,
    policy: TargetTracking,
) -> Result<ScalingPolicy> {
    let path = stack.path(target.node()).child(id);
    let invalid = |property: &str, reason: String| Error::InvalidProperty {
        path: path.clone(),
        property: property.into(),
        reason,
    };
    if !(policy.target_value.is_finite() && policy.target_value > 0.0) {
        return Err(invalid(
            "target_value",
            format!(
                "target value {} is not a positive number; Application Auto Scaling tracks a value above 0",
                policy.target_value
            ),
        ));
    }
    if let Tracked::Predefined(metric) = &policy.tracked
        && metric.is_ecs_utilization()
        && policy.target_value > 100.0
    {
        return Err(invalid(
            "target_value",
            format!(
                "target value {} is above 100, and {} is a percentage of what the tasks reserve; aim below 100 (e.g. 70), leaving headroom for a burst",
                policy.target_value,
                metric.as_str()
            ),
        ));
    }
    let scale_in = policy
        .scale_in_cooldown
        .map(|d| seconds(d).ok_or_else(|| invalid("scale_in_cooldown", cooldown_reason(d))))
        .transpose()?;
    let scale_out = policy
        .scale_out_cooldown
        .map(|d| seconds(d).ok_or_else(|| invalid("scale_out_cooldown", cooldown_reason(d))))
        .transpose()?;
    if let Some(name) = &policy.policy_name
        && let Some(reason) = policy_name::problem(name)
    {
        return Err(invalid("policy_name", reason));
    }
    let mut config = TargetTrackingScalingPolicyConfiguration::new(policy.target_value);
    match &policy.tracked {
        Tracked::Predefined(metric) => {
            if !metric.namespaces().contains(&target.namespace()) {
                return Err(invalid(
                    "predefined",
                    format!(
                        "{} does not apply to a target of service namespace {}; pick a metric of that namespace or a custom metric",
                        metric.as_str(),
                        target.namespace().as_str()
                    ),
                ));
            }
            let alb = *metric == PredefinedMetric::AlbRequestCountPerTarget;
            match (&policy.resource_label, alb) {
                (None, true) => {
                    return Err(Error::Missing {
                        path,
                        what: "resource_label",
                        fix: "ALBRequestCountPerTarget needs the target group's resource label; pass TargetTracking::alb_resource_label(lb full name, target group full name)",
                    });
                }
                (Some(_), false) => {
                    return Err(Error::Conflict {
                        path,
                        first: "resource_label",
                        second: "predefined",
                        fix: "only ALBRequestCountPerTarget takes a resource label; remove it",
                    });
                }
                (Some(Value::Lit(label)), true) if !is_alb_label(label) => {
                    return Err(invalid(
                        "resource_label",
                        format!(
                            "{label:?} is not a target group resource label; write app/<lb name>/<lb id>/targetgroup/<tg name>/<tg id>"
                        ),
                    ));
                }
                _ => {}
            }
            let mut spec = PredefinedMetricSpecification::new(metric.entry().0);
            spec.resource_label = policy.resource_label.clone();
            config.predefined_metric_specification = Some(Value::Lit(spec));
        }
        Tracked::Custom(metric) => {
            if policy.resource_label.is_some() {
                return Err(Error::Conflict {
                    path,
                    first: "resource_label",
                    second: "custom",
                    fix: "only ALBRequestCountPerTarget takes a resource label; remove it",
                });
            }
            if let Some(reason) = metric.problem() {
                return Err(invalid("custom", reason));
            }
            config.customized_metric_specification =
                Some(Value::Lit(CustomizedMetricSpecification {
                    dimensions: metric.policy_dimensions(),
                    metric_name: Some(Value::from(metric.name.as_str())),
                    namespace: Some(Value::from(metric.namespace.as_str())),
                    statistic: Some(Value::Lit(metric.statistic.to_policy())),
                    ..CustomizedMetricSpecification::default()
                }));
        }
    }
    config.disable_scale_in = policy.disable_scale_in.then_some(Value::Lit(true));
    config.scale_in_cooldown = scale_in.map(Value::Lit);
    config.scale_out_cooldown = scale_out.map(Value::Lit);

    let name = policy
        .policy_name
        .unwrap_or_else(|| policy_name::unique_id(&path));
    let node = stack.scope_of_type(
        target.node(),
        id,
        "ecscdk.appscaling.TargetTrackingScalingPolicy",
    )?;
    target.claim_policy_names(stack, &path, std::slice::from_ref(&name))?;
    let mut cfn = CfnScalingPolicy::new(name, PolicyType::TargetTrackingScaling);
    cfn.scaling_target_id = Some(Value::from(target.target_id()));
    cfn.target_tracking_scaling_policy_configuration = Some(Value::Lit(config));
    let resource = stack.add(node, "Resource", cfn)?;
    Ok(ScalingPolicy { node, resource })
}

fn cooldown_reason(d: Duration) -> String {
    format!("cooldown {d:?} is not a whole number of seconds up to 2147483647; round it to seconds")
}

/// `app/<lb name>/<lb id>/targetgroup/<tg name>/<tg id>`.
fn is_alb_label(label: &str) -> bool {
    let parts: Vec<&str> = label.split('/').collect();
    matches!(parts.as_slice(), ["app", a, b, "targetgroup", c, d] if [a, b, c, d].iter().all(|p| !p.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_metric_is_offered_once() {
        let mut ours: Vec<&str> = METRICS.iter().map(|(_, l1, _)| l1.as_str()).collect();
        ours.sort_unstable();
        ours.dedup();
        let mut schema: Vec<&str> = L1Metric::VALUES.to_vec();
        schema.sort_unstable();
        assert_eq!(ours, schema);
        for (m, _, _) in METRICS {
            assert_eq!(METRICS.iter().filter(|(x, _, _)| *x == m).count(), 1);
        }
    }
}
