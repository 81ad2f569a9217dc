//! IAM roles with default policies and log groups, rendered as the AWS CDK
//! renders them (expected JSON taken from the CDK's scale-1x40 reference
//! template, `Scale0/Task0/...`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk::iam::{PolicyStatement, Principal, Role};
use ecscdk::logs::{LogGroup, RetentionDays};
use ecscdk::prelude::*;
use serde_json::json;

#[test]
fn an_execution_role_with_a_log_grant_matches_the_cdk() {
    let mut stack = Stack::new("Scale0").env(Env::new("123456789012", "us-east-1"));
    let task = stack.scope(stack.root(), "Task0").unwrap();
    let container = stack.scope(task, "app").unwrap();
    let logs = LogGroup::builder("LogGroup")
        .build_in(&mut stack, container)
        .unwrap();
    let role = Role::builder(
        "ExecutionRole",
        Principal::service("ecs-tasks.amazonaws.com"),
    )
    .build_in(&mut stack, task)
    .unwrap();
    role.add_to_policy(
        &mut stack,
        PolicyStatement::allow()
            .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
            .resource(logs.arn()),
    )
    .unwrap();
    // A second grant with the same actions merges into the same statement.
    role.add_to_policy(
        &mut stack,
        PolicyStatement::allow()
            .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
            .resource(logs.arn()),
    )
    .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let t: serde_json::Value =
        serde_json::from_str(&assembly.stack("Scale0").unwrap().template).unwrap();
    let r = &t["Resources"];
    assert_eq!(
        r["Task0ExecutionRole8889AD77"]["Properties"],
        json!({"AssumeRolePolicyDocument": {
            "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}}],
            "Version": "2012-10-17"
        }})
    );
    assert_eq!(
        r["Task0ExecutionRoleDefaultPolicy451B7D1C"]["Properties"],
        json!({
            "PolicyDocument": {
                "Statement": [{
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Effect": "Allow",
                    "Resource": {"Fn::GetAtt": ["Task0appLogGroupD6019DA3", "Arn"]}
                }],
                "Version": "2012-10-17"
            },
            "PolicyName": "Task0ExecutionRoleDefaultPolicy451B7D1C",
            "Roles": [{"Ref": "Task0ExecutionRole8889AD77"}]
        })
    );
    let group = &r["Task0appLogGroupD6019DA3"];
    assert_eq!(group["Properties"], json!({"RetentionInDays": 30}));
    assert_eq!(group["DeletionPolicy"], json!("Retain"));
    assert_eq!(group["UpdateReplacePolicy"], json!("Retain"));
}

#[test]
fn managed_policies_and_retention_are_rendered() {
    let mut stack = Stack::new("S");
    Role::builder("R", Principal::service("lambda.amazonaws.com"))
        .managed_policy("service-role/AWSLambdaBasicExecutionRole")
        .description("runs the handler")
        .build(&mut stack)
        .unwrap();
    LogGroup::builder("L")
        .retention(RetentionDays::OneYear)
        .retain_on_delete(false)
        .build(&mut stack)
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let t: serde_json::Value =
        serde_json::from_str(&app.synth().unwrap().stack("S").unwrap().template).unwrap();
    assert_eq!(
        t["Resources"]["RC21A1702"]["Properties"]["ManagedPolicyArns"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}])
    );
    let l = &t["Resources"]["L2EA2915D"];
    assert_eq!(l["Properties"], json!({"RetentionInDays": 365}));
    assert_eq!(l["DeletionPolicy"], json!("Delete"));
}

#[test]
fn grants_add_least_privilege_statements_to_the_role() {
    let mut stack = Stack::new("S");
    let group = LogGroup::builder("L").build(&mut stack).unwrap();
    let role = Role::builder("R", Principal::service("ecs-tasks.amazonaws.com"))
        .build(&mut stack)
        .unwrap();
    group.grant_write(&mut stack, role).unwrap();
    group.grant_read(&mut stack, role).unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let t: serde_json::Value =
        serde_json::from_str(&app.synth().unwrap().stack("S").unwrap().template).unwrap();
    assert_eq!(
        t["Resources"]["RDefaultPolicy0707467B"]["Properties"]["PolicyDocument"]["Statement"],
        json!([
            {"Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow",
             "Resource": {"Fn::GetAtt": ["L2EA2915D", "Arn"]}},
            {"Action": ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:GetLogRecord"],
             "Effect": "Allow", "Resource": {"Fn::GetAtt": ["L2EA2915D", "Arn"]}}
        ])
    );
}
