'use strict';
// Oracle for the record types in constructs/tests/domain.rs: aws-cdk-lib 2.276.0
// (recommended flags) with recordType CNAME and NONE. Run: node domain_records.js
// (writes out2/Web.template.json). Compared 2026-11-25: ApiDNS1346A6DA (CNAME),
// QuietCertificate6A12EB3F and both ServiceURL outputs equal ours.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const patterns = require('aws-cdk-lib/aws-ecs-patterns');
const route53 = require('aws-cdk-lib/aws-route53');
const app = new cdk.App({ outdir: 'out2', context: { ...require('aws-cdk-lib/recommended-feature-flags.json') } });
const s = new cdk.Stack(app, 'Web', { env: { account: '123456789012', region: 'us-east-1' } });
const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(s, 'Cluster', { vpc });
const zone = route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
new patterns.ApplicationLoadBalancedFargateService(s, 'Api', {
  cluster,
  taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1'), containerPort: 8080 },
  domainName: 'api.example.com', domainZone: zone, protocol: elbv2.ApplicationProtocol.HTTPS,
  recordType: patterns.ApplicationLoadBalancedServiceRecordType.CNAME,
});
new patterns.ApplicationLoadBalancedFargateService(s, 'Quiet', {
  cluster,
  taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1'), containerPort: 8080 },
  domainName: 'quiet.example.com', domainZone: zone, protocol: elbv2.ApplicationProtocol.HTTPS,
  recordType: patterns.ApplicationLoadBalancedServiceRecordType.NONE,
});
app.synth();
