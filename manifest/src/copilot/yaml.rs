//! Copilot manifests as YAML trees: reading one file, merging an
//! `environments.<env>` override onto its base the way Copilot does,
//! `${VAR}` interpolation, and [`Doc`], a reader of the merged tree that
//! remembers which fields it used so that the rest become notes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_norway::{Mapping, Value};

use super::Note;
use crate::error::{Error, Place};
use crate::locate::{FieldPath, Location, locate};
use crate::read::Format;

/// A Copilot manifest file as read.
#[derive(Debug, Clone)]
pub(super) struct File {
    /// The file, relative to the workspace (`copilot/api/manifest.yml`).
    pub rel: PathBuf,
    /// The file as errors name it (the workspace joined with `rel`).
    pub shown: String,
    /// The text.
    pub text: String,
    /// The document.
    pub root: Mapping,
}

impl File {
    /// Reads and parses `workspace/rel`.
    pub fn read(workspace: &Path, rel: &Path) -> Result<Self, Error> {
        let full = workspace.join(rel);
        let text = std::fs::read_to_string(&full).map_err(|source| Error::Io {
            file: full.clone(),
            source,
        })?;
        let shown = full.display().to_string();
        let value: Value = serde_norway::from_str(&text).map_err(|e| Error::Parse {
            at: Place {
                file: shown.clone(),
                location: e.location().map(|l| Location {
                    line: l.line(),
                    column: l.column(),
                }),
                path: FieldPath::default(),
            },
            message: format!(
                "not a well-formed Copilot manifest: {}",
                bare(&e.to_string())
            ),
        })?;
        let root = match value {
            Value::Mapping(map) => map,
            Value::Null => Mapping::new(),
            _ => {
                return Err(Error::Parse {
                    at: Place {
                        file: shown,
                        location: Some(Location { line: 1, column: 1 }),
                        path: FieldPath::default(),
                    },
                    message: "a Copilot manifest is a mapping of fields (`name:`, `type:`, …)"
                        .to_owned(),
                });
            }
        };
        Ok(Self {
            rel: rel.to_owned(),
            shown,
            text,
            root,
        })
    }

    /// An error about the field at `path` (dotted) of this file.
    pub fn invalid(&self, path: &str, message: impl Into<String>) -> Error {
        let path = field_path(path);
        Error::Invalid {
            at: Place {
                file: self.shown.clone(),
                location: locate(Format::Yaml, &self.text, &path),
                path,
            },
            message: message.into(),
        }
    }

    /// A top-level string field.
    pub fn top_str(&self, key: &str) -> Option<&str> {
        self.root.get(key).and_then(Value::as_str)
    }
}

/// serde_norway's message without its location suffix.
fn bare(message: &str) -> String {
    match message.find(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message.to_owned(),
    }
}

/// `a.b.c` as a [`FieldPath`].
pub(super) fn field_path(dotted: &str) -> FieldPath {
    let mut path = FieldPath::default();
    for key in dotted.split('.').filter(|k| !k.is_empty()) {
        path = path.key(key);
    }
    path
}

