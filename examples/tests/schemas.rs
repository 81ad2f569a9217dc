//! The independent oracle on the gallery: every resource of every example's
//! synthesized templates validates against its raw CloudFormation registry
//! schema (see `oracle/mod.rs` for how intrinsics are handled).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod oracle;

use oracle::{Schemas, schemas_dir, validate_template};
use serde_json::json;

#[test]
fn every_example_resource_validates_against_its_registry_schema() {
    let mut schemas = Schemas::default();
    let mut violations = Vec::new();
    let mut checked = 0;
    for (example, build) in ecscdk_examples::EXAMPLES {
        let app = build().unwrap_or_else(|e| panic!("example {example} does not build: {e}"));
        let assembly = app
            .synth()
            .unwrap_or_else(|e| panic!("example {example} does not synthesize: {e}"));
        for stack in assembly.stacks() {
            validate_template(
                &format!("{example}/{}", stack.id),
                &stack.template,
                &mut schemas,
                &mut violations,
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no template was checked");
    assert!(
        violations.is_empty(),
        "{} schema violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

#[test]
fn the_oracle_reports_what_the_schema_rejects() {
    let template = json!({
        "Parameters": { "Subnets": { "Type": "List<AWS::EC2::Subnet::Id>" } },
        "Resources": {
            "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": {
                "RetentionInDays": 10,
                "LogGroupName": { "Fn::Join": ["-", ["a", "b"]] },
                "Bogus": 1
            } },
            "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": {
                "GroupDescription": { "Ref": "Subnets" }
            } },
            "Topic": { "Type": "AWS::Nope::Thing" }
        }
    });
    let mut violations = Vec::new();
    validate_template(
        "t",
        &template.to_string(),
        &mut Schemas::default(),
        &mut violations,
    );
    let rules: Vec<&str> = violations
        .iter()
        .filter_map(|v| {
            v.rsplit_once("(schema rule `")
                .map(|(_, r)| r.trim_end_matches("`)"))
        })
        .collect();
    assert!(rules.contains(&"enum"), "{violations:#?}");
    assert!(rules.contains(&"additionalProperties"), "{violations:#?}");
    assert!(
        rules.contains(&"type"),
        "a list where a string is expected: {violations:#?}"
    );
    assert!(
        violations
            .iter()
            .any(|v| v.contains("no vendored schema for AWS::Nope::Thing")),
        "{violations:#?}"
    );
    assert!(
        !violations.iter().any(|v| v.contains("LogGroupName")),
        "{violations:#?}"
    );
}

#[test]
fn every_vendored_schema_compiles() {
    let mut schemas = Schemas::default();
    let list = std::fs::read_to_string(schemas_dir().join("resources.txt")).expect("resources.txt");
    let types: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(types.len() >= 60, "{types:?}");
    for type_name in types {
        assert!(schemas.get(type_name).is_ok(), "{type_name}");
    }
}
