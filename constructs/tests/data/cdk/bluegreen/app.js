'use strict';
// The AWS CDK's rendering of ECS-native blue/green, linear and canary
// deployments (DeploymentConfiguration.Strategy, BakeTimeInMinutes,
// LinearConfiguration, CanaryConfiguration, LifecycleHooks, deployment
// alarms, LoadBalancers[].AdvancedConfiguration and the IAM roles the CDK
// adds for them), the reference for ecscdk's deployment strategies.
// Run: NODE_PATH=<tools/node_modules> node app.js
// (writes BlueGreen, Linear, Canary, Nlb and StrategyOnly .template.json next to
// this file, then deletes cdk.out). Feature flags: the CDK's recommended set,
// as a new `cdk init` project has them.
//
//   BlueGreen     ALB, production listener :80 with a listener rule, test
//                 listener :8080 with a rule, blue and green target groups,
//                 BLUE_GREEN, bake time 5 min, two Lambda lifecycle hooks
//                 (one from props, one from addLifecycleHook), one
//                 deployment alarm.
//   Linear        LINEAR 20 % every 2 min, bake time 10 min, production rule
//                 only (no test listener), an explicit role for the alternate
//                 target, circuit breaker with rollback.
//   Canary        CANARY 10 % for 3 min, bake time 0, a hook on an imported
//                 function ARN, two alarms with FAIL_ON_ALARM.
//   Nlb           BLUE_GREEN through an NLB (listeners, not rules).
//   StrategyOnly  BLUE_GREEN and nothing else (no load balancer): what the
//                 CDK adds by itself (nothing, no check either).
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const iam = require('aws-cdk-lib/aws-iam');
const lambda = require('aws-cdk-lib/aws-lambda');
const flags = require('aws-cdk-lib/recommended-feature-flags.json');
const fs = require('fs');
const path = require('path');

const env = { account: '123456789012', region: 'us-east-1' };
const app = new cdk.App({ outdir: path.join(__dirname, 'cdk.out'), context: { ...flags } });

// An imported VPC keeps the templates small (no subnets, routes, NAT).
function network(stack) {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    privateSubnetIds: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'],
    publicSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa1'],
    privateSubnetRouteTableIds: ['rtb-0bbbbbbbbbbbbbbb1', 'rtb-0bbbbbbbbbbbbbbb2'],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('web', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'),
    portMappings: [{ containerPort: 80 }],
  });
  return { vpc, cluster, task };
}

// An ALB with a production listener on :80 and, when `test` is set, a test
// listener on :8080. Each listener forwards to blue by default and has one
// rule forwarding to both target groups, blue weighted 100 and green 0: ECS
// moves traffic by rewriting those weights, and refuses a deployment unless
// both target groups are associated with the production (or test) rule
// ("Both targetGroup and alternateTargetGroup must be associated with the
// productionListenerRule or testListenerRule."). Only forward actions: the
// ECS guide says listeners mixing forward and non-forward actions (redirect,
// fixed-response, authenticate) make the deployment fail.
function loadBalancer(stack, vpc, test) {
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'LB', { vpc, internetFacing: true });
  const tg = (id) => new elbv2.ApplicationTargetGroup(stack, id, {
    vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
    healthCheck: { path: '/' },
  });
  const blue = tg('Blue');
  const green = tg('Green');
  const weighted = () => elbv2.ListenerAction.weightedForward([
    { targetGroup: blue, weight: 100 },
    { targetGroup: green, weight: 0 },
  ]);
  const rule = (id, listener) => new elbv2.ApplicationListenerRule(stack, id, {
    listener, priority: 1,
    conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
    action: weighted(),
  });
  const prodListener = lb.addListener('Prod', { port: 80, open: true, defaultAction: elbv2.ListenerAction.forward([blue]) });
  const prodRule = rule('ProdRule', prodListener);
  let testRule;
  if (test) {
    const testListener = lb.addListener('Test', {
      port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, open: false,
      defaultAction: elbv2.ListenerAction.forward([blue]),
    });
    testRule = rule('TestRule', testListener);
  }
  return { blue, green, prodRule, testRule };
}

function hookFunction(stack, id) {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    // ECS reads `hookStatus`: SUCCEEDED, FAILED or IN_PROGRESS (call again).
    code: lambda.Code.fromInline("exports.handler = async () => ({ hookStatus: 'SUCCEEDED' });"),
  });
}

// BLUE_GREEN with everything.
{
  const stack = new cdk.Stack(app, 'BlueGreen', { env });
  const { vpc, cluster, task } = network(stack);
  const { blue, green, prodRule, testRule } = loadBalancer(stack, vpc, true);
  const hook = hookFunction(stack, 'Hook');
  const service = new ecs.FargateService(stack, 'Service', {
    cluster, taskDefinition: task, desiredCount: 2, minHealthyPercent: 100,
    deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
    bakeTime: cdk.Duration.minutes(5),
    deploymentAlarms: { alarmNames: ['api-5xx'] },
    lifecycleHooks: [new ecs.DeploymentLifecycleLambdaTarget(hook, 'PreScaleUpHook', {
      lifecycleStages: [ecs.DeploymentLifecycleStage.PRE_SCALE_UP],
    })],
  });
  service.addLifecycleHook(new ecs.DeploymentLifecycleLambdaTarget(hook, 'TrafficHook', {
    lifecycleStages: [
      ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT,
      ecs.DeploymentLifecycleStage.PRODUCTION_TRAFFIC_SHIFT,
    ],
  }));
  service.loadBalancerTarget({
    containerName: 'web', containerPort: 80,
    alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
      alternateTargetGroup: green,
      productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(prodRule),
      testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(testRule),
    }),
  }).attachToApplicationTargetGroup(blue);
}

