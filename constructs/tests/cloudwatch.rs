//! `cloudwatch::Alarm`: alarms on one metric, rendered as the AWS CDK's
//! `cloudwatch.Alarm` renders them (aws-cdk-lib 2.276.0; the app and its
//! template are in `tests/data/cdk/alarm/`): the logical IDs and every
//! property, with the CDK's defaults (greater than or equal, 5-minute
//! average), and a Fargate service's CPU and memory metrics (the cluster
//! by `Ref`, the service's name by `Fn::GetAtt`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use ecscdk::cloudwatch::{Alarm, Comparison, MathExpression, Metric, Statistic, TreatMissingData};
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
    // An alarm on a math expression: the share of 5XX responses.
    let per_minute = |name: &str| {
        Metric::new("AWS/ApplicationELB", name)
            .dimension("LoadBalancer", "app/web/123")
            .statistic(Statistic::Sum)
            .period(Duration::from_secs(60))
    };
    let error_rate = MathExpression::new(
        "100 * errors / requests",
        [
            ("errors", per_minute("HTTPCode_Target_5XX_Count")),
            ("requests", per_minute("RequestCount")),
        ],
    )
    .label("Error rate (%)");
    Alarm::on_expression("ErrorRate", error_rate, 5.0)
        .evaluation_periods(5)
        .datapoints_to_alarm(3)
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
    assert_eq!(expected.len(), 5);
    assert_eq!(alarms(&ours()), expected);
}

