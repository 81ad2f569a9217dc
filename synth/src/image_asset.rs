//! Docker image assets: an image built from a directory with a Dockerfile,
//! as the AWS CDK's `DockerImageAsset` and its default stack synthesizer
//! handle it.
//!
//! [`Stack::add_docker_image_asset`] hashes the build context when it is
//! called (the CDK's asset hash, so a ported app keeps its image tags) and
//! returns where the image will be: a tag in the bootstrap's container-asset
//! repository, `cdk-hnb659fds-container-assets-<account>-<region>`. Synth
//! lists the stack's images in `<Stack>.assets.json`, adds a
//! `cdk:asset-manifest` artifact the stack depends on, and stages each build
//! context in `asset.<hash>/`; the deploy side builds and pushes the images
//! before it deploys the stack.
//!
//! ```
//! use ecscdk_synth::asset::DockerImageSource;
//! use ecscdk_synth::prelude::*;
//!
//! # fn main() -> ecscdk_synth::Result<()> {
//! # let dir = std::env::temp_dir().join(format!("ecscdk-doc-image-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).ok();
//! # std::fs::write(dir.join("Dockerfile"), "FROM scratch\n").ok();
//! let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
//! let root = stack.root();
//! let image = stack.add_docker_image_asset(root, "Image", DockerImageSource::new(&dir))?;
//! assert_eq!(image.image_tag(), image.asset_hash());
//! stack.output("ImageUri", image.image_uri())?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::asset::{self, DockerImageSource};
use crate::error::{Error, Result};
use crate::expr::{Expr, Pseudo, Value};
use crate::stack::{Env, ImageEntry, Stack};
use crate::tree::NodeId;

/// The qualifier of the AWS CDK's default bootstrap, which names its
/// resources (`cdk-hnb659fds-…`). ecscdk's `bootstrap` uses it too.
pub const BOOTSTRAP_QUALIFIER: &str = "hnb659fds";

/// The container-asset repository of the bootstrap, with
/// `${AWS::AccountId}` and `${AWS::Region}` where the environment does not
/// give them (the CDK's `DefaultStackSynthesizer.DEFAULT_IMAGE_ASSETS_REPOSITORY_NAME`).
#[must_use]
pub fn container_assets_repository(env: &Env) -> String {
    format!(
        "cdk-{BOOTSTRAP_QUALIFIER}-container-assets-{}-{}",
        env.account().unwrap_or("${AWS::AccountId}"),
        env.region().unwrap_or("${AWS::Region}")
    )
}

/// Where an image asset will be once deploy has published it.
///
/// CloudFormation: no resource; the image is pushed to the bootstrap's
/// container-asset repository before the stack deploys.
#[derive(Debug, Clone, PartialEq)]
pub struct DockerImageLocation {
    node: NodeId,
    hash: String,
    repository_name: Value<String>,
    image_uri: Expr<String>,
    repository_arn: Value<String>,
}

impl DockerImageLocation {
    /// The asset's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// The asset hash: the CDK's fingerprint of the build context and the
    /// build options (64 hex digits).
    #[must_use]
    pub fn asset_hash(&self) -> &str {
        &self.hash
    }

    /// The image tag: the asset hash, as the CDK tags it.
    #[must_use]
    pub fn image_tag(&self) -> &str {
        &self.hash
    }

    /// The repository's name: a literal when the stack's environment is
    /// known, else `Fn::Sub` of the account and region.
    #[must_use]
    pub fn repository_name(&self) -> Value<String> {
        self.repository_name.clone()
    }

    /// The image's URI, `<account>.dkr.ecr.<region>.${AWS::URLSuffix}/<repository>:<tag>`
    /// (`Fn::Sub`, exactly as the CDK renders it).
    #[must_use]
    pub fn image_uri(&self) -> Expr<String> {
        self.image_uri.clone()
    }

    /// The repository's ARN, for the execution role's pull permissions, as
    /// the CDK renders it: a literal where the environment is known, else
    /// `Fn::Join` of the pseudo parameters.
    #[must_use]
    pub fn repository_arn(&self) -> Value<String> {
        self.repository_arn.clone()
    }
}

