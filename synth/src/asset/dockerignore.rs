//! The `.dockerignore` matcher the CDK uses in `IgnoreMode.DOCKER`:
//! `@balena/dockerignore` 1.0.2 (bundled in aws-cdk-lib 2.276.0 under
//! `node_modules/@balena/dockerignore/ignore.js`), wrapped by the CDK's
//! `DockerIgnoreStrategy` (`core/lib/fs/ignore.js`).
//!
//! What it reproduces, including the oddities that change which files are hashed:
//! - A pattern is a comment only when `#` is its very first character
//!   (`_checkPattern`); leading white space makes `  # x` a pattern.
//! - Patterns are trimmed with JavaScript's `trim` (which also removes U+FEFF),
//!   cleaned like Go's `filepath.Clean` (`path.normalize`, trailing `/`
//!   removed) and lose one leading `/`; `!` negates.
//! - Each rule becomes a JavaScript regular expression, matched
//!   **case-insensitively** (`ignorecase` defaults to true): `*` is `[^/]*`,
//!   `?` one character but `/`, `**` any number of directories, `**` at the end
//!   anything, `.` and `$` literal, `\x` the regex escape `\x`, a trailing `\`
//!   escapes the final `$` anchor (so `foo\` matches `foo$` and `foo$bar`), and
//!   every other character — `[`, `]`, `(`, `)`, `{`, `}`, `+`, `|`, `^` — is
//!   regex syntax. We translate that JavaScript regex to the `regex` crate.
//! - A path is matched by a rule when the rule matches it or (when it does not
//!   and the path has a parent) the leading directories of its parent: as many
//!   as the rule has segments, or every prefix long enough when the rule has `**`.
//!   The last matching rule decides.
//! - The empty path is always ignored, and a path equal to the name of a property
//!   of `Object.prototype` (`constructor`, `toString`, `__proto__`, …) never is:
//!   the library's result cache is a plain object, so `path in cache` finds them.
//! - `DockerIgnoreStrategy.completelyIgnores(dir)` (whether the walk may skip a
//!   directory) is "ignored by the patterns, and also by the patterns plus, for
//!   every `!a/b/c`, the extra rules `!a/b` and `!a`": a directory under which a
//!   negated pattern could re-include something is still walked.
//!
//! Known differences, all in corners a `.dockerignore` hardly reaches: case
//! folding is Unicode simple case folding (JavaScript's non-unicode `/i` keeps
//! `ſ`, the Kelvin sign and `ß`/`ẞ` apart from their ASCII look-alikes); `?` and
//! `[^…]` take a whole character where JavaScript takes one UTF-16 unit (an
//! astral character is two); and regex features with no `regex` crate
//! equivalent (lookaround, backreferences, `\b`) are rejected with
//! [`AssetError::InvalidPattern`] rather than applied.

use regex::Regex;

use super::error::AssetError;
use super::nodepath;

/// JavaScript's `WhiteSpace` and `LineTerminator` (what `trim` and `\s` take).
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// JavaScript's `String.prototype.trim`.
fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

