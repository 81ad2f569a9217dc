//! Services that work off an SQS queue, as the AWS CDK's
//! `QueueProcessingFargateService` and `QueueProcessingEc2Service`: child
//! ids `EcsProcessingDeadLetterQueue` and `EcsProcessingQueue` (unless a
//! queue is given), `QueueProcessingTaskDef`, and the service
//! (`QueueProcessingFargateService` or `QueueProcessingService`) whose task
//! count scales on CPU (`CpuScaling`) and on the queue's visible messages
//! (`QueueMessagesVisibleScaling`); the outputs `SQSQueue`, `SQSQueueArn`,
//! `SQSDeadLetterQueue` and `SQSDeadLetterQueueArn`.
//!
//! The container gets the queue's name in `QUEUE_NAME` (and its URL in
//! `QUEUE_URL`); the task role may only consume that queue.

use std::time::Duration;

use crate::appscaling::{
    PredefinedMetric, ScalableTarget, ScalingInterval, StepScaling, TargetTracking,
};
use crate::ec2::SubnetSelection;
use crate::ecs::{
    CircuitBreaker, Cluster, ContainerBuilder, Ec2NetworkMode, Ec2Service, Ec2TaskDefinition,
    FargateCapacity, FargateService, FargateSize, FargateTaskDefinition,
};
use crate::iam::Role;
use crate::sqs::Queue;
use crate::synth::{NodeId, Value};
use crate::{Error, Result, Stack};

/// The CDK's default backlog steps: scale in by 1 when the queue is empty,
/// out by 1 from 100 visible messages and by 5 from 500.
#[must_use]
pub fn default_queue_scaling_steps() -> Vec<ScalingInterval> {
    vec![
        ScalingInterval::below(0.0, -1),
        ScalingInterval::above(100.0, 1),
        ScalingInterval::above(500.0, 5),
    ]
}

/// The options both queue-processing patterns share.
#[derive(Debug, Clone)]
struct Common {
    id: String,
    cluster: Cluster,
    container: ContainerBuilder,
    queue: Option<Queue>,
    max_receive_count: Option<u32>,
    visibility_timeout: Option<Duration>,
    retention_period: Option<Duration>,
    min_capacity: u32,
    max_capacity: u32,
    scaling_steps: Option<Vec<ScalingInterval>>,
    cpu_target_percent: f64,
    circuit_breaker: Option<CircuitBreaker>,
    min_healthy_percent: Option<u32>,
    max_percent: Option<u32>,
    deployment_alarms: Option<(Vec<Value<String>>, bool)>,
    execute_command: bool,
    service_name: Option<Value<String>>,
}

impl Common {
    fn new(id: String, cluster: &Cluster, container: ContainerBuilder) -> Self {
        Self {
            id,
            cluster: cluster.clone(),
            container,
            queue: None,
            max_receive_count: None,
            visibility_timeout: None,
            retention_period: None,
            min_capacity: 1,
            max_capacity: 2,
            scaling_steps: None,
            cpu_target_percent: 50.0,
            circuit_breaker: None,
            min_healthy_percent: None,
            max_percent: None,
            deployment_alarms: None,
            execute_command: false,
            service_name: None,
        }
    }
}

/// The queues of a pattern and its container with the queue's variables.
struct Queues {
    node: NodeId,
    queue: Queue,
    dead_letter_queue: Option<Queue>,
    container: ContainerBuilder,
}

