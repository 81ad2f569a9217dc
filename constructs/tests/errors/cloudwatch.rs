//! Bad inputs of `cloudwatch::Alarm`.
#![allow(clippy::unwrap_used, reason = "tests: a failure is the test's")]

#[allow(unused_imports)]
use super::*;

use std::time::Duration;

use ecscdk::cloudwatch::{Alarm, AlarmBuilder, Metric};

fn cpu() -> Metric {
    Metric::new("AWS/ECS", "CPUUtilization").dimension("ClusterName", "web")
}

fn alarm_error(builder: AlarmBuilder) -> Error {
    let mut stack = web_stack();
    builder.build(&mut stack).unwrap_err()
}

#[test]
fn rejects_a_threshold_that_is_not_a_number() {
    for threshold in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = alarm_error(Alarm::builder("High", cpu(), threshold));
        assert_invalid(&err, "Web/High", "threshold");
    }
    let err = alarm_error(Alarm::builder("High", cpu(), f64::NAN));
    insta::assert_snapshot!(err, @"[Web/High] threshold: NaN is not a finite number");
}

#[test]
fn rejects_no_evaluation_period_and_more_datapoints_than_periods() {
    let err = alarm_error(Alarm::builder("High", cpu(), 80.0).evaluation_periods(0));
    assert_invalid(&err, "Web/High", "evaluation_periods");
    insta::assert_snapshot!(err, @"[Web/High] evaluation_periods: 0; evaluate at least 1 period");
    let err = alarm_error(
        Alarm::builder("High", cpu(), 80.0)
            .evaluation_periods(3)
            .datapoints_to_alarm(4),
    );
    assert_invalid(&err, "Web/High", "datapoints_to_alarm");
    insta::assert_snapshot!(err, @"[Web/High] datapoints_to_alarm: 4 of 3 evaluated periods; give 1 to 3");
    let err = alarm_error(Alarm::builder("High", cpu(), 80.0).datapoints_to_alarm(0));
    assert_invalid(&err, "Web/High", "datapoints_to_alarm");
}

#[test]
fn rejects_a_look_back_over_a_day_or_seven_days_for_hourly_periods() {
    // 289 periods of 5 minutes: a day and 5 minutes.
    let err = alarm_error(Alarm::builder("High", cpu(), 80.0).evaluation_periods(289));
    assert_invalid(&err, "Web/High", "evaluation_periods");
    insta::assert_snapshot!(err, @"[Web/High] evaluation_periods: 289 periods of 300s look back 86700s; CloudWatch looks back at most 86400s at this period: evaluate fewer periods or use a longer period");
    // 288 is a day exactly; at high resolution a day is 8,640 periods.
    let mut stack = web_stack();
    Alarm::builder("Day", cpu(), 80.0)
        .evaluation_periods(288)
        .build(&mut stack)
        .unwrap();
    let fast = cpu().period(Duration::from_secs(10));
    let err = alarm_error(Alarm::builder("High", fast.clone(), 80.0).evaluation_periods(8641));
    assert_invalid(&err, "Web/High", "evaluation_periods");
    Alarm::builder("FastDay", fast, 80.0)
        .evaluation_periods(8640)
        .build(&mut stack)
        .unwrap();
    // Hourly periods look back up to seven days.
    let hourly = cpu().period(Duration::from_secs(3600));
    Alarm::builder("Week", hourly.clone(), 80.0)
        .evaluation_periods(168)
        .build(&mut stack)
        .unwrap();
    let err = alarm_error(Alarm::builder("High", hourly, 80.0).evaluation_periods(169));
    assert_invalid(&err, "Web/High", "evaluation_periods");
    // A huge count does not overflow.
    let err = alarm_error(Alarm::builder("High", cpu(), 80.0).evaluation_periods(u32::MAX));
    assert_invalid(&err, "Web/High", "evaluation_periods");
}

