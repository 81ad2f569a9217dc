//! How a service rolls out a new revision: the deployment strategy (rolling,
//! blue/green, linear, canary), the bake time, and lifecycle hooks; checked
//! against what ECS accepts (`DeploymentConfiguration` of
//! `AWS::ECS::Service`, the ECS Developer Guide's "Deploy Amazon ECS
//! services").

use std::time::Duration;

use crate::cfn::ecs::service::{
    CanaryConfiguration, DeploymentLifecycleHook, HookTimeoutConfig, LinearConfiguration,
};
use crate::synth::{Operand, Value};

/// The bake time of blue/green, linear and canary deployments when none is
/// given: 15 minutes, as the `AWS::ECS::Service` registry schema states
/// ECS's default. ecscdk writes it out, as the ECS API asks for a bake time
/// with these strategies.
pub(crate) const DEFAULT_BAKE_TIME: Duration = Duration::from_secs(15 * 60);

/// The longest bake time, step bake time or canary bake time ECS takes: 24
/// hours (1,440 minutes).
const MAX_BAKE_MINUTES: u64 = 1440;

/// The longest deployment CloudFormation accepts for linear and canary
/// strategies, computed from the template: 33 hours (CloudFormation's own
/// handler times out at 36).
const MAX_TRAFFIC_SHIFT_MINUTES: u64 = 33 * 60;

/// How a service replaces its tasks with those of a new revision.
///
/// Blue/green, linear and canary deployments start the new revision's
/// tasks beside the old ones, shift traffic to them through the load
/// balancer's alternate target group (or Service Connect), wait the bake
/// time, then stop the old tasks: a rollback is a traffic shift back, not a
/// new deployment. They need the service's load balancer targets to name
/// an alternate target group
/// ([`AlternateTarget`](crate::ecs::AlternateTarget)).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub enum DeploymentStrategy {
    /// Replace tasks in batches bounded by the minimum healthy and maximum
    /// percentages (ECS's `ROLLING`).
    #[default]
    Rolling,
    /// Start the new revision in full, shift all production traffic at
    /// once after the test traffic stage, bake, then stop the old revision
    /// (`BLUE_GREEN`).
    BlueGreen,
    /// Shift production traffic in equal steps (`LINEAR`).
    Linear {
        /// The share of traffic each step shifts: 3 to 100 percent, in
        /// tenths of a percent (ECS default: 10).
        step_percent: f64,
        /// How long each step waits before the next: whole minutes, at
        /// most 24 hours (ECS default: 6 minutes).
        step_bake_time: Duration,
    },
    /// Shift a share of production traffic, wait, then shift the rest
    /// (`CANARY`).
    Canary {
        /// The share of traffic shifted first: 0.1 to 100 percent, in
        /// tenths of a percent (ECS default: 5).
        percent: f64,
        /// How long the canary runs before the rest of the traffic shifts:
        /// whole minutes, at most 24 hours (ECS default: 10 minutes).
        bake_time: Duration,
    },
}

impl DeploymentStrategy {
    /// A linear strategy shifting `step_percent` of the traffic every
    /// `step_bake_time`.
    #[must_use]
    pub fn linear(step_percent: f64, step_bake_time: Duration) -> Self {
        Self::Linear {
            step_percent,
            step_bake_time,
        }
    }

    /// A canary strategy shifting `percent` of the traffic, then the rest
    /// after `bake_time`.
    #[must_use]
    pub fn canary(percent: f64, bake_time: Duration) -> Self {
        Self::Canary { percent, bake_time }
    }

    /// Whether the strategy shifts traffic between two revisions (every
    /// strategy but rolling).
    #[must_use]
    pub fn shifts_traffic(self) -> bool {
        self != Self::Rolling
    }

