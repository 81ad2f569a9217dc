//! `cloudwatch::Alarm`: alarms on one metric, rendered as the AWS CDK's
//! `cloudwatch.Alarm` renders them (aws-cdk-lib 2.276.0; the app and its
//! template are in `tests/data/cdk/alarm/`): the logical IDs and every
//! property, with the CDK's defaults (greater than or equal, 5-minute
//! average).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use ecscdk::cloudwatch::{Alarm, Comparison, Metric, Statistic, TreatMissingData};
use ecscdk::prelude::*;
use serde_json::Value as Json;

fn ours() -> Json {
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let cpu = Metric::new("AWS/ECS", "CPUUtilization")
        .dimension("ServiceName", "api")
        .dimension("ClusterName", "web");
    Alarm::builder("HighCpu", cpu, 80.0)
        .evaluation_periods(3)
        .datapoints_to_alarm(2)
        .treat_missing_data(TreatMissingData::NotBreaching)
        .description("CPU of the api service")
        .alarm_action("arn:aws:sns:us-east-1:123456789012:oncall")
        .ok_action("arn:aws:sns:us-east-1:123456789012:oncall")
        .build(&mut stack)
        .unwrap();
    let age = Metric::new("AWS/SQS", "ApproximateAgeOfOldestMessage")
        .dimension("QueueName", "jobs")
        .statistic(Statistic::Maximum)
        .period(Duration::from_secs(60));
    Alarm::builder("QueueAge", age, 600.0)
        .evaluation_periods(15)
        .comparison(Comparison::GreaterThan)
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    serde_json::from_str(&assembly.stacks()[0].template).unwrap()
}

fn alarms(template: &Json) -> Vec<(String, Json)> {
    template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::CloudWatch::Alarm")
        .map(|(id, r)| (id.clone(), r["Properties"].clone()))
        .collect()
}

#[test]
fn alarms_render_as_the_cdk_renders_them() {
    let cdk: Json = serde_json::from_str(include_str!("data/cdk/alarm/Web.template.json")).unwrap();
    let expected = alarms(&cdk);
    assert_eq!(expected.len(), 2);
    assert_eq!(alarms(&ours()), expected);
}
