//! Bad inputs: one `#[test] fn rejects_<condition>()` per bad input. Each
//! asserts the error's variant and construct path with the `assert_*`
//! helpers below (which print the error when it is another), then locks its
//! message with an inline snapshot.

mod appscaling;
mod certificatemanager;
mod cfn;
mod cloudwatch;
mod deployments;
mod ec2;
mod ec2_zones;
mod ecr_assets;
mod ecs;
mod ecs_container;
mod ecs_daemon;
mod ecs_ec2;
mod ecs_express;
mod ecs_external;
mod ecs_managed;
mod ecs_services;
mod elbv2;
mod listener_targets;
mod patterns;
mod patterns_domain;
mod patterns_targets;
mod queue_processing;
mod route53;
mod scheduled_task;
mod servicediscovery;
mod sqs;

use ecscdk::ec2::Vpc;
use ecscdk::ecs::{Cluster, Container, ContainerBuilder, ContainerImage};
use ecscdk::synth::Resource;
use ecscdk::{App, Env, Error, Stack};

/// The stack `Web`, in account 123456789012 and region us-east-1.
fn web_stack() -> Stack {
    Stack::new("Web").env(Env::new("123456789012", "us-east-1"))
}

/// The VPC `Vpc` over two zones with one NAT gateway.
#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn two_zone_vpc(stack: &mut Stack) -> Vpc {
    Vpc::builder("Vpc")
        .availability_zones(["us-east-1a", "us-east-1b"])
        .nat_gateways(1)
        .build(stack)
        .expect("the VPC builds")
}

/// The cluster `Cluster` in [`two_zone_vpc`].
#[allow(clippy::expect_used, reason = "a test helper: a failure is the test's")]
fn cluster_in_vpc(stack: &mut Stack) -> Cluster {
    let vpc = two_zone_vpc(stack);
    Cluster::builder("Cluster")
        .vpc(&vpc)
        .build(stack)
        .expect("the cluster builds")
}

/// [`web_stack`] with [`cluster_in_vpc`].
fn web_cluster() -> (Stack, Cluster) {
    let mut stack = web_stack();
    let cluster = cluster_in_vpc(&mut stack);
    (stack, cluster)
}

/// A container `name` running nginx.
fn nginx(name: &str) -> ContainerBuilder {
    Container::builder(
        name,
        ContainerImage::registry("public.ecr.aws/nginx/nginx:1.27"),
    )
}

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

/// Asserts that `err` is [`Error::InvalidProperty`] at `path` about
/// `property`.
#[track_caller]
fn assert_invalid(err: &Error, path: &str, property: &str) {
    assert!(
        matches!(err, Error::InvalidProperty { path: p, property: q, .. } if p.as_str() == path && q == property),
        "expected InvalidProperty at {path} about {property:?}, got {err:?}"
    );
}

/// Asserts that `err` is [`Error::Conflict`] at `path` between the settings
/// `first` and `second`.
#[track_caller]
fn assert_conflict(err: &Error, path: &str, first: &str, second: &str) {
    assert!(
        matches!(err, Error::Conflict { path: p, first: a, second: b, .. } if p.as_str() == path && *a == first && *b == second),
        "expected Conflict at {path} between {first:?} and {second:?}, got {err:?}"
    );
}

/// Asserts that `err` is [`Error::Unsupported`] at `path` about `setting`.
#[track_caller]
fn assert_unsupported(err: &Error, path: &str, setting: &str) {
    assert!(
        matches!(err, Error::Unsupported { path: p, setting: s, .. } if p.as_str() == path && *s == setting),
        "expected Unsupported at {path} about {setting:?}, got {err:?}"
    );
}

/// Asserts that `err` is [`Error::Missing`] at `path` naming `what`.
#[track_caller]
fn assert_missing(err: &Error, path: &str, what: &str) {
    assert!(
        matches!(err, Error::Missing { path: p, what: w, .. } if p.as_str() == path && *w == what),
        "expected Missing at {path} naming {what:?}, got {err:?}"
    );
}

/// Asserts that `err` is [`Error::Asset`] at `path`.
#[track_caller]
fn assert_asset(err: &Error, path: &str) {
    assert!(
        matches!(err, Error::Asset { path: p, .. } if p.as_str() == path),
        "expected Asset at {path}, got {err:?}"
    );
}