impl Stack {
    /// Adds a Docker image built from `source` as construct `id` under
    /// `parent`, and returns where the image will be. The build context is
    /// hashed now, with the AWS CDK's algorithm (`.dockerignore` and the
    /// excludes applied, the build options included), so the same directory
    /// and options give the CDK's image tag. Nothing is built at synth:
    /// `deploy` builds and pushes the image before it deploys the stack.
    ///
    /// # Errors
    /// [`Error::Asset`], naming the construct path, for a build context that
    /// is missing, has no Dockerfile, names a Dockerfile outside it or cannot
    /// be read; the errors of [`scope`](Self::scope) for the id.
    pub fn add_docker_image_asset(
        &mut self,
        parent: NodeId,
        id: &str,
        source: DockerImageSource,
    ) -> Result<DockerImageLocation> {
        let node = self.scope_of_type(parent, id, "ecscdk.DockerImageAsset")?;
        let hash = asset::docker_image_hash(&source).map_err(|source| Error::Asset {
            path: self.path(node),
            source,
        })?;
        let location = location(&self.env, node, &hash);
        self.images.push(ImageEntry { node, source, hash });
        Ok(location)
    }
}

fn location(env: &Env, node: NodeId, hash: &str) -> DockerImageLocation {
    let repository = container_assets_repository(env);
    let account = env.account().unwrap_or("${AWS::AccountId}");
    let region = env.region().unwrap_or("${AWS::Region}");
    let repository_name = if repository.contains("${") {
        Value::Expr(Expr::sub(repository.clone()))
    } else {
        Value::Lit(repository.clone())
    };
    let image_uri = Expr::sub(format!(
        "{account}.dkr.ecr.{region}.${{AWS::URLSuffix}}/{repository}:{hash}"
    ));
    // arn:${Partition}:ecr:${Region}:${Account}:repository/${Name}, with the
    // known parts as literals merged into their neighbours.
    let mut parts: Vec<Value<String>> = Vec::new();
    let mut push = |part: Value<String>| match (parts.last_mut(), part) {
        (Some(Value::Lit(last)), Value::Lit(text)) => last.push_str(&text),
        (_, part) => parts.push(part),
    };
    // The partition is a literal where the region is known, as the CDK
    // writes it with its recommended flags (`enablePartitionLiterals`).
    push(Value::Lit("arn:".to_owned()));
    push(env.partition().map_or_else(
        || Value::Expr(Pseudo::partition()),
        |p| Value::Lit(p.to_owned()),
    ));
    push(Value::Lit(":ecr:".to_owned()));
    push(env.region().map_or_else(
        || Value::Expr(Pseudo::region()),
        |r| Value::Lit(r.to_owned()),
    ));
    push(Value::Lit(":".to_owned()));
    push(env.account().map_or_else(
        || Value::Expr(Pseudo::account_id()),
        |a| Value::Lit(a.to_owned()),
    ));
    push(Value::Lit(":repository/".to_owned()));
    push(repository_name.clone());
    DockerImageLocation {
        node,
        hash: hash.to_owned(),
        repository_name,
        image_uri,
        repository_arn: match parts.as_slice() {
            [Value::Lit(arn)] => Value::Lit(arn.clone()),
            _ => Value::Expr(Expr::join("", parts)),
        },
    }
}

/// An image asset in the cloud assembly: what `<Stack>.assets.json` says of
/// it and what staging copies.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageArtifact {
    /// The asset hash, which is also the image tag.
    pub hash: String,
    /// The asset's construct path relative to its stack (the CDK's
    /// `displayName`).
    pub display_name: String,
    /// The build context and options.
    pub source: DockerImageSource,
    /// The destination repository, with `${AWS::AccountId}` and
    /// `${AWS::Region}` where the stack's environment does not give them.
    pub repository_name: String,
    /// The stack's region, when known.
    pub region: Option<String>,
    /// The stack's account, when known.
    pub account: Option<String>,
}

impl ImageArtifact {
    /// The staged build context's directory name in the assembly.
    #[must_use]
    pub fn directory_name(&self) -> String {
        format!("asset.{}", self.hash)
    }
}

pub(crate) fn artifacts(stack: &Stack) -> Vec<ImageArtifact> {
    let mut out: Vec<ImageArtifact> = Vec::with_capacity(stack.images.len());
    for image in &stack.images {
        // One entry per hash, the first construct's name kept (the CDK's
        // asset manifest builder does the same).
        if out.iter().any(|a| a.hash == image.hash) {
            continue;
        }
        let path = stack.path_components(image.node.index);
        out.push(ImageArtifact {
            hash: image.hash.clone(),
            display_name: path.get(1..).unwrap_or_default().join("/"),
            source: image.source.clone(),
            repository_name: container_assets_repository(&stack.env),
            region: stack.env.region().map(str::to_owned),
            account: stack.env.account().map(str::to_owned),
        });
    }
    out
}

