'use strict';
// Oracle for constructs/tests/patterns_queue_schedule.rs: the AWS CDK
// (aws-cdk-lib 2.276.0, recommended flags) rendering the queue-processing and
// scheduled-task patterns. Run with aws-cdk-lib and constructs installed beside
// it: node queue.js (writes out/*.template.json). QueueWorker.template.json here
// is out/QueueWorker.template.json reduced to the `Worker*` resources (without
// their Metadata) and the outputs.
// Compared 2026-11-25: every logical ID of the three stacks' pattern resources
// is also ours; the scaling target (but RoleARN), policies and alarms are equal
// property for property. Differences on purpose: SqsManagedSseEnabled written,
// TLS-only queue policies, 100 % minimum healthy with a circuit breaker, logs
// kept 30 days, QUEUE_URL beside QUEUE_NAME, and by default EventBridge Scheduler
// (Schedule, ScheduleRole, DeadLetterQueue) instead of ScheduledEventRule +
// EventsRole; with ScheduleTrigger::EventsRule the rule equals the CDK's but for
// its RetryPolicy and DeadLetterConfig, and EventsRole keeps its logical ID.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const patterns = require('aws-cdk-lib/aws-ecs-patterns');
const appscaling = require('aws-cdk-lib/aws-applicationautoscaling');

const ENV = { account: '123456789012', region: 'us-east-1' };
const app = new cdk.App({
  outdir: 'out',
  context: {
    ...require('aws-cdk-lib/recommended-feature-flags.json'),
    'aws:cdk:enable-path-metadata': true,
    'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  },
});

function withCluster(id, capacity) {
  const s = new cdk.Stack(app, id, { env: ENV });
  const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(s, 'Cluster', { vpc });
  if (capacity) cluster.addCapacity('Asg', { instanceType: new ec2.InstanceType('t3.small') });
  return { s, cluster };
}

const fargate = withCluster('QueueWorker', false);
new patterns.QueueProcessingFargateService(fargate.s, 'Worker', {
  cluster: fargate.cluster,
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1'),
  minScalingCapacity: 1,
  maxScalingCapacity: 10,
});

const onEc2 = withCluster('Ec2Worker', true);
new patterns.QueueProcessingEc2Service(onEc2.s, 'Worker', {
  cluster: onEc2.cluster,
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1'),
  memoryLimitMiB: 512,
});

const nightly = withCluster('NightlyJob', false);
new patterns.ScheduledFargateTask(nightly.s, 'Nightly', {
  cluster: nightly.cluster,
  scheduledFargateTaskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1') },
  schedule: appscaling.Schedule.cron({ minute: '0', hour: '2' }),
});

app.synth();
