//! The logical-ID algorithm against vectors computed by the AWS CDK itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ecscdk_synth::prelude::*;
use ecscdk_synth::{Error, logical_id, validate_logical_id};

const VECTORS: &str = include_str!("data/cdk-logical-ids.tsv");
const ERRORS: &str = include_str!("data/cdk-logical-ids-errors.tsv");

#[test]
fn every_cdk_vector_matches() {
    let mut checked = 0;
    for line in VECTORS.lines().filter(|l| !l.is_empty()) {
        let (path, expected) = line.split_once('\t').expect("path<TAB>id");
        let components: Vec<&str> = path.split('/').collect();
        assert_eq!(logical_id(&components), expected, "path {path:?}");
        checked += 1;
    }
    assert_eq!(checked, 37, "the vector file changed size");
}

#[test]
fn inputs_the_cdk_rejects_give_invalid_ids() {
    let mut checked = 0;
    for line in ERRORS.lines().filter(|l| !l.is_empty()) {
        let path = line.split('\t').next().unwrap();
        let components: Vec<&str> = path.split('/').collect();
        let id = logical_id(&components);
        assert!(validate_logical_id(&id).is_err(), "{path:?} gave {id:?}");
        checked += 1;
    }
    assert_eq!(checked, 4);
}

#[test]
fn the_vectors_hold_inside_a_stack() {
    // The same algorithm runs on resources added through the tree.
    let mut stack = Stack::new("S");
    let task = stack.scope(stack.root(), "TaskDef").unwrap();
    let role = stack.scope(task, "ExecutionRole").unwrap();
    let policy = stack.scope(role, "DefaultPolicy").unwrap();
    stack
        .add(policy, "Resource", RawResource::new("AWS::IAM::Policy"))
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    let template = &assembly.stack("S").unwrap().template;
    assert!(template.contains("\"TaskDefExecutionRoleDefaultPolicy0DBB737A\""));
}

#[test]
fn a_path_of_only_default_is_rejected_at_synth() {
    let mut stack = Stack::new("S");
    stack
        .add(stack.root(), "Default", RawResource::new("AWS::SNS::Topic"))
        .unwrap();
    let mut app = App::new();
    app.add(stack).unwrap();
    let err = app.synth().unwrap_err();
    assert!(
        matches!(&err, Error::InvalidLogicalId { path, id, .. } if path.as_str() == "S/Default" && id.is_empty()),
        "{err}"
    );
}
