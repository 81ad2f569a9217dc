//! The registry-schema oracle shared by `schemas.rs` (every example) and
//! `hostile.rs` (randomized apps): each resource of a template validated
//! against its raw CloudFormation registry schema (the copies vendored in
//! `constructs/codegen/schemas/`) by the `jsonschema` crate, not by our
//! generated code.
//!
//! Intrinsics are replaced by placeholders of the type they yield: a list for
//! `Fn::GetAZs`, `Fn::Split`, `Fn::Cidr`, a `List<…>` parameter or a list
//! attribute; otherwise a value of the type the schema expects there. `Fn::If`
//! is validated once with every `then` branch and once with every `else`
//! branch; `AWS::NoValue` removes the property. Constraints other than `type`
//! on a placeholder (pattern, enum, length, …) say nothing about the real
//! value and are ignored. A resource type without a vendored schema is a
//! failure, not a skip.
#![allow(dead_code, reason = "each test target uses part of the oracle")]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

pub(crate) fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../constructs/codegen/schemas")
}

/// The schema file of a type: the vendored L1 schemas, and for every
/// `Custom::*` type the schema of `AWS::CloudFormation::CustomResource`
/// (kept with the test data: it is not an L1 type).
pub(crate) fn schema_path(type_name: &str) -> PathBuf {
    if type_name.starts_with("Custom::") {
        return Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/aws-cloudformation-customresource.json");
    }
    schemas_dir().join(format!(
        "{}.json",
        type_name.to_ascii_lowercase().replace("::", "-")
    ))
}

/// Raw schemas and their compiled validators, by type name.
#[derive(Default)]
pub(crate) struct Schemas {
    loaded: HashMap<String, Option<(Value, jsonschema::Validator)>>,
}

impl Schemas {
    #[allow(
        clippy::panic,
        reason = "a test helper: a schema that does not compile fails the test"
    )]
    pub(crate) fn get(
        &mut self,
        type_name: &str,
    ) -> Result<&(Value, jsonschema::Validator), String> {
        let entry = self.loaded.entry(type_name.to_owned()).or_insert_with(|| {
            let text = std::fs::read_to_string(schema_path(type_name)).ok()?;
            let raw: Value = serde_json::from_str(&text).ok()?;
            let mut ecma = ecma_patterns(raw.clone());
            // A pattern that is not an ECMA-262 regex at all (AWS::EFS::AccessPoint's
            // quantified lookahead `(?!\.)+`) cannot be checked by this oracle
            // either: drop it, and only it, and say so.
            for _ in 0..8 {
                match jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft7)
                    .build(&ecma)
                {
                    Ok(validator) => return Some((raw, validator)),
                    Err(e) if e.kind().keyword() == "format" => {
                        let bad = e.instance().clone().into_owned();
                        eprintln!("{type_name}: pattern {bad} is not ECMA-262; not checked");
                        drop_pattern(&mut ecma, &bad);
                    }
                    Err(e) => panic!("the schema of {type_name} does not compile: {e}"),
                }
            }
            panic!("the schema of {type_name} does not compile");
        });
        entry.as_ref().ok_or_else(|| {
            format!(
                "no vendored schema for {type_name}; add it to constructs/codegen/schemas/resources.txt \
                 and run constructs/codegen/refresh-schemas.sh"
            )
        })
    }
}

/// cfn-lint's copies of a few schemas end patterns with Python's `\Z` (end
/// of input), which ECMA-262 regexes, and so `jsonschema`, reject; `$` means
/// the same for these single-line values.
pub(crate) fn ecma_patterns(mut schema: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    match child {
                        Value::String(p) if k == "pattern" => *p = p.replace("\\Z", "$"),
                        other => walk(other),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut schema);
    schema
}

fn drop_pattern(v: &mut Value, bad: &Value) {
    match v {
        Value::Object(map) => {
            map.retain(|k, child| !(k == "pattern" && child == bad));
            map.values_mut().for_each(|c| drop_pattern(c, bad));
        }
        Value::Array(items) => items.iter_mut().for_each(|c| drop_pattern(c, bad)),
        _ => {}
    }
}

