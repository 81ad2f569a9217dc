//! Docker image assets: the AWS CDK's asset hash and staging, bit for bit.
//!
//! [`docker_image_hash`] returns the hash aws-cdk-lib 2.276.0's
//! `DockerImageAsset` (`aws-ecr-assets/lib/image-asset.js`) computes for the
//! same directory and options — it becomes the image tag, so a CDK app ported to
//! ecscdk keeps its tags — and [`stage_docker_image`] copies the files that hash
//! covers into `cdk.out/asset.<hash>/`, as `AssetStaging` does.
//!
//! ```
//! use ecscdk_synth::asset::{docker_image_hash, DockerImageSource};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n")?;
//! let hash = docker_image_hash(&DockerImageSource::new(dir.path()))?;
//! assert_eq!(hash.len(), 64);
//! # Ok(()) }
//! ```
//!
//! What goes into the hash (see [`fingerprint`](fn@fingerprint) for the hashing itself):
//! - the exclude patterns, in this order: `.is_custom_resource` (added by
//!   `AssetStaging`); the non-empty lines of `.dockerignore` when it exists
//!   (split at `\n` only; a trailing `\r` is trimmed later), then
//!   [`DockerImageSource::exclude`], then `!.dockerignore`; then
//!   `!<file name of the Dockerfile>` (the base name only, so a Dockerfile in an
//!   excluded subfolder stays excluded); then the app's output folder — see
//!   [`DockerImageSource`] for how we differ there;
//! - the extra hash, the JSON the CDK builds with `JSON.stringify`, with only
//!   the options that are set (non-empty), in this order:
//!   `user` ([`DockerImageSource::extra_hash`]), `buildArgs`, `target`, `file`
//!   (as given), `networkMode` (`{"mode": …}`), `platform` (`{"platform": …}`),
//!   and always `"version":"1.21.0"`; build args keep their insertion order
//!   except that keys that are array indices (`"0"`, `"42"`) come first, in
//!   numeric order, as in any JavaScript object;
//! - the ignore mode `docker` and the follow mode `external`.
//!
//! Not covered: the CDK's build contexts, secrets, SSH, outputs,
//! `repositoryName`, `invalidation` (all parts hashed), `followSymlinks`, the
//! `@aws-cdk/core:assetHashSalt` context, and custom `assetHash`es.

mod content;
mod dockerignore;
mod error;
mod fingerprint;
mod nodepath;
mod options;
mod stage;
mod walk;

use std::fs;
use std::path::{Path, PathBuf};

pub use error::AssetError;
pub use fingerprint::fingerprint;
pub use options::{FingerprintOptions, IgnoreMode, SymlinkFollow};

use dockerignore::DockerIgnoreStrategy;

/// The salt `DockerImageAsset` always adds to its extra hash.
const IMAGE_ASSET_VERSION: &str = "1.21.0";
/// The exclude pattern standing for the app's output folder.
const OUTDIR_PATTERN: &str = "cdk.out";

/// Options of a Docker image asset that take part in its hash, as the CDK's
/// `DockerImageAssetProps`.
///
/// The CDK also excludes the app's output folder, by the path it was given:
/// `cdk.out` when the CDK CLI runs an app with its default `--output`. The hash
/// is computed before the output folder is known, so we always exclude a
/// top-level `cdk.out` in the build context; an app synthesized by the CDK into
/// another folder that also has a `cdk.out` in its build context hashes
/// differently.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerImageSource {
    /// The build context (CDK `directory`), made absolute against the current
    /// directory.
    pub directory: PathBuf,
    /// The Dockerfile, relative to `directory` (CDK `file`); `None` (or empty)
    /// means `Dockerfile`.
    pub file: Option<String>,
    /// Build arguments (CDK `buildArgs`). An empty map hashes as no build
    /// arguments at all (the CDK would hash an explicit `{}`).
    pub build_args: indexmap::IndexMap<String, String>,
    /// The build target stage (CDK `target`).
    pub target: Option<String>,
    /// The platform, e.g. `linux/amd64` (CDK `platform`).
    pub platform: Option<String>,
    /// The network mode for `RUN`: `default`, `host`, `none` or
    /// `container:<id>` (CDK `networkMode`).
    pub network_mode: Option<String>,
    /// Extra exclude patterns, in `.dockerignore` syntax (CDK `exclude`).
    pub exclude: Vec<String>,
    /// Extra text mixed into the hash (CDK `extraHash`).
    pub extra_hash: Option<String>,
}

