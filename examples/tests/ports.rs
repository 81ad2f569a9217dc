//! The ports of the AWS CDK's reference apps update the CDK's deployed
//! stacks in place: `diff STACK --template <the CDK's template>
//! --fail-on destructive` finds nothing replaced or removed but the task
//! definitions (a new revision, from the deliberate container settings of
//! the README's migration guide) and the CDK's `AWS::CDK::Metadata`. The
//! CDK's templates (aws-cdk-lib 2.276.0, recommended flags, the zones of
//! `examples/cdk.context.json`) are vendored in
//! `constructs/tests/data/cdk/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;
use std::process::Command;

/// What `diff --fail-on destructive` reports, one `Stack/LogicalId (what)`
/// an item; empty when nothing is destructive. The example's binary runs
/// as users run it, in its folder (where its `cdk.context.json` is).
fn destructive(binary: &str, stack: &str, cdk_template: &str) -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"));
    let template = folder
        .join("../constructs/tests/data/cdk")
        .join(cdk_template);
    let done = Command::new(binary)
        .args(["diff", stack, "--template"])
        .arg(&template)
        .args(["--fail-on", "destructive"])
        .env_remove("STACKS")
        .env_remove("SERVICES")
        .current_dir(folder)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    if done.status.success() {
        return Vec::new();
    }
    let what = stderr
        .strip_prefix("Error: ")
        .and_then(|rest| rest.split_once(" destructive change(s): "))
        .and_then(|(_, rest)| rest.split_once("; review them"))
        .map(|(what, _)| what)
        .unwrap_or_else(|| panic!("diff failed: {stderr}"));
    what.split(", ").map(str::to_owned).collect()
}

/// Everything destructive is a task definition's replacement or the CDK's
/// metadata resource's removal; returns how many task definitions.
fn only_task_definitions_and_metadata(found: &[String], stack: &str, tasks: &[&str]) {
    let mut expected: Vec<String> = tasks
        .iter()
        .map(|id| format!("{stack}/{id} (replaced)"))
        .collect();
    expected.push(format!("{stack}/CDKMetadata (removed)"));
    let mut found = found.to_vec();
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn the_fargate_alb_port_updates_the_cdks_stack_in_place() {
    let found = destructive(
        env!("CARGO_BIN_EXE_fargate_alb"),
        "FargateAlb",
        "fargate-alb/FargateAlb.template.json",
    );
    only_task_definitions_and_metadata(&found, "FargateAlb", &["WebTaskDef1C8E6ED7"]);
}

#[test]
fn the_capacity_port_updates_the_cdks_stack_in_place() {
    let found = destructive(
        env!("CARGO_BIN_EXE_capacity"),
        "Capacity",
        "capacity/Capacity.template.json",
    );
    only_task_definitions_and_metadata(
        &found,
        "Capacity",
        &["Ec2TaskB165294F", "FargateTaskB0B28A1D"],
    );
}

#[test]
fn the_scale_port_updates_the_cdks_stack_in_place() {
    let found = destructive(
        env!("CARGO_BIN_EXE_scale"),
        "Scale0",
        "scale-1x40/Scale0.template.json",
    );
    let tasks: Vec<String> = found
        .iter()
        .filter(|f| f.starts_with("Scale0/Task") && f.ends_with("(replaced)"))
        .cloned()
        .collect();
    assert_eq!(tasks.len(), 40, "{found:#?}");
    let rest: Vec<&String> = found.iter().filter(|f| !tasks.contains(f)).collect();
    assert_eq!(rest, ["Scale0/CDKMetadata (removed)"]);
}
