//! `Dashboard`: a CloudWatch dashboard (`AWS::CloudWatch::Dashboard`) of
//! typed widgets laid out in rows, its body rendered as the AWS CDK's
//! `cloudwatch.Dashboard` renders it: compact JSON, the widgets in the CDK's
//! key order and grid positions, and every token (a cluster's name, an
//! alarm's ARN, the region) spliced into an `Fn::Join`.
//!
//! The body format is the CloudWatch API's "Dashboard Body Structure and
//! Syntax".

use crate::cfn::cloudwatch::{CfnDashboard, CfnDashboardRef};
use crate::cloudwatch::{Alarm, Metric, Statistic};
use crate::synth::{Expr, NodeId, Pseudo, Value};
use crate::{Error, Result, Stack};

/// The dashboard grid's width, in columns.
pub const GRID_WIDTH: u32 = 24;

/// The most widgets a dashboard holds (`PutDashboard`).
const MAX_WIDGETS: usize = 500;

/// The most metrics one graph shows.
const MAX_METRICS: usize = 500;

/// The most alarms an alarm-status widget lists.
const MAX_STATUS_ALARMS: usize = 100;

/// Text in Markdown.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct TextWidget {
    markdown: String,
    width: u32,
    height: u32,
}

impl TextWidget {
    /// `markdown`, 6 columns wide and 2 rows high (the CDK's defaults) on a
    /// transparent background.
    pub fn new(markdown: impl Into<String>) -> Self {
        Self {
            markdown: markdown.into(),
            width: 6,
            height: 2,
        }
    }

    /// The width in grid columns (1 to 24).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 6.
    pub fn width(mut self, width: u32) -> Self {
        self.width = width;
        self
    }

    /// The height in grid rows (1 to 1000).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 2, as the CDK.
    pub fn height(mut self, height: u32) -> Self {
        self.height = height;
        self
    }
}

/// Metrics over time, on a left and a right axis.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct GraphWidget {
    title: Option<String>,
    left: Vec<Metric>,
    right: Vec<Metric>,
    left_axis: (Option<f64>, Option<f64>),
    stacked: bool,
    width: u32,
    height: u32,
}

impl GraphWidget {
    /// A graph titled `title`, 6 columns by 6 rows (the CDK's defaults).
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: Some(title.into()),
            left: Vec::new(),
            right: Vec::new(),
            left_axis: (None, None),
            stacked: false,
            width: 6,
            height: 6,
        }
    }

    /// Adds `metric` on the left axis.
    ///
    /// CloudFormation default: no metrics.
    /// ecscdk default: none.
    pub fn left(mut self, metric: Metric) -> Self {
        self.left.push(metric);
        self
    }

    /// Adds `metric` on the right axis.
    ///
    /// CloudFormation default: no metrics.
    /// ecscdk default: none.
    pub fn right(mut self, metric: Metric) -> Self {
        self.right.push(metric);
        self
    }

    /// The left axis' range.
    ///
    /// CloudFormation default: fitted to the data.
    /// ecscdk default: fitted to the data.
    pub fn left_axis_range(mut self, min: Option<f64>, max: Option<f64>) -> Self {
        self.left_axis = (min, max);
        self
    }

    /// Stacks the lines (an area graph).
    ///
    /// CloudFormation default: not stacked.
    /// ecscdk default: not stacked.
    pub fn stacked(mut self) -> Self {
        self.stacked = true;
        self
    }

    /// The width in grid columns (1 to 24).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 6.
    pub fn width(mut self, width: u32) -> Self {
        self.width = width;
        self
    }

    /// The height in grid rows (1 to 1000).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 6, as the CDK.
    pub fn height(mut self, height: u32) -> Self {
        self.height = height;
        self
    }
}

/// The latest value of each metric, as a number.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct SingleValueWidget {
    title: Option<String>,
    metrics: Vec<Metric>,
    width: u32,
    height: u32,
}