/// The library's `cleanPath`: `path.normalize`, then a trailing `/` removed
/// unless it is the only character.
fn clean_path(p: &str) -> String {
    let mut out = nodepath::normalize(p);
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// The own properties of `Object.prototype` in Node 20: `path in this._cache`
/// is true for them, so the library returns the inherited value (truthy) and
/// calls the path kept.
const OBJECT_PROTOTYPE_KEYS: [&str; 12] = [
    "constructor",
    "__defineGetter__",
    "__defineSetter__",
    "hasOwnProperty",
    "__lookupGetter__",
    "__lookupSetter__",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toString",
    "valueOf",
    "__proto__",
    "toLocaleString",
];

/// One compiled rule (`_createRule` + `_compile`).
#[derive(Debug)]
struct Rule {
    regex: Regex,
    /// `rule.dirs.length`.
    segments: usize,
    /// `rule.dirs.filter(x => x !== '**').length`, when `dirs` holds `**`.
    double_star: Option<usize>,
    negative: bool,
}

/// A list of dockerignore rules (`@balena/dockerignore`'s `IgnoreBase`).
#[derive(Debug, Default)]
pub(crate) struct DockerIgnore {
    rules: Vec<Rule>,
}

impl DockerIgnore {
    /// `add(pattern)`: a string is split into lines at `\r?\n`; comments and
    /// blank lines are dropped.
    pub(crate) fn add(&mut self, pattern: &str) -> Result<(), AssetError> {
        let mut lines: Vec<&str> = pattern.split('\n').collect();
        let last = lines.len() - 1;
        for line in &mut lines[..last] {
            *line = line.strip_suffix('\r').unwrap_or(line);
        }
        for line in lines {
            if line.is_empty() || line.starts_with('#') || js_trim(line).is_empty() {
                continue;
            }
            if let Some(rule) = create_rule(js_trim(line))? {
                self.rules.push(rule);
            }
        }
        Ok(())
    }

    /// `ignores(path)` for a `/`-separated path relative to the root.
    pub(crate) fn ignores(&self, path: &str) -> bool {
        if path.is_empty() {
            return true;
        }
        if OBJECT_PROTOTYPE_KEYS.contains(&path) {
            return false;
        }
        let parent = clean_path(nodepath::dirname(path));
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for rule in &self.rules {
            let mut hit = rule.regex.is_match(path);
            if !hit && parent != "." {
                if let Some(fixed) = rule.double_star {
                    for i in fixed..=parent_dirs.len() {
                        hit = hit || rule.regex.is_match(&parent_dirs[..i].join("/"));
                    }
                } else if rule.segments <= parent_dirs.len() {
                    hit = rule.regex.is_match(&parent_dirs[..rule.segments].join("/"));
                }
            }
            if hit {
                matched = !rule.negative;
            }
        }
        matched
    }
}

/// `_createRule(pattern)` for a trimmed pattern; `None` when it is dropped.
fn create_rule(pattern: &str) -> Result<Option<Rule>, AssetError> {
    let origin = pattern;
    let mut negative = false;
    let mut p = pattern.to_owned();
    if let Some(rest) = p.strip_prefix('!') {
        negative = true;
        p = js_trim(rest).to_owned();
    }
    if !p.is_empty() {
        p = clean_path(&p);
        if p.len() > 1 && p.starts_with('/') {
            p.remove(0);
        }
    }
    if negative {
        p.insert(0, '!');
    }
    let p = js_trim(&p);
    if p.is_empty() {
        return Ok(None);
    }
    let mut p = clean_path(p);
    if let Some(rest) = p.strip_prefix('!') {
        if rest.is_empty() {
            return Ok(None);
        }
        negative = true;
        p = rest.to_owned();
    } else {
        negative = false;
    }
    let dirs: Vec<&str> = p.split('/').collect();
    let double_star = dirs
        .contains(&"**")
        .then(|| dirs.iter().filter(|d| **d != "**").count());
    let source = js_regex_source(&p);
    let translated = js_regex_to_rust(&source).map_err(|reason| AssetError::InvalidPattern {
        pattern: origin.to_owned(),
        reason,
    })?;
    let regex = Regex::new(&translated).map_err(|e| AssetError::InvalidPattern {
        pattern: origin.to_owned(),
        reason: e.to_string(),
    })?;
    Ok(Some(Rule {
        regex,
        segments: dirs.len(),
        double_star,
        negative,
    }))
}

/// `_compile`: the JavaScript regex source the library builds for a pattern.
fn js_regex_source(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::from("^");
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 1;
                if chars.get(i + 1) == Some(&'/') {
                    i += 1;
                }
                if i + 1 >= chars.len() {
                    out.push_str(".*");
                } else {
                    out.push_str("(.*/)?");
                }
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            c @ ('.' | '$') => {
                out.push('\\');
                out.push(c);
            }
            '\\' => {
                out.push('\\');
                if let Some(&next) = chars.get(i + 1) {
                    out.push(next);
                    i += 1;
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    out.push('$');
    out
}

/// JavaScript's `.`: anything but a line terminator.
const JS_DOT: &str = r"[^\n\r\x{2028}\x{2029}]";
/// The members of JavaScript's `\s`, as the inside of a `regex` class.
const JS_SPACE_MEMBERS: &str = r"\t\n\x0B\x0C\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

/// A literal character as a `regex` atom.
fn literal(c: char) -> String {
    format!("\\x{{{:X}}}", u32::from(c))
}

/// The class escapes `\d \D \w \W \s \S` as `regex` classes (JavaScript's are ASCII,
/// except `\s`).
fn class_escape(c: char) -> Option<String> {
    Some(match c {
        'd' => "[0-9]".to_owned(),
        'D' => "[^0-9]".to_owned(),
        'w' => "[0-9A-Za-z_]".to_owned(),
        'W' => "[^0-9A-Za-z_]".to_owned(),
        's' => format!("[{JS_SPACE_MEMBERS}]"),
        'S' => format!("[^{JS_SPACE_MEMBERS}]"),
        _ => return None,
    })
}

/// Reads `count` hex digits at `chars[at..]`.
fn hex_at(chars: &[char], at: usize, count: usize) -> Option<u32> {
    let digits: String = chars.get(at..at + count)?.iter().collect();
    if digits.chars().all(|c| c.is_ascii_hexdigit()) {
        u32::from_str_radix(&digits, 16).ok()
    } else {
        None
    }
}

/// A character escape (`\n`, `\x41`, `\u0041`, `\cJ`, `\0`, identity) at
/// `chars[*i]` (the character after `\`), as the character it stands for;
/// advances `*i` past what it consumed beyond that character.
fn char_escape(chars: &[char], i: &mut usize, in_class: bool) -> Result<char, String> {
    let c = chars[*i];
    let simple = match c {
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{0B}'),
        'f' => Some('\u{0C}'),
        'b' if in_class => Some('\u{08}'),
        '0' if !chars.get(*i + 1).is_some_and(char::is_ascii_digit) => Some('\0'),
        _ => None,
    };
    if let Some(s) = simple {
        return Ok(s);
    }
    match c {
        'b' | 'B' => Err("word boundaries (`\\b`) are not supported".to_owned()),
        '0'..='9' => Err("backreferences and octal escapes are not supported".to_owned()),
        'c' => match chars.get(*i + 1) {
            Some(l) if l.is_ascii_alphabetic() => {
                *i += 1;
                Ok(char::from(u8::try_from(u32::from(*l) % 32).unwrap_or(0)))
            }
            _ => Err("`\\c` without a control letter is not supported".to_owned()),
        },
        'x' | 'u' => {
            let count = if c == 'x' { 2 } else { 4 };
            match hex_at(chars, *i + 1, count) {
                Some(code) => {
                    *i += count;
                    char::from_u32(code)
                        .ok_or_else(|| "escapes of UTF-16 surrogates are not supported".to_owned())
                }
                None => Ok(c),
            }
        }
        other => Ok(other),
    }
}

/// Translates the JavaScript (non-unicode, `i` flag) regex `source` to the
/// `regex` crate's syntax.
fn js_regex_to_rust(source: &str) -> Result<String, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::from("(?i)");
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                i += 1;
                if i >= chars.len() {
                    return Err("`\\` at the end of the pattern".to_owned());
                }
                match class_escape(chars[i]) {
                    Some(class) => out.push_str(&class),
                    None => out.push_str(&literal(char_escape(&chars, &mut i, false)?)),
                }
            }
            '[' => {
                i += 1;
                let negated = chars.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut members = String::new();
                let mut empty = true;
                loop {
                    let Some(&m) = chars.get(i) else {
                        return Err("a `[` without its `]`".to_owned());
                    };
                    if m == ']' {
                        break;
                    }
                    empty = false;
                    // One member: a class escape or a character, maybe a range.
                    let start = if m == '\\' {
                        i += 1;
                        let Some(&e) = chars.get(i) else {
                            return Err("a `[` without its `]`".to_owned());
                        };
                        match class_escape(e) {
                            Some(class) => {
                                members.push_str(&class);
                                i += 1;
                                continue;
                            }
                            None => char_escape(&chars, &mut i, true)?,
                        }
                    } else {
                        m
                    };
                    i += 1;
                    let range_end = match (chars.get(i), chars.get(i + 1)) {
                        (Some('-'), Some(&e)) if e != ']' => {
                            if e == '\\' {
                                let mut j = i + 2;
                                match chars.get(j) {
                                    Some(&x) if class_escape(x).is_none() => {
                                        let end = char_escape(&chars, &mut j, true)?;
                                        i = j + 1;
                                        Some(end)
                                    }
                                    _ => None,
                                }
                            } else {
                                i += 2;
                                Some(e)
                            }
                        }
                        _ => None,
                    };
                    match range_end {
                        Some(end) if end < start => {
                            return Err("a class range out of order".to_owned());
                        }
                        Some(end) => {
                            members.push_str(&literal(start));
                            members.push('-');
                            members.push_str(&literal(end));
                        }
                        None => members.push_str(&literal(start)),
                    }
                }
                match (empty, negated) {
                    // `[]` matches nothing, `[^]` any character.
                    (true, false) => out.push_str(r"[^\x{0}-\x{10FFFF}]"),
                    (true, true) => out.push_str(r"[\x{0}-\x{10FFFF}]"),
                    (false, neg) => {
                        out.push('[');
                        if neg {
                            out.push('^');
                        }
                        out.push_str(&members);
                        out.push(']');
                    }
                }
            }
            '.' => out.push_str(JS_DOT),
            '^' | '$' | '|' | ')' | '*' | '+' | '?' => out.push(c),
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    if chars.get(i + 2) == Some(&':') {
                        out.push_str("(?:");
                        i += 2;
                    } else {
                        return Err("lookaround and named groups are not supported".to_owned());
                    }
                } else {
                    out.push('(');
                }
            }
            '{' => {
                // A quantifier `{n}`, `{n,}` or `{n,m}`; else a literal brace (Annex B).
                let rest: String = chars[i..].iter().collect();
                let quantifier = rest.find('}').map(|end| &rest[..=end]).filter(|q| {
                    let inner = &q[1..q.len() - 1];
                    let mut parts = inner.splitn(2, ',');
                    let lo = parts.next().unwrap_or("");
                    let hi = parts.next();
                    !lo.is_empty()
                        && lo.chars().all(|d| d.is_ascii_digit())
                        && hi.is_none_or(|h| h.chars().all(|d| d.is_ascii_digit()))
                });
                match quantifier {
                    Some(q) => {
                        out.push_str(q);
                        i += q.chars().count() - 1;
                    }
                    None => out.push_str(&literal('{')),
                }
            }
            other => out.push_str(&literal(other)),
        }
        i += 1;
    }
    Ok(out)
}

