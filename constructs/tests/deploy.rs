//! `deploy`, `diff`, `destroy`, `bootstrap` and `list --deployed` over real
//! HTTP against a local moto server, through the same command line users run.
//!
//! The tests that need the server are `#[ignore]`d in a plain `cargo test`;
//! `scripts/test` starts `moto_server`, sets `ECSCDK_MOTO_ENDPOINT` and the
//! dummy credentials, and runs them with `--include-ignored`. Run without the
//! variable they fail instead of passing silently.
//!
//! What moto 5.2 does not emulate shapes them: it emits stack-level events
//! only, gives a stack created from a change set no outputs or exports (so
//! the exports test deploys with `--method direct`), reports most resource
//! failures as an error of `CreateStack` itself and leaves the stack
//! `CREATE_IN_PROGRESS`, and never completes a Lambda-backed custom resource
//! (which the deploy-budget test relies on).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use ecscdk::App;
use ecscdk::cfn::logs::CfnLogGroup;
use ecscdk::cli::Error;
use ecscdk::cli::Run;
use ecscdk::deploy::Error as DeployError;
use ecscdk::synth::prelude::*;
use serde_json::json;

mod common;

fn endpoint() -> String {
    std::env::var("ECSCDK_MOTO_ENDPOINT").expect(
        "ECSCDK_MOTO_ENDPOINT is not set: these tests need a moto server; run them through scripts/test",
    )
}

/// Runs the app's command line against moto.
fn run(app: &App, args: &[&str]) -> ecscdk::cli::Result<()> {
    let endpoint = endpoint();
    let mut argv = vec!["app"];
    argv.extend_from_slice(args);
    argv.extend(["--endpoint-url", endpoint.as_str(), "--region", "us-east-1"]);
    app.run_with_args(argv)
}

/// A client for the test's own checks.
fn client() -> (tokio::runtime::Runtime, Client) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = aws_sdk_cloudformation::Config::builder()
        .behavior_version(aws_sdk_cloudformation::config::BehaviorVersion::latest())
        .region(aws_sdk_cloudformation::config::Region::new("us-east-1"))
        .endpoint_url(endpoint())
        .credentials_provider(aws_sdk_cloudformation::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .build();
    (rt, Client::from_conf(config))
}

/// The live status of a stack, `None` when it does not exist.
fn status(name: &str) -> Option<String> {
    let (rt, cfn) = client();
    rt.block_on(async {
        match cfn.describe_stacks().stack_name(name).send().await {
            Ok(out) => out
                .stacks()
                .first()
                .and_then(|s| s.stack_status())
                .map(|s| s.as_str().to_owned())
                .filter(|s| s != "DELETE_COMPLETE"),
            Err(_) => None,
        }
    })
}

fn deployed_template(name: &str) -> String {
    let (rt, cfn) = client();
    rt.block_on(async {
        cfn.get_template()
            .stack_name(name)
            .send()
            .await
            .unwrap()
            .template_body()
            .unwrap_or_default()
            .to_owned()
    })
}

/// Network (a VPC and a topic, exported) and Service (a security group in
/// the VPC, a role that may publish to the topic, a log group and a queue).
fn two_stacks(prefix: &str) -> App {
    let mut app = App::new();
    let mut network = Stack::new(format!("{prefix}Network")).tag("suite", "deploy");
    let root = network.root();
    let vpc = network
        .add(
            root,
            "Vpc",
            RawResource::new("AWS::EC2::VPC").property("CidrBlock", "10.0.0.0/16"),
        )
        .unwrap();
    let topic = network
        .add(root, "Topic", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    network.output("TopicArn", topic.reference()).unwrap();

    let mut service = Stack::new(format!("{prefix}Service"));
    let root = service.root();
    service
        .add(
            root,
            "Sg",
            RawResource::new("AWS::EC2::SecurityGroup")
                .property("GroupDescription", "service")
                .property("VpcId", vpc.reference()),
        )
        .unwrap();
    service
        .add(
            root,
            "Role",
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
                            Operand::map([(
                                "Statement",
                                Operand::list([Operand::map([
                                    ("Effect", Operand::from("Allow")),
                                    ("Action", Operand::from("sns:Publish")),
                                    ("Resource", Operand::from(topic.reference())),
                                ])]),
                            )]),
                        ),
                    ])]),
                ),
        )
        .unwrap();
    service
        .add(
            root,
            "Queue",
            RawResource::new("AWS::SQS::Queue").property("VisibilityTimeout", 60),
        )
        .unwrap();
    app.add(network).unwrap();
    app.add(service).unwrap();
    app
}

/// One stack with a typed log group (whose name is create-only).
fn log_stack(id: &str, name: &str, retention: i64) -> App {
    let mut app = App::new();
    let mut stack = Stack::new(id);
    let root = stack.root();
    stack
        .add(
            root,
            "Logs",
            CfnLogGroup {
                log_group_name: Some(name.into()),
                retention_in_days: Some(retention.into()),
                ..CfnLogGroup::default()
            },
        )
        .unwrap();
    stack
        .add(root, "Topic", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    app.add(stack).unwrap();
    app
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn deploys_stacks_in_order_with_exports_then_no_op_then_destroys() {
    let app = two_stacks("Multi");
    let dir = tempfile::tempdir().unwrap();
    let outputs = dir.path().join("outputs.json");
    let outputs_arg = outputs.to_string_lossy().into_owned();

    run(
        &app,
        // Naming the consumer deploys its producer first.
        &[
            "deploy",
            "MultiService",
            "--method",
            "direct",
            "--outputs-file",
            &outputs_arg,
        ],
    )
    .unwrap();
    assert_eq!(status("MultiNetwork").as_deref(), Some("CREATE_COMPLETE"));
    assert_eq!(status("MultiService").as_deref(), Some("CREATE_COMPLETE"));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&outputs).unwrap()).unwrap();
    let arn = written["MultiNetwork"]["TopicArn"].as_str().unwrap();
    assert!(arn.starts_with("arn:aws:sns:us-east-1:"), "{written}");
    assert!(deployed_template("MultiService").contains("Fn::ImportValue"));

    // The same app again: an empty change set, reported as no changes.
    run(&app, &["deploy"]).unwrap();
    assert_eq!(status("MultiService").as_deref(), Some("CREATE_COMPLETE"));
    run(&app, &["diff", "--fail-on", "destructive"]).unwrap();
    run(&app, &["list", "--deployed"]).unwrap();

    run(&app, &["destroy", "--force"]).unwrap();
    assert_eq!(status("MultiService"), None);
    assert_eq!(status("MultiNetwork"), None);
    run(&app, &["list", "--deployed"]).unwrap();
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn updates_through_a_change_set_and_diff_marks_a_replacement() {
    let v1 = log_stack("Logs1", "/ecscdk-test/logs-a", 7);
    run(&v1, &["deploy"]).unwrap();
    assert_eq!(status("Logs1").as_deref(), Some("CREATE_COMPLETE"));

    // An in-place change: not destructive, deployed as an update.
    let v2 = log_stack("Logs1", "/ecscdk-test/logs-a", 14);
    run(&v2, &["diff", "--fail-on", "destructive"]).unwrap();
    run(&v2, &["deploy"]).unwrap();
    assert_eq!(status("Logs1").as_deref(), Some("UPDATE_COMPLETE"));
    assert!(deployed_template("Logs1").contains("14"));

    // A create-only property: diff names the replacement.
    let v3 = log_stack("Logs1", "/ecscdk-test/logs-b", 14);
    let err = run(&v3, &["diff", "--fail-on", "destructive"]).unwrap_err();
    assert!(
        matches!(&err, Error::Deploy(DeployError::Destructive { count: 1, what }) if what == "Logs1/Logs (replaced)"),
        "{err}"
    );
    run(&v3, &["diff"]).unwrap();

    // --no-execute leaves the change set for review.
    run(&v3, &["deploy", "--no-execute"]).unwrap();
    assert!(deployed_template("Logs1").contains("logs-a"));
    let (rt, cfn) = client();
    let pending = rt.block_on(async {
        cfn.list_change_sets()
            .stack_name("Logs1")
            .send()
            .await
            .unwrap()
            .summaries()
            .len()
    });
    assert!(pending >= 1);

    run(&v3, &["destroy", "--force"]).unwrap();
    assert_eq!(status("Logs1"), None);
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn a_failing_deploy_reports_the_reason_and_fails() {
    let mut app = App::new();
    let mut stack = Stack::new("Failing");
    let root = stack.root();
    stack
        .add(
            root,
            "Queue",
            RawResource::new("AWS::SQS::Queue")
                .property("FifoQueue", true)
                .property("QueueName", "not-a-fifo-name"),
        )
        .unwrap();
    app.add(stack).unwrap();
    let err = run(&app, &["deploy", "--method", "direct"]).unwrap_err();
    assert!(
        matches!(&err, Error::Deploy(DeployError::Service { stack, action: "CreateStack", message, .. })
            if stack == "Failing" && message.contains(".fifo")),
        "{err}"
    );

    // moto answers this one in the wrong protocol: the raw reason is shown.
    let mut app = App::new();
    let mut stack = Stack::new("FailingDecode");
    let root = stack.root();
    for id in ["A", "B"] {
        stack
            .add(
                root,
                id,
                RawResource::new("AWS::Logs::LogGroup")
                    .property("LogGroupName", "/ecscdk-test/dup"),
            )
            .unwrap();
    }
    app.add(stack).unwrap();
    let err = run(&app, &["deploy", "--method", "direct"]).unwrap_err();
    assert!(
        matches!(&err, Error::Deploy(DeployError::Service { message, .. }) if message.contains("ResourceAlreadyExistsException")),
        "{err}"
    );
}

/// One stack whose Lambda-backed custom resource moto never completes: it
/// stays `CREATE_IN_PROGRESS`.
fn stuck_app(name: &str) -> App {
    let mut app = App::new();
    let mut stack = Stack::new(name);
    let root = stack.root();
    let role = stack
        .add(
            root,
            "Role",
            RawResource::new("AWS::IAM::Role").property(
                "AssumeRolePolicyDocument",
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            ),
        )
        .unwrap();
    let function = stack
        .add(
            root,
            "Handler",
            RawResource::new("AWS::Lambda::Function")
                .property("Runtime", "python3.12")
                .property("Handler", "index.handler")
                .property("Role", role.attr("Arn"))
                .property(
                    "Code",
                    json!({"ZipFile": "def handler(event, context): pass"}),
                ),
        )
        .unwrap();
    stack
        .add(
            root,
            "Custom",
            RawResource::new("Custom::Never").property("ServiceToken", function.attr("Arn")),
        )
        .unwrap();
    app.add(stack).unwrap();
    app
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn a_stuck_resource_trips_the_deploy_budget() {
    let app = stuck_app("Stuck");
    let started = std::time::Instant::now();
    let err = run(&app, &["deploy", "--method", "direct", "--timeout", "3s"]).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(
        matches!(&err, Error::Deploy(DeployError::Stuck { stack, stuck, status, .. })
            if stack == "Stuck" && stuck.contains("Custom (Custom::Never)") && status == "CREATE_IN_PROGRESS"),
        "{err}"
    );
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn a_template_over_51200_bytes_goes_through_the_staging_bucket() {
    let mut app = App::new();
    let mut stack = Stack::new("Large");
    let root = stack.root();
    let padding = "x".repeat(250);
    for i in 0..120 {
        stack
            .add(
                root,
                &format!("Topic{i}"),
                RawResource::new("AWS::SNS::Topic")
                    .property("Tags", json!([{"Key": "padding", "Value": padding}])),
            )
            .unwrap();
    }
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    assert!(assembly.stacks()[0].needs_upload);

    run(&app, &["bootstrap"]).unwrap();
    assert_eq!(status("EcscdkToolkit").as_deref(), Some("CREATE_COMPLETE"));
    run(&app, &["deploy"]).unwrap();
    assert_eq!(status("Large").as_deref(), Some("CREATE_COMPLETE"));
    run(&app, &["destroy", "--force"]).unwrap();
}

#[test]
fn diff_compares_with_a_template_file_offline() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    std::fs::write(
        &old,
        json!({"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/a", "RetentionInDays": 7}}}})
            .to_string(),
    )
    .unwrap();
    let old_arg = old.to_string_lossy().into_owned();
    let app = log_stack("Offline", "/b", 7);
    // The topic is added, the log group's name changes: a replacement.
    let err = app
        .run_with_args([
            "app",
            "diff",
            "--template",
            &old_arg,
            "--fail-on",
            "destructive",
        ])
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Deploy(DeployError::Destructive { count: 1, .. })
        ),
        "{err}"
    );
    let same = log_stack("Offline", "/a", 7);
    let tmpl = same.synth().unwrap().stacks()[0].template.clone();
    std::fs::write(&old, tmpl).unwrap();
    same.run_with_args([
        "app",
        "diff",
        "--template",
        &old_arg,
        "--fail-on",
        "destructive",
    ])
    .unwrap();
}

