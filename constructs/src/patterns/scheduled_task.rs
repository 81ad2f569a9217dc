//! Standalone tasks run on a schedule by Amazon EventBridge Scheduler, the
//! counterparts of the AWS CDK's `ScheduledFargateTask` and
//! `ScheduledEc2Task` (which use an EventBridge rule instead): child ids
//! `ScheduledTaskDef` (with its `SecurityGroup` for `awsvpc` tasks, as the
//! CDK's `EcsTask` target), `Schedule`, the role the scheduler assumes
//! (`ScheduleRole`), and the dead-letter queue of runs that could not be
//! started (`DeadLetterQueue`, unless one is given). With an existing task
//! definition (`with_task_definition`), the security group is the
//! pattern's child `SecurityGroup`, and an ECS Anywhere task definition runs
//! with the `EXTERNAL` launch type.
//!
//! The schedule's role is trusted by `scheduler.amazonaws.com` for this
//! account only, and may only run this task definition in this cluster,
//! pass the task's own roles to ECS, and send to the dead-letter queue.
//!
//! With [`ScheduleTrigger::EventsRule`] an EventBridge rule starts the runs
//! instead, with the CDK's child ids (`ScheduledEventRule`, and the role
//! `ScheduledTaskDef/EventsRole`), so a port of a CDK app keeps its logical
//! IDs; the dead-letter queue's policy then admits that rule only.

use std::time::Duration;

use crate::cfn::events::rule;
use crate::cfn::events::{CfnRule, CfnRuleRef};
use crate::cfn::iam::CfnRole;
use crate::cfn::scheduler::schedule::{
    AssignPublicIp, AwsVpcConfiguration, CapacityProviderStrategyItem, DeadLetterConfig,
    EcsParameters, FlexibleTimeWindow, FlexibleTimeWindowMode, LaunchType, NetworkConfiguration,
    RetryPolicy, ScheduleState, Target,
};
use crate::cfn::scheduler::{CfnSchedule, CfnScheduleRef};
use crate::ec2::{SecurityGroup, SubnetSelection};
use crate::ecs::{
    Cluster, ContainerBuilder, Ec2NetworkMode, Ec2TaskDefinition, FargateCapacity, FargateSize,
    FargateTaskDefinition, PlatformVersion,
};
use crate::iam::{PolicyDocument, PolicyStatement, Principal, Role};
use crate::scheduler::ScheduleExpression;
use crate::sqs::Queue;
use crate::synth::{Expr, NodeId, Pseudo, Value};
use crate::{Error, Result, Stack};

/// The most tasks one `RunTask` call starts.
const MAX_TASK_COUNT: u32 = 10;
/// The most retries EventBridge Scheduler makes.
const MAX_RETRIES: u32 = 185;
/// The bounds of the maximum event age, in seconds (1 minute to 24 hours).
const EVENT_AGE_SECS: std::ops::RangeInclusive<u64> = 60..=86_400;

/// The options both scheduled-task patterns share.
#[derive(Debug, Clone)]
struct Common {
    id: String,
    cluster: Cluster,
    container: Option<ContainerBuilder>,
    schedule: ScheduleExpression,
    task_count: u32,
    retry_attempts: u32,
    max_event_age: Duration,
    enabled: bool,
    description: Option<String>,
    dead_letter_queue: Option<Queue>,
    task_subnets: Option<SubnetSelection>,
    trigger: ScheduleTrigger,
}

impl Common {
    fn new(
        id: String,
        cluster: &Cluster,
        container: Option<ContainerBuilder>,
        schedule: ScheduleExpression,
    ) -> Self {
        Self {
            id,
            cluster: cluster.clone(),
            container,
            schedule,
            task_count: 1,
            retry_attempts: MAX_RETRIES,
            max_event_age: Duration::from_secs(86_400),
            enabled: true,
            description: None,
            dead_letter_queue: None,
            task_subnets: None,
            trigger: ScheduleTrigger::Scheduler,
        }
    }

