//! `cloudwatch::Alarm`: alarms on one metric, rendered as the AWS CDK's
//! `cloudwatch.Alarm` renders them (aws-cdk-lib 2.276.0; the app and its
//! template are in `tests/data/cdk/alarm/`): the logical IDs and every
//! property, with the CDK's defaults (greater than or equal, 5-minute
//! average), and a Fargate service's CPU and memory metrics (the cluster
//! by `Ref`, the service's name by `Fn::GetAtt`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use ecscdk::cloudwatch::{Alarm, Comparison, Metric, Statistic, TreatMissingData};
use ecscdk::ec2::Vpc;
use ecscdk::ecs::{Cluster, Container, ContainerImage, FargateService, FargateTaskDefinition};
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
    // A service's own metrics.
    let vpc = Vpc::builder("Vpc")
        .max_azs(2)
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let cluster = Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(&mut stack)
        .unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:latest"),
            )
            .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    let service = FargateService::builder("Api", &cluster, &task)
        .build(&mut stack)
        .unwrap();
    Alarm::builder("ApiCpu", service.metric_cpu_utilization(), 90.0)
        .evaluation_periods(3)
        .build(&mut stack)
        .unwrap();
    Alarm::builder("ApiMemory", service.metric_memory_utilization(), 90.0)
        .evaluation_periods(3)
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
    assert_eq!(expected.len(), 4);
    assert_eq!(alarms(&ours()), expected);
}
