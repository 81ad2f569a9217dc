//! The generated L1 types render exactly as CloudFormation expects them.

use ecscdk::cfn;
use ecscdk::cfn::ecs::CfnTaskDefinition;
use ecscdk::cfn::ecs::task_definition::{
    ContainerDefinition, LogConfiguration, NetworkMode, PortMapping, Protocol,
    RequiresCompatibilities,
};
use ecscdk::cfn::iam::CfnRole;
use ecscdk::cfn::logs::CfnLogGroup;
use ecscdk::prelude::*;
use serde_json::json;

#[test]
fn a_task_definition_renders_as_cloudformation_expects() {
    let mut app = App::new();
    let mut stack = Stack::new("Web");
    let root = stack.root();
    let logs = stack
        .add(
            root,
            "Logs",
            CfnLogGroup {
                retention_in_days: Some(30.into()),
                ..Default::default()
            },
        )
        .expect("log group");
    let role = stack
        .add(
            root,
            "ExecutionRole",
            CfnRole::new(json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": { "Service": "ecs-tasks.amazonaws.com" },
                    "Action": "sts:AssumeRole"
                }]
            })),
        )
        .expect("role");
    let web = ContainerDefinition {
        essential: Some(true.into()),
        port_mappings: Some(
            vec![PortMapping {
                container_port: Some(80.into()),
                protocol: Some(Protocol::Tcp.into()),
                ..Default::default()
            }]
            .into(),
        ),
        log_configuration: Some(
            LogConfiguration {
                options: Some(
                    [
                        ("awslogs-group", logs.reference()),
                        ("awslogs-region", Pseudo::region()),
                        ("awslogs-stream-prefix", Expr::sub("web")),
                    ]
                    .into(),
                ),
                ..LogConfiguration::new("awslogs")
            }
            .into(),
        ),
        ..ContainerDefinition::new("public.ecr.aws/nginx/nginx:latest", "web")
    };
    let task = stack
        .add(
            root,
            "Task",
            CfnTaskDefinition {
                container_definitions: Some(vec![web].into()),
                cpu: Some("256".into()),
                memory: Some("512".into()),
                network_mode: Some(NetworkMode::Awsvpc.into()),
                requires_compatibilities: Some(vec![RequiresCompatibilities::Fargate].into()),
                execution_role_arn: Some(role.attr_arn().into()),
                ..Default::default()
            },
        )
        .expect("task definition");
    stack
        .output("TaskDefinitionArn", task.attr_task_definition_arn())
        .expect("output");
    app.add(stack).expect("stack");

    let assembly = app.synth().expect("synth");
    let template: serde_json::Value =
        serde_json::from_str(&assembly.stack("Web").expect("stack Web").template)
            .expect("template JSON");
    assert_eq!(
        template["Resources"]["Task"],
        json!({
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "ContainerDefinitions": [{
                    "Essential": true,
                    "Image": "public.ecr.aws/nginx/nginx:latest",
                    "LogConfiguration": {
                        "LogDriver": "awslogs",
                        "Options": {
                            "awslogs-group": { "Ref": "Logs" },
                            "awslogs-region": { "Ref": "AWS::Region" },
                            "awslogs-stream-prefix": { "Fn::Sub": "web" }
                        }
                    },
                    "Name": "web",
                    "PortMappings": [{ "ContainerPort": 80, "Protocol": "tcp" }]
                }],
                "Cpu": "256",
                "ExecutionRoleArn": { "Fn::GetAtt": ["ExecutionRole", "Arn"] },
                "Memory": "512",
                "NetworkMode": "awsvpc",
                "RequiresCompatibilities": ["FARGATE"]
            },
            "Metadata": { "aws:cdk:path": "Web/Task" }
        })
    );
    assert_eq!(
        template["Resources"]["Logs"],
        json!({
            "Type": "AWS::Logs::LogGroup",
            "Properties": { "RetentionInDays": 30 },
            "Metadata": { "aws:cdk:path": "Web/Logs" }
        })
    );
    assert_eq!(
        template["Outputs"]["TaskDefinitionArn"]["Value"],
        json!({ "Fn::GetAtt": ["Task", "TaskDefinitionArn"] })
    );
}