/// Checks the common options, creates the pattern's node and its queues
/// (or takes the given one), and adds the outputs, as the CDK's
/// `QueueProcessingServiceBase`.
fn queues(common: &Common, fqn: &'static str, stack: &mut Stack, parent: NodeId) -> Result<Queues> {
    let path = stack.path(parent).child(&common.id);
    if common.queue.is_some() {
        let set: Vec<&'static str> = [
            ("max_receive_count", common.max_receive_count.is_some()),
            ("visibility_timeout", common.visibility_timeout.is_some()),
            ("retention_period", common.retention_period.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, on)| on.then_some(name))
        .collect();
        if let Some(first) = set.first() {
            return Err(Error::Conflict {
                path,
                first: "queue",
                second: first,
                fix: "the queue's settings belong to the queue you pass: set them on its `Queue::builder(..)` and drop them here",
            });
        }
    }
    if common.max_capacity == 0 {
        return Err(Error::InvalidProperty {
            path,
            property: "capacity".to_owned(),
            reason: "a maximum of 0 tasks never processes a message; allow at least 1".to_owned(),
        });
    }
    if common.min_capacity > common.max_capacity {
        return Err(Error::InvalidProperty {
            path,
            property: "capacity".to_owned(),
            reason: format!(
                "minimum {} is above maximum {}; write min..=max",
                common.min_capacity, common.max_capacity
            ),
        });
    }
    if !(common.cpu_target_percent > 0.0 && common.cpu_target_percent <= 100.0) {
        return Err(Error::InvalidProperty {
            path,
            property: "cpu_target_percent".to_owned(),
            reason: format!(
                "{} is not a utilization above 0 and at most 100 percent",
                common.cpu_target_percent
            ),
        });
    }
    let node = stack.scope_of_type(parent, &common.id, fqn)?;
    let (queue, dead_letter_queue) = match common.queue {
        Some(queue) => (queue, None),
        None => {
            let dlq = Queue::builder("EcsProcessingDeadLetterQueue")
                .retention_period(
                    common
                        .retention_period
                        .unwrap_or(Duration::from_secs(14 * 86_400)),
                )
                .build_in(stack, node)?;
            let mut builder = Queue::builder("EcsProcessingQueue")
                .dead_letter_queue(&dlq, common.max_receive_count.unwrap_or(3));
            if let Some(timeout) = common.visibility_timeout {
                builder = builder.visibility_timeout(timeout);
            }
            let queue = builder.build_in(stack, node)?;
            stack.output_in(node, "SQSDeadLetterQueue", dlq.name())?;
            stack.output_in(node, "SQSDeadLetterQueueArn", dlq.arn())?;
            (queue, Some(dlq))
        }
    };
    stack.output_in(node, "SQSQueue", queue.name())?;
    stack.output_in(node, "SQSQueueArn", queue.arn())?;
    let container = common
        .container
        .clone()
        .env("QUEUE_NAME", queue.name())
        .env("QUEUE_URL", queue.url());
    Ok(Queues {
        node,
        queue,
        dead_letter_queue,
        container,
    })
}

/// Scales the service's task count on CPU and on the queue's backlog, and
/// lets the task role consume the queue, as the CDK's
/// `configureAutoscalingForService` and `grantPermissionsToService`.
fn scale_and_grant(
    common: &Common,
    stack: &mut Stack,
    target: ScalableTarget,
    queue: Queue,
    task_role: Role,
) -> Result<()> {
    target.scale_to_track(
        stack,
        "CpuScaling",
        TargetTracking::predefined(
            PredefinedMetric::EcsServiceAverageCpuUtilization,
            common.cpu_target_percent,
        ),
    )?;
    let steps = common
        .scaling_steps
        .clone()
        .unwrap_or_else(default_queue_scaling_steps);
    target.scale_on_metric(
        stack,
        "QueueMessagesVisibleScaling",
        StepScaling::new(queue.metric_visible_messages()).steps(steps),
    )?;
    queue.grant_consume_messages(stack, task_role)
}

