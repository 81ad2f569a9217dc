//! Amazon EventBridge Scheduler: typed schedule expressions (cron with six
//! checked fields, rate with a unit, one-time `at`) and their time zone, for
//! the schedules [`ScheduledFargateTask`](crate::patterns::ScheduledFargateTask)
//! and [`ScheduledEc2Task`](crate::patterns::ScheduledEc2Task) create.
//!
//! ```
//! use ecscdk::scheduler::{RateUnit, ScheduleExpression};
//!
//! let nightly = ScheduleExpression::daily_at(2, 0).timezone("Europe/Paris");
//! let weekdays = ScheduleExpression::cron("30 6 ? * MON-FRI *");
//! let hourly = ScheduleExpression::rate(1, RateUnit::Hours);
//! assert_eq!(nightly.expression().unwrap(), "cron(0 2 * * ? *)");
//! assert_eq!(hourly.expression().unwrap(), "rate(1 hour)");
//! # let _ = weekdays;
//! ```

mod expression;

pub use expression::{RateUnit, ScheduleExpression};
