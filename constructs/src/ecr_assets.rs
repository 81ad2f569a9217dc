//! Container images built from a Dockerfile, as the AWS CDK's
//! `aws-ecr-assets` builds them: [`AssetImage`] says what to build,
//! [`DockerImageAsset`] is the construct, and
//! [`ContainerImage::from_asset`](crate::ecs::ContainerImage::from_asset)
//! uses one as a container's image.
//!
//! At `build()` the build context is hashed with the CDK's algorithm (the
//! files `.dockerignore` and [`AssetImage::exclude`] keep, the build
//! options), so the same directory gives the CDK's image tag and a ported
//! CDK app's task definitions do not change. Synth stages the context in
//! `cdk.out/asset.<hash>/` and lists the image in `<Stack>.assets.json`;
//! `deploy` builds it with the container CLI that `CDK_DOCKER` names
//! (docker, podman or finch) and pushes it to the bootstrap's
//! `cdk-hnb659fds-container-assets-<account>-<region>` repository before it
//! deploys the stack, skipping images whose tag is already there. `synth`
//! and `diff` never build.
//!
//! ```
//! use ecscdk::ecr_assets::{AssetImage, DockerImageAsset, Platform};
//! use ecscdk::prelude::*;
//!
//! # fn main() -> ecscdk::Result<()> {
//! # let dir = std::env::temp_dir().join(format!("ecscdk-doc-ecr-assets-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).ok();
//! # std::fs::write(dir.join("Dockerfile"), "FROM scratch\n").ok();
//! let mut stack = Stack::new("Web").env(Env::new("123456789012", "us-east-1"));
//! let image = DockerImageAsset::builder(
//!     "Image",
//!     AssetImage::new(&dir).platform(Platform::LinuxArm64).build_arg("VERSION", "1.2"),
//! )
//! .build(&mut stack)?;
//! stack.output("ImageUri", image.image_uri())?;
//! # Ok(()) }
//! ```

use std::path::PathBuf;

use crate::synth::asset::DockerImageSource;
use crate::synth::{DockerImageLocation, Expr, NodeId, Value};
use crate::{Result, Stack};

/// The platform an image is built for (`docker build --platform`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// `linux/amd64` (x86-64).
    LinuxAmd64,
    /// `linux/arm64` (Graviton).
    LinuxArm64,
    /// Another platform string, e.g. `linux/arm/v7`.
    Custom(String),
}

impl Platform {
    /// The platform as `docker build --platform` takes it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::LinuxAmd64 => "linux/amd64",
            Self::LinuxArm64 => "linux/arm64",
            Self::Custom(p) => p,
        }
    }
}

/// The network the build's `RUN` steps use (`docker build --network`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NetworkMode {
    /// The builder's default network.
    Default,
    /// The host's network.
    Host,
    /// No network.
    None,
    /// A named network, or `container:<name|id>`.
    Custom(String),
}

impl NetworkMode {
    /// The mode as `docker build --network` takes it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Default => "default",
            Self::Host => "host",
            Self::None => "none",
            Self::Custom(n) => n,
        }
    }
}

/// What to build: a build context and the options that change the image
/// (and its hash), as the CDK's `DockerImageAssetProps`.
///
/// A relative directory is relative to the program's working directory;
/// examples use `concat!(env!("CARGO_MANIFEST_DIR"), "/…")` to be
/// independent of it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct AssetImage {
    directory: PathBuf,
    file: Option<String>,
    build_args: Vec<(String, String)>,
    target: Option<String>,
    platform: Option<Platform>,
    network_mode: Option<NetworkMode>,
    exclude: Vec<String>,
    extra_hash: Option<String>,
}

impl AssetImage {
    /// An image built from the Dockerfile in `directory`, the build context.
    pub fn new(directory: impl Into<PathBuf>) -> Self {
        Self {
            directory: directory.into(),
            file: None,
            build_args: Vec::new(),
            target: None,
            platform: None,
            network_mode: None,
            exclude: Vec::new(),
            extra_hash: None,
        }
    }

    /// The Dockerfile's path relative to the build context; it must stay
    /// inside it.
    ///
    /// CloudFormation default: none (not a CloudFormation property).
    /// ecscdk default: `Dockerfile` in the build context, as the CDK's.
    pub fn file(mut self, path: impl Into<String>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// A build argument (`--build-arg KEY=VALUE`); part of the hash, in the
    /// order given, as the CDK hashes them. A key given twice keeps the
    /// first place and the last value.
    ///
    /// CloudFormation default: none (not a CloudFormation property).
    /// ecscdk default: no build arguments.
    pub fn build_arg(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        let value = value.into();
        match self.build_args.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.build_args.push((key, value)),
        }
        self
    }

    /// The build stage to build (`--target`).
    ///
    /// CloudFormation default: none (not a CloudFormation property).
    /// ecscdk default: the Dockerfile's last stage.
    pub fn target(mut self, stage: impl Into<String>) -> Self {
        self.target = Some(stage.into());
        self
    }