/// What the rest of the template tells about the values of intrinsics.
struct Template<'t> {
    /// Logical ID → resource type.
    resources: HashMap<&'t str, &'t str>,
    /// Parameters whose value is a list.
    list_parameters: Vec<&'t str>,
}

/// Follows `$ref`s to `#/definitions/…` of `root`.
fn deref<'s>(root: &'s Value, mut node: &'s Value) -> &'s Value {
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => match r
                .strip_prefix("#/definitions/")
                .and_then(|name| root.get("definitions")?.get(name))
            {
                Some(def) => node = def,
                None => return node,
            },
            None => return node,
        }
    }
    node
}

/// The schema of property `key` of an object described by `node`.
fn child<'s>(root: &'s Value, node: &'s Value, key: &str) -> Option<&'s Value> {
    let node = deref(root, node);
    if let Some(p) = node.get("properties").and_then(|p| p.get(key)) {
        return Some(p);
    }
    if let Some(Value::Object(pp)) = node.get("patternProperties")
        && let Some(v) = pp.values().next()
    {
        return Some(v);
    }
    match node.get("additionalProperties") {
        Some(v @ Value::Object(_)) => Some(v),
        _ => None,
    }
}

fn items<'s>(root: &'s Value, node: &'s Value) -> Option<&'s Value> {
    deref(root, node).get("items")
}

/// The first type a node allows (`type` may be a list).
fn expected_type<'s>(root: &'s Value, node: Option<&'s Value>) -> &'s str {
    let Some(node) = node.map(|n| deref(root, n)) else {
        return "string";
    };
    match node.get("type") {
        Some(Value::String(t)) => t,
        Some(Value::Array(ts)) => ts.first().and_then(Value::as_str).unwrap_or("string"),
        _ if node.get("properties").is_some() => "object",
        _ => "string",
    }
}

struct Pass<'a, 't> {
    template: &'a Template<'t>,
    schemas: &'a mut Schemas,
    /// Take the `else` branch of every `Fn::If`.
    otherwise: bool,
    /// Where placeholders were put.
    placeholders: Vec<String>,
}

impl Pass<'_, '_> {
    /// `value` with intrinsics replaced; `None` when `AWS::NoValue` removes it.
    fn rewrite(
        &mut self,
        root: &Value,
        node: Option<&Value>,
        value: &Value,
        ptr: &str,
    ) -> Option<Value> {
        match value {
            Value::Object(map) if map.len() == 1 => {
                let (key, arg) = map.iter().next()?;
                if key == "Ref" || key.starts_with("Fn::") {
                    return self.intrinsic(root, node, key, arg, ptr);
                }
                Some(Value::Object(self.object(root, node, map, ptr)))
            }
            Value::Object(map) => Some(Value::Object(self.object(root, node, map, ptr))),
            Value::Array(list) => {
                let item = node.and_then(|n| items(root, n));
                let mut out = Vec::new();
                for (i, v) in list.iter().enumerate() {
                    if let Some(v) = self.rewrite(root, item, v, &format!("{ptr}/{i}")) {
                        out.push(v);
                    }
                }
                Some(Value::Array(out))
            }
            other => Some(other.clone()),
        }
    }

    fn object(
        &mut self,
        root: &Value,
        node: Option<&Value>,
        map: &Map<String, Value>,
        ptr: &str,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (k, v) in map {
            let sub = node.and_then(|n| child(root, n, k));
            let escaped = k.replace('~', "~0").replace('/', "~1");
            if let Some(v) = self.rewrite(root, sub, v, &format!("{ptr}/{escaped}")) {
                out.insert(k.clone(), v);
            }
        }
        out
    }