// LINEAR: production rule only, a role of our own for the alternate target,
// the circuit breaker on (ECS supports it with blue/green-family strategies).
{
  const stack = new cdk.Stack(app, 'Linear', { env });
  const { vpc, cluster, task } = network(stack);
  const { blue, green, prodRule } = loadBalancer(stack, vpc, false);
  const role = new iam.Role(stack, 'LbRole', {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonECSInfrastructureRolePolicyForLoadBalancers')],
  });
  const service = new ecs.FargateService(stack, 'Service', {
    cluster, taskDefinition: task, minHealthyPercent: 100,
    deploymentStrategy: ecs.DeploymentStrategy.LINEAR,
    linearConfiguration: { stepPercent: 20, stepBakeTime: cdk.Duration.minutes(2) },
    bakeTime: cdk.Duration.minutes(10),
    circuitBreaker: { rollback: true },
  });
  service.loadBalancerTarget({
    containerName: 'web', containerPort: 80,
    alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
      alternateTargetGroup: green, role,
      productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(prodRule),
    }),
  }).attachToApplicationTargetGroup(blue);
}

// CANARY: test listener, bake time 0, a hook on an imported function (a
// literal ARN), deployment alarms that fail without rolling back.
{
  const stack = new cdk.Stack(app, 'Canary', { env });
  const { vpc, cluster, task } = network(stack);
  const { blue, green, prodRule, testRule } = loadBalancer(stack, vpc, true);
  const hook = lambda.Function.fromFunctionArn(stack, 'Hook',
    'arn:aws:lambda:us-east-1:123456789012:function:canary-check');
  const service = new ecs.FargateService(stack, 'Service', {
    cluster, taskDefinition: task, minHealthyPercent: 100,
    deploymentStrategy: ecs.DeploymentStrategy.CANARY,
    canaryConfiguration: { stepPercent: 10, stepBakeTime: cdk.Duration.minutes(3) },
    bakeTime: cdk.Duration.minutes(0),
    lifecycleHooks: [new ecs.DeploymentLifecycleLambdaTarget(hook, 'CheckHook', {
      lifecycleStages: [ecs.DeploymentLifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT],
    })],
  });
  service.enableDeploymentAlarms(['canary-errors', 'canary-latency'], { behavior: ecs.AlarmBehavior.FAIL_ON_ALARM });
  service.loadBalancerTarget({
    containerName: 'web', containerPort: 80,
    alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
      alternateTargetGroup: green,
      productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(prodRule),
      testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(testRule),
    }),
  }).attachToApplicationTargetGroup(blue);
}

// BLUE_GREEN through a network load balancer: the production and test
// "rules" are the listeners themselves (production forwards to blue, test to
// green, so each target group is associated with one of them).
{
  const stack = new cdk.Stack(app, 'Nlb', { env });
  const { vpc, cluster, task } = network(stack);
  const lb = new elbv2.NetworkLoadBalancer(stack, 'LB', { vpc, internetFacing: true });
  const tg = (id) => new elbv2.NetworkTargetGroup(stack, id, {
    vpc, port: 80, protocol: elbv2.Protocol.TCP, targetType: elbv2.TargetType.IP,
  });
  const blue = tg('Blue');
  const green = tg('Green');
  const prod = lb.addListener('Prod', { port: 80, defaultTargetGroups: [blue] });
  const test = lb.addListener('Test', { port: 8080, defaultTargetGroups: [green] });
  const service = new ecs.FargateService(stack, 'Service', {
    cluster, taskDefinition: task, minHealthyPercent: 100,
    deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
  });
  service.loadBalancerTarget({
    containerName: 'web', containerPort: 80,
    alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
      alternateTargetGroup: green,
      productionListener: ecs.ListenerRuleConfiguration.networkListener(prod),
      testListener: ecs.ListenerRuleConfiguration.networkListener(test),
    }),
  }).attachToNetworkTargetGroup(blue);
}

// BLUE_GREEN and nothing else: the CDK adds no role, no controller, no
// circuit breaker and checks nothing. ECS takes it as a "headless"
// blue/green (no managed traffic shift); it does want BakeTimeInMinutes for
// BLUE_GREEN (API reference), which the CDK leaves out when bakeTime is unset.
{
  const stack = new cdk.Stack(app, 'StrategyOnly', { env });
  const { cluster, task } = network(stack);
  new ecs.FargateService(stack, 'Service', {
    cluster, taskDefinition: task,
    deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
  });
}

const out = app.synth();
for (const name of ['BlueGreen', 'Linear', 'Canary', 'Nlb', 'StrategyOnly']) {
  const template = out.getStackByName(name).template;
  fs.writeFileSync(path.join(__dirname, name + '.template.json'), JSON.stringify(template, null, 1) + '\n');
}
fs.rmSync(path.join(__dirname, 'cdk.out'), { recursive: true, force: true });