impl SingleValueWidget {
    /// The latest values of `metrics`, 6 columns by 3 rows (the CDK's
    /// defaults).
    pub fn new(title: impl Into<String>, metrics: impl IntoIterator<Item = Metric>) -> Self {
        Self {
            title: Some(title.into()),
            metrics: metrics.into_iter().collect(),
            width: 6,
            height: 3,
        }
    }

    /// The width in grid columns (1 to 24).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 6.
    pub fn width(mut self, width: u32) -> Self {
        self.width = width;
        self
    }

    /// The height in grid rows (1 to 1000).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 3, as the CDK.
    pub fn height(mut self, height: u32) -> Self {
        self.height = height;
        self
    }
}

/// An alarm's metric graphed against its threshold.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct AlarmWidget {
    title: Option<String>,
    alarm: Alarm,
    width: u32,
    height: u32,
}

impl AlarmWidget {
    /// `alarm`'s graph, 6 columns by 6 rows (the CDK's defaults).
    pub fn new(title: impl Into<String>, alarm: Alarm) -> Self {
        Self {
            title: Some(title.into()),
            alarm,
            width: 6,
            height: 6,
        }
    }

    /// The width in grid columns (1 to 24).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 6.
    pub fn width(mut self, width: u32) -> Self {
        self.width = width;
        self
    }

    /// The height in grid rows (1 to 1000).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 6, as the CDK.
    pub fn height(mut self, height: u32) -> Self {
        self.height = height;
        self
    }
}

/// The states of alarms, at a glance.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct AlarmStatusWidget {
    title: String,
    alarms: Vec<Alarm>,
    width: u32,
    height: u32,
}

impl AlarmStatusWidget {
    /// The states of `alarms` (1 to 100), titled "Alarm Status", 6 columns
    /// by 3 rows (the CDK's defaults).
    pub fn new(alarms: impl IntoIterator<Item = Alarm>) -> Self {
        Self {
            title: "Alarm Status".to_owned(),
            alarms: alarms.into_iter().collect(),
            width: 6,
            height: 3,
        }
    }

    /// The title.
    ///
    /// CloudFormation default: none.
    /// ecscdk default: "Alarm Status", as the CDK.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The width in grid columns (1 to 24).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 6.
    pub fn width(mut self, width: u32) -> Self {
        self.width = width;
        self
    }

    /// The height in grid rows (1 to 1000).
    ///
    /// CloudFormation default: 6 (the dashboard API's).
    /// ecscdk default: 3, as the CDK.
    pub fn height(mut self, height: u32) -> Self {
        self.height = height;
        self
    }
}

/// One widget of a dashboard.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Widget {
    /// Markdown text.
    Text(TextWidget),
    /// Metrics over time.
    Graph(GraphWidget),
    /// Latest values.
    SingleValue(SingleValueWidget),
    /// One alarm's graph.
    Alarm(AlarmWidget),
    /// Alarm states.
    AlarmStatus(AlarmStatusWidget),
}

macro_rules! widget_from {
    ($($ty:ident => $variant:ident),*) => {$(
        impl From<$ty> for Widget {
            fn from(w: $ty) -> Self {
                Self::$variant(w)
            }
        }
    )*};
}
widget_from!(TextWidget => Text, GraphWidget => Graph, SingleValueWidget => SingleValue,
    AlarmWidget => Alarm, AlarmStatusWidget => AlarmStatus);

impl Widget {
    fn size(&self) -> (u32, u32) {
        match self {
            Self::Text(w) => (w.width, w.height),
            Self::Graph(w) => (w.width, w.height),
            Self::SingleValue(w) => (w.width, w.height),
            Self::Alarm(w) => (w.width, w.height),
            Self::AlarmStatus(w) => (w.width, w.height),
        }
    }