#[test]
fn schema_facts_are_data() {
    assert_eq!(CfnTaskDefinition::TYPE_NAME, "AWS::ECS::TaskDefinition");
    let service = cfn::create_only_properties("AWS::ECS::Service").expect("generated");
    assert!(service.contains(&"/Cluster"), "{service:?}");
    assert_eq!(
        cfn::conditional_create_only_properties("AWS::ECS::Service"),
        Some(&["/LaunchType"][..])
    );
    assert_eq!(
        cfn::primary_identifier("AWS::Logs::LogGroup"),
        Some(&["/LogGroupName"][..])
    );
    assert_eq!(cfn::create_only_properties("AWS::Nope::Nothing"), None);
    assert!(
        cfn::TYPES
            .windows(2)
            .all(|w| w[0].type_name < w[1].type_name)
    );
}

/// 20 stacks of 300 typed resources (log groups, roles, task definitions with
/// a container, security groups), all validated at synth. Prints the time;
/// run with `cargo test --release -p ecscdk --test cfn -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn synth_of_6000_typed_resources() {
    use ecscdk::cfn::ec2::CfnSecurityGroup;
    use ecscdk::cfn::ec2::security_group::Ingress;
    use std::time::Instant;

    let mut app = App::new();
    for s in 0..20 {
        let mut stack = Stack::new(format!("Stack{s}"));
        let root = stack.root();
        for i in 0..75 {
            let logs = stack
                .add(
                    root,
                    &format!("Logs{i}"),
                    CfnLogGroup {
                        retention_in_days: Some(30.into()),
                        log_group_name: Some(format!("/app/{s}/{i}").into()),
                        ..Default::default()
                    },
                )
                .expect("log group");
            let role = stack
                .add(
                    root,
                    &format!("Role{i}"),
                    CfnRole {
                        description: Some("task role".into()),
                        ..CfnRole::new(json!({ "Version": "2012-10-17", "Statement": [] }))
                    },
                )
                .expect("role");
            let web = ContainerDefinition {
                port_mappings: Some(
                    vec![PortMapping {
                        container_port: Some(80.into()),
                        ..Default::default()
                    }]
                    .into(),
                ),
                log_configuration: Some(
                    LogConfiguration {
                        options: Some([("awslogs-group", logs.reference())].into()),
                        ..LogConfiguration::new("awslogs")
                    }
                    .into(),
                ),
                ..ContainerDefinition::new("nginx", "web")
            };
            stack
                .add(
                    root,
                    &format!("Task{i}"),
                    CfnTaskDefinition {
                        container_definitions: Some(vec![web].into()),
                        task_role_arn: Some(role.attr_arn().into()),
                        network_mode: Some(NetworkMode::Awsvpc.into()),
                        ..Default::default()
                    },
                )
                .expect("task");
            stack
                .add(
                    root,
                    &format!("Sg{i}"),
                    CfnSecurityGroup {
                        security_group_ingress: Some(
                            vec![Ingress {
                                cidr_ip: Some("0.0.0.0/0".into()),
                                from_port: Some(443.into()),
                                to_port: Some(443.into()),
                                ..Ingress::new("tcp")
                            }]
                            .into(),
                        ),
                        ..CfnSecurityGroup::new("web")
                    },
                )
                .expect("sg");
        }
        app.add(stack).expect("stack");
    }
    // Validation alone, on the same kind of values.
    let task = CfnTaskDefinition {
        container_definitions: Some(vec![ContainerDefinition::new("nginx", "web")].into()),
        network_mode: Some(NetworkMode::Awsvpc.into()),
        ..Default::default()
    };
    let logs = CfnLogGroup {
        retention_in_days: Some(30.into()),
        log_group_name: Some("/app/x".into()),
        ..Default::default()
    };
    let start = Instant::now();
    let mut report = ecscdk::synth::Report::default();
    for _ in 0..3000 {
        ecscdk::synth::Resource::validate(&task, &mut report);
        ecscdk::synth::Resource::validate(&logs, &mut report);
    }
    assert!(report.problems().is_empty());
    println!("validate() of 6000 resources: {:?}", start.elapsed());

    let start = Instant::now();
    let assembly = app.synth().expect("synth");
    let elapsed = start.elapsed();
    let bytes: usize = assembly.stacks().iter().map(|s| s.template.len()).sum();
    println!("synth of 6000 typed resources: {elapsed:?}, {bytes} bytes of templates");
}

#[test]
fn literals_convert_without_ceremony() {
    use ecscdk::cfn::cloudwatch::CfnAlarm;
    let alarm = CfnAlarm {
        threshold: Some(70.into()),
        evaluation_periods: Some(3.into()),
        ..Default::default()
    };
    assert_eq!(alarm.threshold, Some(Value::Lit(70.0)));
    assert_eq!(alarm.evaluation_periods, Some(Value::Lit(3)));
}
