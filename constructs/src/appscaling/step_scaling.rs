//! Step scaling on a CloudWatch metric: the CDK's `scaleOnMetric`, a
//! `StepScaling` scaling policy per direction and the alarm that triggers it.
//!
//! CloudFormation: [AWS::ApplicationAutoScaling::ScalingPolicy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalingpolicy.html),
//! [AWS::CloudWatch::Alarm](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html).

use std::time::Duration;

use crate::appscaling::{Metric, ScalableTarget, Statistic, policy_name, seconds};
use crate::cfn::applicationautoscaling::scaling_policy::{
    AdjustmentType as L1Adjustment, MetricAggregationType as L1Aggregation, PolicyType,
    StepAdjustment, StepScalingPolicyConfiguration,
};
use crate::cfn::applicationautoscaling::{CfnScalingPolicy, CfnScalingPolicyRef};
use crate::cfn::cloudwatch::alarm::ComparisonOperator;
use crate::cfn::cloudwatch::{CfnAlarm, CfnAlarmRef};
use crate::synth::{NodeId, Value};
use crate::{Error, Result, Stack};

/// How the changes of the steps are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum AdjustmentType {
    /// Add the change to the current capacity (negative removes).
    #[default]
    ChangeInCapacity,
    /// Add this percentage of the current capacity (negative removes).
    PercentChangeInCapacity,
    /// Set the capacity to the change (at least 0).
    ExactCapacity,
}

impl AdjustmentType {
    fn to_l1(self) -> L1Adjustment {
        match self {
            Self::ChangeInCapacity => L1Adjustment::ChangeInCapacity,
            Self::PercentChangeInCapacity => L1Adjustment::PercentChangeInCapacity,
            Self::ExactCapacity => L1Adjustment::ExactCapacity,
        }
    }
}

/// How a step scaling policy aggregates the metric's data points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetricAggregationType {
    /// The mean.
    Average,
    /// The lowest.
    Minimum,
    /// The highest.
    Maximum,
}

impl MetricAggregationType {
    fn to_l1(self) -> L1Aggregation {
        match self {
            Self::Average => L1Aggregation::Average,
            Self::Minimum => L1Aggregation::Minimum,
            Self::Maximum => L1Aggregation::Maximum,
        }
    }

    /// The CDK's choice when none is given: the metric's statistic when it
    /// is one of these, else `Average`.
    fn from_statistic(statistic: Statistic) -> Self {
        match statistic {
            Statistic::Minimum => Self::Minimum,
            Statistic::Maximum => Self::Maximum,
            _ => Self::Average,
        }
    }
}

/// A range of metric values and the capacity change to make in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScalingInterval {
    lower: Option<f64>,
    upper: Option<f64>,
    change: i64,
}

impl ScalingInterval {
    /// Below `upper` (down to the next interval, or to 0), change capacity
    /// by `change`.
    #[must_use]
    pub fn below(upper: f64, change: i32) -> Self {
        Self {
            lower: None,
            upper: Some(upper),
            change: i64::from(change),
        }
    }

    /// From `lower` up (to the next interval, or without end), change
    /// capacity by `change`.
    #[must_use]
    pub fn above(lower: f64, change: i32) -> Self {
        Self {
            lower: Some(lower),
            upper: None,
            change: i64::from(change),
        }
    }

    /// From `lower` to `upper`, change capacity by `change`.
    #[must_use]
    pub fn between(lower: f64, upper: f64, change: i32) -> Self {
        Self {
            lower: Some(lower),
            upper: Some(upper),
            change: i64::from(change),
        }
    }
}

/// A step scaling policy on a metric: capacity changes by steps depending on
/// how far the metric is from alarm thresholds derived from the steps. Add
/// it with [`ScalableTarget::scale_on_metric`].
///
/// Checked when added: 2 to 40 steps whose bounds are finite, ordered and
/// non-overlapping, with at most one range without change; at most 20 step
/// adjustments per direction; changes of [`AdjustmentType::ExactCapacity`]
/// at least 0; `min_adjustment_magnitude` only with
/// [`AdjustmentType::PercentChangeInCapacity`]; evaluation periods at least
/// 1 and at least the datapoints to alarm; an alarm period CloudWatch
/// accepts; a cooldown of whole seconds.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct StepScaling {
    metric: Metric,
    steps: Vec<ScalingInterval>,
    adjustment_type: AdjustmentType,
    cooldown: Option<Duration>,
    min_adjustment_magnitude: Option<u32>,
    evaluation_periods: u32,
    datapoints_to_alarm: Option<u32>,
    metric_aggregation_type: Option<MetricAggregationType>,
}