    fn metrics(&self) -> Vec<&Metric> {
        match self {
            Self::Graph(w) => w.left.iter().chain(&w.right).collect(),
            Self::SingleValue(w) => w.metrics.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// What CloudWatch would refuse in the widget, if anything.
    fn problem(&self) -> Option<String> {
        let (width, height) = self.size();
        if !(1..=GRID_WIDTH).contains(&width) {
            return Some(format!(
                "a widget {width} columns wide; the grid has 1 to {GRID_WIDTH}"
            ));
        }
        if !(1..=1000).contains(&height) {
            return Some(format!("a widget {height} rows high; give 1 to 1000"));
        }
        let metrics = self.metrics();
        if metrics.len() > MAX_METRICS {
            return Some(format!(
                "{} metrics in one widget; at most {MAX_METRICS}",
                metrics.len()
            ));
        }
        if let Some(problem) = metrics
            .iter()
            .find_map(|m| m.problem().or_else(|| m.color_problem()))
        {
            return Some(problem);
        }
        match self {
            Self::Text(w) if w.markdown.is_empty() => {
                Some("a text widget without markdown; give it some text".to_owned())
            }
            Self::SingleValue(w) if w.metrics.is_empty() => {
                Some("a single-value widget without metrics".to_owned())
            }
            Self::AlarmStatus(w) if w.alarms.is_empty() || w.alarms.len() > MAX_STATUS_ALARMS => {
                Some(format!(
                    "an alarm-status widget of {} alarms; give 1 to {MAX_STATUS_ALARMS}",
                    w.alarms.len()
                ))
            }
            _ => None,
        }
    }
}

/// A CloudWatch dashboard. A copyable handle; its resource is the child
/// `Resource`, as the AWS CDK's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dashboard {
    node: NodeId,
    resource: CfnDashboardRef,
}

impl Dashboard {
    /// A builder for the dashboard `id`.
    pub fn builder(id: impl Into<String>) -> DashboardBuilder {
        DashboardBuilder {
            id: id.into(),
            name: None,
            rows: Vec::new(),
        }
    }

    /// The construct node (parent of `Resource`).
    #[must_use]
    pub fn node(self) -> NodeId {
        self.node
    }

    /// The `AWS::CloudWatch::Dashboard` resource.
    #[must_use]
    pub fn resource(self) -> CfnDashboardRef {
        self.resource
    }

    /// The dashboard's name (`Ref`).
    #[must_use]
    pub fn name(self) -> Expr<String> {
        self.resource.reference()
    }
}

/// Builds a [`Dashboard`].
#[derive(Debug, Clone)]
#[must_use]
pub struct DashboardBuilder {
    id: String,
    name: Option<String>,
    rows: Vec<Vec<Widget>>,
}

impl DashboardBuilder {
    /// The dashboard's name (1 to 255 letters, digits, `-` and `_`;
    /// dashboards are global to the account, not regional).
    ///
    /// CloudFormation default: generated from the logical ID.
    /// ecscdk default: generated.
    pub fn dashboard_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds a row of widgets below the previous rows, left to right; a
    /// widget that does not fit in the 24 columns wraps below the row's
    /// widgets so far (as the CDK's `addWidgets`).
    ///
    /// CloudFormation default: no widgets (`DashboardBody` is required).
    /// ecscdk default: no rows (an empty dashboard).
    pub fn row<W: Into<Widget>>(mut self, widgets: impl IntoIterator<Item = W>) -> Self {
        self.rows
            .push(widgets.into_iter().map(Into::into).collect());
        self
    }

    /// Adds the dashboard at the stack's root.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a name CloudWatch refuses, more than
    /// 500 widgets, a widget wider than the grid or higher than 1000 rows,
    /// a graph of more than 500 metrics or a metric CloudWatch refuses (a
    /// color that is not `#rrggbb`), an empty text or single-value widget,
    /// or an alarm-status widget of no or over 100 alarms;
    /// [`Error::DuplicateId`] for a taken id.
    pub fn build(self, stack: &mut Stack) -> Result<Dashboard> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// As [`build`](Self::build), under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<Dashboard> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        if let Some(name) = &self.name
            && !crate::validation::is_simple_name(name, 255)
        {
            return Err(invalid(
                "dashboard_name",
                format!("{name:?} must have 1 to 255 letters, digits, hyphens or underscores"),
            ));
        }
        let count: usize = self.rows.iter().map(Vec::len).sum();
        if count > MAX_WIDGETS {
            return Err(invalid(
                "row",
                format!("{count} widgets; a dashboard holds at most {MAX_WIDGETS}"),
            ));
        }
        if let Some(problem) = self.rows.iter().flatten().find_map(Widget::problem) {
            return Err(invalid("row", problem));
        }
        let node = stack.scope_of_type(parent, &self.id, "ecscdk.cloudwatch.Dashboard")?;
        let resource = stack.add(
            node,
            "Resource",
            CfnDashboard {
                dashboard_name: self.name.map(Value::Lit),
                ..CfnDashboard::new(render_body(&self.rows))
            },
        )?;
        Ok(Dashboard { node, resource })
    }
}