impl DockerImageSource {
    /// A source with this build context and every option unset.
    pub fn new(directory: impl Into<PathBuf>) -> Self {
        Self {
            directory: directory.into(),
            ..Self::default()
        }
    }
}

/// A validated source: the absolute directory and what `AssetStaging` passes
/// to the fingerprint and the copy.
struct Prepared {
    /// `path.resolve(directory)`.
    directory: String,
    /// The exclude patterns.
    exclude: Vec<String>,
    /// The extra hash JSON.
    extra_hash: String,
}

/// `true` for a canonical JavaScript array index (`0`, `17`, below 2³² − 1):
/// such object keys are enumerated first, in numeric order.
fn is_array_index(key: &str) -> bool {
    let canonical = key == "0" || (!key.starts_with('0') && !key.is_empty());
    canonical
        && key.bytes().all(|b| b.is_ascii_digit())
        && key.parse::<u64>().is_ok_and(|n| n < u64::from(u32::MAX))
}

/// A JSON string as `JSON.stringify` writes it.
fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The `extraHash` JSON of `image-asset.js`.
fn extra_hash_json(source: &DockerImageSource) -> String {
    let mut fields: Vec<(&str, String)> = Vec::new();
    let set = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(json_string);
    if let Some(user) = set(&source.extra_hash) {
        fields.push(("user", user));
    }
    if !source.build_args.is_empty() {
        let mut keys: Vec<(&String, &String)> = source.build_args.iter().collect();
        // A stable sort: array indices first, by value; the rest keep their order.
        keys.sort_by_key(|(k, _)| {
            if is_array_index(k) {
                (0, k.parse::<u64>().unwrap_or(0))
            } else {
                (1, 0)
            }
        });
        let body: Vec<String> = keys
            .iter()
            .map(|(k, v)| format!("{}:{}", json_string(k), json_string(v)))
            .collect();
        fields.push(("buildArgs", format!("{{{}}}", body.join(","))));
    }
    if let Some(target) = set(&source.target) {
        fields.push(("target", target));
    }
    if let Some(file) = set(&source.file) {
        fields.push(("file", file));
    }
    if let Some(mode) = set(&source.network_mode) {
        fields.push(("networkMode", format!("{{\"mode\":{mode}}}")));
    }
    if let Some(platform) = set(&source.platform) {
        fields.push(("platform", format!("{{\"platform\":{platform}}}")));
    }
    fields.push(("version", json_string(IMAGE_ASSET_VERSION)));
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", body.join(","))
}

/// Validates `source` and builds the exclude list and extra hash.
fn prepare(source: &DockerImageSource) -> Result<Prepared, AssetError> {
    let given = walk::utf8(&source.directory)?;
    let directory = if given.starts_with('/') {
        nodepath::resolve("/", given)
    } else {
        let cwd = std::env::current_dir().map_err(AssetError::io("."))?;
        nodepath::resolve(walk::utf8(&cwd)?, given)
    };
    let dir_path = PathBuf::from(&directory);
    let meta = match fs::metadata(&dir_path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(AssetError::MissingDirectory {
                directory: dir_path,
            });
        }
        Err(e) => {
            return Err(AssetError::Io {
                path: dir_path,
                source: e,
            });
        }
    };
    if !meta.is_dir() {
        return Err(AssetError::NotADirectory {
            directory: dir_path,
        });
    }
    let file = source
        .file
        .as_deref()
        .filter(|f| !f.is_empty())
        .unwrap_or("Dockerfile");
    let normalized = nodepath::normalize(file);
    if file.starts_with('/') || normalized == ".." || normalized.starts_with("../") {
        return Err(AssetError::DockerfileOutsideDirectory {
            directory: dir_path,
            file: file.to_owned(),
        });
    }
    let dockerfile = nodepath::join(&directory, file);
    if fs::metadata(&dockerfile).is_err() {
        return Err(AssetError::NoDockerfile {
            directory: dir_path,
            file: file.to_owned(),
        });
    }

    let mut exclude = vec![".is_custom_resource".to_owned()];
    let ignore_file = nodepath::join(&directory, ".dockerignore");
    let has_ignore_file = fs::metadata(&ignore_file).is_ok();
    if has_ignore_file {
        let bytes = fs::read(&ignore_file).map_err(AssetError::io(&ignore_file))?;
        let text = String::from_utf8_lossy(&bytes);
        exclude.extend(
            text.split('\n')
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
        );
    }
    exclude.extend(source.exclude.iter().cloned());
    if has_ignore_file {
        exclude.push("!.dockerignore".to_owned());
    }
    exclude.push(format!("!{}", nodepath::basename(&dockerfile)));
    exclude.push(OUTDIR_PATTERN.to_owned());

    Ok(Prepared {
        directory,
        exclude,
        extra_hash: extra_hash_json(source),
    })
}

