// The AWS CDK's rendering of CloudWatch alarms, the reference for
// tests/cloudwatch.rs. Run: NODE_PATH=<tools/node_modules> node app.js
// (writes Web.template.json next to this file).
const cdk = require('aws-cdk-lib');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const fs = require('fs');
const path = require('path');

const app = new cdk.App({ outdir: path.join(__dirname, 'cdk.out') });
const stack = new cdk.Stack(app, 'Web', { env: { account: '123456789012', region: 'us-east-1' } });
const cpu = new cloudwatch.Metric({
  namespace: 'AWS/ECS',
  metricName: 'CPUUtilization',
  dimensionsMap: { ServiceName: 'api', ClusterName: 'web' },
});
const high = new cloudwatch.Alarm(stack, 'HighCpu', {
  metric: cpu,
  threshold: 80,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  alarmDescription: 'CPU of the api service',
});
high.addAlarmAction({ bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:oncall' }) });
high.addOkAction({ bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:oncall' }) });
new cloudwatch.Alarm(stack, 'QueueAge', {
  metric: new cloudwatch.Metric({
    namespace: 'AWS/SQS',
    metricName: 'ApproximateAgeOfOldestMessage',
    dimensionsMap: { QueueName: 'jobs' },
    statistic: 'Maximum',
    period: cdk.Duration.minutes(1),
  }),
  threshold: 600,
  evaluationPeriods: 15,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
});
// A service's own metrics.
const ecs = require('aws-cdk-lib/aws-ecs');
const ec2 = require('aws-cdk-lib/aws-ec2');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
const task = new ecs.FargateTaskDefinition(stack, 'Task');
task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest') });
const service = new ecs.FargateService(stack, 'Api', { cluster, taskDefinition: task });
new cloudwatch.Alarm(stack, 'ApiCpu', { metric: service.metricCpuUtilization(), threshold: 90, evaluationPeriods: 3 });
new cloudwatch.Alarm(stack, 'ApiMemory', { metric: service.metricMemoryUtilization(), threshold: 90, evaluationPeriods: 3 });
// An alarm on a math expression: the share of 5XX responses, percent.
const errors = new cloudwatch.Metric({
  namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count',
  dimensionsMap: { LoadBalancer: 'app/web/123' }, statistic: 'Sum', period: cdk.Duration.minutes(1),
});
const requests = new cloudwatch.Metric({
  namespace: 'AWS/ApplicationELB', metricName: 'RequestCount',
  dimensionsMap: { LoadBalancer: 'app/web/123' }, statistic: 'Sum', period: cdk.Duration.minutes(1),
});
new cloudwatch.Alarm(stack, 'ErrorRate', {
  metric: new cloudwatch.MathExpression({
    expression: '100 * errors / requests',
    usingMetrics: { errors, requests },
    label: 'Error rate (%)',
    period: cdk.Duration.minutes(1),
  }),
  threshold: 5,
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
});
const out = app.synth();
const template = out.getStackByName('Web').template;
fs.writeFileSync(path.join(__dirname, 'Web.template.json'), JSON.stringify(template, null, 1) + '\n');
fs.rmSync(path.join(__dirname, 'cdk.out'), { recursive: true, force: true });