#[test]
fn rejects_a_metric_cloudwatch_refuses() {
    let err = alarm_error(Alarm::builder(
        "High",
        Metric::new("", "CPUUtilization"),
        80.0,
    ));
    assert_invalid(&err, "Web/High", "metric");
    let err = alarm_error(Alarm::builder(
        "High",
        cpu().period(Duration::from_secs(90)),
        80.0,
    ));
    assert_invalid(&err, "Web/High", "metric");
    insta::assert_snapshot!(err, @"[Web/High] metric: metric period 90s is not one CloudWatch alarms accept; use 10, 20 or 30 seconds or a multiple of 60 seconds");
    let mut many = cpu();
    for i in 0..31 {
        many = many.dimension(format!("D{i}"), "x");
    }
    let err = alarm_error(Alarm::builder("High", many, 80.0));
    assert_invalid(&err, "Web/High", "metric");
}

#[test]
fn rejects_long_names_and_descriptions_and_too_many_actions() {
    let err = alarm_error(Alarm::builder("High", cpu(), 80.0).description("x".repeat(1025)));
    assert_invalid(&err, "Web/High", "description");
    let err = alarm_error(Alarm::builder("High", cpu(), 80.0).alarm_name("n".repeat(256)));
    assert_invalid(&err, "Web/High", "alarm_name");
    let err = alarm_error(Alarm::builder("High", cpu(), 80.0).alarm_name(""));
    assert_invalid(&err, "Web/High", "alarm_name");
    let mut builder = Alarm::builder("High", cpu(), 80.0);
    for i in 0..6 {
        builder = builder.ok_action(format!("arn:aws:sns:us-east-1:123456789012:t{i}"));
    }
    let err = alarm_error(builder);
    assert_invalid(&err, "Web/High", "ok_action");
    insta::assert_snapshot!(err, @"[Web/High] ok_action: 6 actions; CloudWatch takes at most 5");
}

#[test]
fn rejects_a_taken_id() {
    let mut stack = web_stack();
    Alarm::builder("High", cpu(), 80.0)
        .build(&mut stack)
        .unwrap();
    let err = Alarm::builder("High", cpu(), 90.0)
        .build(&mut stack)
        .unwrap_err();
    assert!(matches!(err, Error::DuplicateId { .. }), "{err:?}");
}

