'use strict';
// Reference for ecscdk's Listener::add_targets: an ALB listener whose
// default action and one rule forward to two Fargate services through
// listener.addTargets, as the AWS CDK renders it.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const flags = require('aws-cdk-lib/recommended-feature-flags.json');
const env = { account: '123456789012', region: 'us-east-1' };
const app = new cdk.App({ outdir: process.argv[2] || 'out', context: { ...flags,
  'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'] } });
const stack = new cdk.Stack(app, 'AddTargets', { env });
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
function service(id, port) {
  const task = new ecs.FargateTaskDefinition(stack, id + 'Task');
  task.addContainer('web', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'),
    portMappings: [{ containerPort: port }],
  });
  return new ecs.FargateService(stack, id, { cluster, taskDefinition: task });
}
const web = service('Web', 80);
const api = service('Api', 8080);
const lb = new elbv2.ApplicationLoadBalancer(stack, 'LB', { vpc, internetFacing: true });
const listener = lb.addListener('Listener', { port: 80 });
listener.addTargets('ECS', {
  port: 80,
  targets: [web.loadBalancerTarget({ containerName: 'web', containerPort: 80 })],
  healthCheck: { path: '/' },
});
listener.addTargets('Api', {
  port: 8080,
  priority: 10,
  conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*'])],
  targets: [api.loadBalancerTarget({ containerName: 'web', containerPort: 8080 })],
});
app.synth();