/// Setters both builders share, with their docs.
macro_rules! queue_processing_setters {
    () => {
        /// Processes this queue instead of creating one (and its
        /// dead-letter queue); configure it on its own builder.
        ///
        /// CloudFormation default: not applicable.
        /// ecscdk default: a queue `EcsProcessingQueue` with a dead-letter queue `EcsProcessingDeadLetterQueue`, as the AWS CDK.
        pub fn queue(mut self, queue: &Queue) -> Self {
            self.common.queue = Some(*queue);
            self
        }

        /// How many receives without a delete move a message to the
        /// dead-letter queue (1 to 1000; not with [`queue`](Self::queue)).
        ///
        /// CloudFormation default: no dead-letter queue.
        /// ecscdk default: 3, as the AWS CDK.
        pub fn max_receive_count(mut self, count: u32) -> Self {
            self.common.max_receive_count = Some(count);
            self
        }

        /// How long a received message stays hidden while a task works on
        /// it (at most 12 hours; not with [`queue`](Self::queue)).
        ///
        /// CloudFormation default: 30 seconds.
        /// ecscdk default: omitted (30 seconds).
        pub fn visibility_timeout(mut self, timeout: Duration) -> Self {
            self.common.visibility_timeout = Some(timeout);
            self
        }

        /// How long the dead-letter queue keeps messages (1 minute to 14
        /// days; not with [`queue`](Self::queue)).
        ///
        /// CloudFormation default: 4 days.
        /// ecscdk default: 14 days, as the AWS CDK.
        pub fn retention_period(mut self, period: Duration) -> Self {
            self.common.retention_period = Some(period);
            self
        }

        /// The bounds of the task count, `min..=max`.
        ///
        /// CloudFormation default: none (required by the scalable target).
        /// ecscdk default: 1..=2, as the AWS CDK.
        pub fn capacity(mut self, capacity: std::ops::RangeInclusive<u32>) -> Self {
            self.common.min_capacity = *capacity.start();
            self.common.max_capacity = *capacity.end();
            self
        }

        /// The backlog steps on the queue's `ApproximateNumberOfMessagesVisible`
        /// (maximum over 5 minutes).
        ///
        /// CloudFormation default: none (required by step scaling).
        /// ecscdk default: [`default_queue_scaling_steps`]: below 0 −1, from 100 +1, from 500 +5, as the AWS CDK.
        pub fn scaling_steps(mut self, steps: impl IntoIterator<Item = ScalingInterval>) -> Self {
            self.common.scaling_steps = Some(steps.into_iter().collect());
            self
        }

        /// The average CPU utilization the task count tracks.
        ///
        /// CloudFormation default: none (required by target tracking).
        /// ecscdk default: 50 %, as the AWS CDK.
        pub fn cpu_target_percent(mut self, percent: f64) -> Self {
            self.common.cpu_target_percent = percent;
            self
        }

        /// The deployment circuit breaker.
        ///
        /// CloudFormation default: off.
        /// ecscdk default: on with rollback, as the services.
        pub fn circuit_breaker(mut self, breaker: CircuitBreaker) -> Self {
            self.common.circuit_breaker = Some(breaker);
            self
        }

        /// The share of tasks kept running during a deployment.
        ///
        /// CloudFormation default: 100 %.
        /// ecscdk default: 100 %, as the services.
        pub fn min_healthy_percent(mut self, percent: u32) -> Self {
            self.common.min_healthy_percent = Some(percent);
            self
        }

        /// The most tasks, as a share of the desired count, during a
        /// deployment.
        ///
        /// CloudFormation default: 200 %.
        /// ecscdk default: 200 %.
        pub fn max_percent(mut self, percent: u32) -> Self {
            self.common.max_percent = Some(percent);
            self
        }

        /// CloudWatch alarms (names) that fail a deployment of the service
        /// when they go off, rolling back if `rollback`.
        ///
        /// CloudFormation default: none.
        /// ecscdk default: none.
        pub fn deployment_alarms<V: Into<Value<String>>>(
            mut self,
            alarm_names: impl IntoIterator<Item = V>,
            rollback: bool,
        ) -> Self {
            self.common.deployment_alarms =
                Some((alarm_names.into_iter().map(Into::into).collect(), rollback));
            self
        }

        /// ECS Exec: `aws ecs execute-command` into the running workers;
        /// the task role gets the SSM messages permissions it needs (beside
        /// consuming the queue). The container's root filesystem must be
        /// writable (or have scratch volumes where the agent writes),
        /// checked by the service at `build()`.
        ///
        /// CloudFormation default: off.
        /// ecscdk default: off, as the AWS CDK.
        pub fn enable_execute_command(mut self) -> Self {
            self.common.execute_command = true;
            self
        }

        /// The service's name; changing it replaces the service.
        ///
        /// CloudFormation default: generated.
        /// ecscdk default: omitted (generated).
        pub fn service_name(mut self, name: impl Into<Value<String>>) -> Self {
            self.common.service_name = Some(name.into());
            self
        }
    };
}

