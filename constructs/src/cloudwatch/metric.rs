//! `Metric`: a CloudWatch metric that a scaling policy tracks or an alarm
//! watches.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::cfn::applicationautoscaling::scaling_policy as l1_policy;
use crate::cfn::cloudwatch::alarm as l1_alarm;
use crate::synth::Value;

/// How the data points of a metric are aggregated over a period.
///
/// Percentile statistics are not offered: target tracking rejects them, and
/// step scaling derives its aggregation from one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Statistic {
    /// The mean of the data points.
    #[default]
    Average,
    /// The lowest data point.
    Minimum,
    /// The highest data point.
    Maximum,
    /// The sum of the data points.
    Sum,
    /// The number of data points.
    SampleCount,
}

impl Statistic {
    /// The statistic as CloudWatch spells it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Average => "Average",
            Self::Minimum => "Minimum",
            Self::Maximum => "Maximum",
            Self::Sum => "Sum",
            Self::SampleCount => "SampleCount",
        }
    }

    pub(crate) fn to_alarm(self) -> l1_alarm::Statistic {
        match self {
            Self::Average => l1_alarm::Statistic::Average,
            Self::Minimum => l1_alarm::Statistic::Minimum,
            Self::Maximum => l1_alarm::Statistic::Maximum,
            Self::Sum => l1_alarm::Statistic::Sum,
            Self::SampleCount => l1_alarm::Statistic::SampleCount,
        }
    }

    pub(crate) fn to_policy(self) -> l1_policy::Statistic {
        match self {
            Self::Average => l1_policy::Statistic::Average,
            Self::Minimum => l1_policy::Statistic::Minimum,
            Self::Maximum => l1_policy::Statistic::Maximum,
            Self::Sum => l1_policy::Statistic::Sum,
            Self::SampleCount => l1_policy::Statistic::SampleCount,
        }
    }
}

/// The most dimensions CloudWatch accepts on one metric.
pub(crate) const MAX_DIMENSIONS: usize = 30;

/// A CloudWatch metric: a namespace, a name, dimensions, and how it is
/// aggregated (statistic over a period).
///
/// ```
/// use std::time::Duration;
/// use ecscdk::cloudwatch::{Metric, Statistic};
///
/// let queue_depth = Metric::new("AWS/SQS", "ApproximateNumberOfMessagesVisible")
///     .dimension("QueueName", "jobs")
///     .statistic(Statistic::Maximum)
///     .period(Duration::from_secs(60));
/// # let _ = queue_depth;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Metric {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) dimensions: BTreeMap<String, Value<String>>,
    pub(crate) statistic: Statistic,
    pub(crate) period: Duration,
    /// How a dashboard names and colors the metric's line.
    pub(crate) label: Option<String>,
    pub(crate) color: Option<String>,
}