#[test]
fn rejects_a_malformed_parameter() {
    let app = log_stack("Params", "/p", 7);
    let err = app
        .run_with_args(["app", "deploy", "--parameters", "NoEquals"])
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Deploy(DeployError::InvalidArgument {
                argument: "--parameters",
                ..
            })
        ),
        "{err}"
    );
}

/// A service on Fargate (launch type or capacity providers) behind a load
/// balancer with the given scheme, from the generated L1 types.
fn ecs_app(
    capacity_providers: bool,
    scheme: ecscdk::cfn::elasticloadbalancingv2::load_balancer::Scheme,
) -> App {
    use ecscdk::cfn::ecs::CfnService;
    use ecscdk::cfn::ecs::service::{CapacityProviderStrategyItem, LaunchType};
    use ecscdk::cfn::elasticloadbalancingv2::listener::{Action, FixedResponseConfig, Type};
    use ecscdk::cfn::elasticloadbalancingv2::{CfnListener, CfnLoadBalancer};

    let mut app = App::new();
    let mut stack = Stack::new("Traps");
    let root = stack.root();
    let mut service = CfnService {
        cluster: Some("demo".into()),
        ..CfnService::default()
    };
    if capacity_providers {
        service.capacity_provider_strategy = Some(
            vec![Value::from(CapacityProviderStrategyItem {
                capacity_provider: Some("FARGATE_SPOT".into()),
                ..CapacityProviderStrategyItem::default()
            })]
            .into(),
        );
    } else {
        service.launch_type = Some(LaunchType::Fargate.into());
    }
    stack.add(root, "Service", service).unwrap();
    let lb = stack
        .add(
            root,
            "Lb",
            CfnLoadBalancer {
                scheme: Some(scheme.into()),
                ..CfnLoadBalancer::default()
            },
        )
        .unwrap();
    let mut action = Action::new(Type::FixedResponse);
    action.fixed_response_config = Some(
        FixedResponseConfig {
            content_type: None,
            message_body: None,
            status_code: "404".into(),
        }
        .into(),
    );
    stack
        .add(
            root,
            "Listener",
            CfnListener::new(vec![Value::from(action)], lb.reference()),
        )
        .unwrap();
    app.add(stack).unwrap();
    app
}

