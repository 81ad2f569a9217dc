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