/// Compact JSON whose string values may be tokens: the literal text, and
/// each token spliced in between (the CDK's `Stack.toJsonString`).
#[derive(Default)]
struct Body {
    parts: Vec<Value<String>>,
    text: String,
}

impl Body {
    fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn string(&mut self, s: &str) {
        // serde_json writes strings as JSON.stringify does.
        self.text
            .push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned()));
    }

    fn value(&mut self, v: &Value<String>) {
        match v {
            Value::Lit(s) => self.string(s),
            Value::Expr(e) => {
                self.text.push('"');
                self.parts.push(Value::Lit(std::mem::take(&mut self.text)));
                self.parts.push(Value::Expr(e.clone()));
                self.text.push('"');
            }
        }
    }

    fn number(&mut self, n: f64) {
        // As JavaScript prints numbers: whole ones without a fraction.
        if n.fract() == 0.0 && n.abs() < 1e15 {
            self.text.push_str(&format!("{}", n as i64));
        } else {
            self.text.push_str(&format!("{n}"));
        }
    }

    fn finish(mut self) -> Value<String> {
        if self.parts.is_empty() {
            return Value::Lit(self.text);
        }
        self.parts.push(Value::Lit(self.text));
        Value::from(Expr::join("", self.parts))
    }
}

/// The dashboard body: `{"widgets":[…]}`, laid out as the CDK lays out rows
/// in a column.
fn render_body(rows: &[Vec<Widget>]) -> Value<String> {
    let mut body = Body::default();
    body.raw("{\"widgets\":[");
    let mut first = true;
    let mut top = 0;
    for row in rows {
        let (mut x, mut y, mut height) = (0, 0, 0);
        for widget in row {
            let (w, h) = widget.size();
            if x + w > GRID_WIDTH {
                y = height;
                x = 0;
            }
            if !first {
                body.raw(",");
            }
            first = false;
            render_widget(&mut body, widget, x, top + y);
            height = height.max(y + h);
            x += w;
        }
        top += height;
    }
    body.raw("]}");
    body.finish()
}

