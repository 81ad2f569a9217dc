'use strict';
// Oracle for ecscdk's appscaling and servicediscovery tests
// (constructs/tests/{appscaling,servicediscovery}.rs): the AWS CDK
// (aws-cdk-lib 2.276.0, the recommended feature flags, as the shared anchors)
// rendering the same constructs. Its templates are committed beside it.
// Regenerate in an empty folder:
//   npm install aws-cdk-lib@2.276.0 constructs@10 && node oracle.js
//   cp oracle.out/{FargateAlb,Test}.template.json <this folder>
const cdk = require('aws-cdk-lib');
const { Construct } = require('constructs');
const appscaling = require('aws-cdk-lib/aws-applicationautoscaling');
const cw = require('aws-cdk-lib/aws-cloudwatch');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const iam = require('aws-cdk-lib/aws-iam');
const cloudmap = require('aws-cdk-lib/aws-servicediscovery');

const app = new cdk.App({
  outdir: 'oracle.out',
  context: { ...require('aws-cdk-lib/recommended-feature-flags.json'), 'aws:cdk:enable-path-metadata': true },
});
const env = { account: '123456789012', region: 'us-east-1' };

// --- appscaling: FargateAlb/Web/Service/TaskCount/Target ---
const s = new cdk.Stack(app, 'FargateAlb', { env });
const cluster = new ecs.CfnCluster(new Construct(s, 'Cluster'), 'Resource');
const web = new Construct(s, 'Web');
const svcScope = new Construct(web, 'Service');
const svc = new ecs.CfnService(svcScope, 'Service', {});
const taskCount = new Construct(svcScope, 'TaskCount');
const target = new appscaling.ScalableTarget(taskCount, 'Target', {
  serviceNamespace: appscaling.ServiceNamespace.ECS,
  resourceId: `service/${cluster.ref}/${svc.attrName}`,
  scalableDimension: 'ecs:service:DesiredCount',
  minCapacity: 2,
  maxCapacity: 10,
  role: iam.Role.fromRoleArn(s, 'ScalingRole', 'arn:aws:iam::123456789012:role/x'),
});
target.scaleOnMetric('Queue', {
  metric: new cw.Metric({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensionsMap: { QueueName: 'jobs' } }),
  scalingSteps: [{ upper: 10, change: -1 }, { lower: 50, change: +1 }, { lower: 70, change: +3 }],
});
target.scaleOnMetric('Cpu2', {
  metric: new cw.Metric({ namespace: 'AWS/ECS', metricName: 'CPUUtilization', statistic: 'Maximum', period: cdk.Duration.seconds(60) }),
  scalingSteps: [{ lower: 70, upper: 85, change: 20 }, { lower: 85, change: 50 }],
  adjustmentType: appscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
  minAdjustmentMagnitude: 1,
  cooldown: cdk.Duration.seconds(120),
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
});
target.scaleOnMetric('Mem', {
  metric: new cw.Metric({ namespace: 'AWS/ECS', metricName: 'MemoryUtilization' }),
  scalingSteps: [{ upper: 20, change: 1 }, { lower: 80, change: 4 }],
  adjustmentType: appscaling.AdjustmentType.EXACT_CAPACITY,
  metricAggregationType: appscaling.MetricAggregationType.MINIMUM,
});
const lb = new cdk.CfnResource(s, 'Lb', { type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' });
const tg = new cdk.CfnResource(s, 'Tg', { type: 'AWS::ElasticLoadBalancingV2::TargetGroup' });
target.scaleToTrackMetric('Requests', {
  targetValue: 1000,
  predefinedMetric: appscaling.PredefinedMetric.ALB_REQUEST_COUNT_PER_TARGET,
  resourceLabel: `${lb.getAtt('LoadBalancerFullName')}/${tg.getAtt('TargetGroupFullName')}`,
  scaleInCooldown: cdk.Duration.seconds(600),
  scaleOutCooldown: cdk.Duration.seconds(60),
  disableScaleIn: true,
});
target.scaleToTrackMetric('Latency', {
  targetValue: 0.25,
  customMetric: new cw.Metric({ namespace: 'App', metricName: 'Latency', dimensionsMap: { Service: 'web', Env: 'prod' }, statistic: 'Maximum' }),
  policyName: 'web-latency',
});
target.scaleOnSchedule('Nightly', { schedule: appscaling.Schedule.cron({ minute: '0', hour: '22', weekDay: 'MON-FRI' }), timeZone: cdk.TimeZone.EUROPE_PARIS, minCapacity: 1, maxCapacity: 2 });
target.scaleOnSchedule('Morning', { schedule: appscaling.Schedule.rate(cdk.Duration.days(1)), startTime: new Date(Date.UTC(2026, 0, 1, 6)), endTime: new Date(Date.UTC(2026, 11, 31, 6)), maxCapacity: 10 });
target.scaleOnSchedule('Launch', { schedule: appscaling.Schedule.at(new Date(Date.UTC(2026, 11, 24, 18))), minCapacity: 5 });

// --- servicediscovery: Test/EcsCluster/DefaultServiceDiscoveryNamespace ---
const t = new cdk.Stack(app, 'Test', { env });
const vpcRes = new ec2.CfnVPC(new Construct(t, 'MyVpc'), 'Resource', { cidrBlock: '10.0.0.0/16' });
const vpc = ec2.Vpc.fromVpcAttributes(t, 'ImportedVpc', { vpcId: vpcRes.ref, availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123abcd'] });
const ecsCluster = new ecs.Cluster(t, 'EcsCluster', { vpc });
const ns = ecsCluster.addDefaultCloudMapNamespace({ name: 'scorekeep.com' });
const td = new ecs.FargateTaskDefinition(t, 'FargateTaskDef');
td.addContainer('MainContainer', { image: ecs.ContainerImage.fromRegistry('nginx'), portMappings: [{ containerPort: 80 }] });
new ecs.FargateService(t, 'FargateService', { cluster: ecsCluster, taskDefinition: td, cloudMapOptions: { name: 'myApp' } });
const etd = new ecs.Ec2TaskDefinition(t, 'Ec2TaskDef', { networkMode: ecs.NetworkMode.BRIDGE });
etd.addContainer('MainContainer', { image: ecs.ContainerImage.fromRegistry('nginx'), memoryLimitMiB: 512, portMappings: [{ containerPort: 8000 }] });
new ecs.Ec2Service(t, 'Ec2Service', { cluster: ecsCluster, taskDefinition: etd, cloudMapOptions: { name: 'myApp', dnsRecordType: cloudmap.DnsRecordType.SRV, dnsTtl: cdk.Duration.seconds(10) } });
new cloudmap.Service(t, 'Both', { namespace: ns, dnsRecordType: cloudmap.DnsRecordType.A_AAAA, routingPolicy: cloudmap.RoutingPolicy.WEIGHTED, description: 'dual stack' });
new cloudmap.Service(t, 'Alias', { namespace: ns, dnsRecordType: cloudmap.DnsRecordType.CNAME });
new cloudmap.Service(t, 'ApiOnly', { namespace: ns, discoveryType: cloudmap.DiscoveryType.API });
const mesh = new cloudmap.HttpNamespace(t, 'Mesh', { name: 'mesh', description: 'service connect' });
mesh.createService('Orders', { name: 'orders' });
new cdk.CfnOutput(t, 'MeshArn', { value: mesh.namespaceArn });

// Validation off: the Ec2Service has no EC2 capacity, which only its Cloud
// Map rendering here does not need.
app.synth({ skipValidation: true });
