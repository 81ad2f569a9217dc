'use strict';
// Oracle for ecscdk's image-asset tests (constructs/tests/ecr_assets.rs): the
// AWS CDK (aws-cdk-lib 2.276.0, the recommended feature flags) building a
// task definition whose container image comes from `../data/image-context`,
// and a DockerImageAsset of the same folder with every build option. Its
// template and asset manifest are committed beside it.
// Regenerate in an empty folder:
//   npm install aws-cdk-lib@2.276.0 constructs@10 && node <this folder>/image_asset.js
//   cp oracle.out/ImageAsset.{template,assets}.json <this folder>
const path = require('path');
const cdk = require('aws-cdk-lib');
const ecs = require('aws-cdk-lib/aws-ecs');
const assets = require('aws-cdk-lib/aws-ecr-assets');

const app = new cdk.App({
  outdir: 'oracle.out',
  context: { ...require('aws-cdk-lib/recommended-feature-flags.json') },
});
const context = path.join(__dirname, '..', 'data', 'image-context');
const s = new cdk.Stack(app, 'ImageAsset', { env: { account: '123456789012', region: 'us-east-1' } });
const task = new ecs.FargateTaskDefinition(s, 'Task');
task.addContainer('web', { image: ecs.ContainerImage.fromAsset(context) });
const release = new assets.DockerImageAsset(s, 'Release', {
  directory: context,
  file: 'app/Dockerfile.release',
  buildArgs: { VERSION: '1.2', COMMIT: 'abc' },
  target: 'release',
  platform: assets.Platform.LINUX_ARM64,
  networkMode: assets.NetworkMode.NONE,
  exclude: ['README.md'],
  extraHash: 'v2',
});
new cdk.CfnOutput(s, 'ReleaseUri', { value: release.imageUri });
new cdk.CfnOutput(s, 'ReleaseTag', { value: release.imageTag });
app.synth();