    /// Checks the options that need no stack, returning the expression.
    fn check(&self, stack: &Stack, parent: NodeId) -> Result<String> {
        let path = stack.path(parent).child(&self.id);
        let invalid = |property: &str, reason: String| Error::InvalidProperty {
            path: path.clone(),
            property: property.to_owned(),
            reason,
        };
        let expression = self
            .schedule
            .expression()
            .map_err(|reason| invalid("schedule", reason))?;
        if !(1..=MAX_TASK_COUNT).contains(&self.task_count) {
            return Err(invalid(
                "task_count",
                format!(
                    "{} tasks per run; RunTask starts 1 to {MAX_TASK_COUNT}",
                    self.task_count
                ),
            ));
        }
        if self.retry_attempts > MAX_RETRIES {
            return Err(invalid(
                "retry_attempts",
                format!(
                    "{} retries; EventBridge Scheduler retries 0 to {MAX_RETRIES} times",
                    self.retry_attempts
                ),
            ));
        }
        let age = self.max_event_age;
        if age.subsec_nanos() != 0 || !EVENT_AGE_SECS.contains(&age.as_secs()) {
            return Err(invalid(
                "max_event_age",
                format!(
                    "{age:?} is not a whole number of seconds from 60 (1 minute) to 86400 (24 hours)"
                ),
            ));
        }
        if let Some(text) = &self.description
            && text.chars().count() > 512
        {
            return Err(invalid(
                "description",
                format!(
                    "{} characters; a schedule description has at most 512",
                    text.chars().count()
                ),
            ));
        }
        Ok(expression)
    }
}

/// What ECS rejects in a Fargate capacity provider strategy for `RunTask`,
/// and a cluster without the Fargate capacity providers.
fn check_strategy(
    stack: &Stack,
    parent: NodeId,
    common: &Common,
    strategy: &[FargateCapacity],
) -> Result<()> {
    if strategy.is_empty() {
        return Ok(());
    }
    let path = stack.path(parent).child(&common.id);
    let invalid = |reason: &str| Error::InvalidProperty {
        path: path.clone(),
        property: "capacity_provider_strategy".to_owned(),
        reason: reason.to_owned(),
    };
    if strategy.iter().filter(|i| i.base_tasks().is_some()).count() > 1 {
        return Err(invalid(
            "more than one provider has a base; give a base to one provider only",
        ));
    }
    if strategy.iter().all(|i| i.weight_value() == 0) {
        return Err(invalid(
            "every provider has weight 0, so no task is placed; give one a weight of at least 1",
        ));
    }
    let mut names: Vec<&str> = strategy.iter().map(|i| i.provider_name()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(invalid("a provider appears twice; list each provider once"));
    }
    if !common.cluster.has_fargate_capacity_providers() {
        return Err(Error::Unsupported {
            path,
            setting: "capacity_provider_strategy",
            situation: "on a cluster without Fargate capacity providers",
            fix: "call `.fargate_capacity_providers()` on the cluster's builder",
        });
    }
    Ok(())
}

/// What starts the scheduled runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ScheduleTrigger {
    /// An EventBridge Scheduler schedule (`Schedule`, role `ScheduleRole`):
    /// time zones, one-time `at` schedules, no rule limits.
    #[default]
    Scheduler,
    /// An EventBridge rule, as the AWS CDK's `ScheduledFargateTask` and
    /// `ScheduledEc2Task` (`ScheduledEventRule`, role
    /// `ScheduledTaskDef/EventsRole`), so a port of a CDK app keeps its
    /// logical IDs. Rules run in UTC and have no `at` schedules; the
    /// dead-letter queue's policy admits the rule (a KMS-encrypted queue
    /// would also need its key policy to).
    EventsRule,
}

/// What the shared part of the build needs to know of the task definition.
struct TaskInfo {
    /// Where the tasks' security group (and the rule's role) goes: under the
    /// task definition the pattern made (as the CDK's `EcsTask`), else under
    /// the pattern.
    security_group_parent: NodeId,
    arn: Expr<String>,
    task_role: Role,
    execution_role: Option<Role>,
    launch_type: LaunchType,
    awsvpc: bool,
    assign_public_ip: bool,
    platform_version: Option<String>,
    /// Fargate capacity providers (then no launch type).
    strategy: Vec<FargateCapacity>,
}

/// What starts the runs, once built.
#[derive(Debug, Clone, Copy)]
enum Trigger {
    Schedule(CfnScheduleRef),
    Rule(CfnRuleRef),
}

/// What both patterns build besides the task definition.
#[derive(Debug, Clone, Copy)]
struct Parts {
    node: NodeId,
    trigger: Trigger,
    role: Role,
    dead_letter_queue: Queue,
    security_group: Option<NodeId>,
}

/// The `awsvpc` network of the tasks: subnets, security group, public IP.
struct Network {
    subnets: Vec<Value<String>>,
    security_group: Value<String>,
    assign_public_ip: bool,
}

