//! The directory walk shared by hashing and staging: `walkDirectory` of
//! aws-cdk-lib's `core/lib/fs/utils.js` (2.276.0).
//!
//! - Entries are visited in the order of JavaScript's default string sort of
//!   their names: by UTF-16 code units.
//! - A directory the ignore strategy completely ignores is skipped with all it
//!   holds; another directory is walked even when ignored itself.
//! - Files and links are visited unless ignored. FIFOs, sockets and devices
//!   met directly are passed over in silence.
//! - A link is followed when the follow mode says so for its target, which is
//!   "internal" when it is the root or below it (string test, after resolving
//!   the target lexically against the link's *unresolved* parent path and taking
//!   the real path of the target's parent). A followed link to a directory is
//!   walked under the link's name; a link to something neither file nor
//!   directory is "unsupported". A link not followed, or whose target does not
//!   exist, is visited as a link.
//! - A directory already on the current path (by real path) is not walked again,
//!   which ends link cycles.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use super::dockerignore::DockerIgnoreStrategy;
use super::error::AssetError;
use super::nodepath;
use super::options::SymlinkFollow;

/// A link the walk does not follow.
pub(crate) struct Symlink<'a> {
    /// Its path relative to the walked directory, `/`-separated.
    pub(crate) rel: &'a str,
    /// Its link text.
    pub(crate) link_target: &'a str,
    /// The absolute target (`resolvedLinkTarget`).
    pub(crate) resolved: &'a str,
    /// Whether the target is inside the root.
    pub(crate) internal: bool,
}

/// What the walk reports. Every method may stop it with an error.
pub(crate) trait Visitor {
    /// A file kept by the ignore rules, with the path its content is read from.
    fn on_file(&mut self, rel: &str, real_path: &str) -> Result<(), AssetError>;
    /// A link kept by the ignore rules and not followed.
    fn on_symlink(&mut self, link: &Symlink<'_>) -> Result<(), AssetError>;
    /// A directory about to be walked, and whether the rules ignore it.
    fn on_directory(&mut self, _rel: &str, _ignored: bool) -> Result<(), AssetError> {
        Ok(())
    }
    /// A kept link that leads to something neither a file nor a directory.
    fn on_unsupported(&mut self, _rel: &str) -> Result<(), AssetError> {
        Ok(())
    }
}

/// `realPathOrSelf`.
fn real_path_or_self(path: &str) -> String {
    fs::canonicalize(path)
        .ok()
        .and_then(|p| p.to_str().map(str::to_owned))
        .unwrap_or_else(|| path.to_owned())
}

/// Compares two names as JavaScript's `<` does: by UTF-16 code units.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `path.join(a, b)` for a relative path that may be empty (the root).
fn child_rel(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}/{name}")
    }
}

/// Kinds of directory entries, from `lstat` (as `readdir` with file types).
enum Kind {
    Symlink,
    Dir,
    File,
    Other,
}

struct Walk<'a, V> {
    follow: SymlinkFollow,
    ignore: &'a DockerIgnoreStrategy,
    canonical_root: String,
    ancestors: HashSet<String>,
    visitor: &'a mut V,
}

/// Walks `directory` (absolute, UTF-8); `root` is the directory links count as
/// internal to (the walked one when `None`).
pub(crate) fn walk_directory<V: Visitor>(
    directory: &str,
    root: Option<&str>,
    follow: SymlinkFollow,
    ignore: &DockerIgnoreStrategy,
    visitor: &mut V,
) -> Result<(), AssetError> {
    let mut walk = Walk {
        follow,
        ignore,
        canonical_root: real_path_or_self(root.unwrap_or(directory)),
        ancestors: HashSet::new(),
        visitor,
    };
    walk.walk("", directory, &real_path_or_self(directory))
}