    /// The strategy as ECS spells it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rolling => "ROLLING",
            Self::BlueGreen => "BLUE_GREEN",
            Self::Linear { .. } => "LINEAR",
            Self::Canary { .. } => "CANARY",
        }
    }

    pub(crate) fn to_l1(self) -> crate::cfn::ecs::service::Strategy {
        use crate::cfn::ecs::service::Strategy;
        match self {
            Self::Rolling => Strategy::Rolling,
            Self::BlueGreen => Strategy::BlueGreen,
            Self::Linear { .. } => Strategy::Linear,
            Self::Canary { .. } => Strategy::Canary,
        }
    }

    /// What is wrong with the strategy's settings, if anything, given the
    /// service's bake time (ECS's 15 minutes when `None`).
    pub(crate) fn problem(self, bake_time: Option<Duration>) -> Option<String> {
        let bake = bake_time.unwrap_or(DEFAULT_BAKE_TIME).as_secs() / 60;
        match self {
            Self::Rolling | Self::BlueGreen => None,
            Self::Linear {
                step_percent,
                step_bake_time,
            } => {
                if let Some(problem) = percent_problem("step percent", step_percent, 3.0) {
                    return Some(problem);
                }
                if let Some(problem) = minutes_problem("step bake time", step_bake_time) {
                    return Some(problem);
                }
                let steps = linear_steps(step_percent);
                let total = bake + step_bake_time.as_secs() / 60 * steps;
                (total > MAX_TRAFFIC_SHIFT_MINUTES).then(|| {
                    format!(
                        "a linear deployment of {steps} steps of {} minutes and a bake time of {bake} minutes lasts {total} minutes; CloudFormation refuses more than {MAX_TRAFFIC_SHIFT_MINUTES} (33 hours): take larger steps or shorter bakes",
                        step_bake_time.as_secs() / 60
                    )
                })
            }
            Self::Canary { percent, bake_time } => {
                if let Some(problem) = percent_problem("canary percent", percent, 0.1) {
                    return Some(problem);
                }
                if let Some(problem) = minutes_problem("canary bake time", bake_time) {
                    return Some(problem);
                }
                let total = bake + bake_time.as_secs() / 60;
                (total > MAX_TRAFFIC_SHIFT_MINUTES).then(|| {
                    format!(
                        "a canary of {} minutes and a bake time of {bake} minutes last {total} minutes; CloudFormation refuses more than {MAX_TRAFFIC_SHIFT_MINUTES} (33 hours): bake shorter",
                        bake_time.as_secs() / 60
                    )
                })
            }
        }
    }

    /// The strategy's `LinearConfiguration`, if linear.
    pub(crate) fn linear_configuration(self) -> Option<Value<LinearConfiguration>> {
        match self {
            Self::Linear {
                step_percent,
                step_bake_time,
            } => Some(Value::Lit(LinearConfiguration {
                step_bake_time_in_minutes: Some(Value::Lit(minutes(step_bake_time))),
                step_percent: Some(Value::Lit(tenths(step_percent))),
            })),
            _ => None,
        }
    }

    /// The strategy's `CanaryConfiguration`, if canary.
    pub(crate) fn canary_configuration(self) -> Option<Value<CanaryConfiguration>> {
        match self {
            Self::Canary { percent, bake_time } => Some(Value::Lit(CanaryConfiguration {
                canary_bake_time_in_minutes: Some(Value::Lit(minutes(bake_time))),
                canary_percent: Some(Value::Lit(tenths(percent))),
            })),
            _ => None,
        }
    }
}

/// The number of steps CloudFormation counts for a linear deployment: the
/// step bake time is not waited after the last shift (100 / percent − 1
/// when the percent divides 100, else its floor).
fn linear_steps(step_percent: f64) -> u64 {
    let tenths = (step_percent * 10.0).round() as u64;
    if tenths == 0 {
        return 0;
    }
    if 1000 % tenths == 0 {
        1000 / tenths - 1
    } else {
        1000 / tenths
    }
}

/// `percent` rounded to tenths, as ECS takes it.
fn tenths(percent: f64) -> f64 {
    (percent * 10.0).round() / 10.0
}

fn minutes(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs() / 60).unwrap_or(i64::MAX)
}

/// A percentage from `min` to 100 in tenths of a percent.
fn percent_problem(what: &str, percent: f64, min: f64) -> Option<String> {
    if !percent.is_finite() || !(min..=100.0).contains(&percent) {
        return Some(format!("{what} {percent} is outside {min} to 100"));
    }
    let scaled = percent * 10.0;
    ((scaled - scaled.round()).abs() > 1e-6).then(|| {
        format!("{what} {percent} is not a multiple of 0.1; ECS takes tenths of a percent")
    })
}