/// Adds the security group (for `awsvpc` tasks), the dead-letter queue, the
/// role and the schedule or rule.
fn schedule(
    common: &Common,
    expression: String,
    stack: &mut Stack,
    node: NodeId,
    task: TaskInfo,
) -> Result<Parts> {
    if common.trigger == ScheduleTrigger::EventsRule {
        if common.schedule.timezone_name().is_some() {
            return Err(Error::Conflict {
                path: stack.path(node),
                first: "timezone",
                second: "ScheduleTrigger::EventsRule",
                fix: "EventBridge rules run in UTC: write the time in UTC, or keep the default EventBridge Scheduler trigger",
            });
        }
        if expression.starts_with("at(") {
            return Err(Error::InvalidProperty {
                path: stack.path(node),
                property: "schedule".to_owned(),
                reason: "an EventBridge rule has no one-time `at` schedules; use cron or rate, or keep the default EventBridge Scheduler trigger".to_owned(),
            });
        }
    }
    let mut security_group = None;
    let network = if task.awsvpc {
        let Some(vpc) = common.cluster.vpc().cloned() else {
            return Err(Error::Missing {
                path: stack.path(node),
                what: "cluster VPC",
                fix: "give the cluster a VPC with `Cluster::builder(..).vpc(&vpc)`: awsvpc tasks run in its subnets",
            });
        };
        let subnets = vpc
            .select_subnets(&common.task_subnets.clone().unwrap_or_default())?
            .subnet_ids();
        let group = SecurityGroup::builder("SecurityGroup", &vpc)
            .build_in(stack, task.security_group_parent)?;
        security_group = stack.child(task.security_group_parent, "SecurityGroup");
        Some(Network {
            subnets,
            security_group: group.group_id(),
            assign_public_ip: task.assign_public_ip,
        })
    } else {
        None
    };

    let dead_letter_queue = match common.dead_letter_queue {
        Some(queue) => queue,
        None => Queue::builder("DeadLetterQueue")
            .retention_period(Duration::from_secs(14 * 86_400))
            .build_in(stack, node)?,
    };

    let role = match common.trigger {
        ScheduleTrigger::Scheduler => {
            let role = Role::builder(
                "ScheduleRole",
                Principal::service("scheduler.amazonaws.com"),
            )
            .build_in(stack, node)?;
            // Only schedules of this account may assume the role (confused
            // deputy).
            let trust = PolicyDocument::new().statement(
                PolicyStatement::allow()
                    .action("sts:AssumeRole")
                    .condition("StringEquals", "aws:SourceAccount", Pseudo::account_id())
                    .principal(Principal::service("scheduler.amazonaws.com")),
            );
            stack
                .properties_mut::<CfnRole>(role.resource())?
                .assume_role_policy_document = trust.into();
            role
        }
        ScheduleTrigger::EventsRule => {
            Role::builder("EventsRole", Principal::service("events.amazonaws.com"))
                .build_in(stack, task.security_group_parent)?
        }
    };
    role.add_to_policy(
        stack,
        PolicyStatement::allow()
            .action("ecs:RunTask")
            .condition("ArnEquals", "ecs:cluster", common.cluster.arn())
            .resource(task.arn.clone()),
    )?;
    let mut pass = PolicyStatement::allow()
        .action("iam:PassRole")
        .condition(
            "StringLike",
            "iam:PassedToService",
            "ecs-tasks.amazonaws.com",
        )
        .resource(task.task_role.arn());
    if let Some(execution) = task.execution_role {
        pass = pass.resource(execution.arn());
    }
    role.add_to_policy(stack, pass)?;

    let event_age = f64::from(
        // Checked: at most 86,400.
        u32::try_from(common.max_event_age.as_secs()).unwrap_or(86_400),
    );
    let (trigger, scope) = match common.trigger {
        ScheduleTrigger::Scheduler => {
            // The scheduler sends to the dead-letter queue with the role.
            role.add_to_policy(
                stack,
                PolicyStatement::allow()
                    .action("sqs:SendMessage")
                    .resource(dead_letter_queue.arn()),
            )?;
            if let Some(key) = dead_letter_queue.kms_key(stack) {
                role.add_to_policy(
                    stack,
                    PolicyStatement::allow()
                        .actions(["kms:Decrypt", "kms:GenerateDataKey"])
                        .resource(key),
                )?;
            }
            let mut ecs = EcsParameters::new(task.arn);
            if task.strategy.is_empty() {
                ecs.launch_type = Some(Value::Lit(task.launch_type));
            } else {
                ecs.capacity_provider_strategy = Some(Value::Lit(
                    task.strategy
                        .iter()
                        .map(|item| {
                            let mut l1 = CapacityProviderStrategyItem::new(item.provider_name());
                            l1.base = item.base_tasks().map(|b| Value::Lit(f64::from(b)));
                            l1.weight = Some(Value::Lit(f64::from(item.weight_value())));
                            Value::Lit(l1)
                        })
                        .collect(),
                ));
            }
            ecs.task_count = Some(Value::Lit(f64::from(common.task_count)));
            ecs.platform_version = task.platform_version.map(Value::from);
            ecs.network_configuration = network.map(|n| {
                let mut config = AwsVpcConfiguration::new(Value::Lit(n.subnets));
                config.security_groups = Some(Value::Lit(vec![n.security_group]));
                config.assign_public_ip = Some(Value::Lit(if n.assign_public_ip {
                    AssignPublicIp::Enabled
                } else {
                    AssignPublicIp::Disabled
                }));
                Value::Lit(NetworkConfiguration {
                    awsvpc_configuration: Some(Value::Lit(config)),
                })
            });
            let target = Target {
                dead_letter_config: Some(Value::Lit(DeadLetterConfig {
                    arn: Some(dead_letter_queue.arn().into()),
                })),
                ecs_parameters: Some(Value::Lit(ecs)),
                retry_policy: Some(Value::Lit(RetryPolicy {
                    maximum_event_age_in_seconds: Some(Value::Lit(event_age)),
                    maximum_retry_attempts: Some(Value::Lit(f64::from(common.retry_attempts))),
                })),
                ..Target::new(common.cluster.arn(), role.arn())
            };
            let mut cfn = CfnSchedule::new(
                FlexibleTimeWindow::new(FlexibleTimeWindowMode::Off),
                expression,
                target,
            );
            cfn.schedule_expression_timezone = common.schedule.timezone_name().map(Value::from);
            cfn.state = Some(Value::Lit(if common.enabled {
                ScheduleState::Enabled
            } else {
                ScheduleState::Disabled
            }));
            cfn.description = common.description.clone().map(Value::from);
            let scope = stack.scope_of_type(node, "Schedule", "ecscdk.scheduler.Schedule")?;
            (Trigger::Schedule(stack.add(scope, "Resource", cfn)?), scope)
        }
        ScheduleTrigger::EventsRule => {
            let mut ecs = rule::EcsParameters::new(task.arn);
            if task.strategy.is_empty() {
                ecs.launch_type = Some(Value::Lit(match task.launch_type {
                    LaunchType::Ec2 => rule::LaunchType::Ec2,
                    LaunchType::External => rule::LaunchType::External,
                    LaunchType::Fargate => rule::LaunchType::Fargate,
                }));
            } else {
                ecs.capacity_provider_strategy = Some(Value::Lit(
                    task.strategy
                        .iter()
                        .map(|item| {
                            let mut l1 =
                                rule::CapacityProviderStrategyItem::new(item.provider_name());
                            l1.base = item.base_tasks().map(|b| Value::Lit(i64::from(b)));
                            l1.weight = Some(Value::Lit(i64::from(item.weight_value())));
                            Value::Lit(l1)
                        })
                        .collect(),
                ));
            }
            ecs.task_count = Some(Value::Lit(i64::from(common.task_count)));
            ecs.platform_version = task.platform_version.map(Value::from);
            ecs.network_configuration = network.map(|n| {
                let mut config = rule::AwsVpcConfiguration::new(Value::Lit(n.subnets));
                config.security_groups = Some(Value::Lit(vec![n.security_group]));
                config.assign_public_ip = Some(Value::Lit(if n.assign_public_ip {
                    rule::AssignPublicIp::Enabled
                } else {
                    rule::AssignPublicIp::Disabled
                }));
                Value::Lit(rule::NetworkConfiguration {
                    aws_vpc_configuration: Some(Value::Lit(config)),
                })
            });
            let target = rule::Target {
                dead_letter_config: Some(Value::Lit(rule::DeadLetterConfig {
                    arn: Some(dead_letter_queue.arn().into()),
                })),
                ecs_parameters: Some(Value::Lit(ecs)),
                input: Some(Value::from("{}")),
                retry_policy: Some(Value::Lit(rule::RetryPolicy {
                    maximum_event_age_in_seconds: Some(Value::Lit(i64::from(
                        u32::try_from(common.max_event_age.as_secs()).unwrap_or(86_400),
                    ))),
                    maximum_retry_attempts: Some(Value::Lit(i64::from(common.retry_attempts))),
                })),
                role_arn: Some(role.arn().into()),
                ..rule::Target::new(common.cluster.arn(), "Target0")
            };
            let cfn = CfnRule {
                description: common.description.clone().map(Value::from),
                schedule_expression: Some(Value::from(expression)),
                state: Some(Value::Lit(if common.enabled {
                    rule::State::Enabled
                } else {
                    rule::State::Disabled
                })),
                targets: Some(Value::Lit(vec![Value::Lit(target)])),
                ..CfnRule::default()
            };
            let scope = stack.scope_of_type(node, "ScheduledEventRule", "ecscdk.events.Rule")?;
            let resource = stack.add(scope, "Resource", cfn)?;
            // The rule sends failed runs to the queue as the CDK lets it: by
            // the queue's policy, for this rule only.
            let sid = format!(
                "AllowEventRule{}",
                crate::appscaling::policy_name::unique_id(&stack.path(scope))
            );
            dead_letter_queue.add_to_resource_policy(
                stack,
                PolicyStatement::allow()
                    .sid(sid)
                    .action("sqs:SendMessage")
                    .condition("ArnEquals", "aws:SourceArn", resource.attr_arn())
                    .principal(Principal::service("events.amazonaws.com"))
                    .resource(dead_letter_queue.arn()),
            )?;
            (Trigger::Rule(resource), scope)
        }
    };
    // The schedule starts no task before its role may run it (the role
    // itself is already referenced).
    if let Some(policy) = stack.child(role.node(), "DefaultPolicy") {
        stack.add_node_dependency(scope, policy)?;
    }
    Ok(Parts {
        node,
        trigger,
        role,
        dead_letter_queue,
        security_group,
    })
}

