//! The error of asset hashing and staging.

use std::path::PathBuf;

/// Why an asset could not be hashed or staged. Each message names the path and
/// what to do; the engine adds the construct path when it reports one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AssetError {
    /// The build context directory does not exist.
    #[error(
        "cannot find the image directory {}; create it or point `directory` at an existing folder",
        directory.display()
    )]
    MissingDirectory {
        /// The directory, made absolute.
        directory: PathBuf,
    },
    /// The build context is a file or something else that is not a directory.
    #[error(
        "the image directory {} is not a directory; point `directory` at the folder that holds the Dockerfile",
        directory.display()
    )]
    NotADirectory {
        /// The path that was given, made absolute.
        directory: PathBuf,
    },
    /// The Dockerfile is not in the build context.
    #[error(
        "cannot find the Dockerfile {file:?} in {}; create it or set the Dockerfile path with `file`",
        directory.display()
    )]
    NoDockerfile {
        /// The build context.
        directory: PathBuf,
        /// The Dockerfile path, relative to `directory`.
        file: String,
    },
    /// The Dockerfile path is absolute or leaves the build context through `..`.
    #[error(
        "the Dockerfile path {file:?} leaves the image directory {}; give `file` relative to `directory`, without `..` above it",
        directory.display()
    )]
    DockerfileOutsideDirectory {
        /// The build context.
        directory: PathBuf,
        /// The Dockerfile path that was given.
        file: String,
    },
    /// A symlink that leads to something neither a file nor a directory (a
    /// socket, a FIFO, a device), which the CDK refuses to hash.
    #[error(
        "cannot hash {}: it is neither a file nor a directory; remove it or exclude it in `.dockerignore` or `exclude`",
        path.display()
    )]
    UnsupportedFileType {
        /// The path inside the build context.
        path: PathBuf,
    },
    /// A file or link name, or a link target, that is not valid UTF-8 (the CDK
    /// handles paths as JavaScript strings and would mangle it).
    #[error(
        "the path {} is not valid UTF-8; rename it or exclude it",
        path.display()
    )]
    NonUtf8Path {
        /// The path as the operating system gave it.
        path: PathBuf,
    },
    /// An exclude pattern (from `.dockerignore` or `exclude`) that cannot be used.
    #[error("invalid exclude pattern {pattern:?}: {reason}; fix or remove the pattern")]
    InvalidPattern {
        /// The pattern as written.
        pattern: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A staging hash that is not a plain name (letters and digits).
    #[error("invalid asset hash {hash:?}; pass the hash `docker_image_hash` returned")]
    InvalidHash {
        /// The hash that was given.
        hash: String,
    },
    /// Reading the build context or writing the staged copy failed.
    #[error("cannot read or write {}: {source}; check that it exists and is accessible", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

impl AssetError {
    /// An [`AssetError::Io`] about `path`.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}