/// `<Stack>.assets.json`: the images (no files: templates are deployed
/// inline or through ecscdk's staging bucket), in the CDK's asset-manifest
/// format. Destinations name no role to assume: images are pushed with the
/// deploying credentials.
pub(crate) fn asset_manifest(images: &[ImageArtifact], version: &str) -> String {
    let mut docker_images = serde_json::Map::new();
    for image in images {
        let mut source = serde_json::Map::new();
        source.insert("directory".into(), json!(image.directory_name()));
        let s = &image.source;
        if !s.build_args.is_empty() {
            source.insert("dockerBuildArgs".into(), json!(s.build_args));
        }
        if let Some(t) = &s.target {
            source.insert("dockerBuildTarget".into(), json!(t));
        }
        if let Some(f) = &s.file {
            source.insert("dockerFile".into(), json!(f));
        }
        if let Some(n) = &s.network_mode {
            source.insert("networkMode".into(), json!(n));
        }
        if let Some(p) = &s.platform {
            source.insert("platform".into(), json!(p));
        }
        let mut destination = serde_json::Map::new();
        destination.insert("repositoryName".into(), json!(image.repository_name));
        destination.insert("imageTag".into(), json!(image.hash));
        if let Some(r) = &image.region {
            destination.insert("region".into(), json!(r));
        }
        let destination = serde_json::Value::Object(destination);
        // The CDK keys a destination by environment and the first 8 hex
        // digits of the SHA-256 of its JSON.
        let digest = Sha256::digest(destination.to_string().as_bytes());
        let short: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
        let key = format!(
            "{}-{}-{short}",
            image.account.as_deref().unwrap_or("current_account"),
            image.region.as_deref().unwrap_or("current_region")
        );
        docker_images.insert(
            image.hash.clone(),
            json!({
                "displayName": image.display_name,
                "source": source,
                "destinations": { key: destination },
            }),
        );
    }
    let manifest = json!({
        "version": version,
        "files": BTreeMap::<String, ()>::new(),
        "dockerImages": docker_images,
    });
    serde_json::to_string_pretty(&manifest).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_cdks_locations_for_a_known_environment() {
        let env = Env::new("123456789012", "us-east-1");
        let node = Stack::new("S").root();
        let loc = location(&env, node, "abc");
        assert_eq!(
            serde_json::to_value(loc.image_uri()).ok(),
            Some(
                json!({"Fn::Sub": "123456789012.dkr.ecr.us-east-1.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-123456789012-us-east-1:abc"})
            )
        );
        assert_eq!(
            serde_json::to_value(loc.repository_arn()).ok(),
            Some(json!(
                "arn:aws:ecr:us-east-1:123456789012:repository/cdk-hnb659fds-container-assets-123456789012-us-east-1"
            ))
        );
    }

    #[test]
    fn renders_the_cdks_locations_for_an_agnostic_stack() {
        let node = Stack::new("S").root();
        let loc = location(&Env::agnostic(), node, "abc");
        assert_eq!(
            serde_json::to_value(loc.image_uri()).ok(),
            Some(
                json!({"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}:abc"})
            )
        );
        assert_eq!(
            serde_json::to_value(loc.repository_arn()).ok(),
            Some(
                json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ecr:",
                {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":repository/",
                {"Fn::Sub": "cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}"}]]})
            )
        );
    }

    /// The destination keys aws-cdk-lib 2.276 computes for these
    /// destinations: its `contentHash(JSON.stringify(dest)).slice(0, 8)`,
    /// computed with node for destinations without `assumeRoleArn` (the same
    /// computation with the CDK's role gives its `c58c7211`, seen in a CDK
    /// app's `assets.json`).
    #[test]
    fn keys_destinations_as_the_cdk_does() {
        let image = |account: Option<&str>, region: Option<&str>| ImageArtifact {
            hash: "e6fd300e5f52f4f978b575c591e9de8a041a7b055f8106aafe255f886bb73809".into(),
            display_name: "Task/web/AssetImage".into(),
            source: DockerImageSource::new("unused"),
            repository_name: container_assets_repository(&match (account, region) {
                (Some(a), Some(r)) => Env::new(a, r),
                _ => Env::agnostic(),
            }),
            region: region.map(str::to_owned),
            account: account.map(str::to_owned),
        };
        let text = asset_manifest(&[image(Some("123456789012"), Some("us-east-1"))], "55.0.0");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let dests = &v["dockerImages"]["e6fd300e5f52f4f978b575c591e9de8a041a7b055f8106aafe255f886bb73809"]
            ["destinations"];
        assert!(
            dests.get("123456789012-us-east-1-846cd2ab").is_some(),
            "{dests}"
        );
        let text = asset_manifest(&[image(None, None)], "55.0.0");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let dests = &v["dockerImages"]["e6fd300e5f52f4f978b575c591e9de8a041a7b055f8106aafe255f886bb73809"]
            ["destinations"];
        assert!(
            dests
                .get("current_account-current_region-d96c064a")
                .is_some(),
            "{dests}"
        );
    }
}
