//! The VPC's flow log to CloudWatch Logs, with the children the AWS CDK's
//! `vpc.addFlowLog('FlowLog')` creates: `FlowLog/IAMRole`,
//! `FlowLog/LogGroup` and the `FlowLog/FlowLog` resource.
//!
//! CloudFormation: [AWS::EC2::FlowLog](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-flowlog.html).

use crate::cfn::ec2::CfnFlowLog;
use crate::cfn::ec2::flow_log::{self, LogDestinationType, ResourceType, TrafficType};
use crate::iam::{PolicyStatement, Principal, Role};
use crate::logs::{LogGroup, RetentionDays};
use crate::synth::{NodeId, Value};
use crate::{Result, Stack};

/// Which traffic a flow log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum FlowLogTraffic {
    /// Accepted and rejected traffic.
    #[default]
    All,
    /// Accepted traffic only.
    Accept,
    /// Rejected traffic only (cheapest; what a security review looks at
    /// first).
    Reject,
}

/// Adds the flow log of the VPC at `vpc_node`.
pub(crate) fn add(
    stack: &mut Stack,
    vpc_node: NodeId,
    vpc_id: Value<String>,
    name_tag: &str,
    retention: RetentionDays,
    traffic: FlowLogTraffic,
) -> Result<()> {
    let node = stack.scope_of_type(vpc_node, "FlowLog", "ecscdk.ec2.FlowLog")?;
    let role = Role::builder("IAMRole", Principal::service("vpc-flow-logs.amazonaws.com"))
        .build_in(stack, node)?;
    let group = LogGroup::builder("LogGroup")
        .retention(retention)
        .build_in(stack, node)?;
    role.add_to_policy(
        stack,
        PolicyStatement::allow()
            .actions([
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ])
            .resource(group.arn()),
    )?;
    role.add_to_policy(
        stack,
        PolicyStatement::allow()
            .action("iam:PassRole")
            .resource(role.arn()),
    )?;
    let traffic = match traffic {
        FlowLogTraffic::All => TrafficType::All,
        FlowLogTraffic::Accept => TrafficType::Accept,
        FlowLogTraffic::Reject => TrafficType::Reject,
    };
    let flow_log = stack.add(
        node,
        "FlowLog",
        CfnFlowLog {
            deliver_logs_permission_arn: Some(role.arn().into()),
            log_destination_type: Some(Value::Lit(LogDestinationType::CloudWatchLogs)),
            log_group_name: Some(group.name().into()),
            tags: Some(Value::Lit(vec![Value::Lit(flow_log::Tag::new(
                "Name",
                name_tag.to_owned(),
            ))])),
            traffic_type: Some(Value::Lit(traffic)),
            ..CfnFlowLog::new(vpc_id, Value::Lit(ResourceType::Vpc))
        },
    )?;
    // Deliver from the first minute: wait for the role's policy too (the
    // role itself is already referenced).
    if let Some(policy) = stack.child(role.node(), "DefaultPolicy") {
        stack.add_node_dependency(flow_log.untyped().node(), policy)?;
    }
    Ok(())
}
