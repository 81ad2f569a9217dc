//! The few POSIX functions of Node's `path` module the CDK's asset code uses,
//! on `/`-separated strings: the hash keys, symlink resolution and the
//! dockerignore rules all go through them, so their corner cases (a trailing
//! slash, `..` above the start, `//`) must behave as Node's do.

/// Node's `normalizeString`: resolves `.` and `..` segments and collapses
/// repeated slashes. `..` above the start is kept when `allow_above_root`.
fn normalize_segments(path: &str, allow_above_root: bool) -> String {
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|last| *last != "..") {
                    out.pop();
                } else if allow_above_root {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out.join("/")
}

/// Node's `path.posix.normalize`.
pub(crate) fn normalize(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let absolute = path.starts_with('/');
    let trailing = path.ends_with('/');
    let mut out = normalize_segments(path, !absolute);
    if out.is_empty() {
        if absolute {
            return "/".to_owned();
        }
        out.push('.');
    }
    if trailing {
        out.push('/');
    }
    if absolute { format!("/{out}") } else { out }
}

/// Node's `path.posix.join` of two parts.
pub(crate) fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => ".".to_owned(),
        (true, false) => normalize(b),
        (false, true) => normalize(a),
        (false, false) => normalize(&format!("{a}/{b}")),
    }
}

/// Node's `path.posix.resolve(base, path)` for an absolute `base`.
pub(crate) fn resolve(base: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("{base}/{path}")
    };
    format!("/{}", normalize_segments(&joined, false))
}

/// Node's `path.posix.dirname`.
pub(crate) fn dirname(path: &str) -> &str {
    let bytes = path.as_bytes();
    if bytes.is_empty() {
        return ".";
    }
    let has_root = bytes[0] == b'/';
    let mut end = None;
    let mut matched_slash = true;
    for i in (1..bytes.len()).rev() {
        if bytes[i] == b'/' {
            if !matched_slash {
                end = Some(i);
                break;
            }
        } else {
            matched_slash = false;
        }
    }
    match end {
        None if has_root => "/",
        None => ".",
        Some(1) if has_root => "//",
        Some(end) => &path[..end],
    }
}

/// Node's `path.posix.basename` (without the extension argument).
pub(crate) fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Node's `path.posix.relative(from, to)` for two absolute, normalized paths.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// The `isInternalPath` of the CDK's `core/lib/fs/utils.js`: `target` is `root`
/// or below it (a plain string prefix test on `root` + `/`).
pub(crate) fn is_internal(root: &str, target: &str) -> bool {
    root == target
        || target
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_matches_node() {
        assert_eq!(normalize(""), ".");
        assert_eq!(normalize("./"), "./");
        assert_eq!(normalize("a//b/../c/"), "a/c/");
        assert_eq!(normalize("../a/./b"), "../a/b");
        assert_eq!(normalize("/../a"), "/a");
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize("a/.."), ".");
    }

    #[test]
    fn dirname_matches_node() {
        assert_eq!(dirname("a/b/c"), "a/b");
        assert_eq!(dirname("a"), ".");
        assert_eq!(dirname("a/"), ".");
        assert_eq!(dirname("a//b"), "a/");
        assert_eq!(dirname("/a"), "/");
        assert_eq!(dirname("//a"), "//");
        assert_eq!(dirname(""), ".");
    }

    #[test]
    fn relative_and_resolve() {
        assert_eq!(relative("/a/b", "/a/b"), "");
        assert_eq!(relative("/a/b/c", "/a/d"), "../../d");
        assert_eq!(resolve("/a/b", "../c"), "/a/c");
        assert_eq!(resolve("/a/b", "/x/./y/"), "/x/y");
        assert_eq!(basename("sub/Dockerfile.prod"), "Dockerfile.prod");
        assert_eq!(basename("a/b/"), "b");
        assert!(is_internal("/r", "/r/x"));
        assert!(!is_internal("/r", "/rx"));
    }
}