#[test]
fn rejects_an_action_that_is_not_an_arn() {
    let err = alarm_error(Alarm::builder("High", cpu(), 80.0).alarm_action("oncall"));
    assert_invalid(&err, "Web/High", "alarm_action");
    insta::assert_snapshot!(err, @r#"[Web/High] alarm_action: "oncall" is not an ARN; give an SNS topic's ARN (`arn:aws:sns:…`) or another action's"#);
}

#[test]
fn rejects_an_alarm_topic_cloudwatch_cannot_publish_to() {
    use ecscdk::sns::{Topic, TopicEncryption};
    let mut stack = web_stack();
    let topic = Topic::builder("Alerts")
        .encryption(TopicEncryption::Kms("alias/aws/sns".into()))
        .build(&mut stack)
        .unwrap();
    assert!(!topic.cloudwatch_can_publish());
    let err = Alarm::builder("High", cpu(), 80.0)
        .alarm_topic(topic)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/High", "alarm_topic");
    insta::assert_snapshot!(err, @"[Web/High] alarm_topic: the topic is encrypted with the AWS managed key `alias/aws/sns`, which CloudWatch cannot use, so no notification would arrive; encrypt it with `TopicEncryption::OwnKey` (the default) or a key whose policy lets `cloudwatch.amazonaws.com` use it");
    let err = Alarm::builder("Low", cpu(), 80.0)
        .ok_topic(topic)
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Low", "ok_topic");
    // The default key lets CloudWatch publish.
    let own = Topic::builder("Own").build(&mut stack).unwrap();
    assert!(own.cloudwatch_can_publish());
    Alarm::builder("Fine", cpu(), 80.0)
        .alarm_topic(own)
        .ok_topic(own)
        .build(&mut stack)
        .unwrap();
}

#[test]
fn rejects_topic_names_and_subscriptions_sns_refuses() {
    use ecscdk::sns::{Subscription, Topic};
    let mut stack = web_stack();
    let err = Topic::builder("Alerts")
        .topic_name("ops alerts")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Alerts", "topic_name");
    insta::assert_snapshot!(err, @r#"[Web/Alerts] topic_name: "ops alerts" must have 1 to 256 letters, digits, hyphens or underscores"#);
    let err = Topic::builder("Alerts")
        .display_name("x".repeat(101))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Alerts", "display_name");
    for bad in [
        Subscription::Email("ops".to_owned()),
        Subscription::Https("http://example.com/hook".to_owned()),
        Subscription::Sqs("my-queue".into()),
        Subscription::Lambda("fn".into()),
    ] {
        let err = Topic::builder("Alerts")
            .subscription(bad)
            .build(&mut stack)
            .unwrap_err();
        assert_invalid(&err, "Web/Alerts", "subscription");
    }
    let err = Topic::builder("Alerts")
        .subscription(Subscription::Email("ops@localhost".to_owned()))
        .build(&mut stack)
        .unwrap_err();
    insta::assert_snapshot!(err, @r#"[Web/Alerts] subscription: "ops@localhost" is not an email address"#);
}

#[test]
fn rejects_dashboards_cloudwatch_refuses() {
    use ecscdk::cloudwatch::{
        AlarmStatusWidget, Dashboard, GraphWidget, SingleValueWidget, TextWidget,
    };
    let mut stack = web_stack();
    let err = Dashboard::builder("Ops")
        .dashboard_name("web ops")
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Ops", "dashboard_name");
    insta::assert_snapshot!(err, @r#"[Web/Ops] dashboard_name: "web ops" must have 1 to 255 letters, digits, hyphens or underscores"#);
    let cases: Vec<ecscdk::cloudwatch::Widget> = vec![
        TextWidget::new("wide").width(25).into(),
        TextWidget::new("flat").height(0).into(),
        TextWidget::new("").into(),
        SingleValueWidget::new("none", []).into(),
        AlarmStatusWidget::new([]).into(),
        GraphWidget::new("colors")
            .left(cpu().color("orange"))
            .into(),
        GraphWidget::new("bad metric")
            .left(Metric::new("", "CPUUtilization"))
            .into(),
    ];
    let mut messages = Vec::new();
    for widget in cases {
        let err = Dashboard::builder("Ops")
            .row([widget])
            .build(&mut stack)
            .unwrap_err();
        assert_invalid(&err, "Web/Ops", "row");
        messages.push(err.to_string());
    }
    insta::assert_snapshot!(messages.join("\n"), @r#"[Web/Ops] row: a widget 25 columns wide; the grid has 1 to 24
[Web/Ops] row: a widget 0 rows high; give 1 to 1000
[Web/Ops] row: a text widget without markdown; give it some text
[Web/Ops] row: a single-value widget without metrics
[Web/Ops] row: an alarm-status widget of 0 alarms; give 1 to 100
[Web/Ops] row: color "orange" of metric CPUUtilization is not `#rrggbb`
[Web/Ops] row: metric namespace "" must have 1 to 255 characters"#);
    let err = Dashboard::builder("Ops")
        .row((0..501).map(|i| TextWidget::new(format!("{i}"))))
        .build(&mut stack)
        .unwrap_err();
    assert_invalid(&err, "Web/Ops", "row");
}

#[test]
fn rejects_math_expressions_cloudwatch_refuses() {
    use ecscdk::cloudwatch::MathExpression;
    let cases = [
        MathExpression::new("", [("m", cpu())]),
        MathExpression::new("m * 2", Vec::<(&str, Metric)>::new()),
        MathExpression::new("M * 2", [("M", cpu())]),
        MathExpression::new("m + m", [("m", cpu()), ("m", cpu())]),
        MathExpression::new("m * 2", [("m", Metric::new("", "CPUUtilization"))]),
    ];
    let mut messages = Vec::new();
    for expression in cases {
        let err = alarm_error(Alarm::on_expression("High", expression, 80.0));
        assert_invalid(&err, "Web/High", "expression");
        messages.push(err.to_string());
    }
    insta::assert_snapshot!(messages.join("\n"), @r#"[Web/High] expression: a math expression must have 1 to 2048 characters
[Web/High] expression: the expression "m * 2" uses no metric; give the metrics it names
[Web/High] expression: metric id "M" must start with a lowercase letter and hold only letters, digits and underscores
[Web/High] expression: metric id "m" is given twice
[Web/High] expression: metric namespace "" must have 1 to 255 characters"#);
}
