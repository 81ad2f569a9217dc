//! Staging: the copy `AssetStaging.stageByCopying` makes of a directory asset
//! with `FileSystem.copyDirectory` (aws-cdk-lib 2.276.0,
//! `core/lib/asset-staging.js` and `core/lib/fs/copy.js`).
//!
//! The copy walks the source as hashing does ([`super::walk`]), so it holds
//! exactly the hashed files:
//! - a directory the rules keep is created even when empty; an ignored one
//!   only when a re-included file below it is copied;
//! - files (and followed links to files) are copied as files, mode included;
//! - a link not followed is recreated as a link: one whose target is inside the
//!   source points at the same place in the copy (a relative link text, `.` for
//!   the link's own folder), any other keeps its link text;
//! - FIFOs, sockets, devices and links to them are left out without error.

use std::fs;
use std::path::{Path, PathBuf};

use super::dockerignore::DockerIgnoreStrategy;
use super::error::AssetError;
use super::nodepath;
use super::options::SymlinkFollow;
use super::walk::{Symlink, Visitor, walk_directory};

struct Copier {
    /// The destination, absolute.
    dest: String,
    /// The real path of the source.
    canonical_src: String,
}

impl Copier {
    fn destination(&self, rel: &str) -> String {
        nodepath::join(&self.dest, rel)
    }
}

fn create_parent(path: &str) -> Result<(), AssetError> {
    let parent = nodepath::dirname(path);
    fs::create_dir_all(parent).map_err(AssetError::io(parent))
}

impl Visitor for Copier {
    fn on_directory(&mut self, rel: &str, ignored: bool) -> Result<(), AssetError> {
        if !ignored {
            let dest = self.destination(rel);
            fs::create_dir_all(&dest).map_err(AssetError::io(dest))?;
        }
        Ok(())
    }

    fn on_file(&mut self, rel: &str, real_path: &str) -> Result<(), AssetError> {
        let dest = self.destination(rel);
        create_parent(&dest)?;
        fs::copy(real_path, &dest).map_err(AssetError::io(dest))?;
        Ok(())
    }

    fn on_symlink(&mut self, link: &Symlink<'_>) -> Result<(), AssetError> {
        let dest = self.destination(link.rel);
        create_parent(&dest)?;
        // linkTextFor
        let text = if nodepath::is_internal(&self.canonical_src, link.resolved) {
            let copied = nodepath::join(
                &self.dest,
                &nodepath::relative(&self.canonical_src, link.resolved),
            );
            let text = nodepath::relative(nodepath::dirname(&dest), &copied);
            if text.is_empty() {
                ".".to_owned()
            } else {
                text
            }
        } else {
            link.link_target.to_owned()
        };
        make_symlink(&text, &dest).map_err(AssetError::io(dest))
    }
}

#[cfg(unix)]
fn make_symlink(text: &str, dest: &str) -> std::io::Result<()> {
    std::os::unix::fs::symlink(text, dest)
}

#[cfg(not(unix))]
fn make_symlink(_text: &str, _dest: &str) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "copying symbolic links is only implemented on Unix",
    ))
}

/// Copies what the rules keep of `src` (absolute, not necessarily canonical)
/// into the new directory `dest`.
pub(crate) fn copy_directory(
    src: &str,
    dest: &Path,
    follow: SymlinkFollow,
    ignore: &DockerIgnoreStrategy,
) -> Result<(), AssetError> {
    let dest_str = dest
        .to_str()
        .ok_or_else(|| AssetError::NonUtf8Path {
            path: dest.to_path_buf(),
        })?
        .to_owned();
    let canonical_src = fs::canonicalize(src)
        .map_err(AssetError::io(src))?
        .to_str()
        .map(str::to_owned)
        .ok_or_else(|| AssetError::NonUtf8Path {
            path: PathBuf::from(src),
        })?;
    let mut copier = Copier {
        dest: dest_str,
        canonical_src,
    };
    walk_directory(src, Some(src), follow, ignore, &mut copier)
}