/// Setters both builders share, with their docs.
macro_rules! scheduled_task_setters {
    () => {
        /// How many tasks each run starts (1 to 10).
        ///
        /// CloudFormation default: 1.
        /// ecscdk default: 1.
        pub fn task_count(mut self, count: u32) -> Self {
            self.common.task_count = count;
            self
        }

        /// How many times the scheduler retries a run it could not start
        /// (0 to 185).
        ///
        /// CloudFormation default: 185.
        /// ecscdk default: 185, written explicitly.
        pub fn retry_attempts(mut self, attempts: u32) -> Self {
            self.common.retry_attempts = attempts;
            self
        }

        /// How long the scheduler keeps retrying a run (whole seconds, 1
        /// minute to 24 hours).
        ///
        /// CloudFormation default: 86400 seconds.
        /// ecscdk default: 24 hours, written explicitly.
        pub fn max_event_age(mut self, age: Duration) -> Self {
            self.common.max_event_age = age;
            self
        }

        /// Whether the schedule runs (a disabled one is kept but fires no
        /// task).
        ///
        /// CloudFormation default: enabled.
        /// ecscdk default: enabled.
        pub fn enabled(mut self, on: bool) -> Self {
            self.common.enabled = on;
            self
        }

        /// The schedule's description (at most 512 characters).
        ///
        /// CloudFormation default: none.
        /// ecscdk default: omitted.
        pub fn description(mut self, text: impl Into<String>) -> Self {
            self.common.description = Some(text.into());
            self
        }

        /// Sends runs that could not be started to this queue instead of a
        /// new one.
        ///
        /// CloudFormation default: no dead-letter queue (failed runs are dropped).
        /// ecscdk default: a queue `DeadLetterQueue` keeping messages 14 days.
        pub fn dead_letter_queue(mut self, queue: &Queue) -> Self {
            self.common.dead_letter_queue = Some(*queue);
            self
        }

        /// What starts the runs.
        ///
        /// CloudFormation default: not applicable.
        /// ecscdk default: [`ScheduleTrigger::Scheduler`] (EventBridge Scheduler; the AWS CDK uses an EventBridge rule).
        pub fn trigger(mut self, trigger: ScheduleTrigger) -> Self {
            self.common.trigger = trigger;
            self
        }

        /// The subnets `awsvpc` tasks run in.
        ///
        /// CloudFormation default: none (required for awsvpc tasks).
        /// ecscdk default: the VPC's private subnets, as the AWS CDK.
        pub fn task_subnets(mut self, selection: SubnetSelection) -> Self {
            self.common.task_subnets = Some(selection);
            self
        }
    };
}

