//! `FileSystem.fingerprint`: `fingerprint` of aws-cdk-lib's
//! `core/lib/fs/fingerprint.js` (2.276.0).
//!
//! One SHA-256 over a sequence of fields, each `0x01 header 0x02 value 0x03`
//! (`_hashField`), in this order:
//! 1. `options.extra` = the extra hash, or empty;
//! 2. `options.follow` = the follow mode (`external` by default);
//! 3. `options.ignoreMode` = `docker` (left out only in the glob mode);
//! 4. for each entry the walk keeps ([`super::walk`]), in walk order:
//!    `file:<path>` = `<size>:<sha256>` of its content ([`super::content`]), or
//!    `link:<path>` = the link text for a link not followed — except that an
//!    internal link with an absolute text hashes its target's path relative to
//!    the root. `<path>` is relative to the root, with `\` turned into `/`.
//!
//! A single file is hashed as one `file:` field with an empty path. The CDK's
//! on-disk cache of content fingerprints (`~/.cdk/cache/fingerprints`, keyed by
//! inode, mtime and size) only saves time, so it has no counterpart here.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::content::{ReadBuffer, content_fingerprint, hex};
use super::dockerignore::DockerIgnoreStrategy;
use super::error::AssetError;
use super::options::FingerprintOptions;
use super::walk::{Symlink, Visitor, utf8, walk_directory};

/// `_hashField`.
fn hash_field(hash: &mut Sha256, header: &str, value: &str) {
    hash.update([0x01]);
    hash.update(header.as_bytes());
    hash.update([0x02]);
    hash.update(value.as_bytes());
    hash.update([0x03]);
}

/// `hashKey`: the path relative to the root, backslashes made slashes.
fn hash_key(rel: &str) -> String {
    rel.replace('\\', "/")
}

struct Hasher<'a> {
    hash: Sha256,
    /// The root, for error messages.
    root: &'a Path,
    buf: ReadBuffer,
}

impl Visitor for Hasher<'_> {
    fn on_file(&mut self, rel: &str, real_path: &str) -> Result<(), AssetError> {
        let content = content_fingerprint(Path::new(real_path), &mut self.buf)
            .map_err(AssetError::io(real_path))?;
        hash_field(&mut self.hash, &format!("file:{}", hash_key(rel)), &content);
        Ok(())
    }

    fn on_symlink(&mut self, link: &Symlink<'_>) -> Result<(), AssetError> {
        let target = if link.internal && link.link_target.starts_with('/') {
            let root = utf8(self.root)?;
            hash_key(&super::nodepath::relative(root, link.resolved))
        } else {
            link.link_target.to_owned()
        };
        hash_field(
            &mut self.hash,
            &format!("link:{}", hash_key(link.rel)),
            &target,
        );
        Ok(())
    }

    fn on_unsupported(&mut self, rel: &str) -> Result<(), AssetError> {
        Err(AssetError::UnsupportedFileType {
            path: self.root.join(rel),
        })
    }
}

/// The CDK's `FileSystem.fingerprint(path, options)`: the hash of a file or
/// of a directory's kept files and links, as 64 lower-case hex digits.
///
/// # Errors
/// [`AssetError::Io`] when `path` or something in it cannot be read (a missing
/// `path` included), [`AssetError::InvalidPattern`] for an exclude pattern we
/// cannot apply, [`AssetError::UnsupportedFileType`] for a kept link to a
/// socket, FIFO or device, and [`AssetError::NonUtf8Path`].
pub fn fingerprint(path: &Path, options: &FingerprintOptions) -> Result<String, AssetError> {
    let mut hash = Sha256::new();
    hash_field(
        &mut hash,
        "options.extra",
        options.extra_hash.as_deref().unwrap_or(""),
    );
    hash_field(&mut hash, "options.follow", options.follow.as_str());
    let root: PathBuf = std::fs::canonicalize(path).map_err(AssetError::io(path))?;
    let meta = std::fs::metadata(&root).map_err(AssetError::io(&root))?;
    hash_field(
        &mut hash,
        "options.ignoreMode",
        options.ignore_mode.as_str(),
    );
    if !meta.is_dir() {
        let content = content_fingerprint(&root, &mut ReadBuffer::default())
            .map_err(AssetError::io(&root))?;
        hash_field(&mut hash, "file:", &content);
        return Ok(hex(&hash.finalize()));
    }
    let ignore = DockerIgnoreStrategy::new(options.exclude.iter().map(String::as_str))?;
    let root_str = utf8(&root)?.to_owned();
    let mut hasher = Hasher {
        hash,
        root: &root,
        buf: ReadBuffer::default(),
    };
    walk_directory(&root_str, None, options.follow, &ignore, &mut hasher)?;
    Ok(hex(&hasher.hash.finalize()))
}