fn render_widget(body: &mut Body, widget: &Widget, x: u32, y: u32) {
    let (width, height) = widget.size();
    let kind = match widget {
        Widget::Text(_) => "text",
        Widget::AlarmStatus(_) => "alarm",
        _ => "metric",
    };
    body.raw(&format!(
        "{{\"type\":\"{kind}\",\"width\":{width},\"height\":{height},\"x\":{x},\"y\":{y},\"properties\":{{"
    ));
    let region = Value::from(Pseudo::region());
    match widget {
        Widget::Text(w) => {
            body.raw("\"markdown\":");
            body.string(&w.markdown);
            body.raw(",\"background\":\"transparent\"");
        }
        Widget::Graph(w) => {
            body.raw("\"view\":\"timeSeries\"");
            title(body, w.title.as_deref());
            body.raw(",\"region\":");
            body.value(&region);
            if w.stacked {
                body.raw(",\"stacked\":true");
            }
            let mut seen: Vec<&Metric> = Vec::new();
            let metrics: Vec<(&Metric, bool)> = w
                .left
                .iter()
                .map(|m| (m, false))
                .chain(w.right.iter().map(|m| (m, true)))
                .filter(|(m, _)| {
                    let fresh = !seen.iter().any(|s| same_series(s, m));
                    if fresh {
                        seen.push(m);
                    }
                    fresh
                })
                .collect();
            if !metrics.is_empty() {
                body.raw(",\"metrics\":[");
                for (i, (metric, right)) in metrics.iter().enumerate() {
                    if i > 0 {
                        body.raw(",");
                    }
                    render_metric(body, metric, *right);
                }
                body.raw("]");
            }
            body.raw(",\"yAxis\":{");
            if w.left_axis != (None, None) {
                body.raw("\"left\":{");
                let mut parts = Vec::new();
                if let Some(min) = w.left_axis.0 {
                    parts.push(("min", min));
                }
                if let Some(max) = w.left_axis.1 {
                    parts.push(("max", max));
                }
                for (i, (key, n)) in parts.into_iter().enumerate() {
                    if i > 0 {
                        body.raw(",");
                    }
                    body.raw(&format!("\"{key}\":"));
                    body.number(n);
                }
                body.raw("}");
            }
            body.raw("}");
        }
        Widget::SingleValue(w) => {
            body.raw("\"view\":\"singleValue\"");
            title(body, w.title.as_deref());
            body.raw(",\"region\":");
            body.value(&region);
            body.raw(",\"metrics\":[");
            for (i, metric) in w.metrics.iter().enumerate() {
                if i > 0 {
                    body.raw(",");
                }
                render_metric(body, metric, false);
            }
            body.raw("]");
        }
        Widget::Alarm(w) => {
            body.raw("\"view\":\"timeSeries\"");
            title(body, w.title.as_deref());
            body.raw(",\"region\":");
            body.value(&region);
            body.raw(",\"annotations\":{\"alarms\":[");
            body.value(&w.alarm.arn().into());
            body.raw("]},\"yAxis\":{}");
        }
        Widget::AlarmStatus(w) => {
            body.raw("\"title\":");
            body.string(&w.title);
            body.raw(",\"alarms\":[");
            for (i, alarm) in w.alarms.iter().enumerate() {
                if i > 0 {
                    body.raw(",");
                }
                body.value(&alarm.arn().into());
            }
            body.raw("]");
        }
    }
    body.raw("}}");
}

fn title(body: &mut Body, title: Option<&str>) {
    if let Some(t) = title {
        body.raw(",\"title\":");
        body.string(t);
    }
}

/// Whether two metrics draw the same line (the CDK shows it once).
fn same_series(a: &Metric, b: &Metric) -> bool {
    a.namespace == b.namespace
        && a.name == b.name
        && a.dimensions == b.dimensions
        && a.statistic == b.statistic
        && a.period == b.period
}

/// `[namespace, name, dimension, value, …, {options}]`, dimensions sorted by
/// name, the options holding only what differs from CloudWatch's defaults
/// (`color`, `label`, `period` if not 300 s, `stat` if not `Average`,
/// `yAxis` if right), in the CDK's order.
fn render_metric(body: &mut Body, metric: &Metric, right: bool) {
    body.raw("[");
    body.string(&metric.namespace);
    body.raw(",");
    body.string(&metric.name);
    for (name, value) in &metric.dimensions {
        body.raw(",");
        body.string(name);
        body.raw(",");
        body.value(value);
    }
    let mut options: Vec<(&str, String)> = Vec::new();
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    if let Some(color) = &metric.color {
        options.push(("color", quote(color)));
    }
    if let Some(label) = &metric.label {
        options.push(("label", quote(label)));
    }
    if metric.period.as_secs() != 300 {
        options.push(("period", metric.period.as_secs().to_string()));
    }
    if metric.statistic != Statistic::Average {
        options.push(("stat", quote(metric.statistic.as_str())));
    }
    if right {
        options.push(("yAxis", quote("right")));
    }
    if !options.is_empty() {
        body.raw(",{");
        for (i, (key, value)) in options.iter().enumerate() {
            if i > 0 {
                body.raw(",");
            }
            body.raw(&format!("\"{key}\":{value}"));
        }
        body.raw("}");
    }
    body.raw("]");
}