/// Accessors both patterns share.
macro_rules! scheduled_task_accessors {
    () => {
        /// The pattern's construct node.
        #[must_use]
        pub fn node(&self) -> NodeId {
            self.parts.node
        }

        /// The `AWS::Scheduler::Schedule` (child `Schedule`), with the
        /// default trigger.
        #[must_use]
        pub fn schedule(&self) -> Option<CfnScheduleRef> {
            match self.parts.trigger {
                Trigger::Schedule(schedule) => Some(schedule),
                Trigger::Rule(_) => None,
            }
        }

        /// The `AWS::Events::Rule` (child `ScheduledEventRule`), with
        /// [`ScheduleTrigger::EventsRule`].
        #[must_use]
        pub fn rule(&self) -> Option<CfnRuleRef> {
            match self.parts.trigger {
                Trigger::Rule(rule) => Some(rule),
                Trigger::Schedule(_) => None,
            }
        }

        /// The role the scheduler (child `ScheduleRole`) or the rule (child
        /// `EventsRole` of the task definition) assumes.
        #[must_use]
        pub fn role(&self) -> Role {
            self.parts.role
        }

        /// The queue of runs that could not be started.
        #[must_use]
        pub fn dead_letter_queue(&self) -> Queue {
            self.parts.dead_letter_queue
        }

        /// The tasks' security group node (`ScheduledTaskDef/SecurityGroup`,
        /// or `SecurityGroup` with a given task definition), for `awsvpc`
        /// tasks.
        #[must_use]
        pub fn security_group(&self) -> Option<NodeId> {
            self.parts.security_group
        }
    };
}