/// The CDK's `DockerIgnoreStrategy` (`core/lib/fs/ignore.js`).
#[derive(Debug, Default)]
pub(crate) struct DockerIgnoreStrategy {
    ignore: DockerIgnore,
    complete: DockerIgnore,
}

impl DockerIgnoreStrategy {
    /// The strategy for these exclude patterns, in order.
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Result<Self, AssetError> {
        let mut strategy = Self::default();
        for pattern in patterns {
            strategy.add(pattern)?;
        }
        Ok(strategy)
    }

    /// `add`: the pattern joins both lists; a negated one also adds, to the
    /// "complete" list, the negation of each of its parent directories
    /// (`completelyAdd`, with its regex `^\s*(\!|\/\!)(.*)`).
    fn add(&mut self, pattern: &str) -> Result<(), AssetError> {
        self.ignore.add(pattern)?;
        self.complete.add(pattern)?;
        let rest = pattern.trim_start_matches(is_js_space);
        let (prefix, tail) = if let Some(tail) = rest.strip_prefix('!') {
            ("!", tail)
        } else if let Some(tail) = rest.strip_prefix("/!") {
            ("/!", tail)
        } else {
            return Ok(());
        };
        // `(.*)` stops at the first line terminator.
        let captured = tail
            .split(['\n', '\r', '\u{2028}', '\u{2029}'])
            .next()
            .unwrap_or("");
        let mut dir = captured.to_owned();
        loop {
            dir = nodepath::dirname(&dir).to_owned();
            if dir == "/" || dir == "." {
                break;
            }
            self.complete.add(&format!("{prefix}{dir}"))?;
        }
        Ok(())
    }

