//! Amazon CloudWatch: metrics ([`Metric`]) and the alarms that watch them
//! ([`Alarm`]).
//!
//! A metric is a namespace, a name, dimensions and how its data points are
//! aggregated (a statistic over a period); scaling policies track metrics
//! and alarms compare them with a threshold.

mod alarm;
mod metric;

pub use alarm::{Alarm, AlarmBuilder, Comparison, TreatMissingData};
pub use metric::{Metric, Statistic};
