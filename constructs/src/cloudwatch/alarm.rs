//! `Alarm`: a CloudWatch alarm on one metric (`AWS::CloudWatch::Alarm`),
//! as the AWS CDK's `cloudwatch.Alarm` renders it: the construct `<id>`
//! with its resource `<id>/Resource`.

use std::time::Duration;

use crate::cfn::cloudwatch::alarm as l1;
use crate::cfn::cloudwatch::{CfnAlarm, CfnAlarmRef};
use crate::cloudwatch::{MathExpression, Metric};
use crate::synth::{Expr, NodeId, Value};
use crate::{Error, Result, Stack};

/// The longest time an alarm may look back, its period times its
/// evaluation periods: seven days, and one day for periods under an hour
/// (CloudWatch `PutMetricAlarm`, `Period`).
const MAX_EVALUATION_SECS: u64 = 7 * 24 * 60 * 60;

/// The longest look-back for a period under an hour.
const MAX_SHORT_PERIOD_EVALUATION_SECS: u64 = 24 * 60 * 60;

/// How the metric is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Comparison {
    /// Metric ≥ threshold.
    #[default]
    GreaterThanOrEqual,
    /// Metric > threshold.
    GreaterThan,
    /// Metric < threshold.
    LessThan,
    /// Metric ≤ threshold.
    LessThanOrEqual,
}

impl Comparison {
    fn to_l1(self) -> l1::ComparisonOperator {
        match self {
            Self::GreaterThanOrEqual => l1::ComparisonOperator::GreaterThanOrEqualToThreshold,
            Self::GreaterThan => l1::ComparisonOperator::GreaterThanThreshold,
            Self::LessThan => l1::ComparisonOperator::LessThanThreshold,
            Self::LessThanOrEqual => l1::ComparisonOperator::LessThanOrEqualToThreshold,
        }
    }
}

/// What a period without data counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TreatMissingData {
    /// As breaching the threshold.
    Breaching,
    /// As within the threshold.
    NotBreaching,
    /// Not at all: the alarm keeps its state.
    Ignore,
    /// As missing: the alarm goes to `INSUFFICIENT_DATA`.
    Missing,
}

impl TreatMissingData {
    fn to_l1(self) -> l1::TreatMissingData {
        match self {
            Self::Breaching => l1::TreatMissingData::Breaching,
            Self::NotBreaching => l1::TreatMissingData::NotBreaching,
            Self::Ignore => l1::TreatMissingData::Ignore,
            Self::Missing => l1::TreatMissingData::Missing,
        }
    }
}

/// A CloudWatch alarm on one [`Metric`].
///
/// ```
/// use ecscdk::cloudwatch::{Alarm, Comparison, Metric, TreatMissingData};
/// use ecscdk::Stack;
///
/// let mut stack = Stack::new("Web");
/// let cpu = Metric::new("AWS/ECS", "CPUUtilization")
///     .dimension("ClusterName", "web")
///     .dimension("ServiceName", "api");
/// let alarm = Alarm::builder("HighCpu", cpu, 80.0)
///     .evaluation_periods(3)
///     .datapoints_to_alarm(2)
///     .treat_missing_data(TreatMissingData::NotBreaching)
///     .alarm_action("arn:aws:sns:us-east-1:123456789012:oncall")
///     .build(&mut stack)?;
/// # let _ = alarm;
/// # Ok::<(), ecscdk::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alarm {
    node: NodeId,
    resource: CfnAlarmRef,
}

impl Alarm {
    /// A builder for the alarm `id` on `metric`, in alarm when the metric
    /// compares with `threshold` (by default: is at least it).
    pub fn builder(id: impl Into<String>, metric: Metric, threshold: f64) -> AlarmBuilder {
        AlarmBuilder {
            id: id.into(),
            metric,
            expression: None,
            threshold,
            comparison: Comparison::default(),
            evaluation_periods: 1,
            datapoints: None,
            missing: None,
            description: None,
            name: None,
            alarm_actions: Vec::new(),
            ok_actions: Vec::new(),
            insufficient_data_actions: Vec::new(),
            unusable_topic: None,
        }
    }