#[test]
fn diff_flags_the_ecs_and_load_balancer_replacement_traps() {
    use ecscdk::cfn::elasticloadbalancingv2::load_balancer::Scheme;
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let deployed = ecs_app(false, Scheme::Internal).synth().unwrap().stacks()[0]
        .template
        .clone();
    std::fs::write(&old, deployed).unwrap();
    let old_arg = old.to_string_lossy().into_owned();

    // Launch type -> capacity provider strategy: the service may be replaced.
    let err = ecs_app(true, Scheme::Internal)
        .run_with_args([
            "app",
            "diff",
            "--template",
            &old_arg,
            "--fail-on",
            "destructive",
        ])
        .unwrap_err();
    assert!(
        matches!(&err, Error::Deploy(DeployError::Destructive { count: 1, what }) if what.contains("Traps/Service")),
        "{err}"
    );

    // A new scheme replaces the load balancer, and with it the listener.
    let err = ecs_app(false, Scheme::InternetFacing)
        .run_with_args([
            "app",
            "diff",
            "--template",
            &old_arg,
            "--fail-on",
            "destructive",
        ])
        .unwrap_err();
    assert!(
        matches!(&err, Error::Deploy(DeployError::Destructive { count: 2, what }) if what.contains("Traps/Lb") && what.contains("Traps/Listener")),
        "{err}"
    );
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn parameters_tags_notification_arns_and_termination_protection_reach_the_stack() {
    let build = |protected: bool| {
        let mut app = App::new();
        let mut stack = Stack::new("Guarded")
            .tag("team", "platform")
            .termination_protection(protected);
        let size = stack
            .parameter("QueueDelay", ParameterSpec::number().default(0.0))
            .unwrap();
        let root = stack.root();
        stack
            .add(
                root,
                "Queue",
                RawResource::new("AWS::SQS::Queue").property("DelaySeconds", size.value()),
            )
            .unwrap();
        app.add(stack).unwrap();
        app
    };
    // The topic the stack's events go to.
    let mut topics = App::new();
    let mut stack = Stack::new("GuardedTopics");
    let root = stack.root();
    stack
        .add(
            root,
            "Events",
            RawResource::new("AWS::SNS::Topic").property("TopicName", "stack-events"),
        )
        .unwrap();
    topics.add(stack).unwrap();
    run(&topics, &["deploy", "--method", "direct"]).unwrap();

    let app = build(true);
    run(
        &app,
        &[
            "deploy",
            "--method",
            "direct",
            "--parameters",
            "Guarded:QueueDelay=5",
            "--notification-arns",
            "arn:aws:sns:us-east-1:123456789012:stack-events",
        ],
    )
    .unwrap();
    let (rt, cfn) = client();
    let live = rt.block_on(async {
        cfn.describe_stacks()
            .stack_name("Guarded")
            .send()
            .await
            .unwrap()
            .stacks()[0]
            .clone()
    });
    assert_eq!(live.enable_termination_protection(), Some(true));
    assert_eq!(
        live.notification_arns(),
        ["arn:aws:sns:us-east-1:123456789012:stack-events"]
    );
    assert!(
        live.tags()
            .iter()
            .any(|t| t.key() == Some("team") && t.value() == Some("platform"))
    );
    assert!(
        live.parameters()
            .iter()
            .any(|p| p.parameter_key() == Some("QueueDelay") && p.parameter_value() == Some("5"))
    );

    // Protected: destroy refuses and names the fix.
    let err = run(&app, &["destroy", "--force"]).unwrap_err();
    assert!(
        matches!(&err, Error::Deploy(DeployError::Service { stack, .. }) if stack == "Guarded"),
        "{err}"
    );
    assert!(err.to_string().contains("termination protection"), "{err}");
    assert!(status("Guarded").is_some());

    // moto 5.2 answers UpdateTerminationProtection with HTTP 500, so turning
    // the protection off again is not tested here; the stack stays.
}

/// A load balancer with the given scheme, its listener forwarding to the
/// target group `tg_id`, and a service in that target group, from the
/// generated L1 types.
fn load_balanced_app(
    scheme: ecscdk::cfn::elasticloadbalancingv2::load_balancer::Scheme,
    tg_id: &str,
) -> App {
    use ecscdk::cfn::ecs::CfnService;
    use ecscdk::cfn::ecs::service::LoadBalancer;
    use ecscdk::cfn::elasticloadbalancingv2::listener::{Action, Type};
    use ecscdk::cfn::elasticloadbalancingv2::target_group::{Protocol, TargetType};
    use ecscdk::cfn::elasticloadbalancingv2::{CfnListener, CfnLoadBalancer, CfnTargetGroup};

    let mut app = App::new();
    let mut stack = Stack::new("LbTrap");
    let root = stack.root();
    let lb = stack
        .add(
            root,
            "Lb",
            CfnLoadBalancer {
                scheme: Some(scheme.into()),
                ..CfnLoadBalancer::default()
            },
        )
        .unwrap();
    let tg = stack
        .add(
            root,
            tg_id,
            CfnTargetGroup {
                port: Some(80.into()),
                protocol: Some(Protocol::Http.into()),
                target_type: Some(TargetType::Ip.into()),
                ..CfnTargetGroup::default()
            },
        )
        .unwrap();
    let mut forward = Action::new(Type::Forward);
    forward.target_group_arn = Some(tg.reference().into());
    stack
        .add(
            root,
            "Listener",
            CfnListener::new(vec![Value::from(forward)], lb.reference()),
        )
        .unwrap();
    stack
        .add(
            root,
            "Service",
            CfnService {
                cluster: Some("demo".into()),
                load_balancers: Some(
                    vec![Value::from(LoadBalancer {
                        container_name: Some("web".into()),
                        container_port: Some(80.into()),
                        target_group_arn: Some(tg.reference().into()),
                        ..LoadBalancer::default()
                    })]
                    .into(),
                ),
                ..CfnService::default()
            },
        )
        .unwrap();
    app.add(stack).unwrap();
    app
}

#[test]
fn diff_flags_a_target_group_kept_across_a_load_balancer_replacement() {
    use ecscdk::cfn::elasticloadbalancingv2::load_balancer::Scheme;
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let deployed = load_balanced_app(Scheme::InternetFacing, "Tg")
        .synth()
        .unwrap()
        .stacks()[0]
        .template
        .clone();
    std::fs::write(&old, deployed).unwrap();
    let old_arg = old.to_string_lossy().into_owned();
    let diff = |app: &App| {
        app.run_with_args([
            "app",
            "diff",
            "--template",
            &old_arg,
            "--fail-on",
            "destructive",
        ])
    };

    // The scheme replaces the load balancer and its listener; the target
    // group stays and would block the new listener.
    let err = diff(&load_balanced_app(Scheme::Internal, "Tg")).unwrap_err();
    assert!(
        matches!(&err, Error::Deploy(DeployError::Destructive { count: 3, what })
            if what == "LbTrap/Lb (replaced), LbTrap/Listener (replaced), LbTrap/Tg (the deploy would fail)"),
        "{err}"
    );

    // A new target group (a new id) goes with the new load balancer: only
    // replacements and the old group's removal remain.
    let err = diff(&load_balanced_app(Scheme::Internal, "TgInternal")).unwrap_err();
    assert!(
        matches!(&err, Error::Deploy(DeployError::Destructive { what, .. }) if !what.contains("would fail")),
        "{err}"
    );
}

/// The state of an EC2 instance (`running`, `terminated`), asked of moto
/// over plain HTTP: the EC2 SDK is not worth its compile time for one call.
fn instance_state(id: &str) -> String {
    use std::io::{Read, Write};
    let endpoint = endpoint();
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let body = format!("Action=DescribeInstances&Version=2016-11-15&InstanceId.1={id}");
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let state = response
        .split("<instanceState>")
        .nth(1)
        .and_then(|s| s.split("<name>").nth(1))
        .and_then(|s| s.split("</name>").next())
        .unwrap_or_else(|| panic!("no state for {id}: {response}"));
    state.to_owned()
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn destroy_clears_scale_in_protection_of_the_stacks_auto_scaling_groups() {
    // 60 protected instances: two SetInstanceProtection batches of 50 and 10.
    let mut app = App::new();
    let mut stack = Stack::new("Protected");
    let root = stack.root();
    let template = stack
        .add(
            root,
            "LaunchTemplate",
            RawResource::new("AWS::EC2::LaunchTemplate").property(
                "LaunchTemplateData",
                json!({"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"}),
            ),
        )
        .unwrap();
    let group = stack
        .add(
            root,
            "Asg",
            RawResource::new("AWS::AutoScaling::AutoScalingGroup")
                .property("MinSize", "0")
                .property("MaxSize", "60")
                .property("DesiredCapacity", "60")
                .property("AvailabilityZones", json!(["us-east-1a"]))
                .property("NewInstancesProtectedFromScaleIn", true)
                .property(
                    "LaunchTemplate",
                    Operand::map([
                        ("LaunchTemplateId", Operand::from(template.reference())),
                        (
                            "Version",
                            Operand::from(template.attr("LatestVersionNumber")),
                        ),
                    ]),
                ),
        )
        .unwrap();
    // moto ignores capacity providers; CloudFormation would protect the
    // instances through this one's managed termination protection.
    stack
        .add(
            root,
            "CapacityProvider",
            RawResource::new("AWS::ECS::CapacityProvider").property(
                "AutoScalingGroupProvider",
                Operand::map([
                    ("AutoScalingGroupArn", Operand::from(group.reference())),
                    ("ManagedTerminationProtection", Operand::from("ENABLED")),
                    (
                        "ManagedScaling",
                        Operand::map([("Status", Operand::from("ENABLED"))]),
                    ),
                ]),
            ),
        )
        .unwrap();
    app.add(stack).unwrap();
    run(&app, &["deploy", "--method", "direct"]).unwrap();

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = aws_sdk_autoscaling::Config::builder()
        .behavior_version(aws_sdk_autoscaling::config::BehaviorVersion::latest())
        .region(aws_sdk_autoscaling::config::Region::new("us-east-1"))
        .endpoint_url(endpoint())
        .credentials_provider(aws_sdk_autoscaling::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .build();
    let autoscaling = aws_sdk_autoscaling::Client::from_conf(config);
    let (_, cfn) = client();
    let instances: Vec<String> = rt.block_on(async {
        let resources = cfn
            .describe_stack_resources()
            .stack_name("Protected")
            .send()
            .await
            .unwrap();
        let name = resources
            .stack_resources()
            .iter()
            .find(|r| r.logical_resource_id() == Some("Asg"))
            .and_then(|r| r.physical_resource_id())
            .unwrap()
            .to_owned();
        let groups = autoscaling
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(name)
            .send()
            .await
            .unwrap();
        let group = &groups.auto_scaling_groups()[0];
        assert!(
            group
                .instances()
                .iter()
                .all(|i| i.protected_from_scale_in() == Some(true))
        );
        group
            .instances()
            .iter()
            .map(|i| i.instance_id().unwrap().to_owned())
            .collect()
    });
    assert_eq!(instances.len(), 60);

    run(&app, &["destroy", "--force"]).unwrap();
    assert_eq!(status("Protected"), None);
    // moto, like CloudFormation, scales the group to zero to delete it and
    // leaves protected instances running; every one was terminated.
    for id in &instances {
        assert_eq!(instance_state(id), "terminated", "{id}");
    }
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn a_redeploy_keeps_earlier_parameter_values_and_reports_no_changes() {
    let mut app = App::new();
    let mut stack = Stack::new("Params");
    let delay = stack
        .parameter("QueueDelay", ParameterSpec::number().default(0.0))
        .unwrap();
    let retention = stack
        .parameter("Retention", ParameterSpec::number().default(345_600.0))
        .unwrap();
    let root = stack.root();
    stack
        .add(
            root,
            "Queue",
            RawResource::new("AWS::SQS::Queue")
                .property("DelaySeconds", delay.value())
                .property("MessageRetentionPeriod", retention.value()),
        )
        .unwrap();
    app.add(stack).unwrap();
    let live_parameters = || {
        let (rt, cfn) = client();
        rt.block_on(async {
            let out = cfn
                .describe_stacks()
                .stack_name("Params")
                .send()
                .await
                .unwrap();
            out.stacks()[0]
                .parameters()
                .iter()
                .map(|p| {
                    (
                        p.parameter_key().unwrap().to_owned(),
                        p.parameter_value().unwrap().to_owned(),
                    )
                })
                .collect::<std::collections::BTreeMap<_, _>>()
        })
    };

    run(
        &app,
        &[
            "deploy",
            "--method",
            "direct",
            "--parameters",
            "Params:QueueDelay=5",
        ],
    )
    .unwrap();
    // Unchanged, through a change set: no changes, exit 0.
    run(&app, &["deploy"]).unwrap();
    // One parameter changed; the other keeps its earlier value.
    run(
        &app,
        &[
            "deploy",
            "--method",
            "direct",
            "--parameters",
            "Retention=600",
        ],
    )
    .unwrap();
    assert_eq!(status("Params").as_deref(), Some("UPDATE_COMPLETE"));
    let live = live_parameters();
    assert_eq!(live["QueueDelay"], "5", "{live:?}");
    assert_eq!(live["Retention"], "600", "{live:?}");
    run(&app, &["destroy", "--force"]).unwrap();
}

// ---------------------------------------------------------------------------
// The command line as a process: exit status, printed output, stdin, signals.
//
// `cli` starts this test binary again, running only `cli_child`, which builds
// the app named in `CHILD` and runs the given arguments through the
// library's command line exactly as an example's `fn main() ->
// ecscdk::cli::Result<()>` does: `Error: <message>` on stderr and exit status 1
// on failure.

/// The variable that turns `cli_child` into an app's `main`.
const CHILD: &str = "ECSCDK_DEPLOY_TEST_CHILD";

/// Two independent stacks, `{prefix}A` and `{prefix}B`, a topic each.
fn pair_app(prefix: &str) -> App {
    let mut app = App::new();
    for suffix in ["A", "B"] {
        let mut stack = Stack::new(format!("{prefix}{suffix}"));
        let root = stack.root();
        stack
            .add(root, "Topic", RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        app.add(stack).unwrap();
    }
    app
}

/// Stacks `{prefix}A`, `B`, `C` of one topic each, independent, and `D`,
/// which depends on `A`.
fn fleet_app(prefix: &str) -> App {
    let mut app = App::new();
    let mut stacks: Vec<Stack> = Vec::new();
    for suffix in ["A", "B", "C", "D"] {
        let mut stack = Stack::new(format!("{prefix}{suffix}"));
        let root = stack.root();
        stack
            .add(root, "Topic", RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        if suffix == "D" {
            stack.add_dependency(&stacks[0], "the test's order");
        }
        stacks.push(stack);
    }
    for stack in stacks {
        app.add(stack).unwrap();
    }
    app
}

/// When CloudFormation started working on a stack (its first event: the
/// change set's review) and when it finished (`CREATE_COMPLETE`), in
/// seconds.
fn span(name: &str) -> (f64, f64) {
    let (rt, cfn) = client();
    rt.block_on(async {
        let out = cfn
            .describe_stack_events()
            .stack_name(name)
            .send()
            .await
            .unwrap();
        let times = |status: &str| -> Vec<f64> {
            out.stack_events()
                .iter()
                .filter(|e| e.logical_resource_id() == Some(name))
                .filter(|e| e.resource_status().map(|s| s.as_str()) == Some(status))
                .filter_map(|e| {
                    e.timestamp()
                        .map(aws_sdk_cloudformation::primitives::DateTime::as_secs_f64)
                })
                .collect()
        };
        let start = times("REVIEW_IN_PROGRESS")
            .into_iter()
            .chain(times("CREATE_IN_PROGRESS"))
            .fold(f64::INFINITY, f64::min);
        let end = times("CREATE_COMPLETE").into_iter().fold(0.0, f64::max);
        assert!(start <= end, "{name}: {:?}", out.stack_events());
        (start, end)
    })
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn concurrency_deploys_independent_stacks_together_and_dependents_after() {
    let fleet = fleet_app("Fleet");
    // Left over from an earlier run against the same server.
    run(&fleet, &["destroy", "--force"]).unwrap();
    run(&fleet, &["deploy", "--concurrency", "3"]).unwrap();
    let [a, b, c, d] = ["FleetA", "FleetB", "FleetC", "FleetD"].map(span);
    // A, B and C were under way at the same time ...
    let (latest_start, earliest_end) = (a.0.max(b.0).max(c.0), a.1.min(b.1).min(c.1));
    assert!(latest_start < earliest_end, "{a:?} {b:?} {c:?}");
    // ... and D, which depends on A, started once A was done.
    assert!(d.0 >= a.1, "{a:?} {d:?}");

    // The control: one at a time, each starts after the one before ends.
    let serial = fleet_app("Serial");
    run(&serial, &["destroy", "--force"]).unwrap();
    run(&serial, &["deploy"]).unwrap();
    let spans = ["SerialA", "SerialB", "SerialC", "SerialD"].map(span);
    for pair in spans.windows(2) {
        assert!(pair[1].0 >= pair[0].1, "{spans:?}");
    }
    run(&serial, &["destroy", "--force"]).unwrap();

    // Destroy: D, B and C go together; A waits for D, which depends on it.
    let done = cli_moto(
        "fleet:Fleet",
        &["destroy", "--force", "--concurrency", "3"],
        None,
    )
    .finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let at = |text: &str| {
        done.stderr
            .find(text)
            .unwrap_or_else(|| panic!("{text}: {done:#?}"))
    };
    assert!(
        at("FleetB: destroying") < at("FleetD: destroyed"),
        "{done:#?}"
    );
    assert!(
        at("FleetD: destroyed") < at("FleetA: destroying"),
        "{done:#?}"
    );
    for name in ["FleetA", "FleetB", "FleetC", "FleetD"] {
        assert_eq!(status(name), None);
    }
}

/// Not a test of its own: the `main` of the child processes `cli` starts.
#[test]
fn cli_child() {
    common::child::run_if_child(CHILD, |spec: Vec<String>| {
        let (kind, name) = spec[0].split_once(':').unwrap();
        let app = match kind {
            "pair" => pair_app(name),
            "fleet" => fleet_app(name),
            "stuck" => stuck_app(name),
            "status" => status_app(name),
            "logs" => logs_app(name),
            "targets" => {
                let parts: Vec<&str> = name.split('@').collect();
                targets_app(parts[0], parts[1], parts[2])
            }
            "zones" => {
                let (account, dir) = name.split_once('@').unwrap();
                zones_app(account, std::path::Path::new(dir))
            }
            _ => panic!("unknown child app {kind}"),
        };
        (app, spec[1..].to_vec())
    });
}

/// What a finished command printed and how it exited.
#[derive(Debug)]
struct Finished {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Finished {
    fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "{self:#?}"
        );
    }
}

/// A command started by `cli`, its output collected line by line.
struct Running {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<(bool, String)>,
    stdout: String,
    stderr: String,
}

impl Running {
    /// Waits up to `limit` for a stderr line containing `text`.
    fn wait_for_stderr(&mut self, text: &str, limit: Duration) {
        let deadline = std::time::Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok((is_err, line)) => {
                    let found = is_err && line.contains(text);
                    let out = if is_err {
                        &mut self.stderr
                    } else {
                        &mut self.stdout
                    };
                    out.push_str(&line);
                    out.push('\n');
                    if found {
                        return;
                    }
                }
                Err(_) => break,
            }
        }
        let _ = self.child.kill();
        panic!(
            "no {text:?} on stderr within {limit:?}:\n{}\n{}",
            self.stdout, self.stderr
        );
    }

    /// Waits up to `limit` for the command to end; a command still running
    /// then is killed and fails the test (it hung).
    fn finish(mut self, limit: Duration) -> Finished {
        let deadline = std::time::Instant::now() + limit;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() >= deadline {
                let _ = self.child.kill();
                panic!(
                    "the command still ran after {limit:?}:\n{}\n{}",
                    self.stdout, self.stderr
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        // The readers end with the pipes.
        for (is_err, line) in self.lines.iter() {
            let out = if is_err {
                &mut self.stderr
            } else {
                &mut self.stdout
            };
            out.push_str(&line);
            out.push('\n');
        }
        Finished {
            code: status.code(),
            stdout: self.stdout,
            stderr: self.stderr,
        }
    }
}

/// Starts the app `app` (`pair:Prefix`, `stuck:Name`) as a process with the
/// command line `args`. `stdin`: `None` for no input at all (`/dev/null`),
/// or the bytes to write before closing it. `env` adjusts the environment.
fn cli(
    app: &str,
    args: &[&str],
    stdin: Option<&[u8]>,
    env: impl FnOnce(&mut std::process::Command),
) -> Running {
    use std::io::{BufRead, Write};
    use std::process::Stdio;
    let mut spec = vec![app.to_owned()];
    spec.extend(args.iter().map(|a| (*a).to_owned()));
    let mut command = common::child::command("cli_child", CHILD, &spec, env);
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(bytes).unwrap();
        // Dropped: closed.
    }
    let (tx, lines) = std::sync::mpsc::channel();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let err = std::io::BufReader::new(child.stderr.take().unwrap());
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            let _ = tx.send((false, line));
        }
    });
    std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            let _ = tx2.send((true, line));
        }
    });
    Running {
        child,
        lines,
        stdout: String::new(),
        stderr: String::new(),
    }
}