    /// The platform to build for (`--platform`). Match the task
    /// definition's CPU architecture: an image built on an x86-64 machine
    /// for a Graviton task needs [`Platform::LinuxArm64`].
    ///
    /// CloudFormation default: none (not a CloudFormation property).
    /// ecscdk default: the building machine's platform, as the CDK's.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The network of the build's `RUN` steps (`--network`).
    ///
    /// CloudFormation default: none (not a CloudFormation property).
    /// ecscdk default: the builder's default network.
    pub fn network_mode(mut self, mode: NetworkMode) -> Self {
        self.network_mode = Some(mode);
        self
    }

    /// Leaves files matching `pattern` (`.dockerignore` syntax: `*`, `**`,
    /// `?`, `!` to re-include) out of the build context and the hash, after
    /// the patterns of the context's `.dockerignore`. The Dockerfile and
    /// `.dockerignore` are always kept.
    ///
    /// CloudFormation default: none (not a CloudFormation property).
    /// ecscdk default: only `.dockerignore`'s patterns (and a top-level
    /// `cdk.out`).
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.exclude.push(pattern.into());
        self
    }

    /// Extra text mixed into the hash, to force a new image tag without
    /// changing the sources.
    ///
    /// CloudFormation default: none (not a CloudFormation property).
    /// ecscdk default: none.
    pub fn extra_hash(mut self, text: impl Into<String>) -> Self {
        self.extra_hash = Some(text.into());
        self
    }

    fn source(&self) -> DockerImageSource {
        let mut source = DockerImageSource::new(self.directory.clone());
        source.file.clone_from(&self.file);
        source.build_args = self.build_args.iter().cloned().collect();
        source.target.clone_from(&self.target);
        source.platform = self.platform.as_ref().map(|p| p.as_str().to_owned());
        source.network_mode = self.network_mode.as_ref().map(|n| n.as_str().to_owned());
        source.exclude.clone_from(&self.exclude);
        source.extra_hash.clone_from(&self.extra_hash);
        source
    }

    /// Hashes the context and registers the image under `parent` as `id`.
    pub(crate) fn add(
        &self,
        stack: &mut Stack,
        parent: NodeId,
        id: &str,
    ) -> Result<DockerImageAsset> {
        let location = stack.add_docker_image_asset(parent, id, self.source())?;
        Ok(DockerImageAsset { location })
    }
}

/// A Docker image built from a local directory and pushed to ECR at deploy.
///
/// CloudFormation: no resource of its own; the image goes to the
/// bootstrap's container-asset repository (see the [module](self) docs).
#[derive(Debug, Clone, PartialEq)]
pub struct DockerImageAsset {
    location: DockerImageLocation,
}

impl DockerImageAsset {
    /// Describes an image asset with construct id `id`.
    pub fn builder(id: impl Into<String>, image: AssetImage) -> DockerImageAssetBuilder {
        DockerImageAssetBuilder {
            id: id.into(),
            image,
        }
    }

    /// The image's URI with its tag (`Fn::Sub`, as the CDK renders it), for
    /// a container or an output.
    #[must_use]
    pub fn image_uri(&self) -> Expr<String> {
        self.location.image_uri()
    }

    /// The image tag: the asset hash.
    #[must_use]
    pub fn image_tag(&self) -> &str {
        self.location.image_tag()
    }

    /// The asset hash (64 hex digits), the CDK's for the same sources.
    #[must_use]
    pub fn asset_hash(&self) -> &str {
        self.location.asset_hash()
    }

    /// The repository's name.
    #[must_use]
    pub fn repository_name(&self) -> Value<String> {
        self.location.repository_name()
    }

    /// The repository's ARN, for pull permissions.
    #[must_use]
    pub fn repository_arn(&self) -> Value<String> {
        self.location.repository_arn()
    }

    /// The asset's construct node.
    #[must_use]
    pub fn node(&self) -> NodeId {
        self.location.node()
    }
}

/// Builds a [`DockerImageAsset`].
#[derive(Debug, Clone)]
#[must_use]
pub struct DockerImageAssetBuilder {
    id: String,
    image: AssetImage,
}

impl DockerImageAssetBuilder {
    /// Hashes the build context and adds the asset to the stack's root.
    ///
    /// # Errors
    /// [`Error::Asset`](crate::Error::Asset) with the asset's path when the
    /// build context is missing or not a directory, has no Dockerfile (at
    /// [`AssetImage::file`] or `Dockerfile`), names a Dockerfile outside it,
    /// or cannot be read; [`Error::InvalidId`](crate::Error::InvalidId) and
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) for the id.
    pub fn build(self, stack: &mut Stack) -> Result<DockerImageAsset> {
        let root = stack.root();
        self.image.add(stack, root, &self.id)
    }
}
