//! Application Auto Scaling: scalable targets and their scaling policies
//! (target tracking, step scaling on a CloudWatch metric with its alarms,
//! scheduled actions), with the AWS CDK's child ids.
//!
//! ```
//! use std::time::Duration;
//! use ecscdk::prelude::*;
//! use ecscdk::appscaling::{
//!     Metric, PredefinedMetric, ScalableTarget, ScalingInterval, Schedule, ServiceNamespace,
//!     StepScaling, TargetTracking,
//! };
//!
//! # fn main() -> ecscdk::Result<()> {
//! let mut stack = Stack::new("Web");
//! let resource_id = ScalableTarget::ecs_service_resource_id("prod", "web");
//! let target = ScalableTarget::builder("Target", ServiceNamespace::Ecs, resource_id, "ecs:service:DesiredCount", 2, 10)
//!     .build(&mut stack)?;
//! target.scale_to_track(
//!     &mut stack,
//!     "Cpu",
//!     TargetTracking::predefined(PredefinedMetric::EcsServiceAverageCpuUtilization, 70.0)
//!         .scale_in_cooldown(Duration::from_secs(300)),
//! )?;
//! target.scale_on_metric(
//!     &mut stack,
//!     "Queue",
//!     StepScaling::new(Metric::new("AWS/SQS", "ApproximateNumberOfMessagesVisible").dimension("QueueName", "jobs"))
//!         .step(ScalingInterval::below(10.0, -1))
//!         .step(ScalingInterval::above(100.0, 2)),
//! )?;
//! target.scale_on_schedule(&mut stack, "Nightly", Schedule::cron("0 22 ? * * *"), 1, 2)?;
//! # Ok(()) }
//! ```

mod scalable_target;
mod schedule;
mod step_scaling;
mod target_tracking;

/// The metric types live in [`crate::cloudwatch`]; named here too, where
/// scaling policies first used them.
pub use crate::cloudwatch::{Metric, Statistic};
pub use scalable_target::{ScalableTarget, ScalableTargetBuilder, ServiceNamespace};
pub use schedule::Schedule;
pub use step_scaling::{
    AdjustmentType, MetricAggregationType, ScalingInterval, StepScaling, StepScalingPolicy,
};
pub use target_tracking::{PredefinedMetric, ScalingPolicy, TargetTracking};

use std::time::Duration;

use crate::synth::{Expr, Value};

/// A duration as the whole seconds an Application Auto Scaling integer
/// takes, if it is one (no fraction, at most `i32::MAX`).
pub(crate) fn seconds(d: Duration) -> Option<i64> {
    if d.subsec_nanos() != 0 {
        return None;
    }
    let secs = i64::try_from(d.as_secs()).ok()?;
    (secs <= i64::from(i32::MAX)).then_some(secs)
}

/// Concatenates string values as the CDK renders a string with tokens:
/// adjacent literals merged, one `Fn::Join` with an empty delimiter unless
/// everything is literal.
pub(crate) fn concat(parts: impl IntoIterator<Item = Value<String>>) -> Value<String> {
    let mut merged: Vec<Value<String>> = Vec::new();
    for part in parts {
        match (merged.last_mut(), part) {
            (_, Value::Lit(s)) if s.is_empty() => {}
            (Some(Value::Lit(prev)), Value::Lit(s)) => prev.push_str(&s),
            (_, part) => merged.push(part),
        }
    }
    match merged.as_slice() {
        [] => Value::Lit(String::new()),
        [Value::Lit(s)] => Value::Lit(s.clone()),
        _ => Value::Expr(Expr::join("", merged)),
    }
}

/// Scaling policy names.
pub(crate) mod policy_name {
    use crate::synth::{ConstructPath, logical_id};

    /// The CDK's `Names.uniqueId`: the logical-ID function over the path
    /// from the stack (included) down to the construct.
    pub(crate) fn unique_id(path: &ConstructPath) -> String {
        let components: Vec<&str> = path.as_str().split('/').collect();
        logical_id(&components)
    }

    /// What Application Auto Scaling rejects in a policy name: it has 1 to
    /// 256 printable characters.
    pub(crate) fn problem(name: &str) -> Option<String> {
        let n = name.chars().count();
        if n == 0 || n > 256 || name.chars().any(char::is_control) {
            return Some(format!(
                "a policy name has 1 to 256 printable characters, not {n}{}; shorten it or leave the default",
                if name.chars().any(char::is_control) {
                    " with control characters"
                } else {
                    ""
                }
            ));
        }
        None
    }
}