impl Metric {
    /// The metric `name` of `namespace` (`AWS/ECS`, `CPUUtilization`),
    /// averaged over 5 minutes, as the AWS CDK's metrics are.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            name: name.into(),
            dimensions: BTreeMap::new(),
            statistic: Statistic::Average,
            period: Duration::from_secs(300),
            label: None,
            color: None,
        }
    }

    /// Adds a dimension (rendered sorted by name, as the CDK renders them);
    /// a second value for the same name replaces the first.
    ///
    /// CloudFormation default: no dimensions.
    /// ecscdk default: no dimensions.
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        self.dimensions.insert(name.into(), value.into());
        self
    }

    /// How data points are aggregated over the period.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: [`Statistic::Average`], as the CDK.
    pub fn statistic(mut self, statistic: Statistic) -> Self {
        self.statistic = statistic;
        self
    }

    /// The length of one aggregation period: 10, 20 or 30 seconds (high
    /// resolution metrics) or a multiple of 60 seconds. Used by alarms
    /// (step scaling); target tracking uses the metric's own resolution.
    ///
    /// CloudFormation default: none (required by an alarm on a metric).
    /// ecscdk default: 5 minutes, as the CDK.
    pub fn period(mut self, period: Duration) -> Self {
        self.period = period;
        self
    }

    /// The name of the metric's line on a dashboard graph (alarms and
    /// scaling ignore it).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: CloudWatch's (the metric and its dimensions).
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The color of the metric's line on a dashboard graph, `#rrggbb`
    /// (alarms and scaling ignore it).
    ///
    /// CloudFormation default: not applicable.
    /// ecscdk default: CloudWatch's palette.
    pub fn color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// What is wrong with the metric's color, if anything.
    pub(crate) fn color_problem(&self) -> Option<String> {
        let color = self.color.as_deref()?;
        let ok = color.len() == 7
            && color.starts_with('#')
            && color[1..].bytes().all(|b| b.is_ascii_hexdigit());
        (!ok).then(|| format!("color {color:?} of metric {} is not `#rrggbb`", self.name))
    }

    /// The metric's namespace.
    #[must_use]
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The metric's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What is wrong with the metric, if anything: an empty namespace or
    /// name, too many dimensions, or an empty dimension name.
    pub(crate) fn problem(&self) -> Option<String> {
        if self.namespace.is_empty() || self.namespace.len() > 255 {
            return Some(format!(
                "metric namespace {:?} must have 1 to 255 characters",
                self.namespace
            ));
        }
        if self.name.is_empty() || self.name.len() > 255 {
            return Some(format!(
                "metric name {:?} must have 1 to 255 characters",
                self.name
            ));
        }
        if self.dimensions.len() > MAX_DIMENSIONS {
            return Some(format!(
                "metric {} has {} dimensions; CloudWatch accepts at most {MAX_DIMENSIONS}",
                self.name,
                self.dimensions.len()
            ));
        }
        if let Some(bad) = self
            .dimensions
            .keys()
            .find(|k| k.is_empty() || k.len() > 255)
        {
            return Some(format!(
                "dimension name {bad:?} of metric {} must have 1 to 255 characters",
                self.name
            ));
        }
        None
    }

    /// What is wrong with the period for an alarm, if anything.
    pub(crate) fn period_problem(&self) -> Option<String> {
        let p = self.period;
        let secs = p.as_secs();
        let ok = p.subsec_nanos() == 0
            && (matches!(secs, 10 | 20 | 30) || (secs > 0 && secs.is_multiple_of(60)));
        (!ok).then(|| {
            format!(
                "metric period {p:?} is not one CloudWatch alarms accept; use 10, 20 or 30 seconds or a multiple of 60 seconds"
            )
        })
    }

    /// The period in whole seconds (checked by `period_problem`).
    pub(crate) fn period_secs(&self) -> i64 {
        crate::units::whole_seconds(self.period)
    }

    pub(crate) fn alarm_dimensions(&self) -> Option<Value<Vec<Value<l1_alarm::Dimension>>>> {
        (!self.dimensions.is_empty()).then(|| {
            Value::Lit(
                self.dimensions
                    .iter()
                    .map(|(k, v)| Value::Lit(l1_alarm::Dimension::new(k.as_str(), v.clone())))
                    .collect(),
            )
        })
    }

    pub(crate) fn policy_dimensions(
        &self,
    ) -> Option<Value<Vec<Value<l1_policy::MetricDimension>>>> {
        (!self.dimensions.is_empty()).then(|| {
            Value::Lit(
                self.dimensions
                    .iter()
                    .map(|(k, v)| {
                        Value::Lit(l1_policy::MetricDimension::new(k.as_str(), v.clone()))
                    })
                    .collect(),
            )
        })
    }
}

/// A metric math expression over named metrics, e.g. the share of 5XX
/// responses: `100 * errors / requests`. An alarm on it watches the
/// expression's result (its metrics each keep their own statistic and
/// period).
///
/// ```
/// use std::time::Duration;
/// use ecscdk::cloudwatch::{MathExpression, Metric, Statistic};
///
/// let per_minute = |name: &str| {
///     Metric::new("AWS/ApplicationELB", name)
///         .dimension("LoadBalancer", "app/web/123")
///         .statistic(Statistic::Sum)
///         .period(Duration::from_secs(60))
/// };
/// let error_rate = MathExpression::new(
///     "100 * errors / requests",
///     [("errors", per_minute("HTTPCode_Target_5XX_Count")), ("requests", per_minute("RequestCount"))],
/// )
/// .label("Error rate (%)");
/// # let _ = error_rate;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct MathExpression {
    pub(crate) expression: String,
    pub(crate) using: Vec<(String, Metric)>,
    pub(crate) label: Option<String>,
}

impl MathExpression {
    /// `expression` over `using`, each metric named by the id the
    /// expression uses (a lowercase letter, then letters, digits and `_`).
    pub fn new<S: Into<String>>(
        expression: impl Into<String>,
        using: impl IntoIterator<Item = (S, Metric)>,
    ) -> Self {
        Self {
            expression: expression.into(),
            using: using.into_iter().map(|(id, m)| (id.into(), m)).collect(),
            label: None,
        }
    }

    /// The expression's name in the alarm and on graphs.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// What is wrong with the expression for an alarm, if anything.
    pub(crate) fn problem(&self) -> Option<String> {
        if self.expression.trim().is_empty() || self.expression.len() > 2048 {
            return Some("a math expression must have 1 to 2048 characters".to_owned());
        }
        if self.using.is_empty() {
            return Some(format!(
                "the expression {:?} uses no metric; give the metrics it names",
                self.expression
            ));
        }
        for (i, (id, metric)) in self.using.iter().enumerate() {
            let valid = id.len() <= 255
                && id.starts_with(|c: char| c.is_ascii_lowercase())
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Some(format!(
                    "metric id {id:?} must start with a lowercase letter and hold only letters, digits and underscores"
                ));
            }
            if self.using[..i].iter().any(|(other, _)| other == id) {
                return Some(format!("metric id {id:?} is given twice"));
            }
            if let Some(problem) = metric.problem().or_else(|| metric.period_problem()) {
                return Some(problem);
            }
        }
        None
    }
}