impl StepScaling {
    /// Step scaling on `metric`; add at least two steps.
    pub fn new(metric: Metric) -> Self {
        Self {
            metric,
            steps: Vec::new(),
            adjustment_type: AdjustmentType::ChangeInCapacity,
            cooldown: None,
            min_adjustment_magnitude: None,
            evaluation_periods: 1,
            datapoints_to_alarm: None,
            metric_aggregation_type: None,
        }
    }

    /// Adds a step.
    ///
    /// CloudFormation default: none (`StepAdjustments` required).
    /// ecscdk default: no steps; at least two are required.
    pub fn step(mut self, step: ScalingInterval) -> Self {
        self.steps.push(step);
        self
    }

    /// Adds steps.
    ///
    /// CloudFormation default: none (`StepAdjustments` required).
    /// ecscdk default: no steps; at least two are required.
    pub fn steps(mut self, steps: impl IntoIterator<Item = ScalingInterval>) -> Self {
        self.steps.extend(steps);
        self
    }

    /// How the steps' changes are read.
    ///
    /// CloudFormation default: none (required by step scaling).
    /// ecscdk default: [`AdjustmentType::ChangeInCapacity`], as the CDK.
    pub fn adjustment_type(mut self, adjustment: AdjustmentType) -> Self {
        self.adjustment_type = adjustment;
        self
    }

    /// How long to wait after a scaling activity for it to take effect
    /// (whole seconds).
    ///
    /// CloudFormation default: 300 seconds.
    /// ecscdk default: omitted.
    pub fn cooldown(mut self, cooldown: Duration) -> Self {
        self.cooldown = Some(cooldown);
        self
    }

    /// The least capacity a [`AdjustmentType::PercentChangeInCapacity`] step
    /// changes by.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: omitted.
    pub fn min_adjustment_magnitude(mut self, magnitude: u32) -> Self {
        self.min_adjustment_magnitude = Some(magnitude);
        self
    }

    /// How many periods the alarms evaluate.
    ///
    /// CloudFormation default: none (required by an alarm).
    /// ecscdk default: 1, as the CDK.
    pub fn evaluation_periods(mut self, periods: u32) -> Self {
        self.evaluation_periods = periods;
        self
    }

    /// How many of the evaluated periods must breach to trigger a step ("M
    /// out of N").
    ///
    /// CloudFormation default: all evaluation periods.
    /// ecscdk default: omitted.
    pub fn datapoints_to_alarm(mut self, datapoints: u32) -> Self {
        self.datapoints_to_alarm = Some(datapoints);
        self
    }

    /// How the policies aggregate the metric.
    ///
    /// CloudFormation default: `Average`.
    /// ecscdk default: the metric's statistic if `Minimum` or `Maximum`, else `Average`, as the CDK.
    pub fn metric_aggregation_type(mut self, aggregation: MetricAggregationType) -> Self {
        self.metric_aggregation_type = Some(aggregation);
        self
    }
}

/// A step scaling policy: up to two `StepScaling` scaling policies, each
/// with the alarm that triggers it. A copyable handle.
///
/// CloudFormation: [AWS::ApplicationAutoScaling::ScalingPolicy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-applicationautoscaling-scalingpolicy.html),
/// [AWS::CloudWatch::Alarm](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepScalingPolicy {
    node: NodeId,
    lower: Option<(CfnScalingPolicyRef, CfnAlarmRef)>,
    upper: Option<(CfnScalingPolicyRef, CfnAlarmRef)>,
}

impl StepScalingPolicy {
    /// The construct node (parent of `LowerPolicy`, `LowerAlarm`,
    /// `UpperPolicy` and `UpperAlarm`).
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The scale-in policy and its alarm (`LowerPolicy`, `LowerAlarm`), when
    /// the steps scale in.
    #[must_use]
    pub fn lower(self) -> Option<(CfnScalingPolicyRef, CfnAlarmRef)> {
        self.lower
    }