    /// Whether the file or symlink at `rel` (relative, `/`-separated) is left out.
    pub(crate) fn ignores(&self, rel: &str) -> bool {
        self.ignore.ignores(rel)
    }

    /// Whether the walk skips the directory at `rel` with all it holds.
    pub(crate) fn completely_ignores(&self, rel: &str) -> bool {
        self.ignore.ignores(rel) && self.complete.ignores(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(patterns: &[&str]) -> DockerIgnore {
        let mut d = DockerIgnore::default();
        for p in patterns {
            d.add(p).unwrap();
        }
        d
    }

    #[test]
    fn star_matches_within_one_segment() {
        let d = ignore(&["*.log"]);
        assert!(d.ignores("a.log"));
        assert!(!d.ignores("sub/a.log"));
        assert!(!d.ignores("a.txt"));
    }

    #[test]
    fn double_star_matches_any_depth() {
        let d = ignore(&["**/*.log"]);
        assert!(d.ignores("a.log"));
        assert!(d.ignores("x/y/a.log"));
        assert!(!d.ignores("x/y/a.txt"));
        let d = ignore(&["a/**"]);
        assert!(d.ignores("a/b/c"));
        assert!(!d.ignores("b/c"));
    }

    #[test]
    fn question_mark_is_one_character_but_not_slash() {
        let d = ignore(&["a?c"]);
        assert!(d.ignores("abc"));
        assert!(!d.ignores("a/c"));
        assert!(!d.ignores("abbc"));
    }

    #[test]
    fn negation_and_last_match_wins() {
        let d = ignore(&["*.md", "!README.md"]);
        assert!(d.ignores("x.md"));
        assert!(!d.ignores("README.md"));
        let d = ignore(&["!README.md", "*.md"]);
        assert!(d.ignores("README.md"));
    }

    #[test]
    fn comments_blank_lines_and_crlf() {
        let d = ignore(&["# a\r\n\r\n   \r\nb\r\n  # c"]);
        assert!(!d.ignores("# a"));
        assert!(d.ignores("b"));
        // Only a `#` in the first column starts a comment.
        assert!(d.ignores("# c"));
    }

    #[test]
    fn leading_slash_trailing_slash_and_dot_slash_are_cleaned() {
        let d = ignore(&["/a", "b/", "./c", "d/../e"]);
        assert!(d.ignores("a"));
        assert!(d.ignores("b"));
        assert!(d.ignores("b/x"));
        assert!(d.ignores("c"));
        assert!(d.ignores("e"));
        assert!(!d.ignores("d"));
    }

    #[test]
    fn an_excluded_directory_excludes_its_children() {
        let d = ignore(&["build"]);
        assert!(d.ignores("build/x/y.o"));
        assert!(!d.ignores("src/build"));
        let d = ignore(&["build", "!build/keep.txt"]);
        assert!(d.ignores("build/x.o"));
        assert!(!d.ignores("build/keep.txt"));
    }

    #[test]
    fn matching_is_case_insensitive() {
        let d = ignore(&["Foo*"]);
        assert!(d.ignores("fOO.txt"));
    }

    #[test]
    fn regex_syntax_and_escapes() {
        let d = ignore(&["[ab]x", r"q\*", "foo\\", "a+b"]);
        assert!(d.ignores("ax"));
        assert!(!d.ignores("cx"));
        assert!(d.ignores("q*"));
        assert!(!d.ignores("qq"));
        // A trailing backslash escapes the `$` anchor.
        assert!(d.ignores("foo$"));
        assert!(d.ignores("foo$bar"));
        assert!(!d.ignores("foo"));
        // `+` is a regex quantifier.
        assert!(d.ignores("aab"));
    }

    #[test]
    fn object_prototype_names_are_never_ignored_and_empty_always() {
        let d = ignore(&["*"]);
        assert!(!d.ignores("constructor"));
        assert!(!d.ignores("__proto__"));
        assert!(d.ignores("sub/constructor"));
        assert!(d.ignores(""));
    }

    #[test]
    fn invalid_regex_is_an_error() {
        let mut d = DockerIgnore::default();
        assert!(matches!(
            d.add("a(b"),
            Err(AssetError::InvalidPattern { pattern, .. }) if pattern == "a(b"
        ));
    }

    #[test]
    fn completely_ignores_keeps_parents_of_negated_patterns() {
        let s = DockerIgnoreStrategy::new(["a", "!a/b/c.txt", "z"]).unwrap();
        assert!(s.ignores("a"));
        assert!(!s.completely_ignores("a"));
        assert!(!s.completely_ignores("a/b"));
        assert!(s.ignores("a/x"));
        assert!(!s.ignores("a/b/c.txt"));
        assert!(s.completely_ignores("z"));
    }
}
