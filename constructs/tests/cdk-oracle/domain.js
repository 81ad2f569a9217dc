'use strict';
// Oracle for constructs/tests/domain.rs: the AWS CDK (aws-cdk-lib 2.276.0,
// recommended flags) rendering the same domain settings. Run with aws-cdk-lib
// and constructs installed beside it: node domain.js (writes out/Web.template.json).
// Compared 2026-11-25: ApiCertificate285C31EB, ApiDNS1346A6DA, Cert5C9FAEC1,
// Www4AF92A2E and ApiServiceURL135D4FCA equal ours property for property;
// TcpDNS25FA4DBD differs on purpose (no dualstack. for an IPv4 NLB, aws/aws-cdk#16987).
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const patterns = require('aws-cdk-lib/aws-ecs-patterns');
const route53 = require('aws-cdk-lib/aws-route53');
const acm = require('aws-cdk-lib/aws-certificatemanager');

const app = new cdk.App({
  outdir: 'out',
  context: { ...require('aws-cdk-lib/recommended-feature-flags.json'), 'aws:cdk:enable-path-metadata': true },
});
const s = new cdk.Stack(app, 'Web', { env: { account: '123456789012', region: 'us-east-1' } });
const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(s, 'Cluster', { vpc });
const zone = route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
new patterns.ApplicationLoadBalancedFargateService(s, 'Api', {
  cluster,
  taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1'), containerPort: 8080 },
  domainName: 'api.example.com',
  domainZone: zone,
  protocol: elbv2.ApplicationProtocol.HTTPS,
  redirectHTTP: true,
});
new patterns.NetworkLoadBalancedFargateService(s, 'Tcp', {
  cluster,
  taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1'), containerPort: 8080 },
  domainName: 'tcp.example.com',
  domainZone: zone,
});
const cert = new acm.Certificate(s, 'Cert', {
  domainName: '*.example.com',
  subjectAlternativeNames: ['example.com'],
  validation: acm.CertificateValidation.fromDns(zone),
  keyAlgorithm: acm.KeyAlgorithm.EC_PRIME256V1,
  transparencyLoggingEnabled: true,
});
new route53.ARecord(s, 'Www', { zone, recordName: 'www', target: route53.RecordTarget.fromIpAddresses('192.0.2.10') });
app.synth();