/// A Fargate task run on a schedule: a task definition, and an EventBridge
/// Scheduler schedule (flexible window off) that runs it in the cluster's
/// private subnets, retries runs it could not start and sends those it gave
/// up on to a dead-letter queue.
///
/// ```
/// use ecscdk::prelude::*;
/// use ecscdk::ec2::Vpc;
/// use ecscdk::ecs::{Cluster, Container, ContainerImage};
/// use ecscdk::patterns::ScheduledFargateTask;
/// use ecscdk::scheduler::ScheduleExpression;
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Jobs");
/// let vpc = Vpc::builder("Vpc").nat_gateways(1).build(&mut stack)?;
/// let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
/// ScheduledFargateTask::builder(
///     "Nightly",
///     &cluster,
///     Container::builder("ScheduledContainer", ContainerImage::registry("public.ecr.aws/example/report:1")),
///     ScheduleExpression::daily_at(2, 0).timezone("Europe/Paris"),
/// )
/// .retry_attempts(3)
/// .build(&mut stack)?;
/// # Ok(()) }
/// ```
///
/// CloudFormation: [AWS::Scheduler::Schedule](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-scheduler-schedule.html) running an [AWS::ECS::TaskDefinition](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html)
#[derive(Debug, Clone)]
pub struct ScheduledFargateTask {
    parts: Parts,
    task_definition: FargateTaskDefinition,
}

impl ScheduledFargateTask {
    /// A builder for the pattern `id` running `container` in `cluster`
    /// (which needs a VPC) on `schedule`. To keep the AWS CDK's ids, name
    /// the container `ScheduledContainer` and log with
    /// `LogDriver::aws_logs(id)`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        container: ContainerBuilder,
        schedule: ScheduleExpression,
    ) -> ScheduledFargateTaskBuilder {
        ScheduledFargateTaskBuilder {
            common: Common::new(id.into(), cluster, Some(container), schedule),
            task: None,
            size: None,
            assign_public_ip: false,
            platform_version: None,
            strategy: Vec::new(),
        }
    }

    /// A builder for the pattern `id` running the existing `task` in
    /// `cluster` (which needs a VPC) on `schedule`, as the CDK's
    /// `scheduledFargateTaskDefinitionOptions`.
    pub fn with_task_definition(
        id: impl Into<String>,
        cluster: &Cluster,
        task: &FargateTaskDefinition,
        schedule: ScheduleExpression,
    ) -> ScheduledFargateTaskBuilder {
        ScheduledFargateTaskBuilder {
            common: Common::new(id.into(), cluster, None, schedule),
            task: Some(task.clone()),
            size: None,
            assign_public_ip: false,
            platform_version: None,
            strategy: Vec::new(),
        }
    }

    scheduled_task_accessors!();

    /// The task definition (child `ScheduledTaskDef`).
    #[must_use]
    pub fn task_definition(&self) -> &FargateTaskDefinition {
        &self.task_definition
    }
}

/// Builds a [`ScheduledFargateTask`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ScheduledFargateTaskBuilder {
    common: Common,
    task: Option<FargateTaskDefinition>,
    size: Option<FargateSize>,
    assign_public_ip: bool,
    platform_version: Option<PlatformVersion>,
    strategy: Vec<FargateCapacity>,
}