    /// A builder for the alarm `id` on the result of a math `expression`
    /// (rendered as the CDK renders an alarm on a `MathExpression`: the
    /// expression `expr_1`, then each metric by its id, not returned).
    pub fn on_expression(
        id: impl Into<String>,
        expression: MathExpression,
        threshold: f64,
    ) -> AlarmBuilder {
        // The first metric stands in where one metric is read (its
        // period bounds the look-back); the expression is what renders.
        let metric = expression
            .using
            .first()
            .map_or_else(|| Metric::new("", ""), |(_, m)| m.clone());
        AlarmBuilder {
            expression: Some(expression),
            ..Self::builder(id, metric, threshold)
        }
    }

    /// The construct node (parent of `Resource`).
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The `AWS::CloudWatch::Alarm` resource.
    #[must_use]
    pub fn resource(self) -> CfnAlarmRef {
        self.resource
    }

    /// The alarm's ARN (`Fn::GetAtt Arn`), for deployment alarms, composite
    /// alarms and dashboards.
    #[must_use]
    pub fn arn(self) -> Expr<String> {
        self.resource.attr_arn()
    }

    /// The alarm's name (`Ref`).
    #[must_use]
    pub fn name(self) -> Expr<String> {
        self.resource.reference()
    }
}

/// Builds an [`Alarm`].
#[derive(Debug, Clone)]
#[must_use]
pub struct AlarmBuilder {
    id: String,
    metric: Metric,
    expression: Option<MathExpression>,
    threshold: f64,
    comparison: Comparison,
    evaluation_periods: u32,
    datapoints: Option<u32>,
    missing: Option<TreatMissingData>,
    description: Option<String>,
    name: Option<String>,
    alarm_actions: Vec<Value<String>>,
    ok_actions: Vec<Value<String>>,
    insufficient_data_actions: Vec<Value<String>>,
    /// The first action given as a topic CloudWatch cannot publish to.
    unusable_topic: Option<&'static str>,
}

impl AlarmBuilder {
    /// How the metric is compared with the threshold.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: [`Comparison::GreaterThanOrEqual`], as the CDK.
    pub fn comparison(mut self, comparison: Comparison) -> Self {
        self.comparison = comparison;
        self
    }

    /// How many of the latest periods are evaluated (the metric's period
    /// each); their total may not exceed seven days (one day for periods
    /// under an hour).
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: 1.
    pub fn evaluation_periods(mut self, periods: u32) -> Self {
        self.evaluation_periods = periods;
        self
    }

    /// How many of the evaluated periods must breach ("M out of N"); at
    /// most [`evaluation_periods`](Self::evaluation_periods).
    ///
    /// CloudFormation default: all the evaluated periods.
    /// ecscdk default: omitted (all).
    pub fn datapoints_to_alarm(mut self, datapoints: u32) -> Self {
        self.datapoints = Some(datapoints);
        self
    }

    /// What a period without data counts as.
    ///
    /// CloudFormation default: `missing`.
    /// ecscdk default: omitted (`missing`).
    pub fn treat_missing_data(mut self, treat: TreatMissingData) -> Self {
        self.missing = Some(treat);
        self
    }