    /// The scale-out policy and its alarm (`UpperPolicy`, `UpperAlarm`), when
    /// the steps scale out.
    #[must_use]
    pub fn upper(self) -> Option<(CfnScalingPolicyRef, CfnAlarmRef)> {
        self.upper
    }
}

/// A step whose bounds are known; `change: None` means no change.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Complete {
    lower: f64,
    upper: f64,
    change: Option<i64>,
}

/// The most step adjustments one policy may have (an Application Auto
/// Scaling quota).
const MAX_ADJUSTMENTS: usize = 20;

/// The CDK's `normalizeIntervals`: orders the steps, completes their bounds
/// so they cover the number line from 0 up, turns gaps (and, for relative
/// changes, zero changes) into no-change ranges, and allows one of those.
fn normalize(
    steps: &[ScalingInterval],
    absolute: bool,
) -> std::result::Result<Vec<Complete>, String> {
    if steps.len() < 2 {
        return Err(format!(
            "{} step(s) given; give at least 2 (e.g. one below a threshold, one above)",
            steps.len()
        ));
    }
    if steps.len() > 40 {
        return Err(format!("{} steps given; give at most 40", steps.len()));
    }
    for s in steps {
        let finite = s.lower.is_none_or(f64::is_finite) && s.upper.is_none_or(f64::is_finite);
        if !finite {
            return Err("a step bound is not a finite number".into());
        }
        if let (Some(lo), Some(hi)) = (s.lower, s.upper)
            && lo >= hi
        {
            return Err(format!(
                "step from {lo} to {hi} is empty; its lower bound must be below its upper bound"
            ));
        }
    }
    let mut steps: Vec<ScalingInterval> = steps.to_vec();
    let key = |s: &ScalingInterval| s.lower.or(s.upper).unwrap_or_default();
    steps.sort_by(|a, b| key(a).total_cmp(&key(b)));
    // Propagate bounds until nothing changes.
    loop {
        let mut changed = false;
        for i in 0..steps.len().saturating_sub(1) {
            if let (Some(up), None) = (steps[i].upper, steps[i + 1].lower) {
                steps[i + 1].lower = Some(up);
                changed = true;
            }
        }
        for i in (1..steps.len()).rev() {
            if let (Some(lo), None) = (steps[i].lower, steps[i - 1].upper) {
                steps[i - 1].upper = Some(lo);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let last = steps.len() - 1;
    let mut full: Vec<Complete> = Vec::with_capacity(steps.len() + 2);
    for (i, s) in steps.iter().enumerate() {
        let lower = s.lower.or((i == 0).then_some(0.0));
        let upper = s.upper.or((i == last).then_some(f64::INFINITY));
        let (Some(lower), Some(upper)) = (lower, upper) else {
            return Err(
                "the steps' bounds cross (a step from `above` a value reaches past a step `below` a higher one); give such steps both bounds with ScalingInterval::between"
                    .into(),
            );
        };
        // A first step `below(0)` keeps the CDK's meaning, "at most 0" (its
        // alarm compares with <=): the queue patterns' scale-in step.
        let at_most_zero = i == 0 && s.lower.is_none() && upper == 0.0;
        if lower > upper || (lower == upper && !at_most_zero) {
            return Err(format!(
                "step from {lower} to {upper} is empty; order the steps' bounds"
            ));
        }
        full.push(Complete {
            lower,
            upper,
            change: Some(s.change),
        });
    }
    for pair in full.windows(2) {
        if let [a, b] = pair
            && a.lower < b.upper
            && a.upper > b.lower
        {
            return Err(format!(
                "steps {}..{} and {}..{} overlap; make each step end where the next begins",
                a.lower, a.upper, b.lower, b.upper
            ));
        }
    }
    // Fill the number line with no-change ranges. Unlike the CDK, a first
    // step below 0 gets no range from 0 to it (which would be inverted).
    if let Some(first) = full.first().copied()
        && first.lower > 0.0
    {
        full.insert(
            0,
            Complete {
                lower: 0.0,
                upper: first.lower,
                change: None,
            },
        );
    }
    if let Some(last) = full.last().copied()
        && last.upper != f64::INFINITY
    {
        full.push(Complete {
            lower: last.upper,
            upper: f64::INFINITY,
            change: None,
        });
    }
    let mut i = 1;
    while i < full.len() {
        if full[i - 1].upper < full[i].lower {
            let gap = Complete {
                lower: full[i - 1].upper,
                upper: full[i].lower,
                change: None,
            };
            full.insert(i, gap);
        } else {
            i += 1;
        }
    }
    if !absolute {
        for s in &mut full {
            if s.change == Some(0) {
                s.change = None;
            }
        }
    }
    let mut i = 0;
    while i + 1 < full.len() {
        if full[i].change.is_none() && full[i + 1].change.is_none() {
            full[i].upper = full[i + 1].upper;
            full.remove(i + 1);
        } else {
            i += 1;
        }
    }
    if full.iter().filter(|s| s.change.is_none()).count() > 1 {
        return Err(
            "the steps leave more than one range without change; cover the ranges between steps or make them adjacent"
                .into(),
        );
    }
    Ok(full)
}

/// The CDK's `findAlarmThresholds`: the steps next to the no-change range,
/// or the two middle steps.
fn alarm_indices(steps: &[Complete]) -> (Option<usize>, Option<usize>) {
    if let Some(gap) = steps.iter().position(|s| s.change.is_none()) {
        return (
            gap.checked_sub(1),
            (gap + 1 < steps.len()).then_some(gap + 1),
        );
    }
    if steps.len() == 1 {
        return (None, Some(0));
    }
    let middle = steps.len() / 2;
    (Some(middle - 1), Some(middle))
}

pub(crate) fn build(
    target: ScalableTarget,
    stack: &mut Stack,
    id: &str,
    policy: StepScaling,
) -> Result<StepScalingPolicy> {
    let path = stack.path(target.node()).child(id);
    let invalid = |property: &str, reason: String| Error::InvalidProperty {
        path: path.clone(),
        property: property.into(),
        reason,
    };
    if let Some(reason) = policy
        .metric
        .problem()
        .or_else(|| policy.metric.period_problem())
    {
        return Err(invalid("metric", reason));
    }
    if policy.evaluation_periods == 0 {
        return Err(invalid(
            "evaluation_periods",
            "0 evaluation periods; alarms evaluate at least 1".into(),
        ));
    }
    if let Some(m) = policy.datapoints_to_alarm
        && (m == 0 || m > policy.evaluation_periods)
    {
        return Err(invalid(
            "datapoints_to_alarm",
            format!(
                "{m} datapoints to alarm out of {} evaluation periods; give 1 to {0}, or raise evaluation_periods",
                policy.evaluation_periods
            ),
        ));
    }
    let cooldown = policy
        .cooldown
        .map(|d| {
            seconds(d).ok_or_else(|| {
                invalid(
                    "cooldown",
                    format!("cooldown {d:?} is not a whole number of seconds up to 2147483647; round it to seconds"),
                )
            })
        })
        .transpose()?;
    if let Some(m) = policy.min_adjustment_magnitude {
        if policy.adjustment_type != AdjustmentType::PercentChangeInCapacity {
            return Err(Error::Conflict {
                path,
                first: "min_adjustment_magnitude",
                second: "adjustment_type",
                fix: "a minimum adjustment magnitude applies only to AdjustmentType::PercentChangeInCapacity; remove it or change the adjustment type",
            });
        }
        if m == 0 {
            return Err(invalid(
                "min_adjustment_magnitude",
                "a minimum adjustment magnitude of 0 has no effect; give at least 1 or remove it"
                    .into(),
            ));
        }
    }
    let absolute = policy.adjustment_type == AdjustmentType::ExactCapacity;
    if absolute && let Some(s) = policy.steps.iter().find(|s| s.change < 0) {
        return Err(invalid(
            "steps",
            format!(
                "exact capacity {} is negative; ExactCapacity steps set the capacity, so give 0 or more",
                s.change
            ),
        ));
    }
    let steps = normalize(&policy.steps, absolute).map_err(|r| invalid("steps", r))?;
    let (lower_at, upper_at) = alarm_indices(&steps);
    let lower = lower_at.and_then(|i| {
        let threshold = steps.get(i)?.upper;
        let adjustments: Vec<StepAdjustment> = (0..=i)
            .rev()
            .filter_map(|j| {
                let s = steps.get(j)?;
                let mut a = StepAdjustment::new(s.change?);
                a.metric_interval_lower_bound = (j != 0).then(|| Value::Lit(s.lower - threshold));
                a.metric_interval_upper_bound = Some(Value::Lit(s.upper - threshold));
                Some(a)
            })
            .collect();
        Some((threshold, adjustments))
    });
    let upper = upper_at.and_then(|i| {
        let threshold = steps.get(i)?.lower;
        let last = steps.len() - 1;
        let adjustments: Vec<StepAdjustment> = (i..steps.len())
            .filter_map(|j| {
                let s = steps.get(j)?;
                let mut a = StepAdjustment::new(s.change?);
                a.metric_interval_lower_bound = Some(Value::Lit(s.lower - threshold));
                a.metric_interval_upper_bound =
                    (j != last).then(|| Value::Lit(s.upper - threshold));
                Some(a)
            })
            .collect();
        Some((threshold, adjustments))
    });
    if lower.is_none() && upper.is_none() {
        return Err(invalid(
            "steps",
            "no step changes capacity; give steps with non-zero changes".into(),
        ));
    }
    for (side, adjustments) in [("scale-in", &lower), ("scale-out", &upper)] {
        if let Some((_, a)) = adjustments
            && a.len() > MAX_ADJUSTMENTS
        {
            return Err(invalid(
                "steps",
                format!(
                    "the {side} policy would have {} step adjustments; Application Auto Scaling allows {MAX_ADJUSTMENTS} per policy",
                    a.len()
                ),
            ));
        }
    }

    let names: Vec<String> = [
        (lower.is_some(), "LowerPolicy"),
        (upper.is_some(), "UpperPolicy"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, child)| policy_name::unique_id(&path.child(child)))
    .collect();
    let node = stack.scope_of_type(target.node(), id, "ecscdk.appscaling.StepScalingPolicy")?;
    target.claim_policy_names(stack, &path, &names)?;
    let side = Side {
        target,
        node,
        policy: &policy,
        cooldown,
    };
    let lower = lower
        .map(|(threshold, a)| side.add(stack, Direction::Lower, threshold, a))
        .transpose()?;
    let upper = upper
        .map(|(threshold, a)| side.add(stack, Direction::Upper, threshold, a))
        .transpose()?;
    Ok(StepScalingPolicy { node, lower, upper })
}

#[derive(Clone, Copy)]
enum Direction {
    Lower,
    Upper,
}

/// What both directions of a step scaling policy share.
struct Side<'a> {
    target: ScalableTarget,
    node: NodeId,
    policy: &'a StepScaling,
    cooldown: Option<i64>,
}

impl Side<'_> {
    fn add(
        &self,
        stack: &mut Stack,
        direction: Direction,
        threshold: f64,
        adjustments: Vec<StepAdjustment>,
    ) -> Result<(CfnScalingPolicyRef, CfnAlarmRef)> {
        let (policy_id, alarm_id, description, operator) = match direction {
            Direction::Lower => (
                "LowerPolicy",
                "LowerAlarm",
                "Lower threshold scaling alarm",
                ComparisonOperator::LessThanOrEqualToThreshold,
            ),
            Direction::Upper => (
                "UpperPolicy",
                "UpperAlarm",
                "Upper threshold scaling alarm",
                ComparisonOperator::GreaterThanOrEqualToThreshold,
            ),
        };
        let p = self.policy;
        let action =
            stack.scope_of_type(self.node, policy_id, "ecscdk.appscaling.StepScalingAction")?;
        let name = policy_name::unique_id(&stack.path(action));
        let aggregation = p
            .metric_aggregation_type
            .unwrap_or_else(|| MetricAggregationType::from_statistic(p.metric.statistic));
        let config = StepScalingPolicyConfiguration {
            adjustment_type: Some(Value::Lit(p.adjustment_type.to_l1())),
            cooldown: self.cooldown.map(Value::Lit),
            metric_aggregation_type: Some(Value::Lit(aggregation.to_l1())),
            min_adjustment_magnitude: p.min_adjustment_magnitude.map(|m| Value::Lit(i64::from(m))),
            step_adjustments: Some(Value::Lit(
                adjustments.into_iter().map(Value::Lit).collect(),
            )),
        };
        let mut cfn = CfnScalingPolicy::new(name, PolicyType::StepScaling);
        cfn.scaling_target_id = Some(Value::from(self.target.target_id()));
        cfn.step_scaling_policy_configuration = Some(Value::Lit(config));
        let scaling = stack.add(action, "Resource", cfn)?;

        let alarm_node = stack.scope_of_type(self.node, alarm_id, "ecscdk.cloudwatch.Alarm")?;
        let m = &p.metric;
        let alarm = CfnAlarm {
            alarm_actions: Some(Value::Lit(vec![Value::from(scaling.reference())])),
            alarm_description: Some(Value::from(description)),
            comparison_operator: Some(Value::Lit(operator)),
            datapoints_to_alarm: p.datapoints_to_alarm.map(|d| Value::Lit(i64::from(d))),
            dimensions: m.alarm_dimensions(),
            evaluation_periods: Some(Value::Lit(i64::from(p.evaluation_periods))),
            metric_name: Some(Value::from(m.name.as_str())),
            namespace: Some(Value::from(m.namespace.as_str())),
            period: Some(Value::Lit(m.period_secs())),
            statistic: Some(Value::Lit(m.statistic.to_alarm())),
            threshold: Some(Value::Lit(threshold)),
            ..CfnAlarm::default()
        };
        let alarm = stack.add(alarm_node, "Resource", alarm)?;
        Ok((scaling, alarm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(steps: &[Complete]) -> Vec<(f64, f64, Option<i64>)> {
        steps.iter().map(|s| (s.lower, s.upper, s.change)).collect()
    }

    #[test]
    fn intervals_normalize_as_the_cdk_does() {
        // The CDK's own README example: scale in below 10, out above 50/70.
        let steps = normalize(
            &[
                ScalingInterval::below(10.0, -1),
                ScalingInterval::above(50.0, 1),
                ScalingInterval::above(70.0, 3),
            ],
            false,
        )
        .unwrap();
        assert_eq!(
            bounds(&steps),
            vec![
                (0.0, 10.0, Some(-1)),
                (10.0, 50.0, None),
                (50.0, 70.0, Some(1)),
                (70.0, f64::INFINITY, Some(3)),
            ]
        );
        assert_eq!(alarm_indices(&steps), (Some(0), Some(2)));
    }

    #[test]
    fn steps_without_a_gap_split_in_the_middle() {
        let steps = normalize(
            &[
                ScalingInterval::below(10.0, -1),
                ScalingInterval::above(10.0, 1),
            ],
            false,
        )
        .unwrap();
        assert_eq!(alarm_indices(&steps), (Some(0), Some(1)));
    }

    #[test]
    fn a_first_step_below_zero_means_at_most_zero_as_in_the_cdk() {
        // The CDK's queue-processing default steps.
        let steps = normalize(
            &[
                ScalingInterval::below(0.0, -1),
                ScalingInterval::above(100.0, 1),
                ScalingInterval::above(500.0, 5),
            ],
            false,
        )
        .unwrap();
        assert_eq!(
            bounds(&steps),
            vec![
                (0.0, 0.0, Some(-1)),
                (0.0, 100.0, None),
                (100.0, 500.0, Some(1)),
                (500.0, f64::INFINITY, Some(5)),
            ]
        );
        assert_eq!(alarm_indices(&steps), (Some(0), Some(2)));
        assert!(
            normalize(
                &[
                    ScalingInterval::between(0.0, 0.0, -1),
                    ScalingInterval::above(1.0, 1)
                ],
                false
            )
            .is_err()
        );
    }

    #[test]
    fn two_gaps_are_rejected() {
        let err = normalize(
            &[
                ScalingInterval::between(10.0, 20.0, 1),
                ScalingInterval::between(30.0, 40.0, 2),
            ],
            false,
        )
        .unwrap_err();
        assert!(err.contains("more than one range"), "{err}");
    }
}