/// A topic alarms notify: its own key (CloudWatch may use it), an email
/// subscription, and alarms on a target group's, a queue's and a service's
/// Container Insights metrics with the dimensions CloudWatch reports them
/// under.
#[test]
fn alarms_notify_a_topic_on_target_group_queue_and_task_count_metrics() {
    use ecscdk::elbv2::{ApplicationLoadBalancer, Listener, TargetGroup};
    use ecscdk::sns::{Subscription, Topic};
    use ecscdk::sqs::Queue;
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let topic = Topic::builder("Alerts")
        .display_name("ops")
        .subscription(Subscription::Email("ops@example.com".to_owned()))
        .build(&mut stack)
        .unwrap();
    let vpc = Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(&mut stack)
        .unwrap();
    let lb = ApplicationLoadBalancer::builder("LB", &vpc)
        .build(&mut stack)
        .unwrap();
    let listener = Listener::http("Http", &lb)
        .target_group(TargetGroup::http("Group", &vpc, 80))
        .build(&mut stack)
        .unwrap();
    let group = listener.target_group().unwrap().clone();
    Alarm::builder("Unhealthy", group.metric_unhealthy_host_count(&lb), 1.0)
        .alarm_topic(topic)
        .ok_topic(topic)
        .build(&mut stack)
        .unwrap();
    Alarm::builder("Errors", group.metric_target_5xx_count(&lb), 10.0)
        .alarm_topic(topic)
        .build(&mut stack)
        .unwrap();
    let queue = Queue::builder("Jobs").build(&mut stack).unwrap();
    Alarm::builder("Backlog", queue.metric_oldest_message_age(), 900.0)
        .alarm_topic(topic)
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
    Alarm::builder("NoTasks", service.metric_running_task_count(), 1.0)
        .comparison(Comparison::LessThan)
        .alarm_topic(topic)
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let template: Json = serde_json::from_str(&assembly.stacks()[0].template).unwrap();
    let pick = |ids: &[&str]| -> Json {
        ids.iter()
            .map(|id| ((*id).to_owned(), template["Resources"][*id].clone()))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let ids: Vec<&String> = template["Resources"].as_object().unwrap().keys().collect();
    let find = |prefix: &str| -> &str {
        ids.iter()
            .find(|id| id.starts_with(prefix) && id.len() == prefix.len() + 8)
            .unwrap_or_else(|| panic!("no resource {prefix}XXXXXXXX in {ids:?}"))
    };
    let topic_ids = [
        find("AlertsKey"),
        find("Alerts"),
        find("AlertsEmailSubscription1"),
    ];
    insta::assert_snapshot!(serde_json::to_string_pretty(&pick(&topic_ids)).unwrap(), @r#"{
  "AlertsKey9E1197AF": {
    "Type": "AWS::KMS::Key",
    "Properties": {
      "Description": "Encrypts an SNS topic's messages at rest",
      "EnableKeyRotation": true,
      "KeyPolicy": {
        "Statement": [
          {
            "Action": "kms:*",
            "Effect": "Allow",
            "Principal": {
              "AWS": {
                "Fn::Join": [
                  "",
                  [
                    "arn:",
                    {
                      "Ref": "AWS::Partition"
                    },
                    ":iam::",
                    {
                      "Ref": "AWS::AccountId"
                    },
                    ":root"
                  ]
                ]
              }
            },
            "Resource": "*"
          },
          {
            "Action": [
              "kms:Decrypt",
              "kms:GenerateDataKey*"
            ],
            "Effect": "Allow",
            "Principal": {
              "Service": "cloudwatch.amazonaws.com"
            },
            "Resource": "*",
            "Sid": "CloudWatchAlarmsPublish"
          }
        ],
        "Version": "2012-10-17"
      },
      "PendingWindowInDays": 7
    },
    "UpdateReplacePolicy": "Delete",
    "DeletionPolicy": "Delete",
    "Metadata": {
      "aws:cdk:path": "Web/Alerts/Key/Resource"
    }
  },
  "Alerts91F83244": {
    "Type": "AWS::SNS::Topic",
    "Properties": {
      "DisplayName": "ops",
      "KmsMasterKeyId": {
        "Fn::GetAtt": [
          "AlertsKey9E1197AF",
          "Arn"
        ]
      }
    },
    "Metadata": {
      "aws:cdk:path": "Web/Alerts/Resource"
    }
  },
  "AlertsEmailSubscription1074CA548": {
    "Type": "AWS::SNS::Subscription",
    "Properties": {
      "Endpoint": "ops@example.com",
      "Protocol": "email",
      "TopicArn": {
        "Ref": "Alerts91F83244"
      }
    },
    "Metadata": {
      "aws:cdk:path": "Web/Alerts/EmailSubscription1"
    }
  }
}"#);
    let alarm_ids = [
        find("Unhealthy"),
        find("Errors"),
        find("Backlog"),
        find("NoTasks"),
    ];
    insta::assert_snapshot!(serde_json::to_string_pretty(&pick(&alarm_ids)).unwrap(), @r#"{
  "Unhealthy9594204A": {
    "Type": "AWS::CloudWatch::Alarm",
    "Properties": {
      "AlarmActions": [
        {
          "Ref": "Alerts91F83244"
        }
      ],
      "ComparisonOperator": "GreaterThanOrEqualToThreshold",
      "Dimensions": [
        {
          "Name": "LoadBalancer",
          "Value": {
            "Fn::GetAtt": [
              "LB8A12904C",
              "LoadBalancerFullName"
            ]
          }
        },
        {
          "Name": "TargetGroup",
          "Value": {
            "Fn::GetAtt": [
              "LBHttpGroup15CBFD1F",
              "TargetGroupFullName"
            ]
          }
        }
      ],
      "EvaluationPeriods": 1,
      "MetricName": "UnHealthyHostCount",
      "Namespace": "AWS/ApplicationELB",
      "OKActions": [
        {
          "Ref": "Alerts91F83244"
        }
      ],
      "Period": 60,
      "Statistic": "Maximum",
      "Threshold": 1
    },
    "Metadata": {
      "aws:cdk:path": "Web/Unhealthy/Resource"
    }
  },
  "ErrorsFA5270DE": {
    "Type": "AWS::CloudWatch::Alarm",
    "Properties": {
      "AlarmActions": [
        {
          "Ref": "Alerts91F83244"
        }
      ],
      "ComparisonOperator": "GreaterThanOrEqualToThreshold",
      "Dimensions": [
        {
          "Name": "LoadBalancer",
          "Value": {
            "Fn::GetAtt": [
              "LB8A12904C",
              "LoadBalancerFullName"
            ]
          }
        },
        {
          "Name": "TargetGroup",
          "Value": {
            "Fn::GetAtt": [
              "LBHttpGroup15CBFD1F",
              "TargetGroupFullName"
            ]
          }
        }
      ],
      "EvaluationPeriods": 1,
      "MetricName": "HTTPCode_Target_5XX_Count",
      "Namespace": "AWS/ApplicationELB",
      "Period": 60,
      "Statistic": "Sum",
      "Threshold": 10
    },
    "Metadata": {
      "aws:cdk:path": "Web/Errors/Resource"
    }
  },
  "Backlog7AD37F26": {
    "Type": "AWS::CloudWatch::Alarm",
    "Properties": {
      "AlarmActions": [
        {
          "Ref": "Alerts91F83244"
        }
      ],
      "ComparisonOperator": "GreaterThanOrEqualToThreshold",
      "Dimensions": [
        {
          "Name": "QueueName",
          "Value": {
            "Fn::GetAtt": [
              "JobsDF1CC2D4",
              "QueueName"
            ]
          }
        }
      ],
      "EvaluationPeriods": 1,
      "MetricName": "ApproximateAgeOfOldestMessage",
      "Namespace": "AWS/SQS",
      "Period": 300,
      "Statistic": "Maximum",
      "Threshold": 900
    },
    "Metadata": {
      "aws:cdk:path": "Web/Backlog/Resource"
    }
  },
  "NoTasks2C08E86C": {
    "Type": "AWS::CloudWatch::Alarm",
    "Properties": {
      "AlarmActions": [
        {
          "Ref": "Alerts91F83244"
        }
      ],
      "ComparisonOperator": "LessThanThreshold",
      "Dimensions": [
        {
          "Name": "ClusterName",
          "Value": {
            "Ref": "ClusterEB0386A7"
          }
        },
        {
          "Name": "ServiceName",
          "Value": {
            "Fn::GetAtt": [
              "ApiService89E3D990",
              "Name"
            ]
          }
        }
      ],
      "EvaluationPeriods": 1,
      "MetricName": "RunningTaskCount",
      "Namespace": "ECS/ContainerInsights",
      "Period": 60,
      "Statistic": "Minimum",
      "Threshold": 1
    },
    "Metadata": {
      "aws:cdk:path": "Web/NoTasks/Resource"
    }
  }
}"#);
}

/// The dashboard of the CDK's `Ops` stack (`tests/data/cdk/dashboard/`,
/// aws-cdk-lib 2.276.0) rendered by ecscdk: the same body, byte for byte
/// (layout, key order, options, the tokens spliced into `Fn::Join`), the
/// same logical ID and name.
#[test]
fn a_dashboard_renders_as_the_cdk_renders_it() {
    use ecscdk::cfn::ecs::CfnCluster;
    use ecscdk::cloudwatch::{
        AlarmStatusWidget, AlarmWidget, Dashboard, GraphWidget, SingleValueWidget, TextWidget,
    };
    let mut stack = Stack::new("Ops").env(Env::new("123456789012", "us-east-1"));
    let root = stack.root();
    let cluster = stack.add(root, "Cluster", CfnCluster::default()).unwrap();
    let cpu = Metric::new("AWS/ECS", "CPUUtilization")
        .dimension("ClusterName", "web")
        .dimension("ServiceName", "api");
    let memory = Metric::new("AWS/ECS", "MemoryUtilization")
        .dimension("ClusterName", "web")
        .dimension("ServiceName", "api")
        .statistic(Statistic::Maximum)
        .period(Duration::from_secs(60))
        .label("Memory (max)")
        .color("#ff7f0e");
    let worker_cpu = Metric::new("AWS/ECS", "CPUUtilization")
        .dimension("ClusterName", cluster.reference())
        .dimension("ServiceName", "worker");
    let high = Alarm::builder("HighCpu", cpu.clone(), 80.0)
        .evaluation_periods(5)
        .datapoints_to_alarm(5)
        .description("CPU of the api service")
        .build(&mut stack)
        .unwrap();
    Dashboard::builder("Dashboard")
        .dashboard_name("web-ops")
        .row([TextWidget::new("# Web service\nCPU and memory of **api**").width(24)])
        .row::<ecscdk::cloudwatch::Widget>([
            GraphWidget::new("api CPU and memory")
                .left(cpu)
                .left(memory)
                .right(worker_cpu)
                .width(12)
                .left_axis_range(Some(0.0), Some(100.0))
                .into(),
            SingleValueWidget::new(
                "Running tasks",
                [Metric::new("ECS/ContainerInsights", "RunningTaskCount")
                    .dimension("ClusterName", "web")
                    .dimension("ServiceName", "api")
                    .statistic(Statistic::Minimum)],
            )
            .into(),
            AlarmWidget::new("High CPU", high).width(12).into(),
        ])
        .row([AlarmStatusWidget::new([high])])
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let ours: Json = serde_json::from_str(&assembly.stacks()[0].template).unwrap();
    let cdk: Json =
        serde_json::from_str(include_str!("data/cdk/dashboard/Ops.template.json")).unwrap();
    assert_eq!(
        ours["Resources"]["Dashboard9E4231ED"]["Properties"],
        cdk["Resources"]["Dashboard9E4231ED"]["Properties"]
    );
}

/// A cluster's metrics carry its name (by `Ref`), as the CDK's.
#[test]
fn a_cluster_metric_names_the_cluster() {
    let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    Alarm::builder("Reserved", cluster.metric_cpu_reservation(), 80.0)
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let t: Json = serde_json::from_str(&app.synth().unwrap().stacks()[0].template).unwrap();
    let alarm = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::CloudWatch::Alarm")
        .unwrap();
    assert_eq!(alarm["Properties"]["MetricName"], "CPUReservation");
    assert_eq!(
        alarm["Properties"]["Dimensions"],
        serde_json::json!([{"Name": "ClusterName", "Value": {"Ref": "ClusterEB0386A7"}}])
    );
}
