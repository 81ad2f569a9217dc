// The AWS CDK's rendering of a CloudWatch dashboard (widget layout, the
// metrics array, options objects, token splitting of DashboardBody), the
// reference for ecscdk's Dashboard. Run: NODE_PATH=<tools/node_modules> node app.js
// (writes Ops.template.json next to this file).
const cdk = require('aws-cdk-lib');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const ecs = require('aws-cdk-lib/aws-ecs');
const fs = require('fs');
const path = require('path');

const app = new cdk.App({ outdir: path.join(__dirname, 'cdk.out') });
const stack = new cdk.Stack(app, 'Ops', { env: { account: '123456789012', region: 'us-east-1' } });

// A cluster whose name is only known at deploy time: ClusterName renders as {"Ref":"Cluster"}.
const cluster = new ecs.CfnCluster(stack, 'Cluster');

// Literal dimensions; CPU keeps the defaults (Average, 5 minutes), so it renders with no options object.
const cpu = new cloudwatch.Metric({
  namespace: 'AWS/ECS',
  metricName: 'CPUUtilization',
  dimensionsMap: { ClusterName: 'web', ServiceName: 'api' },
});
// Non-default statistic and period, a label and a colour: these land in the options object.
const memory = new cloudwatch.Metric({
  namespace: 'AWS/ECS',
  metricName: 'MemoryUtilization',
  dimensionsMap: { ClusterName: 'web', ServiceName: 'api' },
  statistic: 'Maximum',
  period: cdk.Duration.minutes(1),
  label: 'Memory (max)',
  color: cloudwatch.Color.ORANGE,
});
// A token dimension value, on the right axis.
const workerCpu = new cloudwatch.Metric({
  namespace: 'AWS/ECS',
  metricName: 'CPUUtilization',
  dimensionsMap: { ClusterName: cluster.ref, ServiceName: 'worker' },
});

const high = new cloudwatch.Alarm(stack, 'HighCpu', {
  metric: cpu,
  threshold: 80,
  evaluationPeriods: 5,
  datapointsToAlarm: 5,
  alarmDescription: 'CPU of the api service',
});

const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard', { dashboardName: 'web-ops' });
// Row 1: a single widget (added as itself, not wrapped in a Row).
dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '# Web service\nCPU and memory of **api**', width: 24 }));
// Row 2: 12 + 6 + 12 > 24, so the AlarmWidget wraps to a second line inside the row.
dashboard.addWidgets(
  new cloudwatch.GraphWidget({
    title: 'api CPU and memory',
    left: [cpu, memory],
    right: [workerCpu],
    width: 12,
    leftYAxis: { min: 0, max: 100 },
  }),
  new cloudwatch.SingleValueWidget({
    title: 'Running tasks',
    metrics: [new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: 'web', ServiceName: 'api' },
      statistic: 'Minimum',
    })],
  }),
  new cloudwatch.AlarmWidget({ title: 'High CPU', alarm: high, width: 12 }),
);
// Row 3: defaults everywhere.
dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ alarms: [high] }));

const out = app.synth();
const template = out.getStackByName('Ops').template;
fs.writeFileSync(path.join(__dirname, 'Ops.template.json'), JSON.stringify(template, null, 1) + '\n');
fs.rmSync(path.join(__dirname, 'cdk.out'), { recursive: true, force: true });
