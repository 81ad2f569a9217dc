//! A container's restart policy: ECS restarts a container that exits, in
//! place, instead of stopping its task and starting another
//! ([`RestartPolicy`], given to
//! [`ContainerBuilder::restart_policy`](crate::ecs::ContainerBuilder::restart_policy);
//! the AWS CDK's `enableRestartPolicy`, `restartIgnoredExitCodes` and
//! `restartAttemptPeriod`).
//!
//! ```
//! use std::time::Duration;
//! use ecscdk::ecs::{Container, ContainerImage, RestartPolicy};
//! let worker = Container::builder("worker", ContainerImage::registry("public.ecr.aws/example/worker:1"))
//!     .restart_policy(
//!         RestartPolicy::enabled()
//!             .ignored_exit_code(0)
//!             .attempt_period(Duration::from_secs(120)),
//!     );
//! # let _ = worker;
//! ```
//!
//! Limits are those of the ECS API's `ContainerRestartPolicy` (at most 50
//! ignored exit codes, an attempt period of 60 to 1800 seconds) and of the
//! developer guide's "Restart individual containers in Amazon ECS tasks
//! with container restart policies" (not for Windows containers on Fargate;
//! Fargate platform 1.4.0 or later).

use std::ops::RangeInclusive;
use std::time::Duration;

use crate::cfn::ecs::task_definition::RestartPolicy as CfnRestartPolicy;
use crate::synth::Value;

/// The most exit codes a policy may ignore.
const MAX_IGNORED_EXIT_CODES: usize = 50;

/// The attempt periods ECS accepts, in seconds.
const ATTEMPT_PERIOD_SECS: RangeInclusive<u64> = 60..=1800;

/// Whether ECS restarts a container that exits, and when: in place, without
/// replacing its task. The container agent does the restarting, so a
/// container is not restarted while the agent is not running.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RestartPolicy {
    enabled: bool,
    ignored_exit_codes: Vec<i32>,
    attempt_period: Option<Duration>,
}

impl RestartPolicy {
    /// Restarts the container whenever it exits, except with an ignored
    /// exit code, at most once per attempt period.
    pub fn enabled() -> Self {
        Self {
            enabled: true,
            ignored_exit_codes: Vec::new(),
            attempt_period: None,
        }
    }

    /// Writes `Enabled: false`: no restarts, as without a policy (the AWS
    /// CDK's `enableRestartPolicy: false`, kept for a port's template to
    /// stay the same). Takes no exit codes or attempt period.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::enabled()
        }
    }

    /// Adds an exit code on which ECS does not restart the container, such
    /// as 0 for a process that finished its work.
    ///
    /// CloudFormation default: no exit code ignored.
    /// ecscdk default: none.
    pub fn ignored_exit_code(mut self, code: i32) -> Self {
        self.ignored_exit_codes.push(code);
        self
    }

    /// Adds exit codes on which ECS does not restart the container (at most
    /// 50 in all).
    ///
    /// CloudFormation default: no exit code ignored.
    /// ecscdk default: none.
    pub fn ignored_exit_codes(mut self, codes: impl IntoIterator<Item = i32>) -> Self {
        self.ignored_exit_codes.extend(codes);
        self
    }

    /// How long the container must have run before ECS restarts it
    /// (whole seconds, 60 to 1800); a container that exits sooner is not
    /// restarted, so a crash loop ends.
    ///
    /// CloudFormation default: 300 s.
    /// ecscdk default: omitted (300 s).
    pub fn attempt_period(mut self, period: Duration) -> Self {
        self.attempt_period = Some(period);
        self
    }

    /// Whether the policy restarts the container.
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The reason ECS would refuse the policy, if it would.
    pub(crate) fn check(&self) -> Result<(), String> {
        if !self.enabled && (!self.ignored_exit_codes.is_empty() || self.attempt_period.is_some()) {
            return Err(
                "a disabled policy takes no ignored exit codes or attempt period; start from `RestartPolicy::enabled()`, or drop them".to_owned(),
            );
        }
        let count = self.ignored_exit_codes.len();
        if count > MAX_IGNORED_EXIT_CODES {
            return Err(format!(
                "{count} ignored exit codes, and ECS takes at most {MAX_IGNORED_EXIT_CODES}; keep the codes that mean the work is done"
            ));
        }
        if let Some(period) = self.attempt_period
            && (period.subsec_nanos() != 0 || !ATTEMPT_PERIOD_SECS.contains(&period.as_secs()))
        {
            return Err(format!(
                "an attempt period of {period:?} is not a whole number of seconds from {} to {}, the range ECS accepts",
                ATTEMPT_PERIOD_SECS.start(),
                ATTEMPT_PERIOD_SECS.end()
            ));
        }
        Ok(())
    }

    /// The policy as the task definition's `RestartPolicy`.
    pub(crate) fn render(&self) -> CfnRestartPolicy {
        CfnRestartPolicy {
            enabled: Some(Value::Lit(self.enabled)),
            ignored_exit_codes: (!self.ignored_exit_codes.is_empty()).then(|| {
                Value::Lit(
                    self.ignored_exit_codes
                        .iter()
                        .map(|c| Value::Lit(i64::from(*c)))
                        .collect(),
                )
            }),
            restart_attempt_period: self
                .attempt_period
                .map(|p| Value::Lit(crate::units::whole_seconds(p))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(policy: &RestartPolicy) -> serde_json::Value {
        serde_json::to_value(policy.render()).unwrap_or_default()
    }

    #[test]
    fn renders_an_enabled_policy_with_its_settings() {
        let policy = RestartPolicy::enabled()
            .ignored_exit_code(0)
            .ignored_exit_codes([127, -1])
            .attempt_period(Duration::from_secs(360));
        assert_eq!(policy.check(), Ok(()));
        assert_eq!(
            json(&policy),
            serde_json::json!({
                "Enabled": true,
                "IgnoredExitCodes": [0, 127, -1],
                "RestartAttemptPeriod": 360
            })
        );
    }

    #[test]
    fn renders_a_bare_policy_as_enabled_only() {
        assert_eq!(
            json(&RestartPolicy::enabled()),
            serde_json::json!({"Enabled": true})
        );
        assert_eq!(
            json(&RestartPolicy::disabled()),
            serde_json::json!({"Enabled": false})
        );
    }

    #[test]
    fn accepts_the_ends_of_the_ranges() {
        for secs in [60, 1800] {
            let policy = RestartPolicy::enabled().attempt_period(Duration::from_secs(secs));
            assert_eq!(policy.check(), Ok(()), "{secs} s");
        }
        let fifty = RestartPolicy::enabled().ignored_exit_codes(0..50);
        assert_eq!(fifty.check(), Ok(()));
    }

    #[test]
    fn refuses_what_ecs_refuses() {
        for secs in [59, 1801] {
            let policy = RestartPolicy::enabled().attempt_period(Duration::from_secs(secs));
            assert!(policy.check().is_err(), "{secs} s");
        }
        let fraction = RestartPolicy::enabled().attempt_period(Duration::from_millis(60_500));
        assert!(fraction.check().is_err());
        assert!(
            RestartPolicy::enabled()
                .ignored_exit_codes(0..51)
                .check()
                .is_err()
        );
        assert!(
            RestartPolicy::disabled()
                .ignored_exit_code(0)
                .check()
                .is_err()
        );
    }
}
