//! Amazon CloudWatch: metrics ([`Metric`]), the alarms that watch them
//! ([`Alarm`]) and dashboards ([`Dashboard`]).
//!
//! A metric is a namespace, a name, dimensions and how its data points are
//! aggregated (a statistic over a period); scaling policies track metrics
//! and alarms compare them with a threshold.

mod alarm;
mod dashboard;
mod metric;
pub(crate) mod recommended;

pub use alarm::{Alarm, AlarmBuilder, Comparison, TreatMissingData};
pub use dashboard::{
    AlarmStatusWidget, AlarmWidget, Dashboard, DashboardBuilder, GRID_WIDTH, GraphWidget,
    SingleValueWidget, TextWidget, Widget,
};
pub use metric::{MathExpression, Metric, Statistic};
pub use recommended::RecommendedAlarms;
