//! The alarms AWS recommends for an ECS service (CloudWatch User Guide,
//! "Recommended alarms": Amazon ECS, and ECS with Container Insights):
//! CPU and memory utilization above 80 % and no running task, each the
//! average over a minute, in alarm after 5 of 5 minutes.

use std::time::Duration;

use crate::cloudwatch::{Alarm, Comparison, Metric, Statistic, TreatMissingData};
use crate::sns::Topic;
use crate::synth::NodeId;
use crate::{Result, Stack};

/// The recommended alarms of a service, made by its
/// `add_recommended_alarms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecommendedAlarms {
    /// `CPUUtilization` above 80 % (`<service>/CpuUtilizationAlarm`).
    pub cpu: Alarm,
    /// `MemoryUtilization` above 80 % (`<service>/MemoryUtilizationAlarm`).
    pub memory: Alarm,
    /// `RunningTaskCount` (Container Insights) at 0
    /// (`<service>/RunningTaskCountAlarm`).
    pub running_tasks: Alarm,
}

impl RecommendedAlarms {
    /// The three alarms, for a dashboard's alarm-status widget or
    /// deployment alarms.
    #[must_use]
    pub fn all(self) -> [Alarm; 3] {
        [self.cpu, self.memory, self.running_tasks]
    }
}

/// One recommended alarm: its id, metric, threshold, comparison and
/// description.
struct Recommended<'a> {
    id: &'a str,
    metric: Metric,
    threshold: f64,
    comparison: Comparison,
    description: &'a str,
    missing: Option<TreatMissingData>,
}

/// The period and evaluation AWS recommends: a minute, 5 of 5.
fn recommended(
    stack: &mut Stack,
    service: NodeId,
    r: Recommended<'_>,
    topic: Option<Topic>,
) -> Result<Alarm> {
    let Recommended {
        id,
        metric,
        threshold,
        comparison,
        description,
        missing,
    } = r;
    let mut alarm = Alarm::builder(
        id,
        metric
            .statistic(Statistic::Average)
            .period(Duration::from_secs(60)),
        threshold,
    )
    .comparison(comparison)
    .evaluation_periods(5)
    .datapoints_to_alarm(5)
    .description(description);
    if let Some(missing) = missing {
        alarm = alarm.treat_missing_data(missing);
    }
    if let Some(topic) = topic {
        alarm = alarm.alarm_topic(topic).ok_topic(topic);
    }
    alarm.build_in(stack, service)
}

/// Builds the recommended alarms under `service`.
pub(crate) fn add(
    stack: &mut Stack,
    service: NodeId,
    metrics: [Metric; 3],
    topic: Option<Topic>,
) -> Result<RecommendedAlarms> {
    let [cpu, memory, running] = metrics;
    Ok(RecommendedAlarms {
        cpu: recommended(
            stack,
            service,
            Recommended {
                id: "CpuUtilizationAlarm",
                metric: cpu,
                threshold: 80.0,
                comparison: Comparison::GreaterThan,
                description: "The service's CPU utilization has been above 80 % for 5 minutes (AWS's recommended alarm)",
                missing: None,
            },
            topic,
        )?,
        memory: recommended(
            stack,
            service,
            Recommended {
                id: "MemoryUtilizationAlarm",
                metric: memory,
                threshold: 80.0,
                comparison: Comparison::GreaterThan,
                description: "The service's memory utilization has been above 80 % for 5 minutes (AWS's recommended alarm)",
                missing: None,
            },
            topic,
        )?,
        running_tasks: recommended(
            stack,
            service,
            Recommended {
                id: "RunningTaskCountAlarm",
                metric: running,
                threshold: 0.0,
                comparison: Comparison::LessThanOrEqual,
                description: "No task of the service has run for 5 minutes (AWS's recommended alarm; needs Container Insights)",
                // No data: no task reports, which is what this alarm is for.
                missing: Some(TreatMissingData::Breaching),
            },
            topic,
        )?,
    })
}
