//! Bad inputs: one `#[test] fn rejects_<condition>()` per bad input. Each
//! asserts the error's variant and construct path, then locks its message.

mod appscaling;
mod certificatemanager;
mod cfn;
mod ec2;
mod ec2_zones;
mod ecr_assets;
mod ecs;
mod ecs_ec2;
mod ecs_external;
mod ecs_managed;
mod ecs_services;
mod elbv2;
mod patterns;
mod patterns_domain;
mod patterns_targets;
mod queue_processing;
mod route53;
mod scheduled_task;
mod servicediscovery;
mod sqs;

use ecscdk::synth::Resource;
use ecscdk::{App, Error, Stack};

/// Synthesizes an app whose stack `Web` holds `resource` as `id`, and
/// returns the synth error.
fn synth_error<R: Resource>(id: &str, resource: R) -> Error {
    synth_error_with(|stack| {
        let root = stack.root();
        stack.add(root, id, resource)?;
        Ok(())
    })
}

/// Synthesizes an app whose stack `Web` is built by `build`, and returns the
/// synth error.
#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn synth_error_with(build: impl FnOnce(&mut Stack) -> ecscdk::Result<()>) -> Error {
    let mut app = App::new();
    let mut stack = Stack::new("Web");
    build(&mut stack).expect("the stack builds");
    app.add(stack).expect("the stack is added");
    app.synth().expect_err("synth rejects the stack")
}