/// A duration in whole minutes of at most 24 hours.
pub(crate) fn minutes_problem(what: &str, duration: Duration) -> Option<String> {
    if duration.subsec_nanos() != 0 || !duration.as_secs().is_multiple_of(60) {
        return Some(format!(
            "{what} {duration:?} is not whole minutes; ECS takes minutes"
        ));
    }
    (duration.as_secs() / 60 > MAX_BAKE_MINUTES)
        .then(|| format!("{what} {duration:?} is over 24 hours, the most ECS waits"))
}

/// A stage of a blue/green, linear or canary deployment at which a
/// lifecycle hook runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LifecycleStage {
    /// Only when a deployment starts with more than one active revision.
    ReconcileService,
    /// Before the new revision's tasks start.
    PreScaleUp,
    /// The new revision's tasks run; no traffic reaches them yet.
    PostScaleUp,
    /// Test traffic shifts to the new revision (Lambda hooks only).
    TestTrafficShift,
    /// All test traffic reaches the new revision.
    PostTestTrafficShift,
    /// Before production traffic shifts (before every step of linear and
    /// canary deployments).
    PreProductionTrafficShift,
    /// Production traffic shifts (at every step of linear and canary
    /// deployments; Lambda hooks only).
    ProductionTrafficShift,
    /// All production traffic reaches the new revision.
    PostProductionTrafficShift,
}

impl LifecycleStage {
    /// The stage as ECS spells it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReconcileService => "RECONCILE_SERVICE",
            Self::PreScaleUp => "PRE_SCALE_UP",
            Self::PostScaleUp => "POST_SCALE_UP",
            Self::TestTrafficShift => "TEST_TRAFFIC_SHIFT",
            Self::PostTestTrafficShift => "POST_TEST_TRAFFIC_SHIFT",
            Self::PreProductionTrafficShift => "PRE_PRODUCTION_TRAFFIC_SHIFT",
            Self::ProductionTrafficShift => "PRODUCTION_TRAFFIC_SHIFT",
            Self::PostProductionTrafficShift => "POST_PRODUCTION_TRAFFIC_SHIFT",
        }
    }

    fn to_l1(self) -> crate::cfn::ecs::service::LifecycleStages {
        use crate::cfn::ecs::service::LifecycleStages as L1;
        match self {
            Self::ReconcileService => L1::ReconcileService,
            Self::PreScaleUp => L1::PreScaleUp,
            Self::PostScaleUp => L1::PostScaleUp,
            Self::TestTrafficShift => L1::TestTrafficShift,
            Self::PostTestTrafficShift => L1::PostTestTrafficShift,
            Self::PreProductionTrafficShift => L1::PreProductionTrafficShift,
            Self::ProductionTrafficShift => L1::ProductionTrafficShift,
            Self::PostProductionTrafficShift => L1::PostProductionTrafficShift,
        }
    }

    /// Whether the stage is a traffic shift, where only Lambda hooks run.
    fn is_shift(self) -> bool {
        matches!(self, Self::TestTrafficShift | Self::ProductionTrafficShift)
    }
}

/// What a timed-out hook does to the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HookTimeoutAction {
    /// Roll the deployment back.
    Rollback,
    /// Go on as if the hook succeeded.
    Continue,
}

/// What a lifecycle hook runs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum HookTarget {
    /// A Lambda function, by ARN, and the construct id its role is named
    /// after; ECS invokes it with a role.
    Lambda(String, Value<String>),
    /// A pause until `ecs continue-service-deployment` (or a timeout).
    Pause,
}

/// Custom logic or a pause at stages of a blue/green, linear or canary
/// deployment. A Lambda hook answers `{"hookStatus": "SUCCEEDED"}`,
/// `"FAILED"` (rolls back) or `"IN_PROGRESS"` (asked again); ECS invokes it
/// with a role it assumes: `<id>Role` of the service, allowed
/// `lambda:InvokeFunction` on the function only (as the AWS CDK's
/// `DeploymentLifecycleLambdaTarget`), unless one is given.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct LifecycleHook {
    pub(crate) target: HookTarget,
    pub(crate) stages: Vec<LifecycleStage>,
    pub(crate) details: Option<serde_json::Value>,
    pub(crate) role_arn: Option<Value<String>>,
    pub(crate) timeout: Option<(Duration, HookTimeoutAction)>,
}