/// Accessors both patterns share.
macro_rules! queue_processing_accessors {
    () => {
        /// The pattern's construct node.
        #[must_use]
        pub fn node(&self) -> NodeId {
            self.node
        }

        /// The queue the service processes.
        #[must_use]
        pub fn queue(&self) -> Queue {
            self.queue
        }

        /// The dead-letter queue (child `EcsProcessingDeadLetterQueue`),
        /// unless a queue was given.
        #[must_use]
        pub fn dead_letter_queue(&self) -> Option<Queue> {
            self.dead_letter_queue
        }
    };
}

/// A Fargate service working off an SQS queue: the queue (with a
/// dead-letter queue after 3 receives) unless one is given, a task
/// definition whose container learns the queue from `QUEUE_NAME` and
/// `QUEUE_URL`, a task role that may only consume that queue, and a task
/// count scaling on CPU (50 %) and on the backlog with the CDK's steps.
///
/// ```
/// use std::time::Duration;
/// use ecscdk::prelude::*;
/// use ecscdk::ec2::Vpc;
/// use ecscdk::ecs::{Cluster, Container, ContainerImage, LogDriver};
/// use ecscdk::patterns::QueueProcessingFargateService;
///
/// # fn main() -> ecscdk::Result<()> {
/// let mut stack = Stack::new("Jobs");
/// let vpc = Vpc::builder("Vpc").nat_gateways(1).build(&mut stack)?;
/// let cluster = Cluster::builder("Cluster").vpc(&vpc).build(&mut stack)?;
/// let worker = QueueProcessingFargateService::builder(
///     "Worker",
///     &cluster,
///     Container::builder("QueueProcessingContainer", ContainerImage::registry("public.ecr.aws/example/worker:1"))
///         .logging(LogDriver::aws_logs("Worker")),
/// )
/// .visibility_timeout(Duration::from_secs(120))
/// .capacity(1..=10)
/// .build(&mut stack)?;
/// stack.output("QueueUrl", worker.queue().url())?;
/// # Ok(()) }
/// ```
///
/// CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html) fed by an [AWS::SQS::Queue](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html)
#[derive(Debug, Clone)]
pub struct QueueProcessingFargateService {
    node: NodeId,
    queue: Queue,
    dead_letter_queue: Option<Queue>,
    task_definition: FargateTaskDefinition,
    service: FargateService,
}

impl QueueProcessingFargateService {
    /// A builder for the pattern `id` running `container` in `cluster`
    /// (which needs a VPC). To keep the AWS CDK's ids, name the container
    /// `QueueProcessingContainer` and log with `LogDriver::aws_logs(id)`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        container: ContainerBuilder,
    ) -> QueueProcessingFargateServiceBuilder {
        QueueProcessingFargateServiceBuilder {
            common: Common::new(id.into(), cluster, container),
            size: None,
            assign_public_ip: false,
            task_subnets: None,
            strategy: Vec::new(),
        }
    }

    queue_processing_accessors!();

    /// The task definition (child `QueueProcessingTaskDef`).
    #[must_use]
    pub fn task_definition(&self) -> &FargateTaskDefinition {
        &self.task_definition
    }

    /// The service (child `QueueProcessingFargateService`).
    #[must_use]
    pub fn service(&self) -> &FargateService {
        &self.service
    }
}