/// Merges `over` onto `base` as Copilot's `applyEnv` does (mergo with
/// override and Copilot's transformers): mappings merge per key, anything
/// else (scalars, sequences, a mapping over a scalar and the reverse)
/// replaces, and null never overrides. `path` is where `base` sits.
pub(super) fn merge(base: &mut Value, over: &Value, path: &str) {
    match (base, over) {
        (_, Value::Null) => {}
        (Value::Mapping(b), Value::Mapping(o)) => {
            clear_other_forms(b, o, path);
            for (key, value) in o {
                let Some(name) = key.as_str() else {
                    b.insert(key.clone(), value.clone());
                    continue;
                };
                let child = join(path, name);
                // Struct-valued maps: an entry replaces the base's whole.
                if matches!(path, "variables" | "secrets")
                    || path.ends_with(".variables")
                    || path.ends_with(".secrets")
                {
                    if !value.is_null() {
                        b.insert(key.clone(), value.clone());
                    }
                    continue;
                }
                match b.get_mut(name) {
                    Some(existing) => merge(existing, value, &child),
                    None if value.is_null() => {}
                    None => {
                        b.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// Copilot's either/or fields whose two forms are separate keys of one
/// mapping: setting one in the override clears the other in the base.
fn clear_other_forms(base: &mut Mapping, over: &Mapping, path: &str) {
    let has = |key: &str| over.get(key).is_some_and(|v| !v.is_null());
    let remove = |base: &mut Mapping, keys: &[&str]| {
        for key in keys {
            base.remove(*key);
        }
    };
    const SCALING: [&str; 6] = [
        "range",
        "cpu_percentage",
        "memory_percentage",
        "requests",
        "response_time",
        "queue_delay",
    ];
    match path {
        "image" => {
            if has("build") {
                remove(base, &["location"]);
            }
            if has("location") {
                remove(base, &["build"]);
            }
        }
        "count" => {
            if has("spot") {
                remove(base, &SCALING);
            }
            if SCALING.iter().any(|k| has(k)) {
                remove(base, &["spot"]);
            }
        }
        _ if path.ends_with(".efs") => {
            if has("uid") || has("gid") {
                remove(base, &["id", "root_dir", "auth"]);
            }
            if has("id") || has("root_dir") || has("auth") {
                remove(base, &["uid", "gid"]);
            }
        }
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Replaces `${COPILOT_APPLICATION_NAME}` and `${COPILOT_ENVIRONMENT_NAME}`
/// in every string value (not keys), and `\${X}` by `${X}`, as Copilot's
/// interpolation does. Other `${X}` come from the shell that runs `copilot
/// deploy`: they are kept as written, and their paths returned.
pub(super) fn interpolate(value: &mut Value, app: &str, env: &str, path: &str) -> Vec<String> {
    let mut kept = Vec::new();
    walk_interpolate(value, app, env, path, &mut kept);
    kept
}

fn walk_interpolate(value: &mut Value, app: &str, env: &str, path: &str, kept: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            let (out, other) = substitute(text, app, env);
            *text = out;
            if other {
                kept.push(path.to_owned());
            }
        }
        Value::Sequence(items) => {
            for item in items.iter_mut() {
                walk_interpolate(item, app, env, path, kept);
            }
        }
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                let child_path = join(path, key.as_str().unwrap_or("?"));
                walk_interpolate(child, app, env, &child_path, kept);
            }
        }
        Value::Tagged(tagged) => walk_interpolate(&mut tagged.value, app, env, path, kept),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The text with the predefined variables substituted, and whether it
/// names others.
fn substitute(text: &str, app: &str, env: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut other = false;
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let escaped = rest[..start].ends_with('\\');
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 2..start + len];
        if escaped {
            out.push_str(&rest[..start - 1]);
            out.push_str(&rest[start..=start + len]);
        } else {
            out.push_str(&rest[..start]);
            match name {
                "COPILOT_APPLICATION_NAME" => out.push_str(app),
                "COPILOT_ENVIRONMENT_NAME" => out.push_str(env),
                _ => {
                    other = true;
                    out.push_str(&rest[start..=start + len]);
                }
            }
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    (out, other)
}

/// A reader of one merged workload (or environment) tree: typed getters
/// that name the field in their errors, notes, and a record of the fields
/// read so that [`Doc::leftovers`] can note the rest.
pub(super) struct Doc<'a> {
    pub file: &'a File,
    pub env: Option<&'a str>,
    pub root: Value,
    touched: BTreeSet<String>,
    consumed: BTreeSet<String>,
    pub notes: Vec<Note>,
}

impl<'a> Doc<'a> {
    pub fn new(file: &'a File, env: Option<&'a str>, root: Value) -> Self {
        Self {
            file,
            env,
            root,
            touched: BTreeSet::new(),
            consumed: BTreeSet::new(),
            notes: Vec::new(),
        }
    }

    /// The value at a dotted path, marking it (and its parents) as read.
    pub fn get(&mut self, path: &str) -> Option<Value> {
        self.touch(path);
        let mut node = &self.root;
        for key in path.split('.') {
            node = node.as_mapping()?.get(key)?;
        }
        if node.is_null() {
            None
        } else {
            Some(node.clone())
        }
    }

    /// Whether the path holds a value (without marking it read).
    pub fn has(&self, path: &str) -> bool {
        let mut node = &self.root;
        for key in path.split('.') {
            match node.as_mapping().and_then(|m| m.get(key)) {
                Some(next) => node = next,
                None => return false,
            }
        }
        !node.is_null()
    }

    /// Marks a path (and its parents) as read.
    pub fn touch(&mut self, path: &str) {
        let mut prefix = String::new();
        for key in path.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(key);
            self.touched.insert(prefix.clone());
        }
    }

    /// Marks a path as read with everything under it.
    pub fn consume(&mut self, path: &str) {
        self.touch(path);
        self.consumed.insert(path.to_owned());
    }

    /// Records that the field at `path` is not converted, and why.
    pub fn note(&mut self, path: &str, reason: impl Into<String>) {
        self.consume(path);
        self.notes.push(Note {
            file: self.file.rel.clone(),
            field: path.to_owned(),
            environment: self.env.map(str::to_owned),
            reason: reason.into(),
        });
    }

    /// Notes the field when it is set.
    pub fn note_if_set(&mut self, path: &str, reason: impl Into<String>) {
        if self.has(path) {
            self.note(path, reason);
        }
    }

    /// An error at `path`, located in the override when it comes from one.
    pub fn invalid(&self, path: &str, message: impl Into<String>) -> Error {
        let message = message.into();
        if let Some(env) = self.env {
            let over = format!("environments.{env}.{path}");
            let mut node = Some(&Value::Mapping(self.file.root.clone()));
            for key in over.split('.') {
                node = node.and_then(|n| n.as_mapping()).and_then(|m| m.get(key));
            }
            if node.is_some() {
                return self.file.invalid(&over, message);
            }
        }
        self.file.invalid(path, message)
    }

    /// A string (numbers and booleans written as text).
    pub fn str(&mut self, path: &str) -> Result<Option<String>, Error> {
        match self.get(path) {
            None => Ok(None),
            Some(value) => scalar_text(&value)
                .map(Some)
                .ok_or_else(|| self.invalid(path, "expected a string")),
        }
    }

    /// A whole number that fits `u32`.
    pub fn u32(&mut self, path: &str) -> Result<Option<u32>, Error> {
        match self.get(path) {
            None => Ok(None),
            Some(value) => as_u32(&value)
                .map(Some)
                .ok_or_else(|| self.invalid(path, "expected a whole number, such as 2")),
        }
    }

    /// A boolean.
    pub fn bool(&mut self, path: &str) -> Result<Option<bool>, Error> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(self.invalid(path, "expected true or false")),
        }
    }

    /// A Go duration (`30s`, `1h30m`, `500ms`).
    pub fn duration(&mut self, path: &str) -> Result<Option<std::time::Duration>, Error> {
        match self.get(path) {
            None => Ok(None),
            Some(value) => {
                let text = scalar_text(&value).unwrap_or_default();
                super::schedule::go_duration(&text)
                    .map(Some)
                    .map_err(|e| self.invalid(path, format!("{text:?} is not a duration: {e}")))
            }
        }
    }

    /// A mapping.
    pub fn map(&mut self, path: &str) -> Result<Option<Mapping>, Error> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::Mapping(map)) => Ok(Some(map)),
            Some(_) => Err(self.invalid(path, "expected a mapping of fields")),
        }
    }

    /// A mapping whose entries the caller reads itself (marked read whole).
    pub fn entries(&mut self, path: &str) -> Result<Option<Mapping>, Error> {
        let map = self.map(path)?;
        self.consumed.insert(path.to_owned());
        Ok(map)
    }

    /// A list of strings, or a string split with shell rules.
    pub fn words(&mut self, path: &str) -> Result<Option<Vec<String>>, Error> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::Sequence(items)) => items
                .iter()
                .map(scalar_text)
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| self.invalid(path, "expected a list of strings")),
            Some(value) => {
                let text = scalar_text(&value)
                    .ok_or_else(|| self.invalid(path, "expected a string or a list of strings"))?;
                super::schedule::shell_split(&text)
                    .map(Some)
                    .map_err(|e| self.invalid(path, e))
            }
        }
    }

    /// Notes every field of the tree that no getter read, at the highest
    /// level nothing under it was read.
    pub fn leftovers(&mut self, reason: &str) {
        let mut unread = Vec::new();
        if let Value::Mapping(map) = &self.root {
            collect_unread(map, "", &self.touched, &self.consumed, &mut unread);
        }
        for path in unread {
            self.note(&path, reason);
        }
    }
}

fn collect_unread(
    map: &Mapping,
    path: &str,
    touched: &BTreeSet<String>,
    consumed: &BTreeSet<String>,
    out: &mut Vec<String>,
) {
    for (key, value) in map {
        let Some(name) = key.as_str() else { continue };
        if value.is_null() {
            continue;
        }
        let child = join(path, name);
        if consumed.contains(&child) {
            continue;
        }
        if !touched.contains(&child) {
            out.push(child);
        } else if let Value::Mapping(inner) = value {
            collect_unread(inner, &child, touched, consumed, out);
        }
    }
}

/// A scalar as text: strings as they are, numbers and booleans printed.
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A whole number that fits `u32`, written as a number or as text.
pub(super) fn as_u32(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
