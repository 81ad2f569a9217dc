//! Every public builder setter (`pub fn name(mut self, ..) -> Self`, or
//! `self`) in
//! `constructs/src` (the generated `cfn/` excluded, `macro_rules!` bodies
//! included) ends its doc comment with the two lines STYLE.md fixes:
//! `CloudFormation default: …` and, after it, `ecscdk default: …`.
//!
//! A line-based scan rather than a parser, so that setters written inside
//! `macro_rules!` bodies are checked too and no dependency is added.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "cfn") && path.parent() == Some(src_dir()) {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// A setter found by the scan: where it is and its doc lines (text after `///`).
struct Setter {
    location: String,
    name: String,
    docs: Vec<String>,
}

/// The signature starting at line `start`, up to its body or `;`, on one line.
fn signature(lines: &[&str], start: usize) -> String {
    let mut sig = String::new();
    for line in &lines[start..] {
        let line = line.trim();
        if let Some(i) = line.find(['{', ';']) {
            sig.push_str(&line[..i]);
            break;
        }
        sig.push_str(line);
        sig.push(' ');
    }
    sig
}

/// Whether a signature is a setter: takes `self` or `mut self` by value,
/// returns `Self`.
fn is_setter(sig: &str) -> bool {
    // Any `(` followed by `self` or `mut self`: generic bounds such as
    // `F: Fn(u32)` may come before the parameter list.
    let takes_self = sig.match_indices('(').any(|(i, _)| {
        let rest = sig[i + 1..].trim_start();
        let rest = rest.strip_prefix("mut ").map_or(rest, str::trim_start);
        rest.strip_prefix("self")
            .is_some_and(|after| after.trim_start().starts_with([',', ')']))
    });
    if !takes_self {
        return false;
    }
    let Some(arrow) = sig.rfind("->") else {
        return false;
    };
    let ret = sig[arrow + 2..].trim();
    ret == "Self" || ret.starts_with("Self ") || ret.starts_with("Self\n")
}

/// The doc lines above line `fn_line`, skipping attributes (also ones
/// spanning several lines) between the docs and the `fn`.
fn docs_above(lines: &[&str], fn_line: usize) -> Vec<String> {
    let mut docs = Vec::new();
    let mut i = fn_line;
    let mut in_attr = false;
    while i > 0 {
        i -= 1;
        let line = lines[i].trim();
        if in_attr {
            if line.starts_with("#[") {
                in_attr = false;
            }
            continue;
        }
        if let Some(doc) = line.strip_prefix("///") {
            docs.push(doc.strip_prefix(' ').unwrap_or(doc).to_owned());
        } else if line.starts_with("#[") {
            continue;
        } else if line.ends_with(")]") || line.ends_with("\"]") || line == "]" {
            // The last line of an attribute that started further up.
            in_attr = true;
        } else {
            break;
        }
    }
    docs.reverse();
    docs
}

fn setters() -> Vec<Setter> {
    let mut files = Vec::new();
    rust_files(src_dir(), &mut files);
    let mut found = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let rel = file.strip_prefix(src_dir()).unwrap().display().to_string();
        for (n, line) in lines.iter().enumerate() {
            let Some(rest) = line.trim_start().strip_prefix("pub fn ") else {
                continue;
            };
            let sig = signature(&lines, n);
            if !is_setter(&sig) {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(Setter {
                location: format!("constructs/src/{rel}:{}", n + 1),
                name,
                docs: docs_above(&lines, n),
            });
        }
    }
    found
}

/// Whether the docs have a `CloudFormation default:` line and, later, an
/// `ecscdk default:` line.
fn has_default_lines(docs: &[String]) -> bool {
    let Some(cfn) = docs
        .iter()
        .position(|l| l.starts_with("CloudFormation default:"))
    else {
        return false;
    };
    docs[cfn + 1..]
        .iter()
        .any(|l| l.starts_with("ecscdk default:"))
}

#[test]
fn every_setter_documents_both_defaults() {
    let all = setters();
    // The scan must find the setters at all (about 300 of them), including
    // the ones written in macro bodies.
    assert!(all.len() > 250, "only {} setters found", all.len());
    assert!(
        all.iter()
            .any(|s| s.name == "desired_count" && s.location.contains("service_base.rs")),
        "the scan misses setters inside macro_rules! bodies"
    );
    let missing: Vec<String> = all
        .iter()
        .filter(|s| !has_default_lines(&s.docs))
        .map(|s| format!("{} `{}`", s.location, s.name))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} public setters lack the lines `CloudFormation default: …` \
         and then `ecscdk default: …` in their doc comment:\n{}",
        missing.len(),
        all.len(),
        missing.join("\n")
    );
}

#[test]
fn scan_recognizes_setter_signatures() {
    assert!(is_setter(
        "pub fn sid(mut self, sid: impl Into<String>) -> Self "
    ));
    assert!(is_setter(
        "pub fn a( mut self, x: u32, ) -> Self where X: Y "
    ));
    assert!(!is_setter(
        "pub fn build(self, stack: &mut Stack) -> Result<X> "
    ));
    assert!(!is_setter("pub fn new(mut self) -> SelfBuilder "));
    assert!(!is_setter("pub fn get(&self) -> Self "));
    assert!(is_setter("pub fn f<F: Fn(u32)>(mut self, f: F) -> Self "));
    assert!(is_setter("pub fn on(self, x: u32) -> Self "));
    assert!(is_setter("pub fn off(self) -> Self "));
    assert!(!is_setter("pub fn selfish(selfie: u32) -> Self "));
    let docs = ["x", "", "CloudFormation default: 1.", "ecscdk default: 2."].map(String::from);
    assert!(has_default_lines(&docs));
    assert!(!has_default_lines(&docs[..3]));
    let reversed = ["ecscdk default: 2.", "CloudFormation default: 1."].map(String::from);
    assert!(!has_default_lines(&reversed));
}