/// `cli` against moto, with the suite's dummy credentials.
fn cli_moto(app: &str, args: &[&str], stdin: Option<&[u8]>) -> Running {
    let endpoint = endpoint();
    // Before a `--`, after which everything is the task's command.
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let mut all = args[..split].to_vec();
    all.extend(["--endpoint-url", endpoint.as_str(), "--region", "us-east-1"]);
    all.extend(&args[split..]);
    cli(app, &all, stdin, |_| {})
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn destroy_asks_first_and_refuses_without_an_answer() {
    let app = pair_app("Confirm");
    run(&app, &["deploy", "--method", "direct"]).unwrap();
    let question = "Delete the stacks ConfirmB, ConfirmA? [y/N]";
    let refused =
        "Error: destroy cancelled; nothing was deleted (pass --force to skip the question)";

    // "n", no input at all (/dev/null), and a pipe closed without a word:
    // each refuses at once, exits 1 and deletes nothing.
    for stdin in [Some(&b"n\n"[..]), None, Some(&b""[..])] {
        let done = cli_moto("pair:Confirm", &["destroy"], stdin).finish(Duration::from_secs(30));
        assert_eq!(done.code, Some(1), "{stdin:?}: {done:#?}");
        assert!(done.stderr.contains(question), "{done:#?}");
        assert!(done.stderr.contains(refused), "{done:#?}");
        assert!(!done.stderr.contains("destroying"), "{done:#?}");
        done.assert_no_panic();
        assert_eq!(status("ConfirmA").as_deref(), Some("CREATE_COMPLETE"));
        assert_eq!(status("ConfirmB").as_deref(), Some("CREATE_COMPLETE"));
    }

    // "y": both go, dependents first, exit 0.
    let done = cli_moto("pair:Confirm", &["destroy"], Some(b"y\n")).finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(done.stderr.contains(question), "{done:#?}");
    let b = done
        .stderr
        .find("ConfirmB: destroyed")
        .expect("B destroyed");
    let a = done
        .stderr
        .find("ConfirmA: destroyed")
        .expect("A destroyed");
    assert!(b < a, "{done:#?}");
    assert_eq!(status("ConfirmA"), None);
    assert_eq!(status("ConfirmB"), None);
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn list_deployed_prints_each_stacks_live_status() {
    let app = pair_app("Listed");
    // Left over from an earlier run against the same server.
    run(&app, &["destroy", "--force"]).unwrap();
    run(&app, &["deploy", "ListedA", "--method", "direct"]).unwrap();
    let lines = |done: &Finished| -> Vec<String> {
        done.stdout
            .lines()
            .filter(|l| l.starts_with("Listed"))
            .map(str::to_owned)
            .collect()
    };

    let done =
        cli_moto("pair:Listed", &["list", "--deployed"], None).finish(Duration::from_secs(30));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(
        lines(&done),
        ["ListedA\tCREATE_COMPLETE", "ListedB\tNOT_DEPLOYED"],
        "{done:#?}"
    );
    let done = cli_moto("pair:Listed", &["list", "--long", "--deployed"], None)
        .finish(Duration::from_secs(30));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(
        lines(&done),
        [
            "ListedA\tname=ListedA\tenv=aws://unknown-account/unknown-region\tdepends-on=-\tCREATE_COMPLETE",
            "ListedB\tname=ListedB\tenv=aws://unknown-account/unknown-region\tdepends-on=-\tNOT_DEPLOYED",
        ],
        "{done:#?}"
    );

    run(&app, &["destroy", "--force"]).unwrap();
    let done =
        cli_moto("pair:Listed", &["list", "--deployed"], None).finish(Duration::from_secs(30));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(
        lines(&done),
        ["ListedA\tNOT_DEPLOYED", "ListedB\tNOT_DEPLOYED"],
        "{done:#?}"
    );
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn without_credentials_every_command_says_how_to_configure_them() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").unwrap();
    let endpoint = endpoint();
    for command in [&["deploy", "--timeout", "5s"][..], &["list", "--deployed"]] {
        let mut args = command.to_vec();
        args.extend(["--endpoint-url", endpoint.as_str(), "--region", "us-east-1"]);
        let started = std::time::Instant::now();
        let done = cli("pair:NoCreds", &args, None, |c| {
            // Nothing to find: no variables, empty files, no instance metadata.
            c.env_clear()
                .env("HOME", dir.path())
                .env("AWS_CONFIG_FILE", &empty)
                .env("AWS_SHARED_CREDENTIALS_FILE", &empty)
                .env("AWS_EC2_METADATA_DISABLED", "true");
        })
        .finish(Duration::from_secs(60));
        assert!(started.elapsed() < Duration::from_secs(30), "{done:#?}");
        assert_eq!(done.code, Some(1), "{done:#?}");
        done.assert_no_panic();
        assert!(
            done.stderr.starts_with("Error: [NoCredsA] DescribeStacks failed: dispatch failure: other: the credential provider was not enabled: no credentials found in chain."),
            "{done:#?}"
        );
        assert!(
            done.stderr.ends_with("; configure credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a --profile, or SSO) and retry\n"),
            "{done:#?}"
        );
    }
}

#[test]
fn an_unreachable_endpoint_fails_at_once_with_a_clear_message() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = std::time::Instant::now();
    let done = cli(
        "pair:Unreachable",
        &[
            "deploy",
            "--timeout",
            "5s",
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
        ],
        None,
        |c| {
            c.env_remove("AWS_PROFILE")
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_CONFIG_FILE", "/dev/null")
                .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
                .env("AWS_EC2_METADATA_DISABLED", "true");
        },
    )
    .finish(Duration::from_secs(60));
    // A refused connection is not retried with backoff (about a minute).
    assert!(started.elapsed() < Duration::from_secs(30), "{done:#?}");
    assert_eq!(done.code, Some(1), "{done:#?}");
    done.assert_no_panic();
    assert!(
        done.stderr
            .starts_with("Error: [UnreachableA] DescribeStacks failed: dispatch failure"),
        "{done:#?}"
    );
    assert!(done.stderr.contains("Connection refused"), "{done:#?}");
    assert!(
        done.stderr.contains("check --region / the stack's environment and --endpoint-url, and that the endpoint is reachable"),
        "{done:#?}"
    );
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn an_interrupted_deploy_is_waited_for_by_the_next_one() {
    run(
        &stuck_app("Interrupted"),
        &["destroy", "--force", "--timeout", "2s"],
    )
    .unwrap();
    let mut deploy = cli_moto(
        "stuck:Interrupted",
        &["deploy", "--method", "direct", "--timeout", "60s"],
        None,
    );
    // The first event printed: the wait has started listening for Ctrl-C.
    deploy.wait_for_stderr("| CREATE_IN_PROGRESS", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(700));
    let pid = deploy.child.id().to_string();
    // Ctrl-C, again each second in case one arrived between two listens.
    let started = std::time::Instant::now();
    while deploy.child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(10)
    {
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap();
        std::thread::sleep(Duration::from_secs(1));
    }
    let done = deploy.finish(Duration::from_secs(5));
    assert_eq!(done.code, Some(1), "{done:#?}");
    done.assert_no_panic();
    assert!(
        done.stderr.contains(
            "Error: [Interrupted] interrupted while the stack is CREATE_IN_PROGRESS; CloudFormation keeps working on it, and the next deploy or destroy waits for it to finish"
        ),
        "{done:#?}"
    );
    assert_eq!(status("Interrupted").as_deref(), Some("CREATE_IN_PROGRESS"));

    // The next deploy waits for that creation instead of failing on it; moto
    // never finishes it, so the budget names what is stuck.
    let done = cli_moto(
        "stuck:Interrupted",
        &["deploy", "--method", "direct", "--timeout", "2s"],
        None,
    )
    .finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(1), "{done:#?}");
    done.assert_no_panic();
    assert!(
        done.stderr.contains(
            "Interrupted: waiting for the operation in progress (CREATE_IN_PROGRESS) to finish"
        ),
        "{done:#?}"
    );
    assert!(
        done.stderr.contains(
            "Error: [Interrupted] no progress for 2 s (status CREATE_IN_PROGRESS); still in progress: "
        ),
        "{done:#?}"
    );
    // moto reports the stack's other resources in progress as well.
    assert!(done.stderr.contains("Custom (Custom::Never)"), "{done:#?}");
    assert!(
        done.stderr.contains(
            "CloudFormation cannot cancel a stack in CREATE_IN_PROGRESS; it keeps working, and the next deploy waits for it; raise --timeout if it needs longer"
        ),
        "{done:#?}"
    );
    assert!(!done.stderr.contains("creating"), "{done:#?}");

    // destroy waits too, then deletes it.
    run(
        &stuck_app("Interrupted"),
        &["destroy", "--force", "--timeout", "2s"],
    )
    .unwrap();
    assert_eq!(status("Interrupted"), None);
}

#[test]
fn a_mistyped_region_fails_at_once_with_a_clear_message() {
    let env = |c: &mut std::process::Command| {
        c.env_remove("AWS_PROFILE")
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_REGION")
            .env_remove("AWS_DEFAULT_REGION")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_EC2_METADATA_DISABLED", "true");
    };
    // Not a region code at all: rejected before any call.
    for region in ["us-east-1a", "useast1"] {
        let done = cli(
            "pair:Typo",
            &["list", "--deployed", "--region", region],
            None,
            env,
        )
        .finish(Duration::from_secs(10));
        assert_eq!(done.code, Some(1), "{done:#?}");
        done.assert_no_panic();
        assert_eq!(
            done.stderr,
            format!(
                "Error: invalid region {region:?}: write a region code such as us-east-1 or eu-west-2 (an availability zone such as us-east-1a is not a region) in the stack's Env, --region, AWS_REGION or the profile\n"
            ),
            "{done:#?}"
        );
    }
}

/// A VPC over three zones in `account`/us-east-1, its context file in `dir`.
fn zones_app(account: &str, dir: &std::path::Path) -> App {
    let mut stack = Stack::new("Zones").env(ecscdk::Env::new(account, "us-east-1"));
    ecscdk::ec2::Vpc::builder("Vpc")
        .max_azs(3)
        .nat_gateways(0)
        .build(&mut stack)
        .unwrap();
    let mut app = App::new().context_file(dir.join("cdk.context.json"));
    app.add(stack).unwrap();
    app
}

const ZONES_KEY: &str = "availability-zones:account=123456789012:region=us-east-1";

/// The CDK CLI's loop: synth finds the entry missing, looks the zones up
/// (EC2 `DescribeAvailabilityZones` and STS, signed, over HTTP to moto),
/// saves them in the CDK's format and synthesizes with them; the next synth
/// needs no AWS at all; `context` lists and resets the entry.
#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn synth_looks_up_missing_zones_saves_them_and_context_resets_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let out = out.to_str().unwrap();
    let app = format!("zones:123456789012@{}", dir.path().display());
    let done = cli_moto(&app, &["synth", "--quiet", "--output", out], None)
        .finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(
        done.stderr
            .contains(&format!("Looking up context: {ZONES_KEY}")),
        "{done:#?}"
    );
    let file = dir.path().join("cdk.context.json");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let zones: Vec<String> = saved[ZONES_KEY]
        .as_array()
        .expect("the zones are saved under the CDK's key")
        .iter()
        .map(|z| z.as_str().unwrap().to_owned())
        .collect();
    assert!(zones.len() >= 3, "{zones:?}");
    assert!(
        zones.iter().all(|z| z.starts_with("us-east-1")),
        "{zones:?}"
    );
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("cdk.out/Zones.template.json")).unwrap(),
    )
    .unwrap();
    let used: Vec<&str> = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::Subnet")
        .map(|r| r["Properties"]["AvailabilityZone"].as_str().unwrap())
        .collect();
    assert_eq!(
        used.get(..3),
        Some(&zones[..3].iter().map(String::as_str).collect::<Vec<_>>()[..])
    );

    // Saved: an endpoint that refuses every connection is never called.
    let done = cli(
        &app,
        &[
            "synth",
            "--quiet",
            "--output",
            out,
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        None,
        |_| {},
    )
    .finish(Duration::from_secs(30));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(!done.stderr.contains("Looking up"), "{done:#?}");

    let done = cli(&app, &["context"], None, |_| {}).finish(Duration::from_secs(30));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(
        done.stdout.contains(&format!(" 1  {ZONES_KEY}  [\"")),
        "{done:#?}"
    );
    let done =
        cli(&app, &["context", "--reset", "2"], None, |_| {}).finish(Duration::from_secs(30));
    assert_eq!(done.code, Some(1), "{done:#?}");
    assert!(done.stderr.contains("no context entry \"2\""), "{done:#?}");
    let done =
        cli(&app, &["context", "--reset", "1"], None, |_| {}).finish(Duration::from_secs(30));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "{}\n");
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn a_lookup_with_credentials_of_another_account_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let app = format!("zones:111111111111@{}", dir.path().display());
    let done = cli_moto(
        &app,
        &["synth", "--quiet", "--output", out.to_str().unwrap()],
        None,
    )
    .finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(1), "{done:#?}");
    done.assert_no_panic();
    assert!(
        done.stderr.contains("111111111111") && done.stderr.contains("123456789012"),
        "{done:#?}"
    );
    assert!(!dir.path().join("cdk.context.json").exists());
}

