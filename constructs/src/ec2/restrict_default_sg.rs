//! The `Custom::VpcRestrictDefaultSG` custom resource the AWS CDK adds to
//! every VPC under its recommended flags, with the same construct ids: the
//! resource `{Vpc}/RestrictDefaultSecurityGroupCustomResource/Default`, and a
//! provider shared by the stack's VPCs,
//! `Custom::VpcRestrictDefaultSGCustomResourceProvider/{Role,Handler}`.
//!
//! On create it revokes the two rules EC2 gives a VPC's default security
//! group (all traffic from the group itself, all traffic out); on delete it
//! puts them back. Unlike the CDK's provider, the handler is Python written
//! inline in the template (`ZipFile`), so no asset bucket or bootstrap is
//! needed; it logs to a group with a finite retention, and its role may
//! only write there and change the stack's default security groups.

use crate::cfn::ec2::CfnVPCRef;
use crate::cfn::iam::CfnRole;
use crate::cfn::iam::CfnRoleRef;
use crate::cfn::iam::role::Policy;
use crate::cfn::lambda::function::{Code, LoggingConfig, Runtime};
use crate::cfn::lambda::{CfnFunction, CfnFunctionRef};
use crate::iam::{PolicyDocument, PolicyStatement, Principal};
use crate::logs::{LogGroup, RetentionDays};
use crate::synth::{Expr, NodeId, Operand, Pseudo, RawResource, Value};
use crate::{Result, Stack};

/// The custom resource type, as the AWS CDK names it.
pub(crate) const RESOURCE_TYPE: &str = "Custom::VpcRestrictDefaultSG";
/// The provider's construct id, directly under the stack.
pub(crate) const PROVIDER_ID: &str = "Custom::VpcRestrictDefaultSGCustomResourceProvider";
const DESCRIPTION: &str =
    "Lambda function for removing all inbound/outbound rules from the VPC default security group";

/// The handler: revokes the default group's rules on create (and on an
/// update that moves to another group, whose old group CloudFormation then
/// deletes, i.e. restores), restores them on delete, and always answers
/// CloudFormation, so a failure never leaves the stack waiting.
const HANDLER: &str = r#"import json
import urllib.request

import boto3
from botocore.exceptions import ClientError

ec2 = boto3.client("ec2")


def permissions(group, account):
    inbound = [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group, "UserId": account}]}]
    outbound = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    return inbound, outbound


def call(fn, group, perms, tolerated):
    try:
        fn(GroupId=group, IpPermissions=perms)
    except ClientError as e:
        if e.response["Error"]["Code"] != tolerated:
            raise


def restrict(group, account):
    inbound, outbound = permissions(group, account)
    call(ec2.revoke_security_group_egress, group, outbound, "InvalidPermission.NotFound")
    call(ec2.revoke_security_group_ingress, group, inbound, "InvalidPermission.NotFound")


def restore(group, account):
    inbound, outbound = permissions(group, account)
    call(ec2.authorize_security_group_ingress, group, inbound, "InvalidPermission.Duplicate")
    call(ec2.authorize_security_group_egress, group, outbound, "InvalidPermission.Duplicate")


def answer(event, context, status, physical_id, reason):
    body = json.dumps({
        "Status": status,
        "Reason": reason or "see log stream " + context.log_stream_name,
        "PhysicalResourceId": physical_id,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
    }).encode()
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(body))})
    urllib.request.urlopen(request, timeout=30)


def handler(event, context):
    props = event["ResourceProperties"]
    group, account = props["DefaultSecurityGroupId"], props["Account"]
    physical_id = event.get("PhysicalResourceId", group)
    try:
        if event["RequestType"] == "Delete":
            try:
                restore(group, account)
            except ClientError as e:
                print("could not restore the rules of", group, e)
        else:
            restrict(group, account)
            physical_id = group
        answer(event, context, "SUCCESS", physical_id, "")
    except Exception as e:
        print(e)
        answer(event, context, "FAILED", physical_id, str(e))
"#;

/// The stack's provider: its role's inline policy grows with each VPC.
#[derive(Debug)]
struct Provider {
    role: CfnRoleRef,
    handler: CfnFunctionRef,
    policy: PolicyDocument,
}

/// The account as the custom resource gets it: the stack's, or
/// `AWS::AccountId` for an environment-agnostic stack.
fn account(stack: &Stack) -> Value<String> {
    match stack.environment().account() {
        Some(a) => Value::Lit(a.to_owned()),
        None => Value::Expr(Pseudo::account_id()),
    }
}