impl LifecycleHook {
    /// Invokes the Lambda function `function_arn` at `stages`; `id` names
    /// the role ECS invokes it with (`<id>Role`, as the CDK's
    /// `new DeploymentLifecycleLambdaTarget(fn, id, ..)`).
    pub fn lambda(
        id: impl Into<String>,
        function_arn: impl Into<Value<String>>,
        stages: impl IntoIterator<Item = LifecycleStage>,
    ) -> Self {
        Self {
            target: HookTarget::Lambda(id.into(), function_arn.into()),
            stages: stages.into_iter().collect(),
            details: None,
            role_arn: None,
            timeout: None,
        }
    }

    /// Pauses the deployment at `stages` until someone continues it (`aws
    /// ecs continue-service-deployment`) or the timeout passes; not at the
    /// traffic-shift stages themselves.
    pub fn pause(stages: impl IntoIterator<Item = LifecycleStage>) -> Self {
        Self {
            target: HookTarget::Pause,
            stages: stages.into_iter().collect(),
            details: None,
            role_arn: None,
            timeout: None,
        }
    }

    /// A JSON object ECS passes to the function at each invocation.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// The role ECS assumes to invoke the function (trusting
    /// `ecs.amazonaws.com`, allowed `lambda:InvokeFunction` on it).
    ///
    /// CloudFormation default: none (required for Lambda hooks).
    /// ecscdk default: a role created with the service.
    pub fn role_arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }

    /// How long ECS waits for the hook (1 minute to 14 days, whole
    /// minutes) and what it does then.
    ///
    /// CloudFormation default: ECS's.
    /// ecscdk default: ECS's.
    pub fn timeout(mut self, timeout: Duration, action: HookTimeoutAction) -> Self {
        self.timeout = Some((timeout, action));
        self
    }

    /// What is wrong with the hook, if anything.
    pub(crate) fn problem(&self) -> Option<String> {
        if self.stages.is_empty() {
            return Some(
                "a lifecycle hook without stages never runs; give at least one `LifecycleStage`"
                    .to_owned(),
            );
        }
        let mut seen = self.stages.clone();
        seen.sort();
        if let Some(twice) = seen.windows(2).find(|w| w[0] == w[1]) {
            return Some(format!(
                "stage {} is listed twice in one hook",
                twice[0].as_str()
            ));
        }
        if let HookTarget::Lambda(_, Value::Lit(arn)) = &self.target
            && !arn.starts_with("arn:")
        {
            return Some(format!("{arn:?} is not a Lambda function ARN"));
        }
        if self.target == HookTarget::Pause
            && let Some(stage) = self.stages.iter().find(|s| s.is_shift())
        {
            return Some(format!(
                "a pause hook cannot run at {}: ECS pauses only between stages; pause at {} instead, or use a Lambda hook",
                stage.as_str(),
                if *stage == LifecycleStage::TestTrafficShift {
                    "POST_TEST_TRAFFIC_SHIFT"
                } else {
                    "PRE_PRODUCTION_TRAFFIC_SHIFT"
                }
            ));
        }
        if let Some(details) = &self.details
            && !details.is_object()
        {
            return Some("hook details must be a JSON object".to_owned());
        }
        if let Some((timeout, _)) = self.timeout {
            let whole = timeout.subsec_nanos() == 0 && timeout.as_secs().is_multiple_of(60);
            let mins = timeout.as_secs() / 60;
            if !whole || !(1..=20_160).contains(&mins) {
                return Some(format!(
                    "hook timeout {timeout:?} is not 1 minute to 14 days in whole minutes"
                ));
            }
        }
        None
    }

    /// The hook as CloudFormation takes it, with the role ECS invokes a
    /// Lambda function with.
    pub(crate) fn render(&self, role_arn: Option<Value<String>>) -> DeploymentLifecycleHook {
        use crate::cfn::ecs::service::{Action, TargetType};
        DeploymentLifecycleHook {
            hook_details: self.details.as_ref().map(|d| Operand::from(d.clone())),
            hook_target_arn: match &self.target {
                HookTarget::Lambda(_, arn) => Some(arn.clone()),
                HookTarget::Pause => None,
            },
            lifecycle_stages: Value::Lit(
                self.stages.iter().map(|s| Value::Lit(s.to_l1())).collect(),
            ),
            role_arn,
            target_type: (self.target == HookTarget::Pause)
                .then_some(Value::Lit(TargetType::Pause)),
            timeout_configuration: self.timeout.map(|(timeout, action)| {
                Value::Lit(HookTimeoutConfig {
                    action: Some(Value::Lit(match action {
                        HookTimeoutAction::Rollback => Action::Rollback,
                        HookTimeoutAction::Continue => Action::Continue,
                    })),
                    timeout_in_minutes: Some(Value::Lit(minutes(timeout))),
                })
            }),
        }
    }
}

