#!/usr/bin/env node
// Prints the asset hash that aws-cdk-lib (tools/package.json pins 2.276.0)
// computes for Docker image assets: `new DockerImageAsset(stack, id, props).assetHash`.
//
//   node tools/cdk-asset-hash.js SPEC.json      (or the JSON on stdin)
//
// SPEC is one object or an array of them:
//   { "directory": "/abs/dir", "file": "sub/Dockerfile", "buildArgs": {"A": "1"},
//     "target": "t", "platform": "linux/amd64", "networkMode": "host",
//     "exclude": ["*.log"], "extraHash": "x" }
// Every field but `directory` is optional. Prints one JSON line per spec, in
// order: {"hash": "<64 hex>"} or {"error": "<message>"}.
//
// The oracle of synth/src/asset/ (see synth/tests/asset_fingerprint.rs and
// scripts/oracles.py). The CDK caches file fingerprints under
// ~/.cdk/cache/fingerprints keyed by inode, mtime and size; HOME points at a
// fresh temporary folder so a rewritten fixture is always hashed anew.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const cwd = process.cwd();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-asset-hash-'));
process.env.HOME = scratch;
// The app's outdir is the relative `cdk.out`, as when the CDK CLI runs an app
// with its default `--output`: DockerImageAsset excludes that pattern.
process.chdir(scratch);

const cdk = require('aws-cdk-lib');
const { DockerImageAsset, NetworkMode, Platform } = require('aws-cdk-lib/aws-ecr-assets');

function hashOf(spec) {
  const app = new cdk.App({ outdir: 'cdk.out' });
  const stack = new cdk.Stack(app, 'S');
  const props = { directory: path.resolve(cwd, spec.directory) };
  if (spec.file !== undefined) props.file = spec.file;
  if (spec.buildArgs !== undefined) props.buildArgs = spec.buildArgs;
  if (spec.target !== undefined) props.target = spec.target;
  if (spec.platform !== undefined) props.platform = Platform.custom(spec.platform);
  if (spec.networkMode !== undefined) props.networkMode = NetworkMode.custom(spec.networkMode);
  if (spec.exclude !== undefined) props.exclude = spec.exclude;
  if (spec.extraHash !== undefined) props.extraHash = spec.extraHash;
  return new DockerImageAsset(stack, 'I', props).assetHash;
}

const text = fs.readFileSync(process.argv[2] ? path.resolve(cwd, process.argv[2]) : 0, 'utf8');
const parsed = JSON.parse(text);
const specs = Array.isArray(parsed) ? parsed : [parsed];
try {
  specs.forEach((spec) => {
    let line;
    try {
      line = { hash: hashOf(spec) };
    } catch (e) {
      line = { error: String(e && e.message ? e.message : e) };
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  });
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