/// Builds a [`QueueProcessingFargateService`].
#[derive(Debug, Clone)]
#[must_use]
pub struct QueueProcessingFargateServiceBuilder {
    common: Common,
    size: Option<FargateSize>,
    assign_public_ip: bool,
    task_subnets: Option<SubnetSelection>,
    strategy: Vec<FargateCapacity>,
}

impl QueueProcessingFargateServiceBuilder {
    queue_processing_setters!();

    /// Runs the tasks on `FARGATE` / `FARGATE_SPOT` by this strategy (a
    /// queue worker tolerates Spot interruptions well: an interrupted
    /// message becomes visible again); the cluster needs the Fargate
    /// capacity providers.
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

    /// The task size (cpu and memory).
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

    /// The subnets the tasks run in.
    ///
    /// CloudFormation default: none (required).
    /// ecscdk default: the VPC's private subnets.
    pub fn task_subnets(mut self, selection: SubnetSelection) -> Self {
        self.task_subnets = Some(selection);
        self
    }

    /// Adds the pattern directly under the stack.
    ///
    /// # Errors
    /// [`Error::Conflict`] for queue settings together with a given queue;
    /// [`Error::InvalidProperty`] for a maximum task count of 0, a minimum
    /// above the maximum or a CPU target outside (0, 100]; and the errors of
    /// the queue, task definition, service and scaling builders (e.g. bad
    /// scaling steps), with their paths.
    pub fn build(self, stack: &mut Stack) -> Result<QueueProcessingFargateService> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the pattern under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(
        self,
        stack: &mut Stack,
        parent: NodeId,
    ) -> Result<QueueProcessingFargateService> {
        let common = self.common;
        let parts = queues(
            &common,
            "ecscdk.patterns.QueueProcessingFargateService",
            stack,
            parent,
        )?;
        let mut task = FargateTaskDefinition::builder("QueueProcessingTaskDef");
        if let Some(size) = self.size {
            task = task.size(size);
        }
        let task = task
            .container(parts.container)
            .build_in(stack, parts.node)?;
        let mut service =
            FargateService::builder("QueueProcessingFargateService", &common.cluster, &task)
                .assign_public_ip(self.assign_public_ip);
        if let Some(percent) = common.min_healthy_percent {
            service = service.min_healthy_percent(percent);
        }
        if let Some(percent) = common.max_percent {
            service = service.max_percent(percent);
        }
        if let Some(breaker) = common.circuit_breaker {
            service = service.circuit_breaker(breaker);
        }
        if let Some((alarms, rollback)) = common.deployment_alarms.clone() {
            service = service.deployment_alarms(alarms, rollback);
        }
        if common.execute_command {
            service = service.enable_execute_command();
        }
        if let Some(name) = common.service_name.clone() {
            service = service.service_name(name);
        }
        if let Some(selection) = self.task_subnets {
            service = service.vpc_subnets(selection);
        }
        if !self.strategy.is_empty() {
            service = service.capacity_provider_strategy(self.strategy);
        }
        let service = service.build_in(stack, parts.node)?;
        let target = service
            .auto_scale(stack, common.min_capacity..=common.max_capacity)?
            .target();
        scale_and_grant(&common, stack, target, parts.queue, task.task_role())?;
        Ok(QueueProcessingFargateService {
            node: parts.node,
            queue: parts.queue,
            dead_letter_queue: parts.dead_letter_queue,
            task_definition: task,
            service,
        })
    }
}

/// An EC2 service working off an SQS queue: as
/// [`QueueProcessingFargateService`], with an EC2 task definition (bridge
/// networking by default, as the AWS CDK) and the service
/// `QueueProcessingService` on the cluster's container instances.
///
/// CloudFormation: [AWS::ECS::Service](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html) fed by an [AWS::SQS::Queue](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html)
#[derive(Debug, Clone)]
pub struct QueueProcessingEc2Service {
    node: NodeId,
    queue: Queue,
    dead_letter_queue: Option<Queue>,
    task_definition: Ec2TaskDefinition,
    service: Ec2Service,
}