    /// The alarm's description (at most 1,024 characters).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The alarm's name (at most 255 characters). A fixed name makes any
    /// change that replaces the alarm fail; leave it to CloudFormation
    /// unless something outside the app looks the alarm up by name.
    ///
    /// CloudFormation default: a name made from the stack and logical ID.
    /// ecscdk default: CloudFormation's.
    pub fn alarm_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// An action when the alarm goes to `ALARM`: an SNS topic's ARN (or
    /// another action ARN CloudWatch takes). Repeatable, at most 5.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn alarm_action(mut self, arn: impl Into<Value<String>>) -> Self {
        self.alarm_actions.push(arn.into());
        self
    }

    /// Notifies `topic` when the alarm goes to `ALARM` (an alarm action on
    /// its ARN). The topic's key must let CloudWatch publish: a topic
    /// encrypted with the AWS managed `alias/aws/sns` fails at `build()`.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn alarm_topic(mut self, topic: crate::sns::Topic) -> Self {
        if !topic.cloudwatch_can_publish() {
            self.unusable_topic.get_or_insert("alarm_topic");
        }
        self.alarm_actions.push(topic.arn().into());
        self
    }

    /// Notifies `topic` when the alarm goes back to `OK` (checked as
    /// [`alarm_topic`](Self::alarm_topic)).
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn ok_topic(mut self, topic: crate::sns::Topic) -> Self {
        if !topic.cloudwatch_can_publish() {
            self.unusable_topic.get_or_insert("ok_topic");
        }
        self.ok_actions.push(topic.arn().into());
        self
    }

    /// An action when the alarm goes back to `OK`. Repeatable, at most 5.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn ok_action(mut self, arn: impl Into<Value<String>>) -> Self {
        self.ok_actions.push(arn.into());
        self
    }

    /// An action when the alarm goes to `INSUFFICIENT_DATA`. Repeatable, at
    /// most 5.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: none.
    pub fn insufficient_data_action(mut self, arn: impl Into<Value<String>>) -> Self {
        self.insufficient_data_actions.push(arn.into());
        self
    }

    /// Adds the alarm at the stack's root.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a metric CloudWatch refuses (empty
    /// names, more than 30 dimensions, a period alarms do not take), a
    /// threshold that is not a finite number, no evaluation period, more
    /// data points than evaluated periods, a look-back over seven days (a
    /// day for periods under an hour), a description or name too long, an
    /// action that is not an ARN, a topic CloudWatch cannot publish to, or
    /// more than 5 actions of one kind; [`Error::DuplicateId`] for a taken id.
    pub fn build(self, stack: &mut Stack) -> Result<Alarm> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// As [`build`](Self::build), under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Alarm> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if let Some(expression) = &self.expression {
            if let Some(problem) = expression.problem() {
                return Err(invalid("expression", problem));
            }
        } else if let Some(problem) = self.metric.problem() {
            return Err(invalid("metric", problem));
        }
        if let Some(problem) = self.metric.period_problem() {
            return Err(invalid("metric", problem));
        }
        if !self.threshold.is_finite() {
            return Err(invalid(
                "threshold",
                format!("{} is not a finite number", self.threshold),
            ));
        }
        if self.evaluation_periods == 0 {
            return Err(invalid(
                "evaluation_periods",
                "0; evaluate at least 1 period".to_owned(),
            ));
        }
        if let Some(datapoints) = self.datapoints
            && (datapoints == 0 || datapoints > self.evaluation_periods)
        {
            return Err(invalid(
                "datapoints_to_alarm",
                format!(
                    "{datapoints} of {} evaluated periods; give 1 to {}",
                    self.evaluation_periods, self.evaluation_periods
                ),
            ));
        }
        let period = self.metric.period.as_secs();
        let limit = if period < 3600 {
            MAX_SHORT_PERIOD_EVALUATION_SECS
        } else {
            MAX_EVALUATION_SECS
        };
        let look_back = period.saturating_mul(u64::from(self.evaluation_periods));
        if look_back > limit {
            return Err(invalid(
                "evaluation_periods",
                format!(
                    "{} periods of {:?} look back {:?}; CloudWatch looks back at most {:?} at this period: evaluate fewer periods or use a longer period",
                    self.evaluation_periods,
                    self.metric.period,
                    Duration::from_secs(look_back),
                    Duration::from_secs(limit)
                ),
            ));
        }
        if let Some(d) = &self.description
            && d.chars().count() > 1024
        {
            return Err(invalid(
                "description",
                format!("{} characters; at most 1024", d.chars().count()),
            ));
        }
        if let Some(n) = &self.name
            && (n.is_empty() || n.chars().count() > 255)
        {
            return Err(invalid(
                "alarm_name",
                format!("{n:?} must have 1 to 255 characters"),
            ));
        }
        for (property, actions) in [
            ("alarm_action", &self.alarm_actions),
            ("ok_action", &self.ok_actions),
            ("insufficient_data_action", &self.insufficient_data_actions),
        ] {
            if actions.len() > 5 {
                return Err(invalid(
                    property,
                    format!("{} actions; CloudWatch takes at most 5", actions.len()),
                ));
            }
            if let Some(Value::Lit(bad)) = actions
                .iter()
                .find(|a| matches!(a, Value::Lit(arn) if !arn.starts_with("arn:")))
            {
                return Err(invalid(
                    property,
                    format!(
                        "{bad:?} is not an ARN; give an SNS topic's ARN (`arn:aws:sns:…`) or another action's"
                    ),
                ));
            }
        }
        if let Some(property) = self.unusable_topic {
            return Err(invalid(
                property,
                "the topic is encrypted with the AWS managed key `alias/aws/sns`, which CloudWatch cannot use, so no notification would arrive; encrypt it with `TopicEncryption::OwnKey` (the default) or a key whose policy lets `cloudwatch.amazonaws.com` use it".to_owned(),
            ));
        }
        let actions = |list: Vec<Value<String>>| (!list.is_empty()).then(|| Value::Lit(list));
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.cloudwatch.Alarm")?;
        let evaluation_periods = i64::from(self.evaluation_periods);
        let single = self.expression.is_none();
        let metrics = self.expression.as_ref().map(render_expression);
        let resource = stack.add(
            node,
            "Resource",
            CfnAlarm {
                metrics,
                actions_enabled: None,
                alarm_actions: actions(self.alarm_actions),
                alarm_description: self.description.map(Value::Lit),
                alarm_name: self.name.map(Value::Lit),
                comparison_operator: Some(Value::Lit(self.comparison.to_l1())),
                datapoints_to_alarm: self.datapoints.map(|d| Value::Lit(i64::from(d))),
                dimensions: single.then(|| self.metric.alarm_dimensions()).flatten(),
                evaluation_periods: Some(Value::Lit(evaluation_periods)),
                insufficient_data_actions: actions(self.insufficient_data_actions),
                metric_name: single.then(|| Value::Lit(self.metric.name.clone())),
                namespace: single.then(|| Value::Lit(self.metric.namespace.clone())),
                ok_actions: actions(self.ok_actions),
                period: single.then(|| Value::Lit(self.metric.period_secs())),
                statistic: single.then(|| Value::Lit(self.metric.statistic.to_alarm())),
                threshold: Some(Value::Lit(self.threshold)),
                treat_missing_data: self.missing.map(|t| Value::Lit(t.to_l1())),
                ..CfnAlarm::default()
            },
        )?;
        Ok(Alarm { node, resource })
    }
}

/// An alarm's `Metrics`: the expression `expr_1` (returned), then each
/// metric by its id (not returned), as the CDK renders them.
fn render_expression(expression: &MathExpression) -> Value<Vec<Value<l1::MetricDataQuery>>> {
    let mut queries = vec![Value::Lit(l1::MetricDataQuery {
        expression: Some(Value::Lit(expression.expression.clone())),
        label: expression.label.clone().map(Value::Lit),
        return_data: Some(Value::Lit(true)),
        ..l1::MetricDataQuery::new("expr_1")
    })];
    for (id, metric) in &expression.using {
        queries.push(Value::Lit(l1::MetricDataQuery {
            metric_stat: Some(Value::Lit(l1::MetricStat::new(
                l1::Metric {
                    dimensions: metric.alarm_dimensions(),
                    metric_name: Some(Value::Lit(metric.name.clone())),
                    namespace: Some(Value::Lit(metric.namespace.clone())),
                },
                metric.period_secs(),
                metric.statistic.as_str(),
            ))),
            return_data: Some(Value::Lit(false)),
            ..l1::MetricDataQuery::new(id.as_str())
        }));
    }
    Value::Lit(queries)
}