/// Without credentials, synth stops and says how to provide the entry.
#[test]
fn a_lookup_without_credentials_says_how_to_provide_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let app = format!("zones:123456789012@{}", dir.path().display());
    let done = cli(
        &app,
        &[
            "synth",
            "--quiet",
            "--output",
            out.to_str().unwrap(),
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        None,
        |c| {
            c.env_remove("AWS_ACCESS_KEY_ID")
                .env_remove("AWS_SECRET_ACCESS_KEY")
                .env_remove("AWS_SESSION_TOKEN")
                .env_remove("AWS_PROFILE")
                .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
                .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
                .env("AWS_CONFIG_FILE", "/dev/null")
                .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
                .env("AWS_EC2_METADATA_DISABLED", "true");
        },
    )
    .finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(1), "{done:#?}");
    done.assert_no_panic();
    assert!(
        done.stderr.starts_with(&format!("Looking up context: {ZONES_KEY}\nError: cannot look up the context entry `{ZONES_KEY}`: ")),
        "{done:#?}"
    );
    assert!(
        done.stderr
            .contains("add the entry to the app's cdk.context.json by hand: {"),
        "{done:#?}"
    );
}

/// A producer with a topic and, when `referenced`, a consumer whose output
/// reads it through an export (a strong reference); without, the consumer
/// stands alone and the producer exports nothing.
fn producer_consumer(prefix: &str, referenced: bool) -> App {
    let mut app = App::new();
    let mut producer = Stack::new(format!("{prefix}Producer"));
    let root = producer.root();
    let topic = producer
        .add(root, "Topic", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    let mut consumer = Stack::new(format!("{prefix}Consumer"));
    let root = consumer.root();
    consumer
        .add(root, "Queue", RawResource::new("AWS::SQS::Queue"))
        .unwrap();
    if referenced {
        consumer.output("TopicArn", topic.reference()).unwrap();
    }
    app.add(producer).unwrap();
    app.add(consumer).unwrap();
    app
}

/// The deadly embrace, caught before CloudFormation: an update that drops
/// an export a deployed stack still imports is refused, naming both; once
/// the consumer is deployed without the reference, the producer's update
/// goes through. moto has no `ListImports` (HTTP 500), so this runs the
/// guard's other source, the app's deployed templates.
#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn an_update_that_drops_an_imported_export_is_refused_before_cloudformation() {
    run(
        &producer_consumer("Embrace", true),
        &["deploy", "--method", "direct"],
    )
    .unwrap();
    assert!(deployed_template("EmbraceConsumer").contains("Fn::ImportValue"));
    let unreferenced = producer_consumer("Embrace", false);
    let err = run(
        &unreferenced,
        &[
            "deploy",
            "EmbraceProducer",
            "--exclusively",
            "--method",
            "direct",
        ],
    )
    .unwrap_err();
    match &err {
        Error::Deploy(DeployError::ExportInUse {
            stack,
            export,
            importers,
        }) => {
            assert_eq!(stack, "EmbraceProducer");
            assert!(
                export.starts_with("EmbraceProducer:ExportsOutputRefTopic"),
                "{export}"
            );
            assert_eq!(importers, &["EmbraceConsumer"]);
        }
        other => panic!("expected ExportInUse, got {other:?}"),
    }
    assert!(
        err.to_string().contains("deploy those stacks first"),
        "{err}"
    );
    // The producer still exports.
    assert!(deployed_template("EmbraceProducer").contains("Export"));

    // Consumer first, then the producer: both updates go through.
    run(
        &unreferenced,
        &[
            "deploy",
            "EmbraceConsumer",
            "--exclusively",
            "--method",
            "direct",
        ],
    )
    .unwrap();
    run(
        &unreferenced,
        &[
            "deploy",
            "EmbraceProducer",
            "--exclusively",
            "--method",
            "direct",
        ],
    )
    .unwrap();
    assert!(!deployed_template("EmbraceProducer").contains("Export"));
    run(&unreferenced, &["destroy", "--force"]).unwrap();
}