/// The alternate ("green") target group of a blue/green, linear or canary
/// deployment, and the listener rules ECS moves traffic with: the new
/// revision's tasks register with it while the old ones stay in the primary
/// group, then ECS shifts the production (and test) rule's weights between
/// the two groups.
///
/// On an application load balancer, ECS needs the production listener
/// rule (a rule forwarding to both groups); on a network load balancer the
/// production listener itself. ECS calls Elastic Load Balancing with a role
/// it assumes: `<id>Role` of the service, with the AWS managed policy
/// `AmazonECSInfrastructureRolePolicyForLoadBalancers` (as the AWS CDK's
/// `new AlternateTarget(id, ..)`), unless one is given.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct AlternateTarget {
    pub(crate) id: String,
    pub(crate) target_group_arn: Value<String>,
    pub(crate) production: Option<Value<String>>,
    pub(crate) test: Option<Value<String>>,
    pub(crate) role_arn: Option<Value<String>>,
}

impl AlternateTarget {
    /// The alternate target group `group` (of the same kind, target type
    /// and VPC as the primary one); `id` names the role (`<id>Role`).
    pub fn new(id: impl Into<String>, group: &crate::elbv2::TargetGroup) -> Self {
        Self {
            id: id.into(),
            target_group_arn: group.arn().into(),
            production: None,
            test: None,
            role_arn: None,
        }
    }

    /// The alternate target group by ARN (not checked against its load
    /// balancer's kind).
    pub fn from_arn(id: impl Into<String>, target_group_arn: impl Into<Value<String>>) -> Self {
        Self {
            id: id.into(),
            target_group_arn: target_group_arn.into(),
            production: None,
            test: None,
            role_arn: None,
        }
    }

    /// The application listener rule that carries production traffic.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none (required with an application load balancer).
    pub fn production_rule(mut self, rule: &crate::elbv2::ListenerRule) -> Self {
        self.production = Some(rule.arn().into());
        self
    }

    /// The network listener that carries production traffic.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn production_listener(mut self, listener: &crate::elbv2::Listener) -> Self {
        self.production = Some(listener.arn().into());
        self
    }

    /// The application listener rule that carries test traffic (reaching
    /// the new revision before production does).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none (no test traffic).
    pub fn test_rule(mut self, rule: &crate::elbv2::ListenerRule) -> Self {
        self.test = Some(rule.arn().into());
        self
    }

    /// The network listener that carries test traffic.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none (no test traffic).
    pub fn test_listener(mut self, listener: &crate::elbv2::Listener) -> Self {
        self.test = Some(listener.arn().into());
        self
    }

    /// The role ECS assumes to shift traffic (trusting `ecs.amazonaws.com`).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: the role `<id>Role` of the service with the AWS
    /// managed policy `AmazonECSInfrastructureRolePolicyForLoadBalancers`.
    pub fn role_arn(mut self, arn: impl Into<Value<String>>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_steps_as_cloudformation_counts_them() {
        assert_eq!(linear_steps(50.0), 1);
        assert_eq!(linear_steps(10.0), 9);
        assert_eq!(linear_steps(11.0), 9);
        assert_eq!(linear_steps(3.0), 33);
        assert_eq!(linear_steps(100.0), 0);
    }

    #[test]
    fn percentages_in_tenths() {
        assert!(percent_problem("p", 10.5, 3.0).is_none());
        assert!(percent_problem("p", 0.1, 0.1).is_none());
        assert!(percent_problem("p", 10.55, 3.0).is_some());
        assert!(percent_problem("p", 2.9, 3.0).is_some());
        assert!(percent_problem("p", f64::NAN, 3.0).is_some());
    }
}
