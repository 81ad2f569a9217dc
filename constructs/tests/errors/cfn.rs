//! L1 resources whose values break their registry schema.

use super::*;
use ecscdk::cfn::ec2::CfnSecurityGroup;
use ecscdk::cfn::elasticloadbalancingv2::CfnTargetGroup;
use ecscdk::cfn::iam::{CfnPolicy, CfnRole};
use ecscdk::cfn::logs::CfnLogGroup;
use ecscdk::cfn::logs::log_group::{LogGroupClass, Tag};
use ecscdk::prelude::*;
use serde_json::json;

use crate::{synth_error, synth_error_with};

fn assume_ecs_tasks() -> Operand {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "ecs-tasks.amazonaws.com" },
            "Action": "sts:AssumeRole"
        }]
    })
    .into()
}

#[test]
fn rejects_retention_not_in_enum() {
    let err = synth_error(
        "Logs",
        CfnLogGroup {
            retention_in_days: Some(10.into()),
            ..Default::default()
        },
    );
    assert_invalid(&err, "Web/Logs", "/Properties/RetentionInDays");
    insta::assert_snapshot!(err, @"[Web/Logs] /Properties/RetentionInDays: 10 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (schema rule `enum`)");
}

#[test]
fn rejects_enum_value_outside_the_schema_in_fn_if_branch() {
    let err = synth_error_with(|stack| {
        let root = stack.root();
        let prod = stack.condition("IsProd", Cond::equals(Pseudo::account_id(), "123456789012"))?;
        let class = Expr::<String>::if_(prod, "STANDARD", "ARCHIVE").retype::<LogGroupClass>();
        stack.add(
            root,
            "Logs",
            CfnLogGroup {
                log_group_class: Some(class.into()),
                ..Default::default()
            },
        )?;
        Ok(())
    });
    assert_invalid(&err, "Web/Logs", "/Properties/LogGroupClass");
    insta::assert_snapshot!(err, @r#"[Web/Logs] /Properties/LogGroupClass: "ARCHIVE" is not one of "STANDARD", "INFREQUENT_ACCESS", "DELIVERY" (schema rule `enum`)"#);
}

#[test]
fn rejects_required_property_removed_by_no_value() {
    let err = synth_error("Sg", CfnSecurityGroup::new(Pseudo::no_value::<String>()));
    assert_invalid(&err, "Web/Sg", "/Properties/GroupDescription");
    insta::assert_snapshot!(err, @"[Web/Sg] /Properties/GroupDescription: the property is required, but `AWS::NoValue` removes it; set a value (schema rule `required`)");
}

#[test]
fn rejects_policy_attached_to_nothing() {
    let err = synth_error("Policy", CfnPolicy::new(assume_ecs_tasks(), "tasks"));
    assert_invalid(&err, "Web/Policy", "/Properties");
    insta::assert_snapshot!(err, @"[Web/Policy] /Properties: set at least one of `Users`, `Groups`, `Roles` (schema rule `anyOf`)");
}

#[test]
fn rejects_too_long_string() {
    let err = synth_error(
        "Role",
        CfnRole {
            description: Some("a".repeat(1001).into()),
            ..CfnRole::new(assume_ecs_tasks())
        },
    );
    assert_invalid(&err, "Web/Role", "/Properties/Description");
    insta::assert_snapshot!(err, @"[Web/Role] /Properties/Description: 1001 characters is too long; at most 1000 are allowed (schema rule `maxLength`)");
}

#[test]
fn rejects_out_of_range_integer() {
    let err = synth_error(
        "Targets",
        CfnTargetGroup {
            health_check_interval_seconds: Some(1.into()),
            ..Default::default()
        },
    );
    assert_invalid(
        &err,
        "Web/Targets",
        "/Properties/HealthCheckIntervalSeconds",
    );
    insta::assert_snapshot!(err, @"[Web/Targets] /Properties/HealthCheckIntervalSeconds: 1 is too small; the minimum is 5 (schema rule `minimum`)");
}

#[test]
fn rejects_empty_tag_key_in_a_list() {
    let err = synth_error(
        "Logs",
        CfnLogGroup {
            tags: Some(vec![Tag::new("team", "web"), Tag::new("", "x")].into()),
            ..Default::default()
        },
    );
    assert_invalid(&err, "Web/Logs", "/Properties/Tags/1/Key");
    insta::assert_snapshot!(err, @"[Web/Logs] /Properties/Tags/1/Key: 0 characters is too short; at least 1 are required (schema rule `minLength`)");
}

#[test]
fn rejects_string_not_matching_pattern() {
    let err = synth_error(
        "Logs",
        CfnLogGroup {
            log_group_name: Some("app logs!".into()),
            ..Default::default()
        },
    );
    assert_invalid(&err, "Web/Logs", "/Properties/LogGroupName");
    insta::assert_snapshot!(err, @r#"[Web/Logs] /Properties/LogGroupName: "app logs!" does not match the pattern ^[.\-_/#A-Za-z0-9]{1,512}$ (schema rule `pattern`)"#);
}

#[test]
fn rejects_duplicate_items_in_a_unique_list() {
    let mut role = CfnRole::new(assume_ecs_tasks());
    role.managed_policy_arns = Some(
        vec![
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ]
        .into(),
    );
    let err = synth_error("Role", role);
    assert_invalid(&err, "Web/Role", "/Properties/ManagedPolicyArns");
    insta::assert_snapshot!(err, @"[Web/Role] /Properties/ManagedPolicyArns: items 0 and 1 are equal; the items must be unique (schema rule `uniqueItems`)");
}

#[test]
fn skips_checks_of_values_computed_by_intrinsics() {
    let mut app = App::new();
    let mut stack = Stack::new("Web");
    let root = stack.root();
    let days = stack
        .parameter("Days", ParameterSpec::number())
        .expect("parameter");
    stack
        .add(
            root,
            "Logs",
            CfnLogGroup {
                retention_in_days: Some(days.value().retype::<i64>().into()),
                ..Default::default()
            },
        )
        .expect("added");
    app.add(stack).expect("stack");
    app.synth()
        .expect("a parameter is not checked against the schema");
}

#[test]
fn rejects_an_override_with_an_unknown_property() {
    let err = synth_error_with(|stack| {
        let root = stack.root();
        let logs = stack.add(root, "Logs", CfnLogGroup::default())?;
        stack
            .resource_options(logs)?
            .add_property_override("RetentionInDay", 7);
        Ok(())
    });
    assert_invalid(&err, "Web/Logs", "/Properties/RetentionInDay");
    insta::assert_snapshot!(err, @r#"[Web/Logs] /Properties/RetentionInDay: the schema has no property "RetentionInDay" here; check its spelling (schema rule `additionalProperties`)"#);
}

#[test]
fn rejects_an_unknown_property_nested_by_an_override() {
    let err = synth_error_with(|stack| {
        let root = stack.root();
        let targets = stack.add(root, "Targets", CfnTargetGroup::default())?;
        stack
            .resource_options(targets)?
            .add_property_override("Matcher.HttpCodes", "200-299");
        Ok(())
    });
    assert_invalid(&err, "Web/Targets", "/Properties/Matcher/HttpCodes");
    insta::assert_snapshot!(err, @r#"[Web/Targets] /Properties/Matcher/HttpCodes: the schema has no property "HttpCodes" here; check its spelling (schema rule `additionalProperties`)"#);
}

#[test]
fn rejects_an_override_that_deletes_a_required_property() {
    let err = synth_error_with(|stack| {
        let root = stack.root();
        let sg = stack.add(root, "Sg", CfnSecurityGroup::new("web servers"))?;
        stack
            .resource_options(sg)?
            .add_property_deletion_override("GroupDescription");
        Ok(())
    });
    assert_invalid(&err, "Web/Sg", "/Properties/GroupDescription");
    insta::assert_snapshot!(err, @"[Web/Sg] /Properties/GroupDescription: the property is required, but it is missing once the overrides are applied; set it or drop the override that removes it (schema rule `required`)");
}

#[test]
fn accepts_overrides_that_the_schema_allows() {
    let mut app = App::new();
    let mut stack = Stack::new("Web");
    let root = stack.root();
    let prod = stack
        .condition("IsProd", Cond::equals(Pseudo::account_id(), "123456789012"))
        .expect("condition");
    let targets = stack
        .add(root, "Targets", CfnTargetGroup::default())
        .expect("added");
    stack
        .resource_options(targets)
        .expect("options")
        .add_property_override("Matcher.HttpCode", "200-299")
        .add_property_override("Tags", json!([{ "Key": "team", "Value": "web" }]))
        // An intrinsic stands for an object the checks cannot see into.
        .add_property_override("TargetGroupAttributes", Expr::<String>::if_(prod, "a", "b"));
    app.add(stack).expect("stack");
    app.synth()
        .expect("known names, required keys present, intrinsics not looked into");
}