/// A cluster and a Fargate service `Web` of the task definition `Task`,
/// one nginx task, in subnets and a security group given by id (moto checks
/// neither); with `logging`, its container `web` logs with awslogs (stream
/// prefix `web`).
fn fargate_app(name: &str, logging: bool) -> App {
    use ecscdk::ecs::{
        Cluster, Container, ContainerImage, FargateService, FargateTaskDefinition, LogDriver,
    };
    let mut stack = Stack::new(name);
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let mut container = Container::builder(
        "web",
        ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
    )
    .writable_root_filesystem();
    if logging {
        container = container.logging(LogDriver::aws_logs("web"));
    }
    let task = FargateTaskDefinition::builder("Task")
        .container(container)
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Web", &cluster, &task)
        .desired_count(1)
        .subnet_ids(["subnet-0123456789abcdef0"])
        .security_group_ids(["sg-0123456789abcdef0"])
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    app
}

fn status_app(name: &str) -> App {
    fargate_app(name, false)
}

fn logs_app(name: &str) -> App {
    fargate_app(name, true)
}

/// `status` names each service by its construct path, with its counts and
/// deployments as ECS reports them (`DescribeServices` over HTTP to moto),
/// and says when a stack is not deployed.
#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn status_shows_each_service_by_construct_path() {
    // What `status` printed, without the test harness's own lines.
    let printed = |done: &Finished| -> Vec<String> {
        done.stdout
            .lines()
            .filter(|l| !l.trim().is_empty() && l.trim() != "running 1 test")
            .map(str::to_owned)
            .collect()
    };
    let done = cli_moto("status:Status", &["status"], None).finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(printed(&done), ["Status: NOT_DEPLOYED"], "{done:#?}");

    run(&status_app("Status"), &["deploy", "--method", "direct"]).unwrap();
    let done =
        cli_moto("status:Status", &["status", "Status"], None).finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let lines = printed(&done);
    assert_eq!(
        lines.first().map(String::as_str),
        Some("Status: CREATE_COMPLETE"),
        "{done:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  Status/Web: desired 1, running ")),
        "{done:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("    deployment PRIMARY")),
        "{done:#?}"
    );
    run(&status_app("Status"), &["destroy", "--force"]).unwrap();
}

