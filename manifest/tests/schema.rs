//! The committed JSON Schema (`manifest/ecscdk.schema.json`) is the one the
//! model generates, every example manifest validates against it, and every
//! field of it is described for editors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

use serde_json::Value;

fn committed() -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("ecscdk.schema.json");
    std::fs::read_to_string(file).unwrap_or_default()
}

#[test]
fn the_committed_schema_is_fresh() {
    let fresh = ecscdk_manifest::json_schema();
    assert!(
        committed() == fresh,
        "manifest/ecscdk.schema.json is stale; regenerate it with\n  cargo run -q -p ecscdk-manifest -- schema > manifest/ecscdk.schema.json"
    );
}

#[test]
fn every_example_manifest_validates_against_the_schema() {
    let schema: Value = serde_json::from_str(&ecscdk_manifest::json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/src");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let doc: Value =
                serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 6, "only {seen} example manifests found");
}

#[test]
fn the_schema_rejects_an_unknown_field_as_the_reader_does() {
    let schema: Value = serde_json::from_str(&ecscdk_manifest::json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc = serde_json::json!({"stacks": {"A": {"vpc": {"max_az": 2}}}});
    assert!(!validator.is_valid(&doc));
}

/// Every property, at every level, carries a description (from the
/// model's doc comments), which editors show on hover.
#[test]
fn every_field_is_described() {
    let schema: Value = serde_json::from_str(&ecscdk_manifest::json_schema()).unwrap();
    let mut missing = Vec::new();
    let mut visit = |owner: &str, props: &serde_json::Map<String, Value>| {
        for (name, prop) in props {
            let described = prop
                .get("description")
                .is_some_and(|d| d.as_str().is_some_and(|s| !s.is_empty()));
            if !described {
                missing.push(format!("{owner}.{name}"));
            }
        }
    };
    if let Some(props) = schema["properties"].as_object() {
        visit("(root)", props);
    }
    for (name, def) in schema["$defs"].as_object().unwrap() {
        if let Some(props) = def["properties"].as_object() {
            visit(name, props);
        }
    }
    assert!(
        missing.is_empty(),
        "fields without a description: {missing:#?}"
    );
}