impl QueueProcessingEc2Service {
    /// A builder for the pattern `id` running `container` (which needs a
    /// memory limit or reservation) in `cluster`. To keep the AWS CDK's
    /// ids, name the container `QueueProcessingContainer` and log with
    /// `LogDriver::aws_logs(id)`.
    pub fn builder(
        id: impl Into<String>,
        cluster: &Cluster,
        container: ContainerBuilder,
    ) -> QueueProcessingEc2ServiceBuilder {
        QueueProcessingEc2ServiceBuilder {
            common: Common::new(id.into(), cluster, container),
            network_mode: Ec2NetworkMode::Bridge,
        }
    }

    queue_processing_accessors!();

    /// The task definition (child `QueueProcessingTaskDef`).
    #[must_use]
    pub fn task_definition(&self) -> &Ec2TaskDefinition {
        &self.task_definition
    }

    /// The service (child `QueueProcessingService`).
    #[must_use]
    pub fn service(&self) -> &Ec2Service {
        &self.service
    }
}

/// Builds a [`QueueProcessingEc2Service`].
#[derive(Debug, Clone)]
#[must_use]
pub struct QueueProcessingEc2ServiceBuilder {
    common: Common,
    network_mode: Ec2NetworkMode,
}

impl QueueProcessingEc2ServiceBuilder {
    queue_processing_setters!();

    /// The task's network mode; with [`Ec2NetworkMode::AwsVpc`] the service
    /// gets a security group of its own in the cluster's VPC.
    ///
    /// CloudFormation default: `bridge` on Linux.
    /// ecscdk default: [`Ec2NetworkMode::Bridge`], as the AWS CDK.
    pub fn network_mode(mut self, mode: Ec2NetworkMode) -> Self {
        self.network_mode = mode;
        self
    }

    /// Adds the pattern directly under the stack.
    ///
    /// # Errors
    /// As [`QueueProcessingFargateServiceBuilder::build`].
    pub fn build(self, stack: &mut Stack) -> Result<QueueProcessingEc2Service> {
        let root = stack.root();
        self.build_in(stack, root)
    }

    /// Adds the pattern under `parent`.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn build_in(self, stack: &mut Stack, parent: NodeId) -> Result<QueueProcessingEc2Service> {
        let common = self.common;
        let parts = queues(
            &common,
            "ecscdk.patterns.QueueProcessingEc2Service",
            stack,
            parent,
        )?;
        let task = Ec2TaskDefinition::builder("QueueProcessingTaskDef", self.network_mode)
            .container(parts.container)
            .build_in(stack, parts.node)?;
        let mut service = Ec2Service::builder("QueueProcessingService", &common.cluster, &task);
        if let Some(percent) = common.min_healthy_percent {
            service = service.min_healthy_percent(percent);
        }
        if let Some(percent) = common.max_percent {
            service = service.max_percent(percent);
        }
        if let Some(breaker) = common.circuit_breaker {
            service = service.circuit_breaker(breaker);
        }
        if let Some((alarms, rollback)) = common.deployment_alarms.clone() {
            service = service.deployment_alarms(alarms, rollback);
        }
        if common.execute_command {
            service = service.enable_execute_command();
        }
        if let Some(name) = common.service_name.clone() {
            service = service.service_name(name);
        }
        let service = service.build_in(stack, parts.node)?;
        let target = service
            .auto_scale(stack, common.min_capacity..=common.max_capacity)?
            .target();
        scale_and_grant(&common, stack, target, parts.queue, task.task_role())?;
        Ok(QueueProcessingEc2Service {
            node: parts.node,
            queue: parts.queue,
            dead_letter_queue: parts.dead_letter_queue,
            task_definition: task,
            service,
        })
    }
}