/// `logs PATH` finds the log group and stream prefix from the app (the
/// group's physical name through CloudFormation), reads the container's
/// streams with `FilterLogEvents` over HTTP to moto, and prints each event
/// as `container/task message`, oldest first; a path that names nothing
/// lists the paths that do.
#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn logs_prints_a_services_container_output_by_construct_path() {
    run(&logs_app("Logs"), &["deploy", "--method", "direct"]).unwrap();
    // What ECS would write: the group of the stack, stream prefix/container/task.
    let template: serde_json::Value = serde_json::from_str(&deployed_template("Logs")).unwrap();
    let group_id = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::Logs::LogGroup")
        .map(|(id, _)| id.clone())
        .unwrap();
    let (rt, cfn) = client();
    let group = rt.block_on(async {
        cfn.describe_stack_resource()
            .stack_name("Logs")
            .logical_resource_id(&group_id)
            .send()
            .await
            .unwrap()
            .stack_resource_detail()
            .unwrap()
            .physical_resource_id()
            .unwrap()
            .to_owned()
    });
    let logs = aws_sdk_cloudwatchlogs::Client::from_conf(
        aws_sdk_cloudwatchlogs::Config::builder()
            .behavior_version(aws_sdk_cloudwatchlogs::config::BehaviorVersion::latest())
            .region(aws_sdk_cloudwatchlogs::config::Region::new("us-east-1"))
            .endpoint_url(endpoint())
            .credentials_provider(aws_sdk_cloudwatchlogs::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .build(),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    rt.block_on(async {
        for (stream, offset, message) in [
            ("web/web/0123456789abcdef", 2, "second"),
            ("web/web/0123456789abcdef", 1, "first"),
            ("other/web/fedcba9876543210", 3, "not this container's"),
        ] {
            let _ = logs
                .create_log_stream()
                .log_group_name(&group)
                .log_stream_name(stream)
                .send()
                .await;
            logs.put_log_events()
                .log_group_name(&group)
                .log_stream_name(stream)
                .log_events(
                    aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                        .timestamp(now - 60_000 + offset)
                        .message(message)
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .unwrap();
        }
    });
    let done = cli_moto("logs:Logs", &["logs", "Logs/Web", "--since", "5m"], None)
        .finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let printed: Vec<&str> = done
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty() && l.trim() != "running 1 test")
        .collect();
    assert_eq!(
        printed,
        ["web/01234567 first", "web/01234567 second"],
        "{done:#?}"
    );

    let done =
        cli_moto("logs:Logs", &["logs", "Logs/Nothing"], None).finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(1), "{done:#?}");
    assert!(
        done.stderr.contains("the app has: Logs/Task, Logs/Web"),
        "{done:#?}"
    );
    run(&logs_app("Logs"), &["destroy", "--force"]).unwrap();
}

/// A Fargate service `Web` of one nginx task in `subnet`, registered with
/// the target group `Tg` of an Application Load Balancer (generated L1
/// types: moto models the load balancer without subnets).
fn targets_app(name: &str, subnet: &str, vpc: &str) -> App {
    use ecscdk::cfn::elasticloadbalancingv2::listener::{Action, Type};
    use ecscdk::cfn::elasticloadbalancingv2::target_group::{Protocol, TargetType};
    use ecscdk::cfn::elasticloadbalancingv2::{CfnListener, CfnLoadBalancer, CfnTargetGroup};
    use ecscdk::ecs::{
        Cluster, Container, ContainerImage, FargateService, FargateTaskDefinition, PortMapping,
    };
    let mut stack = Stack::new(name);
    let root = stack.root();
    let lb = stack
        .add(
            root,
            "Lb",
            CfnLoadBalancer {
                subnets: Some(vec![Value::from(subnet.to_owned())].into()),
                ..CfnLoadBalancer::default()
            },
        )
        .unwrap();
    let tg = stack
        .add(
            root,
            "Tg",
            CfnTargetGroup {
                port: Some(80.into()),
                protocol: Some(Protocol::Http.into()),
                target_type: Some(TargetType::Ip.into()),
                vpc_id: Some(vpc.to_owned().into()),
                ..CfnTargetGroup::default()
            },
        )
        .unwrap();
    let mut forward = Action::new(Type::Forward);
    forward.target_group_arn = Some(tg.reference().into());
    let mut listener = CfnListener::new(vec![Value::from(forward)], lb.reference());
    listener.port = Some(80.into());
    listener.protocol = Some(ecscdk::cfn::elasticloadbalancingv2::listener::Protocol::Http.into());
    let listener = stack.add(root, "Listener", listener).unwrap();
    let cluster = Cluster::builder("Cluster").build(&mut stack).unwrap();
    let task = FargateTaskDefinition::builder("Task")
        .container(
            Container::builder(
                "web",
                ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
            )
            .port(PortMapping::tcp(80))
            // moto's RunTask adds up the containers' own CPU and memory.
            .cpu_units(256)
            .memory_limit_mib(512)
            .writable_root_filesystem(),
        )
        .build(&mut stack)
        .unwrap();
    FargateService::builder("Web", &cluster, &task)
        .desired_count(1)
        .subnet_ids([subnet])
        .security_group_ids(["sg-0123456789abcdef0"])
        .load_balancer_target(tg.reference(), "web", 80, [listener.untyped()])
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    app
}

/// The first subnet of moto's default VPC and the VPC, asked over plain
/// HTTP (as `instance_state`): a load balancer, a target group and a task
/// in `awsvpc` mode need ones moto knows.
fn default_network() -> (String, String) {
    use std::io::{Read, Write};
    let endpoint = endpoint();
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let body = "Action=DescribeSubnets&Version=2016-11-15";
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let item = response
        .split("<item>")
        .nth(1)
        .unwrap_or_else(|| panic!("no subnet: {response}"));
    let field = |name: &str| {
        item.split(&format!("<{name}>"))
            .nth(1)
            .and_then(|s| s.split(&format!("</{name}>")).next())
            .unwrap_or_else(|| panic!("no {name}: {response}"))
            .to_owned()
    };
    (field("subnetId"), field("vpcId"))
}