impl ScheduledFargateTaskBuilder {
    scheduled_task_setters!();

    /// The task size (cpu and memory); not with a given task definition.
    ///
    /// CloudFormation default: none (required for Fargate).
    /// ecscdk default: 0.25 vCPU and 512 MiB, as the AWS CDK.
    pub fn size(mut self, size: FargateSize) -> Self {
        self.size = Some(size);
        self
    }

    /// Whether tasks get public IP addresses (for public subnets without NAT).
    ///
    /// CloudFormation default: disabled.
    /// ecscdk default: disabled.
    pub fn assign_public_ip(mut self, on: bool) -> Self {
        self.assign_public_ip = on;
        self
    }

    /// The Fargate platform version.
    ///
    /// CloudFormation default: `LATEST`.
    /// ecscdk default: omitted (`LATEST`).
    pub fn platform_version(mut self, version: PlatformVersion) -> Self {
        self.platform_version = Some(version);
        self
    }

    /// Runs the tasks on `FARGATE` / `FARGATE_SPOT` by this strategy
    /// instead of the `FARGATE` launch type (Spot suits jobs that can be
    /// run again); the cluster needs the Fargate capacity providers.
    ///
    /// CloudFormation default: the cluster's default strategy, or the launch type.
    /// ecscdk default: the `FARGATE` launch type.
    pub fn capacity_provider_strategy(
        mut self,
        strategy: impl IntoIterator<Item = FargateCapacity>,
    ) -> Self {
        self.strategy = strategy.into_iter().collect();
        self
    }

    /// Adds the pattern directly under the stack.
    ///
    /// # Errors
    /// [`Error::InvalidProperty`] for a schedule expression EventBridge
    /// Scheduler rejects (a malformed cron, a rate of 0, a time zone on a
    /// rate), a task count outside 1 to 10, more than 185 retries, a
    /// maximum event age outside 1 minute to 24 hours or a description over
    /// 512 characters; [`Error::Conflict`] for a size with a given task
    /// definition, a time zone with an EventBridge rule, or a platform
    /// version older than a container's restart policy, system controls or
    /// start timeout needs;
    /// [`Error::Unsupported`] for a capacity provider strategy on a cluster
    /// without the Fargate capacity providers; [`Error::Missing`] when the
    /// cluster has no VPC; and
    /// the errors of the task definition, queue and role builders, with
    /// their paths.
    pub fn build(self, stack: &mut Stack) -> Result<ScheduledFargateTask> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the pattern under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<ScheduledFargateTask> {
        let expression = self.common.check(stack, parent)?;
        check_strategy(stack, parent, &self.common, &self.strategy)?;
        if self.task.is_some() && self.size.is_some() {
            return Err(Error::Conflict {
                path: stack.path(parent).child(&self.common.id),
                first: "size",
                second: "with_task_definition",
                fix: "size the given task definition on its own builder, or let the pattern create one",
            });
        }
        let node = stack.scope_of_type(
            parent,
            &self.common.id,
            "ecscdk.patterns.ScheduledFargateTask",
        )?;
        let (task, security_group_parent) = match (self.task, self.common.container.clone()) {
            (Some(task), _) => (task, node),
            (None, container) => {
                let mut task = FargateTaskDefinition::builder("ScheduledTaskDef");
                if let Some(size) = self.size {
                    task = task.size(size);
                }
                if let Some(container) = container {
                    task = task.container(container);
                }
                let task = task.build_in(stack, node)?;
                let sg_parent = task.node();
                (task, sg_parent)
            }
        };
        crate::ecs::check_platform_version(
            &task,
            self.platform_version.as_ref(),
            &stack.path(node),
        )?;
        let info = TaskInfo {
            security_group_parent,
            arn: task.arn(),
            task_role: task.task_role(),
            execution_role: task.execution_role(),
            launch_type: LaunchType::Fargate,
            awsvpc: true,
            assign_public_ip: self.assign_public_ip,
            platform_version: self.platform_version.map(|v| match v {
                PlatformVersion::Latest => "LATEST".to_owned(),
                PlatformVersion::V1_4_0 => "1.4.0".to_owned(),
                PlatformVersion::Other(s) => s,
            }),
            strategy: self.strategy,
        };
        let parts = schedule(&self.common, expression, stack, node, info)?;
        Ok(ScheduledFargateTask {
            parts,
            task_definition: task,
        })
    }
}