impl<V: Visitor> Walk<'_, V> {
    fn walk(&mut self, rel: &str, real_path: &str, canonical: &str) -> Result<(), AssetError> {
        if !self.ancestors.insert(canonical.to_owned()) {
            return Ok(());
        }
        let mut entries = Vec::new();
        for entry in fs::read_dir(real_path).map_err(AssetError::io(real_path))? {
            let entry = entry.map_err(AssetError::io(real_path))?;
            let name = entry
                .file_name()
                .into_string()
                .map_err(|_| AssetError::NonUtf8Path { path: entry.path() })?;
            let kind = entry.file_type().map_err(AssetError::io(entry.path()))?;
            let kind = if kind.is_symlink() {
                Kind::Symlink
            } else if kind.is_dir() {
                Kind::Dir
            } else if kind.is_file() {
                Kind::File
            } else {
                Kind::Other
            };
            entries.push((name, kind));
        }
        entries.sort_by(|a, b| utf16_cmp(&a.0, &b.0));
        for (name, kind) in entries {
            let rel = child_rel(rel, &name);
            let child_real = nodepath::join(real_path, &name);
            match kind {
                Kind::Symlink => self.visit_symlink(&rel, &child_real)?,
                Kind::Dir => {
                    let child_canonical = nodepath::join(canonical, &name);
                    self.visit_directory(&rel, &child_real, &child_canonical)?;
                }
                Kind::File => self.visit_file(&rel, &child_real)?,
                Kind::Other => {}
            }
        }
        self.ancestors.remove(canonical);
        Ok(())
    }

    fn visit_directory(
        &mut self,
        rel: &str,
        real: &str,
        canonical: &str,
    ) -> Result<(), AssetError> {
        if self.ignore.completely_ignores(rel) {
            return Ok(());
        }
        let ignored = self.ignore.ignores(rel);
        self.visitor.on_directory(rel, ignored)?;
        self.walk(rel, real, canonical)
    }

    fn visit_file(&mut self, rel: &str, real: &str) -> Result<(), AssetError> {
        if self.ignore.ignores(rel) {
            return Ok(());
        }
        self.visitor.on_file(rel, real)
    }

    fn visit_symlink(&mut self, rel: &str, real: &str) -> Result<(), AssetError> {
        let target = fs::read_link(real).map_err(AssetError::io(real))?;
        let link_target = target.to_str().ok_or_else(|| AssetError::NonUtf8Path {
            path: target.clone(),
        })?;
        // resolveLinkTarget, then canonicalLinkTarget.
        let resolved = nodepath::resolve(nodepath::dirname(real), link_target);
        let resolved = nodepath::join(
            &real_path_or_self(nodepath::dirname(&resolved)),
            nodepath::basename(&resolved),
        );
        let internal = nodepath::is_internal(&self.canonical_root, &resolved);
        let stats = if self.follow.follows(internal) {
            fs::metadata(&resolved).ok()
        } else {
            None
        };
        match stats {
            None => {
                if self.ignore.ignores(rel) {
                    return Ok(());
                }
                self.visitor.on_symlink(&Symlink {
                    rel,
                    link_target,
                    resolved: &resolved,
                    internal,
                })
            }
            Some(meta) if meta.is_dir() => {
                let canonical = real_path_or_self(&resolved);
                self.visit_directory(rel, &resolved, &canonical)
            }
            Some(meta) if meta.is_file() => self.visit_file(rel, &resolved),
            Some(_) => {
                if self.ignore.ignores(rel) {
                    return Ok(());
                }
                self.visitor.on_unsupported(rel)
            }
        }
    }
}

/// `path` as UTF-8, or [`AssetError::NonUtf8Path`].
pub(crate) fn utf8(path: &Path) -> Result<&str, AssetError> {
    path.to_str().ok_or_else(|| AssetError::NonUtf8Path {
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_utf16_code_units() {
        let mut names = vec!["\u{FF01}", "\u{1F600}", "b", "B", "a.txt", "a-b", "a"];
        names.sort_by(|a, b| utf16_cmp(a, b));
        // An astral character (surrogates D83D…) sorts before U+FF01.
        assert_eq!(
            names,
            ["B", "a", "a-b", "a.txt", "b", "\u{1F600}", "\u{FF01}"]
        );
    }
}