fn ecs_client() -> aws_sdk_ecs::Client {
    aws_sdk_ecs::Client::from_conf(
        aws_sdk_ecs::Config::builder()
            .behavior_version(aws_sdk_ecs::config::BehaviorVersion::latest())
            .region(aws_sdk_ecs::config::Region::new("us-east-1"))
            .endpoint_url(endpoint())
            .credentials_provider(aws_sdk_ecs::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .build(),
    )
}

fn elb_client() -> aws_sdk_elasticloadbalancingv2::Client {
    use aws_sdk_elasticloadbalancingv2::config;
    aws_sdk_elasticloadbalancingv2::Client::from_conf(
        config::Builder::new()
            .behavior_version(config::BehaviorVersion::latest())
            .region(config::Region::new("us-east-1"))
            .endpoint_url(endpoint())
            .credentials_provider(config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .build(),
    )
}

/// `status` reads what a failing service shows in ECS and Elastic Load
/// Balancing, over HTTP to moto: a task of the primary deployment that
/// stopped (started and stopped through moto's API with ECS's reason, as
/// moto runs no containers), and the target group's targets with their
/// health (moto reports a registered IP target healthy; an unhealthy one
/// is shown by the recorded answers of the deploy crate's tests).
#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn status_shows_the_stopped_tasks_and_targets_of_each_service() {
    let (subnet, vpc) = default_network();
    run(
        &targets_app("Targets", &subnet, &vpc),
        &["deploy", "--method", "direct"],
    )
    .unwrap();
    let (rt, cfn) = client();
    let ecs = ecs_client();
    let elb = elb_client();
    let physical = |logical: &str| {
        rt.block_on(
            cfn.describe_stack_resource()
                .stack_name("Targets")
                .logical_resource_id(logical)
                .send(),
        )
        .unwrap()
        .stack_resource_detail()
        .unwrap()
        .physical_resource_id()
        .unwrap()
        .to_owned()
    };
    let template: serde_json::Value = serde_json::from_str(&deployed_template("Targets")).unwrap();
    let service_id = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::ECS::Service")
        .map(|(id, _)| id.clone())
        .unwrap();
    let service_arn = physical(&service_id);
    let cluster = service_arn.split('/').nth(1).unwrap().to_owned();
    let service = rt
        .block_on(
            ecs.describe_services()
                .cluster(&cluster)
                .services(&service_arn)
                .send(),
        )
        .unwrap()
        .services()[0]
        .clone();
    let deployment = service.deployments()[0].id().unwrap().to_owned();
    let task_definition = service.task_definition().unwrap().to_owned();
    // A task of the deployment, stopped as ECS stops one whose essential
    // container exits.
    use aws_sdk_ecs::types::{AwsVpcConfiguration, LaunchType, NetworkConfiguration};
    let started = rt
        .block_on(
            ecs.run_task()
                .cluster(&cluster)
                .task_definition(&task_definition)
                .launch_type(LaunchType::Fargate)
                .started_by(&deployment)
                .network_configuration(
                    NetworkConfiguration::builder()
                        .awsvpc_configuration(
                            AwsVpcConfiguration::builder()
                                .subnets(&subnet)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .send(),
        )
        .unwrap();
    let task_arn = started.tasks()[0].task_arn().unwrap().to_owned();
    rt.block_on(
        ecs.stop_task()
            .cluster(&cluster)
            .task(&task_arn)
            .reason("Essential container in task exited")
            .send(),
    )
    .unwrap();
    let target_group = physical("Tg");
    // moto's CloudFormation drops a service's LoadBalancers (a TODO in
    // moto 5.2): give them to moto's ECS as CloudFormation gives them to
    // ECS.
    rt.block_on(
        ecs.update_service()
            .cluster(&cluster)
            .service(&service_arn)
            .load_balancers(
                aws_sdk_ecs::types::LoadBalancer::builder()
                    .target_group_arn(&target_group)
                    .container_name("web")
                    .container_port(80)
                    .build(),
            )
            .send(),
    )
    .unwrap();
    rt.block_on(
        elb.register_targets()
            .target_group_arn(&target_group)
            .targets(
                aws_sdk_elasticloadbalancingv2::types::TargetDescription::builder()
                    .id("10.0.1.17")
                    .port(80)
                    .build(),
            )
            .send(),
    )
    .unwrap();

    let spec = format!("targets:Targets@{subnet}@{vpc}");
    let done = cli_moto(&spec, &["status", "Targets"], None).finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let task_id = task_arn.rsplit('/').next().unwrap();
    assert!(
        done.stdout.lines().any(|l| l
            == format!("    stopped: task {task_id}: Essential container in task exited; container web: exit 0")),
        "{done:#?}"
    );
    let group_name = target_group.split(":targetgroup/").nth(1).unwrap();
    assert!(
        done.stdout
            .lines()
            .any(|l| l == format!("    targets of {group_name}: 1 of 1 healthy")),
        "{done:#?}"
    );
    run(
        &targets_app("Targets", &subnet, &vpc),
        &["destroy", "--force"],
    )
    .unwrap();
}

/// `run-task PATH --wait` runs the task definition on the stack's cluster
/// with the overrides given, prints the task's awslogs output (the stream
/// `<prefix>/<container>/<task id>`) and its end, and exits with its
/// container's code, over HTTP to moto (whose tasks stop by themselves
/// after a few DescribeTasks, with exit code 0; a non-zero code is tested
/// on recorded answers). moto's CloudFormation gives its services no
/// network configuration and the EC2 launch type, so the subnets, security
/// group and launch type are given.
#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn run_task_runs_a_task_definition_and_waits_for_its_end() {
    let (subnet, vpc) = default_network();
    run(
        &targets_app("RunTask", &subnet, &vpc),
        &["deploy", "--method", "direct"],
    )
    .unwrap();
    let spec = format!("targets:RunTask@{subnet}@{vpc}");
    let mut running = cli_moto(
        &spec,
        &[
            "run-task",
            "RunTask/Task",
            "--wait",
            "--launch-type",
            "FARGATE",
            "--subnets",
            &subnet,
            "--security-groups",
            "sg-0123456789abcdef0",
            "--env",
            "MODE=migrate",
            "--",
            "sh",
            "-c",
            "echo migrated",
        ],
        None,
    );
    running.wait_for_stderr("RunTask/Task: started task ", Duration::from_secs(60));
    let task_id = running
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("RunTask/Task: started task "))
        .and_then(|rest| rest.split(' ').next())
        .unwrap()
        .to_owned();
    // What the container would write, where ECS writes it.
    let template: serde_json::Value = serde_json::from_str(&deployed_template("RunTask")).unwrap();
    let group_id = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::Logs::LogGroup")
        .map(|(id, _)| id.clone())
        .unwrap();
    let (rt, cfn) = client();
    let group = rt
        .block_on(
            cfn.describe_stack_resource()
                .stack_name("RunTask")
                .logical_resource_id(&group_id)
                .send(),
        )
        .unwrap()
        .stack_resource_detail()
        .unwrap()
        .physical_resource_id()
        .unwrap()
        .to_owned();
    let logs = aws_sdk_cloudwatchlogs::Client::from_conf(
        aws_sdk_cloudwatchlogs::Config::builder()
            .behavior_version(aws_sdk_cloudwatchlogs::config::BehaviorVersion::latest())
            .region(aws_sdk_cloudwatchlogs::config::Region::new("us-east-1"))
            .endpoint_url(endpoint())
            .credentials_provider(aws_sdk_cloudwatchlogs::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .build(),
    );
    let stream = format!("web/web/{task_id}");
    rt.block_on(
        logs.create_log_stream()
            .log_group_name(&group)
            .log_stream_name(&stream)
            .send(),
    )
    .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    rt.block_on(
        logs.put_log_events()
            .log_group_name(&group)
            .log_stream_name(&stream)
            .log_events(
                aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                    .timestamp(now)
                    .message("migrated")
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    let done = running.finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let short = task_id.get(..8).unwrap();
    assert!(
        done.stdout
            .lines()
            .any(|l| l == format!("web/{short} migrated")),
        "{done:#?}"
    );
    assert!(
        done.stderr
            .contains(&format!("RunTask/Task: task {task_id} STOPPED")),
        "{done:#?}"
    );
    // The task ECS ran: the task definition of the stack, the overrides.
    let ecs = ecs_client();
    let cluster = rt
        .block_on(cfn.describe_stack_resources().stack_name("RunTask").send())
        .unwrap()
        .stack_resources()
        .iter()
        .find(|r| r.resource_type() == Some("AWS::ECS::Cluster"))
        .and_then(|r| r.physical_resource_id())
        .unwrap()
        .to_owned();
    let described = rt
        .block_on(
            ecs.describe_tasks()
                .cluster(&cluster)
                .tasks(&task_id)
                .send(),
        )
        .unwrap();
    let task = &described.tasks()[0];
    let overrides = &task.overrides().unwrap().container_overrides()[0];
    assert_eq!(overrides.name(), Some("web"));
    assert_eq!(overrides.command(), ["sh", "-c", "echo migrated"]);
    assert_eq!(overrides.environment()[0].name(), Some("MODE"));
    assert!(task.started_by().unwrap().starts_with("ecscdk/"));

    // Without --wait: the task's ARN alone on stdout.
    let done = cli_moto(
        &spec,
        &[
            "run-task",
            "RunTask/Web",
            "--launch-type",
            "FARGATE",
            "--subnets",
            &subnet,
            "--security-groups",
            "sg-0123456789abcdef0",
        ],
        None,
    )
    .finish(Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let printed: Vec<&str> = done
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty() && l.trim() != "running 1 test")
        .collect();
    assert!(
        printed.len() == 1
            && printed[0].starts_with("arn:aws:ecs:us-east-1:")
            && printed[0].contains(":task/"),
        "{done:#?}"
    );
    run(
        &targets_app("RunTask", &subnet, &vpc),
        &["destroy", "--force"],
    )
    .unwrap();
}

/// `run-task` and `logs` of a stack that is not deployed: said so, exit 1.
#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn run_task_of_a_stack_not_deployed_says_so() {
    let done = cli_moto(
        "status:NotHere",
        &[
            "run-task",
            "NotHere/Task",
            "--subnets",
            "subnet-0123456789abcdef0",
        ],
        None,
    )
    .finish(Duration::from_secs(60));
    done.assert_no_panic();
    assert_eq!(done.code, Some(1), "{done:#?}");
    assert!(
        done.stderr
            .contains("[NotHere] the stack is not deployed; deploy it first"),
        "{done:#?}"
    );
}

/// A path that names no task definition or service, or names another kind
/// of resource, fails before any call to AWS, listing the paths that do.
#[test]
fn run_task_of_an_unknown_path_lists_the_known_ones() {
    let app = status_app("Paths");
    for (path, expected) in [
        (
            "Paths/Nope",
            "no task definition or service has the path \"Paths/Nope\"; the app has: Paths/Task, Paths/Web",
        ),
        (
            "Paths/Cluster",
            "no task definition or service has the path \"Paths/Cluster\" (it is an AWS::ECS::Cluster); the app has: Paths/Task, Paths/Web",
        ),
    ] {
        let err = app
            .run_with_args([
                "app",
                "run-task",
                path,
                "--endpoint-url",
                "http://127.0.0.1:9",
            ])
            .unwrap_err();
        assert!(
            matches!(&err, Error::Deploy(DeployError::UnknownPath { .. })),
            "{err:?}"
        );
        assert_eq!(err.to_string(), expected);
    }
    // A container the task definition does not have.
    let err = app
        .run_with_args([
            "app",
            "run-task",
            "Paths/Task",
            "--container",
            "db",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no container of the task definition has the path \"Paths/Task/db\"; the app has: web"
    );
}

/// `logs` of a path that names a cluster says what it is, before any call;
/// `logs` of a stack that is not deployed says so.
#[test]
fn logs_of_a_cluster_path_says_what_it_is() {
    let err = logs_app("LogsPaths")
        .run_with_args([
            "app",
            "logs",
            "LogsPaths/Cluster",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no service or task definition with awslogs containers has the path \"LogsPaths/Cluster\" (it is an AWS::ECS::Cluster); the app has: LogsPaths/Task, LogsPaths/Web"
    );
}

#[test]
#[ignore = "needs a moto server: run scripts/test"]
fn logs_of_a_stack_not_deployed_says_so() {
    let done = cli_moto("logs:LogsNotHere", &["logs", "LogsNotHere/Web"], None)
        .finish(Duration::from_secs(60));
    done.assert_no_panic();
    assert_eq!(done.code, Some(1), "{done:#?}");
    assert!(
        done.stderr
            .contains("[LogsNotHere] the stack is not deployed; deploy it first"),
        "{done:#?}"
    );
}
