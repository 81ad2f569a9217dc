//! A two-stack app to try `deploy`, `diff` and `destroy` against a local
//! moto server (or a real account):
//!
//! ```text
//! .venv/bin/moto_server -H 127.0.0.1 -p 5000 &
//! export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
//! export AWS_ENDPOINT_URL=http://127.0.0.1:5000
//! cargo run -p ecscdk --features deploy --example deploy_demo -- deploy --method direct
//! DEMO_LOG_GROUP=/demo/app-v2 cargo run -p ecscdk --features deploy --example deploy_demo -- diff
//! cargo run -p ecscdk --features deploy --example deploy_demo -- destroy --force
//! ```
//!
//! `DEMO_LOG_GROUP` renames the log group (a create-only property, so
//! `diff` marks a replacement); `DEMO_RETENTION` changes its retention (an
//! in-place update); `DEMO_FAIL=1` adds a queue CloudFormation rejects.

use ecscdk::cfn::logs::CfnLogGroup;
use ecscdk::cli::Run;
use ecscdk::synth::prelude::*;
use serde_json::json;

fn main() -> ecscdk::cli::Result<()> {
    let log_group = std::env::var("DEMO_LOG_GROUP").unwrap_or_else(|_| "/demo/app".to_owned());
    let retention: i64 = std::env::var("DEMO_RETENTION")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    let mut app = App::new();

    let mut network = Stack::new("DemoNetwork").tag("project", "ecscdk-demo");
    let root = network.root();
    let vpc = network.add(
        root,
        "Vpc",
        RawResource::new("AWS::EC2::VPC").property("CidrBlock", "10.0.0.0/16"),
    )?;
    let topic = network.add(
        root,
        "Alerts",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", "demo alerts"),
    )?;
    network.output("AlertsArn", topic.reference())?;

    let mut service = Stack::new("DemoService").tag("project", "ecscdk-demo");
    let root = service.root();
    let logs = service.add(
        root,
        "Logs",
        CfnLogGroup {
            log_group_name: Some(log_group.into()),
            retention_in_days: Some(retention.into()),
            ..CfnLogGroup::default()
        },
    )?;
    service.add(
        root,
        "Queue",
        RawResource::new("AWS::SQS::Queue").property("VisibilityTimeout", 60),
    )?;
    service.add(
        root,
        "Sg",
        RawResource::new("AWS::EC2::SecurityGroup")
            .property("GroupDescription", "demo service")
            .property("VpcId", vpc.reference())
            .property(
                "SecurityGroupIngress",
                json!([{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}]),
            ),
    )?;
    service.add(
        root,
        "TaskRole",
        RawResource::new("AWS::IAM::Role")
            .property(
                "AssumeRolePolicyDocument",
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            )
            .property(
                "Policies",
                Operand::list([Operand::map([
                    ("PolicyName", Operand::from("publish")),
                    (
                        "PolicyDocument",
                        Operand::map([
                            ("Version", Operand::from("2012-10-17")),
                            (
                                "Statement",
                                Operand::list([Operand::map([
                                    ("Effect", Operand::from("Allow")),
                                    ("Action", Operand::from("sns:Publish")),
                                    ("Resource", Operand::from(topic.reference())),
                                ])]),
                            ),
                        ]),
                    ),
                ])]),
            ),
    )?;
    if std::env::var_os("DEMO_FAIL").is_some() {
        service.add(
            root,
            "BadQueue",
            RawResource::new("AWS::SQS::Queue")
                .property("FifoQueue", true)
                .property("QueueName", "not-a-fifo-name"),
        )?;
    }
    service.output("LogGroupName", logs.untyped().reference())?;

    app.add(network)?;
    app.add(service)?;
    app.run()
}