/// A task on EC2 container instances run on a schedule: as
/// [`ScheduledFargateTask`], with an EC2 task definition (bridge networking
/// by default, as the AWS CDK) and the `EC2` launch type.
///
/// CloudFormation: [AWS::Scheduler::Schedule](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-scheduler-schedule.html) running an [AWS::ECS::TaskDefinition](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html)
#[derive(Debug, Clone)]
pub struct ScheduledEc2Task {
    parts: Parts,
    task_definition: Ec2TaskDefinition,
}

impl ScheduledEc2Task {
    /// A builder for the pattern `id` running `container` (which needs a
    /// memory limit or reservation) in `cluster` on `schedule`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        container: ContainerBuilder,
        schedule: ScheduleExpression,
    ) -> ScheduledEc2TaskBuilder {
        ScheduledEc2TaskBuilder {
            common: Common::new(id.into(), cluster, Some(container), schedule),
            task: None,
            network_mode: None,
        }
    }

    /// A builder for the pattern `id` running the existing `task` in
    /// `cluster` on `schedule`, as the CDK's
    /// `scheduledEc2TaskDefinitionOptions`; an ECS Anywhere (external)
    /// task definition runs with the `EXTERNAL` launch type.
    pub fn with_task_definition(
        id: impl Into<String>,
        cluster: &Cluster,
        task: &Ec2TaskDefinition,
        schedule: ScheduleExpression,
    ) -> ScheduledEc2TaskBuilder {
        ScheduledEc2TaskBuilder {
            common: Common::new(id.into(), cluster, None, schedule),
            task: Some(task.clone()),
            network_mode: None,
        }
    }

    scheduled_task_accessors!();

    /// The task definition (child `ScheduledTaskDef`).
    #[must_use]
    pub fn task_definition(&self) -> &Ec2TaskDefinition {
        &self.task_definition
    }
}

/// Builds a [`ScheduledEc2Task`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ScheduledEc2TaskBuilder {
    common: Common,
    task: Option<Ec2TaskDefinition>,
    network_mode: Option<Ec2NetworkMode>,
}

impl ScheduledEc2TaskBuilder {
    scheduled_task_setters!();

    /// The task's network mode; with [`Ec2NetworkMode::AwsVpc`] the task
    /// gets a security group of its own in the cluster's VPC. Not with a
    /// given task definition.
    ///
    /// CloudFormation default: `bridge` on Linux.
    /// ecscdk default: [`Ec2NetworkMode::Bridge`], as the AWS CDK.
    pub fn network_mode(mut self, mode: Ec2NetworkMode) -> Self {
        self.network_mode = Some(mode);
        self
    }

    /// Adds the pattern directly under the stack.
    ///
    /// # Errors
    /// As [`ScheduledFargateTaskBuilder::build`] (a cluster VPC is needed
    /// only for `awsvpc` tasks; [`Error::Conflict`] for a network mode with
    /// a given task definition).
    pub fn build(self, stack: &mut Stack) -> Result<ScheduledEc2Task> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the pattern under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<ScheduledEc2Task> {
        let expression = self.common.check(stack, parent)?;
        if self.task.is_some() && self.network_mode.is_some() {
            return Err(Error::Conflict {
                path: stack.path(parent).child(&self.common.id),
                first: "network_mode",
                second: "with_task_definition",
                fix: "the given task definition has its own network mode; drop `network_mode`",
            });
        }
        let node =
            stack.scope_of_type(parent, &self.common.id, "ecscdk.patterns.ScheduledEc2Task")?;
        let (task, security_group_parent) = match (self.task, self.common.container.clone()) {
            (Some(task), _) => (task, node),
            (None, container) => {
                let mut task = Ec2TaskDefinition::builder(
                    "ScheduledTaskDef",
                    self.network_mode.unwrap_or(Ec2NetworkMode::Bridge),
                );
                if let Some(container) = container {
                    task = task.container(container);
                }
                let task = task.build_in(stack, node)?;
                let sg_parent = task.node();
                (task, sg_parent)
            }
        };
        let info = TaskInfo {
            security_group_parent,
            arn: task.arn(),
            task_role: task.task_role(),
            execution_role: task.execution_role(),
            launch_type: if task.is_external() {
                LaunchType::External
            } else {
                LaunchType::Ec2
            },
            awsvpc: task.network_mode() == Ec2NetworkMode::AwsVpc,
            assign_public_ip: false,
            platform_version: None,
            strategy: Vec::new(),
        };
        let parts = schedule(&self.common, expression, stack, node, info)?;
        Ok(ScheduledEc2Task {
            parts,
            task_definition: task,
        })
    }
}