/// `arn:…:ec2:{region}:{account}:security-group/{group}`, with the stack's
/// region and account when fixed.
fn security_group_arn(stack: &Stack, group: Expr<String>) -> Value<String> {
    let env = stack.environment();
    match (env.region(), env.account(), env.partition()) {
        (Some(region), Some(account), Some(partition)) => Value::Expr(Expr::join(
            "",
            [
                Value::Lit(format!(
                    "arn:{partition}:ec2:{region}:{account}:security-group/"
                )),
                Value::Expr(group),
            ],
        )),
        _ => Value::Expr(Expr::sub_with(
            "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${Group}",
            [("Group", Value::Expr(group))],
        )),
    }
}

fn role_policies(document: &PolicyDocument) -> Option<Value<Vec<Value<Policy>>>> {
    Some(Value::Lit(vec![Value::Lit(Policy::new(
        document.clone(),
        "Inline",
    ))]))
}

/// Adds the custom resource for the VPC at `vpc_node` (resource `vpc`), and
/// the stack's provider if it has none yet.
pub(crate) fn add(stack: &mut Stack, vpc_node: NodeId, vpc: CfnVPCRef) -> Result<()> {
    let statement = PolicyStatement::allow()
        .actions([
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress",
        ])
        .resource(security_group_arn(stack, vpc.attr_default_security_group()));
    let root = stack.root();
    let handler = match stack.child(root, PROVIDER_ID) {
        Some(provider_node) => {
            let Some(provider) = stack.construct_data_mut::<Provider>(provider_node) else {
                return Err(crate::Error::WrongHandle {
                    path: stack.path(provider_node),
                    expected: "the provider of the VPCs' default-security-group custom resource",
                });
            };
            provider.policy.add(statement);
            let (role, handler, policies) = (
                provider.role,
                provider.handler,
                role_policies(&provider.policy),
            );
            stack.properties_mut::<CfnRole>(role)?.policies = policies;
            handler
        }
        None => new_provider(stack, root, statement)?,
    };
    let scope = stack.scope_of_type(
        vpc_node,
        "RestrictDefaultSecurityGroupCustomResource",
        "ecscdk.CustomResource",
    )?;
    let resource = stack.add(
        scope,
        "Default",
        RawResource::new(RESOURCE_TYPE)
            .property("ServiceToken", handler.attr_arn())
            .property("DefaultSecurityGroupId", vpc.attr_default_security_group())
            .property("Account", Operand::from(account(stack))),
    )?;
    stack.resource_options(resource)?.retain(false);
    Ok(())
}

fn new_provider(
    stack: &mut Stack,
    root: NodeId,
    statement: PolicyStatement,
) -> Result<CfnFunctionRef> {
    let node = stack.scope_of_type(root, PROVIDER_ID, "ecscdk.CustomResourceProvider")?;
    let logs = LogGroup::builder("LogGroup")
        .retention(RetentionDays::OneMonth)
        .retain_on_delete(false)
        .build_in(stack, node)?;
    let policy = PolicyDocument::new().statement(statement).statement(
        PolicyStatement::allow()
            .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
            .resource(logs.arn()),
    );
    let trust = PolicyDocument::new().statement(
        PolicyStatement::allow()
            .action("sts:AssumeRole")
            .principal(Principal::service("lambda.amazonaws.com")),
    );
    let role = stack.add(
        node,
        "Role",
        CfnRole {
            policies: role_policies(&policy),
            ..CfnRole::new(trust)
        },
    )?;
    let handler = stack.add(
        node,
        "Handler",
        CfnFunction {
            description: Some(Value::Lit(DESCRIPTION.to_owned())),
            handler: Some(Value::Lit("index.handler".to_owned())),
            logging_config: Some(Value::Lit(LoggingConfig {
                log_group: Some(logs.name().into()),
                ..LoggingConfig::default()
            })),
            memory_size: Some(Value::Lit(128)),
            runtime: Some(Value::Lit(Runtime::Python313)),
            timeout: Some(Value::Lit(120)),
            ..CfnFunction::new(
                Value::Lit(Code {
                    zip_file: Some(Value::Lit(HANDLER.to_owned())),
                    ..Code::default()
                }),
                role.attr_arn(),
            )
        },
    )?;
    stack.set_construct_data(
        node,
        Provider {
            role,
            handler,
            policy,
        },
    )?;
    Ok(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_handler_fits_in_a_zip_file_property() {
        // CloudFormation's limit for `Code.ZipFile`.
        assert!(HANDLER.len() <= 4096, "{} characters", HANDLER.len());
        assert!(HANDLER.contains("def handler(event, context):"));
    }
}