    fn intrinsic(
        &mut self,
        root: &Value,
        node: Option<&Value>,
        key: &str,
        arg: &Value,
        ptr: &str,
    ) -> Option<Value> {
        if key == "Ref" && arg == "AWS::NoValue" {
            return None;
        }
        if key == "Fn::If" {
            let branch = arg.get(if self.otherwise { 2 } else { 1 })?;
            return self.rewrite(root, node, branch, ptr);
        }
        let yields_list = match key {
            "Fn::GetAZs" | "Fn::Split" | "Fn::Cidr" => true,
            "Ref" => arg.as_str().is_some_and(|name| {
                name == "AWS::NotificationARNs" || self.template.list_parameters.contains(&name)
            }),
            "Fn::GetAtt" => self.list_attribute(arg),
            _ => false,
        };
        self.placeholders.push(ptr.to_owned());
        let placeholder = |ty: &str| match ty {
            "integer" | "number" => json!(1),
            "boolean" => json!(true),
            "object" => json!({}),
            "array" => json!([]),
            _ => json!(format!("placeholder{ptr}")),
        };
        if yields_list {
            let item = node.and_then(|n| items(root, n));
            Some(json!([placeholder(expected_type(root, item))]))
        } else {
            match expected_type(root, node) {
                // A scalar where a list is expected: keep it a scalar, so that
                // the schema's `type` reports it.
                "array" if !matches!(key, "Fn::Select" | "Fn::FindInMap" | "Fn::If") => {
                    Some(json!(format!("placeholder{ptr}")))
                }
                ty => Some(placeholder(ty)),
            }
        }
    }

    /// Whether `Fn::GetAtt` names an attribute whose schema type is an array.
    fn list_attribute(&mut self, arg: &Value) -> bool {
        let (logical_id, attr) = match arg {
            Value::Array(a) if a.len() == 2 => (a[0].as_str(), a[1].as_str()),
            Value::String(s) => match s.split_once('.') {
                Some((id, attr)) => (Some(id), Some(attr)),
                None => (None, None),
            },
            _ => (None, None),
        };
        let (Some(logical_id), Some(attr)) = (logical_id, attr) else {
            return false;
        };
        let Some(type_name) = self.template.resources.get(logical_id) else {
            return false;
        };
        let Ok((raw, _)) = self.schemas.get(type_name) else {
            return false;
        };
        let mut node = raw
            .get("properties")
            .and_then(|p| p.get(attr.split('.').next().unwrap_or(attr)));
        for seg in attr.split('.').skip(1) {
            node = node.and_then(|n| child(raw, n, seg));
        }
        expected_type(raw, node) == "array"
    }
}

#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
pub(crate) fn validate_template(
    name: &str,
    text: &str,
    schemas: &mut Schemas,
    violations: &mut Vec<String>,
) {
    let template: Value = serde_json::from_str(text).expect("templates are JSON");
    let resources = template
        .get("Resources")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let context = Template {
        resources: resources
            .iter()
            .filter_map(|(id, r)| Some((id.as_str(), r.get("Type")?.as_str()?)))
            .collect(),
        list_parameters: template
            .get("Parameters")
            .and_then(Value::as_object)
            .map(|ps| {
                ps.iter()
                    .filter(|(_, p)| {
                        p.get("Type")
                            .and_then(Value::as_str)
                            .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList")
                    })
                    .map(|(k, _)| k.as_str())
                    .collect()
            })
            .unwrap_or_default(),
    };
    for (logical_id, resource) in &resources {
        let type_name = resource
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or("<no Type>");
        let where_ = format!("{name} {logical_id} ({type_name})");
        let raw = match schemas.get(type_name) {
            Ok((raw, _)) => raw.clone(),
            Err(e) => {
                violations.push(format!("{where_}: {e}"));
                continue;
            }
        };
        let properties = resource
            .get("Properties")
            .cloned()
            .unwrap_or_else(|| json!({}));
        for otherwise in [false, true] {
            let mut pass = Pass {
                template: &context,
                schemas,
                otherwise,
                placeholders: Vec::new(),
            };
            let instance = pass
                .rewrite(&raw, Some(&raw), &properties, "")
                .unwrap_or_else(|| json!({}));
            let placeholders = pass.placeholders;
            let Ok((_, validator)) = schemas.get(type_name) else {
                continue;
            };
            for error in validator.iter_errors(&instance) {
                let at = error.instance_path().to_string();
                let keyword = error.kind().keyword();
                let on_placeholder = placeholders
                    .iter()
                    .any(|p| at == *p || at.starts_with(&format!("{p}/")));
                if on_placeholder && !(keyword == "type" && placeholders.contains(&at)) {
                    continue;
                }
                let branch = if otherwise { " (else branches)" } else { "" };
                let line =
                    format!("{where_}{branch}: /Properties{at}: {error} (schema rule `{keyword}`)");
                if !violations.contains(&line) {
                    violations.push(line);
                }
            }
        }
    }
}