/// The CDK's asset hash (64 hex digits) of this image source: the
/// `assetHash` of a `DockerImageAsset` with the same props.
///
/// # Errors
/// In this order: [`AssetError::MissingDirectory`], [`AssetError::NotADirectory`],
/// [`AssetError::DockerfileOutsideDirectory`], [`AssetError::NoDockerfile`]; then
/// those of [`fingerprint`](fn@fingerprint).
pub fn docker_image_hash(source: &DockerImageSource) -> Result<String, AssetError> {
    let prepared = prepare(source)?;
    fingerprint(
        Path::new(&prepared.directory),
        &FingerprintOptions {
            extra_hash: Some(prepared.extra_hash),
            exclude: prepared.exclude,
            ignore_mode: IgnoreMode::Docker,
            follow: SymlinkFollow::External,
        },
    )
}

/// Copies the files the hash covers into `<outdir>/asset.<hash>/` unless that
/// directory exists already (the CDK's `AssetStaging` then skips the copy), and
/// returns the staged directory's name, `asset.<hash>`.
///
/// # Errors
/// Those of [`docker_image_hash`] (the source is validated again),
/// [`AssetError::InvalidHash`] for a `hash` that is not a plain name, and
/// [`AssetError::Io`] when the copy fails.
pub fn stage_docker_image(
    source: &DockerImageSource,
    hash: &str,
    outdir: &Path,
) -> Result<String, AssetError> {
    if hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AssetError::InvalidHash {
            hash: hash.to_owned(),
        });
    }
    let prepared = prepare(source)?;
    let name = format!("asset.{hash}");
    let target = outdir.join(&name);
    if fs::metadata(&target).is_ok() {
        return Ok(name);
    }
    fs::create_dir_all(outdir).map_err(AssetError::io(outdir))?;
    fs::create_dir(&target).map_err(AssetError::io(&target))?;
    let ignore = DockerIgnoreStrategy::new(prepared.exclude.iter().map(String::as_str))?;
    stage::copy_directory(
        &prepared.directory,
        &target,
        SymlinkFollow::External,
        &ignore,
    )?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_hash_has_the_cdk_field_order() {
        let mut source = DockerImageSource::new("/x");
        source.extra_hash = Some("u".into());
        source.build_args.insert("B".into(), "1".into());
        source.build_args.insert("10".into(), "x".into());
        source.build_args.insert("A".into(), "\"\n".into());
        source.build_args.insert("2".into(), "y".into());
        source.build_args.insert("01".into(), "z".into());
        source.target = Some("t".into());
        source.file = Some("sub/Dockerfile".into());
        source.network_mode = Some("host".into());
        source.platform = Some("linux/amd64".into());
        assert_eq!(
            extra_hash_json(&source),
            r#"{"user":"u","buildArgs":{"2":"y","10":"x","B":"1","A":"\"\n","01":"z"},"target":"t","file":"sub/Dockerfile","networkMode":{"mode":"host"},"platform":{"platform":"linux/amd64"},"version":"1.21.0"}"#
        );
    }

    #[test]
    fn empty_options_are_left_out() {
        let mut source = DockerImageSource::new("/x");
        source.extra_hash = Some(String::new());
        source.target = Some(String::new());
        assert_eq!(extra_hash_json(&source), r#"{"version":"1.21.0"}"#);
    }

    #[test]
    fn array_indices() {
        assert!(is_array_index("0"));
        assert!(is_array_index("4294967294"));
        assert!(!is_array_index("4294967295"));
        assert!(!is_array_index("01"));
        assert!(!is_array_index("-1"));
        assert!(!is_array_index(""));
    }
}
